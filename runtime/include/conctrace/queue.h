/* SPDX-License-Identifier: MIT */
/*
 * conctrace runtime: a blocking FIFO queue of pointers, like Python's
 * queue.Queue: one ct_mutex and two condvars (not_empty, not_full) around a
 * ring buffer. Every put and get fires ct_queue:put/get(queue, depth after the
 * operation) besides the lock and cond events of its mutex and condvars.
 */
#ifndef CONCTRACE_QUEUE_H
#define CONCTRACE_QUEUE_H

#include <stddef.h>
#include <stdint.h>

#include "conctrace/cond.h"
#include "conctrace/mutex.h"

#ifdef __cplusplus
extern "C" {
#endif

struct ct_queue {
        struct ct_mutex mutex;
        struct ct_cond not_empty;
        struct ct_cond not_full;
        void **items;    /* owned: ring of `cap` slots */
        size_t cap;      /* slots allocated */
        size_t capacity; /* maximum items, 0 = unbounded */
        size_t head;     /* index of the oldest item */
        size_t count;    /* items in the queue */
};

#define ct_queue_id(q) ((uint64_t)(uintptr_t)(q))

/*
 * Initializes q for at most `capacity` items (0 = unbounded) and names
 * NAME (kind queue), NAME.mutex, NAME.not_empty and NAME.not_full (NULL name:
 * "queue"). Returns 0 or a negative errno.
 */
int ct_queue_init(struct ct_queue *q, size_t capacity, const char *name);

/* Frees q's storage (the items themselves are the caller's). */
void ct_queue_destroy(struct ct_queue *q);

/* Appends item, blocking while the queue is full. Returns 0 or a negative errno. */
int ct_queue_put(struct ct_queue *q, void *item);

/* Removes the oldest item into *item, blocking while the queue is empty.
 * Returns 0 or a negative errno. */
int ct_queue_get(struct ct_queue *q, void **item);

/* Like put/get but waiting at most timeout_us: -ETIMEDOUT when it expires
 * (timeout_us = 0: never wait, -EAGAIN if it would block). */
int ct_queue_put_timed(struct ct_queue *q, void *item, int64_t timeout_us);
int ct_queue_get_timed(struct ct_queue *q, void **item, int64_t timeout_us);

/* Items in the queue (a snapshot). */
size_t ct_queue_depth(struct ct_queue *q);

#ifdef __cplusplus
}
#endif

#endif /* CONCTRACE_QUEUE_H */
