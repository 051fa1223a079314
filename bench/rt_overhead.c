/* SPDX-License-Identifier: MIT */
/*
 * rt_overhead: per-call cost of the instrumented runtime calls against the
 * bare pthread/syscall calls they wrap.
 *
 *   rt_overhead [-n OPS] [-r RUNS] [-o OP]
 *
 * Run it with no session (cost of the disabled tracepoints and of the
 * runtime's bookkeeping) and inside a session enabling ct_* (cost with the
 * events recorded); bench/run-all does both and divides the added cost per
 * event by LTTng-UST's floor for events of the same payloads (floor_ust).
 *
 * Operations (one "op" each):
 *   mutex_uncontended  lock + unlock, one thread     events acquire(p12) release(p8)
 *   mutex_contended    lock + unlock, two threads    events acquire release (+ request
 *                                                    when trylock finds it busy)
 *   cond_signal        signal with no waiter         events signal(p12)
 *   pipe_write64       write of 64 B (drained by a   events write_begin(p20)
 *                      bare read every 1024 writes)         write_end(p40)
 *   queue_putget       put + get, one thread         events 2 x (acquire(p12),
 *                      (bare: same ring + pthread)          put/get(p16), release(p8))
 *
 * Each figure is the median of RUNS runs of OPS operations (bare and
 * instrumented runs alternate). Output, one line per operation:
 *
 *   op=mutex_uncontended enabled=1 bare_ns=18.2 ct_ns=502.1 added_ns=483.9 events=p12,p8
 *
 * With events enabled, keep OPS x RUNS x (events per op) x ~60 B under the
 * session's buffers (default -n 20000 leaves room in 8 x 1 MiB); runs are
 * separated by 100 ms so the consumer drains the buffers.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_util.h"
#include "conctrace/ct.h"
#include "conctrace/tp.h"

#define MAX_RUNS   101
#define PIPE_BATCH 1024 /* 1024 x 64 B = 64 KiB, the default pipe capacity */

static int enabled;

/* ---- mutex, one thread ---- */

static double mutex_uncontended(int instrumented, uint64_t ops)
{
        pthread_mutex_t pm = PTHREAD_MUTEX_INITIALIZER;
        struct ct_mutex cm;
        uint64_t t0, i;

        if (ct_mutex_init(&cm, "bench.mutex") < 0)
                abort();
        t0 = bench_now_ns();
        if (instrumented) {
                for (i = 0; i < ops; i++) {
                        ct_mutex_lock(&cm);
                        ct_mutex_unlock(&cm);
                }
        } else {
                for (i = 0; i < ops; i++) {
                        pthread_mutex_lock(&pm);
                        pthread_mutex_unlock(&pm);
                }
        }
        t0 = bench_now_ns() - t0;
        ct_mutex_destroy(&cm);
        return (double)t0 / (double)ops;
}

/* ---- mutex, two threads ---- */

struct contended {
        int instrumented;
        uint64_t ops;
        pthread_mutex_t pm;
        struct ct_mutex cm;
        pthread_barrier_t start;
};

static void *contended_worker(void *arg)
{
        struct contended *c = arg;
        uint64_t i;

        pthread_barrier_wait(&c->start);
        if (c->instrumented) {
                for (i = 0; i < c->ops; i++) {
                        ct_mutex_lock(&c->cm);
                        ct_mutex_unlock(&c->cm);
                }
        } else {
                for (i = 0; i < c->ops; i++) {
                        pthread_mutex_lock(&c->pm);
                        pthread_mutex_unlock(&c->pm);
                }
        }
        pthread_barrier_wait(&c->start);
        return NULL;
}

/* Two workers hammer one mutex; the main thread times them between two
 * barriers. Returns the ns per lock + unlock (wall / total ops). */
static double mutex_contended(int instrumented, uint64_t ops)
{
        struct contended c;
        pthread_t th[2];
        uint64_t t0;
        int i;

        memset(&c, 0, sizeof(c));
        c.instrumented = instrumented;
        c.ops = ops / 2 ? ops / 2 : 1;
        pthread_mutex_init(&c.pm, NULL);
        if (ct_mutex_init(&c.cm, "bench.contended") < 0)
                abort();
        pthread_barrier_init(&c.start, NULL, 3);
        for (i = 0; i < 2; i++)
                if (pthread_create(&th[i], NULL, contended_worker, &c))
                        abort();
        pthread_barrier_wait(&c.start);
        t0 = bench_now_ns();
        pthread_barrier_wait(&c.start);
        t0 = bench_now_ns() - t0;
        for (i = 0; i < 2; i++)
                pthread_join(th[i], NULL);
        pthread_barrier_destroy(&c.start);
        ct_mutex_destroy(&c.cm);
        pthread_mutex_destroy(&c.pm);
        return (double)t0 / (double)(2 * c.ops);
}

