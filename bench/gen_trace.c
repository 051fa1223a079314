/* SPDX-License-Identifier: MIT */
/*
 * gen_trace: a synthetic program on the conctrace runtime whose trace mixes
 * every event kind of the contract, sized by a target event count. Used to
 * make the analyzer-throughput traces (bench/run-all records it once into
 * bench/.cache/ and reuses the trace).
 *
 *   gen_trace [-e EVENTS] [-w WORK_UNITS]
 *
 * One "round" of the main loop fires about 90 events:
 *   - 4 queue puts (main) and 4 gets (consumer thread): lock, queue and cond
 *     events, with real contention and waits;
 *   - 2 tasks on a 2-worker thread pool, each computing and taking a mutex
 *     shared with the other worker: pool, work and lock events;
 *   - one 64-byte pipe round trip with a forked echo child that waits in
 *     ct_select while the parent waits in ct_poll: pipe and select events.
 * Every 64 rounds: a phase, a pool wait and a condvar broadcast; every 1024:
 * a thread created and joined, a simulated I/O and a process-pool task
 * (fork-based workers); every 8192: a short-lived forked child. The loop stops
 * when the estimated count reaches EVENTS (the exact count is whatever the
 * trace holds: count it with count_sink). WORK_UNITS (default 1) paces the
 * pool tasks so the consumer daemon keeps up.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_util.h"
#include "conctrace/ct.h"

#define EVENTS_PER_ROUND 90
#define QUEUE_ITEMS      4

static struct ct_queue queue;
static struct ct_mutex shared_mu;
static struct ct_mutex flag_mu;
static struct ct_cond flag_cv;
static int flag_gen; /* under flag_mu */
static uint64_t work_units = 1;

static void *consumer(void *arg)
{
        void *item;

        (void)arg;
        for (;;) {
                if (ct_queue_get(&queue, &item) < 0)
                        abort();
                if (item == NULL)
                        break;
        }
        return NULL;
}

static void pool_task(void *arg)
{
        (void)arg;
        ct_compute(work_units);
        ct_mutex_lock(&shared_mu);
        ct_mutex_unlock(&shared_mu);
}

/* Waits until flag_gen passes the generation given as arg (read by main, its
 * only writer, before it creates this thread: the broadcast cannot be missed). */
static void *flag_waiter(void *arg)
{
        int seen = (int)(intptr_t)arg;

        ct_mutex_lock(&flag_mu);
        while (flag_gen == seen)
                ct_cond_wait(&flag_cv, &flag_mu);
        ct_mutex_unlock(&flag_mu);
        return NULL;
}

static void *short_thread(void *arg)
{
        (void)arg;
        ct_mutex_lock(&shared_mu);
        ct_mutex_unlock(&shared_mu);
        return NULL;
}

static int ppool_fn(const void *in, size_t in_len, void *out, size_t *out_len)
{
        ct_compute(1);
        memcpy(out, in, in_len);
        *out_len = in_len;
        return 0;
}

/* The echo child: select on the request pipe, read 64 B, write them back. */
static _Noreturn void echo_child(int req_rd, int rep_wr)
{
        char buf[64];

        for (;;) {
                fd_set rset;
                ssize_t n;

                FD_ZERO(&rset);
                FD_SET(req_rd, &rset);
                if (ct_select(req_rd + 1, &rset, NULL, NULL, NULL) < 0)
                        ct_exit(1);
                n = ct_read_full(req_rd, buf, sizeof(buf));
                if (n <= 0)
                        break;
                if (ct_write_all(rep_wr, buf, (size_t)n, NULL) != n)
                        ct_exit(1);
        }
        ct_pipe_close(req_rd);
        ct_pipe_close(rep_wr);
        ct_exit(0);
}

static void usage(FILE *out)
{
        fprintf(out, "Usage: gen_trace [-e EVENTS] [-w WORK_UNITS]\n"
                     "Fires about EVENTS (default 1M) conctrace events of every kind.\n");
}

