/* SPDX-License-Identifier: MIT */
/*
 * Threads with a role: thread_begin first, thread_end last.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conctrace/run.h"
#include "conctrace/thread.h"
#include "ct_internal.h"

struct ct__thread_start {
        void *(*fn)(void *arg);
        void *arg; /* weak */
        char role[CT__ROLE_MAX];
        pthread_mutex_t mu;
        pthread_cond_t cv;
        pid_t tid; /* set by the new thread before it runs fn, under mu */
};

static void *trampoline(void *p)
{
        struct ct__thread_start *s = p;
        void *(*fn)(void *arg) = s->fn;
        void *arg = s->arg;
        void *ret;

        pthread_mutex_lock(&s->mu);
        s->tid = ct_gettid();
        pthread_cond_signal(&s->cv);
        pthread_mutex_unlock(&s->mu);
        /* s stays valid until ct_thread_join(): keep using its role. */
        ct_thread_begin(s->role);
        ret = fn(arg);
        ct_thread_end();
        return ret;
}

int ct_thread_create(struct ct_thread *t, const char *role, void *(*fn)(void *arg), void *arg)
{
        struct ct__thread_start *s = calloc(1, sizeof(*s));
        int ret;

        if (!s)
                return -ENOMEM;
        s->fn = fn;
        s->arg = arg;
        strncpy(s->role, role ? role : "thread", sizeof(s->role) - 1);
        pthread_mutex_init(&s->mu, NULL);
        pthread_cond_init(&s->cv, NULL);
        ret = pthread_create(&t->handle, NULL, trampoline, s);
        if (ret)
                goto error;
        pthread_mutex_lock(&s->mu);
        while (!s->tid)
                pthread_cond_wait(&s->cv, &s->mu);
        t->tid = s->tid;
        pthread_mutex_unlock(&s->mu);
        t->start = s;
        return 0;

error:
        pthread_cond_destroy(&s->cv);
        pthread_mutex_destroy(&s->mu);
        free(s);
        return -ret;
}

int ct_thread_join(struct ct_thread *t, void **ret)
{
        int token, err;

        lttng_ust_tracepoint(ct_run, join_begin, (int64_t)t->tid, 0);
        token = ct__gil_block_begin();
        err = pthread_join(t->handle, ret);
        lttng_ust_tracepoint(ct_run, join_end, (int64_t)t->tid, 0);
        ct__gil_block_end(token);
        if (err)
                return -err;
        if (t->start) {
                pthread_cond_destroy(&t->start->cv);
                pthread_mutex_destroy(&t->start->mu);
                free(t->start);
                t->start = NULL;
        }
        return 0;
}
