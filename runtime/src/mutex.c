/* SPDX-License-Identifier: MIT */
/*
 * Instrumented mutex: trylock first, ct_lock:request only when it must block.
 */
#define _GNU_SOURCE
#include <errno.h>

#include "conctrace/mutex.h"
#include "conctrace/run.h"
#include "ct_internal.h"

int ct_mutex_init(struct ct_mutex *m, const char *name)
{
        int ret = pthread_mutex_init(&m->mu, NULL);

        if (ret)
                return -ret;
        m->traced = 0;
        ct_name(ct_mutex_id(m), CT_OBJ_LOCK, name);
        return 0;
}

int ct_mutex_destroy(struct ct_mutex *m)
{
        return -pthread_mutex_destroy(&m->mu);
}

int ct__mutex_lock_slow(struct ct_mutex *m, int busy)
{
        int ret, token;

        if (busy != EBUSY)
                return -busy;
        lttng_ust_tracepoint(ct_lock, request, ct_mutex_id(m));
        token = ct__gil_block_begin();
        ret = pthread_mutex_lock(&m->mu);
        if (ret == 0) {
                m->traced = 1;
                lttng_ust_tracepoint(ct_lock, acquire, ct_mutex_id(m), 1);
        }
        /* After the mutex, as CPython does: a GIL holder that blocks on this
         * mutex has dropped the GIL, so this cannot deadlock. */
        ct__gil_block_end(token);
        return -ret;
}

int ct_mutex_lock(struct ct_mutex *m)
{
        return ct__mutex_lock(m);
}

int ct_mutex_trylock(struct ct_mutex *m)
{
        int ret = pthread_mutex_trylock(&m->mu);

        if (ret)
                return -ret;
        ct__mutex_fast_acquired(m);
        return 0;
}

int ct_mutex_unlock(struct ct_mutex *m)
{
        return ct__mutex_unlock(m);
}
