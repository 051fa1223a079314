/* SPDX-License-Identifier: MIT */
/*
 * Every analysis of a conctrace trace behind one handle: the shared model of
 * threads and object names, then trace, runs & speedup, threads, locks,
 * conds, pipes, selects and pools, each a `struct ct_consumer`; and the report
 * writers (text, json, csv).
 *
 * Usage (the driver of `conctrace analyze` or a babeltrace2 sink):
 *
 *     struct ct_analyses_opts opts;
 *     struct ct_analyses *a;
 *     ct_analyses_opts_init(&opts);
 *     if (ct_analyses_create(&opts, &a) < 0) ...
 *     for each consumer i in 0..ct_analyses_consumer_count(a)-1:
 *             register ct_analyses_consumer(a, i) with the driver
 *     run the driver: for each event, call on_event of consumer 0, 1, 2, ...
 *     in THIS ORDER (consumer 0 is the shared model that the others read);
 *     on_trace_begin/on_trace_end per trace, finish once at the end
 *     ct_analyses_write(a, CT_REPORT_TEXT, "-");
 *     ct_analyses_destroy(a);   (also frees the consumers' state: do not call
 *                                their destroy callbacks yourself)
 *
 * Memory grows with threads and objects, never with the number of events.
 */
#ifndef CT_ANALYSES_H
#define CT_ANALYSES_H

#include <stddef.h>
#include <stdint.h>

#include "ct_consumer.h"

/* Default threshold above which a pipe write counts as blocked: 1 ms. */
#define CT_ANALYSES_DEFAULT_BLOCKED_WRITE_NS 1000000ULL

/*
 * Default tracing cost of one event, for the probe effect of each run: 300 ns,
 * rounded up from LTTng-UST's enabled costs per event (by payload size) that
 * bench/floor_ust measured on the 2-core development VM (docs/performance.md;
 * bench/run-all measures them on another machine).
 */
#define CT_ANALYSES_DEFAULT_EVENT_COST_NS 300ULL

/*
 * Default cost that tracing adds to one child process made during a run: 10
 * ms, rounded down from what a recorded fork + exit + waitpid cost over plain
 * C on the quiet 2-core development VM (10.9-11.6 ms against 0.17-0.20 ms:
 * the child re-registers with the session daemon through LTTng-UST's fork
 * hooks before its first event); bench/fork-cost measures it
 * (docs/performance.md).
 */
#define CT_ANALYSES_DEFAULT_FORK_COST_NS 10000000ULL
/*
 * Default cost that tracing adds to one thread created during a run (create +
 * join recorded, over plain pthread_create/join): 20 us, a conservative
 * figure below every recorded-minus-plain figure bench/fork-cost gave on the
 * (loaded) 2-core development VM, 0.3-0.7 ms per thread.
 */
#define CT_ANALYSES_DEFAULT_THREAD_COST_NS 20000ULL
/* A run whose probe share (events x cost / duration) exceeds this is flagged. */
#define CT_ANALYSES_PROBE_DISTORTED_SHARE 0.10

struct ct_analyses_opts {
        /* A pipe write longer than this (write_begin -> write_end) is "blocked". */
        uint64_t blocked_write_threshold_ns;
        /*
         * Probe effect of a run = events x event_cost_ns + forked children x
         * fork_cost_ns + threads created x thread_cost_ns.
         */
        uint64_t event_cost_ns;  /* tracing cost of one recorded event */
        uint64_t fork_cost_ns;   /* added to a child process by tracing */
        uint64_t thread_cost_ns; /* added to a thread by tracing */
        /* Text report: show the all-zero/empty columns too (--all). */
        int report_all;
        /* Text report width in columns; 0: COLUMNS, else the tty's, else 100. */
        unsigned report_width;
};

enum ct_report_format { CT_REPORT_TEXT, CT_REPORT_JSON, CT_REPORT_CSV };

struct ct_analyses;

/* Fills opts with the defaults. */
void ct_analyses_opts_init(struct ct_analyses_opts *opts);

/* opts may be NULL (defaults). 0 or a negative errno (-ENOMEM). */
int ct_analyses_create(const struct ct_analyses_opts *opts, struct ct_analyses **out);

size_t ct_analyses_consumer_count(const struct ct_analyses *a);

/*
 * Weak: the i-th consumer; owned by `a` (ct_analyses_destroy frees it). Feed
 * every event to consumers 0..count-1 in index order.
 */
struct ct_consumer *ct_analyses_consumer(struct ct_analyses *a, size_t i);

/*
 * Writes the report. text/json: path is a file, or "-" for stdout. csv: path
 * is a directory (created if missing), one <table>.csv file per table. Writes
 * to a temporary file/directory next to path then renames: nothing partial is
 * left on error. May be called several times (one call per format). Calls the
 * consumers' finish first if the driver did not. 0 or a negative errno; the
 * cause is printed on stderr.
 */
int ct_analyses_write(struct ct_analyses *a, enum ct_report_format fmt, const char *path);

void ct_analyses_destroy(struct ct_analyses *a);

/*
 * Weak: the critical-path engine of `a` (ct_critpath.h), for a timeline fed
 * after a's consumers to draw the paths from instead of computing them again
 * (ct_perfetto_share_critpath). Valid until ct_analyses_destroy.
 */
void *ct_analyses_critpath(struct ct_analyses *a);

/*
 * The report as tables (ct_table.h), e.g. for a babeltrace2 sink that renders
 * them itself or for tests; ct_report_fini(r) frees them. 0 or a negative
 * errno (r is then empty).
 */
struct ct_report;
int ct_analyses_report(struct ct_analyses *a, struct ct_report *r);

/* Bytes currently allocated by all analyses (diagnostics, memory tests). */
size_t ct_analyses_allocated_bytes(void);

/* Parses "text", "json", "csv". 0 or -EINVAL. */
int ct_report_format_parse(const char *s, enum ct_report_format *out);

#endif /* CT_ANALYSES_H */
