/* SPDX-License-Identifier: MIT */
#include "ct_pf_lock.h"

#include <string.h>

#include "ct_pf.h"
#include "ct_pf_counter.h"
#include "ct_pf_name.h"
#include "ct_pf_record.h"
#include "ct_pf_stack.h"
#include "ct_pf_track.h"

/* A pending hand-off: the release marker an acquire's arrow starts at. */
struct ct__pf_handoff {
        uint32_t pid; /* 0 = none */
        uint32_t tid;
        uint64_t ts;
};

/* A request: remember in every open hold of that lock that someone waited. */
static void ct__pf_lock_mark_holds(struct ct__pf *pf, uint64_t obj, int64_t vpid)
{
        struct ct__pf_thr *t;
        size_t i;
        int j;

        for (i = 0; (t = ct__pf_track_next(pf, &i));) {
                if (t->vpid != vpid)
                        continue;
                for (j = 0; j < t->holds.depth; j++) {
                        if (t->holds.iv[j].obj == obj)
                                t->holds.iv[j].b++;
                }
        }
}

void ct__pf_lock_request(struct ct__pf *pf, struct ct__pf_thr *t, const struct ct_event *ev,
                         uint64_t ts)
{
        ct__pf_stack_open(pf, t, CT__PF_LOCKWAIT, ev->obj, ts, 0, 0);
        ct__pf_counter_waiters(pf, t, ev->obj, +1, ts);
        ct__pf_lock_mark_holds(pf, ev->obj, ev->vpid);
}

static struct ct__pf_handoff *ct__pf_lock_handoff(struct ct__pf *pf, int64_t vpid, uint64_t obj)
{
        int created;

        return ct__pf_obtain(pf, &pf->locks, (uint64_t)vpid, obj, sizeof(struct ct__pf_handoff),
                             &created);
}

void ct__pf_lock_acquire(struct ct__pf *pf, struct ct__pf_thr *t, const struct ct_event *ev,
                         uint64_t ts)
{
        struct ct__pf_handoff *h = ct__pf_lock_handoff(pf, ev->vpid, ev->obj);
        char tmp[CT__PF_NAME_TMP];
        struct ct__pf_ival iv, w;
        int sliced, waited;

        waited = ct__pf_stack_close(pf, t, CT__PF_LOCKWAIT, 1, ev->obj, ts, ev, &w, &sliced);
        if (waited)
                ct__pf_counter_waiters(pf, t, ev->obj, -1, ts);
        if (h && h->pid) {
                if (waited) { /* the release unblocked this waiter: hand-off */
                        uint32_t ltid = ct__pf_track_locks_tid(pf, t);
                        ct__pf_rec_marker(
                            pf, ts, t->proc->jpid, ltid, "acquired ",
                            ct__pf_name_of(pf, CT_OBJ_LOCK, ev->obj, tmp, sizeof(tmp)), NULL, 0);
                        ct__pf_rec_flow(pf, "handoff", h->ts, h->pid, h->tid, ts, t->proc->jpid,
                                        ltid);
                }
                h->pid = 0;
        }
        memset(&iv, 0, sizeof(iv));
        iv.kind = CT__PF_HOLD;
        iv.obj = ev->obj;
        iv.ts = ts;
        iv.a = ev->contended;
        iv.b = h ? ct__pf_counter_nwaiters(pf, ev->vpid, ev->obj) : 0; /* waiters seen (max) */
        ct__pf_stack_push(pf, t->proc, t->locks_tid ? t->locks_tid : t->jtid, &t->holds, &iv);
}

static int ct__pf_lock_hold_shown(struct ct__pf *pf, const struct ct__pf_ival *h, uint64_t te,
                                  int waited)
{
        switch (pf->opts.hold) {
        case CT_PERFETTO_HOLD_NONE:
                return 0;
        case CT_PERFETTO_HOLD_ALL:
                return 1;
        default:
                return h->a || waited || te - h->ts >= pf->opts.hold_min_ns;
        }
}

void ct__pf_lock_release(struct ct__pf *pf, struct ct__pf_thr *t, const struct ct_event *ev,
                         uint64_t ts)
{
        struct ct__pf_handoff *h = ct__pf_lock_handoff(pf, ev->vpid, ev->obj);
        int waiters = h ? ct__pf_counter_nwaiters(pf, ev->vpid, ev->obj) : 0;
        int i = ct__pf_stack_find(&t->holds, CT__PF_HOLD, 1, ev->obj);
        char tmp[CT__PF_NAME_TMP];

        if (i >= 0) {
                if (ct__pf_lock_hold_shown(pf, &t->holds.iv[i], ts,
                                           waiters > 0 || t->holds.iv[i].b > 0))
                        ct__pf_stack_end(pf, t->proc, ct__pf_track_locks_tid(pf, t), &t->holds, i,
                                         ts, ev);
                else
                        ct__pf_stack_remove(&t->holds, i);
        }
        if (waiters > 0) { /* someone waits: the next acquire is a hand-off */
                uint32_t ltid = ct__pf_track_locks_tid(pf, t);
                ct__pf_rec_marker(pf, ts, t->proc->jpid, ltid, "release ",
                                  ct__pf_name_of(pf, CT_OBJ_LOCK, ev->obj, tmp, sizeof(tmp)),
                                  "waiters", waiters);
                h->pid = t->proc->jpid;
                h->tid = ltid;
                h->ts = ts;
        }
}
