/* SPDX-License-Identifier: MIT */
/*
 * scaling — Week 2 report "Concurrency & Scaling": one workload run serial,
 * with threads, with processes and with an event loop, across worker counts.
 *
 * --workload cpu: every task is --cpu-units of ct_compute (a pure loop);
 * --workload io: every task waits --io-ms (simulated I/O).
 * --model serial|threads|processes|eventloop (a comma list; default all):
 *   serial     one thread does the tasks in turn (one run, workers = 1);
 *   threads    the runtime's thread pool with W workers (--gil: CPython-like);
 *   processes  the runtime's process pool with W worker processes (the pool's
 *              start-up is part of the run, as with ProcessPoolExecutor);
 *   eventloop  one thread keeps up to W tasks in flight and multiplexes their
 *              simulated I/O with a timer-driven select() loop (the C analogue
 *              of asyncio with a concurrency limit of W); CPU work runs inline.
 * --workers 1,2,4,8: each count is its own run (variant = model).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include <conctrace/ct.h>

#include "ct_scn.h"

#define MAX_WORKER_COUNTS 16
#define MAX_WORKERS       256

enum workload { WL_CPU = 0, WL_IO = 1 };
static const char *const workload_names[] = {"cpu", "io", NULL};

enum model { M_SERIAL = 0, M_THREADS, M_PROCESSES, M_EVENTLOOP, M_COUNT };
static const char *const model_names[] = {"serial", "threads", "processes", "eventloop", NULL};

struct opts {
        int workload;
        int models[M_COUNT]; /* 1 if that model runs */
        long workers[MAX_WORKER_COUNTS];
        size_t n_workers;
        long tasks;
        long cpu_units;
        long io_ms;
        int gil;
        long switch_us;
};

/* What a task does (also sent to process-pool workers). */
struct job {
        int32_t workload;
        int32_t index;
        int64_t cpu_units;
        int64_t io_us;
};

struct task {
        struct job job;
        int done; /* times completed */
};

struct result {
        int model;
        long workers;
        int64_t elapsed;
        int ok;
};

/* --model: a comma list of model names, or "all"; models[m] = 1 for each. */
static int parse_models(const char *name, const char *arg, void *target)
{
        int *models = target;
        char buf[128];
        char *save = NULL, *tok;

        memset(models, 0, sizeof(int) * M_COUNT);
        if (strcmp(arg, "all") == 0) {
                for (int m = 0; m < M_COUNT; m++)
                        models[m] = 1;
                return 0;
        }
        if (strlen(arg) >= sizeof(buf) || arg[0] == '\0') {
                ct_scn_error("invalid value for --%s: '%s' (expected a comma list of serial, "
                             "threads, processes, eventloop, or all)",
                             name, arg);
                return -EINVAL;
        }
        strcpy(buf, arg);
        for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
                int m = ct_scn_parse_choice(name, tok, model_names);

                if (m < 0)
                        return m;
                models[m] = 1;
        }
        return 0;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
        const struct ct_scn_opt options[] = {
            CT_SCN_TEXT("Week 2 report, concurrency & scaling: a CPU-bound or I/O-bound workload "
                        "run\n"
                        "serial, with threads, with processes and with an event loop, across "
                        "worker\n"
                        "counts; each (model, workers) is one run.\n"
                        "\n"
                        "Options:\n"),
            CT_SCN_CHOICE("workload", &o->workload, workload_names, WL_CPU,
                          "pure loop or sleep (default {})"),
            CT_SCN_CUSTOM("model", "LIST", o->models, parse_models, "all",
                          "serial,threads,processes,eventloop or all (default {})"),
            CT_SCN_LIST("workers", "LIST", o->workers, &o->n_workers, MAX_WORKER_COUNTS, "1,2,4,8",
                        1, MAX_WORKERS, "worker counts, each its own run (default {})"),
            CT_SCN_LONG("tasks", "N", &o->tasks, 16, 1, 100000, "tasks per run (default {})"),
            CT_SCN_LONG("cpu-units", "U", &o->cpu_units, 1000, 0, 100000000,
                        "CPU work per task, ct_compute units of ~2 us (default {})"),
            CT_SCN_LONG("io-ms", "MS", &o->io_ms, 10, 0, 100000,
                        "simulated I/O per task (default {})"),
            CT_SCN_FLAG("gil", &o->gil, "CPython-like GIL model for the threads model"),
            CT_SCN_SWITCH_INTERVAL(&o->switch_us),
            CT_SCN_VERBOSE("print every task"),
            CT_SCN_HELP,
            CT_SCN_TEXT("\n"
                        "Exit status: 0 if every run completed every task exactly once, 1 "
                        "otherwise,\n"
                        "2 for bad options.\n"),
        };

        return ct_scn_parse_cli(argc, argv, options, CT_SCN_N(options), 25);
}

static void do_job(const struct job *j)
{
        if (j->workload == WL_CPU)
                ct_compute((uint64_t)j->cpu_units);
        else
                ct_io_sim((uint64_t)j->io_us);
}

