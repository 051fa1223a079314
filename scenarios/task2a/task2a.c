/* SPDX-License-Identifier: MIT */
/*
 * task2a — Lab week 3, Task 2A: concurrency with a producer-consumer queue.
 *
 * N_TASKS simulated downloads: each task waits IO_DELAY seconds (simulated
 * I/O, ct_io_sim) then does COMPUTE_SIZE units of CPU work (ct_compute). Two
 * runs in one execution, as in the lab's task2A.py: the sequential variant
 * (one thread does every task in turn) and the threaded variant (a producer
 * thread puts the tasks on a shared queue, NUM_THREADS consumer threads take
 * them; one sentinel per consumer stops them). Both times are printed.
 *
 * --gil turns the GIL model on (CPython-like: compute needs the GIL, I/O
 * releases it); without it the C threads show what truly parallel threads do.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <conctrace/ct.h>

#include "ct_scn.h"

#define MAX_THREADS 256

struct opts {
        long n_tasks;
        double io_delay;
        long num_threads;
        long compute_size;
        long queue_size;
        int gil;
        long switch_us;
};

struct task {
        long id;
        atomic_int consumed; /* times a consumer (or the sequential loop) did it */
};

struct consumer_arg {
        struct ct_queue *queue; /* weak */
        const struct opts *o;   /* weak */
        int index;              /* 1-based */
        long done;              /* tasks this consumer did */
        int error;              /* negative errno of a failed queue call, else 0 */
};

struct producer_arg {
        struct ct_queue *queue; /* weak */
        struct task *tasks;     /* weak: n_tasks of them */
        const struct opts *o;   /* weak */
        int error;
};

/* The item that tells a consumer to stop (the lab's None). */
static struct task sentinel;

static int parse_opts(int argc, char **argv, struct opts *o)
{
        const struct ct_scn_opt options[] = {
            CT_SCN_TEXT(
                "Lab week 3, Task 2A: N_TASKS simulated downloads (IO_DELAY of waiting, "
                "then\n"
                "COMPUTE_SIZE units of CPU work), done sequentially and then by NUM_THREADS\n"
                "consumer threads fed by a producer through a shared queue; both times are\n"
                "printed.\n"
                "\n"
                "Options (the lab's tunables):\n"),
            CT_SCN_LONG("n-tasks", "N", &o->n_tasks, 16, 1, 1000000,
                        "N_TASKS: simulated download+compute tasks (default {})"),
            CT_SCN_DOUBLE("io-delay", "SECONDS", &o->io_delay, 0.05, 0, 60,
                          "IO_DELAY: simulated I/O wait per task (default {})"),
            CT_SCN_LONG("num-threads", "N", &o->num_threads, 4, 1, MAX_THREADS,
                        "NUM_THREADS: consumer threads (default {})"),
            CT_SCN_LONG("compute-size", "UNITS", &o->compute_size, 1000, 0, 100000000,
                        "COMPUTE_SIZE: CPU work per task in ct_compute units\n"
                        "(about 2 us each; default {})"),
            CT_SCN_VERBOSE("VERBOSE: print every task"),
            CT_SCN_TEXT("Other options:\n"),
            CT_SCN_LONG("queue-size", "N", &o->queue_size, 0, 0, 1000000,
                        "bound of the shared queue (default {}: unbounded, like\n"
                        "queue.Queue())"),
            CT_SCN_FLAG("gil", &o->gil, "turn the CPython-like GIL model on"),
            CT_SCN_SWITCH_INTERVAL(&o->switch_us),
            CT_SCN_HELP,
            CT_SCN_TEXT("\n"
                        "Exit status: 0 if every task was done exactly once in both runs, 1 "
                        "otherwise,\n"
                        "2 for bad options.\n"),
        };

        return ct_scn_parse_cli(argc, argv, options, CT_SCN_N(options), 25);
}

/* One task: the simulated download, then the computation on its data. */
static void do_task(const struct opts *o, struct task *t)
{
        if (o->io_delay > 0)
                ct_io_sim((uint64_t)(o->io_delay * 1e6 + 0.5));
        if (o->compute_size > 0)
                ct_compute((uint64_t)o->compute_size);
        atomic_fetch_add(&t->consumed, 1);
        ct_scn_verbose_printf("  [%s] task %ld done\n", ct_thread_role(), t->id);
}

static void *producer(void *arg)
{
        struct producer_arg *p = arg;
        int ret;

        for (long i = 0; i < p->o->n_tasks; i++) {
                ret = ct_queue_put(p->queue, &p->tasks[i]);
                if (ret < 0) {
                        p->error = ret;
                        return NULL;
                }
        }
        for (long i = 0; i < p->o->num_threads; i++) {
                ret = ct_queue_put(p->queue, &sentinel);
                if (ret < 0) {
                        p->error = ret;
                        return NULL;
                }
        }
        return NULL;
}

static void *consumer(void *arg)
{
        struct consumer_arg *c = arg;

        for (;;) {
                void *item = NULL;
                int ret = ct_queue_get(c->queue, &item);

                if (ret < 0) {
                        c->error = ret;
                        break;
                }
                if (item == &sentinel)
                        break;
                do_task(c->o, item);
                c->done++;
        }
        return NULL;
}

