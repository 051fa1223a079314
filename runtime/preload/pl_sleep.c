/* SPDX-License-Identifier: MIT */
/*
 * Sleeps as ct_work io_sim (in the labs, sleeping is the simulated I/O):
 * nanosleep, clock_nanosleep, usleep, sleep; units = the requested
 * microseconds (an absolute clock_nanosleep: the time left at the call).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <time.h>
#include <unistd.h>

#include "ct_pl_internal.h"

#define CT__PL_API __attribute__((visibility("default")))

#define REAL(type, name, args)                                                                     \
        static type(*real_##name) args;                                                            \
        static inline type(*get_##name(void)) args                                                 \
        {                                                                                          \
                if (__builtin_expect(!real_##name, 0))                                             \
                        real_##name = ct__pl_sym(#name, NULL);                                     \
                return real_##name;                                                                \
        }

REAL(int, nanosleep, (const struct timespec *, struct timespec *))
REAL(int, clock_nanosleep, (clockid_t, int, const struct timespec *, struct timespec *))
REAL(int, usleep, (useconds_t))
REAL(unsigned int, sleep, (unsigned int))

static uint64_t ts_us(const struct timespec *ts)
{
        if (!ts || ts->tv_sec < 0)
                return 0;
        return (uint64_t)ts->tv_sec * 1000000u + (uint64_t)ts->tv_nsec / 1000u;
}

CT__PL_API int nanosleep(const struct timespec *req, struct timespec *rem)
{
        uint64_t us;
        int ret, err;

        if (__builtin_expect(!get_nanosleep(), 0))
                return EINVAL;
        if (!ct__pl_traced(CT__PL_CALLER()))
                return real_nanosleep(req, rem);
        us = ts_us(req);
        CT__PL_FIRE(ct_work, begin, CT_TP_WORK_IO_SIM, us);
        ret = real_nanosleep(req, rem);
        err = errno;
        CT__PL_FIRE(ct_work, end, CT_TP_WORK_IO_SIM, us);
        errno = err;
        return ret;
}

CT__PL_API int clock_nanosleep(clockid_t clk, int flags, const struct timespec *req,
                               struct timespec *rem)
{
        uint64_t us;
        int ret;

        if (__builtin_expect(!get_clock_nanosleep(), 0))
                return EINVAL;
        if (!ct__pl_traced(CT__PL_CALLER()))
                return real_clock_nanosleep(clk, flags, req, rem);
        us = ts_us(req);
        if (flags & TIMER_ABSTIME) {
                struct timespec now;
                uint64_t n;

                clock_gettime(clk, &now);
                n = ts_us(&now);
                us = us > n ? us - n : 0;
        }
        CT__PL_FIRE(ct_work, begin, CT_TP_WORK_IO_SIM, us);
        ret = real_clock_nanosleep(clk, flags, req, rem);
        CT__PL_FIRE(ct_work, end, CT_TP_WORK_IO_SIM, us);
        return ret; /* returns the error, errno untouched */
}

CT__PL_API int usleep(useconds_t usec)
{
        int ret, err;

        if (__builtin_expect(!get_usleep(), 0))
                return -1;
        if (!ct__pl_traced(CT__PL_CALLER()))
                return real_usleep(usec);
        CT__PL_FIRE(ct_work, begin, CT_TP_WORK_IO_SIM, (uint64_t)usec);
        ret = real_usleep(usec);
        err = errno;
        CT__PL_FIRE(ct_work, end, CT_TP_WORK_IO_SIM, (uint64_t)usec);
        errno = err;
        return ret;
}

CT__PL_API unsigned int sleep(unsigned int s)
{
        unsigned int ret;

        if (__builtin_expect(!get_sleep(), 0))
                return s;
        if (!ct__pl_traced(CT__PL_CALLER()))
                return real_sleep(s);
        CT__PL_FIRE(ct_work, begin, CT_TP_WORK_IO_SIM, (uint64_t)s * 1000000u);
        ret = real_sleep(s);
        CT__PL_FIRE(ct_work, end, CT_TP_WORK_IO_SIM, (uint64_t)s * 1000000u);
        return ret;
}
