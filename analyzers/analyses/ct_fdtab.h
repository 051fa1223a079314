/* SPDX-License-Identifier: MIT */
/*
 * Per-process fd -> pipe table, from ct_pipe:create (rfd, wfd of the pipe's
 * inode), ct_pipe:close (fd) and ct_run:fork (the child's table starts as a
 * copy of its parent's). Bounded by the open fds of each process: a closed fd
 * is forgotten, a reused fd maps to its new pipe.
 *
 * Fork order: the fork event is fired in the parent after fork(), so the
 * child's first events (closing the ends it does not use, creating its own
 * pipes) may come before it. Until its fork event is seen, a process's closes
 * are kept as "closed" marks; at the fork event the parent's entries are
 * copied only for the fds the child has not created or closed itself. A fork
 * event for a pid whose table was already inherited (pid reuse) starts over
 * from the parent's table.
 */
#ifndef CT_FDTAB_H
#define CT_FDTAB_H

#include <stdint.h>

#include "ct_event.h"
#include "ct_map.h"

struct ct__fdtab {
        struct ct__map procs; /* (trace, vpid, 0) -> struct ct__fdproc (owns its entries) */
};

void ct__fdtab_init(struct ct__fdtab *t);
void ct__fdtab_fini(struct ct__fdtab *t);

/* Applies ev if it is a pipe create, a pipe close or a fork. 0 or -ENOMEM. */
int ct__fdtab_event(struct ct__fdtab *t, const struct ct_event *ev);

/* The inode of the pipe fd is an end of in process vpid now, else 0. */
uint64_t ct__fdtab_pipe(const struct ct__fdtab *t, uint32_t trace, int64_t vpid, int64_t fd);

/* Forgets the processes of trace (at its end). */
void ct__fdtab_trace_end(struct ct__fdtab *t, uint32_t trace);

#endif /* CT_FDTAB_H */
