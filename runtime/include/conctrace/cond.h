/* SPDX-License-Identifier: MIT */
/*
 * conctrace runtime: instrumented condition variable, counting its waiters.
 * The cond id in the trace is the address of the struct ct_cond.
 *
 * ct_cond_wait() fires, in this order: ct_cond:wait_begin(cond, mutex),
 * ct_lock:release(mutex), [GIL dropped; pthread_cond_wait], ct_lock:acquire(
 * mutex, contended 0), ct_cond:wait_end(timedout), [GIL re-taken]. So lock hold
 * times exclude the waits, and a wait_end followed by a wait_begin with no
 * release in between is a re-wait.
 */
#ifndef CONCTRACE_COND_H
#define CONCTRACE_COND_H

#include <pthread.h>
#include <stdint.h>
#include <time.h>

#include "conctrace/mutex.h"

#ifdef __cplusplus
extern "C" {
#endif

struct ct_cond {
        pthread_cond_t cv; /* uses CLOCK_MONOTONIC */
        int waiters;       /* threads inside ct_cond_(timed)wait (atomic access) */
};

#define ct_cond_id(c) ((uint64_t)(uintptr_t)(c))

/* Initializes c and names it (ct_run:name kind cond; NULL: not named).
 * Returns 0 or a negative errno. */
int ct_cond_init(struct ct_cond *c, const char *name);

/* Destroys c (no thread may be waiting). Returns 0 or a negative errno. */
int ct_cond_destroy(struct ct_cond *c);

/* Waits on c; m must be locked by the caller. Returns 0 or a negative errno. */
int ct_cond_wait(struct ct_cond *c, struct ct_mutex *m);

/*
 * Waits on c at most timeout_us microseconds (relative, CLOCK_MONOTONIC).
 * Returns 0 if woken, -ETIMEDOUT on timeout (wait_end timedout = 1), or
 * another negative errno. m must be locked by the caller.
 */
int ct_cond_timedwait(struct ct_cond *c, struct ct_mutex *m, int64_t timeout_us);

/* Same with an absolute CLOCK_MONOTONIC deadline. */
int ct_cond_timedwait_abs(struct ct_cond *c, struct ct_mutex *m, const struct timespec *deadline);

/* Wakes one waiter; fires ct_cond:signal(waiters at the call). */
int ct_cond_signal(struct ct_cond *c);

/* Wakes all waiters; fires ct_cond:broadcast(waiters at the call). */
int ct_cond_broadcast(struct ct_cond *c);

/* Threads currently waiting on c (a snapshot). */
int ct_cond_waiters(struct ct_cond *c);

#ifdef __cplusplus
}
#endif

#endif /* CONCTRACE_COND_H */
