/* SPDX-License-Identifier: MIT */
/*
 * The counters kept across events: "threads blocked" per process (threads
 * inside a blocking call) and "LOCK waiters" per lock (threads waiting for
 * it). Each writes a counter event only when its value changes.
 */
#ifndef CT_PF_COUNTER_H
#define CT_PF_COUNTER_H

#include <stdint.h>

struct ct__pf;
struct ct__pf_thr;

/* t entered (+1) or left (-1) a blocking interval at ts. */
void ct__pf_counter_blocked(struct ct__pf *pf, struct ct__pf_thr *t, int delta, uint64_t ts);

/* A thread of t's process started (+1) or stopped (-1) waiting for lock
 * obj at ts. */
void ct__pf_counter_waiters(struct ct__pf *pf, struct ct__pf_thr *t, uint64_t obj, int delta,
                            uint64_t ts);

/* How many threads of process vpid wait for lock obj now. */
int ct__pf_counter_nwaiters(struct ct__pf *pf, int64_t vpid, uint64_t obj);

#endif /* CT_PF_COUNTER_H */
