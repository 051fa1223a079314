/* SPDX-License-Identifier: MIT */
/*
 * libconctrace-preload.so: initialisation (real symbols, the code whose calls
 * are never traced), per-thread identity, and the marker API of
 * ct_preload_api.h.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ct_pl_internal.h"
#include "ct_preload_api.h"

__thread struct ct__pl_thread ct__pl_self CT__PL_TLS;
int ct__pl_ready;
int ct__pl_runtime_present;
struct ct__pl_range ct__pl_ranges[CT__PL_MAX_RANGES];
int ct__pl_nranges;
struct ct__pl_range ct__pl_envelope;
int ct__pl_light;
char ct__pl_self_path[4096];

/* glibc's own exported aliases: the mutex functions until the real symbols
 * are resolved (a call from another library's constructor, or from dlsym
 * itself), so the mutex wrappers need no "resolved yet?" test. */
extern int __pthread_mutex_lock(pthread_mutex_t *);
extern int __pthread_mutex_trylock(pthread_mutex_t *);
extern int __pthread_mutex_unlock(pthread_mutex_t *);
extern int __pthread_mutex_init(pthread_mutex_t *, const pthread_mutexattr_t *);
struct ct__pl_real ct__pl_real = {
    .mutex_init = __pthread_mutex_init,
    .mutex_lock = __pthread_mutex_lock,
    .mutex_trylock = __pthread_mutex_trylock,
    .mutex_unlock = __pthread_mutex_unlock,
};

pid_t ct__pl_tid_slow(void)
{
        struct ct__pl_thread *s = &ct__pl_self;

        if (!s->tid)
                s->tid = (pid_t)syscall(SYS_gettid);
        return s->tid;
}

void *ct__pl_sym(const char *name, const char *version)
{
        void *p = NULL;

        ct__pl_self.guard++;
        if (version)
                p = dlvsym(RTLD_NEXT, name, version);
        if (!p)
                p = dlsym(RTLD_NEXT, name);
        ct__pl_self.guard--;
        return p;
}

/* An object (the program, a library) that needs libconctrace-rt or -tp
 * fires the contract itself: the preload library then stays quiet. */
static int needs_conctrace(const struct dl_phdr_info *info)
{
        const ElfW(Dyn) *dyn = NULL;
        const char *strtab = NULL;

        for (int i = 0; i < info->dlpi_phnum; i++) {
                if (info->dlpi_phdr[i].p_type == PT_DYNAMIC)
                        dyn = (const ElfW(Dyn) *)(info->dlpi_addr + info->dlpi_phdr[i].p_vaddr);
        }
        if (!dyn)
                return 0;
        for (const ElfW(Dyn) *d = dyn; d->d_tag != DT_NULL; d++) {
                if (d->d_tag == DT_STRTAB) {
                        uintptr_t a = (uintptr_t)d->d_un.d_ptr;

                        /* The loader relocates it in place on most targets. */
                        strtab = (const char *)(a < info->dlpi_addr ? a + info->dlpi_addr : a);
                }
        }
        if (!strtab)
                return 0;
        for (const ElfW(Dyn) *d = dyn; d->d_tag != DT_NULL; d++) {
                const char *n;

                if (d->d_tag != DT_NEEDED)
                        continue;
                n = strtab + d->d_un.d_val;
                if (strncmp(n, "libconctrace-rt", 15) == 0 ||
                    strncmp(n, "libconctrace-tp", 15) == 0)
                        return 1;
        }
        return 0;
}

/* Code whose calls are never traced: lttng-ust's libraries (their listener
 * threads and internal locks), the provider library, the runtime. */
static int range_cb(struct dl_phdr_info *info, size_t size, void *data)
{
        const char *n = info->dlpi_name ? info->dlpi_name : "";
        const char *base = strrchr(n, '/');
        int rt;

        (void)size;
        (void)data;
        base = base ? base + 1 : n;
        if (strncmp(base, "libconctrace-preload", 20) != 0 && needs_conctrace(info))
                ct__pl_runtime_present = 1;
        rt = strncmp(base, "libconctrace-rt", 15) == 0;
        if (strncmp(base, "liblttng-ust", 12) != 0 && strncmp(base, "libconctrace-tp", 15) != 0 &&
            !rt && strncmp(base, "liburcu", 7) != 0)
                return 0;
        if (rt)
                ct__pl_runtime_present = 1;
        for (int i = 0; i < info->dlpi_phnum; i++) {
                const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

                if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X))
                        continue;
                if (ct__pl_nranges < CT__PL_MAX_RANGES) {
                        ct__pl_ranges[ct__pl_nranges].lo = info->dlpi_addr + ph->p_vaddr;
                        ct__pl_ranges[ct__pl_nranges].hi =
                            info->dlpi_addr + ph->p_vaddr + ph->p_memsz;
                        ct__pl_nranges++;
                }
        }
        return 0;
}

