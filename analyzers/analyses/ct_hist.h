/* SPDX-License-Identifier: MIT */
/*
 * Bounded log-linear histogram of durations (ns), HDR-like: values below 128
 * are exact; above, each power of two is split into 64 equal sub-buckets, so a
 * bucket is at most 1/64 of its lower bound wide. A percentile is reported as
 * its bucket's midpoint (clamped to [min, max]): relative error <= 1/128
 * (0.79%). Octaves are allocated on first use (512 bytes each, at most 58):
 * memory never grows with the number of values. Count, total, min and max are
 * exact.
 */
#ifndef CT_HIST_H
#define CT_HIST_H

#include <stdint.h>

#define CT_HIST_REL_ERROR (1.0 / 128.0)
#define CT__HIST_SUB      64
#define CT__HIST_OCTAVES  58 /* 2^7 .. 2^63 */

struct ct_hist {
        uint64_t count, total, min, max;
        uint64_t low[128];               /* exact counts of values < 128 */
        uint64_t *oct[CT__HIST_OCTAVES]; /* owned: 64 counts each, or NULL */
};

void ct_hist_init(struct ct_hist *h);
void ct_hist_fini(struct ct_hist *h);
/* Adds n values v. 0 or -ENOMEM (first value of a new octave only). */
int ct_hist_add_n(struct ct_hist *h, uint64_t v, uint64_t n);
static inline int ct_hist_add(struct ct_hist *h, uint64_t v)
{
        return ct_hist_add_n(h, v, 1);
}
/* p in [0, 100]; 0 if empty. */
uint64_t ct_hist_percentile(const struct ct_hist *h, double p);
uint64_t ct_hist_mean(const struct ct_hist *h);

#endif /* CT_HIST_H */
