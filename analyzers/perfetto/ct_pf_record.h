/* SPDX-License-Identifier: MIT */
/*
 * The record layer: the single entry point through which every module
 * writes the timeline, format-neutral. Each call writes Chrome JSON
 * trace-event records (pf->pb NULL) or Perfetto protobuf packets (ct_pf_pb):
 * slices, thread instants, global instants, zero-length markers, counters,
 * flow arrows, and the metadata of processes, threads and our own tracks
 * (runs & phases, locks: fake threads in JSON, named tracks in protobuf).
 *
 * Args: `int first = 1;` then ct__pf_rec_arg_*(pf, &first, ...) any number
 * of times after a slice or instant start, then ct__pf_rec_end(pf, first)
 * closes the args and the record.
 */
#ifndef CT_PF_RECORD_H
#define CT_PF_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "ct_event.h"

struct ct__pf;

/* A slice [ts, ts + dur] on track (pid, tid) named prefix+obj+suffix (obj,
 * suffix may be NULL); args follow. */
void ct__pf_rec_slice(struct ct__pf *pf, uint64_t ts, uint64_t dur, uint32_t pid, uint32_t tid,
                      const char *prefix, const char *obj, const char *suffix);

void ct__pf_rec_arg_i(struct ct__pf *pf, int *first, const char *key, int64_t v);
void ct__pf_rec_arg_u(struct ct__pf *pf, int *first, const char *key, uint64_t v);
void ct__pf_rec_arg_s(struct ct__pf *pf, int *first, const char *key, const char *v);
void ct__pf_rec_end(struct ct__pf *pf, int first);

/* A process's name (again when it changes) and its place among processes. */
void ct__pf_rec_process(struct ct__pf *pf, uint32_t pid, const char *name);
void ct__pf_rec_process_sort(struct ct__pf *pf, uint32_t pid, int64_t sort);

/* A thread's name and sort index (again when it changes). */
void ct__pf_rec_thread_meta(struct ct__pf *pf, uint32_t pid, uint32_t tid, const char *name,
                            int64_t sort);

/* One of our own tracks inside process pid (id tid from the synthetic
 * range): its name and sort index. */
void ct__pf_rec_track_meta(struct ct__pf *pf, uint32_t pid, uint32_t tid, const char *name,
                           int64_t sort);

/* Counter "<name> <key>" of process pid = v (nothing when counters are
 * off); tid is the thread it happened on. */
void ct__pf_rec_counter(struct ct__pf *pf, uint64_t ts, uint32_t pid, uint32_t tid,
                        const char *name, const char *key, int64_t v);

/* A thread instant named prefix+obj; the caller adds args and ends it. */
void ct__pf_rec_instant(struct ct__pf *pf, uint64_t ts, uint32_t pid, uint32_t tid,
                        const char *prefix, const char *obj);

/* A global instant (top of the timeline) named name; args, then end. */
void ct__pf_rec_global_instant(struct ct__pf *pf, uint64_t ts, const char *name);

/* Zero-duration marker slice prefix+obj, with one arg key=v if key. */
void ct__pf_rec_marker(struct ct__pf *pf, uint64_t ts, uint32_t pid, uint32_t tid,
                       const char *prefix, const char *obj, const char *key, int64_t v);

/* An arrow from the slice enclosing (s_ts, s_pid, s_tid) to the one
 * enclosing (f_ts, f_pid, f_tid). */
void ct__pf_rec_flow(struct ct__pf *pf, const char *name, uint64_t s_ts, uint32_t s_pid,
                     uint32_t s_tid, uint64_t f_ts, uint32_t f_pid, uint32_t f_tid);

/* The ready fds of a select end as "3 5 7" (truncated to fit buf). */
void ct__pf_rec_fds(const struct ct_event *ev, char *buf, size_t n);

#endif /* CT_PF_RECORD_H */
