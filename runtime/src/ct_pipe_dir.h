/* SPDX-License-Identifier: MIT */
/*
 * The bytes a process moved through one pipe in one direction, exact with
 * concurrent callers, for the runtime (runtime/src/pipe.c) and the preload
 * library (runtime/preload/pl_pipe.c).
 *
 * An atomic read-modify-write right after a write(2)/read(2) costs 20-40 ns
 * (it waits for the stores of the syscall to drain), more than the budget of
 * an untraced call. So the first thread to move bytes in a direction owns it
 * and updates the count with plain (relaxed) loads and stores, inside a
 * `busy` window; a second thread turns the direction `shared` for good: it
 * sets `shared`, runs membarrier(2) (a full barrier in every thread of the
 * process, so the owner either sees `shared` or has its `busy` visible), waits
 * for `busy` to clear, and from then on everyone uses fetch_add. The owner
 * pays no fence (the barrier is asymmetric, as in userspace RCU). Without
 * membarrier(2) nothing is owned and every update is a fetch_add.
 */
#ifndef CT_PIPE_DIR_H
#define CT_PIPE_DIR_H

#include <pthread.h>
#include <stdint.h>
#include <sys/types.h>

#pragma GCC visibility push(hidden)

struct ct__pipe_dir {
        uint64_t bytes;  /* atomic */
        uintptr_t owner; /* atomic: thread pointer of the owner, 0 = none yet */
        int busy;        /* atomic: the owner is updating bytes */
        int shared;      /* atomic: every update is a fetch_add */
} __attribute__((aligned(64)));

/* The process's ownership changes (rare), serialised by mu. */
struct ct__pipe_dirs {
        pthread_mutex_t mu;
        int (*lock)(pthread_mutex_t *); /* how mu is taken (the preload library: libc's own) */
        int (*unlock)(pthread_mutex_t *);
        int mb_state;      /* membarrier(2): 0 not asked yet, 1 usable, -1 not available */
        int mb_registered; /* MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED done */
        int mb_cmds;       /* what MEMBARRIER_CMD_QUERY answered */
};

#define CT__PIPE_DIRS_INIT(lock_fn, unlock_fn)                                                     \
        {                                                                                          \
                PTHREAD_MUTEX_INITIALIZER, lock_fn, unlock_fn, 0, 0, 0                             \
        }

/* Not the owner's fast path: claims d, or shares it, then adds. */
uint64_t ct__pipe_dir_add_slow(struct ct__pipe_dirs *s, struct ct__pipe_dir *d, uint64_t moved)
    __attribute__((noinline));

/* In a fork child (one thread): mu anew; the membarrier registration was the parent's. */
void ct__pipe_dirs_after_fork_child(struct ct__pipe_dirs *s);

/* The calling thread's token as an owner. */
static inline uintptr_t ct__pipe_dir_self(void)
{
        return (uintptr_t)__builtin_thread_pointer();
}

/* The owner's update: plain loads and stores. 0 if d became shared. */
static inline int ct__pipe_dir_owner_add(struct ct__pipe_dir *d, uint64_t moved, uint64_t *before)
{
        __atomic_store_n(&d->busy, 1, __ATOMIC_RELAXED);
        /* Only a compiler barrier: membarrier(2) when d is shared orders the
         * store to busy before the load of shared (asymmetric Dekker). */
        __atomic_signal_fence(__ATOMIC_SEQ_CST);
        if (__builtin_expect(__atomic_load_n(&d->shared, __ATOMIC_RELAXED), 0)) {
                __atomic_store_n(&d->busy, 0, __ATOMIC_RELEASE);
                return 0;
        }
        *before = __atomic_load_n(&d->bytes, __ATOMIC_RELAXED);
        __atomic_store_n(&d->bytes, *before + moved, __ATOMIC_RELAXED);
        __atomic_store_n(&d->busy, 0, __ATOMIC_RELEASE);
        return 1;
}

/* Returns the count before this transfer and adds `moved` bytes to it. */
static inline uint64_t ct__pipe_dir_advance(struct ct__pipe_dirs *s, struct ct__pipe_dir *d,
                                            ssize_t moved)
{
        uint64_t before;

        if (moved <= 0)
                return __atomic_load_n(&d->bytes, __ATOMIC_RELAXED);
        if (__builtin_expect(__atomic_load_n(&d->owner, __ATOMIC_RELAXED) == ct__pipe_dir_self(),
                             1) &&
            ct__pipe_dir_owner_add(d, (uint64_t)moved, &before))
                return before;
        return ct__pipe_dir_add_slow(s, d, (uint64_t)moved);
}

#pragma GCC visibility pop

#endif /* CT_PIPE_DIR_H */
