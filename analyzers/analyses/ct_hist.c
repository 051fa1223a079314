/* SPDX-License-Identifier: MIT */
#include "ct_hist.h"

#include <errno.h>
#include <string.h>

#include "ct_alloc.h"

void ct_hist_init(struct ct_hist *h)
{
        memset(h, 0, sizeof(*h));
}

void ct_hist_fini(struct ct_hist *h)
{
        int i;

        for (i = 0; i < CT__HIST_OCTAVES; i++) {
                ct__free(h->oct[i]);
                h->oct[i] = NULL;
        }
}

int ct_hist_add_n(struct ct_hist *h, uint64_t v, uint64_t n)
{
        if (!n) {
                return 0;
        }
        if (v < 128) {
                h->low[v] += n;
        } else {
                int e = 63 - __builtin_clzll(v); /* 7..63 */
                int sub = (int)((v >> (e - 6)) & (CT__HIST_SUB - 1));
                uint64_t **o = &h->oct[e - 7];

                if (!*o) {
                        *o = ct__calloc(CT__HIST_SUB, sizeof(uint64_t));
                        if (!*o) {
                                return -ENOMEM;
                        }
                }
                (*o)[sub] += n;
        }
        if (!h->count || v < h->min) {
                h->min = v;
        }
        if (v > h->max) {
                h->max = v;
        }
        h->count += n;
        h->total += v * n;
        return 0;
}

uint64_t ct_hist_mean(const struct ct_hist *h)
{
        return h->count ? h->total / h->count : 0;
}

uint64_t ct_hist_percentile(const struct ct_hist *h, double p)
{
        uint64_t rank, cum = 0, v = 0;
        int i, e;

        if (!h->count) {
                return 0;
        }
        {
                double r = p / 100.0 * (double)h->count;

                rank = (uint64_t)r;
                if ((double)rank < r) {
                        rank++;
                }
        }
        if (rank < 1) {
                rank = 1;
        }
        if (rank > h->count) {
                rank = h->count;
        }
        for (i = 0; i < 128; i++) {
                cum += h->low[i];
                if (cum >= rank) {
                        return (uint64_t)i;
                }
        }
        for (e = 7; e < 64; e++) {
                const uint64_t *o = h->oct[e - 7];

                if (!o) {
                        continue;
                }
                for (i = 0; i < CT__HIST_SUB; i++) {
                        cum += o[i];
                        if (cum >= rank) {
                                uint64_t lo = (1ULL << e) + ((uint64_t)i << (e - 6));
                                uint64_t width = 1ULL << (e - 6);

                                v = lo + width / 2;
                                goto found;
                        }
                }
        }
        v = h->max;
found:
        if (v < h->min) {
                v = h->min;
        }
        if (v > h->max) {
                v = h->max;
        }
        return v;
}
