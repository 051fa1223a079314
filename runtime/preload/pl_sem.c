/* SPDX-License-Identifier: MIT */
/*
 * POSIX semaphores (CPython's threading.Lock is one): sem_trywait first,
 * ct_sem:request only when the count is 0, ct_sem:acquire when decremented,
 * ct_sem:fail when a request ends without it (timeout, EINTR), ct_sem:post
 * before the post. A semaphore in shared memory used by several processes
 * has one id per mapping address (docs/preload.md).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <semaphore.h>

#include "ct_pl_internal.h"

#define CT__PL_API __attribute__((visibility("default")))

static inline void ensure(void)
{
        if (__builtin_expect(!ct__pl_real.sem_wait, 0))
                ct__pl_resolve();
}

static inline uint64_t id(const sem_t *s)
{
        return (uint64_t)(uintptr_t)s;
}

static int sem_blocking(sem_t *s, int which, clockid_t clk, const struct timespec *abs)
{
        int ret, err;

        ret = ct__pl_real.sem_trywait(s);
        if (ret == 0) {
                CT__PL_FIRE(ct_sem, acquire, id(s), 0);
                return 0;
        }
        if (errno != EAGAIN)
                return ret;
        CT__PL_FIRE(ct_sem, request, id(s));
        if (which == 0)
                ret = ct__pl_real.sem_wait(s);
        else if (which == 1)
                ret = ct__pl_real.sem_timedwait(s, abs);
        else
                ret = ct__pl_real.sem_clockwait(s, clk, abs);
        err = errno;
        if (ret == 0)
                CT__PL_FIRE(ct_sem, acquire, id(s), 1);
        else
                CT__PL_FIRE(ct_sem, fail, id(s), err);
        errno = err;
        return ret;
}

CT__PL_API int sem_wait(sem_t *s)
{
        ensure();
        if (!ct__pl_traced(CT__PL_CALLER()))
                return ct__pl_real.sem_wait(s);
        return sem_blocking(s, 0, 0, NULL);
}

CT__PL_API int sem_timedwait(sem_t *s, const struct timespec *abs)
{
        ensure();
        if (!ct__pl_traced(CT__PL_CALLER()))
                return ct__pl_real.sem_timedwait(s, abs);
        return sem_blocking(s, 1, 0, abs);
}

CT__PL_API int sem_clockwait(sem_t *s, clockid_t clk, const struct timespec *abs)
{
        ensure();
        if (!ct__pl_traced(CT__PL_CALLER()))
                return ct__pl_real.sem_clockwait(s, clk, abs);
        return sem_blocking(s, 2, clk, abs);
}

CT__PL_API int sem_trywait(sem_t *s)
{
        int ret;

        ensure();
        ret = ct__pl_real.sem_trywait(s);
        if (ret == 0 && ct__pl_traced(CT__PL_CALLER())) {
                int err = errno;

                CT__PL_FIRE(ct_sem, acquire, id(s), 0);
                errno = err;
        }
        return ret;
}

CT__PL_API int sem_post(sem_t *s)
{
        ensure();
        if (ct__pl_traced(CT__PL_CALLER())) {
                int err = errno;

                CT__PL_FIRE(ct_sem, post, id(s));
                errno = err;
        }
        return ct__pl_real.sem_post(s);
}