/* ---- cond signal with no waiter ---- */

static double cond_signal(int instrumented, uint64_t ops)
{
        pthread_cond_t pc = PTHREAD_COND_INITIALIZER;
        struct ct_cond cc;
        uint64_t t0, i;

        if (ct_cond_init(&cc, "bench.cond") < 0)
                abort();
        t0 = bench_now_ns();
        if (instrumented) {
                for (i = 0; i < ops; i++)
                        ct_cond_signal(&cc);
        } else {
                for (i = 0; i < ops; i++)
                        pthread_cond_signal(&pc);
        }
        t0 = bench_now_ns() - t0;
        ct_cond_destroy(&cc);
        pthread_cond_destroy(&pc);
        return (double)t0 / (double)ops;
}

/* ---- pipe write of 64 B ---- */

static int pipe_fds[2] = {-1, -1};

static double pipe_write64(int instrumented, uint64_t ops)
{
        static char buf[64];
        static char sink[64 * PIPE_BATCH];
        uint64_t t0, i, done = 0;

        t0 = bench_now_ns();
        while (done < ops) {
                uint64_t n = ops - done < PIPE_BATCH ? ops - done : PIPE_BATCH;
                size_t want = (size_t)n * sizeof(buf), got = 0;

                if (instrumented) {
                        for (i = 0; i < n; i++)
                                if (ct_pipe_write(pipe_fds[1], buf, sizeof(buf)) !=
                                    (ssize_t)sizeof(buf))
                                        abort();
                } else {
                        for (i = 0; i < n; i++)
                                if (write(pipe_fds[1], buf, sizeof(buf)) != (ssize_t)sizeof(buf))
                                        abort();
                }
                while (got < want) {
                        ssize_t r = read(pipe_fds[0], sink, want - got);

                        if (r <= 0)
                                abort();
                        got += (size_t)r;
                }
                done += n;
        }
        return (double)(bench_now_ns() - t0) / (double)ops;
}

/* ---- queue put + get ---- */

/* The bare twin of struct ct_queue: the same ring under a pthread mutex and
 * two condvars, signalling only when someone waits (as ct_queue does). */
struct bare_queue {
        pthread_mutex_t mu;
        pthread_cond_t not_empty, not_full;
        int waiting_get, waiting_put;
        void *items[64];
        size_t head, count;
};

static void bare_put(struct bare_queue *q, void *item)
{
        pthread_mutex_lock(&q->mu);
        while (q->count == 64) {
                q->waiting_put++;
                pthread_cond_wait(&q->not_full, &q->mu);
                q->waiting_put--;
        }
        q->items[(q->head + q->count) % 64] = item;
        q->count++;
        if (q->waiting_get)
                pthread_cond_signal(&q->not_empty);
        pthread_mutex_unlock(&q->mu);
}

static void *bare_get(struct bare_queue *q)
{
        void *item;

        pthread_mutex_lock(&q->mu);
        while (q->count == 0) {
                q->waiting_get++;
                pthread_cond_wait(&q->not_empty, &q->mu);
                q->waiting_get--;
        }
        item = q->items[q->head];
        q->head = (q->head + 1) % 64;
        q->count--;
        if (q->waiting_put)
                pthread_cond_signal(&q->not_full);
        pthread_mutex_unlock(&q->mu);
        return item;
}

static double queue_putget(int instrumented, uint64_t ops)
{
        struct bare_queue bq;
        struct ct_queue cq;
        uint64_t t0, i;
        void *item = NULL;

        memset(&bq, 0, sizeof(bq));
        pthread_mutex_init(&bq.mu, NULL);
        pthread_cond_init(&bq.not_empty, NULL);
        pthread_cond_init(&bq.not_full, NULL);
        if (ct_queue_init(&cq, 64, "bench.queue") < 0)
                abort();
        t0 = bench_now_ns();
        if (instrumented) {
                for (i = 0; i < ops; i++) {
                        ct_queue_put(&cq, &bq);
                        ct_queue_get(&cq, &item);
                }
        } else {
                for (i = 0; i < ops; i++) {
                        bare_put(&bq, &cq);
                        item = bare_get(&bq);
                }
        }
        t0 = bench_now_ns() - t0;
        bench_keep(item);
        ct_queue_destroy(&cq);
        pthread_cond_destroy(&bq.not_full);
        pthread_cond_destroy(&bq.not_empty);
        pthread_mutex_destroy(&bq.mu);
        return (double)t0 / (double)ops;
}

