/* SPDX-License-Identifier: MIT */
/*
 * A tiny assertion helper for the runtime unit tests: CT_CHECK(cond) prints
 * the failed condition with file and line and exits 1.
 */
#ifndef CT_TEST_H
#define CT_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define CT_CHECK(cond)                                                                             \
        do {                                                                                       \
                if (!(cond)) {                                                                     \
                        fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);   \
                        exit(1);                                                                   \
                }                                                                                  \
        } while (0)

#define CT_CHECK_EQ(a, b)                                                                          \
        do {                                                                                       \
                long long ct_a_ = (long long)(a), ct_b_ = (long long)(b);                          \
                if (ct_a_ != ct_b_) {                                                              \
                        fprintf(stderr, "%s:%d: check failed: %s == %s (%lld != %lld)\n",          \
                                __FILE__, __LINE__, #a, #b, ct_a_, ct_b_);                         \
                        exit(1);                                                                   \
                }                                                                                  \
        } while (0)

static inline long long ct_test_now_ns(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static inline void ct_test_sleep_ms(long ms)
{
        struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

        nanosleep(&ts, NULL);
}

#endif /* CT_TEST_H */
