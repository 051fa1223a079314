/* SPDX-License-Identifier: MIT */
/*
 * Threads: pthread_create (thread_begin/thread_end around the start routine;
 * role = the thread's name: its inherited name plus a creation number until
 * it names itself with pthread_setname_np or prctl(PR_SET_NAME), which
 * renames it), pthread_join as ct_run:join_*, pthread_exit. Threads created
 * by lttng-ust (or before initialisation) are marked quiet: nothing they do
 * is traced.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include "ct_pl_internal.h"

#define CT__PL_API __attribute__((visibility("default")))

#define REAL(type, name, args)                                                                     \
        static type(*real_##name) args;                                                            \
        static inline type(*get_##name(void)) args                                                 \
        {                                                                                          \
                if (__builtin_expect(!real_##name, 0))                                             \
                        real_##name = ct__pl_sym(#name, NULL);                                     \
                return real_##name;                                                                \
        }

REAL(int, pthread_create, (pthread_t *, const pthread_attr_t *, void *(*)(void *), void *))
REAL(int, pthread_join, (pthread_t, void **))
REAL(int, pthread_setname_np, (pthread_t, const char *))
REAL(int, prctl, (int, unsigned long, unsigned long, unsigned long, unsigned long))

/* pthread_t -> tid, for pthread_join's target. */
#define TIDS 4096
static struct {
        uintptr_t key; /* atomic */
        pid_t tid;     /* atomic */
} tids[TIDS];
static int created; /* atomic: threads created by the program */

static size_t tid_hash(uintptr_t k)
{
        return (size_t)((k >> 8) * 0x9E3779B97F4A7C15ull) & (TIDS - 1);
}

static void tid_put(pthread_t t, pid_t tid)
{
        uintptr_t k = (uintptr_t)t;
        size_t i = tid_hash(k);

        for (size_t n = 0; n < TIDS; n++, i = (i + 1) & (TIDS - 1)) {
                uintptr_t cur = __atomic_load_n(&tids[i].key, __ATOMIC_ACQUIRE);

                if (cur == k ||
                    (cur == 0 && (__atomic_compare_exchange_n(&tids[i].key, &cur, k, 0,
                                                              __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE) ||
                                  cur == k))) {
                        __atomic_store_n(&tids[i].tid, tid, __ATOMIC_RELEASE);
                        return;
                }
        }
}

static pid_t tid_get(pthread_t t)
{
        uintptr_t k = (uintptr_t)t;
        size_t i = tid_hash(k);

        for (size_t n = 0; n < TIDS; n++, i = (i + 1) & (TIDS - 1)) {
                uintptr_t cur = __atomic_load_n(&tids[i].key, __ATOMIC_ACQUIRE);

                if (cur == k)
                        return __atomic_load_n(&tids[i].tid, __ATOMIC_ACQUIRE);
                if (cur == 0)
                        return 0;
        }
        return 0;
}

void ct__pl_thread_after_fork_child(void)
{
        /* Only the forking thread exists in the child. */
        memset(tids, 0, sizeof(tids));
        /* The parent fires the counts made before the fork. */
        ct__pl_summaries_reset();
}

struct start {
        void *(*fn)(void *);
        void *arg;
        int quiet;
        int num;
};

static void thread_end(void)
{
        if (ct__pl_self.quiet || ct__pl_self.begun != 1)
                return;
        ct__pl_summaries_flush();
        CT__PL_FIRE(ct_run, thread_end, ct__pl_self.role);
        ct__pl_self.begun = 2; /* ended */
}

static void *start_routine(void *p)
{
        struct start s = *(struct start *)p;
        char role[48], comm[32];
        void *ret;

        free(p);
        ct__pl_self.quiet = s.quiet;
        ct__pl_self.tid = 0;
        ct__pl_self.role[0] = 0;
        if (!s.quiet) {
                tid_put(pthread_self(), ct__pl_tid());
                ct__pl_default_role(comm, sizeof(comm));
                snprintf(role, sizeof(role), "%s-%d", comm, s.num);
                ct__pl_thread_begin(role);
        }
        ret = s.fn(s.arg);
        thread_end();
        return ret;
}

CT__PL_API int pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*fn)(void *),
                              void *arg)
{
        struct start *s;
        int ret;

        if (__builtin_expect(!get_pthread_create(), 0))
                return EAGAIN;
        s = malloc(sizeof(*s));
        if (!s)
                return real_pthread_create(t, attr, fn, arg);
        s->fn = fn;
        s->arg = arg;
        s->quiet = !ct__pl_traced(CT__PL_CALLER()) || ct__pl_runtime_present;
        s->num = s->quiet ? 0 : __atomic_add_fetch(&created, 1, __ATOMIC_RELAXED);
        ret = real_pthread_create(t, attr, start_routine, s);
        if (ret)
                free(s);
        return ret;
}

CT__PL_API int pthread_join(pthread_t t, void **retval)
{
        int64_t target;
        int ret;

        if (__builtin_expect(!get_pthread_join(), 0))
                return EINVAL;
        if (!ct__pl_traced(CT__PL_CALLER()))
                return real_pthread_join(t, retval);
        /* glibc's tid field (cleared once the thread has exited), else the table. */
        target = ct__pl_tid_offset >= 0 ? *(const pid_t *)((const char *)t + ct__pl_tid_offset) : 0;
        if (!target)
                target = tid_get(t);
        CT__PL_FIRE(ct_run, join_begin, target, 0);
        ret = real_pthread_join(t, retval);
        CT__PL_FIRE(ct_run, join_end, target, ret);
        return ret;
}

CT__PL_API void pthread_exit(void *retval)
{
        static void (*real_exit)(void *);

        if (!real_exit)
                real_exit = (void (*)(void *))ct__pl_sym("pthread_exit", NULL);
        if (ct__pl_ready && !ct__pl_self.guard)
                thread_end();
        real_exit(retval);
        __builtin_unreachable();
}

CT__PL_API int pthread_setname_np(pthread_t t, const char *name)
{
        int ret;

        if (__builtin_expect(!get_pthread_setname_np(), 0))
                return EINVAL;
        ret = real_pthread_setname_np(t, name);
        /* The event names the calling thread: only a thread naming itself. */
        if (ret == 0 && pthread_equal(t, pthread_self()) && ct__pl_traced(CT__PL_CALLER()))
                ct__pl_thread_begin(name);
        return ret;
}

CT__PL_API int prctl(int option, ...)
{
        unsigned long a[4];
        va_list ap;
        int ret;

        va_start(ap, option);
        for (int i = 0; i < 4; i++)
                a[i] = va_arg(ap, unsigned long);
        va_end(ap);
        if (__builtin_expect(!get_prctl(), 0)) {
                errno = ENOSYS;
                return -1;
        }
        ret = real_prctl(option, a[0], a[1], a[2], a[3]);
        if (ret == 0 && option == PR_SET_NAME && ct__pl_traced(CT__PL_CALLER())) {
                char name[17];

                snprintf(name, sizeof(name), "%s", (const char *)a[0]);
                ct__pl_thread_begin(name);
        }
        return ret;
}
