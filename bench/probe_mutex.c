/* SPDX-License-Identifier: MIT */
/*
 * probe_mutex: the probe effect of tracing on a tight lock loop. Two threads
 * hammer one mutex ITERS times each, with WORK iterations of arithmetic inside
 * the lock and WORK outside it (0: the tightest loop).
 *
 *   probe_mutex [-n ITERS] [-w WORK] [-b]
 *
 * -b uses a bare pthread mutex (the untraced, uninstrumented reference);
 * otherwise a ct_mutex, whose events are recorded or not depending on the
 * session and on CT_RECORD_LEVEL (full or light). The run is framed by
 * ct_run:run_begin/run_end. Prints one line (time of the hammering only,
 * not of process start-up or session set-up):
 *
 *   probe mode=ct work=0 iters=200000 ns=61234567 per_op_ns=153.1
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_util.h"
#include "conctrace/ct.h"

static uint64_t iters = 200000, work;
static int bare;
static pthread_mutex_t pm = PTHREAD_MUTEX_INITIALIZER;
static struct ct_mutex cm;
static pthread_barrier_t barrier;

static uint64_t spin(uint64_t n, uint64_t x)
{
        uint64_t k;

        for (k = 0; k < n; k++) {
                x = x * 6364136223846793005ull + 1442695040888963407ull;
                bench_keep(x);
        }
        return x;
}

static void *hammer(void *arg)
{
        uint64_t i, x = (uint64_t)(uintptr_t)arg;

        if (!bare)
                ct_thread_begin(arg ? "hammer-1" : "hammer-0");
        pthread_barrier_wait(&barrier);
        for (i = 0; i < iters; i++) {
                if (bare) {
                        pthread_mutex_lock(&pm);
                        x = spin(work, x);
                        pthread_mutex_unlock(&pm);
                } else {
                        ct_mutex_lock(&cm);
                        x = spin(work, x);
                        ct_mutex_unlock(&cm);
                }
                x = spin(work, x);
        }
        pthread_barrier_wait(&barrier);
        if (!bare)
                ct_thread_end();
        bench_keep(x);
        return NULL;
}

int main(int argc, char **argv)
{
        pthread_t th[2];
        char params[64];
        uint64_t t0;
        int c, i;

        while ((c = getopt(argc, argv, "n:w:bh")) != -1) {
                switch (c) {
                case 'n':
                        if (bench_parse_count(optarg, &iters) < 0)
                                goto usage;
                        break;
                case 'w':
                        if (strcmp(optarg, "0") == 0)
                                work = 0;
                        else if (bench_parse_count(optarg, &work) < 0)
                                goto usage;
                        break;
                case 'b':
                        bare = 1;
                        break;
                case 'h':
                        printf("Usage: probe_mutex [-n ITERS] [-w WORK] [-b]\n");
                        return 0;
                default:
                        goto usage;
                }
        }
        if (optind != argc)
                goto usage;

        snprintf(params, sizeof(params), "iters=%llu work=%llu", (unsigned long long)iters,
                 (unsigned long long)work);
        if (!bare) {
                ct_thread_begin("main");
                if (ct_mutex_init(&cm, "probe.mutex") < 0)
                        return 1;
                ct_run_begin("probe_mutex", "threads", 2, params);
        }
        pthread_barrier_init(&barrier, NULL, 3);
        for (i = 0; i < 2; i++)
                if (pthread_create(&th[i], NULL, hammer, (void *)(uintptr_t)i)) {
                        fprintf(stderr, "probe_mutex: Failed to create a thread\n");
                        return 1;
                }
        pthread_barrier_wait(&barrier);
        t0 = bench_now_ns();
        pthread_barrier_wait(&barrier);
        t0 = bench_now_ns() - t0;
        for (i = 0; i < 2; i++)
                pthread_join(th[i], NULL);
        if (!bare) {
                ct_run_end(0);
                ct_thread_end();
        }
        printf("probe mode=%s work=%llu iters=%llu ns=%llu per_op_ns=%.1f\n", bare ? "bare" : "ct",
               (unsigned long long)work, (unsigned long long)iters, (unsigned long long)t0,
               (double)t0 / (double)(2 * iters));
        return 0;

usage:
        fprintf(stderr, "Usage: probe_mutex [-n ITERS] [-w WORK] [-b]\n");
        return 2;
}
