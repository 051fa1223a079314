/* SPDX-License-Identifier: MIT */
/*
 * Pool tasks: a `submit` marker where a task is queued, the `task N` slice
 * where a worker runs it, and a "task" arrow from the one to the other
 * (across processes for a process pool; written with the task's slice).
 */
#ifndef CT_PF_TASK_H
#define CT_PF_TASK_H

#include <stdint.h>

#include "ct_event.h"

struct ct__pf;
struct ct__pf_thr;

void ct__pf_task_submit(struct ct__pf *pf, struct ct__pf_thr *t, const struct ct_event *ev,
                        uint64_t ts);
void ct__pf_task_begin(struct ct__pf *pf, struct ct__pf_thr *t, const struct ct_event *ev,
                       uint64_t ts);

/* Free the recycled nodes. */
void ct__pf_task_free(struct ct__pf *pf);

#endif /* CT_PF_TASK_H */
