/* SPDX-License-Identifier: MIT */
/* A pipe direction's byte count, owned or shared: see ct_pipe_dir.h. */
#define _GNU_SOURCE
#include "ct_pipe_dir.h"

#include <linux/membarrier.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Whether membarrier(2) can serve the protocol (asked once). Under s->mu. */
static int mb_usable(struct ct__pipe_dirs *s)
{
        if (!s->mb_state) {
                long cmds = syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);

                s->mb_cmds = cmds < 0 ? 0 : (int)cmds;
                s->mb_state =
                    (s->mb_cmds & (MEMBARRIER_CMD_PRIVATE_EXPEDITED | MEMBARRIER_CMD_GLOBAL)) ? 1
                                                                                              : -1;
        }
        return s->mb_state > 0;
}

/* A full memory barrier in every thread of the process. Under s->mu. */
static void mb_all_threads(struct ct__pipe_dirs *s)
{
        if (!s->mb_registered && (s->mb_cmds & MEMBARRIER_CMD_PRIVATE_EXPEDITED) &&
            syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0)
                s->mb_registered = 1;
        if (s->mb_registered &&
            syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) == 0)
                return;
        if ((s->mb_cmds & MEMBARRIER_CMD_GLOBAL) &&
            syscall(SYS_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0) == 0)
                return;
        abort(); /* owners exist only if mb_usable() said membarrier works */
}

/* The first thread to move bytes in d owns it, if membarrier(2) is usable. */
static int dir_claim(struct ct__pipe_dirs *s, struct ct__pipe_dir *d)
{
        uintptr_t none = 0;
        int ok = 0;

        s->lock(&s->mu);
        if (mb_usable(s) && !__atomic_load_n(&d->shared, __ATOMIC_RELAXED))
                ok = __atomic_compare_exchange_n(&d->owner, &none, ct__pipe_dir_self(), 0,
                                                 __ATOMIC_RELAXED, __ATOMIC_RELAXED);
        s->unlock(&s->mu);
        return ok;
}

/* A thread other than the owner moves bytes in d: fetch_add from now on. */
static void dir_share(struct ct__pipe_dirs *s, struct ct__pipe_dir *d)
{
        s->lock(&s->mu);
        if (!__atomic_load_n(&d->shared, __ATOMIC_RELAXED)) {
                __atomic_store_n(&d->shared, 1, __ATOMIC_RELAXED);
                if (__atomic_load_n(&d->owner, __ATOMIC_RELAXED)) {
                        mb_all_threads(s);
                        /* The owner saw `shared`, or its update is in flight. */
                        while (__atomic_load_n(&d->busy, __ATOMIC_ACQUIRE))
                                sched_yield();
                }
        }
        s->unlock(&s->mu);
}

uint64_t ct__pipe_dir_add_slow(struct ct__pipe_dirs *s, struct ct__pipe_dir *d, uint64_t moved)
{
        uint64_t before;

        if (!__atomic_load_n(&d->shared, __ATOMIC_ACQUIRE)) {
                if (!__atomic_load_n(&d->owner, __ATOMIC_RELAXED) && dir_claim(s, d) &&
                    ct__pipe_dir_owner_add(d, moved, &before))
                        return before;
                if (__atomic_load_n(&d->owner, __ATOMIC_RELAXED) != ct__pipe_dir_self() ||
                    !__atomic_load_n(&d->shared, __ATOMIC_ACQUIRE))
                        dir_share(s, d);
        }
        return __atomic_fetch_add(&d->bytes, moved, __ATOMIC_RELAXED);
}

void ct__pipe_dirs_after_fork_child(struct ct__pipe_dirs *s)
{
        pthread_mutex_init(&s->mu, NULL);
        s->mb_registered = 0;
}