int main(int argc, char **argv)
{
        uint64_t events = 1000000, rounds, r;
        struct ct_tpool *tpool = NULL;
        struct ct_ppool *ppool = NULL;
        struct ct_thread cons, th;
        int req[2], rep[2];
        char params[64], buf[64];
        pid_t echo;
        int c, status;

        while ((c = getopt(argc, argv, "e:w:h")) != -1) {
                if (c == 'h') {
                        usage(stdout);
                        return 0;
                }
                if ((c != 'e' && c != 'w') ||
                    bench_parse_count(optarg, c == 'e' ? &events : &work_units) < 0) {
                        usage(stderr);
                        return 2;
                }
        }
        if (optind != argc) {
                usage(stderr);
                return 2;
        }
        rounds = events / EVENTS_PER_ROUND + 1;
        memset(buf, 'x', sizeof(buf));
        snprintf(params, sizeof(params), "events=%" PRIu64, events);

        ct_thread_begin("main");
        ct_run_begin("gen_trace", "mixed", 2, params);

        /* Processes first (fork copies only the calling thread). */
        if (ct_ppool_create(&ppool, 1, "gen.ppool", ppool_fn) < 0 ||
            ct_pipe_create(req, "gen.request") < 0 || ct_pipe_create(rep, "gen.reply") < 0) {
                fprintf(stderr, "gen_trace: Failed to create the process pool or pipes\n");
                return 1;
        }
        echo = ct_fork("echo");
        if (echo < 0) {
                fprintf(stderr, "gen_trace: Failed to fork: %s\n", strerror((int)-echo));
                return 1;
        }
        if (echo == 0) {
                ct_pipe_close(req[1]);
                ct_pipe_close(rep[0]);
                echo_child(req[0], rep[1]);
        }
        ct_pipe_close(req[0]);
        ct_pipe_close(rep[1]);

        if (ct_queue_init(&queue, 8, "gen.queue") < 0 ||
            ct_mutex_init(&shared_mu, "gen.shared") < 0 ||
            ct_mutex_init(&flag_mu, "gen.flag") < 0 || ct_cond_init(&flag_cv, "gen.flag_cv") < 0 ||
            ct_tpool_create(&tpool, 2, "gen.tpool") < 0 ||
            ct_thread_create(&cons, "consumer", consumer, NULL) < 0) {
                fprintf(stderr, "gen_trace: Failed to create the runtime objects\n");
                return 1;
        }

        for (r = 0; r < rounds; r++) {
                struct pollfd pfd = {.fd = rep[0], .events = POLLIN};
                int i;

                if (r % 64 == 0)
                        ct_phase_begin("batch");
                for (i = 0; i < QUEUE_ITEMS; i++)
                        ct_queue_put(&queue, &queue);
                ct_tpool_submit(tpool, pool_task, NULL);
                ct_tpool_submit(tpool, pool_task, NULL);
                if (ct_write_all(req[1], buf, sizeof(buf), NULL) != (ssize_t)sizeof(buf) ||
                    ct_poll(&pfd, 1, -1) < 0 ||
                    ct_read_full(rep[0], buf, sizeof(buf)) != sizeof(buf)) {
                        fprintf(stderr, "gen_trace: Failed to echo through the child\n");
                        return 1;
                }
                if (r % 64 == 63) {
                        struct ct_thread w;

                        ct_tpool_wait(tpool);
                        ct_thread_create(&w, "waiter", flag_waiter, (void *)(intptr_t)flag_gen);
                        usleep(50);
                        ct_mutex_lock(&flag_mu);
                        flag_gen++;
                        ct_cond_broadcast(&flag_cv);
                        ct_mutex_unlock(&flag_mu);
                        ct_thread_join(&w, NULL);
                        ct_phase_end("batch");
                }
                if (r % 1024 == 1000) {
                        ct_thread_create(&th, "short", short_thread, NULL);
                        ct_thread_join(&th, NULL);
                        ct_io_sim(10);
                        ct_ppool_submit(ppool, buf, sizeof(buf));
                        ct_ppool_collect(ppool, NULL, NULL);
                }
                if (r % 8192 == 4000) {
                        pid_t p = ct_fork("short-child");

                        if (p == 0)
                                ct_exit(0);
                        if (p > 0)
                                ct_waitpid(p, &status, 0);
                }
        }
        if (rounds % 64)
                ct_phase_end("batch");

        ct_queue_put(&queue, NULL);
        ct_thread_join(&cons, NULL);
        ct_tpool_wait(tpool);
        ct_tpool_destroy(tpool);
        ct_pipe_close(req[1]);
        ct_waitpid(echo, &status, 0);
        ct_pipe_close(rep[0]);
        ct_ppool_destroy(ppool);
        ct_queue_destroy(&queue);
        ct_run_end(0);
        ct_thread_end();
        return 0;
}
