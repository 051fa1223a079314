/* SPDX-License-Identifier: MIT */
/*
 * Processes: fork through LTTng-UST's fork hooks, exit, waitpid.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conctrace/proc.h"
#include "conctrace/run.h"
#include "ct_internal.h"

/* Exported by liblttng-ust.so (what liblttng-ust-fork.so calls); Debian's
 * liblttng-ust-dev does not install <lttng/ust-fork.h>. */
void lttng_ust_before_fork(sigset_t *save_sigset);
void lttng_ust_after_fork_parent(sigset_t *restore_sigset);
void lttng_ust_after_fork_child(sigset_t *restore_sigset);

pid_t ct_fork(const char *role)
{
        sigset_t set;
        pid_t pid;
        int err;

        lttng_ust_before_fork(&set);
        pid = fork();
        if (pid < 0) {
                err = errno;
                lttng_ust_after_fork_parent(&set);
                return -err;
        }
        if (pid == 0) {
                lttng_ust_after_fork_child(&set);
                ct__reset_tid();
                ct__summaries_reset();
                ct__pipe_after_fork_child();
                ct__gil_after_fork_child();
                ct__set_role(role ? role : "child");
                lttng_ust_tracepoint(ct_run, thread_begin, ct_thread_role());
                return 0;
        }
        lttng_ust_after_fork_parent(&set);
        lttng_ust_tracepoint(ct_run, fork, (int32_t)pid);
        return pid;
}

_Noreturn void ct_exit(int status)
{
        ct_thread_end();
        _exit(status);
}

pid_t ct_waitpid(pid_t pid, int *status, int options)
{
        int st = 0, token, err = 0;
        pid_t ret;

        lttng_ust_tracepoint(ct_run, join_begin, (int64_t)pid, 0);
        token = ct__gil_block_begin();
        do {
                ret = waitpid(pid, &st, options);
        } while (ret < 0 && errno == EINTR);
        if (ret < 0)
                err = errno;
        lttng_ust_tracepoint(ct_run, join_end, (int64_t)pid, st);
        if (ret > 0)
                lttng_ust_tracepoint(ct_run, child_exit, (int32_t)ret, st);
        ct__gil_block_end(token);
        if (ret < 0)
                return -err;
        if (status)
                *status = st;
        return ret;
}
