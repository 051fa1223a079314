/* SPDX-License-Identifier: MIT */
/*
 * Attribution vectors of the critical path (ct_a_critpath.c): how much of a
 * chain of running stretches, wake-ups and blocking intervals goes to each
 * (thread, kind, object). Shared copy-on-write with a reference count, so a
 * snapshot taken at a release, signal or write costs O(1) and a chain is
 * copied only when a woken thread adopts it. A vector holds at most one item
 * per (thread, kind, object): its size is bounded by threads and objects,
 * never by events.
 */
#ifndef CT_CP_VEC_H
#define CT_CP_VEC_H

#include <stddef.h>
#include <stdint.h>

enum ct__cp_kind {
        CT__CP_RUNNING,
        CT__CP_COMPUTE,
        CT__CP_WAKEUP,
        CT__CP_LOCK,
        CT__CP_COND,
        CT__CP_PIPE_READ,
        CT__CP_PIPE_WRITE,
        CT__CP_SELECT,
        CT__CP_IO_SIM,
        CT__CP_JOIN,
        CT__CP_START,
        CT__CP_KIND_COUNT
};

/* "running", "compute", "wakeup", "lock", ... */
const char *ct__cp_kind_name(int kind);

#define CT__CP_OBJ_NONE (-1)
#define CT__CP_OBJ_TASK (-2) /* a join target: tid or pid */

/*
 * At most CT__CP_VEC_MAX items: when full, the items of the smaller half are
 * folded into one item per kind of thread CT__CP_TH_OTHER ("other threads"),
 * so a copy stays cheap; totals (and totals per kind) stay exact.
 */
#define CT__CP_VEC_MAX  128
#define CT__CP_TH_OTHER UINT32_MAX

struct ct__cp_item {
        union {
                struct {
                        uint32_t th;  /* thread idx (ct_model) */
                        int8_t kind;  /* enum ct__cp_kind */
                        int8_t okind; /* enum ct_obj_kind of obj, or CT__CP_OBJ_NONE */
                        uint16_t pad; /* 0 */
                };
                uint64_t key; /* (th, kind, okind) at once: the search compares it */
        };
        uint64_t obj;
        uint64_t ns;
};

struct ct__cp_vec {
        uint32_t refs;
        size_t n, cap;
        struct ct__cp_item *it; /* owned */
};

/* A new empty vector with one reference; NULL on -ENOMEM. */
struct ct__cp_vec *ct__cp_vec_new(void);
/* A private copy (one reference) of v (NULL: empty); NULL on -ENOMEM. */
struct ct__cp_vec *ct__cp_vec_copy(const struct ct__cp_vec *v);
static inline struct ct__cp_vec *ct__cp_vec_ref(struct ct__cp_vec *v)
{
        if (v) {
                v->refs++;
        }
        return v;
}
void ct__cp_vec_unref(struct ct__cp_vec *v);
/* Frees the vectors kept for reuse (this thread's); an engine's free calls it. */
void ct__cp_vec_drain(void);
/* Adds ns to the item (th, kind, okind, obj) of v (v must have one reference). 0 or -ENOMEM. */
int ct__cp_vec_add(struct ct__cp_vec *v, uint32_t th, int kind, int okind, uint64_t obj,
                   uint64_t ns);
uint64_t ct__cp_vec_total(const struct ct__cp_vec *v);

#endif /* CT_CP_VEC_H */
