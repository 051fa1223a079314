/* SPDX-License-Identifier: MIT */
/*
 * conctrace runtime: processes.
 */
#ifndef CONCTRACE_PROC_H
#define CONCTRACE_PROC_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * fork() through LTTng-UST's fork hooks (lttng_ust_before_fork,
 * lttng_ust_after_fork_parent / _child), so the child keeps tracing with no
 * LD_PRELOAD. The parent fires ct_run:fork(child pid). The child resets the
 * per-process state (pipe offsets, GIL state: the forking thread keeps the GIL
 * if it held it, light-level counters), takes `role` (copied; NULL = "child")
 * as its thread role and fires ct_run:thread_begin(role).
 * Returns the child's pid in the parent, 0 in the child, or a negative errno.
 */
pid_t ct_fork(const char *role);

/*
 * Ends a child process: drops the GIL, flushes light-level summaries, fires
 * ct_run:thread_end(role) and calls _exit(status) (stdio buffers are not
 * flushed: fflush yourself if needed).
 */
_Noreturn void ct_exit(int status);

/*
 * waitpid() with ct_run:join_begin(pid, 0), join_end(pid, status) and, when a
 * child was reaped, ct_run:child_exit(pid, status) (status as from waitpid:
 * use WIFEXITED etc.). Releases the GIL while blocking; restarts on EINTR.
 * Returns the reaped pid, 0 (WNOHANG, nothing yet) or a negative errno.
 */
pid_t ct_waitpid(pid_t pid, int *status, int options);

#ifdef __cplusplus
}
#endif

#endif /* CONCTRACE_PROC_H */
