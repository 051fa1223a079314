/* SPDX-License-Identifier: MIT */
/*
 * Units of work: a deterministic CPU loop and simulated I/O.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <time.h>

#include "conctrace/gil.h"
#include "conctrace/work.h"
#include "ct_internal.h"

struct unit_hook {
        void (*fn)(void *arg);
        void *arg;
};

static struct unit_hook *hook; /* weak: set by ct_work_set_unit_hook() */
static struct unit_hook hook_storage[2];
static int hook_index;
static uint64_t sink; /* keeps the loop's result observable */

void ct_work_set_unit_hook(void (*fn)(void *arg), void *arg)
{
        struct unit_hook *h = NULL;

        if (fn) {
                hook_index ^= 1;
                h = &hook_storage[hook_index];
                h->fn = fn;
                h->arg = arg;
        }
        __atomic_store_n(&hook, h, __ATOMIC_RELEASE);
}

static inline uint64_t compute_unit(uint64_t x)
{
        for (int i = 0; i < CT_COMPUTE_UNIT_ITERS; i++) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x *= 0x2545F4914F6CDD1Dull;
        }
        return x;
}

uint64_t ct_compute(uint64_t units)
{
        uint64_t x = 0x9E3779B97F4A7C15ull ^ units;
        int gil = ct__gil_is_on();

        lttng_ust_tracepoint(ct_work, begin, CT_TP_WORK_COMPUTE, units);
        if (gil && !ct__gil_thread_held())
                ct__gil_take();
        for (uint64_t u = 0; u < units; u++) {
                struct unit_hook *h;

                if (gil)
                        ct_gil_check();
                h = __atomic_load_n(&hook, __ATOMIC_ACQUIRE);
                if (h)
                        h->fn(h->arg);
                x = compute_unit(x);
        }
        lttng_ust_tracepoint(ct_work, end, CT_TP_WORK_COMPUTE, units);
        __atomic_store_n(&sink, x, __ATOMIC_RELAXED);
        return x;
}

void ct_work_begin(uint64_t units)
{
        if (ct__gil_is_on()) {
                if (ct__gil_thread_held())
                        ct_gil_check();
                else
                        ct__gil_take();
        }
        lttng_ust_tracepoint(ct_work, begin, CT_TP_WORK_COMPUTE, units);
}

void ct_work_end(uint64_t units)
{
        lttng_ust_tracepoint(ct_work, end, CT_TP_WORK_COMPUTE, units);
}

void ct_io_sim(uint64_t usec)
{
        struct timespec ts = {.tv_sec = (time_t)(usec / 1000000),
                              .tv_nsec = (long)(usec % 1000000) * 1000};
        int token;

        lttng_ust_tracepoint(ct_work, begin, CT_TP_WORK_IO_SIM, usec);
        token = ct__gil_block_begin();
        while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
                ;
        lttng_ust_tracepoint(ct_work, end, CT_TP_WORK_IO_SIM, usec);
        ct__gil_block_end(token);
}
