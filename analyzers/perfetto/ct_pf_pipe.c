/* SPDX-License-Identifier: MIT */
#include "ct_pf_pipe.h"

#include <string.h>

#include "ct_pf.h"
#include "ct_pf_name.h"
#include "ct_pf_record.h"
#include "ct_pf_stack.h"
#include "ct_pf_track.h"

#define CT__PF_CHUNKS 32
#define CT__PF_EPIPE  32

/* The bytes one read or write moved, and where its slice is. */
struct ct__pf_chunk {
        uint64_t lo, hi;   /* byte range in the pipe's stream */
        uint64_t tb, te;   /* slice start/end, relative ns */
        uint32_t pid, tid; /* json ids */
        uint8_t sliced;    /* the X slice was written */
        uint8_t marked;    /* read: "data" marker written at te */
};

/* Ring of the chunks not yet matched by the other side. */
struct ct__pf_chq {
        struct ct__pf_chunk c[CT__PF_CHUNKS];
        int head, n;
};

/* One side (writers or readers) of a pipe. */
struct ct__pf_pipe_side {
        int64_t vpid; /* the last process on this side, -1 none */
        int multi;    /* several processes: offsets are per process */
        uint64_t seq; /* bytes moved (the stream offset when multi) */
        uint64_t max; /* highest byte end seen */
        struct ct__pf_chq q;
};

struct ct__pf_pipe {
        uint32_t c_pid, c_tid; /* where its counter lives */
        int64_t last_inflight; /* last counter value written, -1 none */
        struct ct__pf_pipe_side w, r;
};

static struct ct__pf_pipe *ct__pf_pipe_get(struct ct__pf *pf, uint64_t ino, struct ct__pf_thr *t)
{
        struct ct__pf_pipe *p;
        int created;

        p = ct__pf_obtain(pf, &pf->pipes, ino, 0, sizeof(*p), &created);
        if (p && created) {
                p->c_pid = t->proc->jpid;
                p->c_tid = t->jtid;
                p->w.vpid = p->r.vpid = -1;
                p->last_inflight = -1;
        }
        return p;
}

void ct__pf_pipe_create(struct ct__pf *pf, struct ct__pf_thr *t, const struct ct_event *ev)
{
        ct__pf_pipe_get(pf, ev->obj, t);
}

static struct ct__pf_chunk *ct__pf_chq_at(struct ct__pf_chq *q, int i)
{
        return &q->c[(q->head + i) % CT__PF_CHUNKS];
}

static void ct__pf_chq_pop(struct ct__pf_chq *q)
{
        q->head = (q->head + 1) % CT__PF_CHUNKS;
        q->n--;
}

static void ct__pf_chq_push(struct ct__pf_chq *q, const struct ct__pf_chunk *c)
{
        if (q->n == CT__PF_CHUNKS) /* full: forget the oldest (its flows are lost) */
                ct__pf_chq_pop(q);
        *ct__pf_chq_at(q, q->n) = *c;
        q->n++;
}

/* Forget the chunks that end at or before upto: fully matched. */
static void ct__pf_chq_prune(struct ct__pf_chq *q, uint64_t upto)
{
        while (q->n > 0 && q->c[q->head].hi <= upto)
                ct__pf_chq_pop(q);
}

/* One flow write chunk w -> read chunk r (r->marked may be updated). */
static void ct__pf_pipe_flow(struct ct__pf *pf, const struct ct__pf_chunk *w,
                             struct ct__pf_chunk *r, const char *pname)
{
        uint64_t f_ts;

        if (!w->sliced || r->te < w->tb)
                return; /* no slice to bind to, or offsets disagree with time */
        if (r->sliced && r->tb >= w->tb) {
                f_ts = r->tb;
        } else {
                if (!r->marked) {
                        ct__pf_rec_marker(pf, r->te, r->pid, r->tid, "data ", pname, NULL, 0);
                        r->marked = 1;
                }
                f_ts = r->te;
        }
        ct__pf_rec_flow(pf, "pipe", w->tb, w->pid, w->tid, f_ts, r->pid, r->tid);
}

