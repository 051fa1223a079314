/* SPDX-License-Identifier: MIT */
/*
 * Internals of the critical-path engine shared by ct_a_critpath.c (chains,
 * blocking intervals, runs) and ct_cp_wakers.c (the wakers' snapshots and
 * the lookup of the waker of a blocking interval).
 */
#ifndef CT_CP_ENGINE_H
#define CT_CP_ENGINE_H

#include <stdint.h>

#include "ct_analysis.h"
#include "ct_critpath.h"
#include "ct_fdtab.h"
#include "ct_map.h"

#define CT__CP_RING 8

struct ct__cp_snap {
        struct ct__cp_vec *v; /* owned reference, NULL: empty chain */
        uint32_t th, gen;
        int valid;
        uint64_t ts;
        uint64_t run, comp;   /* pending running / compute time of th */
        int8_t tkind, tokind; /* tail: blocked part up to ts, if th was blocked */
        uint64_t tobj, tns;
        struct ct__cp_seg *seg; /* owned reference (segments only) */
        uint64_t s0, tb;        /* start of th's running stretch; of its tail */
};

struct ct__cp_th {
        struct ct__cp_vec *v; /* owned reference, NULL: empty */
        uint32_t gen;
        int seen;
        uint64_t last;      /* time up to which the chain is accounted */
        uint64_t run, comp; /* since the vector was last written */
        int ncomp;          /* open compute intervals */
        unsigned open;      /* bit per enum ct__cp_kind: open blocking intervals */
        int bkind, bokind;  /* the outermost blocking interval */
        uint64_t bobj, b;
        struct ct__cp_seg *seg; /* owned reference (segments only) */
        uint64_t s0;            /* start of the running stretch not yet in seg */
};

struct ct__cp_write {
        struct ct__cp_snap s;
        int64_t vpid;
        uint64_t off0, off1;
};

struct ct__cp_pipe {
        struct ct__cp_write w[CT__CP_RING];
        size_t nw, head; /* ring: w[(head + i) % RING], i < nw, oldest first */
        int64_t writer;  /* vpid of the only writer process, -1: several */
        struct ct__cp_snap rd, close_w;
};

struct ct__critpath {
        struct ct__model *m;  /* weak */
        struct ct__cp_th *th; /* owned: per thread idx */
        size_t cap;
        struct ct__map locks; /* (trace, lock, 0) -> struct ct__cp_snap */
        struct ct__map conds; /* (trace, cond, 0) -> struct ct__cp_snap */
        struct ct__map pipes; /* (trace, pipe, 0) -> struct ct__cp_pipe* owned */
        struct ct__map forks; /* (trace, child pid, 0) -> struct ct__cp_snap */
        struct ct__map ended; /* (trace, pid, tid) -> snapshot at thread_end, until joined */
        struct ct__fdtab fds;
        uint32_t gen; /* current generation: one per run_begin */
        uint64_t t0;
        int active;
        size_t run; /* index of the run being followed */
        uint32_t run_th;
        struct ct_critpath_run *runs; /* owned */
        size_t nruns, cap_runs;
        int segs;                                                    /* build the segments too */
        void (*on_path)(void *arg, const struct ct_critpath_run *r); /* at run_end */
        void *on_path_arg;
        int err;
};

void ct__snap_clear(struct ct__cp_snap *s);
/* Snapshot of thread idx's chain at t (x advanced to t first). */
void ct__cp_take(struct ct__critpath *s, struct ct__cp_th *x, uint32_t idx, uint64_t t,
                 struct ct__cp_snap *out);
/* x's chain becomes v and seg (both owned references, NULL: empty), from time s0 on. */
void ct__cp_set_chain(struct ct__cp_th *x, struct ct__cp_vec *v, struct ct__cp_seg *seg,
                      uint64_t s0);

/* ct_cp_wakers.c */
/* The waker of x's outermost blocking interval, ended by ev; NULL if none. */
const struct ct__cp_snap *ct__cp_waker(struct ct__critpath *s, struct ct__cp_th *x, uint32_t idx,
                                       const struct ct_event *ev);
/* Snapshot of the join target's last event into out (valid = 0 if unknown). */
void ct__cp_join_waker(struct ct__critpath *s, const struct ct_event *ev, struct ct__cp_snap *out);
/* A thread ended: its chain waits in `ended` for a join; the thread lets it go. */
void ct__cp_thread_end(struct ct__critpath *s, struct ct__cp_th *x, const struct ct__thread *t,
                       const struct ct_event *ev);
/* Forgets the snapshots of ended threads. */
void ct__cp_clear_ended(struct ct__critpath *s);
/* Stores the snapshot of x's chain with the object ev can wake a thread by. */
void ct__cp_wakers(struct ct__critpath *s, struct ct__cp_th *x, uint32_t idx,
                   const struct ct_event *ev);
/* The types of event ct__cp_wakers does something for (the others: skip the call). */
#define CT__CP_WAKER_TYPES                                                                         \
        (1ull << CT_EV_LOCK_RELEASE | 1ull << CT_EV_COND_SIGNAL | 1ull << CT_EV_COND_BROADCAST |   \
         1ull << CT_EV_PIPE_WRITE_END | 1ull << CT_EV_PIPE_READ_END | 1ull << CT_EV_PIPE_CLOSE |   \
         1ull << CT_EV_FORK)
_Static_assert(CT_EV__COUNT <= 64, "CT__CP_WAKER_TYPES: one bit per event type");
static inline int ct__cp_is_waker_type(int type)
{
        return (unsigned)type < CT_EV__COUNT && (CT__CP_WAKER_TYPES >> type & 1);
}

#endif /* CT_CP_ENGINE_H */
