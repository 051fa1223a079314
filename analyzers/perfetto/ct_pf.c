/* SPDX-License-Identifier: MIT */
#include "ct_pf.h"

#include <errno.h>

void ct__pf_fail(struct ct__pf *pf, int err)
{
        ct__pf_json_fail(&pf->json, err);
}

uint64_t ct__pf_rel(struct ct__pf *pf, uint64_t ts)
{
        if (!pf->have_origin) {
                pf->have_origin = 1;
                pf->origin = ts;
        }
        if (ts > pf->last_ts)
                pf->last_ts = ts;
        return ts >= pf->origin ? ts - pf->origin : 0;
}

void *ct__pf_obtain(struct ct__pf *pf, struct ct__pf_map *map, uint64_t a, uint64_t b, size_t size,
                    int *created)
{
        struct ct__pf_key k = {pf->trace, a, b};
        void *v = ct__pf_map_obtain(map, k, size, created);

        if (!v)
                ct__pf_fail(pf, -ENOMEM);
        return v;
}

void ct__pf_clear_objects(struct ct__pf *pf)
{
        ct__pf_map_clear(&pf->names, 1);
        ct__pf_map_clear(&pf->waiters, 1);
        ct__pf_map_clear(&pf->locks, 1);
        ct__pf_map_clear(&pf->conds, 1);
        ct__pf_map_clear(&pf->pipes, 1);
        ct__pf_map_clear(&pf->submits, 1);
}
