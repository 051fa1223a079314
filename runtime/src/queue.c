/* SPDX-License-Identifier: MIT */
/*
 * Blocking FIFO queue of pointers (Python's queue.Queue): a mutex, not_empty
 * and not_full condvars, a ring buffer.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "conctrace/queue.h"
#include "conctrace/run.h"
#include "ct_internal.h"

int ct_queue_init(struct ct_queue *q, size_t capacity, const char *name)
{
        char buf[256];
        int ret;

        if (!name)
                name = "queue";
        q->capacity = capacity;
        q->cap = capacity ? capacity : 16;
        q->head = 0;
        q->count = 0;
        q->items = calloc(q->cap, sizeof(*q->items));
        if (!q->items)
                return -ENOMEM;
        snprintf(buf, sizeof(buf), "%s.mutex", name);
        ret = ct_mutex_init(&q->mutex, buf);
        if (ret)
                goto error_items;
        snprintf(buf, sizeof(buf), "%s.not_empty", name);
        ret = ct_cond_init(&q->not_empty, buf);
        if (ret)
                goto error_mutex;
        snprintf(buf, sizeof(buf), "%s.not_full", name);
        ret = ct_cond_init(&q->not_full, buf);
        if (ret)
                goto error_not_empty;
        ct_name(ct_queue_id(q), CT_OBJ_QUEUE, name);
        return 0;

error_not_empty:
        ct_cond_destroy(&q->not_empty);
error_mutex:
        ct_mutex_destroy(&q->mutex);
error_items:
        free(q->items);
        q->items = NULL;
        return ret;
}

void ct_queue_destroy(struct ct_queue *q)
{
        ct_cond_destroy(&q->not_full);
        ct_cond_destroy(&q->not_empty);
        ct_mutex_destroy(&q->mutex);
        free(q->items);
        q->items = NULL;
}

static __attribute__((noinline)) int grow(struct ct_queue *q)
{
        size_t ncap = q->cap * 2;
        void **n = calloc(ncap, sizeof(*n));

        if (!n)
                return -ENOMEM;
        for (size_t i = 0; i < q->count; i++)
                n[i] = q->items[(q->head + i) % q->cap];
        free(q->items);
        q->items = n;
        q->cap = ncap;
        q->head = 0;
        return 0;
}

/* Slot `i` items after the head: head + i < 2 cap, so no division. */
static inline size_t ring_index(const struct ct_queue *q, size_t i)
{
        size_t j = q->head + i;

        return j >= q->cap ? j - q->cap : j;
}

static void deadline_after(struct timespec *ts, int64_t us)
{
        clock_gettime(CLOCK_MONOTONIC, ts);
        ts->tv_sec += (time_t)(us / 1000000);
        ts->tv_nsec += (long)(us % 1000000) * 1000;
        if (ts->tv_nsec >= 1000000000L) {
                ts->tv_sec++;
                ts->tv_nsec -= 1000000000L;
        }
}

/*
 * Waits on `cond` (mutex held) while `full_or_empty` holds: timeout_us < 0
 * forever, 0 not at all (-EAGAIN), else until `deadline`. Out of line: the
 * common put/get never waits.
 */
static __attribute__((noinline)) int queue_wait(struct ct_queue *q, struct ct_cond *cond, int put,
                                                int64_t timeout_us, const struct timespec *deadline)
{
        int ret;

        while (put ? (q->capacity && q->count >= q->capacity) : q->count == 0) {
                if (timeout_us == 0)
                        return -EAGAIN;
                ret = timeout_us < 0 ? ct_cond_wait(cond, &q->mutex)
                                     : ct_cond_timedwait_abs(cond, &q->mutex, deadline);
                if (ret)
                        return ret;
        }
        return 0;
}

/* timeout_us < 0: wait forever. */
static inline __attribute__((always_inline)) int queue_put(struct ct_queue *q, void *item,
                                                           int64_t timeout_us)
{
        struct timespec deadline;
        int ret;

        if (timeout_us > 0)
                deadline_after(&deadline, timeout_us);
        ret = ct__mutex_lock(&q->mutex);
        if (ret)
                return ret;
        if (__builtin_expect(q->capacity && q->count >= q->capacity, 0)) {
                ret = queue_wait(q, &q->not_full, 1, timeout_us, &deadline);
                if (ret)
                        goto end;
        }
        if (__builtin_expect(q->count == q->cap, 0)) {
                ret = grow(q);
                if (ret)
                        goto end;
        }
        q->items[ring_index(q, q->count)] = item;
        q->count++;
        lttng_ust_tracepoint(ct_queue, put, ct_queue_id(q), (int64_t)q->count);
        /* Notify only a real waiter: keeps lost-notification counts meaningful. */
        if (ct__cond_waiters(&q->not_empty))
                ct_cond_signal(&q->not_empty);
end:
        ct__mutex_unlock(&q->mutex);
        return ret;
}

static inline __attribute__((always_inline)) int queue_get(struct ct_queue *q, void **item,
                                                           int64_t timeout_us)
{
        struct timespec deadline;
        int ret;

        if (timeout_us > 0)
                deadline_after(&deadline, timeout_us);
        ret = ct__mutex_lock(&q->mutex);
        if (ret)
                return ret;
        if (__builtin_expect(q->count == 0, 0)) {
                ret = queue_wait(q, &q->not_empty, 0, timeout_us, &deadline);
                if (ret)
                        goto end;
        }
        *item = q->items[q->head];
        q->head = ring_index(q, 1);
        q->count--;
        lttng_ust_tracepoint(ct_queue, get, ct_queue_id(q), (int64_t)q->count);
        if (ct__cond_waiters(&q->not_full))
                ct_cond_signal(&q->not_full);
end:
        ct__mutex_unlock(&q->mutex);
        return ret;
}

int ct_queue_put(struct ct_queue *q, void *item)
{
        return queue_put(q, item, -1);
}

int ct_queue_get(struct ct_queue *q, void **item)
{
        return queue_get(q, item, -1);
}

int ct_queue_put_timed(struct ct_queue *q, void *item, int64_t timeout_us)
{
        return queue_put(q, item, timeout_us < 0 ? 0 : timeout_us);
}

int ct_queue_get_timed(struct ct_queue *q, void **item, int64_t timeout_us)
{
        return queue_get(q, item, timeout_us < 0 ? 0 : timeout_us);
}

size_t ct_queue_depth(struct ct_queue *q)
{
        size_t n;

        ct__mutex_lock(&q->mutex);
        n = q->count;
        ct__mutex_unlock(&q->mutex);
        return n;
}
