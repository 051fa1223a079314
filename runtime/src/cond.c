/* SPDX-License-Identifier: MIT */
/*
 * Instrumented condition variable counting its waiters.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <time.h>

#include "conctrace/cond.h"
#include "conctrace/run.h"
#include "ct_internal.h"

int ct_cond_init(struct ct_cond *c, const char *name)
{
        pthread_condattr_t attr;
        int ret = pthread_condattr_init(&attr);

        if (ret)
                return -ret;
        ret = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
        if (ret)
                goto end;
        ret = pthread_cond_init(&c->cv, &attr);
        if (ret)
                goto end;
        c->waiters = 0;
        ct_name(ct_cond_id(c), CT_OBJ_COND, name);
end:
        pthread_condattr_destroy(&attr);
        return -ret;
}

int ct_cond_destroy(struct ct_cond *c)
{
        return -pthread_cond_destroy(&c->cv);
}

static int cond_wait(struct ct_cond *c, struct ct_mutex *m, const struct timespec *deadline)
{
        uint64_t cid = ct_cond_id(c), mid = ct_mutex_id(m);
        int token, ret;

        __atomic_add_fetch(&c->waiters, 1, __ATOMIC_RELAXED);
        lttng_ust_tracepoint(ct_cond, wait_begin, cid, mid);
        if (m->traced)
                lttng_ust_tracepoint(ct_lock, release, mid);
        token = ct__gil_block_begin();
        if (deadline)
                ret = pthread_cond_timedwait(&c->cv, &m->mu, deadline);
        else
                ret = pthread_cond_wait(&c->cv, &m->mu);
        __atomic_sub_fetch(&c->waiters, 1, __ATOMIC_RELAXED);
        m->traced = 1;
        lttng_ust_tracepoint(ct_lock, acquire, mid, 0);
        lttng_ust_tracepoint(ct_cond, wait_end, cid, mid, ret == ETIMEDOUT);
        ct__gil_block_end(token);
        return -ret;
}

int ct_cond_wait(struct ct_cond *c, struct ct_mutex *m)
{
        return cond_wait(c, m, NULL);
}

int ct_cond_timedwait_abs(struct ct_cond *c, struct ct_mutex *m, const struct timespec *deadline)
{
        return cond_wait(c, m, deadline);
}

int ct_cond_timedwait(struct ct_cond *c, struct ct_mutex *m, int64_t timeout_us)
{
        struct timespec ts;

        if (timeout_us < 0)
                return cond_wait(c, m, NULL);
        clock_gettime(CLOCK_MONOTONIC, &ts);
        ts.tv_sec += (time_t)(timeout_us / 1000000);
        ts.tv_nsec += (long)(timeout_us % 1000000) * 1000;
        if (ts.tv_nsec >= 1000000000L) {
                ts.tv_sec++;
                ts.tv_nsec -= 1000000000L;
        }
        return cond_wait(c, m, &ts);
}

int ct_cond_signal(struct ct_cond *c)
{
        lttng_ust_tracepoint(ct_cond, signal, ct_cond_id(c),
                             __atomic_load_n(&c->waiters, __ATOMIC_RELAXED));
        return -pthread_cond_signal(&c->cv);
}

int ct_cond_broadcast(struct ct_cond *c)
{
        lttng_ust_tracepoint(ct_cond, broadcast, ct_cond_id(c),
                             __atomic_load_n(&c->waiters, __ATOMIC_RELAXED));
        return -pthread_cond_broadcast(&c->cv);
}

int ct_cond_waiters(struct ct_cond *c)
{
        return ct__cond_waiters(c);
}
