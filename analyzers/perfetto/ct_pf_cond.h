/* SPDX-License-Identifier: MIT */
/*
 * Condition variables: the wait slice on the thread's track, a marker for
 * each signal/broadcast, and a "wake" arrow from it to a `woken COND` marker
 * at the end of each wait it ended (one per woken waiter).
 */
#ifndef CT_PF_COND_H
#define CT_PF_COND_H

#include <stdint.h>

#include "ct_event.h"

struct ct__pf;
struct ct__pf_thr;

void ct__pf_cond_signal(struct ct__pf *pf, struct ct__pf_thr *t, const struct ct_event *ev,
                        uint64_t ts);
void ct__pf_cond_wait_end(struct ct__pf *pf, struct ct__pf_thr *t, const struct ct_event *ev,
                          uint64_t ts);

#endif /* CT_PF_COND_H */
