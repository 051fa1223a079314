/* SPDX-License-Identifier: MIT */
/*
 * Analysis "conds", per condvar (trace, pid, cond id): waits (wait_begin),
 * wait time wait_begin -> wait_end on the same thread, timeouts, signals,
 * broadcasts, notifications with no waiter (signal or broadcast with
 * waiters = 0), and re-waits: a wait_end followed by another wait_begin on the
 * same cond by the same thread with no release of the cond's lock in between.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ct_alloc.h"
#include "ct_analysis.h"
#include "ct_hist.h"

struct ct__cond {
        struct ct_hist wait; /* owns its octaves */
        uint64_t waits, signals, broadcasts, no_waiter, timeouts, rewaits;
        uint64_t unmatched, cut, unfinished;
};

struct ct__cv_th {
        struct ct__open wait; /* obj = cond */
        uint64_t last_cond;   /* cond of the last wait_end ... */
        uint64_t last_lock;   /* ... and its lock */
        int last_active;      /* no release of last_lock since */
};

struct ct__conds {
        struct ct__model *m;  /* weak */
        struct ct__map conds; /* (trace, vpid, cond) -> struct ct__cond */
        struct ct__cv_th *th; /* owned: per thread idx */
        size_t cap;
        int err;
};

static void ct__conds_event(void *self, const struct ct_event *ev)
{
        struct ct__conds *s = self;
        struct ct__thread *th;
        struct ct__cv_th *t;
        struct ct__cond *c;
        int created;
        uint32_t epoch;

        if ((ev->type < CT_EV_COND_WAIT_BEGIN || ev->type > CT_EV_COND_BROADCAST) &&
            ev->type != CT_EV_LOCK_RELEASE) {
                return;
        }
        th = ct__model_thread(s->m, ev);
        if (!th) {
                return;
        }
        if (ct__grow((void **)&s->th, &s->cap, sizeof(*s->th), th->idx) < 0) {
                s->err = -ENOMEM;
                return;
        }
        t = &s->th[th->idx];
        if (ev->type == CT_EV_LOCK_RELEASE) {
                if (t->last_active && t->last_lock == ev->obj) {
                        t->last_active = 0;
                }
                return;
        }
        c = ct__map_put(&s->conds, ct__key3(th->trace, (uint64_t)th->vpid, ev->obj), &created);
        if (!c) {
                s->err = -ENOMEM;
                return;
        }
        if (created) {
                ct_hist_init(&c->wait);
        }
        epoch = ct__model_epoch(s->m, ev->trace);
        switch (ev->type) {
        case CT_EV_COND_WAIT_BEGIN:
                c->waits++;
                if (t->last_active && t->last_cond == ev->obj) {
                        c->rewaits++;
                }
                t->last_active = 0;
                if (t->wait.active) {
                        c->unmatched++;
                }
                t->wait.active = 1;
                t->wait.obj = ev->obj;
                t->wait.ts = ev->ts;
                t->wait.epoch = epoch;
                break;
        case CT_EV_COND_WAIT_END:
                c->timeouts += ev->timedout != 0;
                if (!t->wait.active || t->wait.obj != ev->obj) {
                        c->unmatched++;
                } else if (t->wait.epoch != epoch) {
                        c->cut++;
                } else if (ct_hist_add(&c->wait, ev->ts >= t->wait.ts ? ev->ts - t->wait.ts : 0) <
                           0) {
                        s->err = -ENOMEM;
                }
                t->wait.active = 0;
                t->last_active = 1;
                t->last_cond = ev->obj;
                t->last_lock = ev->lock;
                break;
        case CT_EV_COND_SIGNAL:
                c->signals++;
                c->no_waiter += ev->waiters == 0;
                break;
        case CT_EV_COND_BROADCAST:
                c->broadcasts++;
                c->no_waiter += ev->waiters == 0;
                break;
        default:
                break;
        }
}

