/* SPDX-License-Identifier: MIT */
/*
 * conctrace runtime: the GIL model, an opt-in CPython-like global interpreter
 * lock (see docs/runtime.md).
 *
 * - A thread holds the GIL while it "runs": threads made by ct_thread_create()
 *   from their start, the main thread from ct_gil_enable() (or from
 *   ct_thread_begin() when enabled through the environment), a ct_fork() child
 *   if the forking thread held it.
 * - ct_compute() needs the GIL (taking it if needed).
 * - A thread that wants the GIL waits at most one switch interval (a timed
 *   condvar wait); if the holder has not released it by then, it sets the
 *   drop request; the holder yields at its next check (between compute units)
 *   and waits until another thread has taken it (CPython's forced switching).
 * - Every blocking call of the runtime (io_sim, pipe read/write, select/poll,
 *   cond and queue waits, contended mutex lock, join, waitpid) drops the GIL
 *   before blocking and re-takes it after (after re-acquiring the mutex, as
 *   CPython does, so no lock-order deadlock).
 * - In the trace the GIL is an ordinary lock named "GIL" (ct_lock:request when
 *   a taker must wait, ct_lock:acquire(contended), ct_lock:release) and its
 *   waits are ct_cond events on a condvar named "GIL.cond" (lock = the GIL id),
 *   so every analysis applies to it unchanged.
 *
 * Enabled by ct_gil_enable() or by the environment: CT_GIL=1 and
 * CT_GIL_SWITCH_US (default 5000). Off, it costs one predictable branch per call.
 */
#ifndef CONCTRACE_GIL_H
#define CONCTRACE_GIL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CT_GIL_DEFAULT_SWITCH_US 5000

/*
 * Turns the model on with the given switch interval (0: CT_GIL_SWITCH_US or
 * the default) and makes the calling thread take the GIL. Call it from the
 * main thread before creating other threads. Enabling it again only changes
 * the interval. Returns 0 or a negative errno.
 */
int ct_gil_enable(uint64_t switch_interval_us);

/* 1 if the model is on. */
int ct_gil_enabled(void);

/* The switch interval in microseconds. */
uint64_t ct_gil_switch_interval_us(void);

/* 1 if the calling thread holds the GIL. */
int ct_gil_held(void);

/*
 * Explicit release / re-take around a blocking operation the runtime does not
 * wrap (like Py_BEGIN_ALLOW_THREADS / Py_END_ALLOW_THREADS). ct_gil_release()
 * returns a token for ct_gil_restore(): 1 if the GIL was held and dropped.
 * Both are no-ops when the model is off.
 */
int ct_gil_release(void);
void ct_gil_restore(int token);

/* Yields the GIL if another thread asked for it (the check ct_compute() makes
 * between units); for your own CPU loops. */
void ct_gil_check(void);

/* The id of the GIL lock and of its condvar in the trace. */
uint64_t ct_gil_lock_id(void);
uint64_t ct_gil_cond_id(void);

#ifdef __cplusplus
}
#endif

#endif /* CONCTRACE_GIL_H */
