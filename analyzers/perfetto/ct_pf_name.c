/* SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L
#include "ct_pf_name.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ct_pf.h"

void ct__pf_name_set(struct ct__pf *pf, const struct ct_event *ev)
{
        struct ct__pf_key k = {pf->trace, (uint64_t)ev->kind, ev->obj};
        char *old = ct__pf_map_get(&pf->names, k), *dup = strdup(ev->str ? ev->str : "");

        if (!dup || ct__pf_map_put(&pf->names, k, dup) < 0) {
                free(dup);
                ct__pf_fail(pf, -ENOMEM);
                return;
        }
        free(old);
}

const char *ct__pf_name_of(struct ct__pf *pf, int kind, uint64_t obj, char *tmp, size_t n)
{
        static const char *const kinds[] = {"lock", "cond", "pipe", "queue", "pool", "fd"};
        struct ct__pf_key k = {pf->trace, (uint64_t)kind, obj};
        const char *s = ct__pf_map_get(&pf->names, k);

        if (s)
                return s;
        snprintf(tmp, n, "%s 0x%llx", kind >= 0 && kind <= 5 ? kinds[kind] : "obj",
                 (unsigned long long)obj);
        return tmp;
}
