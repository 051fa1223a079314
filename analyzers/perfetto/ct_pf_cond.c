/* SPDX-License-Identifier: MIT */
#include "ct_pf_cond.h"

#include <string.h>

#include "ct_pf.h"
#include "ct_pf_name.h"
#include "ct_pf_record.h"
#include "ct_pf_stack.h"
#include "ct_pf_track.h"

#define CT__PF_SIGNALS 8

/* A signal/broadcast marker that may still wake waiters. */
struct ct__pf_sig {
        uint64_t ts; /* marker ts */
        uint32_t pid, tid;
        int64_t left; /* wait_ends it may still end */
};

/* The recent signals of one cond (the oldest forgotten when full). */
struct ct__pf_cond {
        struct ct__pf_sig sig[CT__PF_SIGNALS];
        int nsig;
};

static struct ct__pf_cond *ct__pf_cond_get(struct ct__pf *pf, int64_t vpid, uint64_t obj)
{
        int created;

        return ct__pf_obtain(pf, &pf->conds, (uint64_t)vpid, obj, sizeof(struct ct__pf_cond),
                             &created);
}

static void ct__pf_cond_forget(struct ct__pf_cond *c, int i)
{
        memmove(c->sig + i, c->sig + i + 1, sizeof(c->sig[0]) * (size_t)(c->nsig - i - 1));
        c->nsig--;
}

void ct__pf_cond_signal(struct ct__pf *pf, struct ct__pf_thr *t, const struct ct_event *ev,
                        uint64_t ts)
{
        struct ct__pf_cond *c = ct__pf_cond_get(pf, ev->vpid, ev->obj);
        int bc = ev->type == CT_EV_COND_BROADCAST;
        char tmp[CT__PF_NAME_TMP];
        struct ct__pf_sig *s;

        ct__pf_rec_marker(pf, ts, t->proc->jpid, t->jtid, bc ? "broadcast " : "signal ",
                          ct__pf_name_of(pf, CT_OBJ_COND, ev->obj, tmp, sizeof(tmp)), "waiters",
                          ev->waiters);
        if (!c || ev->waiters <= 0)
                return; /* no waiter: a lost notification, nothing to wake */
        if (c->nsig == CT__PF_SIGNALS)
                ct__pf_cond_forget(c, 0);
        s = &c->sig[c->nsig++];
        s->ts = ts;
        s->pid = t->proc->jpid;
        s->tid = t->jtid;
        s->left = bc ? ev->waiters : 1;
}

/* A wait that began at wb ended at we, woken (not timed out): which signal? */
static void ct__pf_cond_woken(struct ct__pf *pf, struct ct__pf_thr *t, const struct ct_event *ev,
                              uint64_t wb, uint64_t we)
{
        struct ct__pf_cond *c = ct__pf_cond_get(pf, ev->vpid, ev->obj);
        char tmp[CT__PF_NAME_TMP];
        int i;

        if (!c)
                return;
        for (i = 0; i < c->nsig; i++) {
                struct ct__pf_sig *s = &c->sig[i];
                if (s->ts < wb || s->ts > we)
                        continue;
                ct__pf_rec_marker(pf, we, t->proc->jpid, t->jtid, "woken ",
                                  ct__pf_name_of(pf, CT_OBJ_COND, ev->obj, tmp, sizeof(tmp)), NULL,
                                  0);
                ct__pf_rec_flow(pf, "wake", s->ts, s->pid, s->tid, we, t->proc->jpid, t->jtid);
                if (--s->left <= 0)
                        ct__pf_cond_forget(c, i);
                return;
        }
}

void ct__pf_cond_wait_end(struct ct__pf *pf, struct ct__pf_thr *t, const struct ct_event *ev,
                          uint64_t ts)
{
        struct ct__pf_ival iv;
        int sliced;

        if (ct__pf_stack_close(pf, t, CT__PF_CONDWAIT, 1, ev->obj, ts, ev, &iv, &sliced) &&
            !ev->timedout)
                ct__pf_cond_woken(pf, t, ev, iv.ts, ts);
}
