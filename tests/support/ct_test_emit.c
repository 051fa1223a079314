/* SPDX-License-Identifier: MIT */
/*
 * ct-test-emit: fires a known number of contract events, for tests that need a
 * traced program before the scenarios exist (e.g. the recorder's tests).
 *
 *   ct-test-emit [--count N] [--threads T] [--tag TAG] [--ready-file PATH]
 *                [--sleep-ms MS] [--exit CODE]
 *
 * Fires ct_run:run_begin (scenario "ct-test-emit", variant TAG, workers T,
 * params "count=N"), then in each of T threads: ct_run:thread_begin
 * ("emit-<i>"), N x (ct_lock:acquire, ct_lock:release) on one lock per
 * thread, ct_run:thread_end; then ct_run:run_end (status CODE). Then creates
 * PATH (if given), sleeps MS milliseconds (if given) and exits with CODE.
 */
#define _GNU_SOURCE
#include <conctrace/tp.h>

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct emit_thread {
        pthread_t tid;
        int index;
        long count;
        pthread_mutex_t lock;
};

static void *emit_main(void *arg)
{
        struct emit_thread *t = arg;
        char role[32];
        long i;

        snprintf(role, sizeof(role), "emit-%d", t->index);
        lttng_ust_tracepoint(ct_run, thread_begin, role);
        for (i = 0; i < t->count; i++) {
                pthread_mutex_lock(&t->lock);
                lttng_ust_tracepoint(ct_lock, acquire, (uint64_t)(uintptr_t)&t->lock, 0);
                lttng_ust_tracepoint(ct_lock, release, (uint64_t)(uintptr_t)&t->lock);
                pthread_mutex_unlock(&t->lock);
        }
        lttng_ust_tracepoint(ct_run, thread_end, role);
        return NULL;
}

static int parse_long(const char *opt, const char *s, long min, long *out)
{
        char *end = NULL;
        long v;

        errno = 0;
        v = strtol(s ? s : "", &end, 10);
        if (!s || errno || end == s || *end || v < min) {
                fprintf(stderr, "ct-test-emit: invalid %s '%s'\n", opt, s ? s : "");
                return -1;
        }
        *out = v;
        return 0;
}

int main(int argc, char **argv)
{
        long count = 10, threads = 1, sleep_ms = 0, code = 0;
        const char *tag = "";
        const char *ready_file = NULL;
        struct emit_thread *ts;
        char params[64];
        long i;

        for (i = 1; i < argc; i++) {
                const char *a = argv[i];
                const char *v = i + 1 < argc ? argv[i + 1] : NULL;
                int bad = 0;

                if (strcmp(a, "--count") == 0) {
                        bad = parse_long(a, v, 0, &count);
                } else if (strcmp(a, "--threads") == 0) {
                        bad = parse_long(a, v, 1, &threads);
                } else if (strcmp(a, "--sleep-ms") == 0) {
                        bad = parse_long(a, v, 0, &sleep_ms);
                } else if (strcmp(a, "--exit") == 0) {
                        bad = parse_long(a, v, 0, &code);
                } else if (strcmp(a, "--tag") == 0 && v) {
                        tag = v;
                } else if (strcmp(a, "--ready-file") == 0 && v) {
                        ready_file = v;
                } else {
                        fprintf(stderr, "ct-test-emit: unknown or incomplete option '%s'\n", a);
                        return 2;
                }
                if (bad) {
                        return 2;
                }
                i++;
        }

        ts = calloc((size_t)threads, sizeof(*ts));
        if (!ts) {
                fprintf(stderr, "ct-test-emit: out of memory\n");
                return 1;
        }
        snprintf(params, sizeof(params), "count=%ld", count);
        lttng_ust_tracepoint(ct_run, run_begin, "ct-test-emit", tag, (int32_t)threads, params);
        for (i = 0; i < threads; i++) {
                ts[i].index = (int)i;
                ts[i].count = count;
                pthread_mutex_init(&ts[i].lock, NULL);
                if (pthread_create(&ts[i].tid, NULL, emit_main, &ts[i]) != 0) {
                        fprintf(stderr, "ct-test-emit: failed to create thread %ld\n", i);
                        return 1;
                }
        }
        for (i = 0; i < threads; i++) {
                pthread_join(ts[i].tid, NULL);
                pthread_mutex_destroy(&ts[i].lock);
        }
        lttng_ust_tracepoint(ct_run, run_end, "ct-test-emit", tag, (int32_t)threads, params,
                             (int32_t)code);
        free(ts);

        if (ready_file) {
                FILE *f = fopen(ready_file, "w");

                if (!f) {
                        fprintf(stderr, "ct-test-emit: failed to create %s: %s\n", ready_file,
                                strerror(errno));
                        return 1;
                }
                fclose(f);
        }
        if (sleep_ms > 0) {
                struct timespec ts_sleep = {.tv_sec = sleep_ms / 1000,
                                            .tv_nsec = (sleep_ms % 1000) * 1000000L};

                while (nanosleep(&ts_sleep, &ts_sleep) != 0 && errno == EINTR) {
                }
        }
        return (int)code;
}
