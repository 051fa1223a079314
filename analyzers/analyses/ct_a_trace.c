/* SPDX-License-Identifier: MIT */
/* Analysis "trace": events read, unknown events, discarded events, span. */
#include <errno.h>
#include <string.h>

#include "ct_alloc.h"
#include "ct_analysis.h"
#include "ct_hist.h"

struct ct__trace_st {
        char *path; /* owned */
        int ended;  /* on_trace_end seen: the source's counts below are final */
        struct ct_trace_info info;
        /* counted here, used when the source gave no counts */
        uint64_t seen, unknown, discarded, gaps, first, last;
};

struct ct__trace {
        struct ct__model *m; /* weak */
        uint64_t threshold;
        struct ct__trace_st *t; /* owned: per trace */
        size_t cap, n;
        int err;
};

/* Out of line: once per trace, and inlined it weighs on every event. */
static __attribute__((noinline)) struct ct__trace_st *ct__trace_get(struct ct__trace *s,
                                                                    uint32_t trace)
{
        if (ct__grow((void **)&s->t, &s->cap, sizeof(*s->t), trace) < 0) {
                s->err = -ENOMEM;
                return NULL;
        }
        if (trace >= s->n) {
                s->n = (size_t)trace + 1;
        }
        return &s->t[trace];
}

static void ct__trace_begin(void *self, uint32_t trace, const char *path)
{
        struct ct__trace *s = self;
        struct ct__trace_st *t = ct__trace_get(s, trace);

        if (t && path && !t->path) {
                t->path = ct__strdup(path);
        }
}

static void ct__trace_event(void *self, const struct ct_event *ev)
{
        struct ct__trace *s = self;
        struct ct__trace_st *t = ev->trace < s->n ? &s->t[ev->trace] : ct__trace_get(s, ev->trace);

        if (!t) {
                return;
        }
        if (ev->type == CT_EV_DISCARDED) {
                t->discarded += ev->count;
                t->gaps++;
                return;
        }
        if (!t->seen || ev->ts < t->first) {
                t->first = ev->ts;
        }
        if (ev->ts > t->last) {
                t->last = ev->ts;
        }
        t->seen++;
        if (ev->type == CT_EV_UNKNOWN) {
                t->unknown++;
        }
}

static void ct__trace_end(void *self, const struct ct_trace_info *info)
{
        struct ct__trace *s = self;
        struct ct__trace_st *t = ct__trace_get(s, info->trace);

        if (!t) {
                return;
        }
        t->ended = 1;
        t->info = *info;
        if (info->path && !t->path) {
                t->path = ct__strdup(info->path);
        }
}

static const struct ct_col ct__trace_cols[] = {
    CT__INT("traces"),
    CT__INT("events"),
    CT__INT("unknown_events"),
    CT__INT("discarded"),
    CT__INT("discarded_msgs"),
    CT__NS("span"),
    {"hist_relative_error", CT_COL_FLOAT, 0},
    CT__NS("blocked_write_threshold"),
};

static const struct ct_col ct__traces_cols[] = {
    CT__INT("trace"),          CT__STR("path"),      CT__INT("events"),
    CT__INT("unknown_events"), CT__INT("discarded"), CT__INT("discarded_msgs"),
    {"first_ts", CT_COL_INT, CT_COL_TS}, {"last_ts", CT_COL_INT, CT_COL_TS}, CT__NS("span"),
};

static void ct__trace_tables(void *self, struct ct_report *r)
{
        struct ct__trace *s = self;
        struct ct_table *t =
            ct_report_add_table(r, "trace", "Trace", ct__trace_cols, CT__ARRAY_LEN(ct__trace_cols));
        struct ct_table *c;
        uint64_t ev = 0, unk = 0, disc = 0, msgs = 0, span = 0;
        size_t i, row;

        if (!t) {
                return;
        }
        t->single = 1;
        c = ct_report_add_child(r, t, "traces", "traces", "Traces", ct__traces_cols,
                                CT__ARRAY_LEN(ct__traces_cols));
        if (!c) {
                return;
        }
        row = ct_table_add_row(t);
        for (i = 0; i < s->n; i++) {
                struct ct__trace_st *x = &s->t[i];
                uint64_t e = x->ended && x->info.events ? x->info.events : x->seen;
                uint64_t u = x->ended && x->info.events ? x->info.unknown_events : x->unknown;
                uint64_t d = x->ended && x->info.discarded ? x->info.discarded : x->discarded;
                uint64_t g = x->ended && x->info.discarded_msgs ? x->info.discarded_msgs : x->gaps;
                uint64_t f = x->ended && x->info.last_ts ? x->info.first_ts : x->first;
                uint64_t l = x->ended && x->info.last_ts ? x->info.last_ts : x->last;
                size_t cr = ct_table_add_child_row(c, row);

                ct_table_set_int(c, cr, "trace", (int64_t)i);
                ct_table_set_str(c, cr, "path", x->path ? x->path : "");
                ct_table_set_int(c, cr, "events", (int64_t)e);
                ct_table_set_int(c, cr, "unknown_events", (int64_t)u);
                ct_table_set_int(c, cr, "discarded", (int64_t)d);
                ct_table_set_int(c, cr, "discarded_msgs", (int64_t)g);
                ct_table_set_int(c, cr, "first_ts", (int64_t)f);
                ct_table_set_int(c, cr, "last_ts", (int64_t)l);
                ct_table_set_int(c, cr, "span", (int64_t)(l - f));
                ev += e;
                unk += u;
                disc += d;
                msgs += g;
                span += l - f;
        }
        ct_table_set_int(t, row, "traces", (int64_t)s->n);
        ct_table_set_int(t, row, "events", (int64_t)ev);
        ct_table_set_int(t, row, "unknown_events", (int64_t)unk);
        ct_table_set_int(t, row, "discarded", (int64_t)disc);
        ct_table_set_int(t, row, "discarded_msgs", (int64_t)msgs);
        ct_table_set_int(t, row, "span", (int64_t)span);
        ct_table_set_double(t, row, "hist_relative_error", CT_HIST_REL_ERROR);
        ct_table_set_int(t, row, "blocked_write_threshold", (int64_t)s->threshold);
        if (unk) {
                ct_table_note(t,
                              "%llu events from providers outside the conctrace contract were "
                              "ignored",
                              (unsigned long long)unk);
        }
        if (disc || msgs) {
                ct_table_note(t,
                              "the tracer discarded %llu events (%llu gaps): intervals a gap cuts "
                              "are counted in the 'cut' columns, not measured",
                              (unsigned long long)disc, (unsigned long long)msgs);
        }
        ct_table_note(t, "percentiles come from log-scale histograms: relative error <= %.2f%%",
                      CT_HIST_REL_ERROR * 100.0);
        if (s->err) {
                t->err = s->err;
        }
}

static void ct__trace_free(void *self)
{
        struct ct__trace *s = self;
        size_t i;

        for (i = 0; i < s->n; i++) {
                ct__free(s->t[i].path);
        }
        ct__free(s->t);
        ct__free(s);
}

int ct__trace_create(struct ct__model *m, const struct ct_analyses_opts *opts,
                     struct ct__analysis *out)
{
        struct ct__trace *s = ct__calloc(1, sizeof(*s));

        if (!s) {
                return -ENOMEM;
        }
        s->m = m;
        s->threshold = opts->blocked_write_threshold_ns;
        ct__analysis_init(out, "trace", s, ct__trace_begin, ct__trace_event, ct__trace_end,
                          ct__trace_tables, ct__trace_free);
        return 0;
}
