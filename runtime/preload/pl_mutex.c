/* SPDX-License-Identifier: MIT */
/*
 * pthread mutexes: trylock first, ct_lock:request only when busy, as the
 * runtime does. A recursive mutex fires its acquire/release only at its
 * outermost level (glibc's owner and count fields), an error-checking one
 * nothing for the calls that fail (EDEADLK, EPERM); EOWNERDEAD is an
 * acquisition. The mutexes of CPython's GIL fire the GIL's events instead
 * (pl_gil.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>

#include "ct_pl_internal.h"

#define CT__PL_API __attribute__((visibility("default")))

static inline void ensure(void)
{
        if (__builtin_expect(!ct__pl_real.mutex_lock, 0))
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

CT__PL_API int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *attr)
{
        int ret;

        ensure();
        ret = ct__pl_real.mutex_init(m, attr);
        if (ret == 0 && ct__pl_ready && !ct__pl_self.guard)
                ct__pl_gil_mutex_init(m);
        return ret;
}

typedef int (*lock_fn)(pthread_mutex_t *m, clockid_t clk, const struct timespec *abs);

static int lock_slow(pthread_mutex_t *m, int kind, clockid_t clk, const struct timespec *abs)
{
        int ret;

        if (!plain_kind(m) && owned(m))
                goto plain; /* recursive level > 1, or EDEADLK */
        ret = ct__pl_real.mutex_trylock(m);
        if (ret == 0 || ret == EOWNERDEAD) {
                CT__PL_FIRE(ct_lock, acquire, id(m), 0);
                return ret;
        }
        if (ret != EBUSY)
                return ret;
        CT__PL_FIRE(ct_lock, request, id(m));
        if (kind == 0)
                ret = ct__pl_real.mutex_lock(m);
        else if (kind == 1)
                ret = ct__pl_real.mutex_timedlock(m, abs);
        else
                ret = ct__pl_real.mutex_clocklock(m, clk, abs);
        if (ret == 0 || ret == EOWNERDEAD)
                CT__PL_FIRE(ct_lock, acquire, id(m), 1);
        /* A timed lock that timed out leaves its request open: the analyzers
         * count the wait until this thread's next acquisition (docs/preload.md). */
        return ret;
plain:
        if (kind == 0)
                return ct__pl_real.mutex_lock(m);
        if (kind == 1)
                return ct__pl_real.mutex_timedlock(m, abs);
        return ct__pl_real.mutex_clocklock(m, clk, abs);
}

CT__PL_API int pthread_mutex_lock(pthread_mutex_t *m)
{
        ensure();
        if (!ct__pl_traced(CT__PL_CALLER()) || ct__pl_in_gil(m))
                return ct__pl_real.mutex_lock(m);
        return lock_slow(m, 0, 0, NULL);
}

CT__PL_API int pthread_mutex_timedlock(pthread_mutex_t *m, const struct timespec *abs)
{
        ensure();
        if (!ct__pl_traced(CT__PL_CALLER()) || ct__pl_in_gil(m))
                return ct__pl_real.mutex_timedlock(m, abs);
        return lock_slow(m, 1, 0, abs);
}

CT__PL_API int pthread_mutex_clocklock(pthread_mutex_t *m, clockid_t clk,
                                       const struct timespec *abs)
{
        ensure();
        if (!ct__pl_traced(CT__PL_CALLER()) || ct__pl_in_gil(m))
                return ct__pl_real.mutex_clocklock(m, clk, abs);
        return lock_slow(m, 2, clk, abs);
}

CT__PL_API int pthread_mutex_trylock(pthread_mutex_t *m)
{
        int ret;

        ensure();
        if (!ct__pl_traced(CT__PL_CALLER()) || ct__pl_in_gil(m) || (!plain_kind(m) && owned(m)))
                return ct__pl_real.mutex_trylock(m);
        ret = ct__pl_real.mutex_trylock(m);
        if (ret == 0 || ret == EOWNERDEAD)
                CT__PL_FIRE(ct_lock, acquire, id(m), 0);
        return ret;
}

CT__PL_API int pthread_mutex_unlock(pthread_mutex_t *m)
{
        ensure();
        if (!ct__pl_traced(CT__PL_CALLER()))
                return ct__pl_real.mutex_unlock(m);
        if (ct__pl_in_gil(m)) {
                ct__pl_gil_mutex_unlocking(m);
                return ct__pl_real.mutex_unlock(m);
        }
        /* Before the unlock, so that the next holder's acquire follows it.
         * Only the owner's outermost unlock releases (recursive mutexes count
         * their levels in __count; a failing unlock, EPERM, is no release). */
        if (owned(m) &&
            ((m->__data.__kind & 3) != PTHREAD_MUTEX_RECURSIVE_NP || m->__data.__count <= 1))
                CT__PL_FIRE(ct_lock, release, id(m));
        return ct__pl_real.mutex_unlock(m);
}
