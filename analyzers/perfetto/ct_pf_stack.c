/* SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L
#include "ct_pf_stack.h"

#include <stdio.h>
#include <string.h>

#include "ct_pf.h"
#include "ct_pf_counter.h"
#include "ct_pf_slice.h"
#include "ct_pf_track.h"

int ct__pf_stack_blocking(int kind)
{
        return kind == CT__PF_LOCKWAIT || kind == CT__PF_CONDWAIT || kind == CT__PF_READ ||
               kind == CT__PF_WRITE || kind == CT__PF_SELECT || kind == CT__PF_IOSIM ||
               kind == CT__PF_JOIN || kind == CT__PF_SEMWAIT;
}

int ct__pf_stack_find(const struct ct__pf_stack *s, int kind, int match_obj, uint64_t obj)
{
        int i;

        for (i = s->depth - 1; i >= 0; i--) {
                if (s->iv[i].kind == kind && (!match_obj || s->iv[i].obj == obj))
                        return i;
        }
        return -1;
}

void ct__pf_stack_remove(struct ct__pf_stack *s, int i)
{
        memmove(s->iv + i, s->iv + i + 1, sizeof(s->iv[0]) * (size_t)(s->depth - i - 1));
        s->depth--;
}

void ct__pf_stack_push(struct ct__pf *pf, struct ct__pf_proc *p, uint32_t tid,
                       struct ct__pf_stack *s, const struct ct__pf_ival *iv)
{
        if (s->depth == CT__PF_STACK_MAX) { /* runaway: forget the oldest */
                ct__pf_slice_instant(pf, p, tid, &s->iv[0], iv->ts, " (end lost)");
                ct__pf_stack_remove(s, 0);
        }
        s->iv[s->depth++] = *iv;
}

int ct__pf_stack_end(struct ct__pf *pf, struct ct__pf_proc *p, uint32_t tid, struct ct__pf_stack *s,
                     int i, uint64_t te, const struct ct_event *ev)
{
        int top = i == s->depth - 1;

        if (top)
                ct__pf_slice_write(pf, p, tid, &s->iv[i], te, ev, 0);
        else
                ct__pf_slice_instant(pf, p, tid, &s->iv[i], te, " (not nested)");
        ct__pf_stack_remove(s, i);
        return top;
}

/* A thread cannot be in two calls of one kind: older ones lost their end. */
static void ct__pf_stack_end_lost(struct ct__pf *pf, struct ct__pf_thr *t, int kind, uint64_t ts)
{
        int i;

        while ((i = ct__pf_stack_find(&t->stack, kind, 0, 0)) >= 0) {
                ct__pf_slice_instant(pf, t->proc, t->jtid, &t->stack.iv[i], t->stack.iv[i].ts,
                                     " (end lost)");
                if (kind == CT__PF_LOCKWAIT)
                        ct__pf_counter_waiters(pf, t, t->stack.iv[i].obj, -1, ts);
                ct__pf_stack_remove(&t->stack, i);
                ct__pf_counter_blocked(pf, t, -1, ts);
        }
}

struct ct__pf_ival *ct__pf_stack_open(struct ct__pf *pf, struct ct__pf_thr *t, int kind,
                                      uint64_t obj, uint64_t ts, int64_t a, int64_t b)
{
        struct ct__pf_ival iv;

        memset(&iv, 0, sizeof(iv));
        iv.kind = (uint8_t)kind;
        iv.obj = obj;
        iv.ts = ts;
        iv.a = a;
        iv.b = b;
        if (ct__pf_stack_blocking(kind)) {
                ct__pf_stack_end_lost(pf, t, kind, ts);
                ct__pf_counter_blocked(pf, t, +1, ts);
        }
        ct__pf_stack_push(pf, t->proc, t->jtid, &t->stack, &iv);
        return &t->stack.iv[t->stack.depth - 1];
}

