/* SPDX-License-Identifier: MIT */
/*
 * primes — Lab week 3, Hacker's edition: a thread pool + prime finder, and
 * its multiprocessing version.
 *
 * Counts the primes below --total by trial division, split into --tasks equal
 * ranges submitted to a pool of --workers: the runtime's thread pool
 * (--mode threads) or its process pool (--mode processes: each task's range
 * goes to a forked worker over a pipe, the count comes back over a pipe).
 * --gil turns the CPython-like GIL model on, which reproduces the lab's
 * observation that threads give no speedup on this CPU-bound work, while
 * processes (one GIL each) do. --workers takes a list (1,2,4) to run each
 * count as its own run in one execution.
 *
 * The count is checked against a sieve (17984 primes below 200000).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <conctrace/ct.h>

#include "ct_scn.h"

#define MAX_WORKER_COUNTS 16
#define MAX_WORKERS       256
/* Numbers tested between two checks of the GIL's drop request. */
#define GIL_CHECK_EVERY 64

enum mode { MODE_THREADS = 0, MODE_PROCESSES = 1 };
static const char *const mode_names[] = {"threads", "processes", NULL};

struct opts {
        long total;
        long tasks;
        long workers[MAX_WORKER_COUNTS];
        size_t n_workers;
        int mode;
        int gil;
        long switch_us;
};

/* One task: count the primes in [lo, hi). */
struct range {
        int64_t lo;
        int64_t hi;
        int64_t count; /* result */
};

static int parse_opts(int argc, char **argv, struct opts *o)
{
        const struct ct_scn_opt options[] = {
            CT_SCN_TEXT(
                "Lab week 3, Hacker's edition: count the primes below TOTAL with a pool of\n"
                "WORKERS threads or processes running TASKS equal ranges.\n"
                "\n"
                "Options:\n"),
            CT_SCN_LONG("total", "N", &o->total, 200000, 0, 1000000000,
                        "search the numbers below N (default {})"),
            CT_SCN_LONG("tasks", "N", &o->tasks, 8, 1, 100000,
                        "ranges submitted to the pool (default {})"),
            CT_SCN_LIST("workers", "N[,N...]", o->workers, &o->n_workers, MAX_WORKER_COUNTS, "4", 1,
                        MAX_WORKERS, "pool size; a list runs each as its own run (default {})"),
            CT_SCN_CHOICE("mode", &o->mode, mode_names, MODE_THREADS,
                          "thread pool or process pool (default {})"),
            CT_SCN_FLAG("gil", &o->gil,
                        "CPython-like GIL model for the threads (and each process)"),
            CT_SCN_SWITCH_INTERVAL(&o->switch_us),
            CT_SCN_VERBOSE("print every task's result"),
            CT_SCN_HELP,
            CT_SCN_TEXT("\n"
                        "Exit status: 0 if every count is right (17984 primes below 200000), 1 "
                        "otherwise,\n"
                        "2 for bad options.\n"),
        };

        return ct_scn_parse_cli(argc, argv, options, CT_SCN_N(options), 25);
}

/* The lab's is_prime(): trial division by odd numbers up to sqrt(n). */
static int is_prime(int64_t n)
{
        if (n < 2)
                return 0;
        if (n % 2 == 0)
                return n == 2;
        for (int64_t d = 3; d * d <= n; d += 2) {
                if (n % d == 0)
                        return 0;
        }
        return 1;
}

/* Counts the primes in [lo, hi) as one compute work unit (units = numbers). */
static int64_t count_range(int64_t lo, int64_t hi)
{
        int64_t count = 0;

        ct_work_begin((uint64_t)(hi - lo));
        for (int64_t n = lo; n < hi; n++) {
                count += is_prime(n);
                if ((n & (GIL_CHECK_EVERY - 1)) == 0)
                        ct_gil_check();
        }
        ct_work_end((uint64_t)(hi - lo));
        return count;
}

