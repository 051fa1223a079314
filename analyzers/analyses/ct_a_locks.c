/* SPDX-License-Identifier: MIT */
/*
 * Analysis "locks", per lock (trace, pid, lock id): acquisitions (traced
 * acquire events + ct_lock:summary counts), contended (contended = 1), ratio,
 * wait request -> next acquire by that thread (an acquire with no request
 * waited 0; summarized acquisitions waited 0), hold acquire -> release by the
 * holder (traced acquisitions only), max simultaneous waiters (requests not
 * yet acquired), hand-offs (acquire by another thread than the previous
 * acquirer). A release by a thread that does not hold the lock is counted in
 * bad_releases.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ct_alloc.h"
#include "ct_analysis.h"
#include "ct_hist.h"

struct ct__lock {
        struct ct_hist wait; /* owns its octaves */
        uint64_t traced, summarized, contended, handoffs, waiters, max_waiters;
        uint64_t holds, hold_total, hold_max, bad_releases, unmatched, cut, unfinished;
        uint32_t holder; /* thread idx + 1 of the current holder, 0 = free */
        uint32_t prev;   /* thread idx + 1 of the last acquirer */
        uint64_t hold_ts;
        uint32_t hold_epoch;
        uint64_t first_ts, last_ts; /* its first and last event: which run used it */
};

struct ct__lk_th {
        struct ct__open req; /* pending request (obj = lock) */
};

struct ct__locks {
        struct ct__model *m;  /* weak */
        struct ct__map locks; /* (trace, vpid, lock) -> struct ct__lock */
        struct ct__lk_th *th; /* owned: per thread idx */
        size_t cap;
        uint64_t summarized;
        int err;
};

static struct ct__lock *ct__lock_get(struct ct__locks *s, const struct ct__thread *th, uint64_t obj,
                                     uint64_t ts)
{
        int created;
        struct ct__lock *l =
            ct__map_put(&s->locks, ct__key3(th->trace, (uint64_t)th->vpid, obj), &created);

        if (!l) {
                s->err = -ENOMEM;
                return NULL;
        }
        if (created) {
                ct_hist_init(&l->wait);
                l->first_ts = ts;
        }
        l->last_ts = ts > l->last_ts ? ts : l->last_ts;
        return l;
}

