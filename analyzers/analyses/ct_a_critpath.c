/* SPDX-License-Identifier: MIT */
/*
 * Analysis "critical_path": the critical path of every run (design.md,
 * "Critical path of a run"), computed forward in the one streaming pass.
 *
 * Each thread carries the attribution of the chain that leads to its present
 * (struct ct__cp_th: a shared vector plus the running and compute time since
 * the vector was last written). Every event that can wake another thread
 * (lock release, cond signal/broadcast, pipe write_end, read_end and close of
 * a write end, a thread's last event for join, fork for a child process)
 * stores an O(1) snapshot of its thread's chain with the object. When a
 * thread's outermost blocking interval [b, e] ends and its waker's snapshot
 * was taken at t_w with b <= t_w <= e, the thread adopts the waker's chain
 * plus (thread, wakeup, object) for [t_w, e]; otherwise its own chain plus
 * (thread, cause, object) for [b, e]. A thread whose first event comes after
 * run_begin starts from its creator's chain (the parent's fork for a child
 * process, else the run's own thread at that moment) plus (thread, start).
 * At run_end the run's thread's chain is the path: it covers run_begin ->
 * run_end exactly. At run_begin every chain restarts empty (lazily: a chain
 * or snapshot of an older generation counts as empty, clipped at run_begin).
 *
 * Wakers: lock -- the last release by another thread; cond -- the last
 * signal/broadcast (no waker if timed out); pipe read -- the write whose
 * bytes the read returned first (byte offsets when one process writes the
 * pipe, else the earliest write that ended during the read, among the last
 * CT__CP_RING writes), EOF -- the last close of a write end; blocked write --
 * the last read; select -- the earliest write that ended during the select
 * into its first ready fd; join -- the target's last event (a thread of the
 * process, else the process' main thread). Pool tasks use these too: a
 * worker waits in a cond or a pipe read.
 *
 * Memory: a chain per live thread (an ended thread's chain waits in `ended`
 * for its join, until the next run_begin), a snapshot per object
 * (CT__CP_RING per pipe), one result vector per run; a vector holds at most
 * CT__CP_VEC_MAX items (ct_cp_vec.h: the smaller ones fold into "other
 * threads").
 * Runs that overlap in one trace: the path is computed for the latest only.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ct_alloc.h"
#include "ct_analysis.h"
#include "ct_cp_engine.h"
#include "ct_critpath.h"

void ct__snap_clear(struct ct__cp_snap *s)
{
        ct__cp_vec_unref(s->v);
        ct__cp_seg_unref(s->seg);
        memset(s, 0, sizeof(*s));
}

static struct ct__cp_th *ct__cp_state(struct ct__critpath *s, const struct ct__thread *t)
{
        if (ct__grow((void **)&s->th, &s->cap, sizeof(*s->th), t->idx) < 0) {
                s->err = -ENOMEM;
                return NULL;
        }
        return &s->th[t->idx];
}

/* Accounts time up to t: running (or compute) if not blocked. */
static void ct__cp_adv(struct ct__cp_th *x, uint64_t t)
{
        if (t <= x->last) {
                return;
        }
        if (!x->open) {
                if (x->ncomp) {
                        x->comp += t - x->last;
                } else {
                        x->run += t - x->last;
                }
        }
        x->last = t;
}

/* Snapshot of thread idx's chain at t (x advanced to t first). */
void ct__cp_take(struct ct__critpath *s, struct ct__cp_th *x, uint32_t idx, uint64_t t,
                 struct ct__cp_snap *out)
{
        ct__cp_adv(x, t);
        ct__snap_clear(out);
        out->v = ct__cp_vec_ref(x->v);
        out->th = idx;
        out->gen = s->gen;
        out->valid = 1;
        out->ts = t;
        out->run = x->run;
        out->comp = x->comp;
        if (s->segs) {
                out->seg = ct__cp_seg_ref(x->seg);
                out->s0 = x->s0;
                out->tb = x->open ? x->b : t;
        }
        if (x->open && t > x->b) {
                out->tkind = (int8_t)x->bkind;
                out->tokind = (int8_t)x->bokind;
                out->tobj = x->bobj;
                out->tns = t - x->b;
        }
}

/* A private vector holding the snapshot's chain (empty if of an older run). */
static struct ct__cp_vec *ct__cp_adopt(struct ct__critpath *s, const struct ct__cp_snap *sn)
{
        struct ct__cp_vec *v;

