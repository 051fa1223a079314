/* SPDX-License-Identifier: MIT */
/*
 * Recorder: the program's process (forked and held, isolated, released to
 * exec, waited for).
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

/* ---------------------------------------------------------------- child */

/* LD_PRELOAD=<preload library>[:inherited value] into rec->preload_env. */
static int ct__preload_env(struct ct__rec *rec)
{
        const char *old = getenv("LD_PRELOAD");
        size_t len;

        free(rec->preload_env);
        rec->preload_env = NULL;
        if (!rec->preload_lib[0])
                return 0;
        len = strlen("LD_PRELOAD=") + strlen(rec->preload_lib) + (old ? strlen(old) + 1 : 0) + 1;
        rec->preload_env = malloc(len);
        if (!rec->preload_env)
                return -ENOMEM;
        snprintf(rec->preload_env, len, "LD_PRELOAD=%s%s%s", rec->preload_lib,
                 old && old[0] ? ":" : "", old ? old : "");
        return 0;
}

/* environ plus CT_RECORD_LEVEL=<level> (replacing an inherited one) and,
 * with the preload library, LD_PRELOAD (prepended to an inherited one). */
static char **ct__child_env(struct ct__rec *rec)
{
        static char level_full[] = "CT_RECORD_LEVEL=full";
        static char level_light[] = "CT_RECORD_LEVEL=light";
        size_t n = 0;
        size_t i;
        size_t j = 0;
        char **env;

        if (ct__preload_env(rec) < 0) {
                return NULL;
        }
        while (environ && environ[n]) {
                n++;
        }
        env = calloc(n + 3, sizeof(*env));
        if (!env) {
                return NULL;
        }
        for (i = 0; i < n; i++) {
                if (strncmp(environ[i], "CT_RECORD_LEVEL=", 16) == 0) {
                        continue;
                }
                if (rec->preload_env && strncmp(environ[i], "LD_PRELOAD=", 11) == 0) {
                        continue;
                }
                env[j++] = environ[i];
        }
        env[j++] = rec->opts->level == CT_RECORD_LEVEL_LIGHT ? level_light : level_full;
        if (rec->preload_env) {
                env[j++] = rec->preload_env;
        }
        env[j] = NULL;
        return env;
}

/* What the held child reports first: how its isolation went. */
struct ct__child_report {
        int err;         /* 0, or errno of the step that failed */
        int step;        /* CT__STEP_* that failed */
        uint64_t ipc_ns; /* its IPC namespace inode when err == 0 and isolating */
};

enum {
        CT__STEP_NONE = 0,
        CT__STEP_UNSHARE = 1,
        CT__STEP_NS_STAT = 2,
};

/* Reads exactly len bytes (retrying on EINTR); 1 if read, 0 on EOF/short, -errno. */
static int ct__read_full(int fd, void *buf, size_t len)
{
        size_t got = 0;

        while (got < len) {
                ssize_t n = read(fd, (char *)buf + got, len - got);

                if (n < 0 && errno == EINTR) {
                        continue;
                }
                if (n < 0) {
                        return -errno;
                }
                if (n == 0) {
                        return 0;
                }
                got += (size_t)n;
        }
        return 1;
}

/* In the forked child only: async-signal-safe steps, never returns. */
static void ct__child_main(const struct ct__rec *rec, char **env, int report_fd, int go_fd)
{
        struct ct__child_report report;
        struct sigaction dfl;
        struct stat st;
        char go = 0;
        int err;

        /*
         * The program gets the default SIGINT/SIGTERM actions even if ours
         * are ignored (a background job of a script): the signals we forward
         * must reach it.
         */
        memset(&dfl, 0, sizeof(dfl));
        dfl.sa_handler = SIG_DFL;
        sigemptyset(&dfl.sa_mask);
        sigaction(SIGINT, &dfl, NULL);
        sigaction(SIGTERM, &dfl, NULL);

        memset(&report, 0, sizeof(report));
        if (!rec->opts->no_isolate) {
                /* Its own IPC namespace: inherited by every descendant, whatever it runs. */
                if (unshare(CLONE_NEWIPC) != 0) {
                        report.err = errno;
                        report.step = CT__STEP_UNSHARE;
                } else if (stat("/proc/self/ns/ipc", &st) != 0) {
                        report.err = errno;
                        report.step = CT__STEP_NS_STAT;
                } else {
                        report.ipc_ns = (uint64_t)st.st_ino;
                }
        }
        if (write(report_fd, &report, sizeof(report)) != (ssize_t)sizeof(report)) {
                _exit(127);
        }
        /* Held until the session is set up and started: EOF means "do not run". */
        if (ct__read_full(go_fd, &go, 1) != 1) {
                _exit(127);
        }
        execve(rec->prog_path, rec->argv, env);
        err = errno;
        if (write(report_fd, &err, sizeof(err)) < 0) {
                /* Nothing more to do: the parent sees EOF and exit 127. */
        }
        _exit(127);
}

/*
 * Forks the program's process, held before exec: it first moves into an IPC
 * namespace of its own (unless --no-isolate) and reports the namespace inode,
 * so that the events can be filtered on it before tracing starts. The
 * program only runs once ct__child_exec() releases it; ct__child_abort()
 * makes it exit without running.
 */
