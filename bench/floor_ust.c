/* SPDX-License-Identifier: MIT */
/*
 * floor_ust: LTTng-UST's own cost per event on this machine, for events of
 * the payload sizes of the conctrace contract (provider bench_floor, see
 * bench_floor_tp.h), and the cost of clock_gettime(CLOCK_MONOTONIC).
 *
 *   floor_ust [-n ITERS] [-d DISABLED_ITERS] [-r RUNS]
 *
 * Whether the events are enabled is up to the caller: run it with no session
 * (disabled cost: the tracepoint's enabled check) or inside a session that
 * enables bench_floor:* (enabled cost). Each figure is the median over RUNS
 * runs of ITERS events; keep ITERS x RUNS x ~60 B under the session's buffers
 * so nothing is discarded (enabled runs sleep 100 ms apart to let the
 * consumer drain). Output, one line per figure:
 *
 *   clock_gettime ns=21.40
 *   loop ns=0.31
 *   event=p12 enabled=1 ns=243.10 min=240.00 max=250.20 runs=5 iters=100000
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bench_floor_tp.h"
#include "bench_util.h"

#define MAX_RUNS 101

enum floor_event { P8, P12, P16, P20, P40, NR_EVENTS };

static const char *const event_names[NR_EVENTS] = {"p8", "p12", "p16", "p20", "p40"};

static int event_enabled(enum floor_event e)
{
        switch (e) {
        case P8:
                return lttng_ust_tracepoint_enabled(bench_floor, p8);
        case P12:
                return lttng_ust_tracepoint_enabled(bench_floor, p12);
        case P16:
                return lttng_ust_tracepoint_enabled(bench_floor, p16);
        case P20:
                return lttng_ust_tracepoint_enabled(bench_floor, p20);
        case P40:
                return lttng_ust_tracepoint_enabled(bench_floor, p40);
        default:
                abort();
        }
}

/* Fires `iters` events of kind e; returns the ns per event. */
static double fire(enum floor_event e, uint64_t iters)
{
        uint64_t t0 = bench_now_ns();
        uint64_t i;

        switch (e) {
        case P8:
                for (i = 0; i < iters; i++)
                        lttng_ust_tracepoint(bench_floor, p8, i);
                break;
        case P12:
                for (i = 0; i < iters; i++)
                        lttng_ust_tracepoint(bench_floor, p12, i, (int32_t)i);
                break;
        case P16:
                for (i = 0; i < iters; i++)
                        lttng_ust_tracepoint(bench_floor, p16, i, (int64_t)i);
                break;
        case P20:
                for (i = 0; i < iters; i++)
                        lttng_ust_tracepoint(bench_floor, p20, i, (int32_t)i, i);
                break;
        case P40:
                for (i = 0; i < iters; i++)
                        lttng_ust_tracepoint(bench_floor, p40, i, (int32_t)i, i, (int64_t)i,
                                             (int32_t)i, i);
                break;
        default:
                abort();
        }
        return (double)(bench_now_ns() - t0) / (double)iters;
}

static double empty_loop(uint64_t iters)
{
        uint64_t t0 = bench_now_ns();
        uint64_t i;

        for (i = 0; i < iters; i++)
                bench_keep(i);
        return (double)(bench_now_ns() - t0) / (double)iters;
}

static double clock_cost(uint64_t iters)
{
        struct timespec ts;
        uint64_t t0 = bench_now_ns();
        uint64_t i;

        for (i = 0; i < iters; i++) {
                clock_gettime(CLOCK_MONOTONIC, &ts);
                bench_keep(ts.tv_nsec);
        }
        return (double)(bench_now_ns() - t0) / (double)iters;
}

static void usage(FILE *out)
{
        fprintf(out, "Usage: floor_ust [-n ITERS] [-d DISABLED_ITERS] [-r RUNS]\n"
                     "LTTng-UST cost per event (bench_floor:p8..p40) and clock_gettime cost;\n"
                     "medians of RUNS runs (default: -n 100000 -d 10000000 -r 5).\n");
}

int main(int argc, char **argv)
{
        uint64_t iters = 100000, dis_iters = 10000000, runs = 5;
        double v[MAX_RUNS];
        uint64_t r;
        int c, e;

        while ((c = getopt(argc, argv, "n:d:r:h")) != -1) {
                uint64_t *dst = c == 'n' ? &iters : c == 'd' ? &dis_iters : c == 'r' ? &runs : NULL;

                if (c == 'h') {
                        usage(stdout);
                        return 0;
                }
                if (!dst || bench_parse_count(optarg, dst) < 0) {
                        usage(stderr);
                        return 2;
                }
        }
        if (optind != argc || runs > MAX_RUNS) {
                usage(stderr);
                return 2;
        }

        for (r = 0; r < runs; r++)
                v[r] = clock_cost(dis_iters / 10 + 1);
        printf("clock_gettime ns=%.2f\n", bench_median(v, runs));
        for (r = 0; r < runs; r++)
                v[r] = empty_loop(dis_iters);
        printf("loop ns=%.2f\n", bench_median(v, runs));

        for (e = 0; e < NR_EVENTS; e++) {
                int enabled = event_enabled((enum floor_event)e);
                uint64_t n = enabled ? iters : dis_iters;
                double med;

                fire((enum floor_event)e, n / 10 + 1); /* warm-up */
                if (enabled)
                        usleep(100000);
                for (r = 0; r < runs; r++) {
                        v[r] = fire((enum floor_event)e, n);
                        if (enabled)
                                usleep(100000);
                }
                med = bench_median(v, runs);
                printf("event=%s enabled=%d ns=%.2f min=%.2f max=%.2f runs=%llu iters=%llu\n",
                       event_names[e], enabled, med, v[0], v[runs - 1], (unsigned long long)runs,
                       (unsigned long long)n);
        }
        return 0;
}