        if (!sn || !sn->valid || sn->gen != s->gen) {
                return ct__cp_vec_new();
        }
        v = ct__cp_vec_copy(sn->v);
        if (v && (ct__cp_vec_add(v, sn->th, CT__CP_RUNNING, CT__CP_OBJ_NONE, 0, sn->run) ||
                  ct__cp_vec_add(v, sn->th, CT__CP_COMPUTE, CT__CP_OBJ_NONE, 0, sn->comp) ||
                  ct__cp_vec_add(v, sn->th, sn->tkind, sn->tokind, sn->tobj, sn->tns))) {
                ct__cp_vec_unref(v);
                v = NULL;
        }
        return v;
}

/* The segments of the snapshot's chain (NULL if of an older run) into *out. */
static void ct__cp_adopt_seg(struct ct__critpath *s, const struct ct__cp_snap *sn,
                             struct ct__cp_seg **out)
{
        *out = NULL;
        if (!s->segs || !sn || !sn->valid || sn->gen != s->gen) {
                return;
        }
        *out = ct__cp_seg_ref(sn->seg);
        if (ct__cp_seg_push(out, sn->th, CT__CP_RUNNING, CT__CP_OBJ_NONE, 0, sn->s0, sn->tb,
                            s->t0) ||
            (sn->tns && ct__cp_seg_push(out, sn->th, sn->tkind, sn->tokind, sn->tobj, sn->tb,
                                        sn->ts, s->t0))) {
                s->err = -ENOMEM;
        }
}

/* Pushes onto x's segments (if built). */
static void ct__cp_push(struct ct__critpath *s, struct ct__cp_seg **head, uint32_t th, int kind,
                        int okind, uint64_t obj, uint64_t t0, uint64_t t1)
{
        if (s->segs && ct__cp_seg_push(head, th, kind, okind, obj, t0, t1, s->t0)) {
                s->err = -ENOMEM;
        }
}

/* Writes the pending running/compute time into x's own (unshared) vector. */
static int ct__cp_flush(struct ct__cp_th *x, uint32_t idx)
{
        if (!x->v || x->v->refs > 1) {
                struct ct__cp_vec *c = ct__cp_vec_copy(x->v);

                if (!c) {
                        return -ENOMEM;
                }
                ct__cp_vec_unref(x->v);
                x->v = c;
        }
        if (ct__cp_vec_add(x->v, idx, CT__CP_RUNNING, CT__CP_OBJ_NONE, 0, x->run) ||
            ct__cp_vec_add(x->v, idx, CT__CP_COMPUTE, CT__CP_OBJ_NONE, 0, x->comp)) {
                return -ENOMEM;
        }
        x->run = x->comp = 0;
        return 0;
}

/* x's chain becomes v and seg (both owned references, NULL: empty), from time s0 on. */
void ct__cp_set_chain(struct ct__cp_th *x, struct ct__cp_vec *v, struct ct__cp_seg *seg,
                      uint64_t s0)
{
        ct__cp_vec_unref(x->v);
        x->v = v;
        ct__cp_seg_unref(x->seg);
        x->seg = seg;
        x->s0 = s0;
        x->run = x->comp = 0;
}

/* x seen for the first time: a thread new in the run starts from its creator.
 * Out of line: once per thread, and inlined it weighs on every event. */
static __attribute__((noinline)) void ct__cp_first(struct ct__critpath *s,
                                                   const struct ct__thread *t, struct ct__cp_th *x,
                                                   const struct ct_event *ev)
{
        const struct ct__cp_snap *fork;
        struct ct__cp_snap tmp;
        struct ct__cp_vec *v;
        struct ct__cp_seg *seg = NULL;
        uint64_t tc = ev->ts;

        x->seen = 1;
        x->last = ev->ts;
        x->gen = s->gen;
        x->s0 = ev->ts;
        if (!s->active || ev->ts <= s->t0 || t->idx == s->run_th) {
                return;
        }
        memset(&tmp, 0, sizeof(tmp));
        fork = t->vtid == t->vpid ? ct__map_get(&s->forks, ct__key3(t->trace, (uint64_t)t->vpid, 0))
                                  : NULL;
        if (fork && fork->valid && fork->gen == s->gen) {
                v = ct__cp_adopt(s, fork);
                ct__cp_adopt_seg(s, fork, &seg);
                tc = fork->ts;
        } else if (s->run_th < s->cap && s->th[s->run_th].seen &&
                   s->m->threads[s->run_th]->trace == t->trace) {
                ct__cp_take(s, &s->th[s->run_th], s->run_th, ev->ts, &tmp);
                v = ct__cp_adopt(s, &tmp);
                ct__cp_adopt_seg(s, &tmp, &seg);
                ct__snap_clear(&tmp);
        } else {
                v = ct__cp_vec_new();
                tc = s->t0;
        }
        if (!v || ct__cp_vec_add(v, t->idx, CT__CP_START, CT__CP_OBJ_NONE, 0,
                                 ev->ts - (tc < s->t0 ? s->t0 : tc))) {
                ct__cp_vec_unref(v);
                ct__cp_seg_unref(seg);
                s->err = -ENOMEM;
                return;
        }
        ct__cp_push(s, &seg, t->idx, CT__CP_START, CT__CP_OBJ_NONE, 0, tc < s->t0 ? s->t0 : tc,
                    ev->ts);
        ct__cp_set_chain(x, v, seg, ev->ts);
}

