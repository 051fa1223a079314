/* SPDX-License-Identifier: MIT */
/* ct_outfile: whole or nothing, devices written in place, umask mode. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ct_outfile.h"

#define CHECK(c)                                                                                   \
        do {                                                                                       \
                if (!(c)) {                                                                        \
                        fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #c);      \
                        exit(1);                                                                   \
                }                                                                                  \
        } while (0)

static char dir[] = "/tmp/ct-outfile-XXXXXX";

static size_t entries(void)
{
        DIR *d = opendir(dir);
        struct dirent *e;
        size_t n = 0;

        CHECK(d);
        while ((e = readdir(d)))
                n += e->d_name[0] != '.';
        closedir(d);
        return n;
}

static void slurp(const char *path, char *buf, size_t n)
{
        FILE *f = fopen(path, "r");
        size_t got;

        CHECK(f);
        got = fread(buf, 1, n - 1, f);
        buf[got] = '\0';
        fclose(f);
}

int main(void)
{
        struct ct_outfile o;
        struct stat st;
        char path[256], buf[64];

        CHECK(mkdtemp(dir));
        snprintf(path, sizeof(path), "%s/out.json", dir);
        umask(022);

        /* Committed: the destination appears whole, mode 0644, no temp left. */
        CHECK(ct_outfile_open(&o, path) == 0);
        CHECK(o.tmp && access(path, F_OK) < 0);
        CHECK(fputs("first", ct_outfile_stream(&o)) >= 0);
        CHECK(ct_outfile_commit(&o) == 0);
        slurp(path, buf, sizeof(buf));
        CHECK(strcmp(buf, "first") == 0);
        CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0644);
        CHECK(entries() == 1);

        /* Aborted: the old content stays, the temporary file is gone. */
        CHECK(ct_outfile_open(&o, path) == 0);
        CHECK(write(o.fd, "second", 6) == 6);
        ct_outfile_abort(&o);
        slurp(path, buf, sizeof(buf));
        CHECK(strcmp(buf, "first") == 0);
        CHECK(entries() == 1);

        /* A device is written in place, never replaced by a file. */
        CHECK(ct_outfile_open(&o, "/dev/null") == 0);
        CHECK(o.tmp == NULL);
        CHECK(write(o.fd, "x", 1) == 1);
        CHECK(ct_outfile_commit(&o) == 0);
        CHECK(stat("/dev/null", &st) == 0 && S_ISCHR(st.st_mode));

        /* A directory, a missing parent, an empty path: errors, nothing made. */
        CHECK(ct_outfile_open(&o, dir) == -EISDIR);
        snprintf(path, sizeof(path), "%s/missing/out.json", dir);
        CHECK(ct_outfile_open(&o, path) == -ENOENT);
        CHECK(ct_outfile_open(&o, "") == -EINVAL);
        CHECK(entries() == 1);

        snprintf(path, sizeof(path), "%s/out.json", dir);
        unlink(path);
        rmdir(dir);
        puts("ok");
        return 0;
}
