/* SPDX-License-Identifier: MIT */
/*
 * The exporter's context, shared by the ct_pf_* modules (one per output
 * file). Each registry below is owned by the module named next to it, which
 * alone looks inside its values.
 *
 *   ct_pf_json     buffered output file, escaping, number formatting
 *   ct_pf_record   trace-event records: slices, instants, markers, counters,
 *                  flows, metadata
 *   ct_pf_track    processes and threads: ids (reuse -> synthetic), names,
 *                  sort indexes, companion tracks
 *   ct_pf_name     object names (ct_run:name)
 *   ct_pf_counter  "threads blocked" and "LOCK waiters" counters
 *   ct_pf_slice    one interval written as a slice (name, args)
 *   ct_pf_stack    per-thread interval stacks that keep slices nested
 *   ct_pf_lock     lock holds and hand-off arrows
 *   ct_pf_cond     signal -> woken arrows
 *   ct_pf_pipe     write -> read arrows by byte offsets, bytes in flight
 *   ct_pf_task     submit -> task arrows
 *   ct_perfetto    the consumer: event dispatch, trace and file lifecycle
 */
#ifndef CT_PF_H
#define CT_PF_H

#include <stddef.h>
#include <stdint.h>

#include "ct_perfetto.h"
#include "ct_pf_json.h"
#include "ct_pf_map.h"

struct ct__pf_thr;
struct ct__pf_submit;

struct ct__pf_cp;

struct ct__pf {
        struct ct_perfetto_opts opts;
        struct ct__pf_json json; /* owned: the output */
        int finished;

        uint32_t trace; /* current trace */
        int have_origin;
        uint64_t origin;  /* absolute ns of the trace's first event */
        uint64_t last_ts; /* absolute ns of its last event so far */
        uint32_t next_synth;
        uint64_t next_flow;
        int proc_order;

        struct ct__pf_map used;             /* track: json id -> (void *)1 */
        struct ct__pf_map procs;            /* track: (trace, vpid) -> owned proc */
        struct ct__pf_map threads;          /* track: (trace, vpid, vtid) -> owned thr */
        struct ct__pf_map names;            /* name: (trace, kind, obj) -> owned char * */
        struct ct__pf_map waiters;          /* counter: (trace, vpid, obj) -> owned */
        struct ct__pf_map locks;            /* lock: (trace, vpid, obj) -> owned */
        struct ct__pf_map conds;            /* cond: (trace, vpid, obj) -> owned */
        struct ct__pf_map pipes;            /* pipe: (trace, inode) -> owned */
        struct ct__pf_map submits;          /* task: (trace, pool, task) -> owned */
        struct ct__pf_submit *free_submits; /* owned: task's recycled nodes */
        struct ct__pf_thr *just_created;    /* weak: thread made by this event */
        struct ct__pf_thr *last_thr;        /* weak: the last event's thread (track) */
        struct ct__pf_cp *cp;               /* owned: critical paths (ct_pf_critpath) */
        /* record: the last ,"pid":P,"tid":T written, formatted (at most 34 bytes) */
        uint32_t pt_pid, pt_tid;
        uint8_t pt_len; /* 0: none yet */
        char pt[40];
};

/* Record an error (negative errno): the export fails with the first one. */
void ct__pf_fail(struct ct__pf *pf, int err);

/* ts (absolute ns) relative to the trace's first event; tracks the last. */
uint64_t ct__pf_rel(struct ct__pf *pf, uint64_t ts);

/*
 * The record of (a, b) in map for the current trace, or a new zeroed one of
 * size bytes (*created set). NULL (and the export failed) when out of
 * memory.
 */
void *ct__pf_obtain(struct ct__pf *pf, struct ct__pf_map *map, uint64_t a, uint64_t b, size_t size,
                    int *created);

/* Free the per-trace registries (objects, locks, conds, pipes, submits). */
void ct__pf_clear_objects(struct ct__pf *pf);

#endif /* CT_PF_H */
