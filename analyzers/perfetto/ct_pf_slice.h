/* SPDX-License-Identifier: MIT */
/*
 * One interval written out: a complete slice ("ph":"X") named after its kind
 * and object (`wait LOCK`, `read PIPE`, `task N`, ...) with the args of its
 * ending event, or, when it cannot be a slice, an instant saying why
 * (`compute (not nested)`, `read (end lost)`).
 */
#ifndef CT_PF_SLICE_H
#define CT_PF_SLICE_H

#include <stdint.h>

#include "ct_event.h"

struct ct__pf;
struct ct__pf_proc;
struct ct__pf_ival;

/*
 * The slice of iv ending at te on track (p, tid). ev is the ending event
 * (its args are written) or NULL; unfinished: the trace or the thread ended
 * first (name "... (unfinished)", arg unfinished: 1). A task with a known
 * submit also gets its arrow from the submit marker.
 */
void ct__pf_slice_write(struct ct__pf *pf, struct ct__pf_proc *p, uint32_t tid,
                        const struct ct__pf_ival *iv, uint64_t te, const struct ct_event *ev,
                        int unfinished);

/* An instant at te on (p, tid) for iv, named "<kind><why>" with args
 * begin_ns and dur_ns. */
void ct__pf_slice_instant(struct ct__pf *pf, struct ct__pf_proc *p, uint32_t tid,
                          const struct ct__pf_ival *iv, uint64_t te, const char *why);

#endif /* CT_PF_SLICE_H */