/* Brings x into the current generation; a thread new in the run starts from its creator. */
static void ct__cp_touch(struct ct__critpath *s, const struct ct__thread *t, struct ct__cp_th *x,
                         const struct ct_event *ev)
{
        if (!x->seen) {
                ct__cp_first(s, t, x, ev);
                return;
        }
        if (x->gen != s->gen) {
                x->gen = s->gen;
                if (x->last < s->t0) {
                        x->last = s->t0;
                }
                ct__cp_set_chain(x, NULL, NULL, x->last);
                if (x->open && x->b < s->t0) {
                        x->b = s->t0;
                }
        }
}

static int ct__cp_block_kind(const struct ct_event *ev, int *okind, uint64_t *obj, int *begin)
{
        *okind = CT__CP_OBJ_NONE;
        *obj = 0;
        *begin = 1;
        switch (ev->type) {
        case CT_EV_LOCK_ACQUIRE:
                *begin = 0;
                /* fall through */
        case CT_EV_LOCK_REQUEST:
                *okind = CT_OBJ_LOCK;
                *obj = ev->obj;
                return CT__CP_LOCK;
        case CT_EV_COND_WAIT_END:
                *begin = 0;
                /* fall through */
        case CT_EV_COND_WAIT_BEGIN:
                *okind = CT_OBJ_COND;
                *obj = ev->obj;
                return CT__CP_COND;
        case CT_EV_PIPE_READ_END:
                *begin = 0;
                /* fall through */
        case CT_EV_PIPE_READ_BEGIN:
                *okind = CT_OBJ_PIPE;
                *obj = ev->obj;
                return CT__CP_PIPE_READ;
        case CT_EV_PIPE_WRITE_END:
                *begin = 0;
                /* fall through */
        case CT_EV_PIPE_WRITE_BEGIN:
                *okind = CT_OBJ_PIPE;
                *obj = ev->obj;
                return CT__CP_PIPE_WRITE;
        case CT_EV_SELECT_END:
                *begin = 0;
                /* fall through */
        case CT_EV_SELECT_BEGIN:
                return CT__CP_SELECT;
        case CT_EV_JOIN_END:
                *begin = 0;
                /* fall through */
        case CT_EV_JOIN_BEGIN:
                *okind = CT__CP_OBJ_TASK;
                *obj = (uint64_t)ev->target;
                return CT__CP_JOIN;
        case CT_EV_WORK_BEGIN:
        case CT_EV_WORK_END:
                *begin = ev->type == CT_EV_WORK_BEGIN;
                return ev->kind == CT_WORK_IO_SIM ? CT__CP_IO_SIM : -1;
        default:
                return -1;
        }
}

/* End of x's outermost blocking interval at ev->ts. */
static __attribute__((noinline)) void ct__cp_unblock(struct ct__critpath *s, struct ct__cp_th *x,
                                                     uint32_t idx, const struct ct_event *ev,
                                                     int kind)
{
        const struct ct__cp_snap *w = NULL;
        struct ct__cp_snap join;
        struct ct__cp_vec *v;
        uint64_t e = ev->ts, tw;

        if (kind == x->bkind) {
                if (kind == CT__CP_JOIN) {
                        memset(&join, 0, sizeof(join));
                        ct__cp_join_waker(s, ev, &join);
                        if (join.valid && join.ts >= x->b && join.ts <= e && join.th != idx) {
                                w = &join;
                        }
                } else {
                        w = ct__cp_waker(s, x, idx, ev);
                }
        }
        if (w) {
                tw = w->gen == s->gen ? w->ts : s->t0;
                if (tw < s->t0) {
                        tw = s->t0;
                }
                v = ct__cp_adopt(s, w);
                if (!v || ct__cp_vec_add(v, idx, CT__CP_WAKEUP, x->bokind, x->bobj, e - tw)) {
                        ct__cp_vec_unref(v);
                        s->err = -ENOMEM;
                } else {
                        struct ct__cp_seg *seg;

                        ct__cp_adopt_seg(s, w, &seg);
                        ct__cp_push(s, &seg, idx, CT__CP_WAKEUP, x->bokind, x->bobj, tw, e);
                        ct__cp_set_chain(x, v, seg, e);
                }
        } else {
                ct__cp_push(s, &x->seg, idx, CT__CP_RUNNING, CT__CP_OBJ_NONE, 0, x->s0, x->b);
                ct__cp_push(s, &x->seg, idx, x->bkind, x->bokind, x->bobj, x->b, e);
                x->s0 = e;
                if (ct__cp_flush(x, idx) ||
                    ct__cp_vec_add(x->v, idx, x->bkind, x->bokind, x->bobj, e - x->b)) {
                        s->err = -ENOMEM;
                }
        }
        if (kind == x->bkind && kind == CT__CP_JOIN) {
                ct__snap_clear(&join);
        }
        x->last = e;
}