/* ---- driver ---- */

struct op {
        const char *name;
        double (*fn)(int instrumented, uint64_t ops);
        const char *events; /* payload classes of the events of one op (floor_ust names) */
        int div;            /* ops divided by this (slow ops) */
};

static const struct op ops_table[] = {
    {"mutex_uncontended", mutex_uncontended, "p12,p8", 1},
    {"mutex_contended", mutex_contended, "p12,p8+", 1},
    {"cond_signal", cond_signal, "p12", 1},
    {"pipe_write64", pipe_write64, "p20,p40", 4},
    {"queue_putget", queue_putget, "p12,p16,p8,p12,p16,p8", 2},
};

#define NR_OPS (sizeof(ops_table) / sizeof(ops_table[0]))

static void usage(FILE *out)
{
        size_t i;

        fprintf(out, "Usage: rt_overhead [-n OPS] [-r RUNS] [-o OP]\n"
                     "Per-call cost of instrumented runtime calls vs bare calls (median of RUNS\n"
                     "runs of OPS operations; default -n 20000 with ct_* enabled, 1000000\n"
                     "without, -r 7). OP:");
        for (i = 0; i < NR_OPS; i++)
                fprintf(out, " %s", ops_table[i].name);
        fputc('\n', out);
}

int main(int argc, char **argv)
{
        uint64_t ops = 0, runs = 7;
        const char *only = NULL;
        double bare[MAX_RUNS], ct[MAX_RUNS];
        size_t i;
        uint64_t r;
        int c;

        while ((c = getopt(argc, argv, "n:r:o:h")) != -1) {
                switch (c) {
                case 'n':
                        if (bench_parse_count(optarg, &ops) < 0)
                                goto usage_error;
                        break;
                case 'r':
                        if (bench_parse_count(optarg, &runs) < 0 || runs > MAX_RUNS)
                                goto usage_error;
                        break;
                case 'o':
                        only = optarg;
                        break;
                case 'h':
                        usage(stdout);
                        return 0;
                default:
                        goto usage_error;
                }
        }
        if (optind != argc)
                goto usage_error;
        if (only) {
                for (i = 0; i < NR_OPS && strcmp(ops_table[i].name, only) != 0; i++)
                        ;
                if (i == NR_OPS) {
                        fprintf(stderr, "rt_overhead: unknown operation: op=%s\n", only);
                        goto usage_error;
                }
        }

        enabled = lttng_ust_tracepoint_enabled(ct_lock, acquire);
        if (!ops)
                ops = enabled ? 20000 : 1000000;
        if (pipe(pipe_fds) < 0) {
                fprintf(stderr, "rt_overhead: Failed to create pipe: %s\n", strerror(errno));
                return 1;
        }
        ct_thread_begin("bench");

        for (i = 0; i < NR_OPS; i++) {
                const struct op *op = &ops_table[i];
                uint64_t n = ops / (uint64_t)op->div ? ops / (uint64_t)op->div : 1;
                double mb, mc;

                if (only && strcmp(op->name, only) != 0)
                        continue;
                op->fn(0, n / 10 + 1); /* warm-up */
                op->fn(1, n / 10 + 1);
                for (r = 0; r < runs; r++) {
                        if (enabled)
                                usleep(100000);
                        bare[r] = op->fn(0, n);
                        ct[r] = op->fn(1, n);
                }
                mb = bench_median(bare, runs);
                mc = bench_median(ct, runs);
                printf("op=%s enabled=%d bare_ns=%.2f ct_ns=%.2f added_ns=%.2f events=%s runs=%llu "
                       "ops=%llu\n",
                       op->name, enabled, mb, mc, mc - mb, op->events, (unsigned long long)runs,
                       (unsigned long long)n);
                fflush(stdout);
        }
        ct_thread_end();
        close(pipe_fds[0]);
        close(pipe_fds[1]);
        return 0;

usage_error:
        usage(stderr);
        return 2;
}
