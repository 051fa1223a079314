/* SPDX-License-Identifier: MIT */
/*
 * The GIL model: a CPython-like global interpreter lock (the "new GIL" of
 * CPython 3.2+, with forced switching). Traced as a lock named "GIL" whose
 * waits are condvar waits on "GIL.cond".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "conctrace/gil.h"
#include "conctrace/run.h"
#include "ct_internal.h"

int ct__gil_on;

static struct {
        pthread_mutex_t mu;       /* protects the fields below */
        pthread_cond_t cv;        /* takers wait here ("GIL.cond") */
        pthread_cond_t switch_cv; /* a forced dropper waits for a taker */
        int locked;               /* someone holds the GIL */
        int waiting;              /* threads waiting to take it */
        uint64_t switch_number;   /* incremented at every take */
        int drop_request;         /* atomic: a waiter asks the holder to yield */
        uint64_t interval_us;     /* atomic: switch interval */
        int named;                /* names fired */
} gil = {
    .mu = PTHREAD_MUTEX_INITIALIZER,
    .interval_us = CT_GIL_DEFAULT_SWITCH_US,
};

static __thread int held;

uint64_t ct_gil_lock_id(void)
{
        return (uint64_t)(uintptr_t)&gil;
}

uint64_t ct_gil_cond_id(void)
{
        return (uint64_t)(uintptr_t)&gil.cv;
}

static int init_conds(void)
{
        pthread_condattr_t attr;
        int ret = pthread_condattr_init(&attr);

        if (ret)
                return -ret;
        ret = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
        if (!ret)
                ret = pthread_cond_init(&gil.cv, &attr);
        if (!ret)
                ret = pthread_cond_init(&gil.switch_cv, &attr);
        pthread_condattr_destroy(&attr);
        return -ret;
}

void ct__gil_take(void)
{
        int contended = 0;

        pthread_mutex_lock(&gil.mu);
        if (gil.locked) {
                uint64_t interval = __atomic_load_n(&gil.interval_us, __ATOMIC_RELAXED);

                contended = 1;
                lttng_ust_tracepoint(ct_lock, request, ct_gil_lock_id());
                gil.waiting++;
                while (gil.locked) {
                        uint64_t saved = gil.switch_number;
                        struct timespec ts;
                        int ret;

                        clock_gettime(CLOCK_MONOTONIC, &ts);
                        ts.tv_sec += (time_t)(interval / 1000000);
                        ts.tv_nsec += (long)(interval % 1000000) * 1000;
                        if (ts.tv_nsec >= 1000000000L) {
                                ts.tv_sec++;
                                ts.tv_nsec -= 1000000000L;
                        }
                        lttng_ust_tracepoint(ct_cond, wait_begin, ct_gil_cond_id(),
                                             ct_gil_lock_id());
                        ret = pthread_cond_timedwait(&gil.cv, &gil.mu, &ts);
                        lttng_ust_tracepoint(ct_cond, wait_end, ct_gil_cond_id(), ct_gil_lock_id(),
                                             ret == ETIMEDOUT);
                        /* A whole interval without a switch: ask the holder to yield. */
                        if (ret == ETIMEDOUT && gil.locked && gil.switch_number == saved)
                                __atomic_store_n(&gil.drop_request, 1, __ATOMIC_RELAXED);
                }
                gil.waiting--;
        }
        gil.locked = 1;
        gil.switch_number++;
        held = 1;
        __atomic_store_n(&gil.drop_request, 0, __ATOMIC_RELAXED);
        /* Wake a holder waiting in a forced switch. */
        pthread_cond_signal(&gil.switch_cv);
        lttng_ust_tracepoint(ct_lock, acquire, ct_gil_lock_id(), contended);
        pthread_mutex_unlock(&gil.mu);
}

static void gil_drop(int forced)
{
        pthread_mutex_lock(&gil.mu);
        if (!held || !gil.locked)
                abort(); /* dropping a GIL this thread does not hold */
        lttng_ust_tracepoint(ct_lock, release, ct_gil_lock_id());
        gil.locked = 0;
        held = 0;
        if (gil.waiting) {
                lttng_ust_tracepoint(ct_cond, signal, ct_gil_cond_id(), gil.waiting);
                pthread_cond_signal(&gil.cv);
                if (forced) {
                        /* Forced switching: do not take it back before another
                         * thread has had it. */
                        uint64_t saved = gil.switch_number;

                        while (gil.switch_number == saved)
                                pthread_cond_wait(&gil.switch_cv, &gil.mu);
                }
        }
        pthread_mutex_unlock(&gil.mu);
}

int ct__gil_thread_held(void)
{
        return held;
}

int ct__gil_block_begin_slow(void)
{
        if (!held)
                return 0;
        gil_drop(0);
        return 1;
}

void ct__gil_thread_exit(void)
{
        if (held)
                gil_drop(0);
}

void ct_gil_check(void)
{
        if (held && __atomic_load_n(&gil.drop_request, __ATOMIC_RELAXED)) {
                gil_drop(1);
                ct__gil_take();
        }
}

int ct_gil_release(void)
{
        return ct__gil_block_begin();
}

void ct_gil_restore(int token)
{
        ct__gil_block_end(token);
}

int ct_gil_held(void)
{
        return held;
}

int ct_gil_enabled(void)
{
        return ct__gil_is_on();
}

uint64_t ct_gil_switch_interval_us(void)
{
        return __atomic_load_n(&gil.interval_us, __ATOMIC_RELAXED);
}

static uint64_t env_interval(void)
{
        const char *s = getenv("CT_GIL_SWITCH_US");
        char *end;
        unsigned long long v;

        if (!s || !*s)
                return CT_GIL_DEFAULT_SWITCH_US;
        errno = 0;
        v = strtoull(s, &end, 10);
        if (errno || *end || v == 0)
                return CT_GIL_DEFAULT_SWITCH_US;
        return v;
}

static int gil_turn_on(uint64_t interval_us)
{
        int ret;

        if (ct__gil_is_on()) {
                __atomic_store_n(&gil.interval_us, interval_us, __ATOMIC_RELAXED);
                return 0;
        }
        ret = init_conds();
        if (ret)
                return ret;
        __atomic_store_n(&gil.interval_us, interval_us, __ATOMIC_RELAXED);
        if (!gil.named) {
                gil.named = 1;
                ct_name(ct_gil_lock_id(), CT_OBJ_LOCK, "GIL");
                ct_name(ct_gil_cond_id(), CT_OBJ_COND, "GIL.cond");
        }
        __atomic_store_n(&ct__gil_on, 1, __ATOMIC_RELEASE);
        return 0;
}

int ct_gil_enable(uint64_t switch_interval_us)
{
        int ret = gil_turn_on(switch_interval_us ? switch_interval_us : env_interval());

        if (ret)
                return ret;
        if (!held)
                ct__gil_take();
        return 0;
}

void ct__gil_init_from_env(void)
{
        const char *s = getenv("CT_GIL");

        if (!s || !*s || (s[0] == '0' && s[1] == '\0'))
                return;
        /* The main thread takes the GIL at ct_thread_begin() or its first compute. */
        (void)gil_turn_on(env_interval());
}

void ct__gil_after_fork_child(void)
{
        int was_held = held;

        if (!ct__gil_is_on())
                return;
        /* Only the forking thread exists now: rebuild the GIL around it. */
        pthread_mutex_init(&gil.mu, NULL);
        (void)init_conds();
        gil.waiting = 0;
        gil.locked = was_held;
        __atomic_store_n(&gil.drop_request, 0, __ATOMIC_RELAXED);
}
