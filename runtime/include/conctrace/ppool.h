/* SPDX-License-Identifier: MIT */
/*
 * conctrace runtime: a process pool, like Python's multiprocessing.Pool.
 *
 * ct_ppool_create() forks `workers` worker processes with ct_fork() (roles
 * "worker-0" ..). Each worker has a task pipe (parent -> worker, named
 * "NAME.task-N") and a result pipe (worker -> parent, "NAME.result-N"); all
 * transfers use the instrumented ct_pipe_* calls, so they are in the trace.
 * A worker runs one task at a time: the parent sends a task to an idle worker
 * (ct_ppool_submit() or, when all are busy, later from ct_ppool_collect()),
 * the worker fires ct_pool:task_begin(pool, task, worker index), runs the task
 * function, fires task_end and writes the result back.
 * ct_pool:create/destroy (kind process) and ct_pool:submit fire in the parent.
 * The parent ignores neither SIGPIPE nor SIGCHLD globally: writes to a dead
 * worker's pipe are made with SIGPIPE blocked and report -EPIPE.
 *
 * The pool object belongs to the process that created it; use it from one
 * thread at a time.
 */
#ifndef CONCTRACE_PPOOL_H
#define CONCTRACE_PPOOL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct ct_ppool;

/* Largest task input and result, in bytes. */
#define CT_PPOOL_MAX_DATA (1u << 20)

/*
 * Runs in a worker process: reads in[0..in_len), writes up to *out_len bytes
 * (on entry: the capacity, CT_PPOOL_MAX_DATA) to out and sets *out_len.
 * Returns 0 on success or any other int, passed to the parent as the task's
 * status.
 */
typedef int (*ct_ppool_task_fn)(const void *in, size_t in_len, void *out, size_t *out_len);

/*
 * Creates the pool NAME (kind pool; NULL: "ppool") and forks its `workers`
 * (>= 1) processes. Call it before starting other threads if you can (fork
 * copies only the calling thread). Returns 0 and *pool or a negative errno.
 */
int ct_ppool_create(struct ct_ppool **pool, int workers, const char *name, ct_ppool_task_fn fn);

/*
 * Queues a task (data is copied; len <= CT_PPOOL_MAX_DATA) and sends it at once
 * if a worker is idle. Returns the task id (>= 0, consecutive from 0) or a
 * negative errno.
 */
int64_t ct_ppool_submit(struct ct_ppool *pool, const void *data, size_t len);

/*
 * Called by ct_ppool_collect() once per finished task, in completion order.
 * status: the task function's return value, or a negative errno when the task
 * did not complete (-ECHILD: its worker died; the worker's wait status is then
 * in worker_status, else 0). out is valid during the call only.
 */
typedef void (*ct_ppool_result_fn)(void *ctx, int64_t task, int status, const void *out,
                                   size_t out_len, int worker_status);

/*
 * Sends the queued tasks to idle workers and receives results until every task
 * submitted so far has been reported to cb (cb may be NULL). A worker that dies
 * (crash, exit) is reaped; its in-flight task is reported with -ECHILD and the
 * queued tasks go to the surviving workers (or are reported with -ECHILD if
 * none survive). Never hangs on a dead worker.
 * Returns 0 if every task completed (whatever its status), -ECHILD if a worker
 * died, or another negative errno.
 */
int ct_ppool_collect(struct ct_ppool *pool, ct_ppool_result_fn cb, void *ctx);

/* Workers still alive. */
int ct_ppool_alive(const struct ct_ppool *pool);

/* The pool id in the trace. */
uint64_t ct_ppool_id(const struct ct_ppool *pool);

/*
 * Closes the task pipes (workers see EOF and exit 0), reaps the workers with
 * ct_waitpid(), fires ct_pool:destroy and frees the pool. Tasks not collected
 * are dropped. NULL is a no-op. Returns 0 if every worker exited with status 0,
 * else -ECHILD (or another negative errno).
 */
int ct_ppool_destroy(struct ct_ppool *pool);

#ifdef __cplusplus
}
#endif

#endif /* CONCTRACE_PPOOL_H */