void ct__pl_resolve(void)
{
        struct ct__pl_real r;

        if (ct__pl_self.guard)
                return;
        r.mutex_init = ct__pl_sym("pthread_mutex_init", NULL);
        r.mutex_lock = ct__pl_sym("pthread_mutex_lock", NULL);
        r.mutex_trylock = ct__pl_sym("pthread_mutex_trylock", NULL);
        r.mutex_timedlock = ct__pl_sym("pthread_mutex_timedlock", NULL);
        r.mutex_clocklock = ct__pl_sym("pthread_mutex_clocklock", NULL);
        r.mutex_unlock = ct__pl_sym("pthread_mutex_unlock", NULL);
        /* The condvars of glibc >= 2.3.2 (the old ABI has other layouts). */
        r.cond_wait = ct__pl_sym("pthread_cond_wait", "GLIBC_2.3.2");
        r.cond_timedwait = ct__pl_sym("pthread_cond_timedwait", "GLIBC_2.3.2");
        r.cond_clockwait = ct__pl_sym("pthread_cond_clockwait", NULL);
        r.cond_signal = ct__pl_sym("pthread_cond_signal", "GLIBC_2.3.2");
        r.cond_broadcast = ct__pl_sym("pthread_cond_broadcast", "GLIBC_2.3.2");
        r.sem_wait = ct__pl_sym("sem_wait", NULL);
        r.sem_trywait = ct__pl_sym("sem_trywait", NULL);
        r.sem_timedwait = ct__pl_sym("sem_timedwait", NULL);
        r.sem_clockwait = ct__pl_sym("sem_clockwait", NULL);
        r.sem_post = ct__pl_sym("sem_post", NULL);
        if (!r.mutex_init)
                r.mutex_init = __pthread_mutex_init;
        if (!r.mutex_lock)
                r.mutex_lock = __pthread_mutex_lock;
        if (!r.mutex_trylock)
                r.mutex_trylock = __pthread_mutex_trylock;
        if (!r.mutex_unlock)
                r.mutex_unlock = __pthread_mutex_unlock;
        ct__pl_real = r;
}

void ct__pl_name(uint64_t obj, int kind, const char *name)
{
        CT__PL_FIRE(ct_run, name, obj, kind, name ? name : "");
}

/* The thread's name (comm), e.g. "pigz" or what pthread_setname_np set. */
void ct__pl_default_role(char *out, size_t len)
{
        char comm[17] = "";

        if (prctl(PR_GET_NAME, comm, 0, 0, 0) != 0 || !comm[0])
                snprintf(comm, sizeof(comm), "thread");
        snprintf(out, len, "%s", comm);
}

/* role NULL: the one it had, else the thread's name. */
void ct__pl_thread_begin(const char *role)
{
        struct ct__pl_thread *s = &ct__pl_self;

        s->begun = 1;
        if (role)
                snprintf(s->role, sizeof(s->role), "%s", role);
        else if (!s->role[0])
                ct__pl_default_role(s->role, sizeof(s->role));
        s->guard++;
        lttng_ust_tracepoint(ct_run, thread_begin, s->role);
        s->guard--;
}

/* glibc keeps the tid in struct pthread: its offset, checked on the main
 * thread at initialisation (-1 if not found: pthread_join targets are then
 * taken from what started threads recorded). */
int ct__pl_tid_offset = -1;

static void find_tid_offset(void)
{
        const char *p = (const char *)pthread_self();
        pid_t me = ct__pl_tid();

        for (int o = 0; o < 2048; o += 4) {
                if (*(const pid_t *)(p + o) == me) {
                        ct__pl_tid_offset = o;
                        return;
                }
        }
}

