/* SPDX-License-Identifier: MIT */
/*
 * pthread mutexes: trylock first, ct_lock:request only when busy, as the
 * runtime does. A recursive mutex fires its acquire/release only at its
 * outermost level (glibc's owner and count fields), an error-checking one
 * nothing for the calls that fail (EDEADLK, EPERM); EOWNERDEAD is an
 * acquisition. The mutexes of CPython's GIL fire the GIL's events instead
 * (pl_gil.c).
 *
 * With no session (ct_lock:acquire disabled) a call is one load and a branch
 * before the real function: nothing is kept. While a session records, the
 * thread keeps the mutexes whose acquire it fired (ct__pl_held_*), and an
 * unlock fires ct_lock:release only for those: a mutex taken before the
 * session started is released silently, never as a release without its
 * acquire. At the light level (CT_RECORD_LEVEL=light) uncontended
 * acquisitions are counted per thread and fired as ct_lock:summary, their
 * releases not at all, as the runtime does (docs/runtime.md).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "ct_pl_internal.h"

#define CT__PL_API __attribute__((visibility("default")))

/* The session's ct_lock events are on (the recorder enables ct_* at once). */
#define LOCK_EVENTS_ON() lttng_ust_tracepoint_enabled(ct_lock, acquire)

static inline void ensure(void)
{
        if (__builtin_expect(!ct__pl_real.mutex_timedlock, 0))
                ct__pl_resolve();
}

static inline uint64_t id(const pthread_mutex_t *m)
{
        return (uint64_t)(uintptr_t)m;
}

/* This thread owns m already (a recursive re-lock or an error). */
static inline int owned(const pthread_mutex_t *m)
{
        return __atomic_load_n(&m->__data.__owner, __ATOMIC_RELAXED) == ct__pl_tid();
}

/* A default (PTHREAD_MUTEX_NORMAL) mutex: no levels, no error checks. */
static inline int plain_kind(const pthread_mutex_t *m)
{
        return (__atomic_load_n(&m->__data.__kind, __ATOMIC_RELAXED) & 0x7f) == 0;
}

/* ------------------------------------------------------- light level */

#define SUMMARY_FLUSH 4096

static void summary_fire(int i)
{
        struct ct__pl_thread *s = &ct__pl_self;

        if (s->sums[i].count)
                CT__PL_FIRE(ct_lock, summary, s->sums[i].lock, s->sums[i].count);
        s->sums[i].count = 0;
}

void ct__pl_summary_count(uint64_t lock)
{
        struct ct__pl_thread *s = &ct__pl_self;
        size_t h = (size_t)((lock >> 4) * 0x9E3779B97F4A7C15ull >> 59) % CT__PL_SUMS;
        size_t i = h;

        for (size_t n = 0; n < CT__PL_SUMS; n++, i = (i + 1) % CT__PL_SUMS) {
                if (s->sums[i].lock == lock || s->sums[i].lock == 0)
                        goto found;
        }
        i = h; /* full: flush the home slot and reuse it */
        summary_fire((int)i);
found:
        s->sums[i].lock = lock;
        if (++s->sums[i].count >= SUMMARY_FLUSH)
                summary_fire((int)i);
}

void ct__pl_summaries_flush(void)
{
        for (int i = 0; i < CT__PL_SUMS; i++) {
                if (ct__pl_self.sums[i].lock)
                        summary_fire(i);
        }
}

void ct__pl_summaries_reset(void)
{
        memset(ct__pl_self.sums, 0, sizeof(ct__pl_self.sums));
}

/* ------------------------------------------------------------ wrappers */

/* m was just acquired by this thread (contended: after a request). */
static void acquired(pthread_mutex_t *m, int contended)
{
        if (!contended && ct__pl_light) {
                ct__pl_summary_count(id(m));
                return;
        }
        ct__pl_held_add(m);
        CT__PL_FIRE(ct_lock, acquire, id(m), contended);
}

CT__PL_API int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *attr)
{
        int ret;

        ret = ct__pl_real.mutex_init(m, attr);
        if (ret == 0 && ct__pl_ready && !ct__pl_self.guard)
                ct__pl_gil_mutex_init(m);
        return ret;
}

