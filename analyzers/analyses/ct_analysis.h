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
int ct__threads_create(struct ct__model *m, const struct ct_analyses_opts *opts,
                       struct ct__analysis *out);
int ct__locks_create(struct ct__model *m, const struct ct_analyses_opts *opts,
                     struct ct__analysis *out);
int ct__conds_create(struct ct__model *m, const struct ct_analyses_opts *opts,
                     struct ct__analysis *out);
int ct__pipes_create(struct ct__model *m, const struct ct_analyses_opts *opts,
                     struct ct__analysis *out);
int ct__selects_create(struct ct__model *m, const struct ct_analyses_opts *opts,
                       struct ct__analysis *out);
int ct__pools_create(struct ct__model *m, const struct ct_analyses_opts *opts,
                     struct ct__analysis *out);

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

#endif /* CT_ANALYSIS_H */
