/* SPDX-License-Identifier: MIT */
/*
 * Internals of the findings (ct_findings.c: the list, ranking, the rules on
 * runs and critical paths; ct_findings_objs.c: the rules on objects,
 * pools and speedup): thresholds, the finding record and table readers.
 */
#ifndef CT_FINDINGS_INT_H
#define CT_FINDINGS_INT_H

#include <stddef.h>
#include <stdint.h>

#include "ct_report.h"
#include "ct_table.h"

#define CT__F_PATH_SHARE    0.05     /* an object's share of a run's critical path to report it */
#define CT__F_WHAT_IF_TOP   3        /* what-if bounds: the top objects of each run's path */
#define CT__F_REWAIT_MIN    5        /* re-waits: at least this many ... */
#define CT__F_REWAIT_SHARE  0.10     /* ... and this share of the waits */
#define CT__F_CHATTY        4.0      /* starvation: chatty pipe's writes / quiet pipe's */
#define CT__F_STARVE_RATIO  2.0      /* quiet pipe's mean latency / chatty pipe's */
#define CT__F_STARVE_MIN_NS 10000000 /* quiet pipe's mean latency: at least 10 ms */
#define CT__F_IMBALANCE     1.5      /* pool: busiest worker / mean */
#define CT__F_EFFICIENCY    0.5      /* speedup / workers below this */
#define CT__F_GIL_SHARE     0.10     /* GIL waits: share of the threads' lifetimes */
#define CT__F_GIL_HELD      0.5      /* ... or the GIL held this share of its span */
#define CT__F_GIL_CONTENDED 0.25     /* ... with this share of its acquisitions contended */
#define CT__F_OVERLAP       1.5      /* overlap: (io_sim + compute) of a run's threads / duration */
#define CT__F_SELECT_SHARE  0.5  /* select loop: time blocked in select / the thread's lifetime */
#define CT__F_IDLE_SHARE    0.5  /* idle waiters: lock + cond waits / the thread's lifetime */
#define CT__F_IDLE_MIN      2    /* idle waiters: at least this many threads */
#define CT__F_UNDERUSED     0.5  /* pool underused: utilisation below this */
#define CT__F_POLL_OTHER    0.25 /* polling: running (other) / the thread's lifetime */
#define CT__F_POLL_ACQ      1000 /* polling: the run's lock acquired at least this often */

struct ct__finding {
        int severity; /* 1: correctness, 0: performance */
        int64_t run;  /* -1: not of one run */
        uint64_t impact;
        char id[160];
        char kind[32];
        char text[768];
        char figures[384];
        char where[256];
};

struct ct__flist {
        struct ct__finding *f;
        size_t n, cap;
        int err;
};

/* A new finding in l (NULL and l->err on -ENOMEM); id = kind[:runN][:obj]. */
struct ct__finding *ct__f_add(struct ct__flist *l, int severity, int64_t run, const char *kind,
                              const char *obj, uint64_t impact);
/* Time on run's critical path (all runs' paths if run < 0) spent on object obj (label) of kind
 * okind. */
uint64_t ct__f_path_ns(const struct ct_report *r, int64_t run, const char *okind, const char *obj);

/*
 * The run (row of "runs") of something of trace `trace` used from first to last (ns) in process
 * pid (-1: unknown): the run of that trace whose [begin_ts, begin_ts + duration] overlaps
 * [first, last] most, among pid's runs first, then among all; -1 if none overlaps.
 */
int64_t ct__f_run_of(const struct ct_report *r, int64_t trace, int64_t pid, uint64_t first,
                     uint64_t last);
/* The run of row `row` of an object table (its trace, pid, first_ts and last_ts columns); without
 * first_ts: the only run of its trace (and pid), else -1. */
int64_t ct__f_row_run(const struct ct_report *r, const struct ct_table *t, size_t row);
/* The run of thread row `row` of "threads" (its start_ts and lifetime). */
int64_t ct__f_thread_run(const struct ct_report *r, size_t row);
/* Row of "threads" of (trace, pid, tid), or (size_t)-1. */
size_t ct__f_thread_row(const struct ct_report *r, int64_t trace, int64_t pid, int64_t tid);
/* "run N (scenario variant, W workers, from +X)" for run N (a row of "runs"). */
void ct__f_run_where(const struct ct_report *r, int64_t run, char *buf, size_t size);

static inline int64_t ct__gi(const struct ct_table *t, size_t row, const char *col)
{
        const struct ct_cell *c = ct_table_cell(t, row, col);

        return c && c->set ? c->i : 0;
}

static inline int ct__has(const struct ct_table *t, size_t row, const char *col)
{
        const struct ct_cell *c = ct_table_cell(t, row, col);

        return c && c->set;
}

static inline double ct__gd(const struct ct_table *t, size_t row, const char *col)
{
        const struct ct_cell *c = ct_table_cell(t, row, col);

        return c && c->set ? c->d : 0.0;
}

static inline const char *ct__gs(const struct ct_table *t, size_t row, const char *col)
{
        const struct ct_cell *c = ct_table_cell(t, row, col);

        return c && c->set && c->s ? c->s : "";
}

static inline const char *ct__ns(uint64_t ns, char *buf, size_t size)
{
        return ct_report_fmt_ns((int64_t)ns, buf, size);
}

void ct__f_conds(const struct ct_report *r, struct ct__flist *l);
void ct__f_pipes(const struct ct_report *r, struct ct__flist *l);
void ct__f_starvation(const struct ct_report *r, struct ct__flist *l);
void ct__f_pools(const struct ct_report *r, struct ct__flist *l);
void ct__f_gil(const struct ct_report *r, struct ct__flist *l);
void ct__f_speedup(const struct ct_report *r, struct ct__flist *l);
void ct__f_pool_underused(const struct ct_report *r, struct ct__flist *l);
/* ct_findings_runs.c: the rules on a run's threads */
void ct__f_overlap(const struct ct_report *r, struct ct__flist *l);
void ct__f_select_loop(const struct ct_report *r, struct ct__flist *l);
void ct__f_shared_lock(const struct ct_report *r, struct ct__flist *l);
void ct__f_idle_waiters(const struct ct_report *r, struct ct__flist *l);
void ct__f_polling(const struct ct_report *r, struct ct__flist *l);

#endif /* CT_FINDINGS_INT_H */
