/* SPDX-License-Identifier: MIT */
/*
 * Pipes: the read/write slices, a "pipe" arrow from each write to each read
 * that consumed its bytes (matched by byte ranges of the pipe's stream, from
 * the runtime's per-process offsets; with several writer or reader processes
 * by arrival order), EOF/EPIPE instants, and the "bytes in flight" counter
 * in the process that created the pipe.
 */
#ifndef CT_PF_PIPE_H
#define CT_PF_PIPE_H

#include <stdint.h>

#include "ct_event.h"

struct ct__pf;
struct ct__pf_thr;

/* pipe_create: the pipe's counter lives in the creator's track. */
void ct__pf_pipe_create(struct ct__pf *pf, struct ct__pf_thr *t, const struct ct_event *ev);

/* A pipe read_end or write_end. */
void ct__pf_pipe_end(struct ct__pf *pf, struct ct__pf_thr *t, const struct ct_event *ev,
                     uint64_t ts);

#endif /* CT_PF_PIPE_H */