/* The reference count, by a sieve (not traced). Returns -1 if out of memory. */
static int64_t sieve_count(int64_t total)
{
        unsigned char *composite;
        int64_t count = 0;

        if (total < 3)
                return 0;
        composite = calloc((size_t)total, 1);
        if (!composite)
                return -1;
        for (int64_t i = 2; i < total; i++) {
                if (composite[i])
                        continue;
                count++;
                for (int64_t j = i * i; j < total; j += i)
                        composite[j] = 1;
        }
        free(composite);
        return count;
}

static void split(const struct opts *o, struct range *ranges)
{
        int64_t step = (o->total + o->tasks - 1) / o->tasks;

        for (long i = 0; i < o->tasks; i++) {
                ranges[i].lo = (int64_t)i * step;
                ranges[i].hi = ranges[i].lo + step;
                if (ranges[i].lo > o->total)
                        ranges[i].lo = o->total;
                if (ranges[i].hi > o->total)
                        ranges[i].hi = o->total;
                ranges[i].count = -1;
        }
}

static void thread_task(void *arg)
{
        struct range *r = arg;

        r->count = count_range(r->lo, r->hi);
}

/* Runs in a process-pool worker: in = struct range, out = int64_t count. */
static int process_task(const void *in, size_t in_len, void *out, size_t *out_len)
{
        struct range r;
        int64_t count;

        if (in_len != sizeof(r) || *out_len < sizeof(count))
                return 1;
        memcpy(&r, in, sizeof(r));
        count = count_range(r.lo, r.hi);
        memcpy(out, &count, sizeof(count));
        *out_len = sizeof(count);
        return 0;
}

struct collect_ctx {
        struct range *ranges; /* weak */
        long tasks;
        int failed;
};

static void on_result(void *ctx, int64_t task, int status, const void *out, size_t out_len,
                      int worker_status)
{
        struct collect_ctx *c = ctx;

        if (task < 0 || task >= c->tasks || status != 0 || out_len != sizeof(int64_t)) {
                ct_scn_error("Failed task: task=%lld status=%d worker_status=%d", (long long)task,
                             status, worker_status);
                c->failed = 1;
                return;
        }
        memcpy(&c->ranges[task].count, out, sizeof(int64_t));
}

/* One run with `workers` threads. Returns 0 or a negative errno. */
static int run_threads(const struct opts *o, long workers, struct range *ranges)
{
        struct ct_tpool *pool = NULL;
        int ret;

        ret = ct_tpool_create(&pool, (int)workers, "primes.pool");
        if (ret < 0) {
                ct_scn_error("Failed to create the thread pool: workers=%ld err=%s", workers,
                             strerror(-ret));
                return ret;
        }
        for (long i = 0; i < o->tasks; i++) {
                int64_t id = ct_tpool_submit(pool, thread_task, &ranges[i]);

                if (id < 0) {
                        ct_scn_error("Failed to submit a task: err=%s", strerror((int)-id));
                        ret = (int)id;
                        break;
                }
        }
        if (ret == 0)
                ret = ct_tpool_wait(pool);
        {
                int ret2 = ct_tpool_destroy(pool);

                if (ret == 0)
                        ret = ret2;
        }
        return ret;
}

/* One run with `workers` processes. Returns 0 or a negative errno. */
static int run_processes(const struct opts *o, long workers, struct range *ranges)
{
        struct collect_ctx ctx = {.ranges = ranges, .tasks = o->tasks};
        struct ct_ppool *pool = NULL;
        int ret, ret2;

        fflush(stdout);
        ret = ct_ppool_create(&pool, (int)workers, "primes.pool", process_task);
        if (ret < 0) {
                ct_scn_error("Failed to create the process pool: workers=%ld err=%s", workers,
                             strerror(-ret));
                return ret;
        }
        for (long i = 0; i < o->tasks; i++) {
                int64_t id = ct_ppool_submit(pool, &ranges[i], sizeof(ranges[i]));

                if (id < 0) {
                        ct_scn_error("Failed to submit a task: err=%s", strerror((int)-id));
                        ret = (int)id;
                        break;
                }
                if (id != i) {
                        ct_scn_error("Unexpected task id: got=%lld expected=%ld", (long long)id, i);
                        ret = -EPROTO;
                        break;
                }
        }
        if (ret == 0) {
                ret = ct_ppool_collect(pool, on_result, &ctx);
                if (ret < 0)
                        ct_scn_error("Failed to collect the results: err=%s", strerror(-ret));
        }
        ret2 = ct_ppool_destroy(pool);
        if (ret2 < 0)
                ct_scn_error("A worker process did not exit with status 0: err=%s",
                             strerror(-ret2));
        if (ret == 0)
                ret = ret2;
        if (ret == 0 && ctx.failed)
                ret = -EPROTO;
        return ret;
}

