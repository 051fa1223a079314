/* SPDX-License-Identifier: MIT */
/*
 * The track registry: one Perfetto process per traced process, one thread
 * track per traced thread, plus per thread a "locks" companion track and per
 * process a "runs & phases" track, created when first needed. Each gets its
 * metadata (names, sort indexes) when it is created.
 *
 * Ids: a (pid, tid) seen again after its thread or process ended, or already
 * used by another trace in this file, gets a synthetic id from 0x40000000 up
 * (the real one stays in the track name), because Perfetto merges a reused
 * (pid, tid) and identifies threads by tid alone.
 */
#ifndef CT_PF_TRACK_H
#define CT_PF_TRACK_H

#include <stddef.h>
#include <stdint.h>

#include "ct_event.h"
#include "ct_pf_stack.h"

#define CT__PF_SYNTH_BASE 0x40000000u
#define CT__PF_PREFIXES   8

struct ct__pf;

struct ct__pf_proc {
        uint32_t trace;
        int64_t vpid;
        uint32_t jpid;     /* id in the file */
        uint32_t runs_tid; /* "runs & phases" track, 0 until a run/phase appears */
        int dead;          /* child_exit seen or main thread ended */
        int nblocked;      /* threads in a blocking interval */
        int last_blocked;  /* last value written to the counter, -1 none */
        uint32_t nthreads;
        char *procname;                  /* owned */
        char *prefixes[CT__PF_PREFIXES]; /* owned: role prefixes, in order */
        struct ct__pf_stack runs;        /* runs and phases */
        uint32_t refs;                   /* threads pointing here, +1 for the map */
};

struct ct__pf_thr {
        uint32_t trace;
        int64_t vpid, vtid;
        uint32_t jtid;            /* id in the file */
        uint32_t locks_tid;       /* companion track, 0 until needed */
        int sort;                 /* thread_sort_index (even) */
        int blocked;              /* open blocking intervals */
        struct ct__pf_proc *proc; /* weak (refcounted by refs) */
        char role[64];
        struct ct__pf_stack stack; /* calls, tasks, work */
        struct ct__pf_stack holds; /* lock holds */
};

/*
 * The thread of ev (and its process), created with its metadata if new or
 * if its process ended and the pid came back. NULL when out of memory.
 * pf->just_created is set to a thread this call created.
 */
struct ct__pf_thr *ct__pf_track_thread(struct ct__pf *pf, const struct ct_event *ev);

/* A thread_begin for a known thread: its role (and so its name) changes. */
void ct__pf_track_rename(struct ct__pf *pf, struct ct__pf_thr *t, const char *role);

/* The process of vpid in the current trace, or NULL. */
struct ct__pf_proc *ct__pf_track_proc(struct ct__pf *pf, int64_t vpid);

/* t's "locks" track, created on first use. */
uint32_t ct__pf_track_locks_tid(struct ct__pf *pf, struct ct__pf_thr *t);

/* p's "runs & phases" track, created on first use. */
uint32_t ct__pf_track_runs_tid(struct ct__pf *pf, struct ct__pf_proc *p);

/* A new track of p named name (e.g. a run's "critical path"). */
uint32_t ct__pf_track_new_tid(struct ct__pf *pf, struct ct__pf_proc *p, const char *name,
                              int64_t sort);

/* The next thread from slot *i on (advancing *i past it), or NULL: walks
 * every thread with `for (i = 0; (t = ct__pf_track_next(pf, &i));)`. */
struct ct__pf_thr *ct__pf_track_next(struct ct__pf *pf, size_t *i);

/* Forget thread t (its thread ended or its process exited). */
void ct__pf_track_drop_thread(struct ct__pf *pf, struct ct__pf_thr *t);

/* Release a reference on p (NULL: nothing); the last frees it. */
void ct__pf_track_proc_unref(struct ct__pf_proc *p);

/* Forget every thread and process (end of a trace). */
void ct__pf_track_clear(struct ct__pf *pf);

#endif /* CT_PF_TRACK_H */