static void thread_task(void *arg)
{
        struct task *t = arg;

        do_job(&t->job);
        t->done++; /* one task per worker at a time: no race on one task */
        ct_scn_verbose_printf("  [%s] task %d done\n", ct_thread_role(), t->job.index);
}

static int process_task(const void *in, size_t in_len, void *out, size_t *out_len)
{
        struct job j;

        if (in_len != sizeof(j) || *out_len < sizeof(int32_t))
                return 1;
        memcpy(&j, in, sizeof(j));
        do_job(&j);
        memcpy(out, &j.index, sizeof(int32_t));
        *out_len = sizeof(int32_t);
        return 0;
}

struct collect_ctx {
        struct task *tasks; /* weak */
        long n;
        int failed;
};

static void on_result(void *ctx, int64_t task, int status, const void *out, size_t out_len,
                      int worker_status)
{
        struct collect_ctx *c = ctx;
        int32_t index;

        if (status != 0 || out_len != sizeof(index) || task < 0 || task >= c->n) {
                ct_scn_error("Failed task: task=%lld status=%d worker_status=%d", (long long)task,
                             status, worker_status);
                c->failed = 1;
                return;
        }
        memcpy(&index, out, sizeof(index));
        if (index != task) {
                c->failed = 1;
                return;
        }
        c->tasks[index].done++;
        ct_scn_verbose_printf("  [main] task %d result received\n", index);
}

static int run_serial(struct task *tasks, long n)
{
        for (long i = 0; i < n; i++) {
                do_job(&tasks[i].job);
                tasks[i].done++;
        }
        return 0;
}

static int run_threads(struct task *tasks, long n, long workers)
{
        struct ct_tpool *pool = NULL;
        int ret, ret2;

        ret = ct_tpool_create(&pool, (int)workers, "scaling.pool");
        if (ret < 0) {
                ct_scn_error("Failed to create the thread pool: workers=%ld err=%s", workers,
                             strerror(-ret));
                return ret;
        }
        for (long i = 0; i < n && ret == 0; i++) {
                int64_t id = ct_tpool_submit(pool, thread_task, &tasks[i]);

                if (id < 0)
                        ret = (int)id;
        }
        if (ret == 0)
                ret = ct_tpool_wait(pool);
        ret2 = ct_tpool_destroy(pool);
        return ret ? ret : ret2;
}

static int run_processes(struct task *tasks, long n, long workers)
{
        struct collect_ctx ctx = {.tasks = tasks, .n = n};
        struct ct_ppool *pool = NULL;
        int ret, ret2;

        fflush(stdout);
        ret = ct_ppool_create(&pool, (int)workers, "scaling.pool", process_task);
        if (ret < 0) {
                ct_scn_error("Failed to create the process pool: workers=%ld err=%s", workers,
                             strerror(-ret));
                return ret;
        }
        for (long i = 0; i < n && ret == 0; i++) {
                int64_t id = ct_ppool_submit(pool, &tasks[i].job, sizeof(tasks[i].job));

                if (id < 0)
                        ret = (int)id;
        }
        if (ret == 0)
                ret = ct_ppool_collect(pool, on_result, &ctx);
        ret2 = ct_ppool_destroy(pool);
        if (ret == 0)
                ret = ret2;
        if (ret == 0 && ctx.failed)
                ret = -EPROTO;
        return ret;
}

/*
 * The event loop: up to `workers` tasks in flight; a task's simulated I/O is a
 * deadline, and one select() with the nearest deadline as timeout waits for
 * all of them. CPU work has nothing to wait for and runs inline.
 */
static int run_eventloop(struct task *tasks, long n, long workers)
{
        int64_t *deadline = malloc(sizeof(int64_t) * (size_t)workers);
        long *slot_task = malloc(sizeof(long) * (size_t)workers);
        long next = 0, finished = 0, inflight = 0;
        int ret = 0;

        if (!deadline || !slot_task) {
                ret = -ENOMEM;
                goto end;
        }
        while (finished < n) {
                int64_t now, wait_ns = -1;
                struct timeval tv;

                /* Start tasks while there is room. */
                while (inflight < workers && next < n) {
                        struct task *t = &tasks[next];

                        if (t->job.workload == WL_CPU || t->job.io_us == 0) {
                                do_job(&t->job);
                                t->done++;
                                finished++;
                        } else {
                                deadline[inflight] = ct_scn_now_ns() + t->job.io_us * 1000;
                                slot_task[inflight] = next;
                                inflight++;
                        }
                        next++;
                }
                if (inflight == 0)
                        continue;
                now = ct_scn_now_ns();
                for (long s = 0; s < inflight; s++) {
                        int64_t left = deadline[s] - now;

                        if (wait_ns < 0 || left < wait_ns)
                                wait_ns = left < 0 ? 0 : left;
                }
                if (wait_ns > 0) {
                        tv.tv_sec = (time_t)(wait_ns / 1000000000);
                        tv.tv_usec = (suseconds_t)((wait_ns % 1000000000 + 999) / 1000);
                        ret = ct_select(0, NULL, NULL, NULL, &tv);
                        if (ret < 0 && ret != -EINTR) {
                                ct_scn_error("Failed to select: err=%s", strerror(-ret));
                                goto end;
                        }
                        ret = 0;
                }
                /* Complete the tasks whose I/O is over. */
                now = ct_scn_now_ns();
                for (long s = 0; s < inflight;) {
                        if (deadline[s] <= now) {
                                struct task *t = &tasks[slot_task[s]];

                                t->done++;
                                finished++;
                                ct_scn_verbose_printf("  [eventloop] task %d done\n", t->job.index);
                                inflight--;
                                deadline[s] = deadline[inflight];
                                slot_task[s] = slot_task[inflight];
                        } else {
                                s++;
                        }
                }
        }
end:
        free(deadline);
        free(slot_task);
        return ret;
}

