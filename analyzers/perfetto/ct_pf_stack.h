/* SPDX-License-Identifier: MIT */
/*
 * Per-track stacks of open intervals. Every interval is written as one
 * complete slice when it ends; an interval whose end arrives while a
 * later-begun one on its track is still open would partially overlap it, so
 * it becomes an instant "... (not nested)" instead. A thread has a main
 * stack and a stack of lock holds (its "locks" track); a process has a
 * stack of runs and phases (its "runs & phases" track).
 *
 * Opening a blocking interval (lock/cond wait, pipe read/write, select,
 * io_sim, join) also counts the thread as blocked; a thread cannot be in two
 * calls of one kind, so an older open one lost its end: it becomes an
 * instant "... (end lost)".
 */
#ifndef CT_PF_STACK_H
#define CT_PF_STACK_H

#include <stdint.h>

#include "ct_event.h"

#define CT__PF_STACK_MAX  32
#define CT__PF_PHASE_NAME 48

enum ct__pf_kind {
        CT__PF_LOCKWAIT = 1,
        CT__PF_HOLD,
        CT__PF_CONDWAIT,
        CT__PF_READ,
        CT__PF_WRITE,
        CT__PF_SELECT,
        CT__PF_IOSIM,
        CT__PF_COMPUTE,
        CT__PF_TASK,
        CT__PF_JOIN,
        CT__PF_RUN,
        CT__PF_PHASE,
        CT__PF_SEMWAIT,
};

/* An open interval. */
struct ct__pf_ival {
        uint8_t kind;
        uint8_t gap;                  /* a discarded-events gap happened while open */
        uint64_t obj;                 /* lock, cond, pipe, pool */
        uint64_t ts;                  /* relative ns */
        int64_t a, b;                 /* kind-specific: fd/len, units, task/worker, target */
        uint64_t fsrc;                /* task: submit marker ts (relative ns) */
        uint32_t fpid;                /* task: submit marker pid (0 = no flow) */
        uint32_t ftid;                /* task: submit marker tid */
        char name[CT__PF_PHASE_NAME]; /* run/phase: for an unfinished close */
};

struct ct__pf_stack {
        struct ct__pf_ival iv[CT__PF_STACK_MAX];
        int depth;
};

struct ct__pf;
struct ct__pf_proc;
struct ct__pf_thr;

/* Is kind a blocking call (counted in "threads blocked")? */
int ct__pf_stack_blocking(int kind);

/* Index of the innermost open interval of kind (and obj if match_obj), or
 * -1. */
int ct__pf_stack_find(const struct ct__pf_stack *s, int kind, int match_obj, uint64_t obj);

/* Push iv on stack s of track (p, tid); a full stack forgets its oldest. */
void ct__pf_stack_push(struct ct__pf *pf, struct ct__pf_proc *p, uint32_t tid,
                       struct ct__pf_stack *s, const struct ct__pf_ival *iv);

/* Drop interval i of s (nothing written). */
void ct__pf_stack_remove(struct ct__pf_stack *s, int i);

/* End interval i of s at te on track (p, tid): a slice if it is the
 * innermost, else a not-nested instant; then drop it. Returns 1 for a
 * slice. ev is the ending event (args), or NULL. */
int ct__pf_stack_end(struct ct__pf *pf, struct ct__pf_proc *p, uint32_t tid, struct ct__pf_stack *s,
                     int i, uint64_t te, const struct ct_event *ev);

/* Open an interval on t's main stack; returns it (valid until the next
 * change of the stack). */
struct ct__pf_ival *ct__pf_stack_open(struct ct__pf *pf, struct ct__pf_thr *t, int kind,
                                      uint64_t obj, uint64_t ts, int64_t a, int64_t b);

/*
 * Close the innermost open interval of kind (and obj if match_obj) on t's
 * main stack at te, writing its slice (or a not-nested instant). Returns 1
 * and the interval in *out if one was open, 0 otherwise; *sliced tells
 * whether a slice was written.
 */
int ct__pf_stack_close(struct ct__pf *pf, struct ct__pf_thr *t, int kind, int match_obj,
                       uint64_t obj, uint64_t te, const struct ct_event *ev,
                       struct ct__pf_ival *out, int *sliced);

/* Close everything open on t's tracks at te, as unfinished. */
void ct__pf_stack_close_all(struct ct__pf *pf, struct ct__pf_thr *t, uint64_t te);

/* A run/phase begin or end of t's process. */
void ct__pf_stack_run(struct ct__pf *pf, struct ct__pf_thr *t, const struct ct_event *ev,
                      uint64_t ts);

/* Close p's open runs and phases at te, as unfinished. */
void ct__pf_stack_close_runs(struct ct__pf *pf, struct ct__pf_proc *p, uint64_t te);

/* A discarded-events gap: mark every open interval of every thread. */
void ct__pf_stack_mark_gap(struct ct__pf *pf);

#endif /* CT_PF_STACK_H */
