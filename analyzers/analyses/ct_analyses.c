/* SPDX-License-Identifier: MIT */
#include "ct_analyses.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ct_alloc.h"
#include "ct_analysis.h"
#include "ct_findings.h"
#include "ct_hist.h"
#include "ct_report.h"

static const ct__analysis_create_fn ct__creators[] = {
    ct__trace_create, ct__runs_create,  ct__critpath_create, ct__threads_create, ct__locks_create,
    ct__conds_create, ct__sems_create,  ct__pipes_create,    ct__selects_create, ct__pools_create,
};

#define CT__NANALYSES CT__ARRAY_LEN(ct__creators)

struct ct_analyses {
        struct ct_analyses_opts opts;
        struct ct__model *model;                    /* owned */
        struct ct_consumer model_cons;              /* consumer 0 */
        struct ct__analysis an[CT__NANALYSES];      /* each cons.self owned */
        struct ct_consumer cons[CT__NANALYSES + 1]; /* what the driver sees */
        size_t ncreated;
        int finished;
};

void ct_analyses_opts_init(struct ct_analyses_opts *opts)
{
        memset(opts, 0, sizeof(*opts));
        opts->blocked_write_threshold_ns = CT_ANALYSES_DEFAULT_BLOCKED_WRITE_NS;
        opts->event_cost_ns = CT_ANALYSES_DEFAULT_EVENT_COST_NS;
        opts->fork_cost_ns = CT_ANALYSES_DEFAULT_FORK_COST_NS;
        opts->thread_cost_ns = CT_ANALYSES_DEFAULT_THREAD_COST_NS;
}

/* finish wrapper: remembers that the driver called it. */
static int ct__finish_all(struct ct_analyses *a)
{
        size_t i;
        int err = 0;

        if (a->finished) {
                return 0;
        }
        a->finished = 1;
        for (i = 0; i < CT__NANALYSES + 1; i++) {
                if (a->cons[i].finish) {
                        int e = a->cons[i].finish(a->cons[i].self);

                        if (e && !err) {
                                err = e;
                        }
                }
        }
        return err;
}

int ct_analyses_create(const struct ct_analyses_opts *opts, struct ct_analyses **out)
{
        struct ct_analyses *a = ct__calloc(1, sizeof(*a));
        size_t i;
        int err;

        if (!a) {
                return -ENOMEM;
        }
        if (opts) {
                a->opts = *opts;
        } else {
                ct_analyses_opts_init(&a->opts);
        }
        err = ct__model_create(&a->model, &a->model_cons);
        if (err) {
                goto error;
        }
        a->cons[0] = a->model_cons;
        for (i = 0; i < CT__NANALYSES; i++) {
                err = ct__creators[i](a->model, &a->opts, &a->an[i]);
                if (err) {
                        goto error;
                }
                a->ncreated++;
                a->cons[i + 1] = a->an[i].cons;
                a->cons[i + 1].destroy = NULL; /* ct_analyses_destroy frees them */
        }
        *out = a;
        return 0;
error:
        fprintf(stderr, "conctrace: Failed to create the analyses: cause=%s\n", strerror(-err));
        ct_analyses_destroy(a);
        return err;
}

size_t ct_analyses_consumer_count(const struct ct_analyses *a)
{
        (void)a;
        return CT__NANALYSES + 1;
}

struct ct_consumer *ct_analyses_consumer(struct ct_analyses *a, size_t i)
{
        return i < CT__NANALYSES + 1 ? &a->cons[i] : NULL;
}

void *ct_analyses_critpath(struct ct_analyses *a)
{
        size_t i;

        for (i = 0; i < a->ncreated; i++) {
                if (ct__creators[i] == ct__critpath_create) {
                        return a->an[i].cons.self;
                }
        }
        return NULL;
}