static void ct__locks_event(void *self, const struct ct_event *ev)
{
        struct ct__locks *s = self;
        struct ct__thread *th;
        struct ct__lk_th *t;
        struct ct__lock *l;
        uint32_t me, epoch;

        if (ev->type < CT_EV_LOCK_REQUEST || ev->type > CT_EV_LOCK_SUMMARY) {
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
        me = th->idx + 1;
        epoch = ct__model_epoch(s->m, ev->trace);
        if (ev->type == CT_EV_LOCK_REQUEST && t->req.active && t->req.obj != ev->obj) {
                /* the acquire of the previous request never came */
                struct ct__lock *old = ct__lock_get(s, th, t->req.obj, ev->ts);

                if (old) {
                        old->unmatched++;
                        old->waiters -= old->waiters > 0;
                }
                t->req.active = 0;
        }
        l = ct__lock_get(s, th, ev->obj, ev->ts);
        if (!l) {
                return;
        }
        switch (ev->type) {
        case CT_EV_LOCK_REQUEST:
                if (!t->req.active) {
                        l->waiters++;
                        if (l->waiters > l->max_waiters) {
                                l->max_waiters = l->waiters;
                        }
                }
                t->req.active = 1;
                t->req.obj = ev->obj;
                t->req.ts = ev->ts;
                t->req.epoch = epoch;
                break;
        case CT_EV_LOCK_ACQUIRE:
                l->traced++;
                l->contended += ev->contended != 0;
                if (t->req.active && t->req.obj == ev->obj) {
                        t->req.active = 0;
                        l->waiters -= l->waiters > 0;
                        if (t->req.epoch != epoch) {
                                l->cut++;
                        } else if (ct_hist_add(&l->wait,
                                               ev->ts >= t->req.ts ? ev->ts - t->req.ts : 0) < 0) {
                                s->err = -ENOMEM;
                        }
                } else if (ct_hist_add(&l->wait, 0) < 0) {
                        s->err = -ENOMEM;
                }
                if (l->holder && l->holder != me) {
                        l->unmatched++; /* the holder's release never came */
                }
                if (l->prev && l->prev != me) {
                        l->handoffs++;
                }
                l->prev = me;
                l->holder = me;
                l->hold_ts = ev->ts;
                l->hold_epoch = epoch;
                break;
        case CT_EV_LOCK_RELEASE:
                if (l->holder != me) {
                        l->bad_releases++;
                        break;
                }
                l->holder = 0;
                if (l->hold_epoch != epoch) {
                        l->cut++;
                } else {
                        uint64_t h = ev->ts >= l->hold_ts ? ev->ts - l->hold_ts : 0;

                        l->holds++;
                        l->hold_total += h;
                        if (h > l->hold_max) {
                                l->hold_max = h;
                        }
                }
                break;
        case CT_EV_LOCK_SUMMARY:
                l->summarized += ev->count;
                s->summarized += ev->count;
                if (ct_hist_add_n(&l->wait, 0, ev->count) < 0) {
                        s->err = -ENOMEM;
                }
                break;
        default:
                break;
        }
}

static void ct__locks_trace_end(void *self, const struct ct_trace_info *info)
{
        struct ct__locks *s = self;
        struct ct__key k;
        struct ct__lock *l;
        size_t i = 0;

        while ((l = ct__map_next(&s->locks, &i, &k))) {
                if (k.a != info->trace) {
                        continue;
                }
                l->unfinished += l->waiters + (l->holder != 0);
                l->waiters = 0;
                l->holder = 0;
        }
        for (i = 0; i < s->m->nthreads && i < s->cap; i++) {
                if (s->m->threads[i]->trace == info->trace) {
                        s->th[i].req.active = 0;
                }
        }
}

// clang-format off
static const struct ct_col ct__locks_cols[] = {
    CT__OBJ_COLS("lock"),
    CT__INT("acquisitions"),
    {"traced", CT_COL_INT, CT_COL_NOTEXT},
    CT__INT("summarized"),
    CT__INT("contended"),
    {"contention", CT_COL_RATIO, 0},
    CT__HIST_COLS("wait"),
    CT__NS("hold_total"),
    CT__NS("hold_mean"),
    CT__NS("hold_max"),
    CT__INT("max_waiters"),
    CT__INT("handoffs"),
    CT__INT("bad_releases"),
    CT__PAIRING_COLS,
    CT__SPAN_COLS,
};
// clang-format on

static int ct__cmp_lock(const void *a, const void *b)
{
        const struct ct__map_entry *ea = a, *eb = b;
        const struct ct__lock *x = ea->v, *y = eb->v;

        if (x->contended != y->contended) {
                return x->contended > y->contended ? -1 : 1;
        }
        if (x->wait.total != y->wait.total) {
                return x->wait.total > y->wait.total ? -1 : 1;
        }
        if (x->traced + x->summarized != y->traced + y->summarized) {
                return x->traced + x->summarized > y->traced + y->summarized ? -1 : 1;
        }
        return ct__key_cmp(&ea->k, &eb->k);
}

static void ct__locks_tables(void *self, struct ct_report *r)
{
        struct ct__locks *s = self;
        struct ct__map_entry *v;
        size_t i, n;
        struct ct_table *t =
            ct__objs_table(r, "locks", "Locks (most contended first)", ct__locks_cols,
                           CT__ARRAY_LEN(ct__locks_cols), &s->locks, ct__cmp_lock, &v, &n);

        if (!t) {
                return;
        }
        for (i = 0; i < n; i++) {
                const struct ct__lock *x = v[i].v;
                uint64_t acq = x->traced + x->summarized;
                size_t row = ct_table_add_row(t);
                char buf[256];

                ct__set_obj_cols(t, row, s->m, "lock", CT_OBJ_LOCK, (uint32_t)v[i].k.a,
                                 (int64_t)v[i].k.b, v[i].k.c, buf, sizeof(buf));
                ct_table_set_int(t, row, "acquisitions", (int64_t)acq);
                ct_table_set_int(t, row, "traced", (int64_t)x->traced);
                ct_table_set_int(t, row, "summarized", (int64_t)x->summarized);
                ct_table_set_int(t, row, "contended", (int64_t)x->contended);
                if (acq) {
                        ct_table_set_double(t, row, "contention",
                                            (double)x->contended / (double)acq);
                }
                ct__set_wait_cols(t, row, &x->wait, x->unfinished, x->cut, x->unmatched);
                ct_table_set_int(t, row, "hold_total", (int64_t)x->hold_total);
                if (x->holds) {
                        ct_table_set_int(t, row, "hold_mean", (int64_t)(x->hold_total / x->holds));
                        ct_table_set_int(t, row, "hold_max", (int64_t)x->hold_max);
                }
                ct_table_set_int(t, row, "max_waiters", (int64_t)x->max_waiters);
                ct_table_set_int(t, row, "handoffs", (int64_t)x->handoffs);
                ct_table_set_int(t, row, "bad_releases", (int64_t)x->bad_releases);
                ct__set_span_cols(t, row, x->first_ts, x->last_ts);
        }
        if (s->summarized) {
                ct_table_note(t,
                              "light recording: %llu uncontended acquisitions came from "
                              "ct_lock:summary events; they count in acquisitions and waited 0, "
                              "but hold times cover only the traced acquisitions",
                              (unsigned long long)s->summarized);
        }
        ct_table_note(t, "wait = request -> acquire (0 without request); hold = acquire -> "
                         "release; bad_releases = releases by a thread not holding the lock");
        ct__objs_table_end(t, v, s->err);
}

static void ct__locks_free(void *self)
{
        struct ct__locks *s = self;

        ct__map_fini_hists(&s->locks, offsetof(struct ct__lock, wait));
        ct__free(s->th);
        ct__free(s);
}

int ct__locks_create(struct ct__model *m, const struct ct_analyses_opts *opts,
                     struct ct__analysis *out)
{
        struct ct__locks *s = ct__calloc(1, sizeof(*s));

        (void)opts;
        if (!s) {
                return -ENOMEM;
        }
        s->m = m;
        ct__map_init(&s->locks, sizeof(struct ct__lock));
        ct__analysis_init(out, "locks", s, NULL, ct__locks_event, ct__locks_trace_end,
                          ct__locks_tables, ct__locks_free);
        out->cons.event_types =
            CT_EV_BITS(CT_EV_LOCK_REQUEST, CT_EV_LOCK_SUMMARY); /* what ct__locks_event reads */
        return 0;
}