/* Checks that every task was done exactly once, then resets the counts. */
static int check_tasks(struct task *tasks, long n, const char *variant)
{
        long wrong = 0, first = -1;

        for (long i = 0; i < n; i++) {
                if (atomic_load(&tasks[i].consumed) != 1) {
                        if (first < 0)
                                first = i;
                        wrong++;
                }
                atomic_store(&tasks[i].consumed, 0);
        }
        if (wrong)
                return ct_scn_check(0, "%s: %ld tasks not done exactly once (first: task %ld)",
                                    variant, wrong, first);
        return ct_scn_check(1, "%s: all %ld tasks done exactly once", variant, n);
}

/* The threaded variant. Returns 0 or a negative errno. */
static int run_threaded(const struct opts *o, struct task *tasks, struct consumer_arg *cargs)
{
        struct ct_thread threads[MAX_THREADS];
        struct ct_thread prod;
        struct producer_arg parg = {.tasks = tasks, .o = o};
        struct ct_queue queue;
        long started;
        int ret, err = 0, prod_started = 0;

        ret = ct_queue_init(&queue, (size_t)o->queue_size, "queue");
        if (ret < 0) {
                ct_scn_error("Failed to create the queue: err=%s", strerror(-ret));
                return ret;
        }
        parg.queue = &queue;
        for (long i = 0; i < o->num_threads; i++)
                cargs[i] = (struct consumer_arg){.queue = &queue, .o = o, .index = (int)i + 1};
        started = ct_scn_start_threads(threads, o->num_threads, "consumer", consumer, cargs,
                                       sizeof(cargs[0]));
        if (started < o->num_threads)
                err = -EAGAIN; /* the cause is reported by ct_scn_start_threads() */
        if (!err) {
                ret = ct_thread_create(&prod, "producer", producer, &parg);
                if (ret < 0) {
                        ct_scn_error("Failed to start the producer: err=%s", strerror(-ret));
                        err = ret;
                } else {
                        prod_started = 1;
                }
        }
        if (!prod_started) {
                /* Stop the consumers that did start. */
                for (long i = 0; i < started; i++)
                        ct_queue_put(&queue, &sentinel);
        } else {
                ct_thread_join(&prod, NULL);
                if (parg.error) {
                        ct_scn_error("Failed to put a task: err=%s", strerror(-parg.error));
                        err = parg.error;
                }
        }
        ct_scn_join_threads(threads, started);
        for (long i = 0; i < started; i++) {
                if (cargs[i].error) {
                        ct_scn_error("Failed to get a task: consumer=%ld err=%s", i + 1,
                                     strerror(-cargs[i].error));
                        err = cargs[i].error;
                }
        }
        ct_queue_destroy(&queue);
        return err;
}

int main(int argc, char **argv)
{
        struct consumer_arg *cargs = NULL;
        struct ct_scn_params params;
        struct task *tasks = NULL;
        struct opts o;
        int64_t t0, t_seq, t_thr;
        int status = 1, ok = 1, ret;

        ct_scn_init(argv[0]);
        ret = parse_opts(argc, argv, &o);
        if (ret)
                return ret;
        tasks = calloc((size_t)o.n_tasks, sizeof(*tasks));
        cargs = calloc((size_t)o.num_threads, sizeof(*cargs));
        if (!tasks || !cargs) {
                ct_scn_error("Failed to allocate the tasks: n_tasks=%ld", o.n_tasks);
                goto end;
        }
        for (long i = 0; i < o.n_tasks; i++)
                tasks[i].id = i;
        ct_thread_begin("main");
        if (o.gil && ct_scn_enable_gil(o.switch_us) < 0)
                goto end_thread;
        ct_scn_params_init(&params);
        ct_scn_params_add(&params, "n_tasks", "%ld", o.n_tasks);
        ct_scn_params_add(&params, "io_delay", "%g", o.io_delay);
        ct_scn_params_add(&params, "compute_size", "%ld", o.compute_size);
        ct_scn_params_add(&params, "queue_size", "%ld", o.queue_size);
        ct_scn_params_add(&params, "gil", "%d", o.gil);
        printf("task2a: N_TASKS=%ld IO_DELAY=%gs NUM_THREADS=%ld COMPUTE_SIZE=%ld%s\n", o.n_tasks,
               o.io_delay, o.num_threads, o.compute_size, o.gil ? " (GIL model on)" : "");

        /* Sequential: one thread does every task in turn. */
        t0 = ct_scn_run_begin("task2a", "serial", 1, &params);
        for (long i = 0; i < o.n_tasks; i++)
                do_task(&o, &tasks[i]);
        t_seq = ct_scn_now_ns() - t0;
        ret = check_tasks(tasks, o.n_tasks, "sequential");
        ct_run_end(ret ? 0 : 1);
        ok &= ret;

        /* Threaded: producer -> queue -> NUM_THREADS consumers. */
        t0 = ct_scn_run_begin("task2a", "threads", o.num_threads, &params);
        ret = run_threaded(&o, tasks, cargs);
        t_thr = ct_scn_now_ns() - t0;
        ret = ret == 0 && check_tasks(tasks, o.n_tasks, "threaded");
        ct_run_end(ret ? 0 : 1);
        ok &= ret;

        if (ct_scn_verbose) {
                for (long i = 0; i < o.num_threads; i++)
                        printf("  consumer-%ld did %ld tasks\n", i + 1, cargs[i].done);
        }
        printf("task2a: sequential elapsed %.3f ms\n", ct_scn_ms(t_seq));
        printf("task2a: threaded (%ld threads) elapsed %.3f ms, speedup %.2fx\n", o.num_threads,
               ct_scn_ms(t_thr), ct_scn_speedup(t_seq, t_thr));
        status = ok ? 0 : 1;
end_thread:
        ct_thread_end();
end:
        free(cargs);
        free(tasks);
        return status;
}
