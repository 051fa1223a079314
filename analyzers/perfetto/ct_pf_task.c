/* SPDX-License-Identifier: MIT */
#include "ct_pf_task.h"

#include <errno.h>
#include <stdlib.h>

#include "ct_pf.h"
#include "ct_pf_record.h"
#include "ct_pf_stack.h"
#include "ct_pf_track.h"

/* Where a task was submitted: its arrow's source. Nodes are recycled, so a
 * steady pool allocates nothing per task. */
struct ct__pf_submit {
        uint64_t ts;
        uint32_t pid, tid;
        struct ct__pf_submit *next; /* weak: free list link */
};

void ct__pf_task_submit(struct ct__pf *pf, struct ct__pf_thr *t, const struct ct_event *ev,
                        uint64_t ts)
{
        struct ct__pf_key k = {pf->trace, ev->obj, ev->task};
        struct ct__pf_submit *s = ct__pf_map_get(&pf->submits, k);

        ct__pf_rec_marker(pf, ts, t->proc->jpid, t->jtid, "submit", NULL, "task",
                          (int64_t)ev->task);
        if (!s) {
                s = pf->free_submits;
                if (s)
                        pf->free_submits = s->next;
                else
                        s = malloc(sizeof(*s));
                if (!s || ct__pf_map_put(&pf->submits, k, s) < 0) {
                        free(s);
                        ct__pf_fail(pf, -ENOMEM);
                        return;
                }
        }
        s->ts = ts;
        s->pid = t->proc->jpid;
        s->tid = t->jtid;
}

void ct__pf_task_begin(struct ct__pf *pf, struct ct__pf_thr *t, const struct ct_event *ev,
                       uint64_t ts)
{
        struct ct__pf_key k = {pf->trace, ev->obj, ev->task};
        struct ct__pf_submit *s = ct__pf_map_del(&pf->submits, k);
        struct ct__pf_ival *iv;

        iv = ct__pf_stack_open(pf, t, CT__PF_TASK, ev->obj, ts, (int64_t)ev->task, ev->worker);
        if (!s)
                return;
        iv->fsrc = s->ts;
        iv->fpid = s->pid;
        iv->ftid = s->tid;
        s->next = pf->free_submits;
        pf->free_submits = s;
}

void ct__pf_task_free(struct ct__pf *pf)
{
        struct ct__pf_submit *s;

        while ((s = pf->free_submits)) {
                pf->free_submits = s->next;
                free(s);
        }
}
