/* SPDX-License-Identifier: MIT */
/*
 * task2b — Lab week 3, Task 2B: coordinating threads with condition variables.
 *
 * A bounded buffer (--buffer-size items) protected by one lock; one producer
 * puts --items items (spending --produce-ms on each), --consumers consumers
 * take them (spending --consume-ms on each); one sentinel per consumer stops
 * them. A consumer waits on `buffer.not_empty` while the buffer is empty, the
 * producer on `buffer.not_full` while it is full, each re-checking its
 * condition after every wake-up (reflection Q4).
 *
 * --notify-all wakes every waiting consumer for each item (notify_all):
 * all but one find the buffer empty again and go back to sleep, so the trace
 * shows more cond wake-ups than items (re-waits; reflection Q3).
 * --busy-wait replaces wait() by polling the buffer under the lock, so the
 * CPU it wastes can be measured (reflection Q1).
 *
 * Two condition variables (like Python's queue.Queue) rather than the lab's
 * single Condition: with one condvar shared by the producer and several
 * consumers, notify() can wake a consumer when the producer was meant, and
 * all threads can end up asleep.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <conctrace/ct.h>

#include "ct_scn.h"

#define MAX_CONSUMERS 256
#define SENTINEL      (-1L)

struct opts {
        long items;
        long consumers;
        long buffer_size;
        double produce_ms;
        double consume_ms;
        int notify_all;
        int busy_wait;
};

struct buffer {
        struct ct_mutex lock;
        struct ct_cond not_empty;
        struct ct_cond not_full;
        long *slots; /* owned: ring of `cap` items */
        long cap;
        long head;
        long count;
};

/* What one thread counts about its waiting. */
struct waits {
        long wakeups; /* wait() returns */
        long rewaits; /* wake-ups that found the condition still false */
        long polls;   /* busy-wait checks that found nothing to do */
        int64_t cpu_ns;
};

struct shared {
        const struct opts *o; /* weak */
        struct buffer buf;
        int *consumed;         /* owned: per item, times consumed (under buf.lock) */
        struct waits producer; /* the producer's */
        int error;             /* first negative errno, under buf.lock */
};

struct consumer_arg {
        struct shared *s; /* weak */
        int index;
        long taken;
        struct waits w;
};

static const char *variant_name(const struct opts *o)
{
        if (o->busy_wait)
                return "busy_wait";
        return o->notify_all ? "notify_all" : "notify";
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
        const struct ct_scn_opt options[] = {
            CT_SCN_TEXT("Lab week 3, Task 2B: a bounded buffer shared by one producer and several\n"
                        "consumers, coordinated by condition variables; sentinel shutdown.\n"
                        "\n"
                        "Options:\n"),
            CT_SCN_LONG("items", "N", &o->items, 50, 0, 10000000,
                        "items the producer makes (default {})"),
            CT_SCN_LONG("consumers", "N", &o->consumers, 3, 1, MAX_CONSUMERS,
                        "consumer threads (default {})"),
            CT_SCN_LONG("buffer-size", "N", &o->buffer_size, 5, 1, 1000000,
                        "buffer capacity (default {})"),
            CT_SCN_DOUBLE("produce-ms", "MS", &o->produce_ms, 2, 0, 10000,
                          "simulated work per item in the producer (default {})"),
            CT_SCN_DOUBLE("consume-ms", "MS", &o->consume_ms, 1, 0, 10000,
                          "simulated work per item in a consumer (default {})"),
            CT_SCN_FLAG("notify-all", &o->notify_all,
                        "notify_all() instead of notify() (reflection Q3)"),
            CT_SCN_FLAG("busy-wait", &o->busy_wait,
                        "poll the buffer under the lock instead of wait()\n"
                        "(reflection Q1; record it with CT_RECORD_LEVEL=light)"),
            CT_SCN_VERBOSE("print every item"),
            CT_SCN_HELP,
            CT_SCN_TEXT("\n"
                        "Exit status: 0 if every item was consumed exactly once and every "
                        "consumer got\n"
                        "its sentinel, 1 otherwise, 2 for bad options.\n"),
        };
        int ret = ct_scn_parse_cli(argc, argv, options, CT_SCN_N(options), 21);

        if (ret)
                return ret;
        if (o->busy_wait && o->notify_all) {
                ct_scn_error("--busy-wait and --notify-all exclude each other (busy-waiting "
                             "threads are never notified)");
                return ct_scn_usage_error();
        }
        return 0;
}

static void note_error(struct shared *s, int err)
{
        if (!s->error)
                s->error = err;
}