int main(int argc, char **argv)
{
        struct result results[M_COUNT * MAX_WORKER_COUNTS];
        struct ct_scn_params params;
        struct task *tasks = NULL;
        struct opts o;
        size_t n_results = 0;
        int64_t serial_ns = 0;
        int status = 1, ok = 1, ret;

        ct_scn_init(argv[0]);
        ret = parse_opts(argc, argv, &o);
        if (ret)
                return ret;
        tasks = calloc((size_t)o.tasks, sizeof(*tasks));
        if (!tasks) {
                ct_scn_error("Failed to allocate the tasks: tasks=%ld", o.tasks);
                return 1;
        }
        ct_thread_begin("main");
        if (o.gil && ct_scn_enable_gil(o.switch_us) < 0)
                goto end;
        ct_scn_params_init(&params);
        ct_scn_params_add(&params, "workload", "%s", workload_names[o.workload]);
        ct_scn_params_add(&params, "tasks", "%ld", o.tasks);
        if (o.workload == WL_CPU)
                ct_scn_params_add(&params, "cpu_units", "%ld", o.cpu_units);
        else
                ct_scn_params_add(&params, "io_ms", "%ld", o.io_ms);
        ct_scn_params_add(&params, "gil", "%d", o.gil);
        printf("scaling: %s-bound workload, %ld tasks of %s%s\n", workload_names[o.workload],
               o.tasks, o.workload == WL_CPU ? "CPU work" : "simulated I/O",
               o.gil ? " (GIL model on)" : "");

        for (int m = 0; m < M_COUNT; m++) {
                size_t counts = m == M_SERIAL ? 1 : o.n_workers;

                if (!o.models[m])
                        continue;
                for (size_t w = 0; w < counts; w++) {
                        long workers = m == M_SERIAL ? 1 : o.workers[w];
                        struct result *r = &results[n_results++];
                        long wrong = 0;
                        int64_t t0;

                        for (long i = 0; i < o.tasks; i++) {
                                tasks[i].job = (struct job){
                                    .workload = o.workload,
                                    .index = (int32_t)i,
                                    .cpu_units = o.cpu_units,
                                    .io_us = (int64_t)o.io_ms * 1000,
                                };
                                tasks[i].done = 0;
                        }
                        t0 = ct_scn_run_begin("scaling", model_names[m], workers, &params);
                        switch (m) {
                        case M_SERIAL:
                                ret = run_serial(tasks, o.tasks);
                                break;
                        case M_THREADS:
                                ret = run_threads(tasks, o.tasks, workers);
                                break;
                        case M_PROCESSES:
                                ret = run_processes(tasks, o.tasks, workers);
                                break;
                        default:
                                ret = run_eventloop(tasks, o.tasks, workers);
                                break;
                        }
                        r->elapsed = ct_scn_now_ns() - t0;
                        for (long i = 0; i < o.tasks; i++)
                                wrong += tasks[i].done != 1;
                        r->model = m;
                        r->workers = workers;
                        r->ok = ret == 0 && wrong == 0;
                        ct_run_end(r->ok ? 0 : 1);
                        if (m == M_SERIAL)
                                serial_ns = r->elapsed;
                        if (!r->ok) {
                                ct_scn_check(0, "%s with %ld workers: %ld tasks not done once%s%s",
                                             model_names[m], workers, wrong, ret ? ": " : "",
                                             ret ? strerror(-ret) : "");
                                ok = 0;
                        }
                }
        }

        printf("  %-10s %8s %12s %8s %10s\n", "model", "workers", "elapsed", "speedup",
               "efficiency");
        for (size_t i = 0; i < n_results; i++) {
                struct result *r = &results[i];
                double s = ct_scn_speedup(serial_ns, r->elapsed);

                if (serial_ns)
                        printf("  %-10s %8ld %10.3fms %7.2fx %9.0f%%\n", model_names[r->model],
                               r->workers, ct_scn_ms(r->elapsed), s,
                               100.0 * s / (double)r->workers);
                else
                        printf("  %-10s %8ld %10.3fms %8s %10s\n", model_names[r->model],
                               r->workers, ct_scn_ms(r->elapsed), "-", "-");
        }
        ok = ct_scn_check(ok, "%zu runs, every task done exactly once in each", n_results);
        status = ok ? 0 : 1;
end:
        ct_thread_end();
        free(tasks);
        return status;
}