static __attribute__((noinline)) void
ct__cp_run_begin(struct ct__critpath *s, const struct ct__thread *t, const struct ct_event *ev)
{
        struct ct_critpath_run *r;

        if (s->active && s->run < s->nruns) {
                s->runs[s->run].overlapped = 1;
        }
        if (ct__grow((void **)&s->runs, &s->cap_runs, sizeof(*s->runs), s->nruns) < 0) {
                s->err = -ENOMEM;
                return;
        }
        r = &s->runs[s->nruns];
        memset(r, 0, sizeof(*r));
        r->trace = ev->trace;
        r->vpid = ev->vpid;
        r->thread = t->idx;
        r->begin = ev->ts;
        r->scenario = ct__strdup(ev->str ? ev->str : "");
        r->variant = ct__strdup(ev->variant ? ev->variant : "");
        r->workers = ev->workers;
        if (!r->scenario || !r->variant) {
                ct__free(r->scenario);
                ct__free(r->variant);
                s->err = -ENOMEM;
                return;
        }
        r->epoch = ct__model_epoch(s->m, ev->trace);
        s->run = s->nruns++;
        s->gen++;
        ct__cp_clear_ended(s);
        s->t0 = ev->ts;
        s->active = 1;
        s->run_th = t->idx;
}

static __attribute__((noinline)) void ct__cp_run_end(struct ct__critpath *s, struct ct__cp_th *x,
                                                     uint32_t idx, const struct ct_event *ev)
{
        struct ct_critpath_run *r;
        struct ct__cp_snap sn;

        if (!s->active || s->runs[s->run].trace != ev->trace || s->runs[s->run].vpid != ev->vpid) {
                return;
        }
        r = &s->runs[s->run];
        memset(&sn, 0, sizeof(sn));
        ct__cp_take(s, x, idx, ev->ts, &sn); /* run_end's thread: normally the run's */
        r->path = ct__cp_adopt(s, &sn);
        ct__cp_adopt_seg(s, &sn, &r->segs);
        ct__snap_clear(&sn);
        if (!r->path) {
                s->err = -ENOMEM;
        }
        r->end = ev->ts;
        r->ended = 1;
        r->cut = r->epoch != ct__model_epoch(s->m, ev->trace);
        s->active = 0;
        if (s->on_path) {
                s->on_path(s->on_path_arg, r);
        }
        ct__cp_seg_unref(r->segs); /* drawn: not kept */
        r->segs = NULL;
}

static void ct__critpath_event(void *self, const struct ct_event *ev)
{
        struct ct__critpath *s = self;
        struct ct__thread *t;
        struct ct__cp_th *x;
        int kind, okind, begin;
        uint64_t obj;

        if (ev->type == CT_EV_PIPE_CREATE || ev->type == CT_EV_PIPE_CLOSE ||
            ev->type == CT_EV_FORK) {
                if (ct__fdtab_event(&s->fds, ev) < 0) {
                        s->err = -ENOMEM;
                }
        }
        if (ev->type == CT_EV_DISCARDED || ev->type == CT_EV_UNKNOWN) {
                return;
        }
        t = ct__model_thread(s->m, ev);
        if (!t || !(x = ct__cp_state(s, t))) {
                return;
        }
        if (ev->type == CT_EV_RUN_BEGIN) {
                ct__cp_run_begin(s, t, ev);
        }
        ct__cp_touch(s, t, x, ev);
        ct__cp_adv(x, ev->ts);
        if (ev->type == CT_EV_WORK_BEGIN && ev->kind == CT_WORK_COMPUTE) {
                x->ncomp++;
        } else if (ev->type == CT_EV_WORK_END && ev->kind == CT_WORK_COMPUTE && x->ncomp > 0) {
                x->ncomp--;
        }
        kind = ct__cp_block_kind(ev, &okind, &obj, &begin);
        if (kind >= 0 && begin) {
                if (!x->open) {
                        x->bkind = kind;
                        x->bokind = okind;
                        x->bobj = obj;
                        x->b = ev->ts;
                }
                x->open |= 1u << kind;
        } else if (kind >= 0 && (x->open & (1u << kind))) {
                x->open &= ~(1u << kind);
                if (!x->open) {
                        ct__cp_unblock(s, x, t->idx, ev, kind);
                }
        }
        if (ct__cp_is_waker_type(ev->type)) {
                ct__cp_wakers(s, x, t->idx, ev);
        }
        if (ev->type == CT_EV_RUN_END) {
                ct__cp_run_end(s, x, t->idx, ev);
        } else if (ev->type == CT_EV_THREAD_END && t->idx != s->run_th) {
                ct__cp_thread_end(s, x, t, ev);
        }
}

