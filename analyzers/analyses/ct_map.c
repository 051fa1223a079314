/* SPDX-License-Identifier: MIT */
#include "ct_map.h"

#include <stdlib.h>
#include <string.h>

#include "ct_alloc.h"

#define CT__SLOT_HDR 32 /* used flag (8) + key (24) */

static uint64_t ct__hash(struct ct__key k)
{
        uint64_t h = k.a * 0x9E3779B97F4A7C15ULL;

        h ^= (k.b + 0x632BE59BD9B4E019ULL) * 0xC2B2AE3D27D4EB4FULL;
        h ^= (k.c + 0x85EBCA77C2B2AE63ULL) * 0x165667B19E3779F9ULL;
        h ^= h >> 31;
        h *= 0x94D049BB133111EBULL;
        h ^= h >> 29;
        return h;
}

static unsigned char *ct__slot(const struct ct__map *m, size_t i)
{
        return m->slots + i * m->slot_size;
}

static int ct__slot_used(const unsigned char *s)
{
        return s[0] != 0;
}

static struct ct__key *ct__slot_key(unsigned char *s)
{
        return (struct ct__key *)(void *)(s + 8);
}

static int ct__key_eq(const struct ct__key *x, struct ct__key y)
{
        return x->a == y.a && x->b == y.b && x->c == y.c;
}

void ct__map_init(struct ct__map *m, size_t val_size)
{
        memset(m, 0, sizeof(*m));
        m->val_size = val_size;
        m->slot_size = CT__SLOT_HDR + ((val_size + 7) & ~(size_t)7);
}

void ct__map_fini(struct ct__map *m)
{
        ct__free(m->slots);
        m->slots = NULL;
        m->cap = 0;
        m->len = 0;
        m->last = 0;
}

/* The slot found last if its key is k (an analysis asks for one object several times in a row). */
static unsigned char *ct__map_last(const struct ct__map *m, struct ct__key k)
{
        unsigned char *s;

        if (!m->last) {
                return NULL;
        }
        s = ct__slot(m, m->last - 1);
        return ct__key_eq(ct__slot_key(s), k) ? s : NULL;
}

void *ct__map_get(const struct ct__map *m, struct ct__key k)
{
        unsigned char *s = ct__map_last(m, k);
        size_t i;

        if (s) {
                return s + CT__SLOT_HDR;
        }
        if (!m->cap) {
                return NULL;
        }
        for (i = ct__hash(k) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
                s = ct__slot(m, i);
                if (!ct__slot_used(s)) {
                        return NULL;
                }
                if (ct__key_eq(ct__slot_key(s), k)) {
                        ((struct ct__map *)m)->last = i + 1; /* a cache, not the contents */
                        return s + CT__SLOT_HDR;
                }
        }
}

/* Out of line: rare, and inlined it makes every put save more registers. */
static __attribute__((noinline)) int ct__map_resize(struct ct__map *m, size_t ncap)
{
        struct ct__map n = *m;
        size_t i;

        n.cap = ncap;
        n.len = 0;
        n.slots = ct__calloc(ncap, m->slot_size);
        if (!n.slots) {
                return -1;
        }
        for (i = 0; i < m->cap; i++) {
                unsigned char *s = ct__slot(m, i);
                size_t j;

                if (!ct__slot_used(s)) {
                        continue;
                }
                for (j = ct__hash(*ct__slot_key(s)) & (ncap - 1); ct__slot_used(ct__slot(&n, j));
                     j = (j + 1) & (ncap - 1)) {
                }
                memcpy(ct__slot(&n, j), s, m->slot_size);
                n.len++;
        }
        ct__free(m->slots);
        n.last = 0;
        *m = n;
        return 0;
}

void *ct__map_put(struct ct__map *m, struct ct__key k, int *created)
{
        size_t i;
        unsigned char *s;

        if (created) {
                *created = 0;
        }
        s = ct__map_last(m, k);
        if (s) {
                return s + CT__SLOT_HDR;
        }
        if ((m->len + 1) * 4 > m->cap * 3) {
                if (ct__map_resize(m, m->cap ? m->cap * 2 : 16) < 0) {
                        return NULL;
                }
        }
        for (i = ct__hash(k) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
                s = ct__slot(m, i);
                if (!ct__slot_used(s)) {
                        break;
                }
                if (ct__key_eq(ct__slot_key(s), k)) {
                        m->last = i + 1;
                        return s + CT__SLOT_HDR;
                }
        }
        memset(s, 0, m->slot_size);
        s[0] = 1;
        *ct__slot_key(s) = k;
        m->len++;
        m->last = i + 1;
        if (created) {
                *created = 1;
        }
        return s + CT__SLOT_HDR;
}

int ct__map_del(struct ct__map *m, struct ct__key k)
{
        size_t i, j, mask = m->cap - 1;

        if (!m->cap) {
                return 0;
        }
        m->last = 0;
        for (i = ct__hash(k) & mask;; i = (i + 1) & mask) {
                unsigned char *s = ct__slot(m, i);

                if (!ct__slot_used(s)) {
                        return 0;
                }
                if (ct__key_eq(ct__slot_key(s), k)) {
                        break;
                }
        }
        /* Backward-shift deletion: no tombstones. */
        j = i;
        for (;;) {
                unsigned char *sj;
                size_t home;

                j = (j + 1) & mask;
                sj = ct__slot(m, j);
                if (!ct__slot_used(sj)) {
                        break;
                }
                home = ct__hash(*ct__slot_key(sj)) & mask;
                /* Move sj to i if its home is not cyclically in (i, j]. */
                if ((j > i && (home <= i || home > j)) || (j < i && (home <= i && home > j))) {
                        memcpy(ct__slot(m, i), sj, m->slot_size);
                        i = j;
                }
        }
        ct__slot(m, i)[0] = 0;
        m->len--;
        return 1;
}

void *ct__map_next(const struct ct__map *m, size_t *i, struct ct__key *k)
{
        for (; *i < m->cap; (*i)++) {
                unsigned char *s = ct__slot(m, *i);

                if (ct__slot_used(s)) {
                        (*i)++;
                        if (k) {
                                *k = *ct__slot_key(s);
                        }
                        return s + CT__SLOT_HDR;
                }
        }
        return NULL;
}

int ct__key_cmp(const struct ct__key *x, const struct ct__key *y)
{
        if (x->a != y->a) {
                return x->a < y->a ? -1 : 1;
        }
        if (x->b != y->b) {
                return x->b < y->b ? -1 : 1;
        }
        return x->c < y->c ? -1 : x->c > y->c;
}

struct ct__map_entry *ct__map_sorted(const struct ct__map *m,
                                     int (*cmp)(const void *a, const void *b), size_t *n)
{
        struct ct__map_entry *v = calloc(m->len ? m->len : 1, sizeof(*v));
        size_t i = 0;
        void *val;

        *n = 0;
        if (!v) {
                return NULL;
        }
        while ((val = ct__map_next(m, &i, &v[*n].k))) {
                v[(*n)++].v = val;
        }
        qsort(v, *n, sizeof(*v), cmp);
        return v;
}
