/* SPDX-License-Identifier: MIT */
/*
 * A bounded queue of decoded-event batches between the thread that runs the
 * babeltrace2 graph (which decodes each event message into a struct ct_event)
 * and one analysis thread (which hands the events to the consumers). The
 * graph's thread never waits on the analyses unless every batch is in use,
 * and the analyses never touch a babeltrace2 object: each batch carries its
 * own copies of the events' strings and arrays.
 *
 * Memory is bounded: CT_BATCHQ_BATCHES batches of at most CT_BATCHQ_EVENTS
 * events packed into CT_BATCHQ_WORDS words, each with a string arena; a
 * batch is handed over early once its arena holds CT_BATCHQ_ARENA_SOFT bytes.
 * Nothing is allocated per event.
 *
 * Single producer, single consumer; the consumer thread starts with the first
 * submitted batch, and once idle sleeps until half the batches wait for it
 * (or a drain): one wake-up per few thousand events, not per batch. If it
 * cannot be started, batches are processed on the submitting thread instead
 * (same order, same results).
 */
#ifndef CT_BATCHQ_H
#define CT_BATCHQ_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ct_event.h"

#define CT_BATCHQ_BATCHES    8
#define CT_BATCHQ_EVENTS     1024
#define CT_BATCHQ_WORDS      (16 * CT_BATCHQ_EVENTS)
#define CT_BATCHQ_ARENA_SOFT (256 * 1024)

struct ct__arena_chunk;

/*
 * A batch holds its events packed: per event a slot mask (CT_EVENT_SLOT) and
 * then the 8-byte slots it names, in order (the six slots every event has and
 * those of its type's own members) instead of a whole struct ct_event, so the
 * batches in flight stay small enough for the CPUs' caches.
 */
struct ct_batch {
        uint64_t w[CT_BATCHQ_WORDS];
        size_t nw;                     /* words filled */
        size_t n;                      /* events filled */
        struct ct__arena_chunk *chunk; /* owned: list, the one being filled first */
        struct ct__arena_chunk *spare; /* owned: emptied chunks kept for reuse */
        size_t arena_bytes;            /* bytes copied into this batch */
};

/* Appends ev's members named by slots to b (which is not full). */
static inline void ct_batch_put(struct ct_batch *b, const struct ct_event *ev, uint64_t slots)
{
        uint64_t *w = &b->w[b->nw];
        const char *base = (const char *)ev;

        *w++ = slots;
        for (uint64_t m = slots; m; m &= m - 1)
                memcpy(w++, base + 8 * (unsigned)__builtin_ctzll(m), 8);
        b->nw = (size_t)(w - b->w);
        b->n++;
}

/* The event packed at word *at of b into ev (only its slots are written);
 * *at moves to the next event. */
static inline void ct_batch_get(const struct ct_batch *b, size_t *at, struct ct_event *ev)
{
        const uint64_t *w = &b->w[*at];
        char *base = (char *)ev;
        uint64_t slots = *w++;

        for (uint64_t m = slots; m; m &= m - 1)
                memcpy(base + 8 * (unsigned)__builtin_ctzll(m), w++, 8);
        *at = (size_t)(w - b->w);
}

/* Called on the analysis thread for each batch, in submission order. */
typedef void (*ct_batch_fn)(void *arg, const struct ct_batch *b);

struct ct_batchq;

/* 0 or -ENOMEM. fn and arg are weak. */
int ct_batchq_create(ct_batch_fn fn, void *arg, struct ct_batchq **out);
/* Stops the analysis thread after the batches already submitted. */
void ct_batchq_destroy(struct ct_batchq *q);

/* The batch being filled by the graph's thread (never NULL). */
struct ct_batch *ct_batchq_current(struct ct_batchq *q);
/* A copy of s (len bytes and a NUL) in b's arena; NULL on -ENOMEM. */
const char *ct_batch_strdup(struct ct_batch *b, const char *s, size_t len);
/* A copy of n values in b's arena (n > 0); NULL on -ENOMEM. */
const int64_t *ct_batch_copy_i64(struct ct_batch *b, const int64_t *v, size_t n);
/* True when the current batch must be submitted (full, or its arena is). */
static inline int ct_batch_full(const struct ct_batch *b)
{
        return b->n == CT_BATCHQ_EVENTS || CT_BATCHQ_WORDS - b->nw < 1 + CT_EVENT_SLOTS ||
               b->arena_bytes >= CT_BATCHQ_ARENA_SOFT;
}

/* Hands the current batch (if it has events) to the analysis thread; waits
 * only while every batch is in use. */
void ct_batchq_submit(struct ct_batchq *q);
/* Submits the current batch and waits until every batch has been processed:
 * afterwards the consumers may be called from this thread. */
void ct_batchq_drain(struct ct_batchq *q);

/* Batches processed on the analysis thread so far (for tests). */
uint64_t ct_batchq_offloaded(const struct ct_batchq *q);

#endif /* CT_BATCHQ_H */
