/* SPDX-License-Identifier: MIT */
/*
 * The critical path of each run (ct_a_critpath.c) as the other modules read
 * it: the report tables (ct_cp_report.c) and the findings (ct_findings.c).
 */
#ifndef CT_CRITPATH_H
#define CT_CRITPATH_H

#include <stddef.h>
#include <stdint.h>

#include "ct_cp_seg.h"
#include "ct_cp_vec.h"

struct ct_critpath_run {
        uint32_t trace;
        int64_t vpid;
        uint32_t thread;          /* the run's thread (model idx) */
        char *scenario, *variant; /* owned */
        int64_t workers;
        uint64_t begin, end;
        uint32_t epoch;
        int ended, cut, overlapped;
        struct ct__cp_vec *path; /* owned reference: the attribution at run_end */
        struct ct__cp_seg *segs; /* the segments, newest first: only during on_path */
};

struct ct__model;
struct ct_report;

/* The runs seen (weak: valid until the analysis is freed). */
const struct ct_critpath_run *ct__critpath_runs(const void *self, size_t *n);
int ct__critpath_err(const void *self);

/*
 * Builds the segments of the paths too and calls on_path(arg, run) at each
 * run_end with run->segs set (valid only during the call). For the timeline.
 * 0, or -EBUSY if another on_path was set (one per engine).
 */
int ct__critpath_segments(void *self, void (*on_path)(void *arg, const struct ct_critpath_run *r),
                          void *arg);

/* Adds the tables "critical_path" and its child "critical_path_items". */
void ct__critpath_tables(void *self, struct ct_report *r);
/* The model the analysis reads (weak). */
struct ct__model *ct__critpath_model(const void *self);

/* Label of an attribution item's object ("" if none). */
struct ct__thread;
const char *ct__cp_obj_label(const struct ct__model *m, const struct ct__thread *th, int okind,
                             int kind, uint64_t obj, char *buf, size_t size);

#endif /* CT_CRITPATH_H */
