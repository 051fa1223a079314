/* SPDX-License-Identifier: MIT */
/*
 * Open-addressing hash table keyed by three 64-bit ids (e.g. trace, vpid,
 * object), values stored inline (fixed size, zeroed on creation): no
 * allocation per entry, only when the table doubles. Pointers to values are
 * valid until the next ct__map_put or ct__map_del.
 */
#ifndef CT_MAP_H
#define CT_MAP_H

#include <stddef.h>
#include <stdint.h>

struct ct__key {
        uint64_t a, b, c;
};

struct ct__map {
        unsigned char *slots; /* owned: cap slots of (used byte, key, value) */
        size_t cap;           /* power of two, or 0 */
        size_t len;
        size_t val_size;
        size_t slot_size;
        size_t last; /* 1 + index of the slot found last (get or put), 0: none */
};

void ct__map_init(struct ct__map *m, size_t val_size);
void ct__map_fini(struct ct__map *m);
void *ct__map_get(const struct ct__map *m, struct ct__key k);
/* Finds or creates (zeroed; *created = 1). NULL on -ENOMEM. */
void *ct__map_put(struct ct__map *m, struct ct__key k, int *created);
/* 1 if removed, 0 if absent. */
int ct__map_del(struct ct__map *m, struct ct__key k);
/* Iteration: size_t i = 0; while ((v = ct__map_next(m, &i, &k))) ...; no put/del meanwhile. */
void *ct__map_next(const struct ct__map *m, size_t *i, struct ct__key *k);

/* Orders keys by a, then b, then c. */
int ct__key_cmp(const struct ct__key *x, const struct ct__key *y);

struct ct__map_entry {
        struct ct__key k;
        void *v; /* weak: the value in the map */
};

/*
 * The entries of m sorted with cmp (which compares two struct ct__map_entry),
 * in an array to free() (plain malloc: report-time, not counted); *n entries.
 * NULL on -ENOMEM. Valid until the next put or del.
 */
struct ct__map_entry *ct__map_sorted(const struct ct__map *m,
                                     int (*cmp)(const void *a, const void *b), size_t *n);

static inline struct ct__key ct__key3(uint64_t a, uint64_t b, uint64_t c)
{
        struct ct__key k = {a, b, c};
        return k;
}

#endif /* CT_MAP_H */