int ct_analyses_report(struct ct_analyses *a, struct ct_report *r)
{
        size_t i;
        int err;

        ct_report_init(r);
        err = ct__finish_all(a);
        if (a->model->err) {
                err = a->model->err;
        }
        for (i = 0; i < CT__NANALYSES; i++) {
                a->an[i].tables(a->an[i].cons.self, r);
        }
        if (!r->err) {
                ct__findings_add(r);
        }
        if (!err) {
                err = r->err;
        }
        for (i = 0; !err && i < r->ntables; i++) {
                err = r->tables[i]->err;
        }
        if (err) {
                fprintf(stderr, "conctrace: Failed to compute the report: cause=%s\n",
                        strerror(-err));
                ct_report_fini(r);
        }
        return err;
}

int ct_analyses_write(struct ct_analyses *a, enum ct_report_format fmt, const char *path)
{
        struct ct_report r;
        int err = ct_analyses_report(a, &r);

        if (err) {
                return err;
        }
        r.text_all = a->opts.report_all;
        r.text_width = a->opts.report_width;
        switch (fmt) {
        case CT_REPORT_TEXT:
                err = ct_report_write_text(&r, path);
                break;
        case CT_REPORT_JSON:
                err = ct_report_write_json(&r, path);
                break;
        case CT_REPORT_CSV:
                err = ct_report_write_csv(&r, path);
                break;
        default:
                err = -EINVAL;
                break;
        }
        ct_report_fini(&r);
        return err;
}

void ct_analyses_destroy(struct ct_analyses *a)
{
        size_t i;

        if (!a) {
                return;
        }
        for (i = 0; i < a->ncreated; i++) {
                a->an[i].free(a->an[i].cons.self);
        }
        ct__model_destroy(a->model);
        ct__free(a);
}

int ct_report_format_parse(const char *s, enum ct_report_format *out)
{
        if (!strcmp(s, "text")) {
                *out = CT_REPORT_TEXT;
        } else if (!strcmp(s, "json")) {
                *out = CT_REPORT_JSON;
        } else if (!strcmp(s, "csv")) {
                *out = CT_REPORT_CSV;
        } else {
                return -EINVAL;
        }
        return 0;
}

const char *ct__obj_label(const struct ct__model *m, uint32_t trace, int kind, uint64_t obj,
                          int64_t vpid, char *buf, size_t size)
{
        const char *n = ct__model_name(m, trace, kind, obj, vpid);

        if (n && n[0]) {
                return n;
        }
        if (kind == CT_OBJ_PIPE) {
                snprintf(buf, size, "pipe:%" PRIu64, obj);
        } else if (kind == CT_OBJ_FD) {
                snprintf(buf, size, "fd %" PRIu64, obj);
        } else {
                snprintf(buf, size, "0x%" PRIx64, obj);
        }
        return buf;
}

void ct__analysis_init(struct ct__analysis *out, const char *name, void *self,
                       void (*on_trace_begin)(void *self, uint32_t trace, const char *path),
                       void (*on_event)(void *self, const struct ct_event *ev),
                       void (*on_trace_end)(void *self, const struct ct_trace_info *info),
                       void (*tables)(void *self, struct ct_report *r), void (*free_fn)(void *self))
{
        memset(out, 0, sizeof(*out));
        out->cons.name = name;
        out->cons.self = self;
        out->cons.on_trace_begin = on_trace_begin;
        out->cons.on_event = on_event;
        out->cons.on_trace_end = on_trace_end;
        out->tables = tables;
        out->free = free_fn;
}

const char *ct__set_obj_cols(struct ct_table *t, size_t row, const struct ct__model *m,
                             const char *col, int kind, uint32_t trace, int64_t pid, uint64_t obj,
                             char *buf, size_t size)
{
        const char *label = ct__obj_label(m, trace, kind, obj, pid, buf, size);
        char tmp[256];

        ct_table_set_str(t, row, col, label);
        ct_table_set_str(t, row, "process", ct__model_proc_label(m, trace, pid, tmp, sizeof(tmp)));
        ct_table_set_int(t, row, "trace", (int64_t)trace);
        ct_table_set_int(t, row, "pid", pid);
        snprintf(tmp, sizeof(tmp), "0x%" PRIx64, obj);
        ct_table_set_str(t, row, "id", tmp);
        return label;
}

