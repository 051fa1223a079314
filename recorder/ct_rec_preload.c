/* SPDX-License-Identifier: MIT */
/*
 * Recorder: --preload. Decides whether the program gets
 * libconctrace-preload.so in LD_PRELOAD: not when it links the runtime or
 * the provider library (DT_NEEDED of its ELF file, following `#!`
 * interpreters), never when LD_PRELOAD cannot apply (static or setuid
 * programs, told before it runs). The library is found next to conctrace:
 * BINDIR/../lib/libconctrace-preload.so.
 */
#define _GNU_SOURCE
#include "ct_rec_internal.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CT__PRELOAD_LIB "/../lib/libconctrace-preload.so"
#define CT__SHEBANG_MAX 4 /* nested #! interpreters followed */

int ct_recorder_parse_preload(const char *s, enum ct_recorder_preload *mode)
{
        if (strcmp(s, "auto") == 0)
                *mode = CT_RECORDER_PRELOAD_AUTO;
        else if (strcmp(s, "on") == 0)
                *mode = CT_RECORDER_PRELOAD_ON;
        else if (strcmp(s, "off") == 0)
                *mode = CT_RECORDER_PRELOAD_OFF;
        else
                return -EINVAL;
        return 0;
}

/* What the ELF file says: */
struct ct__elf_facts {
        int is_elf;
        int is_static;     /* no PT_INTERP: the dynamic loader (and LD_PRELOAD) never runs */
        int links_runtime; /* DT_NEEDED names libconctrace-rt or libconctrace-tp */
};

static int ct__pread_full(int fd, void *buf, size_t len, off_t off)
{
        ssize_t n = pread(fd, buf, len, off);

        return n == (ssize_t)len ? 0 : -EIO;
}

/* 64-bit little-endian ELF only (the platform conctrace runs on). */
static int ct__elf_read(const char *path, struct ct__elf_facts *f)
{
        Elf64_Ehdr eh;
        Elf64_Phdr *ph = NULL; /* owned */
        Elf64_Dyn *dyn = NULL; /* owned */
        char *strtab = NULL;   /* owned */
        size_t ndyn = 0, i;
        uint64_t strtab_va = 0, strsz = 0;
        int fd, ret = 0, have_dynamic = -1;

        memset(f, 0, sizeof(*f));
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        if (ct__pread_full(fd, &eh, sizeof(eh), 0) || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0)
                goto end; /* not ELF */
        f->is_elf = 1;
        if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_phentsize != sizeof(Elf64_Phdr) ||
            eh.e_phnum == 0 || eh.e_phnum > 4096)
                goto end;
        ph = calloc(eh.e_phnum, sizeof(*ph));
        if (!ph) {
                ret = -ENOMEM;
                goto end;
        }
        if (ct__pread_full(fd, ph, eh.e_phnum * sizeof(*ph), (off_t)eh.e_phoff))
                goto end;
        f->is_static = 1;
        for (i = 0; i < eh.e_phnum; i++) {
                if (ph[i].p_type == PT_INTERP)
                        f->is_static = 0;
                if (ph[i].p_type == PT_DYNAMIC)
                        have_dynamic = (int)i;
        }
        if (have_dynamic < 0 || ph[have_dynamic].p_filesz > (1u << 20))
                goto end;
        ndyn = ph[have_dynamic].p_filesz / sizeof(Elf64_Dyn);
        dyn = calloc(ndyn ? ndyn : 1, sizeof(*dyn));
        if (!dyn) {
                ret = -ENOMEM;
                goto end;
        }
        if (ct__pread_full(fd, dyn, ndyn * sizeof(*dyn), (off_t)ph[have_dynamic].p_offset))
                goto end;
        for (i = 0; i < ndyn && dyn[i].d_tag != DT_NULL; i++) {
                if (dyn[i].d_tag == DT_STRTAB)
                        strtab_va = dyn[i].d_un.d_ptr;
                else if (dyn[i].d_tag == DT_STRSZ)
                        strsz = dyn[i].d_un.d_val;
        }
        if (!strtab_va || !strsz || strsz > (16u << 20))
                goto end;
        /* The string table's file offset: from the PT_LOAD that maps it. */
        for (i = 0; i < eh.e_phnum; i++) {
                if (ph[i].p_type == PT_LOAD && strtab_va >= ph[i].p_vaddr &&
                    strtab_va + strsz <= ph[i].p_vaddr + ph[i].p_filesz)
                        break;
        }
        if (i == eh.e_phnum)
                goto end;
        strtab = malloc(strsz + 1);
        if (!strtab) {
                ret = -ENOMEM;
                goto end;
        }
        if (ct__pread_full(fd, strtab, strsz,
                           (off_t)(ph[i].p_offset + (strtab_va - ph[i].p_vaddr))))
                goto end;
        strtab[strsz] = '\0';
        for (i = 0; i < ndyn && dyn[i].d_tag != DT_NULL; i++) {
                const char *n;

                if (dyn[i].d_tag != DT_NEEDED || dyn[i].d_un.d_val >= strsz)
                        continue;
                n = strtab + dyn[i].d_un.d_val;
                if (strncmp(n, "libconctrace-rt", 15) == 0 ||
                    strncmp(n, "libconctrace-tp", 15) == 0)
                        f->links_runtime = 1;
        }
