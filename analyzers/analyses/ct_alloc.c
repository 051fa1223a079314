/* SPDX-License-Identifier: MIT */
#include "ct_alloc.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ct_analyses.h"

/* Each block starts with a header holding its size. */
#define CT__HDR 16

static _Atomic size_t ct__allocated;

size_t ct_analyses_allocated_bytes(void)
{
        return atomic_load(&ct__allocated);
}

void *ct__malloc(size_t size)
{
        unsigned char *p = malloc(CT__HDR + size);

        if (!p) {
                return NULL;
        }
        memcpy(p, &size, sizeof(size));
        atomic_fetch_add(&ct__allocated, size);
        return p + CT__HDR;
}

void *ct__calloc(size_t n, size_t size)
{
        void *p;

        if (size && n > SIZE_MAX / size) {
                return NULL;
        }
        p = ct__malloc(n * size);
        if (p) {
                memset(p, 0, n * size);
        }
        return p;
}

void *ct__realloc(void *p, size_t size)
{
        unsigned char *base;
        size_t old;

        if (!p) {
                return ct__malloc(size);
        }
        base = (unsigned char *)p - CT__HDR;
        memcpy(&old, base, sizeof(old));
        base = realloc(base, CT__HDR + size);
        if (!base) {
                return NULL;
        }
        memcpy(base, &size, sizeof(size));
        atomic_fetch_sub(&ct__allocated, old);
        atomic_fetch_add(&ct__allocated, size);
        return base + CT__HDR;
}

void ct__free(void *p)
{
        unsigned char *base;
        size_t old;

        if (!p) {
                return;
        }
        base = (unsigned char *)p - CT__HDR;
        memcpy(&old, base, sizeof(old));
        atomic_fetch_sub(&ct__allocated, old);
        free(base);
}

char *ct__strdup(const char *s)
{
        size_t n = strlen(s ? s : "") + 1;
        char *d = ct__malloc(n);

        if (d) {
                memcpy(d, s ? s : "", n);
        }
        return d;
}

int ct__grow_to(void **arr, size_t *cap, size_t elt, size_t idx)
{
        size_t ncap;
        unsigned char *n;

        if (idx < *cap) {
                return 0;
        }
        ncap = *cap ? *cap : 16;
        while (ncap <= idx) {
                ncap *= 2;
        }
        n = ct__realloc(*arr, ncap * elt);
        if (!n) {
                return -ENOMEM;
        }
        memset(n + *cap * elt, 0, (ncap - *cap) * elt);
        *arr = n;
        *cap = ncap;
        return 0;
}
