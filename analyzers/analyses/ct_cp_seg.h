/* SPDX-License-Identifier: MIT */
/*
 * Segments of a critical path, for drawing it (the Perfetto "critical path"
 * track): a persistent list, newest first, shared by reference between the
 * chains of the threads and the wakers' snapshots (an adoption is O(1)).
 * Adjacent segments of the same (thread, kind, object) merge while the list
 * head is not shared. A chain longer than CT__CP_SEG_MAX segments is cut: its
 * older part becomes one CT__CP_SEG_EARLIER segment from the run's start.
 * Only built when asked (ct__critpath_segments); the attribution (ct_cp_vec)
 * does not need it.
 */
#ifndef CT_CP_SEG_H
#define CT_CP_SEG_H

#include <stdint.h>

#define CT__CP_SEG_MAX     4096
#define CT__CP_SEG_EARLIER (-1) /* kind of the segment that stands for a cut older part */

struct ct__cp_seg {
        uint32_t refs;
        uint32_t depth;          /* segments from here to the oldest */
        struct ct__cp_seg *prev; /* owned reference: the older segment, NULL at the start */
        uint32_t th;
        int8_t kind, okind; /* enum ct__cp_kind (or CT__CP_SEG_EARLIER), object kind */
        uint64_t obj;
        uint64_t t0, t1;
};

static inline struct ct__cp_seg *ct__cp_seg_ref(struct ct__cp_seg *s)
{
        if (s) {
                s->refs++;
        }
        return s;
}
void ct__cp_seg_unref(struct ct__cp_seg *s);

/*
 * Pushes [t0, t1] of (th, kind, okind, obj) onto *head (an owned reference,
 * replaced); nothing if t1 <= t0. start: the run's start, for a cut. 0 or
 * -ENOMEM.
 */
int ct__cp_seg_push(struct ct__cp_seg **head, uint32_t th, int kind, int okind, uint64_t obj,
                    uint64_t t0, uint64_t t1, uint64_t start);

#endif /* CT_CP_SEG_H */
