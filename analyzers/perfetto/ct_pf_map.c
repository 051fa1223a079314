/* SPDX-License-Identifier: MIT */
#include "ct_pf_map.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static inline uint64_t ct__pf_mix(uint64_t x)
{
        x ^= x >> 33;
        x *= 0xff51afd7ed558ccdULL;
        x ^= x >> 33;
        x *= 0xc4ceb9fe1a85ec53ULL;
        x ^= x >> 33;
        return x;
}

/* The hash of the ordered maps: their slot order is part of the output. */
static inline size_t ct__pf_hash_ordered(const struct ct__pf_key *k)
{
        return (size_t)ct__pf_mix(k->a ^ ct__pf_mix(k->b ^ ct__pf_mix(k->c)));
}

/* The unordered maps': three independent multiplies and one finalizing
 * round instead of three chained rounds. */
static inline size_t ct__pf_hash_fast(const struct ct__pf_key *k)
{
        uint64_t h = k->a * 0x9e3779b97f4a7c15ULL;

        h ^= (k->b + 0x632be59bd9b4e019ULL) * 0xc2b2ae3d27d4eb4fULL;
        h ^= (k->c + 0x85ebca77c2b2ae63ULL) * 0x165667b19e3779f9ULL;
        h ^= h >> 31;
        h *= 0x94d049bb133111ebULL;
        h ^= h >> 29;
        return (size_t)h;
}

static inline size_t ct__pf_hash(const struct ct__pf_map *m, const struct ct__pf_key *k)
{
        return m->unordered ? ct__pf_hash_fast(k) : ct__pf_hash_ordered(k);
}

static inline int ct__pf_key_eq(const struct ct__pf_key *x, const struct ct__pf_key *y)
{
        return x->a == y->a && x->b == y->b && x->c == y->c;
}

/* The slot holding k, or the empty slot where the probe for k stops. */
static size_t ct__pf_map_probe(const struct ct__pf_map *m, const struct ct__pf_key *k)
{
        size_t i;

        for (i = ct__pf_hash(m, k) & (m->cap - 1); m->slots[i].v; i = (i + 1) & (m->cap - 1)) {
                if (ct__pf_key_eq(&m->slots[i].k, k))
                        break;
        }
        return i;
}

void *ct__pf_map_get(const struct ct__pf_map *m, struct ct__pf_key k)
{
        if (!m->cap)
                return NULL;
        return m->slots[ct__pf_map_probe(m, &k)].v;
}

static int ct__pf_map_grow(struct ct__pf_map *m)
{
        size_t ncap = m->cap ? m->cap * 2 : 64, i, j;
        struct ct__pf_slot *ns = calloc(ncap, sizeof(*ns));

        if (!ns)
                return -ENOMEM;
        for (i = 0; i < m->cap; i++) {
                if (!m->slots[i].v)
                        continue;
                for (j = ct__pf_hash(m, &m->slots[i].k) & (ncap - 1); ns[j].v;
                     j = (j + 1) & (ncap - 1))
                        ;
                ns[j] = m->slots[i];
        }
        free(m->slots);
        m->slots = ns;
        m->cap = ncap;
        return 0;
}

int ct__pf_map_put(struct ct__pf_map *m, struct ct__pf_key k, void *v)
{
        size_t i;

        if ((m->len + 1) * 2 > m->cap && ct__pf_map_grow(m) < 0)
                return -ENOMEM;
        i = ct__pf_map_probe(m, &k);
        if (!m->slots[i].v) {
                m->slots[i].k = k;
                m->len++;
        }
        m->slots[i].v = v;
        return 0;
}

void *ct__pf_map_del(struct ct__pf_map *m, struct ct__pf_key k)
{
        size_t i, j, h;
        void *v;

        if (!m->cap)
                return NULL;
        i = ct__pf_map_probe(m, &k);
        v = m->slots[i].v;
        if (!v)
                return NULL;
        m->slots[i].v = NULL;
        m->len--;
        for (j = (i + 1) & (m->cap - 1); m->slots[j].v; j = (j + 1) & (m->cap - 1)) {
                h = ct__pf_hash(m, &m->slots[j].k) & (m->cap - 1);
                /* move j to i if h is not cyclically in (i, j] */
                if ((j > i && (h <= i || h > j)) || (j < i && (h <= i && h > j))) {
                        m->slots[i] = m->slots[j];
                        m->slots[j].v = NULL;
                        i = j;
                }
        }
        return v;
}

void *ct__pf_map_obtain(struct ct__pf_map *m, struct ct__pf_key k, size_t size, int *created)
{
        void *v = ct__pf_map_get(m, k);

        *created = 0;
        if (v)
                return v;
        v = calloc(1, size);
        if (!v || ct__pf_map_put(m, k, v) < 0) {
                free(v);
                return NULL;
        }
        *created = 1;
        return v;
}

void ct__pf_map_clear(struct ct__pf_map *m, int free_values)
{
        int unordered = m->unordered;
        size_t i;

        for (i = 0; free_values && i < m->cap; i++)
                free(m->slots[i].v);
        free(m->slots);
        memset(m, 0, sizeof(*m));
        m->unordered = unordered;
}
