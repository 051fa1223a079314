/* SPDX-License-Identifier: MIT */
/*
 * Small helpers shared by the bench programs (header only): monotonic time,
 * medians, option values. Not part of the conctrace API.
 */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static inline uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int bench__cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a;
	double y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median of v[0..n-1] (sorts v in place). */
static inline double bench_median(double *v, size_t n)
{
	if (n == 0)
		return 0.0;
	qsort(v, n, sizeof(*v), bench__cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

/* Parses a positive integer option value ("100000", "1e6" not accepted; "1M"/"10k" are). */
static inline int bench_parse_count(const char *s, uint64_t *out)
{
	char *end = NULL;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -EINVAL;
	if (*end == 'k' || *end == 'K') {
		v *= 1000ull;
		end++;
	} else if (*end == 'M') {
		v *= 1000000ull;
		end++;
	}
	if (*end != '\0' || v == 0)
		return -EINVAL;
	*out = v;
	return 0;
}

/* Keeps the compiler from optimizing a value away. */
#define bench_keep(x) __asm__ __volatile__("" : : "r"(x) : "memory")

#endif /* BENCH_UTIL_H */
