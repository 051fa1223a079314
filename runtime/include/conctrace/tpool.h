/* SPDX-License-Identifier: MIT */
/*
 * conctrace runtime: a thread pool. Workers are ct_thread_create() threads
 * with roles "worker-0" .. "worker-N-1" taking tasks from a ct_queue named
 * "NAME.tasks", so the queue's lock and condvars appear in the trace too.
 * ct_pool:create/destroy (kind thread), ct_pool:submit in the submitter,
 * ct_pool:task_begin/task_end(pool, task, worker index) in the worker.
 */
#ifndef CONCTRACE_TPOOL_H
#define CONCTRACE_TPOOL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct ct_tpool;

typedef void (*ct_task_fn)(void *arg);

/*
 * Creates a pool of `workers` (>= 1) threads named NAME (kind pool; NULL:
 * "tpool"). Returns 0 and *pool, or a negative errno.
 */
int ct_tpool_create(struct ct_tpool **pool, int workers, const char *name);

/*
 * Queues fn(arg). Returns the task id (>= 0, consecutive from 0 in submission
 * order) or a negative errno.
 */
int64_t ct_tpool_submit(struct ct_tpool *pool, ct_task_fn fn, void *arg);

/* Blocks until every task submitted so far has finished. Returns 0 or a negative errno. */
int ct_tpool_wait(struct ct_tpool *pool);

/* The pool id in the trace. */
uint64_t ct_tpool_id(const struct ct_tpool *pool);

/*
 * Waits for the submitted tasks, stops and joins the workers, fires
 * ct_pool:destroy and frees the pool. NULL is a no-op. Returns 0 or a negative errno.
 */
int ct_tpool_destroy(struct ct_tpool *pool);

#ifdef __cplusplus
}
#endif

#endif /* CONCTRACE_TPOOL_H */
