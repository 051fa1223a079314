/* SPDX-License-Identifier: MIT */
/*
 * Analysis "pools", per pool (trace, pool id; workers may be other
 * processes): tasks (task_end matched with its task_begin), queue wait
 * (submit -> task_begin of that task), run time (task_begin -> task_end),
 * per-worker busy time and utilisation (busy / pool span, span = create ->
 * destroy, else first -> last event of the pool), imbalance = max busy /
 * mean busy over max(declared, seen) workers. Only tasks in flight are kept.
 * A create of a pool id already seen (a pool destroyed, then another one
 * allocated at the same address: `--workers 1,2,4`) starts a new pool, as a
 * thread_begin after thread_end starts a new thread.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ct_alloc.h"
#include "ct_analysis.h"
#include "ct_hist.h"

struct ct__worker {
        int64_t worker;
        uint64_t busy, tasks;
};

struct ct__pool {
        struct ct_hist qwait, run; /* own their octaves */
        int64_t workers, kind, pid;
        int has_create, has_destroy, seen;
        uint64_t create_ts, destroy_ts, first_ts, last_ts;
        uint64_t submits, begins, tasks, no_submit, restarts, unmatched, unstarted, unfinished, cut;
        struct ct__worker *w; /* owned */
        size_t nw, capw;
};

struct ct__task {
        uint64_t submit_ts, begin_ts;
        uint32_t submit_epoch, begin_epoch;
        int submitted, running;
        int64_t worker;
};

struct ct__pools {
        struct ct__model *m;  /* weak */
        struct ct__map pools; /* (trace, pool, generation) -> struct ct__pool */
        struct ct__map gens;  /* (trace, pool, 0) -> uint64_t current generation */
        struct ct__map tasks; /* (trace, pool, task) -> struct ct__task, in flight only */
        int err;
};

static struct ct__worker *ct__pool_worker(struct ct__pools *s, struct ct__pool *p, int64_t worker)
{
        size_t i;

        for (i = 0; i < p->nw; i++) {
                if (p->w[i].worker == worker) {
                        return &p->w[i];
                }
        }
        if (ct__grow((void **)&p->w, &p->capw, sizeof(*p->w), p->nw) < 0) {
                s->err = -ENOMEM;
                return NULL;
        }
        p->w[p->nw].worker = worker;
        return &p->w[p->nw++];
}

/* Counts the tasks of pool P (trace, pool id) still in flight and forgets them. */
static void ct__pool_flush_tasks(struct ct__pools *s, struct ct__pool *p, uint64_t trace,
                                 uint64_t pool)
{
        struct ct__task *tk;
        struct ct__key k;
        size_t i = 0;

        while ((tk = ct__map_next(&s->tasks, &i, &k))) {
                if (k.a != trace || k.b != pool) {
                        continue;
                }
                p->unstarted += tk->submitted;
                p->unfinished += tk->running;
                ct__map_del(&s->tasks, k);
                i = 0; /* deletion moves entries: rescan */
        }
}

static void ct__pools_event(void *self, const struct ct_event *ev)
{
        struct ct__pools *s = self;
        struct ct__pool *p;
        struct ct__task *tk;
        struct ct__key tkey;
        uint64_t *gen;
        int created;
        uint32_t epoch;

        if (ev->type < CT_EV_POOL_CREATE || ev->type > CT_EV_POOL_TASK_END) {
                return;
        }
        gen = ct__map_put(&s->gens, ct__key3(ev->trace, ev->obj, 0), &created);
        if (!gen) {
                goto nomem;
        }
        p = ct__map_put(&s->pools, ct__key3(ev->trace, ev->obj, *gen), &created);
        if (!p) {
                goto nomem;
        }
        if (!created && ev->type == CT_EV_POOL_CREATE && p->seen) {
                /* Same id, new pool: the old one's tasks in flight stay with it. */
                ct__pool_flush_tasks(s, p, ev->trace, ev->obj);
                (*gen)++;
                p = ct__map_put(&s->pools, ct__key3(ev->trace, ev->obj, *gen), &created);
                if (!p) {
                        goto nomem;
                }
        }
        if (created) {
                ct_hist_init(&p->qwait);
                ct_hist_init(&p->run);
                p->pid = ev->vpid;
        }
        if (!p->seen) {
                p->seen = 1;
                p->first_ts = ev->ts;
        }
        p->last_ts = ev->ts;
        epoch = ct__model_epoch(s->m, ev->trace);
        tkey = ct__key3(ev->trace, ev->obj, ev->task);
        switch (ev->type) {
        case CT_EV_POOL_CREATE:
                p->has_create = 1;
                p->create_ts = ev->ts;
                p->workers = ev->workers;
                p->kind = ev->kind;
                p->pid = ev->vpid;
                break;
        case CT_EV_POOL_DESTROY:
                p->has_destroy = 1;
                p->destroy_ts = ev->ts;
                break;
        case CT_EV_POOL_SUBMIT:
                p->submits++;
                tk = ct__map_put(&s->tasks, tkey, &created);
                if (!tk) {
                        goto nomem;
                }
                if (!created) {
                        p->unmatched++; /* the same task id submitted again while in flight */
                }
                tk->submitted = 1;
                tk->running = 0;
                tk->submit_ts = ev->ts;
                tk->submit_epoch = epoch;
                break;
        case CT_EV_POOL_TASK_BEGIN:
                p->begins++;
                tk = ct__map_put(&s->tasks, tkey, &created);
                if (!tk) {
                        goto nomem;
                }
                if (tk->running) {
                        p->restarts++;
                }
                if (!tk->submitted) {
                        p->no_submit++;
                } else if (tk->submit_epoch != epoch) {
                        p->cut++;
                } else if (ct_hist_add(&p->qwait,
                                       ev->ts >= tk->submit_ts ? ev->ts - tk->submit_ts : 0) < 0) {
                        goto nomem;
                }
                tk->submitted = 0;
                tk->running = 1;
                tk->begin_ts = ev->ts;
                tk->begin_epoch = epoch;
                tk->worker = ev->worker;
                break;
        case CT_EV_POOL_TASK_END:
                tk = ct__map_get(&s->tasks, tkey);
                if (!tk || !tk->running) {
                        p->unmatched++;
                        break;
                }
                if (tk->begin_epoch != epoch) {
                        p->cut++;
                } else {
                        uint64_t d = ev->ts >= tk->begin_ts ? ev->ts - tk->begin_ts : 0;
                        struct ct__worker *w = ct__pool_worker(s, p, tk->worker);

                        p->tasks++;
                        if (ct_hist_add(&p->run, d) < 0) {
                                goto nomem;
                        }
                        if (w) {
                                w->busy += d;
                                w->tasks++;
                        }
                }
                ct__map_del(&s->tasks, tkey);
                break;
        default:
                break;
        }
        return;
nomem:
        s->err = -ENOMEM;
}

