/* SPDX-License-Identifier: MIT */
/*
 * conctrace runtime: units of work.
 */
#ifndef CONCTRACE_WORK_H
#define CONCTRACE_WORK_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Burns CPU for `units` units of a fixed, deterministic integer loop
 * (CT_COMPUTE_UNIT_ITERS dependent multiply-xorshift steps per unit, no
 * memory traffic, no system call): about 3 µs per unit on a 2020s x86-64
 * core (between 1 and 10 µs on any machine this runs on; more under a
 * sanitizer or while traced, which adds ~0.3 µs per event).
 * Fires ct_work:begin/end (kind compute, units).
 *
 * Under the GIL model the calling thread must hold the GIL: it takes it if it
 * does not, and between units it checks the drop request and yields the GIL
 * to a waiting thread when asked (every unit: every ~3 µs of work).
 *
 * Returns a value derived from the loop so that the compiler cannot drop it.
 */
uint64_t ct_compute(uint64_t units);

/*
 * Marks the caller's own CPU loop (one that ct_compute() cannot stand for,
 * e.g. a prime search) as compute work: ct_work_begin() fires ct_work:begin
 * (kind compute, units as the caller counts them) and ct_work_end() fires
 * ct_work:end. Under the GIL model, ct_work_begin() takes the GIL if the
 * thread does not hold it and yields it first if another thread asked; a long
 * loop should call ct_gil_check() every few microseconds of work, as
 * ct_compute() does between units.
 */
void ct_work_begin(uint64_t units);
void ct_work_end(uint64_t units);

/* Steps of the loop in one unit of ct_compute(). */
#define CT_COMPUTE_UNIT_ITERS 1000

/*
 * Simulated I/O: sleeps `usec` microseconds (nanosleep, restarted on EINTR).
 * Fires ct_work:begin/end (kind io_sim, units = usec). Releases the GIL for
 * the sleep and re-takes it after.
 */
void ct_io_sim(uint64_t usec);

/*
 * Test and tooling hook: when set, fn(arg) is called once per unit executed
 * by ct_compute(), while the unit runs (and under the GIL model, while the
 * GIL is held). NULL removes it. Process-wide; not for production use.
 */
void ct_work_set_unit_hook(void (*fn)(void *arg), void *arg);

#ifdef __cplusplus
}
#endif

#endif /* CONCTRACE_WORK_H */
