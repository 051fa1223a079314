/* SPDX-License-Identifier: MIT */
/*
 * The critical path of each run on the timeline: a "critical path (run N)"
 * track in the run's process, one slice per segment named by thread, kind
 * and object, and a flow at every hand-off from one thread to another. The
 * path comes from the analyses' own engine (ct_a_critpath.c, with its
 * segments: ct_cp_seg.h), fed the same events; it is drawn at run_end, at
 * most CT__CP_SEG_MAX + 1 slices per run (an older part beyond is one
 * "earlier" slice).
 */
#ifndef CT_PF_CRITPATH_H
#define CT_PF_CRITPATH_H

#include "ct_consumer.h"

struct ct__pf;
struct ct__pf_cp;

/* NULL on -ENOMEM. */
struct ct__pf_cp *ct__pf_cp_create(struct ct__pf *pf);
/*
 * Draw from `engine` (a critical_path analysis that its owner feeds every
 * event before this timeline) instead of an engine of our own; before the
 * first event. 0, -EBUSY (it draws for another timeline already), -EINVAL.
 */
int ct__pf_cp_share(struct ct__pf_cp *cp, void *engine);
void ct__pf_cp_event(struct ct__pf_cp *cp, const struct ct_event *ev);
void ct__pf_cp_trace_end(struct ct__pf_cp *cp, const struct ct_trace_info *info);
void ct__pf_cp_free(struct ct__pf_cp *cp);

#endif /* CT_PF_CRITPATH_H */
