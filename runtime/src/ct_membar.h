/* SPDX-License-Identifier: MIT */
/*
 * membarrier(2) for the pipes' ownership protocol (runtime/src/pipe.c and the
 * preload library's runtime/preload/pl_pipe.c): a direction of a pipe owned by
 * one thread counts its bytes without atomics; when a second thread comes, a
 * barrier in every thread makes the owner's counts visible before it is
 * shared. The caller serialises every call on one state (its own mutex).
 */
#ifndef CT_MEMBAR_H
#define CT_MEMBAR_H

#include <stdint.h>

#pragma GCC visibility push(hidden)

struct ct__membar {
        int state;      /* 0 not asked yet, 1 usable, -1 not available */
        int registered; /* MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED done */
        int cmds;       /* what MEMBARRIER_CMD_QUERY answered */
};

/* Whether membarrier(2) can serve the protocol (asked once). */
int ct__membar_usable(struct ct__membar *m);

/* A full memory barrier in every thread of the process; only after usable. */
void ct__membar_all_threads(struct ct__membar *m);

/* In a fork child: the registration is the parent's, not the child's. */
static inline void ct__membar_after_fork_child(struct ct__membar *m)
{
        m->registered = 0;
}

/* The calling thread's token as a pipe direction's owner. */
static inline uintptr_t ct__membar_self(void)
{
        return (uintptr_t)__builtin_thread_pointer();
}

#pragma GCC visibility pop

#endif /* CT_MEMBAR_H */
