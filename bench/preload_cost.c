/* SPDX-License-Identifier: MIT */
/*
 * preload_cost: what a plain program pays for one call the preload library
 * interposes, run with and without LD_PRELOAD=libconctrace-preload.so by
 * bench/preload-bench (no session: the untraced cost).
 *
 *   preload_cost mutex N [threaded]   N lock+unlock pairs of an uncontended mutex
 *   preload_cost pipe N [threaded]    N one-byte writes to a pipe (drained untimed)
 *
 * `threaded`: an idle second thread exists while measuring. That is what
 * loading lttng-ust (its listener threads) does to any program: glibc then
 * takes its multi-threaded paths (locked instructions in the mutexes,
 * cancellation state around system calls) and the kernel refcounts the file
 * of every fd access, so the cost of the interposition itself is the library
 * against this baseline, and a single-threaded program pays both.
 *
 * Prints "ns_per_op=X" (the median of 7 rounds).
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_util.h"

#define ROUNDS 7
#define BATCH  4096 /* pipe writes between two drains: below the 64 KiB pipe buffer */

static double mutex_round(long n)
{
        static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
        uint64_t t0 = bench_now_ns();

        for (long i = 0; i < n; i++) {
                pthread_mutex_lock(&mu);
                pthread_mutex_unlock(&mu);
        }
        return (double)(bench_now_ns() - t0) / (double)n;
}

static double pipe_round(long n, int fds[2])
{
        char c = 'x', buf[BATCH];
        uint64_t spent = 0;

        for (long done = 0; done < n;) {
                long k = n - done < BATCH ? n - done : BATCH;
                uint64_t t0 = bench_now_ns();

                for (long i = 0; i < k; i++) {
                        if (write(fds[1], &c, 1) != 1) {
                                perror("write");
                                exit(1);
                        }
                }
                spent += bench_now_ns() - t0;
                for (long got = 0; got < k;) {
                        ssize_t r = read(fds[0], buf, (size_t)(k - got));

                        if (r <= 0) {
                                perror("read");
                                exit(1);
                        }
                        got += r;
                }
                done += k;
        }
        return (double)spent / (double)n;
}

static void *idle(void *arg)
{
        for (;;)
                pause();
        return arg;
}

int main(int argc, char **argv)
{
        double v[ROUNDS];
        pthread_t t;
        int fds[2];
        long n;

        if (argc < 3 || argc > 4 || (strcmp(argv[1], "mutex") && strcmp(argv[1], "pipe")) ||
            (n = atol(argv[2])) <= 0 || (argc == 4 && strcmp(argv[3], "threaded"))) {
                fprintf(stderr, "usage: preload_cost mutex|pipe N [threaded]\n");
                return 2;
        }
        if (argc == 4 && pthread_create(&t, NULL, idle, NULL) != 0) {
                perror("pthread_create");
                return 1;
        }
        if (!strcmp(argv[1], "pipe") && pipe(fds) != 0) {
                perror("pipe");
                return 1;
        }
        for (int r = 0; r < ROUNDS; r++)
                v[r] = !strcmp(argv[1], "mutex") ? mutex_round(n) : pipe_round(n, fds);
        printf("ns_per_op=%.2f\n", bench_median(v, ROUNDS));
        return 0;
}
