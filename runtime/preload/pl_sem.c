/* SPDX-License-Identifier: MIT */
/*
 * POSIX semaphores (CPython's threading.Lock is one): sem_trywait first,
 * ct_sem:request only when the count is 0, ct_sem:acquire when decremented,
 * ct_sem:fail when a request ends without it (timeout, EINTR), ct_sem:post
 * before the post. A semaphore in shared memory used by several processes
 * has one id per mapping address (docs/preload.md).
 *
 * Ids: the sem_t's address, with the semaphore's generation in bits 48..63.
 * sem_init tags the sem_t (in its bytes glibc leaves unused: 16 of the 32 on
 * 64-bit targets) with a new generation, sem_destroy clears it, so a
 * semaphore created at the address of a freed one (CPython allocates and
 * frees a lock per Condition wait) is a new object in the sems analysis.
 * A semaphore not made by sem_init here (sem_open, or initialised before the
 * library) has generation 0: its id is its address.
 *
 * With no session (ct_sem:acquire disabled) a wait or post is one load and a
 * branch before the real function.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <semaphore.h>

#include "ct_pl_internal.h"
#include "ct_preload_api.h"

#define CT__PL_API __attribute__((visibility("default")))

#define SEM_EVENTS_ON() lttng_ust_tracepoint_enabled(ct_sem, acquire)

static inline void ensure(void)
{
        if (__builtin_expect(!ct__pl_real.sem_wait, 0))
                ct__pl_resolve();
}

#if __SIZEOF_POINTER__ == 8 && defined(__GLIBC__)
_Static_assert(sizeof(sem_t) == 32, "glibc's 64-bit sem_t");
#define TAGGED    1
#define TAG_MAGIC 0x63745346ull /* "ctSF" */
/* glibc's struct new_sem is { uint64_t data; int private; int pad; }: the
 * last 8 bytes of sem_t are never read or written by glibc. */
static inline uint64_t *tag_of(sem_t *s)
{
        return (uint64_t *)((char *)s + 24);
}
static uint32_t generation; /* atomic: the last generation given */
#else
#define TAGGED 0
#endif

static inline uint64_t id(sem_t *s)
{
        uint64_t a = (uint64_t)(uintptr_t)s;
#if TAGGED
        uint64_t t = __atomic_load_n(tag_of(s), __ATOMIC_RELAXED);

        if (t >> 32 == TAG_MAGIC)
                a |= (t & 0xffff) << 48;
#endif
        return a;
}

CT__PL_API int sem_init(sem_t *s, int pshared, unsigned int value)
{
        static int (*real_init)(sem_t *, int, unsigned int);
        int ret;

        if (__builtin_expect(!real_init, 0))
                real_init = (int (*)(sem_t *, int, unsigned int))ct__pl_sym("sem_init", NULL);
        ret = real_init(s, pshared, value);
#if TAGGED
        if (ret == 0) {
                uint32_t g;

                do /* 16 bits, never 0 */
                        g = __atomic_add_fetch(&generation, 1, __ATOMIC_RELAXED) & 0xffff;
                while (g == 0);
                __atomic_store_n(tag_of(s), TAG_MAGIC << 32 | g, __ATOMIC_RELAXED);
        }
#endif
        return ret;
}

CT__PL_API int sem_destroy(sem_t *s)
{
        static int (*real_destroy)(sem_t *);

        if (__builtin_expect(!real_destroy, 0))
                real_destroy = (int (*)(sem_t *))ct__pl_sym("sem_destroy", NULL);
#if TAGGED
        __atomic_store_n(tag_of(s), 0, __ATOMIC_RELAXED);
#endif
        return real_destroy(s);
}

CT__PL_API unsigned long long ct_preload_sem_id(void *sem)
{
        return sem ? (unsigned long long)id((sem_t *)sem) : 0;
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
        if (__builtin_expect(!SEM_EVENTS_ON(), 1) || !ct__pl_traced(CT__PL_CALLER()))
                return ct__pl_real.sem_wait(s);
        return sem_blocking(s, 0, 0, NULL);
}

CT__PL_API int sem_timedwait(sem_t *s, const struct timespec *abs)
{
        ensure();
        if (__builtin_expect(!SEM_EVENTS_ON(), 1) || !ct__pl_traced(CT__PL_CALLER()))
                return ct__pl_real.sem_timedwait(s, abs);
        return sem_blocking(s, 1, 0, abs);
}

CT__PL_API int sem_clockwait(sem_t *s, clockid_t clk, const struct timespec *abs)
{
        ensure();
        if (__builtin_expect(!SEM_EVENTS_ON(), 1) || !ct__pl_traced(CT__PL_CALLER()))
                return ct__pl_real.sem_clockwait(s, clk, abs);
        return sem_blocking(s, 2, clk, abs);
}

CT__PL_API int sem_trywait(sem_t *s)
{
        int ret;

        ensure();
        if (__builtin_expect(!SEM_EVENTS_ON(), 1))
                return ct__pl_real.sem_trywait(s);
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
        if (__builtin_expect(SEM_EVENTS_ON(), 0) && ct__pl_traced(CT__PL_CALLER())) {
                int err = errno;

                CT__PL_FIRE(ct_sem, post, id(s));
                errno = err;
        }
        return ct__pl_real.sem_post(s);
}