static int real_lock(pthread_mutex_t *m, int kind, clockid_t clk, const struct timespec *abs)
{
        if (kind == 0)
                return ct__pl_real.mutex_lock(m);
        if (kind == 1)
                return ct__pl_real.mutex_timedlock(m, abs);
        return ct__pl_real.mutex_clocklock(m, clk, abs);
}

static __attribute__((noinline)) int lock_slow(pthread_mutex_t *m, int kind, clockid_t clk,
                                               const struct timespec *abs, const void *ra)
{
        int ret;

        if (!ct__pl_traced(ra) || ct__pl_in_gil(m) || (!plain_kind(m) && owned(m)))
                return real_lock(m, kind, clk, abs); /* recursive level > 1, or EDEADLK */
        ret = ct__pl_real.mutex_trylock(m);
        if (ret == 0 || ret == EOWNERDEAD) {
                acquired(m, 0);
                return ret;
        }
        if (ret != EBUSY)
                return ret;
        CT__PL_FIRE(ct_lock, request, id(m));
        ret = real_lock(m, kind, clk, abs);
        if (ret == 0 || ret == EOWNERDEAD)
                acquired(m, 1);
        /* A timed lock that timed out leaves its request open: the analyzers
         * count the wait until this thread's next acquisition (docs/preload.md). */
        return ret;
}

CT__PL_API int pthread_mutex_lock(pthread_mutex_t *m)
{
        if (__builtin_expect(!LOCK_EVENTS_ON(), 1))
                return ct__pl_real.mutex_lock(m);
        return lock_slow(m, 0, 0, NULL, CT__PL_CALLER());
}

CT__PL_API int pthread_mutex_timedlock(pthread_mutex_t *m, const struct timespec *abs)
{
        ensure();
        if (__builtin_expect(!LOCK_EVENTS_ON(), 1))
                return ct__pl_real.mutex_timedlock(m, abs);
        return lock_slow(m, 1, 0, abs, CT__PL_CALLER());
}

CT__PL_API int pthread_mutex_clocklock(pthread_mutex_t *m, clockid_t clk,
                                       const struct timespec *abs)
{
        ensure();
        if (__builtin_expect(!LOCK_EVENTS_ON(), 1))
                return ct__pl_real.mutex_clocklock(m, clk, abs);
        return lock_slow(m, 2, clk, abs, CT__PL_CALLER());
}

static __attribute__((noinline)) int trylock_slow(pthread_mutex_t *m, const void *ra)
{
        int ret;

        if (!ct__pl_traced(ra) || ct__pl_in_gil(m) || (!plain_kind(m) && owned(m)))
                return ct__pl_real.mutex_trylock(m);
        ret = ct__pl_real.mutex_trylock(m);
        if (ret == 0 || ret == EOWNERDEAD)
                acquired(m, 0);
        return ret;
}

CT__PL_API int pthread_mutex_trylock(pthread_mutex_t *m)
{
        if (__builtin_expect(!LOCK_EVENTS_ON(), 1))
                return ct__pl_real.mutex_trylock(m);
        return trylock_slow(m, CT__PL_CALLER());
}

static __attribute__((noinline)) int unlock_slow(pthread_mutex_t *m, const void *ra)
{
        if (!ct__pl_traced(ra))
                return ct__pl_real.mutex_unlock(m);
        if (ct__pl_in_gil(m)) {
                ct__pl_gil_mutex_unlocking(m);
                return ct__pl_real.mutex_unlock(m);
        }
        /* Before the unlock, so that the next holder's acquire follows it.
         * Only the outermost unlock of a recursive mutex releases (levels in
         * __count); a failing unlock (EPERM) is not in the held set. */
        if (((m->__data.__kind & 3) != PTHREAD_MUTEX_RECURSIVE_NP || m->__data.__count <= 1) &&
            ct__pl_held_take(m))
                CT__PL_FIRE(ct_lock, release, id(m));
        return ct__pl_real.mutex_unlock(m);
}

CT__PL_API int pthread_mutex_unlock(pthread_mutex_t *m)
{
        /* The GIL's holder is followed with or without a session (pl_gil.c). */
        if (__builtin_expect(!LOCK_EVENTS_ON() && !ct__pl_in_gil(m), 1))
                return ct__pl_real.mutex_unlock(m);
        return unlock_slow(m, CT__PL_CALLER());
}
