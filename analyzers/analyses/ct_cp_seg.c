/* SPDX-License-Identifier: MIT */
#include "ct_cp_seg.h"

#include <errno.h>

#include "ct_alloc.h"

void ct__cp_seg_unref(struct ct__cp_seg *s)
{
        while (s && !--s->refs) {
                struct ct__cp_seg *p = s->prev;

                ct__free(s);
                s = p;
        }
}

int ct__cp_seg_push(struct ct__cp_seg **head, uint32_t th, int kind, int okind, uint64_t obj,
                    uint64_t t0, uint64_t t1, uint64_t start)
{
        struct ct__cp_seg *h = *head, *n;

        if (t1 <= t0) {
                return 0;
        }
        if (h && h->refs == 1 && h->th == th && h->kind == kind && h->okind == okind &&
            h->obj == obj && h->t1 == t0) {
                h->t1 = t1;
                return 0;
        }
        if (h && h->depth >= CT__CP_SEG_MAX) {
                /* cut: the older part becomes one segment from the run's start */
                n = ct__calloc(1, sizeof(*n));
                if (!n) {
                        return -ENOMEM;
                }
                n->refs = 1;
                n->depth = 1;
                n->th = h->th;
                n->kind = CT__CP_SEG_EARLIER;
                n->okind = -1;
                n->t0 = start < h->t1 ? start : h->t1;
                n->t1 = h->t1;
                ct__cp_seg_unref(h);
                h = n;
        }
        n = ct__calloc(1, sizeof(*n));
        if (!n) {
                *head = h;
                return -ENOMEM;
        }
        n->refs = 1;
        n->depth = h ? h->depth + 1 : 1;
        n->prev = h; /* takes the reference */
        n->th = th;
        n->kind = (int8_t)kind;
        n->okind = (int8_t)okind;
        n->obj = obj;
        n->t0 = t0;
        n->t1 = t1;
        *head = n;
        return 0;
}
