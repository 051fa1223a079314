/* SPDX-License-Identifier: MIT */
/*
 * Analysis "conds", per condvar (trace, pid, cond id): waits (wait_begin),
 * wait time wait_begin -> wait_end on the same thread, timeouts, signals,
 * broadcasts, notifications with no waiter (signal or broadcast with
 * waiters = 0), and re-waits: a wait_end followed by another wait_begin on the
 * same cond by the same thread with no release of the cond's lock in between
 * (ct_lock:release, or ct_sem:post for a lock that is a semaphore).
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
        uint64_t first_ts, last_ts; /* its first and last event: which run used it */
};

/* Open waits per thread: 2, because a wait may nest another, e.g. CPython's
 * GIL.cond inside a Python threading.Condition wait (the GIL is taken back
 * before Condition.wait returns). */
#define CT__CV_NEST 2

struct ct__cv_th {
        struct ct__open wait[CT__CV_NEST]; /* obj = cond; [1] nested in [0] */
        uint64_t last_cond;                /* cond of the last wait_end ... */
        uint64_t last_lock;                /* ... and its lock */
        int last_active;                   /* no release of last_lock since */
};

struct ct__conds {
        struct ct__model *m;  /* weak */
        struct ct__map conds; /* (trace, vpid, cond) -> struct ct__cond */
        struct ct__cv_th *th; /* owned: per thread idx */
        size_t cap;
        int err;
};

/* The thread's open wait on cond, NULL if none. */
static struct ct__open *ct__cv_find(struct ct__cv_th *t, uint64_t cond)
{
        for (int i = CT__CV_NEST - 1; i >= 0; i--) {
                if (t->wait[i].active && t->wait[i].obj == cond) {
                        return &t->wait[i];
                }
        }
        return NULL;
}

/* The slot for a new wait on cond: its open one (whose end never came), else
 * the outermost free one, else the innermost. */
static struct ct__open *ct__cv_open(struct ct__cv_th *t, uint64_t cond)
{
        struct ct__open *w = ct__cv_find(t, cond);

        for (int i = 0; !w && i < CT__CV_NEST; i++) {
                if (!t->wait[i].active) {
                        w = &t->wait[i];
                }
        }
        return w ? w : &t->wait[CT__CV_NEST - 1];
}

static void ct__conds_event(void *self, const struct ct_event *ev)
{
        struct ct__conds *s = self;
        struct ct__open *w;
        struct ct__thread *th;
        struct ct__cv_th *t;
        struct ct__cond *c;
        int created;
        uint32_t epoch;

        /* A semaphore's post releases a lock too: Python's threading.Condition
         * over a CPython lock (scenarios/python/conctrace_marks.py). */
        if ((ev->type < CT_EV_COND_WAIT_BEGIN || ev->type > CT_EV_COND_BROADCAST) &&
            ev->type != CT_EV_LOCK_RELEASE && ev->type != CT_EV_SEM_POST) {
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
        if (ev->type == CT_EV_LOCK_RELEASE || ev->type == CT_EV_SEM_POST) {
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
                c->first_ts = ev->ts;
        }
        c->last_ts = ev->ts > c->last_ts ? ev->ts : c->last_ts;
        epoch = ct__model_epoch(s->m, ev->trace);
        switch (ev->type) {
        case CT_EV_COND_WAIT_BEGIN:
                c->waits++;
                if (t->last_active && t->last_cond == ev->obj) {
                        c->rewaits++;
                }
                t->last_active = 0;
                w = ct__cv_open(t, ev->obj);
                if (w->active) {
                        c->unmatched++; /* the end of a wait never came */
                }
                w->active = 1;
                w->obj = ev->obj;
                w->ts = ev->ts;
                w->epoch = epoch;
                break;
        case CT_EV_COND_WAIT_END:
                c->timeouts += ev->timedout != 0;
                w = ct__cv_find(t, ev->obj);
                if (!w) {
                        c->unmatched++;
                } else if (w->epoch != epoch) {
                        c->cut++;
                } else if (ct_hist_add(&c->wait, ev->ts >= w->ts ? ev->ts - w->ts : 0) < 0) {
                        s->err = -ENOMEM;
                }
                if (w) {
                        w->active = 0;
                }
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
                for (int k = 0; k < CT__CV_NEST; k++) {
                        struct ct__cond *c;

                        if (!t->wait[k].active) {
                                continue;
                        }
                        c = ct__map_get(&s->conds,
                                        ct__key3(th->trace, (uint64_t)th->vpid, t->wait[k].obj));
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
    CT__SPAN_COLS,
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
                ct__set_span_cols(t, row, x->first_ts, x->last_ts);
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
