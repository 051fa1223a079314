/* SPDX-License-Identifier: MIT */
#include "ct_cp_vec.h"

#include <stdlib.h>
#include <string.h>

#include "ct_alloc.h"

static const char *const ct__cp_kinds[CT__CP_KIND_COUNT] = {
    "running",    "compute", "wakeup", "lock", "cond",  "pipe_read",
    "pipe_write", "select",  "io_sim", "join", "start",
};

#define CT__CP_VEC_SLACK 8

const char *ct__cp_kind_name(int kind)
{
        return kind >= 0 && kind < CT__CP_KIND_COUNT ? ct__cp_kinds[kind] : "?";
}

/*
 * Vectors freed lately, kept with their items' storage for the next copy: a
 * woken thread adopts a copy of its waker's chain and the chain it had goes,
 * thousands of times a second, each a malloc and free of up to a few KiB.
 * Per thread (an engine is fed by one thread); ct__cp_vec_drain empties it.
 */
#define CT__CP_VEC_SPARES 8
static _Thread_local struct ct__cp_vec *ct__cp_spare[CT__CP_VEC_SPARES];
static _Thread_local size_t ct__cp_nspare;

static void ct__cp_vec_free(struct ct__cp_vec *v)
{
        ct__free(v->it);
        ct__free(v);
}

void ct__cp_vec_drain(void)
{
        while (ct__cp_nspare > 0) {
                ct__cp_vec_free(ct__cp_spare[--ct__cp_nspare]);
        }
}

/* A vector with one reference, no items and room for n if a spare has it
 * (the smallest that does). */
static struct ct__cp_vec *ct__cp_vec_take(size_t n)
{
        struct ct__cp_vec *v;
        size_t i, best = CT__CP_VEC_SPARES;

        for (i = 0; i < ct__cp_nspare; i++) {
                if (ct__cp_spare[i]->cap >= n &&
                    (best == CT__CP_VEC_SPARES || ct__cp_spare[i]->cap < ct__cp_spare[best]->cap)) {
                        best = i;
                }
        }
        if (best < CT__CP_VEC_SPARES) {
                v = ct__cp_spare[best];
                ct__cp_spare[best] = ct__cp_spare[--ct__cp_nspare];
                v->refs = 1;
                v->n = 0;
                return v;
        }
        v = ct__calloc(1, sizeof(*v));
        if (v) {
                v->refs = 1;
        }
        return v;
}

struct ct__cp_vec *ct__cp_vec_new(void)
{
        return ct__cp_vec_take(0);
}

struct ct__cp_vec *ct__cp_vec_copy(const struct ct__cp_vec *v)
{
        struct ct__cp_vec *c;

        if (!v || !v->n) {
                return ct__cp_vec_take(0);
        }
        c = ct__cp_vec_take(v->n);
        if (!c) {
                return NULL;
        }
        if (c->cap < v->n) {
                /* room for the few items an adopter adds: no realloc right after */
                ct__free(c->it);
                c->cap = v->n + CT__CP_VEC_SLACK;
                c->it = ct__malloc(c->cap * sizeof(*c->it));
                if (!c->it) {
                        ct__free(c);
                        return NULL;
                }
        }
        memcpy(c->it, v->it, v->n * sizeof(*c->it));
        c->n = v->n;
        return c;
}

void ct__cp_vec_unref(struct ct__cp_vec *v)
{
        if (v && !--v->refs) {
                size_t i, small = 0;

                if (ct__cp_nspare < CT__CP_VEC_SPARES) {
                        ct__cp_spare[ct__cp_nspare++] = v;
                        return;
                }
                for (i = 1; i < CT__CP_VEC_SPARES; i++) {
                        if (ct__cp_spare[i]->cap < ct__cp_spare[small]->cap) {
                                small = i;
                        }
                }
                if (ct__cp_spare[small]->cap < v->cap) { /* keep the larger */
                        struct ct__cp_vec *x = ct__cp_spare[small];

                        ct__cp_spare[small] = v;
                        v = x;
                }
                ct__cp_vec_free(v);
        }
}

/* The key of (th, kind, okind): an item's three fields and its zero padding. */
static inline uint64_t ct__cp_key(uint32_t th, int kind, int okind)
{
        struct ct__cp_item x;

        x.key = 0;
        x.th = th;
        x.kind = (int8_t)kind;
        x.okind = (int8_t)okind;
        return x.key;
}

static int ct__cmp_ns_desc(const void *a, const void *b)
{
        const struct ct__cp_item *x = a, *y = b;

        return x->ns == y->ns ? 0 : x->ns > y->ns ? -1 : 1;
}

/* Keeps the larger half of the items, folds the others into (other threads, kind). */
static void ct__cp_vec_fold(struct ct__cp_vec *v)
{
        uint64_t other[CT__CP_KIND_COUNT] = {0};
        size_t keep = CT__CP_VEC_MAX / 2, i, n = 0;
        int k;

        qsort(v->it, v->n, sizeof(*v->it), ct__cmp_ns_desc);
        for (i = 0; i < v->n; i++) {
                struct ct__cp_item x = v->it[i];

                if (n < keep && x.th != CT__CP_TH_OTHER) {
                        v->it[n++] = x; /* n <= i: in place */
                } else {
                        other[x.kind] += x.ns;
                }
        }
        for (k = 0; k < CT__CP_KIND_COUNT; k++) {
                if (other[k]) {
                        v->it[n].key = ct__cp_key(CT__CP_TH_OTHER, k, CT__CP_OBJ_NONE);
                        v->it[n].obj = 0;
                        v->it[n].ns = other[k];
                        n++;
                }
        }
        v->n = n;
}

int ct__cp_vec_add(struct ct__cp_vec *v, uint32_t th, int kind, int okind, uint64_t obj,
                   uint64_t ns)
{
        uint64_t key = ct__cp_key(th, kind, okind);
        size_t i;

        if (!ns) {
                return 0;
        }
        /* most recent items last: search backwards (the thread's own items are recent) */
        for (i = v->n; i-- > 0;) {
                struct ct__cp_item *x = &v->it[i];

                if (x->key == key && x->obj == obj) {
                        x->ns += ns;
                        return 0;
                }
        }
        if (v->n >= CT__CP_VEC_MAX) {
                ct__cp_vec_fold(v);
                if (th != CT__CP_TH_OTHER) {
                        return ct__cp_vec_add(v, th, kind, okind, obj, ns);
                }
        }
        if (ct__grow((void **)&v->it, &v->cap, sizeof(*v->it), v->n) < 0) {
                return -1;
        }
        v->it[v->n].key = key;
        v->it[v->n].obj = obj;
        v->it[v->n].ns = ns;
        v->n++;
        return 0;
}

uint64_t ct__cp_vec_total(const struct ct__cp_vec *v)
{
        uint64_t t = 0;
        size_t i;

        for (i = 0; v && i < v->n; i++) {
                t += v->it[i].ns;
        }
        return t;
}
