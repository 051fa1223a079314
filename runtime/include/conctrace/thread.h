/* SPDX-License-Identifier: MIT */
/*
 * conctrace runtime: threads with a role.
 */
#ifndef CONCTRACE_THREAD_H
#define CONCTRACE_THREAD_H

#include <pthread.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct ct__thread_start;

struct ct_thread {
        pthread_t handle;
        pid_t tid;                      /* kernel tid of the thread, known on return of create */
        struct ct__thread_start *start; /* owned: freed by ct_thread_join() */
};

/*
 * Starts fn(arg) in a new thread. The thread first fires
 * ct_run:thread_begin(role) (role is copied; NULL = "thread"), takes the GIL
 * if the model is on, runs fn, drops the GIL, flushes its light-level
 * summaries and fires ct_run:thread_end(role) last.
 * Returns 0 (t->tid set) or a negative errno.
 */
int ct_thread_create(struct ct_thread *t, const char *role, void *(*fn)(void *arg), void *arg);

/*
 * Joins t: fires ct_run:join_begin(target = t->tid, 0), releases the GIL,
 * pthread_join, re-takes the GIL, fires ct_run:join_end(t->tid, 0).
 * *ret (if not NULL) receives fn's return value. Returns 0 or a negative errno.
 */
int ct_thread_join(struct ct_thread *t, void **ret);

#ifdef __cplusplus
}
#endif

#endif /* CONCTRACE_THREAD_H */