__attribute__((constructor(101))) static void ct__pl_init(void)
{
        Dl_info info;
        char role[32];

        const char *level = getenv("CT_RECORD_LEVEL");

        if (!ct__pl_real.mutex_timedlock)
                ct__pl_resolve();
        ct__pl_light = level && strcmp(level, "light") == 0;
        if (dladdr((void *)ct__pl_init, &info) && info.dli_fname)
                snprintf(ct__pl_self_path, sizeof(ct__pl_self_path), "%s", info.dli_fname);
        dl_iterate_phdr(range_cb, NULL);
        for (int i = 0; i < ct__pl_nranges; i++) {
                if (!ct__pl_envelope.lo || ct__pl_ranges[i].lo < ct__pl_envelope.lo)
                        ct__pl_envelope.lo = ct__pl_ranges[i].lo;
                if (ct__pl_ranges[i].hi > ct__pl_envelope.hi)
                        ct__pl_envelope.hi = ct__pl_ranges[i].hi;
        }
        ct__pl_gil_init();
        __atomic_store_n(&ct__pl_ready, 1, __ATOMIC_RELEASE);
        if (ct__pl_runtime_present) {
                /* The runtime fires the events of this program: stay quiet. */
                ct__pl_self.quiet = 1;
                return;
        }
        find_tid_offset();
        (void)role;
        if (!lttng_ust_tracepoint_enabled(ct_run, thread_begin))
                return; /* fired before this thread's first event (CT__PL_FIRE) */
        ct__pl_thread_begin(NULL);
}

__attribute__((destructor)) static void ct__pl_fini(void)
{
        char role[32];

        if (!ct__pl_ready || ct__pl_self.quiet || ct__pl_self.begun != 1)
                return;
        (void)role;
        ct__pl_summaries_flush();
        CT__PL_FIRE(ct_run, thread_end, ct__pl_self.role);
        ct__pl_self.begun = 2; /* ended */
}

/* ------------------------------------------------------------- marker API */

#define CT__PL_API __attribute__((visibility("default")))

static const char *s_or_empty(const char *s)
{
        return s ? s : "";
}

CT__PL_API int ct_preload_active(void)
{
        return __atomic_load_n(&ct__pl_ready, __ATOMIC_ACQUIRE) ? 1 : 0;
}

CT__PL_API void ct_preload_run_begin(const char *scenario, const char *variant, int workers,
                                     const char *params)
{
        if (!ct__pl_ready)
                return;
        CT__PL_FIRE(ct_run, run_begin, s_or_empty(scenario), s_or_empty(variant), workers,
                    s_or_empty(params));
}

CT__PL_API void ct_preload_run_end(const char *scenario, const char *variant, int workers,
                                   const char *params, int status)
{
        if (!ct__pl_ready)
                return;
        ct__pl_summaries_flush();
        CT__PL_FIRE(ct_run, run_end, s_or_empty(scenario), s_or_empty(variant), workers,
                    s_or_empty(params), status);
}

CT__PL_API void ct_preload_phase_begin(const char *name)
{
        if (ct__pl_ready)
                CT__PL_FIRE(ct_run, phase_begin, s_or_empty(name));
}

CT__PL_API void ct_preload_phase_end(const char *name)
{
        if (ct__pl_ready)
                CT__PL_FIRE(ct_run, phase_end, s_or_empty(name));
}

CT__PL_API void ct_preload_thread_role(const char *role)
{
        if (ct__pl_ready)
                ct__pl_thread_begin(s_or_empty(role));
}

CT__PL_API void ct_preload_work_begin(int kind, unsigned long long units)
{
        if (ct__pl_ready)
                CT__PL_FIRE(ct_work, begin, kind, (uint64_t)units);
}

CT__PL_API void ct_preload_work_end(int kind, unsigned long long units)
{
        if (ct__pl_ready)
                CT__PL_FIRE(ct_work, end, kind, (uint64_t)units);
}

CT__PL_API void ct_preload_name(unsigned long long obj, int kind, const char *name)
{
        if (ct__pl_ready)
                ct__pl_name((uint64_t)obj, kind, name);
}

CT__PL_API void ct_preload_cond_wait_begin(unsigned long long cond, unsigned long long lock)
{
        if (ct__pl_ready)
                CT__PL_FIRE(ct_cond, wait_begin, (uint64_t)cond, (uint64_t)lock);
}

CT__PL_API void ct_preload_cond_wait_end(unsigned long long cond, unsigned long long lock,
                                         int timedout)
{
        if (ct__pl_ready)
                CT__PL_FIRE(ct_cond, wait_end, (uint64_t)cond, (uint64_t)lock, timedout != 0);
}

CT__PL_API void ct_preload_cond_notify(unsigned long long cond, int waiters, int all)
{
        if (!ct__pl_ready)
                return;
        if (all)
                CT__PL_FIRE(ct_cond, broadcast, (uint64_t)cond, waiters);
        else
                CT__PL_FIRE(ct_cond, signal, (uint64_t)cond, waiters);
}
