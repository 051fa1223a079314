/* SPDX-License-Identifier: MIT */
/*
 * Analysis "sems", per POSIX semaphore (trace, pid, sem): acquisitions
 * (ct_sem:acquire), contended (after a request), waits (requests that ended,
 * by an acquire or a failure), wait request -> acquire of that thread (an
 * acquire with no request waited 0), posts, max simultaneous waiters
 * (requests not yet ended), timeouts (fail with ETIMEDOUT) and other failures
 * (EINTR...). Any thread may post: a post is never a bad release.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ct_alloc.h"
#include "ct_analysis.h"
#include "ct_hist.h"

struct ct__sem {
        struct ct_hist wait; /* owns its octaves: one value per acquisition */
        uint64_t acquisitions, contended, waits, posts, timeouts, failures;
        uint64_t waiters, max_waiters, unmatched, cut, unfinished;
        uint64_t first_ts, last_ts; /* its first and last event: which run used it */
};

struct ct__sm_th {
        struct ct__open req; /* pending request (obj = sem) */
};

struct ct__sems {
        struct ct__model *m;  /* weak */
        struct ct__map sems;  /* (trace, vpid, sem) -> struct ct__sem */
        struct ct__sm_th *th; /* owned: per thread idx */
        size_t cap;
        int err;
};

static struct ct__sem *ct__sem_get(struct ct__sems *s, const struct ct__thread *th, uint64_t obj,
                                   uint64_t ts)
{
        int created;
        struct ct__sem *x =
            ct__map_put(&s->sems, ct__key3(th->trace, (uint64_t)th->vpid, obj), &created);

        if (!x) {
                s->err = -ENOMEM;
                return NULL;
        }
        if (created) {
                ct_hist_init(&x->wait);
                x->first_ts = ts;
        }
        x->last_ts = ts > x->last_ts ? ts : x->last_ts;
        return x;
}

/* Ends this thread's pending request on x (acquired or failed). */
static void ct__sem_req_end(struct ct__sems *s, struct ct__sm_th *t, struct ct__sem *x,
                            const struct ct_event *ev, uint32_t epoch, int acquired)
{
        t->req.active = 0;
        x->waiters -= x->waiters > 0;
        x->waits++;
        if (t->req.epoch != epoch) {
                x->cut++;
        } else if (acquired &&
                   ct_hist_add(&x->wait, ev->ts >= t->req.ts ? ev->ts - t->req.ts : 0) < 0) {
                s->err = -ENOMEM;
        }
}

