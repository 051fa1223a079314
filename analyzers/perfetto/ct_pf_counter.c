/* SPDX-License-Identifier: MIT */
#include "ct_pf_counter.h"

#include "ct_pf.h"
#include "ct_pf_name.h"
#include "ct_pf_record.h"
#include "ct_pf_track.h"

/* Threads waiting for one lock. */
struct ct__pf_waiters {
        int n;
        int last; /* last counter value written, -1 none */
};

void ct__pf_counter_blocked(struct ct__pf *pf, struct ct__pf_thr *t, int delta, uint64_t ts)
{
        struct ct__pf_proc *p = t->proc;
        int was = t->blocked > 0;

        t->blocked += delta;
        if (t->blocked < 0)
                t->blocked = 0;
        if ((t->blocked > 0) == was)
                return;
        p->nblocked += was ? -1 : 1;
        if (p->nblocked < 0)
                p->nblocked = 0;
        if (p->nblocked != p->last_blocked) {
                p->last_blocked = p->nblocked;
                ct__pf_rec_counter(pf, ts, p->jpid, t->jtid, "threads", "blocked", p->nblocked);
        }
}

void ct__pf_counter_waiters(struct ct__pf *pf, struct ct__pf_thr *t, uint64_t obj, int delta,
                            uint64_t ts)
{
        char tmp[CT__PF_NAME_TMP];
        struct ct__pf_waiters *w;
        int created;

        w = ct__pf_obtain(pf, &pf->waiters, (uint64_t)t->vpid, obj, sizeof(*w), &created);
        if (!w)
                return;
        if (created)
                w->last = -1;
        w->n += delta;
        if (w->n < 0)
                w->n = 0;
        if (w->n != w->last) {
                w->last = w->n;
                ct__pf_rec_counter(pf, ts, t->proc->jpid, t->jtid,
                                   ct__pf_name_of(pf, CT_OBJ_LOCK, obj, tmp, sizeof(tmp)),
                                   "waiters", w->n);
        }
}

int ct__pf_counter_nwaiters(struct ct__pf *pf, int64_t vpid, uint64_t obj)
{
        struct ct__pf_key k = {pf->trace, (uint64_t)vpid, obj};
        struct ct__pf_waiters *w = ct__pf_map_get(&pf->waiters, k);

        return w ? w->n : 0;
}
