/* SPDX-License-Identifier: MIT */
/*
 * fork_cost: what a child process and a thread cost, for the probe-effect
 * estimate of `conctrace analyze` (--fork-cost-ns, --thread-cost-ns) and
 * docs/performance.md.
 *
 *   fork_cost [-n CHILDREN] [-t THREADS] [-r RUNS]
 *
 * fork: n x (fork, the child exits at once, waitpid) in a loop; thread: t x
 * (create, the thread returns at once, join). Prints the median over RUNS of
 * the time per child and per thread. Built twice from this file:
 *   fork_cost        through the runtime (ct_fork, whose child re-registers
 *                    with LTTng-UST through its fork hooks; ct_exit;
 *                    ct_waitpid; ct_thread_create/join), linked with lttng-ust;
 *   fork_cost_plain  plain fork/_exit/waitpid and pthread_create/join, not
 *                    linked with lttng-ust (-DCT_FORK_PLAIN).
 * bench/fork-cost runs them with no session daemon reachable, with one and no
 * session, and recorded.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_util.h"

#ifndef CT_FORK_PLAIN
#include "conctrace/proc.h"
#include "conctrace/run.h"
#include "conctrace/thread.h"
#endif

static void *thread_fn(void *arg)
{
        return arg;
}

static int one_child(void)
{
#ifdef CT_FORK_PLAIN
        int st;
        pid_t pid = fork();

        if (pid < 0)
                return -1;
        if (pid == 0)
                _exit(0);
        return waitpid(pid, &st, 0) == pid ? 0 : -1;
#else
        int st;
        pid_t pid = ct_fork("child");

        if (pid < 0)
                return -1;
        if (pid == 0)
                ct_exit(0);
        return ct_waitpid(pid, &st, 0) == pid ? 0 : -1;
#endif
}

static int one_thread(void)
{
#ifdef CT_FORK_PLAIN
        pthread_t t;

        if (pthread_create(&t, NULL, thread_fn, NULL))
                return -1;
        return pthread_join(t, NULL) ? -1 : 0;
#else
        struct ct_thread t;

        if (ct_thread_create(&t, "thread", thread_fn, NULL))
                return -1;
        return ct_thread_join(&t, NULL) ? -1 : 0;
#endif
}

int main(int argc, char **argv)
{
        uint64_t n = 100, nt = 1000, runs = 5;
        double fork_us[64], thr_us[64];
        int c;

        while ((c = getopt(argc, argv, "n:t:r:h")) != -1) {
                uint64_t *dst = c == 'n' ? &n : c == 't' ? &nt : c == 'r' ? &runs : NULL;

                if (!dst || bench_parse_count(optarg, dst) || !*dst) {
                        fprintf(stderr, "usage: %s [-n CHILDREN] [-t THREADS] [-r RUNS]\n",
                                argv[0]);
                        return c == 'h' ? 0 : 2;
                }
        }
        if (runs > 64)
                runs = 64;
#ifndef CT_FORK_PLAIN
        ct_thread_begin("main");
        ct_run_begin("fork_cost", "loop", 1, "");
#endif
        for (uint64_t r = 0; r < runs; r++) {
                uint64_t t0 = bench_now_ns(), t1, t2;

                for (uint64_t i = 0; i < n; i++) {
                        if (one_child()) {
                                perror("fork_cost: fork/waitpid");
                                return 1;
                        }
                }
                t1 = bench_now_ns();
                for (uint64_t i = 0; i < nt; i++) {
                        if (one_thread()) {
                                fprintf(stderr, "fork_cost: thread create/join failed\n");
                                return 1;
                        }
                }
                t2 = bench_now_ns();
                fork_us[r] = (double)(t1 - t0) / 1e3 / (double)n;
                thr_us[r] = (double)(t2 - t1) / 1e3 / (double)nt;
        }
#ifndef CT_FORK_PLAIN
        ct_run_end(0);
        ct_thread_end();
#endif
        printf("fork children=%llu runs=%llu per_child_us=%.2f\n", (unsigned long long)n,
               (unsigned long long)runs, bench_median(fork_us, runs));
        printf("thread threads=%llu runs=%llu per_thread_us=%.2f\n", (unsigned long long)nt,
               (unsigned long long)runs, bench_median(thr_us, runs));
        return 0;
}
