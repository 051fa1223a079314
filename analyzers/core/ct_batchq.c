/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "ct_batchq.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define CT__CHUNK_MIN (64 * 1024)

struct ct__arena_chunk {
        struct ct__arena_chunk *next;
        size_t cap, used;
        _Alignas(8) char data[];
};

struct ct_batchq {
        ct_batch_fn fn;                        /* weak */
        void *arg;                             /* weak */
        struct ct_batch *b[CT_BATCHQ_BATCHES]; /* owned */
        size_t w;                              /* the batch being filled (graph's thread only) */
        size_t r; /* the next batch to process (analysis thread only) */

        pthread_mutex_t mu;
        pthread_cond_t work; /* pending > 0 or stop: the analysis thread waits on it */
        pthread_cond_t done; /* a batch was processed: the graph's thread waits on it */
        size_t pending;      /* submitted, not processed yet (mu) */
        bool stop;           /* (mu) */
        bool cons_waiting;   /* (mu) */
        bool prod_waiting;   /* (mu) */
        uint64_t offloaded;  /* (mu) */

        bool started; /* the analysis thread runs */
        bool inline_; /* it could not be started: process on submit */
        pthread_t thread;
};

static void ct__chunks_free(struct ct__arena_chunk *c)
{
        while (c) {
                struct ct__arena_chunk *next = c->next;

                free(c);
                c = next;
        }
}

static void ct__batch_reset(struct ct_batch *b)
{
        while (b->chunk) {
                struct ct__arena_chunk *c = b->chunk;

                b->chunk = c->next;
                c->used = 0;
                c->next = b->spare;
                b->spare = c;
        }
        b->n = 0;
        b->nw = 0;
        b->arena_bytes = 0;
}

/* Room for `size` bytes aligned to 8 in b's arena; NULL on -ENOMEM. */
static void *ct__batch_alloc(struct ct_batch *b, size_t size)
{
        struct ct__arena_chunk *c = b->chunk, **pp;
        size_t at;

        if (c) {
                at = (c->used + 7) & ~(size_t)7;
                if (at <= c->cap && c->cap - at >= size)
                        goto found;
        }
        /* a spare chunk that has room, else a new one */
        for (pp = &b->spare; *pp && (*pp)->cap < size; pp = &(*pp)->next)
                ;
        if (*pp) {
                c = *pp;
                *pp = c->next;
        } else {
                size_t cap = size > CT__CHUNK_MIN ? size : CT__CHUNK_MIN;

                if (cap > SIZE_MAX - sizeof(*c))
                        return NULL;
                c = malloc(sizeof(*c) + cap);
                if (!c)
                        return NULL;
                c->cap = cap;
        }
        c->used = 0;
        c->next = b->chunk;
        b->chunk = c;
        at = 0;
found:
        c->used = at + size;
        b->arena_bytes += size;
        return c->data + at;
}

const char *ct_batch_strdup(struct ct_batch *b, const char *s, size_t len)
{
        char *p;

        if (len == SIZE_MAX)
                return NULL;
        p = ct__batch_alloc(b, len + 1);
        if (!p)
                return NULL;
        memcpy(p, s, len);
        p[len] = '\0';
        return p;
}

const int64_t *ct_batch_copy_i64(struct ct_batch *b, const int64_t *v, size_t n)
{
        int64_t *p;

        if (n > SIZE_MAX / sizeof(*v))
                return NULL;
        p = ct__batch_alloc(b, n * sizeof(*v));
        if (!p)
                return NULL;
        memcpy(p, v, n * sizeof(*v));
        return p;
}

static void *ct__worker(void *data)
{
        struct ct_batchq *q = data;

        pthread_mutex_lock(&q->mu);
        for (;;) {
                size_t i;

                while (q->pending == 0 && !q->stop) {
                        q->cons_waiting = true;
                        pthread_cond_wait(&q->work, &q->mu);
                        q->cons_waiting = false;
                }
                if (q->pending == 0)
                        break; /* stop, and nothing left */
                i = q->r;
                pthread_mutex_unlock(&q->mu);

                q->fn(q->arg, q->b[i]);
                q->r = (i + 1) % CT_BATCHQ_BATCHES;

                pthread_mutex_lock(&q->mu);
                q->pending--;
                q->offloaded++;
                if (q->prod_waiting)
                        pthread_cond_signal(&q->done);
        }
        pthread_mutex_unlock(&q->mu);
        return NULL;
}