/* Arrows between chunk c (a write if is_w) and the overlapping chunks of the
 * other side. */
static void ct__pf_pipe_match(struct ct__pf *pf, struct ct__pf_chunk *c, int is_w,
                              struct ct__pf_chq *other, const char *pname)
{
        int i;

        for (i = 0; i < other->n; i++) {
                struct ct__pf_chunk *o = ct__pf_chq_at(other, i);
                if (o->lo < c->hi && c->lo < o->hi) {
                        if (is_w)
                                ct__pf_pipe_flow(pf, c, o, pname);
                        else
                                ct__pf_pipe_flow(pf, o, c, pname);
                }
        }
}

static void ct__pf_pipe_io(struct ct__pf *pf, struct ct__pf_thr *t, const struct ct_event *ev,
                           uint64_t tb, uint64_t te, int sliced, const char *pname)
{
        struct ct__pf_pipe *p = ct__pf_pipe_get(pf, ev->obj, t);
        int is_w = ev->type == CT_EV_PIPE_WRITE_END;
        struct ct__pf_pipe_side *mine, *other;
        struct ct__pf_chunk c;
        int64_t inflight;

        if (!p || ev->ret <= 0)
                return;
        mine = is_w ? &p->w : &p->r;
        other = is_w ? &p->r : &p->w;
        if (mine->vpid >= 0 && mine->vpid != ev->vpid)
                mine->multi = 1;
        mine->vpid = ev->vpid;
        memset(&c, 0, sizeof(c));
        c.lo = mine->multi ? mine->seq : ev->offset;
        c.hi = c.lo + (uint64_t)ev->ret;
        mine->seq += (uint64_t)ev->ret;
        c.tb = tb;
        c.te = te;
        c.pid = t->proc->jpid;
        c.tid = t->jtid;
        c.sliced = (uint8_t)sliced;
        ct__pf_pipe_match(pf, &c, is_w, &other->q, pname);
        if (c.hi > mine->max)
                mine->max = c.hi;
        ct__pf_chq_prune(&other->q, mine->max);
        if (c.hi > other->max)
                ct__pf_chq_push(&mine->q, &c);
        /* read_end can precede the write_end of its bytes: clamp at 0 */
        inflight = p->w.seq > p->r.seq ? (int64_t)(p->w.seq - p->r.seq) : 0;
        if (inflight != p->last_inflight) {
                p->last_inflight = inflight;
                ct__pf_rec_counter(pf, te, p->c_pid, p->c_tid, pname, "bytes in flight", inflight);
        }
}

void ct__pf_pipe_end(struct ct__pf *pf, struct ct__pf_thr *t, const struct ct_event *ev,
                     uint64_t ts)
{
        int is_r = ev->type == CT_EV_PIPE_READ_END, sliced, first = 1;
        char tmp[CT__PF_NAME_TMP];
        const char *pn = ct__pf_name_of(pf, CT_OBJ_PIPE, ev->obj, tmp, sizeof(tmp));
        struct ct__pf_ival iv;
        uint64_t tb = ts;

        if (ct__pf_stack_close(pf, t, is_r ? CT__PF_READ : CT__PF_WRITE, 1, ev->obj, ts, ev, &iv,
                               &sliced))
                tb = iv.ts;
        ct__pf_pipe_io(pf, t, ev, tb, ts, sliced, pn);
        if (is_r && ev->ret == 0) {
                ct__pf_rec_instant(pf, ts, t->proc->jpid, t->jtid, "EOF ", pn);
                ct__pf_rec_arg_i(pf, &first, "fd", ev->fd);
                ct__pf_rec_end(pf, first);
        } else if (!is_r && ev->ret < 0 && ev->err == CT__PF_EPIPE) {
                ct__pf_rec_instant(pf, ts, t->proc->jpid, t->jtid, "EPIPE ", pn);
                ct__pf_rec_arg_i(pf, &first, "fd", ev->fd);
                ct__pf_rec_arg_u(pf, &first, "len", ev->len);
                ct__pf_rec_end(pf, first);
        }
}