int main(int argc, char **argv)
{
        struct ct_scn_params params;
        struct range *ranges = NULL;
        int64_t expected, elapsed[MAX_WORKER_COUNTS];
        struct opts o;
        int status = 1, ok = 1, ret;

        ct_scn_init(argv[0]);
        ret = parse_opts(argc, argv, &o);
        if (ret)
                return ret;
        ranges = calloc((size_t)o.tasks, sizeof(*ranges));
        expected = sieve_count(o.total);
        if (!ranges || expected < 0) {
                ct_scn_error("Failed to allocate: total=%ld tasks=%ld", o.total, o.tasks);
                goto end;
        }
        if (o.total == 200000 && expected != 17984) {
                ct_scn_error("The reference sieve is wrong: %lld primes below 200000",
                             (long long)expected);
                goto end;
        }
        ct_thread_begin("main");
        if (o.gil && ct_scn_enable_gil(o.switch_us) < 0)
                goto end_thread;
        ct_scn_params_init(&params);
        ct_scn_params_add(&params, "total", "%ld", o.total);
        ct_scn_params_add(&params, "tasks", "%ld", o.tasks);
        ct_scn_params_add(&params, "gil", "%d", o.gil);

        for (size_t w = 0; w < o.n_workers; w++) {
                int64_t t0, found = 0;
                int run_ok;

                split(&o, ranges);
                t0 = ct_scn_run_begin("primes", mode_names[o.mode], o.workers[w], &params);
                if (o.mode == MODE_THREADS)
                        ret = run_threads(&o, o.workers[w], ranges);
                else
                        ret = run_processes(&o, o.workers[w], ranges);
                elapsed[w] = ct_scn_now_ns() - t0;
                for (long i = 0; i < o.tasks; i++) {
                        ct_scn_verbose_printf("  task %ld: [%lld, %lld) -> %lld primes\n", i,
                                              (long long)ranges[i].lo, (long long)ranges[i].hi,
                                              (long long)ranges[i].count);
                        if (ranges[i].count < 0)
                                ret = ret ? ret : -EPROTO;
                        else
                                found += ranges[i].count;
                }
                run_ok = ret == 0 && found == expected;
                ct_run_end(run_ok ? 0 : 1);
                printf("primes: found %lld primes below %ld in %.3f s with %ld %s%s (%ld tasks)\n",
                       (long long)found, o.total, (double)elapsed[w] / 1e9, o.workers[w],
                       o.workers[w] == 1 ? (o.mode == MODE_THREADS ? "thread" : "process")
                                         : mode_names[o.mode],
                       o.gil ? ", GIL model" : "", o.tasks);
                ok &= ct_scn_check(run_ok, "%lld primes below %ld (expected %lld)%s%s",
                                   (long long)found, o.total, (long long)expected, ret ? ": " : "",
                                   ret ? strerror(-ret) : "");
        }
        if (o.n_workers > 1) {
                printf("  %8s %12s %8s\n", "workers", "elapsed", "speedup");
                for (size_t w = 0; w < o.n_workers; w++)
                        printf("  %8ld %10.3fms %7.2fx\n", o.workers[w], ct_scn_ms(elapsed[w]),
                               ct_scn_speedup(elapsed[0], elapsed[w]));
        }
        status = ok ? 0 : 1;
end_thread:
        ct_thread_end();
end:
        free(ranges);
        return status;
}