int ct_batchq_create(ct_batch_fn fn, void *arg, struct ct_batchq **out)
{
        struct ct_batchq *q = calloc(1, sizeof(*q));

        if (!q)
                return -ENOMEM;
        q->fn = fn;
        q->arg = arg;
        if (pthread_mutex_init(&q->mu, NULL))
                goto error_free;
        if (pthread_cond_init(&q->work, NULL))
                goto error_mu;
        if (pthread_cond_init(&q->done, NULL))
                goto error_work;
        for (size_t i = 0; i < CT_BATCHQ_BATCHES; i++) {
                q->b[i] = calloc(1, sizeof(*q->b[i]));
                if (!q->b[i]) {
                        ct_batchq_destroy(q);
                        return -ENOMEM;
                }
        }
        *out = q;
        return 0;

error_work:
        pthread_cond_destroy(&q->work);
error_mu:
        pthread_mutex_destroy(&q->mu);
error_free:
        free(q);
        return -ENOMEM;
}

void ct_batchq_destroy(struct ct_batchq *q)
{
        if (!q)
                return;
        if (q->started) {
                pthread_mutex_lock(&q->mu);
                q->stop = true;
                pthread_cond_signal(&q->work);
                pthread_mutex_unlock(&q->mu);
                pthread_join(q->thread, NULL);
        }
        for (size_t i = 0; i < CT_BATCHQ_BATCHES; i++) {
                if (!q->b[i])
                        continue;
                ct__chunks_free(q->b[i]->chunk);
                ct__chunks_free(q->b[i]->spare);
                free(q->b[i]);
        }
        pthread_cond_destroy(&q->done);
        pthread_cond_destroy(&q->work);
        pthread_mutex_destroy(&q->mu);
        free(q);
}

struct ct_batch *ct_batchq_current(struct ct_batchq *q)
{
        return q->b[q->w];
}

/*
 * The analysis thread, with the asynchronous signals blocked (SIGINT, SIGCHLD,
 * ...: the other threads handle them as before). The synchronous ones stay:
 * a write to a closed pipe (conctrace dump | head) still raises SIGPIPE in
 * the thread that wrote, as it did without this thread.
 */
static void ct__start(struct ct_batchq *q)
{
        static const int sync_signals[] = {SIGPIPE, SIGSEGV, SIGBUS, SIGFPE,
                                           SIGILL,  SIGTRAP, SIGSYS, SIGXFSZ};
        sigset_t set, old;

        sigfillset(&set);
        for (size_t i = 0; i < sizeof(sync_signals) / sizeof(sync_signals[0]); i++)
                sigdelset(&set, sync_signals[i]);
        pthread_sigmask(SIG_SETMASK, &set, &old);
        q->started = pthread_create(&q->thread, NULL, ct__worker, q) == 0;
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        q->inline_ = !q->started;
}

void ct_batchq_submit(struct ct_batchq *q)
{
        struct ct_batch *b = q->b[q->w];

        if (b->n == 0)
                return;
        if (!q->started && !q->inline_)
                ct__start(q);
        if (q->inline_) {
                q->fn(q->arg, b);
                ct__batch_reset(b);
                return;
        }
        pthread_mutex_lock(&q->mu);
        q->pending++;
        if (q->cons_waiting && q->pending >= CT_BATCHQ_BATCHES / 2)
                pthread_cond_signal(&q->work);
        q->w = (q->w + 1) % CT_BATCHQ_BATCHES;
        while (q->pending == CT_BATCHQ_BATCHES) {
                q->prod_waiting = true;
                pthread_cond_wait(&q->done, &q->mu);
                q->prod_waiting = false;
        }
        pthread_mutex_unlock(&q->mu);
        ct__batch_reset(q->b[q->w]); /* processed: its slot and arena are ours again */
}

void ct_batchq_drain(struct ct_batchq *q)
{
        ct_batchq_submit(q);
        if (!q->started)
                return;
        pthread_mutex_lock(&q->mu);
        if (q->cons_waiting && q->pending > 0)
                pthread_cond_signal(&q->work);
        while (q->pending > 0) {
                q->prod_waiting = true;
                pthread_cond_wait(&q->done, &q->mu);
                q->prod_waiting = false;
        }
        pthread_mutex_unlock(&q->mu);
}

uint64_t ct_batchq_offloaded(const struct ct_batchq *q)
{
        uint64_t n;

        pthread_mutex_lock((pthread_mutex_t *)&q->mu);
        n = q->offloaded;
        pthread_mutex_unlock((pthread_mutex_t *)&q->mu);
        return n;
}