int ct__cmp_blocked(const void *a, const void *b)
{
        const struct ct__blocked_sort *x = a, *y = b;

        if (x->blocked != y->blocked) {
                return x->blocked > y->blocked ? -1 : 1;
        }
        return x->idx < y->idx ? -1 : x->idx > y->idx;
}

void ct__set_thread_cols(struct ct_table *t, size_t row, const struct ct__thread *th, char *tl,
                         size_t size)
{
        char buf[256];

        ct_table_set_str(t, row, "thread", ct__thread_label(th, tl, size));
        ct_table_set_str(t, row, "process", ct__process_label(th, buf, sizeof(buf)));
        ct_table_set_int(t, row, "trace", th->trace);
        ct_table_set_int(t, row, "pid", th->vpid);
        ct_table_set_int(t, row, "tid", th->vtid);
}

void ct__set_hist_cols(struct ct_table *t, size_t row, const char *prefix, const struct ct_hist *h)
{
        char col[64];

        snprintf(col, sizeof(col), "%s_total", prefix);
        ct_table_set_int(t, row, col, (int64_t)h->total);
        if (!h->count) {
                return; /* mean, percentiles, max: null */
        }
        snprintf(col, sizeof(col), "%s_mean", prefix);
        ct_table_set_int(t, row, col, (int64_t)ct_hist_mean(h));
        snprintf(col, sizeof(col), "%s_p50", prefix);
        ct_table_set_int(t, row, col, (int64_t)ct_hist_percentile(h, 50));
        snprintf(col, sizeof(col), "%s_p95", prefix);
        ct_table_set_int(t, row, col, (int64_t)ct_hist_percentile(h, 95));
        snprintf(col, sizeof(col), "%s_p99", prefix);
        ct_table_set_int(t, row, col, (int64_t)ct_hist_percentile(h, 99));
        snprintf(col, sizeof(col), "%s_max", prefix);
        ct_table_set_int(t, row, col, (int64_t)h->max);
}

void ct__set_wait_cols(struct ct_table *t, size_t row, const struct ct_hist *wait,
                       uint64_t unfinished, uint64_t cut, uint64_t unmatched)
{
        ct__set_hist_cols(t, row, "wait", wait);
        ct_table_set_int(t, row, "unfinished", (int64_t)unfinished);
        ct_table_set_int(t, row, "cut", (int64_t)cut);
        ct_table_set_int(t, row, "unmatched", (int64_t)unmatched);
}

void ct__set_span_cols(struct ct_table *t, size_t row, uint64_t first_ts, uint64_t last_ts)
{
        ct_table_set_int(t, row, "first_ts", (int64_t)first_ts);
        ct_table_set_int(t, row, "last_ts", (int64_t)last_ts);
}

struct ct_table *ct__objs_table(struct ct_report *r, const char *key, const char *title,
                                const struct ct_col *cols, size_t ncols, const struct ct__map *objs,
                                int (*cmp)(const void *a, const void *b), struct ct__map_entry **v,
                                size_t *n)
{
        struct ct_table *t = ct_report_add_table(r, key, title, cols, ncols);

        if (!t) {
                return NULL;
        }
        *v = ct__map_sorted(objs, cmp, n);
        if (!*v) {
                t->err = -ENOMEM;
                return NULL;
        }
        return t;
}

void ct__objs_table_end(struct ct_table *t, struct ct__map_entry *v, int err)
{
        free(v);
        if (err) {
                t->err = err;
        }
}

void ct__map_fini_hists(struct ct__map *m, size_t hist_offset)
{
        unsigned char *x;
        size_t i = 0;

        while ((x = ct__map_next(m, &i, NULL))) {
                ct_hist_fini((struct ct_hist *)(void *)(x + hist_offset));
        }
        ct__map_fini(m);
}
