/* SPDX-License-Identifier: MIT */
/*
 * pthread condition variables: ct_cond:wait_begin/wait_end around the wait
 * (with the mutex's release and re-acquire between them, as the runtime
 * fires them), signal/broadcast with the number of threads waiting (counted
 * here, per condvar, in a fixed open-addressing table).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>

#include "ct_pl_internal.h"

#define CT__PL_API __attribute__((visibility("default")))

#define WAITERS_SLOTS 4096
static struct {
        uintptr_t key; /* atomic: the condvar, 0 = free */
        int count;     /* atomic */
} waiters[WAITERS_SLOTS];

static int *slot(const void *cond, int create)
{
        uintptr_t k = (uintptr_t)cond;
        size_t i = (size_t)((k >> 4) * 0x9E3779B97F4A7C15ull) & (WAITERS_SLOTS - 1);

        for (size_t n = 0; n < WAITERS_SLOTS; n++, i = (i + 1) & (WAITERS_SLOTS - 1)) {
                uintptr_t cur = __atomic_load_n(&waiters[i].key, __ATOMIC_ACQUIRE);

                if (cur == k)
                        return &waiters[i].count;
                if (cur == 0) {
                        if (!create)
                                return NULL;
                        if (__atomic_compare_exchange_n(&waiters[i].key, &cur, k, 0,
                                                        __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE) ||
                            cur == k)
                                return &waiters[i].count;
                }
        }
        return NULL; /* full: counted as 0 waiters (docs/preload.md) */
}

int ct__pl_waiters_add(const void *cond, int delta)
{
        int *c = slot(cond, 1);

        return c ? __atomic_add_fetch(c, delta, __ATOMIC_RELAXED) : 0;
}

int ct__pl_waiters_get(const void *cond)
{
        int *c = slot(cond, 0);

        return c ? __atomic_load_n(c, __ATOMIC_RELAXED) : 0;
}

/* With no session a condvar call keeps nothing (its waiters are counted only
 * while a session records: a wait already in progress when it starts is not
 * among the waiters a signal reports); the GIL's condvar is always followed. */
#define COND_EVENTS_ON(c)                                                                          \
        (__builtin_expect(lttng_ust_tracepoint_enabled(ct_cond, wait_begin), 0) || ct__pl_in_gil(c))

static inline void ensure(void)
{
        if (__builtin_expect(!ct__pl_real.cond_wait, 0))
                ct__pl_resolve();
}

static int cond_wait(pthread_cond_t *c, pthread_mutex_t *m, int which, clockid_t clk,
                     const struct timespec *abs)
{
        uint64_t cid = (uint64_t)(uintptr_t)c, mid = (uint64_t)(uintptr_t)m;
        int ret, held;

        if (ct__pl_in_gil(c))
                return ct__pl_gil_cond_wait(c, m, abs, (int)clk, which);
        /* The mutex's release only if its acquire was fired. */
        held = ct__pl_held_take(m);
        ct__pl_waiters_add(c, 1);
        CT__PL_FIRE(ct_cond, wait_begin, cid, mid);
        if (held)
                CT__PL_FIRE(ct_lock, release, mid);
        if (which == 0)
                ret = ct__pl_real.cond_wait(c, m);
        else if (which == 1)
                ret = ct__pl_real.cond_timedwait(c, m, abs);
        else
                ret = ct__pl_real.cond_clockwait(c, m, clk, abs);
        ct__pl_waiters_add(c, -1);
        /* Re-acquired (a failing wait, EPERM, returns without the mutex): an
         * acquire even if the mutex's own was not fired (taken before the
         * session, or only counted at the light level), as the runtime does,
         * so that its unlock is a release the conds analysis sees. */
        if (__atomic_load_n(&m->__data.__owner, __ATOMIC_RELAXED) == ct__pl_tid()) {
                ct__pl_held_add(m);
                CT__PL_FIRE(ct_lock, acquire, mid, 0);
        }
        CT__PL_FIRE(ct_cond, wait_end, cid, mid, ret == ETIMEDOUT);
        return ret;
}

CT__PL_API int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
        ensure();
        if (!COND_EVENTS_ON(c) || !ct__pl_traced(CT__PL_CALLER()))
                return ct__pl_real.cond_wait(c, m);
        return cond_wait(c, m, 0, 0, NULL);
}

CT__PL_API int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m,
                                      const struct timespec *abs)
{
        ensure();
        if (!COND_EVENTS_ON(c) || !ct__pl_traced(CT__PL_CALLER()))
                return ct__pl_real.cond_timedwait(c, m, abs);
        return cond_wait(c, m, 1, 0, abs);
}

CT__PL_API int pthread_cond_clockwait(pthread_cond_t *c, pthread_mutex_t *m, clockid_t clk,
                                      const struct timespec *abs)
{
        ensure();
        if (!COND_EVENTS_ON(c) || !ct__pl_traced(CT__PL_CALLER()))
                return ct__pl_real.cond_clockwait(c, m, clk, abs);
        return cond_wait(c, m, 2, clk, abs);
}

CT__PL_API int pthread_cond_signal(pthread_cond_t *c)
{
        ensure();
        if (!COND_EVENTS_ON(c) || !ct__pl_traced(CT__PL_CALLER()))
                return ct__pl_real.cond_signal(c);
        if (ct__pl_in_gil(c))
                return ct__pl_gil_cond_wake(c, 0);
        CT__PL_FIRE(ct_cond, signal, (uint64_t)(uintptr_t)c, ct__pl_waiters_get(c));
        return ct__pl_real.cond_signal(c);
}

CT__PL_API int pthread_cond_broadcast(pthread_cond_t *c)
{
        ensure();
        if (!COND_EVENTS_ON(c) || !ct__pl_traced(CT__PL_CALLER()))
                return ct__pl_real.cond_broadcast(c);
        if (ct__pl_in_gil(c))
                return ct__pl_gil_cond_wake(c, 1);
        CT__PL_FIRE(ct_cond, broadcast, (uint64_t)(uintptr_t)c, ct__pl_waiters_get(c));
        return ct__pl_real.cond_broadcast(c);
}
