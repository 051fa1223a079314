/* SPDX-License-Identifier: MIT */
/*
 * Recorder: the trace directory (chosen, checked, created, removed).
 */
#define _GNU_SOURCE
#include "ct_rec_internal.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>
#include <dlfcn.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <lttng/lttng.h>

#include "ct_live.h"

/* ---------------------------------------------------------------- files */

static int ct__rm_cb(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
        (void)st;
        (void)flag;
        (void)ftw;
        return remove(path) == 0 ? 0 : -1;
}

int ct__rm_rf(const char *path)
{
        if (nftw(path, ct__rm_cb, 16, FTW_DEPTH | FTW_PHYS) != 0 && errno != ENOENT) {
                return -errno;
        }
        return 0;
}

/* 1 if dir holds anything, 0 if empty, negative errno. */
static int ct__dir_nonempty(const char *path)
{
        DIR *d = opendir(path);
        struct dirent *de;
        int ret = 0;

        if (!d) {
                return -errno;
        }
        while ((de = readdir(d))) {
                if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0) {
                        ret = 1;
                        break;
                }
        }
        closedir(d);
        return ret;
}

static int ct__mkdir_p(const char *path)
{
        char tmp[PATH_MAX];
        char *p;

        if (snprintf(tmp, sizeof(tmp), "%s", path) >= (int)sizeof(tmp)) {
                return -ENAMETOOLONG;
        }
        for (p = tmp + 1; *p; p++) {
                if (*p != '/') {
                        continue;
                }
                *p = '\0';
                if (mkdir(tmp, 0775) != 0 && errno != EEXIST) {
                        return -errno;
                }
                *p = '/';
        }
        if (mkdir(tmp, 0775) != 0 && errno != EEXIST) {
                return -errno;
        }
        return 0;
}

static int ct__absolute(const char *in, char *out, size_t out_len)
{
        char cwd[PATH_MAX];

        if (in[0] == '/') {
                return snprintf(out, out_len, "%s", in) >= (int)out_len ? -ENAMETOOLONG : 0;
        }
        if (!getcwd(cwd, sizeof(cwd))) {
                return -errno;
        }
        return snprintf(out, out_len, "%s/%s", cwd, in) >= (int)out_len ? -ENAMETOOLONG : 0;
}

/* Chooses, checks and creates the trace directory into rec->res->trace_dir. */
int ct__prepare_output(struct ct__rec *rec)
{
        char want[PATH_MAX];
        char abs_path[PATH_MAX];
        struct stat st;
        int ret;

        if (rec->opts->output_dir) {
                if (rec->opts->output_dir[0] == '\0') {
                        ct__err("Failed to use output directory: path is empty");
                        return -EINVAL;
                }
                if (snprintf(want, sizeof(want), "%s", rec->opts->output_dir) >=
                    (int)sizeof(want)) {
                        ret = -ENAMETOOLONG;
                        goto name_error;
                }
        } else {
                char stamp[32];
                time_t now = time(NULL);
                struct tm tm;
                int n;

                localtime_r(&now, &tm);
                strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
                /* Default names never collide with an earlier trace: add -2, -3, ... */
                for (n = 1; n < 1000; n++) {
                        if (n == 1) {
                                snprintf(want, sizeof(want), "conctrace-traces/%s-%s",
                                         rec->prog_name, stamp);
                        } else {
                                snprintf(want, sizeof(want), "conctrace-traces/%s-%s-%d",
                                         rec->prog_name, stamp, n);
                        }
                        if (stat(want, &st) != 0 && errno == ENOENT) {
                                break;
                        }
                }
        }
        ret = ct__absolute(want, abs_path, sizeof(abs_path));
        if (ret) {
                goto name_error;
        }

        if (stat(abs_path, &st) == 0) {
                if (!S_ISDIR(st.st_mode)) {
                        ct__err("Failed to use output directory: path=%s: exists and is not a "
                                "directory",
                                abs_path);
                        return -ENOTDIR;
                }
                ret = ct__dir_nonempty(abs_path);
                if (ret < 0) {
                        ct__err("Failed to read output directory: path=%s: %s", abs_path,
                                strerror(-ret));
                        return ret;
                }
                if (ret == 1) {
                        char old_trace[PATH_MAX];

                        if (!rec->opts->force) {
                                ct__err("Output directory is not empty: path=%s (choose another "
                                        "-o DIR, or use --force to record into it)",
                                        abs_path);
                                return -EEXIST;
                        }
                        /* --force: an earlier LTTng trace there would mix with ours. */
                        if (snprintf(old_trace, sizeof(old_trace), "%s/ust", abs_path) <
                            (int)sizeof(old_trace)) {
                                ret = ct__rm_rf(old_trace);
                                if (ret) {
                                        ct__err("Failed to remove the earlier trace: path=%s: %s",
                                                old_trace, strerror(-ret));
                                        return ret;
                                }
                        }
                }
        } else if (errno == ENOENT) {
                ret = ct__mkdir_p(abs_path);
                if (ret) {
                        ct__err("Failed to create output directory: path=%s: %s", abs_path,
                                strerror(-ret));
                        return ret;
                }
                rec->dir_created = 1;
        } else {
                ret = -errno;
                ct__err("Failed to use output directory: path=%s: %s", abs_path, strerror(-ret));
                return ret;
        }
        if (access(abs_path, W_OK | X_OK) != 0) {
                ret = -errno;
                ct__err("Failed to use output directory: path=%s: %s", abs_path, strerror(-ret));
                return ret;
        }
        if (!realpath(abs_path, rec->res->trace_dir)) {
                ret = -errno;
                ct__err("Failed to resolve output directory: path=%s: %s", abs_path,
                        strerror(-ret));
                return ret;
        }
        return 0;

name_error:
        ct__err("Failed to use output directory: path=%s: %s", want, strerror(-ret));
        return ret;
}