static void ct__critpath_trace_end(void *self, const struct ct_trace_info *info)
{
        struct ct__critpath *s = self;

        ct__fdtab_trace_end(&s->fds, info->trace);
        s->active = 0;
        s->gen++;
}

static void ct__critpath_free(void *self)
{
        struct ct__critpath *s = self;
        struct ct__cp_snap *sn;
        struct ct__cp_pipe **pp;
        struct ct__key k;
        size_t i, j;

        if (!s) {
                return;
        }
        for (i = 0; i < s->cap; i++) {
                ct__cp_vec_unref(s->th[i].v);
                ct__cp_seg_unref(s->th[i].seg);
        }
        ct__free(s->th);
        i = 0;
        while ((sn = ct__map_next(&s->locks, &i, &k))) {
                ct__snap_clear(sn);
        }
        i = 0;
        while ((sn = ct__map_next(&s->conds, &i, &k))) {
                ct__snap_clear(sn);
        }
        i = 0;
        while ((sn = ct__map_next(&s->forks, &i, &k))) {
                ct__snap_clear(sn);
        }
        i = 0;
        while ((pp = ct__map_next(&s->pipes, &i, &k))) {
                for (j = 0; j < CT__CP_RING; j++) {
                        ct__snap_clear(&(*pp)->w[j].s);
                }
                ct__snap_clear(&(*pp)->rd);
                ct__snap_clear(&(*pp)->close_w);
                ct__free(*pp);
        }
        ct__map_fini(&s->locks);
        ct__map_fini(&s->conds);
        ct__map_fini(&s->forks);
        ct__map_fini(&s->pipes);
        ct__cp_clear_ended(s);
        ct__map_fini(&s->ended);
        ct__fdtab_fini(&s->fds);
        for (i = 0; i < s->nruns; i++) {
                ct__cp_vec_unref(s->runs[i].path);
                ct__free(s->runs[i].scenario);
                ct__free(s->runs[i].variant);
        }
        ct__free(s->runs);
        ct__free(s);
        ct__cp_vec_drain();
}

const struct ct_critpath_run *ct__critpath_runs(const void *self, size_t *n)
{
        const struct ct__critpath *s = self;

        *n = s->nruns;
        return s->runs;
}

struct ct__model *ct__critpath_model(const void *self)
{
        return ((const struct ct__critpath *)self)->m;
}

int ct__critpath_segments(void *self, void (*on_path)(void *arg, const struct ct_critpath_run *r),
                          void *arg)
{
        struct ct__critpath *s = self;

        if (s->on_path) {
                return -EBUSY;
        }
        s->segs = 1;
        s->on_path = on_path;
        s->on_path_arg = arg;
        return 0;
}

int ct__critpath_err(const void *self)
{
        return ((const struct ct__critpath *)self)->err;
}

int ct__critpath_create(struct ct__model *m, const struct ct_analyses_opts *opts,
                        struct ct__analysis *out)
{
        struct ct__critpath *s = ct__calloc(1, sizeof(*s));

        (void)opts;
        if (!s) {
                return -ENOMEM;
        }
        s->m = m;
        ct__map_init(&s->locks, sizeof(struct ct__cp_snap));
        ct__map_init(&s->conds, sizeof(struct ct__cp_snap));
        ct__map_init(&s->forks, sizeof(struct ct__cp_snap));
        ct__map_init(&s->ended, sizeof(struct ct__cp_snap));
        ct__map_init(&s->pipes, sizeof(struct ct__cp_pipe *));
        ct__fdtab_init(&s->fds);
        ct__analysis_init(out, "critical_path", s, NULL, ct__critpath_event, ct__critpath_trace_end,
                          ct__critpath_tables, ct__critpath_free);
        return 0;
}