/* Wakes the waiters of c: one (notify) or all (notify_all). */
static void notify(struct shared *s, struct ct_cond *c)
{
        int ret = s->o->notify_all ? ct_cond_broadcast(c) : ct_cond_signal(c);

        if (ret < 0)
                note_error(s, ret);
}

/*
 * With buf.lock held, waits until pred(s) holds: condvar wait with re-check,
 * or (busy-wait) unlock, re-lock, re-check. Returns 0 or a negative errno.
 */
static int wait_until(struct shared *s, struct ct_cond *c, int (*pred)(struct shared *),
                      struct waits *w)
{
        while (!pred(s)) {
                int ret;

                if (s->o->busy_wait) {
                        w->polls++;
                        ret = ct_mutex_unlock(&s->buf.lock);
                        if (ret == 0)
                                ret = ct_mutex_lock(&s->buf.lock);
                        if (ret < 0)
                                return ret;
                        continue;
                }
                ret = ct_cond_wait(c, &s->buf.lock);
                if (ret < 0)
                        return ret;
                w->wakeups++;
                if (!pred(s))
                        w->rewaits++;
        }
        return 0;
}

static int not_full(struct shared *s)
{
        return s->buf.count < s->buf.cap;
}

static int not_empty(struct shared *s)
{
        return s->buf.count > 0;
}

static int put(struct shared *s, long item)
{
        struct buffer *b = &s->buf;
        int ret = ct_mutex_lock(&b->lock);

        if (ret < 0)
                return ret;
        ret = wait_until(s, &b->not_full, not_full, &s->producer);
        if (ret == 0) {
                b->slots[(b->head + b->count) % b->cap] = item;
                b->count++;
                if (!s->o->busy_wait)
                        notify(s, &b->not_empty);
        }
        ct_mutex_unlock(&b->lock);
        return ret;
}

static void *producer(void *arg)
{
        struct shared *s = arg;
        int64_t cpu0 = ct_scn_thread_cpu_ns();

        for (long i = 0; i < s->o->items; i++) {
                int ret;

                if (s->o->produce_ms > 0)
                        ct_io_sim((uint64_t)(s->o->produce_ms * 1000.0 + 0.5));
                ret = put(s, i);
                if (ret < 0)
                        goto error;
                ct_scn_verbose_printf("  producer: put item %ld\n", i);
        }
        for (long i = 0; i < s->o->consumers; i++) {
                int ret = put(s, SENTINEL);

                if (ret < 0)
                        goto error;
        }
        s->producer.cpu_ns = ct_scn_thread_cpu_ns() - cpu0;
        return NULL;
error:
        ct_scn_error("producer: Failed to put an item");
        return NULL;
}

static void *consumer(void *arg)
{
        struct consumer_arg *c = arg;
        struct shared *s = c->s;
        struct buffer *b = &s->buf;
        int64_t cpu0 = ct_scn_thread_cpu_ns();

        for (;;) {
                long item;
                int ret = ct_mutex_lock(&b->lock);

                if (ret < 0) {
                        note_error(s, ret);
                        break;
                }
                ret = wait_until(s, &b->not_empty, not_empty, &c->w);
                if (ret < 0) {
                        note_error(s, ret);
                        ct_mutex_unlock(&b->lock);
                        break;
                }
                item = b->slots[b->head];
                b->head = (b->head + 1) % b->cap;
                b->count--;
                if (item != SENTINEL)
                        s->consumed[item]++;
                if (!s->o->busy_wait)
                        notify(s, &b->not_full);
                ct_mutex_unlock(&b->lock);
                if (item == SENTINEL)
                        break;
                c->taken++;
                ct_scn_verbose_printf("  consumer-%d: took item %ld\n", c->index, item);
                if (s->o->consume_ms > 0)
                        ct_io_sim((uint64_t)(s->o->consume_ms * 1000.0 + 0.5));
        }
        c->w.cpu_ns = ct_scn_thread_cpu_ns() - cpu0;
        return NULL;
}

