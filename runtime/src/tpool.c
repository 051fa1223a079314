/* SPDX-License-Identifier: MIT */
/*
 * Thread pool: workers take tasks from a ct_queue.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conctrace/cond.h"
#include "conctrace/mutex.h"
#include "conctrace/queue.h"
#include "conctrace/run.h"
#include "conctrace/thread.h"
#include "conctrace/tpool.h"
#include "ct_internal.h"

struct ct__ttask {
        ct_task_fn fn;
        void *arg; /* weak */
        int64_t id;
};

struct ct__tworker {
        struct ct_tpool *pool; /* weak */
        int index;
        struct ct_thread thread;
        int started;
};

struct ct_tpool {
        struct ct_queue tasks;
        struct ct_mutex mu; /* protects submitted, completed */
        struct ct_cond done;
        int64_t submitted;
        int64_t completed;
        int workers;
        struct ct__tworker *w; /* owned: `workers` entries */
};

uint64_t ct_tpool_id(const struct ct_tpool *pool)
{
        return (uint64_t)(uintptr_t)pool;
}

static void *worker_main(void *p)
{
        struct ct__tworker *w = p;
        struct ct_tpool *pool = w->pool;

        for (;;) {
                struct ct__ttask *t = NULL;

                if (ct_queue_get(&pool->tasks, (void **)&t) || !t)
                        break;
                lttng_ust_tracepoint(ct_pool, task_begin, ct_tpool_id(pool), (uint64_t)t->id,
                                     w->index);
                t->fn(t->arg);
                lttng_ust_tracepoint(ct_pool, task_end, ct_tpool_id(pool), (uint64_t)t->id,
                                     w->index);
                free(t);
                ct__mutex_lock(&pool->mu);
                pool->completed++;
                if (pool->completed == pool->submitted && ct__cond_waiters(&pool->done))
                        ct_cond_broadcast(&pool->done);
                ct__mutex_unlock(&pool->mu);
        }
        return NULL;
}

static void stop_workers(struct ct_tpool *pool)
{
        for (int i = 0; i < pool->workers; i++) {
                if (pool->w[i].started)
                        ct_queue_put(&pool->tasks, NULL);
        }
        for (int i = 0; i < pool->workers; i++) {
                if (pool->w[i].started)
                        ct_thread_join(&pool->w[i].thread, NULL);
                pool->w[i].started = 0;
        }
}

int ct_tpool_create(struct ct_tpool **out, int workers, const char *name)
{
        struct ct_tpool *pool;
        char buf[256];
        int ret;

        if (workers < 1)
                return -EINVAL;
        if (!name)
                name = "tpool";
        pool = calloc(1, sizeof(*pool));
        if (!pool)
                return -ENOMEM;
        pool->workers = workers;
        pool->w = calloc((size_t)workers, sizeof(*pool->w));
        if (!pool->w) {
                ret = -ENOMEM;
                goto error_pool;
        }
        snprintf(buf, sizeof(buf), "%s.tasks", name);
        ret = ct_queue_init(&pool->tasks, 0, buf);
        if (ret)
                goto error_w;
        snprintf(buf, sizeof(buf), "%s.mutex", name);
        ret = ct_mutex_init(&pool->mu, buf);
        if (ret)
                goto error_queue;
        snprintf(buf, sizeof(buf), "%s.done", name);
        ret = ct_cond_init(&pool->done, buf);
        if (ret)
                goto error_mu;
        ct_name(ct_tpool_id(pool), CT_OBJ_POOL, name);
        lttng_ust_tracepoint(ct_pool, create, ct_tpool_id(pool), workers, CT_TP_POOL_THREAD);
        for (int i = 0; i < workers; i++) {
                char role[32];

                snprintf(role, sizeof(role), "worker-%d", i);
                pool->w[i].pool = pool;
                pool->w[i].index = i;
                ret = ct_thread_create(&pool->w[i].thread, role, worker_main, &pool->w[i]);
                if (ret)
                        goto error_threads;
                pool->w[i].started = 1;
        }
        *out = pool;
        return 0;

error_threads:
        stop_workers(pool);
        lttng_ust_tracepoint(ct_pool, destroy, ct_tpool_id(pool), workers, CT_TP_POOL_THREAD);
        ct_cond_destroy(&pool->done);
error_mu:
        ct_mutex_destroy(&pool->mu);
error_queue:
        ct_queue_destroy(&pool->tasks);
error_w:
        free(pool->w);
error_pool:
        free(pool);
        return ret;
}

int64_t ct_tpool_submit(struct ct_tpool *pool, ct_task_fn fn, void *arg)
{
        struct ct__ttask *t;
        int64_t id;
        int ret;

        if (!fn)
                return -EINVAL;
        t = malloc(sizeof(*t));
        if (!t)
                return -ENOMEM;
        ct__mutex_lock(&pool->mu);
        id = pool->submitted++;
        ct__mutex_unlock(&pool->mu);
        t->fn = fn;
        t->arg = arg;
        t->id = id;
        lttng_ust_tracepoint(ct_pool, submit, ct_tpool_id(pool), (uint64_t)id);
        ret = ct_queue_put(&pool->tasks, t);
        if (ret) {
                free(t);
                ct__mutex_lock(&pool->mu);
                pool->completed++; /* never runs: do not let ct_tpool_wait() hang */
                ct__mutex_unlock(&pool->mu);
                return ret;
        }
        return id;
}

int ct_tpool_wait(struct ct_tpool *pool)
{
        int ret = ct__mutex_lock(&pool->mu);

        if (ret)
                return ret;
        while (pool->completed < pool->submitted) {
                ret = ct_cond_wait(&pool->done, &pool->mu);
                if (ret)
                        break;
        }
        ct__mutex_unlock(&pool->mu);
        return ret;
}

int ct_tpool_destroy(struct ct_tpool *pool)
{
        int ret;

        if (!pool)
                return 0;
        ret = ct_tpool_wait(pool);
        stop_workers(pool);
        lttng_ust_tracepoint(ct_pool, destroy, ct_tpool_id(pool), pool->workers, CT_TP_POOL_THREAD);
        ct_cond_destroy(&pool->done);
        ct_mutex_destroy(&pool->mu);
        ct_queue_destroy(&pool->tasks);
        free(pool->w);
        free(pool);
        return ret;
}
