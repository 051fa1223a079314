/* SPDX-License-Identifier: MIT */
/*
 * Internal state shared by the runtime's modules (not installed).
 */
#ifndef CT_INTERNAL_H
#define CT_INTERNAL_H

#include <stdint.h>
#include <sys/types.h>

#include "conctrace/cond.h"
#include "conctrace/mutex.h"
#include "conctrace/run.h"
#include "conctrace/tp.h"

#define CT__ROLE_MAX 64

/* Internal to libconctrace-rt.so: called and read directly, not through the
 * PLT/GOT (they are on the path of every call). */
#pragma GCC visibility push(hidden)

/* Process-wide configuration, read from the environment at load time. */
extern int ct__level;  /* enum ct_record_level */
extern int ct__gil_on; /* atomic: the GIL model is on */

static inline int ct__gil_is_on(void)
{
        return __atomic_load_n(&ct__gil_on, __ATOMIC_RELAXED);
}

/* run.c: per-thread identity. */
void ct__set_role(const char *role);
void ct__reset_tid(void);

/* run.c: light-level fast-path counting of uncontended acquisitions. */
void ct__summary_count(uint64_t lock);
void ct__summaries_reset(void);

/* gil.c */
void ct__gil_take(void);
int ct__gil_block_begin_slow(void);

/* Drops the GIL before a blocking call: returns 1 if it was held and dropped.
 * With the model off (ct__gil_on is never cleared once set, and no thread
 * holds the GIL before it is set) this is one load and a branch. */
static inline int ct__gil_block_begin(void)
{
        if (__builtin_expect(!ct__gil_is_on(), 1))
                return 0;
        return ct__gil_block_begin_slow();
}

/* Re-takes it if token is 1. */
static inline void ct__gil_block_end(int token)
{
        if (token)
                ct__gil_take();
}
int ct__gil_thread_held(void);
void ct__gil_thread_exit(void);
void ct__gil_after_fork_child(void);
void ct__gil_init_from_env(void);

/* pipe.c */
void ct__pipe_after_fork_child(void);

/* mutex.c: the blocking path of ct_mutex_lock after trylock returned `busy`. */
int ct__mutex_lock_slow(struct ct_mutex *m, int busy);

/* Fires the acquire of a fast-path (uncontended) mutex acquisition, or counts
 * it at the light level; sets the mutex's traced flag accordingly. */
static inline void ct__mutex_fast_acquired(struct ct_mutex *m)
{
        if (__builtin_expect(ct__level == CT_RECORD_LIGHT, 0)) {
                m->traced = 0;
                if (lttng_ust_tracepoint_enabled(ct_lock, summary))
                        ct__summary_count(ct_mutex_id(m));
                return;
        }
        m->traced = 1;
        lttng_ust_tracepoint(ct_lock, acquire, ct_mutex_id(m), 0);
}

/* ct_mutex_lock/unlock for the runtime's own modules: inlined, no PLT. */
static inline int ct__mutex_lock(struct ct_mutex *m)
{
        int ret = pthread_mutex_trylock(&m->mu);

        if (__builtin_expect(ret == 0, 1)) {
                ct__mutex_fast_acquired(m);
                return 0;
        }
        return ct__mutex_lock_slow(m, ret);
}

static inline int ct__mutex_unlock(struct ct_mutex *m)
{
        if (m->traced)
                lttng_ust_tracepoint(ct_lock, release, ct_mutex_id(m));
        return -pthread_mutex_unlock(&m->mu);
}

static inline int ct__cond_waiters(struct ct_cond *c)
{
        return __atomic_load_n(&c->waiters, __ATOMIC_RELAXED);
}

#pragma GCC visibility pop

#endif /* CT_INTERNAL_H */