int ct__child_fork(struct ct__rec *rec)
{
        struct ct__child_report report;
        int report_fds[2] = {-1, -1};
        int go_fds[2] = {-1, -1};
        pid_t pid;
        int ret = 0;

        rec->env = ct__child_env(rec);
        if (!rec->env) {
                ct__err("Failed to start program: out of memory");
                ret = -ENOMEM;
                goto end;
        }
        if (pipe2(report_fds, O_CLOEXEC) != 0 || pipe2(go_fds, O_CLOEXEC) != 0) {
                ret = -errno;
                ct__err("Failed to start program: pipe: %s", strerror(-ret));
                goto end;
        }
        fflush(NULL);
        pid = fork();
        if (pid < 0) {
                ret = -errno;
                ct__err("Failed to start program: fork: %s", strerror(-ret));
                goto end;
        }
        if (pid == 0) {
                close(report_fds[0]);
                close(go_fds[1]);
                ct__child_main(rec, rec->env, report_fds[1], go_fds[0]);
                _exit(127); /* not reached */
        }
        rec->child = pid;
        ct__child_pid = pid;
        if (ct__sig_first) {
                /* Interrupted between the last check and the fork. */
                kill(pid, ct__sig_first);
        }
        rec->report_fd = report_fds[0];
        report_fds[0] = -1;
        rec->go_fd = go_fds[1];
        go_fds[1] = -1;
        close(report_fds[1]);
        report_fds[1] = -1;
        close(go_fds[0]);
        go_fds[0] = -1;

        ret = ct__read_full(rec->report_fd, &report, sizeof(report));
        if (ret != 1 && ct__sig_first) {
                ret = -EINTR; /* the forwarded signal ended it: reported by the caller */
                goto end;
        }
        if (ret != 1) {
                ret = ret < 0 ? ret : -ECHILD;
                ct__err("Failed to start program: the program's process exited before it could "
                        "run (%s)",
                        ret == -ECHILD ? "killed?" : strerror(-ret));
                goto end;
        }
        ret = 0;
        if (rec->opts->no_isolate) {
                goto end;
        }
        if (report.err == 0 && report.ipc_ns != 0) {
                rec->res->isolated = 1;
                rec->res->ipc_ns = report.ipc_ns;
        } else if (!ct__warned_no_isolation) {
                ct__warned_no_isolation = 1;
                ct__err("warning: cannot isolate the program (%s: %s%s): recording without "
                        "isolation, so the ct_* events of other instrumented programs of the "
                        "same user running meanwhile are recorded too (use --no-isolate to "
                        "silence this)",
                        report.step == CT__STEP_UNSHARE ? "unshare(CLONE_NEWIPC)"
                                                        : "stat(/proc/self/ns/ipc)",
                        strerror(report.err),
                        report.err == EPERM ? "; isolation needs CAP_SYS_ADMIN, e.g. root" : "");
        }
end:
        if (report_fds[0] >= 0) {
                close(report_fds[0]);
        }
        if (report_fds[1] >= 0) {
                close(report_fds[1]);
        }
        if (go_fds[0] >= 0) {
                close(go_fds[0]);
        }
        if (go_fds[1] >= 0) {
                close(go_fds[1]);
        }
        return ret;
}

/* Reaps a held child without running the program (recording failed). */
void ct__child_abort(struct ct__rec *rec)
{
        int status;

        if (rec->go_fd >= 0) {
                close(rec->go_fd); /* EOF: the child exits without exec */
                rec->go_fd = -1;
        }
        if (rec->report_fd >= 0) {
                close(rec->report_fd);
                rec->report_fd = -1;
        }
        if (rec->child > 0) {
                while (waitpid(rec->child, &status, 0) < 0 && errno == EINTR) {
                }
                rec->child = 0;
                ct__child_pid = 0;
        }
        free(rec->env);
        free(rec->preload_env);
        rec->preload_env = NULL;
        rec->env = NULL;
}

/*
 * Releases the held child: it execs the program. An exec failure comes back
 * through the close-on-exec report pipe so that it is reported here, not as
 * an exit status.
 */
int ct__child_exec(struct ct__rec *rec)
{
        int child_errno = 0;
        char go = 1;
        ssize_t n;
        int ret = 0;

        do {
                n = write(rec->go_fd, &go, 1);
        } while (n < 0 && errno == EINTR);
        close(rec->go_fd);
        rec->go_fd = -1;
        if (n != 1) {
                ret = -errno;
                ct__err("Failed to start program: %s: the held process is gone: %s", rec->prog_path,
                        strerror(-ret));
                goto error;
        }
        ret = ct__read_full(rec->report_fd, &child_errno, sizeof(child_errno));
        close(rec->report_fd);
        rec->report_fd = -1;
        if (ret == 1) {
                ct__err("Failed to start program: %s: %s", rec->prog_path, strerror(child_errno));
                ret = -child_errno;
                goto error;
        }
        /* EOF: exec succeeded (close-on-exec). */
        rec->program_ran = 1;
        free(rec->env);
        free(rec->preload_env);
        rec->preload_env = NULL;
        rec->env = NULL;
        return 0;
error:
        ct__child_abort(rec);
        return ret ? ret : -EIO;
}

void ct__wait_child(struct ct__rec *rec)
{
        int status = 0;

        while (waitpid(rec->child, &status, 0) < 0) {
                if (errno != EINTR) {
                        ct__err("Failed to wait for the program: pid=%ld: %s", (long)rec->child,
                                strerror(errno));
                        status = 1 << 8;
                        break;
                }
        }
        ct__child_pid = 0;
        rec->child = 0;
        if (WIFSIGNALED(status)) {
                rec->res->term_signal = WTERMSIG(status);
                rec->res->exit_code = 128 + WTERMSIG(status);
        } else {
                rec->res->exit_code = WEXITSTATUS(status);
        }
}