int ct__pf_stack_close(struct ct__pf *pf, struct ct__pf_thr *t, int kind, int match_obj,
                       uint64_t obj, uint64_t te, const struct ct_event *ev,
                       struct ct__pf_ival *out, int *sliced)
{
        int i = ct__pf_stack_find(&t->stack, kind, match_obj, obj);

        *sliced = 0;
        if (i < 0)
                return 0;
        *out = t->stack.iv[i];
        *sliced = ct__pf_stack_end(pf, t->proc, t->jtid, &t->stack, i, te, ev);
        if (ct__pf_stack_blocking(kind))
                ct__pf_counter_blocked(pf, t, -1, te);
        return 1;
}

void ct__pf_stack_close_all(struct ct__pf *pf, struct ct__pf_thr *t, uint64_t te)
{
        while (t->stack.depth > 0) {
                struct ct__pf_ival *iv = &t->stack.iv[t->stack.depth - 1];
                if (iv->kind == CT__PF_LOCKWAIT)
                        ct__pf_counter_waiters(pf, t, iv->obj, -1, te);
                ct__pf_slice_write(pf, t->proc, t->jtid, iv, te, NULL, 1);
                if (ct__pf_stack_blocking(iv->kind))
                        ct__pf_counter_blocked(pf, t, -1, te);
                t->stack.depth--;
        }
        while (t->holds.depth > 0) {
                struct ct__pf_ival *iv = &t->holds.iv[t->holds.depth - 1];
                if (pf->opts.hold != CT_PERFETTO_HOLD_NONE)
                        ct__pf_slice_write(pf, t->proc, ct__pf_track_locks_tid(pf, t), iv, te, NULL,
                                           1);
                t->holds.depth--;
        }
}

void ct__pf_stack_run(struct ct__pf *pf, struct ct__pf_thr *t, const struct ct_event *ev,
                      uint64_t ts)
{
        struct ct__pf_proc *p = t->proc;
        uint32_t tid = ct__pf_track_runs_tid(pf, p);
        int run = ev->type == CT_EV_RUN_BEGIN || ev->type == CT_EV_RUN_END;
        int kind = run ? CT__PF_RUN : CT__PF_PHASE;
        struct ct__pf_ival iv;
        int i;

        if (ev->type == CT_EV_RUN_BEGIN || ev->type == CT_EV_PHASE_BEGIN) {
                memset(&iv, 0, sizeof(iv));
                iv.kind = (uint8_t)kind;
                iv.ts = ts;
                if (run)
                        snprintf(iv.name, sizeof(iv.name), "%s %s w=%lld", ev->str ? ev->str : "",
                                 ev->variant ? ev->variant : "", (long long)ev->workers);
                else
                        snprintf(iv.name, sizeof(iv.name), "%s", ev->str ? ev->str : "");
                ct__pf_stack_push(pf, p, tid, &p->runs, &iv);
                return;
        }
        i = ct__pf_stack_find(&p->runs, kind, 0, 0);
        if (i >= 0)
                ct__pf_stack_end(pf, p, tid, &p->runs, i, ts, ev);
}

void ct__pf_stack_close_runs(struct ct__pf *pf, struct ct__pf_proc *p, uint64_t te)
{
        while (p->runs.depth > 0) {
                ct__pf_slice_write(pf, p, p->runs_tid, &p->runs.iv[p->runs.depth - 1], te, NULL, 1);
                p->runs.depth--;
        }
}

void ct__pf_stack_mark_gap(struct ct__pf *pf)
{
        struct ct__pf_thr *t;
        size_t i;
        int j;

        for (i = 0; (t = ct__pf_track_next(pf, &i));) {
                for (j = 0; j < t->stack.depth; j++)
                        t->stack.iv[j].gap = 1;
                for (j = 0; j < t->holds.depth; j++)
                        t->holds.iv[j].gap = 1;
                for (j = 0; j < t->proc->runs.depth; j++)
                        t->proc->runs.iv[j].gap = 1;
        }
}