static void ct__pools_trace_end(void *self, const struct ct_trace_info *info)
{
        struct ct__pools *s = self;
        struct ct__task *tk;
        struct ct__key k;
        size_t i = 0;

        while ((tk = ct__map_next(&s->tasks, &i, &k))) {
                struct ct__pool *p;
                uint64_t *gen;

                if (k.a != info->trace) {
                        continue;
                }
                gen = ct__map_get(&s->gens, ct__key3(k.a, k.b, 0));
                p = gen ? ct__map_get(&s->pools, ct__key3(k.a, k.b, *gen)) : NULL;
                if (p) {
                        p->unstarted += tk->submitted;
                        p->unfinished += tk->running;
                }
                ct__map_del(&s->tasks, k);
                i = 0; /* deletion moves entries: rescan */
        }
}

static const struct ct_col ct__pools_cols[] = {
    CT__STR("pool"),
    CT__STR("process"),
    {"trace", CT_COL_INT, CT_COL_NOTEXT},
    {"pid", CT_COL_INT, CT_COL_NOTEXT},
    {"id", CT_COL_STR, CT_COL_NOTEXT},
    CT__STR("kind"),
    CT__INT("workers"),
    CT__INT("submits"),
    CT__INT("tasks"),
    CT__HIST_COLS("queue_wait"),
    CT__HIST_COLS("run"),
    CT__NS("span"),
    {"utilisation", CT_COL_RATIO, 0},
    {"imbalance", CT_COL_FLOAT, 0},
    CT__INT("unstarted"),
    CT__INT("unfinished"),
    {"restarts", CT_COL_INT, CT_COL_NOTEXT},
    {"no_submit", CT_COL_INT, CT_COL_NOTEXT},
    {"unmatched", CT_COL_INT, CT_COL_NOTEXT},
    CT__INT("cut"),
    CT__SPAN_COLS,
};

static const struct ct_col ct__workers_cols[] = {
    CT__STR("pool"), {"trace", CT_COL_INT, CT_COL_NOTEXT}, CT__INT("worker"), CT__INT("tasks"),
    CT__NS("busy"),  {"utilisation", CT_COL_RATIO, 0},
};

static int ct__cmp_pool(const void *a, const void *b)
{
        const struct ct__map_entry *ea = a, *eb = b;
        const struct ct__pool *x = ea->v, *y = eb->v;

        if (x->tasks != y->tasks) {
                return x->tasks > y->tasks ? -1 : 1;
        }
        return ct__key_cmp(&ea->k, &eb->k);
}

static int ct__cmp_worker(const void *a, const void *b)
{
        const struct ct__worker *x = a, *y = b;

        return x->worker < y->worker ? -1 : x->worker > y->worker;
}

