/* SPDX-License-Identifier: MIT */
/*
 * Open-addressing hash map from a key of three integers to a pointer, used
 * for every registry of the exporter (ids, tracks, object names, locks,
 * conds, pipes, submits). Linear probing, backward-shift deletion; a NULL
 * value marks an empty slot. Iteration order (slot order) is part of the
 * output where the exporter walks a map (threads, processes), so their
 * hashing must stay as it is; a map never walked may be marked unordered and
 * gets a cheaper hash.
 */
#ifndef CT_PF_MAP_H
#define CT_PF_MAP_H

#include <stddef.h>
#include <stdint.h>

struct ct__pf_key {
        uint64_t a, b, c;
};

struct ct__pf_slot {
        struct ct__pf_key k;
        void *v; /* weak or owned per map; NULL = empty slot */
};

struct ct__pf_map {
        struct ct__pf_slot *slots; /* owned */
        size_t cap;                /* power of two or 0 */
        size_t len;
        int unordered; /* never walked in slot order: the cheaper hash (kept by clear) */
};

/* The value of k, or NULL. */
void *ct__pf_map_get(const struct ct__pf_map *m, struct ct__pf_key k);

/* Insert or replace; v must not be NULL. 0 or -ENOMEM. */
int ct__pf_map_put(struct ct__pf_map *m, struct ct__pf_key k, void *v);

/* Remove k; returns its value or NULL. Slots after it may shift back. */
void *ct__pf_map_del(struct ct__pf_map *m, struct ct__pf_key k);

/*
 * The value of k, or a new zeroed value of size bytes inserted under k
 * (*created set to 1). NULL when out of memory (nothing inserted).
 */
void *ct__pf_map_obtain(struct ct__pf_map *m, struct ct__pf_key k, size_t size, int *created);

/* Free the slots (and each value with free() if free_values); empty map. */
void ct__pf_map_clear(struct ct__pf_map *m, int free_values);

#endif /* CT_PF_MAP_H */
