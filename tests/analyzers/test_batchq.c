/* SPDX-License-Identifier: MIT */
/*
 * Unit test (no trace): the batch queue between the graph's thread and the
 * analysis thread. Every event arrives once, in order, with its strings and
 * ready fds intact after the producer reused its own buffers; a string larger
 * than a batch's arena goes through; drain leaves nothing pending; the
 * batches run on another thread.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ct_batchq.h"
#include "ct_check.h"

#define BIG (3 * CT_BATCHQ_ARENA_SOFT)

struct seen {
        pthread_t producer;
        uint64_t next;    /* the sequence number expected next */
        uint64_t batches; /* batches seen */
        uint64_t foreign; /* batches run on another thread than the producer */
        int bad;          /* events wrong (reported once) */
};

/* What event i carries: str = "s<i>" repeated i % 7 times ("" for 0), or BIG
 * bytes of 'x' for every 5000th; ready = i, i+1, ... (i % 3 values). */
static size_t expected_str(uint64_t i, char *buf, size_t cap)
{
        size_t n = 0;

        if (i % 5000 == 4999) {
                memset(buf, 'x', BIG);
                buf[BIG] = '\0';
                return BIG;
        }
        buf[0] = '\0';
        for (uint64_t k = 0; k < i % 7; k++)
                n += (size_t)snprintf(buf + n, cap - n, "s%llu", (unsigned long long)i);
        return n;
}

static char expect_buf[BIG + 1];

static void on_batch(void *arg, const struct ct_batch *b)
{
        struct seen *s = arg;

        s->batches++;
        if (!pthread_equal(pthread_self(), s->producer))
                s->foreign++;
        struct ct_event got, *ev = &got;
        size_t at = 0;

        memset(&got, 0x5a, sizeof(got)); /* slots not packed must keep this */
        for (size_t j = 0; j < b->n; j++) {
                uint64_t i = s->next++;
                ct_batch_get(b, &at, ev);
                int ok = ev->obj == i && ev->ts == i * 10 && ev->fd == 0x5a5a5a5a5a5a5a5a;

                expected_str(i, expect_buf, sizeof(expect_buf));
                ok = ok && strcmp(ev->str, expect_buf) == 0;
                ok = ok && ev->ready_len == i % 3;
                for (uint32_t k = 0; ok && k < ev->ready_len; k++)
                        ok = ev->ready[k] == (int64_t)(i + k);
                if (!ok && !s->bad++)
                        CHECK(0, "event %llu (batch %llu) arrived wrong: obj=%llu",
                              (unsigned long long)i, (unsigned long long)s->batches,
                              (unsigned long long)ev->obj);
        }
}

static void produce(struct ct_batchq *q, uint64_t from, uint64_t to)
{
        static char src[BIG + 1];
        int64_t ready[3];

        for (uint64_t i = from; i < to; i++) {
                struct ct_batch *b = ct_batchq_current(q);
                struct ct_event e, *ev = &e;
                size_t len = expected_str(i, src, sizeof(src));

                memset(ev, 0, sizeof(*ev));
                ev->obj = i;
                ev->ts = i * 10;
                ev->fd = 7; /* not in the slots: must not arrive */
                ev->str = ct_batch_strdup(b, src, len);
                for (int k = 0; k < 3; k++)
                        ready[k] = (int64_t)(i + (uint64_t)k);
                ev->ready_len = (uint32_t)(i % 3);
                ev->ready = ev->ready_len ? ct_batch_copy_i64(b, ready, ev->ready_len) : NULL;
                CHECK(ev->str && (!ev->ready_len || ev->ready), "arena copy failed at %llu",
                      (unsigned long long)i);
                /* the producer's own buffers change right after: the copies must not */
                memset(src, '?', len);
                memset(ready, 0xff, sizeof(ready));
                ct_batch_put(b, ev,
                             CT_EVENT_HEAD_SLOTS | CT_EVENT_SLOT(obj) | CT_EVENT_SLOT(str) |
                                 CT_EVENT_SLOT(ready) | CT_EVENT_SLOT(ready_len));
                if (ct_batch_full(b))
                        ct_batchq_submit(q);
        }
}

int main(void)
{
        struct seen s = {.producer = pthread_self()};
        struct ct_batchq *q = NULL;
        const uint64_t n1 = 20011, n2 = 30000;

        CHECK(ct_batchq_create(on_batch, &s, &q) == 0, "create");
        if (!q)
                return 1;
        produce(q, 0, n1);
        ct_batchq_drain(q);
        CHECK(s.next == n1, "after the first drain: %llu of %llu events",
              (unsigned long long)s.next, (unsigned long long)n1);
        CHECK(ct_batchq_offloaded(q) == s.batches, "offloaded %llu, seen %llu",
              (unsigned long long)ct_batchq_offloaded(q), (unsigned long long)s.batches);
        CHECK(s.foreign == s.batches && s.batches > n1 / CT_BATCHQ_EVENTS,
              "%llu of %llu batches on the analysis thread", (unsigned long long)s.foreign,
              (unsigned long long)s.batches);
        produce(q, n1, n2);
        ct_batchq_destroy(q); /* processes what was submitted, then stops */
        /* the last partial batch was never submitted: destroy drops it */
        CHECK(s.next <= n2 && s.next >= n2 - CT_BATCHQ_EVENTS, "after destroy: %llu events",
              (unsigned long long)s.next);
        CHECK(!s.bad, "%d events arrived wrong", s.bad);
        if (failures)
                fprintf(stderr, "%d failure(s)\n", failures);
        else
                printf("batchq: %llu events in %llu batches, all in order\n",
                       (unsigned long long)s.next, (unsigned long long)s.batches);
        return failures ? 1 : 0;
}
