/* SPDX-License-Identifier: MIT */
/*
 * Allocation wrappers of the analyses: they count the bytes currently
 * allocated (ct_analyses_allocated_bytes()) so a test can check that memory
 * does not grow with the number of events.
 */
#ifndef CT_ALLOC_H
#define CT_ALLOC_H

#include <stddef.h>

void *ct__malloc(size_t size);
void *ct__calloc(size_t n, size_t size);
void *ct__realloc(void *p, size_t size);
void ct__free(void *p);
char *ct__strdup(const char *s);

/* ct__grow when idx does not fit yet. */
int ct__grow_to(void **arr, size_t *cap, size_t elt, size_t idx);

/* Grows *arr (element size elt, capacity *cap) so that index idx fits; new
 * elements are zeroed. 0 or -ENOMEM. Inline: per event, it almost always fits. */
static inline int ct__grow(void **arr, size_t *cap, size_t elt, size_t idx)
{
        return idx < *cap ? 0 : ct__grow_to(arr, cap, elt, idx);
}

#endif /* CT_ALLOC_H */
