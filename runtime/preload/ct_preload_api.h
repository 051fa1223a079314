/* SPDX-License-Identifier: MIT */
/*
 * The marker API of libconctrace-preload.so, for programs that cannot link
 * the runtime (Python through ctypes, shell tools through a tiny helper).
 * Every function has C linkage and default visibility, and is safe to call
 * before the library is initialised or with no tracing session (it then does
 * nothing). Strings may be NULL (fired as "").
 *
 *   import ctypes
 *   lib = ctypes.CDLL(None)            # the preloaded library is in the global scope
 *   if lib.ct_preload_active(): lib.ct_preload_run_begin(b"py-task2a", b"threads", 4, b"n=100")
 */
#ifndef CT_PRELOAD_API_H
#define CT_PRELOAD_API_H

#ifdef __cplusplus
extern "C" {
#endif

/* ct_run:run_begin / ct_run:run_end around one measured run. */
void ct_preload_run_begin(const char *scenario, const char *variant, int workers,
                          const char *params);
void ct_preload_run_end(const char *scenario, const char *variant, int workers, const char *params,
                        int status);

/* ct_run:phase_begin / ct_run:phase_end. */
void ct_preload_phase_begin(const char *name);
void ct_preload_phase_end(const char *name);

/* Fires ct_run:thread_begin with this role for the calling thread if it has not
 * begun yet, else renames it (a new thread_begin with the new role, which the
 * analyzers read as the thread's role from then on). */
void ct_preload_thread_role(const char *role);

/* ct_work:begin / ct_work:end; kind 0 = compute, 1 = io_sim. */
void ct_preload_work_begin(int kind, unsigned long long units);
void ct_preload_work_end(int kind, unsigned long long units);

/* ct_run:name: kind is the contract's enum (0 lock, 1 cond, 2 pipe, 3 queue,
 * 4 pool, 5 fd, 6 sem). */
void ct_preload_name(unsigned long long obj, int kind, const char *name);

/* ct_cond:wait_begin / wait_end / signal (all = 0) / broadcast (all = 1) for
 * a condition variable the library cannot see, e.g. Python's
 * threading.Condition (implemented over locks): `lock` is the id of its lock
 * (for a semaphore, ct_preload_sem_id), `waiters` the threads waiting. */
void ct_preload_cond_wait_begin(unsigned long long cond, unsigned long long lock);
void ct_preload_cond_wait_end(unsigned long long cond, unsigned long long lock, int timedout);
void ct_preload_cond_notify(unsigned long long cond, int waiters, int all);

/* The id the ct_sem events carry for the semaphore at `sem` (its address,
 * with its generation in bits 48..63: docs/preload.md), for ct_preload_name. */
unsigned long long ct_preload_sem_id(void *sem);

/* 1 when the library is loaded and initialised (its real symbols resolved),
 * else 0. */
int ct_preload_active(void);

#ifdef __cplusplus
}
#endif

#endif /* CT_PRELOAD_API_H */