int main(int argc, char **argv)
{
        struct consumer_arg cargs[MAX_CONSUMERS];
        struct ct_thread threads[MAX_CONSUMERS];
        struct ct_thread prod;
        struct ct_scn_params params;
        struct shared s;
        struct opts o;
        long started = 0, wakeups = 0, rewaits = 0, polls = 0, taken = 0, wrong = 0;
        int64_t t0, elapsed, cpu = 0;
        int status = 1, ret, ok;

        ct_scn_init(argv[0]);
        ret = parse_opts(argc, argv, &o);
        if (ret)
                return ret;
        memset(&s, 0, sizeof(s));
        s.o = &o;
        s.buf.cap = o.buffer_size;
        s.buf.slots = calloc((size_t)o.buffer_size, sizeof(long));
        s.consumed = calloc((size_t)o.items + 1, sizeof(int));
        if (!s.buf.slots || !s.consumed) {
                ct_scn_error("Failed to allocate the buffer: buffer_size=%ld items=%ld",
                             o.buffer_size, o.items);
                goto end;
        }
        ct_thread_begin("main");
        if ((ret = ct_mutex_init(&s.buf.lock, "buffer.lock")) < 0 ||
            (ret = ct_cond_init(&s.buf.not_empty, "buffer.not_empty")) < 0 ||
            (ret = ct_cond_init(&s.buf.not_full, "buffer.not_full")) < 0) {
                ct_scn_error("Failed to initialize the buffer's lock and condvars: err=%s",
                             strerror(-ret));
                goto end_thread;
        }
        ct_scn_params_init(&params);
        ct_scn_params_add(&params, "items", "%ld", o.items);
        ct_scn_params_add(&params, "buffer_size", "%ld", o.buffer_size);
        ct_scn_params_add(&params, "produce_ms", "%g", o.produce_ms);
        ct_scn_params_add(&params, "consume_ms", "%g", o.consume_ms);
        printf("task2b: %ld items, %ld consumers, buffer of %ld, %s\n", o.items, o.consumers,
               o.buffer_size, variant_name(&o));

        for (long i = 0; i < o.consumers; i++)
                cargs[i] = (struct consumer_arg){.s = &s, .index = (int)i + 1};
        t0 = ct_scn_run_begin("task2b", variant_name(&o), o.consumers, &params);
        started = ct_scn_start_threads(threads, o.consumers, "consumer", consumer, cargs,
                                       sizeof(cargs[0]));
        if (started < o.consumers) {
                /* Make the producer stop only the consumers that exist. */
                o.consumers = started;
                o.items = 0;
        }
        ret = ct_thread_create(&prod, "producer", producer, &s);
        if (ret < 0) {
                ct_scn_error("Failed to start the producer: err=%s", strerror(-ret));
                /* Stop the consumers from here so that they can be joined. */
                s.error = ret;
                o.items = 0;
                producer(&s);
        } else {
                ct_thread_join(&prod, NULL);
        }
        ct_scn_join_threads(threads, started);
        elapsed = ct_scn_now_ns() - t0;

        for (long i = 0; i < o.items; i++) {
                if (s.consumed[i] != 1)
                        wrong++;
        }
        for (long i = 0; i < started; i++) {
                wakeups += cargs[i].w.wakeups;
                rewaits += cargs[i].w.rewaits;
                polls += cargs[i].w.polls;
                taken += cargs[i].taken;
                cpu += cargs[i].w.cpu_ns;
                ct_scn_verbose_printf("  consumer-%ld: %ld items, %ld wake-ups (%ld re-waits), "
                                      "%ld polls, cpu %.3f ms\n",
                                      i + 1, cargs[i].taken, cargs[i].w.wakeups, cargs[i].w.rewaits,
                                      cargs[i].w.polls, ct_scn_ms(cargs[i].w.cpu_ns));
        }
        if (o.busy_wait)
                printf("task2b: busy-wait: consumers polled an empty buffer %ld times, producer a "
                       "full one %ld times\n",
                       polls, s.producer.polls);
        else
                printf("task2b: consumers woke %ld times for %ld items (%ld re-waits: woken with "
                       "nothing to do); producer woke %ld times (%ld re-waits)\n",
                       wakeups, o.items, rewaits, s.producer.wakeups, s.producer.rewaits);
        printf("task2b: consumer CPU time %.3f ms, producer %.3f ms, over %.3f ms elapsed\n",
               ct_scn_ms(cpu), ct_scn_ms(s.producer.cpu_ns), ct_scn_ms(elapsed));
        ok = ct_scn_check(!s.error, "no lock/condvar error%s%s", s.error ? ": " : "",
                          s.error ? strerror(-s.error) : "");
        ok &= ct_scn_check(wrong == 0 && taken == o.items,
                           "%ld items consumed exactly once (%ld wrong)", taken, wrong);
        ok &= ct_scn_check(started == o.consumers && o.consumers > 0,
                           "%ld consumers stopped by their sentinel", started);
        status = ok ? 0 : 1;
        ct_run_end(status);
        ct_cond_destroy(&s.buf.not_full);
        ct_cond_destroy(&s.buf.not_empty);
        ct_mutex_destroy(&s.buf.lock);
end_thread:
        ct_thread_end();
end:
        free(s.consumed);
        free(s.buf.slots);
        return status;
}
