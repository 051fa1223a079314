/* SPDX-License-Identifier: MIT */
/*
 * Trace-event records of the Chrome JSON format, written through ct_pf_json:
 * the common head {"ph","ts","pid","tid"}, names, args, metadata, and the
 * whole records the exporter uses: counters, thread instants, zero-length
 * marker slices (the anchor of a flow end) and v1 flow pairs.
 *
 * Args: `int first = 1;` then ct__pf_rec_arg_*(pf, &first, ...) any number
 * of times, then ct__pf_rec_end(pf, first) closes the args and the record.
 */
#ifndef CT_PF_RECORD_H
#define CT_PF_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "ct_event.h"

struct ct__pf;

/* Starts {"ph":P,"ts":T,"pid":..,"tid":.. (no closing brace). */
void ct__pf_rec_begin(struct ct__pf *pf, const char *ph, uint64_t ts, uint32_t pid, uint32_t tid);

/* ,"name":"<prefix><obj>" (obj may be NULL) */
void ct__pf_rec_name(struct ct__pf *pf, const char *prefix, const char *obj);

void ct__pf_rec_arg_i(struct ct__pf *pf, int *first, const char *key, int64_t v);
void ct__pf_rec_arg_u(struct ct__pf *pf, int *first, const char *key, uint64_t v);
void ct__pf_rec_arg_s(struct ct__pf *pf, int *first, const char *key, const char *v);
void ct__pf_rec_end(struct ct__pf *pf, int first);

/* Metadata: process_name / thread_name (what, name) or
 * process_sort_index / thread_sort_index (what, sort; name NULL). */
void ct__pf_rec_meta(struct ct__pf *pf, const char *what, uint32_t pid, uint32_t tid, int tid_set,
                     const char *name, int64_t sort);

/* A thread's name and sort index. */
void ct__pf_rec_thread_meta(struct ct__pf *pf, uint32_t pid, uint32_t tid, const char *name,
                            int64_t sort);

/* Counter "<name> <key>" = v (nothing when counters are off). */
void ct__pf_rec_counter(struct ct__pf *pf, uint64_t ts, uint32_t pid, uint32_t tid,
                        const char *name, const char *key, int64_t v);

/* A thread instant ("s":"t") named prefix+obj; the caller adds args and
 * ends it. */
void ct__pf_rec_instant(struct ct__pf *pf, uint64_t ts, uint32_t pid, uint32_t tid,
                        const char *prefix, const char *obj);

/* Zero-duration marker slice prefix+obj, with one arg key=v if key. */
void ct__pf_rec_marker(struct ct__pf *pf, uint64_t ts, uint32_t pid, uint32_t tid,
                       const char *prefix, const char *obj, const char *key, int64_t v);

/* An arrow: "s" at the source, "f" ("bp":"e") at the destination. */
void ct__pf_rec_flow(struct ct__pf *pf, const char *name, uint64_t s_ts, uint32_t s_pid,
                     uint32_t s_tid, uint64_t f_ts, uint32_t f_pid, uint32_t f_tid);

/* The ready fds of a select end as "3 5 7" (truncated to fit buf). */
void ct__pf_rec_fds(const struct ct_event *ev, char *buf, size_t n);

#endif /* CT_PF_RECORD_H */
