/* SPDX-License-Identifier: MIT */
/*
 * The shared model of a trace that every analysis reads: threads keyed by
 * (trace, vpid, vtid) with role, procname and lifetime; object names from
 * ct_run:name; the discarded-events epoch of each trace.
 *
 * pid/tid reuse: a thread_begin after that thread's thread_end starts a new
 * thread (a new idx). The model is consumer 0: it sees each event before the
 * analyses, which then call ct__model_thread() for the same event.
 */
#ifndef CT_MODEL_H
#define CT_MODEL_H

#include <stdint.h>
#include <stddef.h>

#include "ct_consumer.h"
#include "ct_map.h"

struct ct__thread {
        uint32_t idx; /* dense index: analyses keep per-thread arrays */
        uint32_t trace;
        int64_t vpid, vtid;
        char *role;                 /* owned: "" until thread_begin/end says */
        char *procname;             /* owned */
        uint64_t first_ts, last_ts; /* first/last event of this thread */
        uint64_t begin_ts, end_ts;  /* thread_begin / thread_end */
        int has_begin, has_end;
};

struct ct__model {
        struct ct__thread **threads; /* owned: threads[idx], each owned */
        size_t nthreads, cap_threads;
        struct ct__map by_id; /* (trace, vpid, vtid) -> uint32 idx (current) */
        struct ct__map names; /* (trace, kind, obj) -> char * owned */
        uint32_t *epoch;      /* owned: discarded-events gaps seen, per trace */
        size_t cap_epoch;
        /* one-entry cache of the last event's thread */
        uint32_t c_trace;
        int64_t c_vpid, c_vtid;
        struct ct__thread *c_thread; /* weak */
        int err;                     /* first negative errno (allocation failure) */
};

int ct__model_create(struct ct__model **out, struct ct_consumer *cons);
void ct__model_destroy(struct ct__model *m);

/* ct__model_thread past the one-entry cache. */
struct ct__thread *ct__model_thread_lookup(struct ct__model *m, const struct ct_event *ev);

/* The thread of ev (created if new); NULL for a discarded message or on -ENOMEM.
 * Inline: every analysis asks it for every event, almost always the cached one. */
static inline struct ct__thread *ct__model_thread(struct ct__model *m, const struct ct_event *ev)
{
        if (ev->type == CT_EV_DISCARDED || ev->vtid < 0) {
                return NULL;
        }
        if (m->c_thread && m->c_trace == ev->trace && m->c_vtid == ev->vtid &&
            m->c_vpid == ev->vpid) {
                return m->c_thread;
        }
        return ct__model_thread_lookup(m, ev);
}

/* Name given by ct_run:name, or NULL. fd names are per process: pass vpid. */
const char *ct__model_name(const struct ct__model *m, uint32_t trace, int kind, uint64_t obj,
                           int64_t vpid);

/* Number of discarded-events gaps seen so far in trace: an interval whose
 * begin saw another epoch than its end was cut by a gap. */
static inline uint32_t ct__model_epoch(const struct ct__model *m, uint32_t trace)
{
        return trace < m->cap_epoch ? m->epoch[trace] : 0;
}

/* Lifetime bounds: thread_begin/end, else first/last event. */
uint64_t ct__thread_start(const struct ct__thread *t);
uint64_t ct__thread_stop(const struct ct__thread *t);

/* "role (tid)" and "procname (pid)" into buf. */
const char *ct__thread_label(const struct ct__thread *t, char *buf, size_t size);
const char *ct__process_label(const struct ct__thread *t, char *buf, size_t size);

/* "procname (pid)" of a process of trace (from any of its threads). */
const char *ct__model_proc_label(const struct ct__model *m, uint32_t trace, int64_t vpid, char *buf,
                                 size_t size);

#endif /* CT_MODEL_H */