static void ct__conds_trace_end(void *self, const struct ct_trace_info *info)
{
        struct ct__conds *s = self;
        size_t i;

        for (i = 0; i < s->m->nthreads && i < s->cap; i++) {
                const struct ct__thread *th = s->m->threads[i];
                struct ct__cv_th *t = &s->th[i];

                if (th->trace != info->trace) {
                        continue;
                }
                if (t->wait.active) {
                        struct ct__cond *c = ct__map_get(
                            &s->conds, ct__key3(th->trace, (uint64_t)th->vpid, t->wait.obj));

                        if (c) {
                                c->unfinished++;
                        }
                }
                memset(t, 0, sizeof(*t));
        }
}

// clang-format off
static const struct ct_col ct__conds_cols[] = {
    CT__OBJ_COLS("cond"),
    CT__INT("waits"),
    CT__INT("signals"),
    CT__INT("broadcasts"),
    CT__INT("no_waiter"),
    CT__INT("timeouts"),
    CT__INT("rewaits"),
    CT__HIST_COLS("wait"),
    CT__PAIRING_COLS,
};
// clang-format on

static int ct__cmp_cond(const void *a, const void *b)
{
        const struct ct__map_entry *ea = a, *eb = b;
        const struct ct__cond *x = ea->v, *y = eb->v;

        if (x->wait.total != y->wait.total) {
                return x->wait.total > y->wait.total ? -1 : 1;
        }
        if (x->waits != y->waits) {
                return x->waits > y->waits ? -1 : 1;
        }
        return ct__key_cmp(&ea->k, &eb->k);
}

static void ct__conds_tables(void *self, struct ct_report *r)
{
        struct ct__conds *s = self;
        struct ct__map_entry *v;
        size_t i, n;
        struct ct_table *t =
            ct__objs_table(r, "conds", "Condition variables (longest waits first)", ct__conds_cols,
                           CT__ARRAY_LEN(ct__conds_cols), &s->conds, ct__cmp_cond, &v, &n);

        if (!t) {
                return;
        }
        for (i = 0; i < n; i++) {
                const struct ct__cond *x = v[i].v;
                size_t row = ct_table_add_row(t);
                char buf[256];

                ct__set_obj_cols(t, row, s->m, "cond", CT_OBJ_COND, (uint32_t)v[i].k.a,
                                 (int64_t)v[i].k.b, v[i].k.c, buf, sizeof(buf));
                ct_table_set_int(t, row, "waits", (int64_t)x->waits);
                ct_table_set_int(t, row, "signals", (int64_t)x->signals);
                ct_table_set_int(t, row, "broadcasts", (int64_t)x->broadcasts);
                ct_table_set_int(t, row, "no_waiter", (int64_t)x->no_waiter);
                ct_table_set_int(t, row, "timeouts", (int64_t)x->timeouts);
                ct_table_set_int(t, row, "rewaits", (int64_t)x->rewaits);
                ct__set_wait_cols(t, row, &x->wait, x->unfinished, x->cut, x->unmatched);
        }
        ct_table_note(t, "no_waiter = signals and broadcasts with no thread waiting (lost "
                         "notifications); rewaits = wait_end then wait_begin on the same cond "
                         "without releasing its lock");
        ct__objs_table_end(t, v, s->err);
}

static void ct__conds_free(void *self)
{
        struct ct__conds *s = self;

        ct__map_fini_hists(&s->conds, offsetof(struct ct__cond, wait));
        ct__free(s->th);
        ct__free(s);
}

int ct__conds_create(struct ct__model *m, const struct ct_analyses_opts *opts,
                     struct ct__analysis *out)
{
        struct ct__conds *s = ct__calloc(1, sizeof(*s));

        (void)opts;
        if (!s) {
                return -ENOMEM;
        }
        s->m = m;
        ct__map_init(&s->conds, sizeof(struct ct__cond));
        ct__analysis_init(out, "conds", s, NULL, ct__conds_event, ct__conds_trace_end,
                          ct__conds_tables, ct__conds_free);
        out->cons.event_types = CT_EV_BITS(CT_EV_COND_WAIT_BEGIN, CT_EV_COND_BROADCAST) |
                                CT_EV_BIT(CT_EV_LOCK_RELEASE); /* what ct__conds_event reads */
        return 0;
}
