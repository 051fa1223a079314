/* SPDX-License-Identifier: MIT */
/*
 * What every analysis module provides: a consumer (fed after the model) and a
 * function that adds its tables to a report. One constructor per module
 * (ct_a_<name>.c); all read the shared model (ct_model.h).
 */
#ifndef CT_ANALYSIS_H
#define CT_ANALYSIS_H

#include "ct_analyses.h"
#include "ct_consumer.h"
#include "ct_model.h"
#include "ct_table.h"

struct ct__analysis {
        struct ct_consumer cons; /* cons.self: owned state */
        /* Adds this analysis' tables to r (errors recorded in r / the tables). */
        void (*tables)(void *self, struct ct_report *r);
        void (*free)(void *self);
};

typedef int (*ct__analysis_create_fn)(struct ct__model *m, const struct ct_analyses_opts *opts,
                                      struct ct__analysis *out);

int ct__trace_create(struct ct__model *m, const struct ct_analyses_opts *opts,
                     struct ct__analysis *out);
int ct__runs_create(struct ct__model *m, const struct ct_analyses_opts *opts,
                    struct ct__analysis *out);
int ct__critpath_create(struct ct__model *m, const struct ct_analyses_opts *opts,
                        struct ct__analysis *out);
int ct__threads_create(struct ct__model *m, const struct ct_analyses_opts *opts,
                       struct ct__analysis *out);
int ct__locks_create(struct ct__model *m, const struct ct_analyses_opts *opts,
                     struct ct__analysis *out);
int ct__conds_create(struct ct__model *m, const struct ct_analyses_opts *opts,
                     struct ct__analysis *out);
int ct__sems_create(struct ct__model *m, const struct ct_analyses_opts *opts,
                    struct ct__analysis *out);
int ct__pipes_create(struct ct__model *m, const struct ct_analyses_opts *opts,
                     struct ct__analysis *out);
int ct__selects_create(struct ct__model *m, const struct ct_analyses_opts *opts,
                       struct ct__analysis *out);
int ct__pools_create(struct ct__model *m, const struct ct_analyses_opts *opts,
                     struct ct__analysis *out);

/* Fills out: the consumer's name, self and callbacks (NULL: none), tables, free. */
void ct__analysis_init(struct ct__analysis *out, const char *name, void *self,
                       void (*on_trace_begin)(void *self, uint32_t trace, const char *path),
                       void (*on_event)(void *self, const struct ct_event *ev),
                       void (*on_trace_end)(void *self, const struct ct_trace_info *info),
                       void (*tables)(void *self, struct ct_report *r),
                       void (*free_fn)(void *self));

/* An interval being measured: begin seen, end not yet. */
struct ct__open {
        uint64_t ts;
        uint64_t obj;
        uint32_t epoch;
        uint32_t active;
};

/* Label of an object: its ct_run:name, else "0x..." (into buf). */
const char *ct__obj_label(const struct ct__model *m, uint32_t trace, int kind, uint64_t obj,
                          int64_t vpid, char *buf, size_t size);

/*
 * Sets the columns of an object of process pid: col (its label, see
 * ct__obj_label; also returned, in buf unless the model's name), "process",
 * "trace", "pid" and "id" ("0x..." of obj).
 */
const char *ct__set_obj_cols(struct ct_table *t, size_t row, const struct ct__model *m,
                             const char *col, int kind, uint32_t trace, int64_t pid, uint64_t obj,
                             char *buf, size_t size);

/* A thread's index and its blocked time, for sorting threads most blocked first. */
struct ct__blocked_sort {
        size_t idx;
        uint64_t blocked;
};

/* qsort comparator of struct ct__blocked_sort: most blocked first, then by index. */
int ct__cmp_blocked(const void *a, const void *b);

/* Sets the columns "thread" (its label, also into tl), "process", "trace", "pid", "tid". */
void ct__set_thread_cols(struct ct_table *t, size_t row, const struct ct__thread *th, char *tl,
                         size_t size);

/* Sets the columns <prefix>_total, _mean, _p50, _p95, _p99, _max from h. */
struct ct_hist;
void ct__set_hist_cols(struct ct_table *t, size_t row, const char *prefix, const struct ct_hist *h);

#define CT__NS(name)                                                                               \
        {                                                                                          \
                name, CT_COL_NS, 0                                                                 \
        }
#define CT__INT(name)                                                                              \
        {                                                                                          \
                name, CT_COL_INT, 0                                                                \
        }
#define CT__STR(name)                                                                              \
        {                                                                                          \
                name, CT_COL_STR, 0                                                                \
        }
#define CT__HIST_COLS(p)                                                                           \
        CT__NS(p "_total"), CT__NS(p "_mean"), CT__NS(p "_p50"), CT__NS(p "_p95"),                 \
            CT__NS(p "_p99"), CT__NS(p "_max")

#define CT__ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* The columns ct__set_obj_cols sets: col, "process", "trace", "pid", "id". */
#define CT__OBJ_COLS(col)                                                                          \
        CT__STR(col), CT__STR("process"), {"trace", CT_COL_INT, CT_COL_NOTEXT},                    \
            {"pid", CT_COL_INT, CT_COL_NOTEXT},                                                    \
        {                                                                                          \
                "id", CT_COL_STR, CT_COL_NOTEXT                                                    \
        }

/* The columns of intervals that did not pair up (ct__set_wait_cols). */
#define CT__PAIRING_COLS                                                                           \
        CT__INT("unfinished"), CT__INT("cut"),                                                     \
        {                                                                                          \
                "unmatched", CT_COL_INT, CT_COL_NOTEXT                                             \
        }

/* The first and last event times of an object, json/csv only (ct__set_span_cols). */
#define CT__SPAN_COLS                                                                              \
        {"first_ts", CT_COL_INT, CT_COL_NOTEXT},                                                   \
        {                                                                                          \
                "last_ts", CT_COL_INT, CT_COL_NOTEXT                                               \
        }

/* first_ts and last_ts: which run an object was used in (the findings' run). */
void ct__set_span_cols(struct ct_table *t, size_t row, uint64_t first_ts, uint64_t last_ts);

/*
 * The wait statistics of an object (a lock, cond or semaphore): the columns
 * wait_* of its wait histogram (ct__set_hist_cols) and the intervals that
 * did not pair up: "unfinished" (begun, never ended), "cut" (by a gap of
 * discarded events), "unmatched" (an end without its begin).
 */
void ct__set_wait_cols(struct ct_table *t, size_t row, const struct ct_hist *wait,
                       uint64_t unfinished, uint64_t cut, uint64_t unmatched);

/*
 * A table of objects, one row per value of objs in the order of cmp (which
 * compares two struct ct__map_entry): adds the table to r and sorts the
 * entries into *v (*n of them). NULL when there is no table, or no memory
 * for the entries (the table's err then says so).
 */
struct ct_table *ct__objs_table(struct ct_report *r, const char *key, const char *title,
                                const struct ct_col *cols, size_t ncols, const struct ct__map *objs,
                                int (*cmp)(const void *a, const void *b), struct ct__map_entry **v,
                                size_t *n);
/* After the rows: frees v; err (the analysis' first error, 0 if none) becomes the table's. */
void ct__objs_table_end(struct ct_table *t, struct ct__map_entry *v, int err);

/* Frees the histogram at hist_offset of every value of m, then m. */
void ct__map_fini_hists(struct ct__map *m, size_t hist_offset);

#endif /* CT_ANALYSIS_H */
