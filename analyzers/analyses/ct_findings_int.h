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
/* Time on the critical paths of all runs spent on object obj (label) of kind okind. */
uint64_t ct__f_path_ns(const struct ct_report *r, const char *okind, const char *obj);

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

#endif /* CT_FINDINGS_INT_H */