static void ct__pools_tables(void *self, struct ct_report *r)
{
        struct ct__pools *s = self;
        struct ct_table *t =
            ct_report_add_table(r, "pools", "Pools", ct__pools_cols, CT__ARRAY_LEN(ct__pools_cols));
        struct ct_table *wt;
        struct ct__map_entry *v;
        size_t i, j, n = 0;

        if (!t) {
                return;
        }
        wt = ct_report_add_child(r, t, "pool_workers", "per_worker", "Pool workers",
                                 ct__workers_cols, CT__ARRAY_LEN(ct__workers_cols));
        v = wt ? ct__map_sorted(&s->pools, ct__cmp_pool, &n) : NULL;
        if (!v) {
                t->err = -ENOMEM;
                return;
        }
        for (i = 0; i < n; i++) {
                struct ct__pool *x = v[i].v;
                uint64_t b = x->has_create ? x->create_ts : x->first_ts;
                uint64_t e = x->has_destroy ? x->destroy_ts : x->last_ts;
                uint64_t span = e > b ? e - b : 0, total = 0, max = 0;
                size_t nworkers =
                    x->nw > (size_t)(x->workers > 0 ? x->workers : 0) ? x->nw : (size_t)x->workers;
                size_t row = ct_table_add_row(t);
                char name[256];
                /* The model's name when the pool is named, else formatted in name[]. */
                const char *label =
                    ct__set_obj_cols(t, row, s->m, "pool", CT_OBJ_POOL, (uint32_t)v[i].k.a, x->pid,
                                     v[i].k.b, name, sizeof(name));
                if (x->has_create) {
                        ct_table_set_str(t, row, "kind",
                                         x->kind == CT_POOL_PROCESS ? "process" : "thread");
                        ct_table_set_int(t, row, "workers", x->workers);
                }
                ct_table_set_int(t, row, "submits", (int64_t)x->submits);
                ct_table_set_int(t, row, "tasks", (int64_t)x->tasks);
                ct__set_hist_cols(t, row, "queue_wait", &x->qwait);
                ct__set_hist_cols(t, row, "run", &x->run);
                ct_table_set_int(t, row, "span", (int64_t)span);
                if (x->nw) {
                        qsort(x->w, x->nw, sizeof(*x->w), ct__cmp_worker);
                }
                for (j = 0; j < x->nw; j++) {
                        size_t wr = ct_table_add_child_row(wt, row);

                        total += x->w[j].busy;
                        if (x->w[j].busy > max) {
                                max = x->w[j].busy;
                        }
                        ct_table_set_str(wt, wr, "pool", label);
                        ct_table_set_int(wt, wr, "trace", (int64_t)v[i].k.a);
                        ct_table_set_int(wt, wr, "worker", x->w[j].worker);
                        ct_table_set_int(wt, wr, "tasks", (int64_t)x->w[j].tasks);
                        ct_table_set_int(wt, wr, "busy", (int64_t)x->w[j].busy);
                        if (span) {
                                ct_table_set_double(wt, wr, "utilisation",
                                                    (double)x->w[j].busy / (double)span);
                        }
                }
                if (span && nworkers) {
                        ct_table_set_double(t, row, "utilisation",
                                            (double)total / (double)nworkers / (double)span);
                }
                if (total && nworkers) {
                        ct_table_set_double(t, row, "imbalance",
                                            (double)max / ((double)total / (double)nworkers));
                }
                ct_table_set_int(t, row, "unstarted", (int64_t)x->unstarted);
                ct_table_set_int(t, row, "unfinished", (int64_t)x->unfinished);
                ct_table_set_int(t, row, "restarts", (int64_t)x->restarts);
                ct_table_set_int(t, row, "no_submit", (int64_t)x->no_submit);
                ct_table_set_int(t, row, "unmatched", (int64_t)x->unmatched);
                ct_table_set_int(t, row, "cut", (int64_t)x->cut);
                ct__set_span_cols(t, row, b, e);
        }
        free(v);
        ct_table_note(t, "queue_wait = submit -> task_begin; run = task_begin -> task_end; "
                         "utilisation = busy / span (create -> destroy); imbalance = max busy / "
                         "mean busy over the pool's workers");
        if (s->err) {
                t->err = s->err;
        }
}

static void ct__pools_free(void *self)
{
        struct ct__pools *s = self;
        struct ct__pool *p;
        size_t i = 0;

        while ((p = ct__map_next(&s->pools, &i, NULL))) {
                ct_hist_fini(&p->qwait);
                ct_hist_fini(&p->run);
                ct__free(p->w);
        }
        ct__map_fini(&s->pools);
        ct__map_fini(&s->gens);
        ct__map_fini(&s->tasks);
        ct__free(s);
}

int ct__pools_create(struct ct__model *m, const struct ct_analyses_opts *opts,
                     struct ct__analysis *out)
{
        struct ct__pools *s = ct__calloc(1, sizeof(*s));

        (void)opts;
        if (!s) {
                return -ENOMEM;
        }
        s->m = m;
        ct__map_init(&s->pools, sizeof(struct ct__pool));
        ct__map_init(&s->gens, sizeof(uint64_t));
        ct__map_init(&s->tasks, sizeof(struct ct__task));
        ct__analysis_init(out, "pools", s, NULL, ct__pools_event, ct__pools_trace_end,
                          ct__pools_tables, ct__pools_free);
        out->cons.event_types =
            CT_EV_BITS(CT_EV_POOL_CREATE, CT_EV_POOL_TASK_END); /* what ct__pools_event reads */
        return 0;
}
