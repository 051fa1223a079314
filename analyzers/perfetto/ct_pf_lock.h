/* SPDX-License-Identifier: MIT */
/*
 * Locks: the wait (request -> acquire) on the thread's track, the hold
 * (acquire -> release) on its "locks" track when it matters (opts.hold), and
 * the hand-off arrow from a release that had waiters (marker `release LOCK`)
 * to the acquire of the waiter that got the lock next (marker
 * `acquired LOCK`).
 */
#ifndef CT_PF_LOCK_H
#define CT_PF_LOCK_H

#include <stdint.h>

#include "ct_event.h"

struct ct__pf;
struct ct__pf_thr;

void ct__pf_lock_request(struct ct__pf *pf, struct ct__pf_thr *t, const struct ct_event *ev,
                         uint64_t ts);
void ct__pf_lock_acquire(struct ct__pf *pf, struct ct__pf_thr *t, const struct ct_event *ev,
                         uint64_t ts);
void ct__pf_lock_release(struct ct__pf *pf, struct ct__pf_thr *t, const struct ct_event *ev,
                         uint64_t ts);

#endif /* CT_PF_LOCK_H */
