/* SPDX-License-Identifier: MIT */
/*
 * CPython's GIL (3.x "new GIL", as in Debian's python3.11), named `GIL` with
 * its condvar `GIL.cond`, like the runtime's GIL model.
 *
 * Found without a hard-coded address: the interpreter exports `_PyRuntime`
 * (its size from the symbol table); the GIL is a struct
 * _gil_runtime_state { unsigned long interval; void *last_holder; int locked;
 * unsigned long switch_number; pthread_cond_t cond; pthread_mutex_t mutex;
 * pthread_cond_t switch_cond; pthread_mutex_t switch_mutex; } inside it, and
 * create_gil() initialises its mutex with pthread_mutex_init. So a mutex
 * initialised inside _PyRuntime whose surroundings look like that struct
 * (interval = the switch interval, 1 us .. 1 s, 5000 by default; locked = -1,
 * "not created yet") is the GIL's.
 *
 * Events: the GIL is `locked` under gil->mutex. When a thread unlocks
 * gil->mutex having set locked = 1 while no one held it, it acquired the GIL
 * (contended if it waited on gil->cond first: ct_lock:request at its first
 * wait); when the holder unlocks it with locked = 0, it released it. Waits on
 * gil->cond are ct_cond waits on GIL.cond; the GIL's internal mutexes and its
 * switch condvar fire nothing of their own.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <link.h>
#include <stddef.h>

#include "ct_pl_internal.h"

struct gil_layout {
        unsigned long interval;
        void *last_holder;
        int locked;
        unsigned long switch_number;
        pthread_cond_t cond;
        pthread_mutex_t mutex;
        pthread_cond_t switch_cond;
        pthread_mutex_t switch_mutex;
};

uintptr_t ct__pl_gil_lo, ct__pl_gil_hi;
static uintptr_t runtime_lo, runtime_hi; /* _PyRuntime */
static struct gil_layout *gil;           /* weak: inside _PyRuntime once found */
static pid_t holder;                     /* atomic: tid holding the GIL, 0 = none */

void ct__pl_gil_init(void)
{
        const ElfW(Sym) *sym = NULL;
        Dl_info info;
        void *rt;

        ct__pl_self.guard++;
        rt = dlsym(RTLD_DEFAULT, "_PyRuntime");
        if (rt && dladdr1(rt, &info, (void **)&sym, RTLD_DL_SYMENT) && sym &&
            sym->st_size >= sizeof(struct gil_layout)) {
                runtime_lo = (uintptr_t)rt;
                runtime_hi = (uintptr_t)rt + sym->st_size;
        }
        ct__pl_self.guard--;
}

static uint64_t gil_id(void)
{
        return (uint64_t)(uintptr_t)gil;
}

static uint64_t cond_id(void)
{
        return (uint64_t)(uintptr_t)&gil->cond;
}

int ct__pl_gil_mutex_init(pthread_mutex_t *m)
{
        uintptr_t a = (uintptr_t)m;
        struct gil_layout *g;

        if (a < runtime_lo + offsetof(struct gil_layout, mutex) || a >= runtime_hi)
                return 0;
        g = (struct gil_layout *)(a - offsetof(struct gil_layout, mutex));
        if ((uintptr_t)g % _Alignof(struct gil_layout) || (uintptr_t)g + sizeof(*g) > runtime_hi)
                return 0;
        /* create_gil(): interval set at runtime init, locked still -1. */
        if (g->interval < 1 || g->interval > 1000000 ||
            __atomic_load_n(&g->locked, __ATOMIC_RELAXED) != -1)
                return 0;
        gil = g;
        __atomic_store_n(&holder, 0, __ATOMIC_RELAXED);
        ct__pl_self.gil_req = 0;
        ct__pl_self.gil_fired = 0;
        ct__pl_gil_lo = (uintptr_t)g;
        ct__pl_gil_hi = (uintptr_t)g + sizeof(*g);
        ct__pl_name(gil_id(), CT_TP_OBJ_LOCK, "GIL");
        ct__pl_name(cond_id(), CT_TP_OBJ_COND, "GIL.cond");
        return 1;
}

void ct__pl_gil_mutex_unlocking(pthread_mutex_t *m)
{
        pid_t me, h;
        int locked;

        if (!gil || m != &gil->mutex)
                return; /* switch_mutex */
        me = ct__pl_tid();
        locked = __atomic_load_n(&gil->locked, __ATOMIC_RELAXED);
        h = __atomic_load_n(&holder, __ATOMIC_RELAXED);
        /* The holder is followed with or without a session; a release is
         * fired only after this thread's acquire was (a session that starts
         * while a thread holds the GIL sees its next take first). */
        if (locked == 1 && h == 0) {
                __atomic_store_n(&holder, me, __ATOMIC_RELAXED);
                ct__pl_self.gil_fired = lttng_ust_tracepoint_enabled(ct_lock, acquire) != 0;
                CT__PL_FIRE(ct_lock, acquire, gil_id(), ct__pl_self.gil_req);
                ct__pl_self.gil_req = 0;
        } else if (locked != 1 && h == me) {
                __atomic_store_n(&holder, 0, __ATOMIC_RELAXED);
                if (ct__pl_self.gil_fired)
                        CT__PL_FIRE(ct_lock, release, gil_id());
                ct__pl_self.gil_fired = 0;
        }
}

int ct__pl_gil_cond_wait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *abs, int clk,
                         int which)
{
        int ret;

        if (!gil || c != &gil->cond) {
                /* switch_cond: the dropping thread waits for a taker; no events. */
                if (which == 0)
                        return ct__pl_real.cond_wait(c, m);
                if (which == 1)
                        return ct__pl_real.cond_timedwait(c, m, abs);
                return ct__pl_real.cond_clockwait(c, m, (clockid_t)clk, abs);
        }
        if (!ct__pl_self.gil_req) {
                ct__pl_self.gil_req = 1;
                CT__PL_FIRE(ct_lock, request, gil_id());
        }
        ct__pl_waiters_add(c, 1);
        CT__PL_FIRE(ct_cond, wait_begin, cond_id(), gil_id());
        if (which == 0)
                ret = ct__pl_real.cond_wait(c, m);
        else if (which == 1)
                ret = ct__pl_real.cond_timedwait(c, m, abs);
        else
                ret = ct__pl_real.cond_clockwait(c, m, (clockid_t)clk, abs);
        ct__pl_waiters_add(c, -1);
        CT__PL_FIRE(ct_cond, wait_end, cond_id(), gil_id(), ret == ETIMEDOUT);
        return ret;
}

int ct__pl_gil_cond_wake(pthread_cond_t *c, int broadcast)
{
        if (gil && c == &gil->cond) {
                if (broadcast)
                        CT__PL_FIRE(ct_cond, broadcast, cond_id(), ct__pl_waiters_get(c));
                else
                        CT__PL_FIRE(ct_cond, signal, cond_id(), ct__pl_waiters_get(c));
        }
        return broadcast ? ct__pl_real.cond_broadcast(c) : ct__pl_real.cond_signal(c);
}
