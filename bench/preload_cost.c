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
 * of every fd access. A single-threaded program under the library pays that
 * too.
 *
 * Each of ROUNDS rounds times the calls as linked (the library's wrappers
 * when it is preloaded) and, right after, libc's own functions (found in
 * libc.so.6 itself with dlsym), so both are measured in the same process at
 * the same moment (the pipe's in alternating batches of writes). Prints the
 * medians over the rounds:
 *   ns_per_op=X   the calls as linked
 *   ns_direct=Y   libc's own functions
 *   ns_added=Z    the median of the rounds' differences X - Y (the
 *                 interposition's own cost; about 0 without the library)
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_util.h"

#define ROUNDS 11
#define BATCH  4096 /* pipe writes between two drains: below the 64 KiB pipe buffer */

struct fns {
        int (*lock)(pthread_mutex_t *);
        int (*unlock)(pthread_mutex_t *);
        ssize_t (*write)(int, const void *, size_t);
};

static double mutex_round(const struct fns *f, long n)
{
        static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
        uint64_t t0 = bench_now_ns();

        for (long i = 0; i < n; i++) {
                f->lock(&mu);
                f->unlock(&mu);
        }
        return (double)(bench_now_ns() - t0) / (double)n;
}

/* k one-byte writes through f, then the pipe drained (untimed): ns per write. */
static double pipe_batch(const struct fns *f, long k, int fds[2])
{
        char c = 'x', buf[BATCH];
        uint64_t t0 = bench_now_ns(), spent;

        for (long i = 0; i < k; i++) {
                if (f->write(fds[1], &c, 1) != 1) {
                        perror("write");
                        exit(1);
                }
        }
        spent = bench_now_ns() - t0;
        for (long got = 0; got < k;) {
                ssize_t r = read(fds[0], buf, (size_t)(k - got));

                if (r <= 0) {
                        perror("read");
                        exit(1);
                }
                got += r;
        }
        return (double)spent / (double)k;
}

/* A pipe round: batches of BATCH / 8 writes, linked and libc's alternately;
 * v, d: the round's medians, diff: the median of the batch pairs' differences
 * (a system call varies far more than the wrapper costs: pairing batches a
 * millisecond apart cancels the machine's load). */
#define PAIRS 64
static void pipe_round(const struct fns *linked, const struct fns *libc, long n, int fds[2],
                       double *v, double *d, double *diff)
{
        double a[PAIRS], b[PAIRS], x[PAIRS];
        long k = n / PAIRS > 0 ? n / PAIRS : 1;

        if (k > BATCH)
                k = BATCH;
        for (int i = 0; i < PAIRS; i++) {
                a[i] = pipe_batch(linked, k, fds);
                b[i] = pipe_batch(libc, k, fds);
                x[i] = a[i] - b[i];
        }
        *v = bench_median(a, PAIRS);
        *d = bench_median(b, PAIRS);
        *diff = bench_median(x, PAIRS);
}

static void *idle(void *arg)
{
        for (;;)
                pause();
        return arg;
}

int main(int argc, char **argv)
{
        double v[ROUNDS], d[ROUNDS], diff[ROUNDS];
        struct fns linked = {pthread_mutex_lock, pthread_mutex_unlock, write}, libc;
        void *h;
        pthread_t t;
        int fds[2], is_mutex;
        long n;

        if (argc < 3 || argc > 4 || (strcmp(argv[1], "mutex") && strcmp(argv[1], "pipe")) ||
            (n = atol(argv[2])) <= 0 || (argc == 4 && strcmp(argv[3], "threaded"))) {
                fprintf(stderr, "usage: preload_cost mutex|pipe N [threaded]\n");
                return 2;
        }
        is_mutex = !strcmp(argv[1], "mutex");
        h = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
        libc.lock = h ? (int (*)(pthread_mutex_t *))dlsym(h, "pthread_mutex_lock") : NULL;
        libc.unlock = h ? (int (*)(pthread_mutex_t *))dlsym(h, "pthread_mutex_unlock") : NULL;
        libc.write = h ? (ssize_t(*)(int, const void *, size_t))dlsym(h, "write") : NULL;
        if (!libc.lock || !libc.unlock || !libc.write) {
                fprintf(stderr, "preload_cost: libc's own functions not found\n");
                return 1;
        }
        if (argc == 4 && pthread_create(&t, NULL, idle, NULL) != 0) {
                perror("pthread_create");
                return 1;
        }
        if (!is_mutex && pipe(fds) != 0) {
                perror("pipe");
                return 1;
        }
        for (int r = 0; r < ROUNDS; r++) {
                if (!is_mutex) {
                        pipe_round(&linked, &libc, n / ROUNDS, fds, &v[r], &d[r], &diff[r]);
                        continue;
                }
                v[r] = mutex_round(&linked, n);
                d[r] = mutex_round(&libc, n);
                diff[r] = v[r] - d[r];
        }
        printf("ns_per_op=%.2f\nns_direct=%.2f\nns_added=%.2f\n", bench_median(v, ROUNDS),
               bench_median(d, ROUNDS), bench_median(diff, ROUNDS));
        return 0;
}