static void ct__sems_event(void *self, const struct ct_event *ev)
{
        struct ct__sems *s = self;
        struct ct__thread *th;
        struct ct__sm_th *t;
        struct ct__sem *x;
        uint32_t epoch;
        int pending;

        if (ev->type < CT_EV_SEM_REQUEST || ev->type > CT_EV_SEM_POST) {
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
        epoch = ct__model_epoch(s->m, ev->trace);
        if (ev->type == CT_EV_SEM_REQUEST && t->req.active) {
                /* the end of the previous request never came */
                struct ct__sem *old = ct__sem_get(s, th, t->req.obj, ev->ts);

                if (old) {
                        old->unmatched++;
                        old->waiters -= old->waiters > 0;
                }
                t->req.active = 0;
        }
        x = ct__sem_get(s, th, ev->obj, ev->ts);
        if (!x) {
                return;
        }
        pending = t->req.active && t->req.obj == ev->obj;
        switch (ev->type) {
        case CT_EV_SEM_REQUEST:
                x->waiters++;
                if (x->waiters > x->max_waiters) {
                        x->max_waiters = x->waiters;
                }
                t->req.active = 1;
                t->req.obj = ev->obj;
                t->req.ts = ev->ts;
                t->req.epoch = epoch;
                break;
        case CT_EV_SEM_ACQUIRE:
                x->acquisitions++;
                x->contended += ev->contended != 0;
                if (pending) {
                        ct__sem_req_end(s, t, x, ev, epoch, 1);
                } else if (ct_hist_add(&x->wait, 0) < 0) {
                        s->err = -ENOMEM;
                }
                break;
        case CT_EV_SEM_FAIL:
                if (ev->err == ETIMEDOUT) {
                        x->timeouts++;
                } else {
                        x->failures++;
                }
                if (pending) {
                        ct__sem_req_end(s, t, x, ev, epoch, 0);
                } else {
                        x->unmatched++;
                }
                break;
        case CT_EV_SEM_POST:
                x->posts++;
                break;
        default:
                break;
        }
}

static void ct__sems_trace_end(void *self, const struct ct_trace_info *info)
{
        struct ct__sems *s = self;
        struct ct__key k;
        struct ct__sem *x;
        size_t i = 0;

        while ((x = ct__map_next(&s->sems, &i, &k))) {
                if (k.a != info->trace) {
                        continue;
                }
                x->unfinished += x->waiters;
                x->waiters = 0;
        }
        for (i = 0; i < s->m->nthreads && i < s->cap; i++) {
                if (s->m->threads[i]->trace == info->trace) {
                        s->th[i].req.active = 0;
                }
        }
}

// clang-format off
static const struct ct_col ct__sems_cols[] = {
    CT__OBJ_COLS("sem"),
    CT__INT("acquisitions"),
    CT__INT("contended"),
    {"contention", CT_COL_RATIO, 0},
    CT__INT("waits"),
    CT__HIST_COLS("wait"),
    CT__INT("posts"),
    CT__INT("max_waiters"),
    CT__INT("timeouts"),
    CT__INT("failures"),
    CT__PAIRING_COLS,
    CT__SPAN_COLS,
};
// clang-format on

static int ct__cmp_sem(const void *a, const void *b)
{
        const struct ct__map_entry *ea = a, *eb = b;
        const struct ct__sem *x = ea->v, *y = eb->v;

        if (x->wait.total != y->wait.total) {
                return x->wait.total > y->wait.total ? -1 : 1;
        }
        if (x->contended != y->contended) {
                return x->contended > y->contended ? -1 : 1;
        }
        if (x->acquisitions != y->acquisitions) {
                return x->acquisitions > y->acquisitions ? -1 : 1;
        }
        return ct__key_cmp(&ea->k, &eb->k);
}

static void ct__sems_tables(void *self, struct ct_report *r)
{
        struct ct__sems *s = self;
        struct ct__map_entry *v;
        size_t i, n;
        struct ct_table *t =
            ct__objs_table(r, "sems", "Semaphores (longest waits first)", ct__sems_cols,
                           CT__ARRAY_LEN(ct__sems_cols), &s->sems, ct__cmp_sem, &v, &n);

        if (!t) {
                return;
        }
        for (i = 0; i < n; i++) {
                const struct ct__sem *x = v[i].v;
                size_t row = ct_table_add_row(t);
                char buf[256];

                ct__set_obj_cols(t, row, s->m, "sem", CT_OBJ_SEM, (uint32_t)v[i].k.a,
                                 (int64_t)v[i].k.b, v[i].k.c, buf, sizeof(buf));
                ct_table_set_int(t, row, "acquisitions", (int64_t)x->acquisitions);
                ct_table_set_int(t, row, "contended", (int64_t)x->contended);
                if (x->acquisitions) {
                        ct_table_set_double(t, row, "contention",
                                            (double)x->contended / (double)x->acquisitions);
                }
                ct_table_set_int(t, row, "waits", (int64_t)x->waits);
                ct__set_wait_cols(t, row, &x->wait, x->unfinished, x->cut, x->unmatched);
                ct_table_set_int(t, row, "posts", (int64_t)x->posts);
                ct_table_set_int(t, row, "max_waiters", (int64_t)x->max_waiters);
                ct_table_set_int(t, row, "timeouts", (int64_t)x->timeouts);
                ct_table_set_int(t, row, "failures", (int64_t)x->failures);
                ct__set_span_cols(t, row, x->first_ts, x->last_ts);
        }
        ct_table_note(t, "wait = request -> acquire (0 without request), over acquisitions; "
                         "waits = requests ended (acquired, timed out or failed); any thread may "
                         "post (not a bad release)");
        ct__objs_table_end(t, v, s->err);
}

static void ct__sems_free(void *self)
{
        struct ct__sems *s = self;

        ct__map_fini_hists(&s->sems, offsetof(struct ct__sem, wait));
        ct__free(s->th);
        ct__free(s);
}

int ct__sems_create(struct ct__model *m, const struct ct_analyses_opts *opts,
                    struct ct__analysis *out)
{
        struct ct__sems *s = ct__calloc(1, sizeof(*s));

        (void)opts;
        if (!s) {
                return -ENOMEM;
        }
        s->m = m;
        ct__map_init(&s->sems, sizeof(struct ct__sem));
        ct__analysis_init(out, "sems", s, NULL, ct__sems_event, ct__sems_trace_end, ct__sems_tables,
                          ct__sems_free);
        out->cons.event_types =
            CT_EV_BITS(CT_EV_SEM_REQUEST, CT_EV_SEM_POST); /* what ct__sems_event reads */
        return 0;
}