end:
        free(strtab);
        free(dyn);
        free(ph);
        close(fd);
        return ret;
}

/* "#!INTERP [ARG]": INTERP into out (for `env NAME`, NAME looked up in PATH). */
static int ct__shebang(const char *path, char *out, size_t out_len)
{
        char line[512], *p, *end, *arg;
        ssize_t n;
        int fd = open(path, O_RDONLY | O_CLOEXEC);

        if (fd < 0)
                return 0;
        n = read(fd, line, sizeof(line) - 1);
        close(fd);
        if (n < 3 || line[0] != '#' || line[1] != '!')
                return 0;
        line[n] = '\0';
        end = strchr(line, '\n');
        if (end)
                *end = '\0';
        for (p = line + 2; *p == ' ' || *p == '\t'; p++) {
        }
        end = p + strcspn(p, " \t");
        arg = *end ? end + 1 : end;
        *end = '\0';
        for (; *arg == ' ' || *arg == '\t'; arg++) {
        }
        arg[strcspn(arg, " \t")] = '\0';
        if (!*p)
                return 0;
        if (strcmp(strrchr(p, '/') ? strrchr(p, '/') + 1 : p, "env") == 0 && *arg && *arg != '-')
                return ct__find_program(arg, out, out_len) == 0;
        snprintf(out, out_len, "%s", p);
        return 1;
}

static int ct__preload_lib(char *out, size_t out_len)
{
        char exe[PATH_MAX];
        char *slash;
        ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

        if (n <= 0)
                return -ENOENT;
        exe[n] = '\0';
        slash = strrchr(exe, '/');
        if (!slash)
                return -ENOENT;
        *slash = '\0';
        if ((size_t)snprintf(out, out_len, "%s%s", exe, CT__PRELOAD_LIB) >= out_len)
                return -ENAMETOOLONG;
        if (access(out, R_OK) != 0)
                return -errno;
        if (realpath(out, exe) && strlen(exe) < out_len)
                snprintf(out, out_len, "%s", exe);
        return 0;
}

int ct__preload_decide(struct ct__rec *rec)
{
        enum ct_recorder_preload mode = rec->opts->preload;
        struct ct__elf_facts f;
        char cur[PATH_MAX], next[PATH_MAX], lib[PATH_MAX];
        struct stat st;
        int depth, ret;

        rec->preload_lib[0] = '\0';
        if (mode == CT_RECORDER_PRELOAD_OFF)
                return 0;
        snprintf(cur, sizeof(cur), "%s", rec->prog_path);
        for (depth = 0;; depth++) {
                if (stat(cur, &st) != 0) {
                        ret = -errno;
                        ct__err("Failed to start program: %s: %s", cur, strerror(-ret));
                        return ret;
                }
                if (st.st_mode & (S_ISUID | S_ISGID)) {
                        ct__err("%s%s is set-user-ID or set-group-ID: LD_PRELOAD does not apply "
                                "to it, so the preload library cannot trace it%s",
                                mode == CT_RECORDER_PRELOAD_ON ? "" : "warning: ", cur,
                                mode == CT_RECORDER_PRELOAD_ON
                                    ? " (--preload on): not running it"
                                    : "; its own events will be missing from the trace");
                        return mode == CT_RECORDER_PRELOAD_ON ? -EPERM : 0;
                }
                ret = ct__elf_read(cur, &f);
                if (ret < 0 && ret != -EACCES) {
                        ct__err("Failed to start program: %s: %s", cur, strerror(-ret));
                        return ret;
                }
                if (f.is_elf)
                        break;
                if (depth >= CT__SHEBANG_MAX || !ct__shebang(cur, next, sizeof(next)))
                        break; /* not ELF, no #!: the kernel's answer at exec */
                snprintf(cur, sizeof(cur), "%s", next);
        }
        if (f.is_elf && f.links_runtime) {
                if (mode == CT_RECORDER_PRELOAD_AUTO) {
                        ct__info(rec, "preload: off (%s links the conctrace runtime)", cur);
                        return 0;
                }
                ct__info(rec,
                         "preload: on (--preload on); %s links the conctrace runtime too: "
                         "the preload library stays quiet in it",
                         cur);
        }
        if (f.is_elf && f.is_static) {
                ct__err("%s%s is statically linked: LD_PRELOAD does not apply to it, so the "
                        "preload library cannot trace it%s",
                        mode == CT_RECORDER_PRELOAD_ON ? "" : "warning: ", cur,
                        mode == CT_RECORDER_PRELOAD_ON
                            ? " (--preload on): not running it"
                            : "; only events from programs it runs will be in the trace");
                return mode == CT_RECORDER_PRELOAD_ON ? -ENOEXEC : 0;
        }
        ret = ct__preload_lib(lib, sizeof(lib));
        if (ret < 0) {
                ct__err("%spreload library not found: path=<conctrace's directory>%s: %s",
                        mode == CT_RECORDER_PRELOAD_ON ? "" : "warning: ", CT__PRELOAD_LIB,
                        strerror(-ret));
                return mode == CT_RECORDER_PRELOAD_ON ? ret : 0;
        }
        snprintf(rec->preload_lib, sizeof(rec->preload_lib), "%s", lib);
        if (!(f.is_elf && f.links_runtime))
                ct__info(rec, "preload: on (%s does not link the conctrace runtime): %s", cur, lib);
        return 0;
}
