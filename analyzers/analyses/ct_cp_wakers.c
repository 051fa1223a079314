/* SPDX-License-Identifier: MIT */
/*
 * The wakers of the critical path (ct_a_critpath.c): the snapshots stored at
 * each event that can wake a thread, and the lookup of the waker of a
 * blocking interval (rules in ct_a_critpath.c's header comment).
 */
#include <errno.h>
#include <string.h>

#include "ct_alloc.h"
#include "ct_cp_engine.h"

static struct ct__cp_pipe *ct__cp_pipe(struct ct__critpath *s, uint32_t trace, uint64_t pipe,
                                       int create)
{
        struct ct__key k = ct__key3(trace, pipe, 0);
        struct ct__cp_pipe **p = ct__map_get(&s->pipes, k);

        if (p || !create) {
                return p ? *p : NULL;
        }
        p = ct__map_put(&s->pipes, k, NULL);
        if (!p || !(*p = ct__calloc(1, sizeof(**p)))) {
                if (p) {
                        ct__map_del(&s->pipes, k);
                }
                s->err = -ENOMEM;
                return NULL;
        }
        (*p)->writer = -2; /* none yet */
        return *p;
}

static struct ct__cp_snap *ct__cp_objsnap(struct ct__critpath *s, struct ct__map *m, uint32_t trace,
                                          uint64_t obj)
{
        struct ct__cp_snap *sn = ct__map_put(m, ct__key3(trace, obj, 0), NULL);

        if (!sn) {
                s->err = -ENOMEM;
        }
        return sn;
}

/* The earliest write of p that ended in [b, e]. */
static const struct ct__cp_snap *ct__cp_write_in(const struct ct__cp_pipe *p, uint64_t b,
                                                 uint64_t e)
{
        size_t i;

        for (i = 0; p && i < p->nw; i++) {
                const struct ct__cp_write *w = &p->w[(p->head + i) % CT__CP_RING];

                if (w->s.ts >= b && w->s.ts <= e) {
                        return &w->s;
                }
        }
        return NULL;
}

/* The write whose bytes a read at reader offset off (returning data) got first. */
static const struct ct__cp_snap *ct__cp_read_waker(const struct ct__cp_pipe *p, uint64_t off,
                                                   uint64_t b, uint64_t e)
{
        size_t i;

        if (!p) {
                return NULL;
        }
        if (p->writer >= 0) {
                for (i = 0; i < p->nw; i++) {
                        const struct ct__cp_write *w = &p->w[(p->head + i) % CT__CP_RING];

                        if (off >= w->off0 && off < w->off1) {
                                return &w->s;
                        }
                }
        }
        return ct__cp_write_in(p, b, e);
}

/* The waker of x's outermost blocking interval, ended by ev; NULL if none. */
const struct ct__cp_snap *ct__cp_waker(struct ct__critpath *s, struct ct__cp_th *x, uint32_t idx,
                                       const struct ct_event *ev)
{
        const struct ct__cp_snap *w = NULL;
        const struct ct__cp_pipe *p;
        uint64_t pipe;

        switch (ev->type) {
        case CT_EV_LOCK_ACQUIRE:
                w = ct__map_get(&s->locks, ct__key3(ev->trace, ev->obj, 0));
                if (w && w->th == idx) {
                        w = NULL;
                }
                break;
        case CT_EV_COND_WAIT_END:
                if (!ev->timedout) {
                        w = ct__map_get(&s->conds, ct__key3(ev->trace, ev->obj, 0));
                }
                break;
        case CT_EV_PIPE_READ_END:
                p = ct__cp_pipe(s, ev->trace, ev->obj, 0);
                if (ev->ret > 0) {
                        w = ct__cp_read_waker(p, ev->offset, x->b, ev->ts);
                } else if (ev->ret == 0 && p) {
                        w = &p->close_w;
                }
                break;
        case CT_EV_PIPE_WRITE_END:
                p = ct__cp_pipe(s, ev->trace, ev->obj, 0);
                w = p ? &p->rd : NULL;
                break;
        case CT_EV_SELECT_END:
                if (ev->ret > 0 && ev->ready_len > 0) {
                        pipe = ct__fdtab_pipe(&s->fds, ev->trace, ev->vpid, ev->ready[0]);
                        w = ct__cp_write_in(ct__cp_pipe(s, ev->trace, pipe, 0), x->b, ev->ts);
                        if (pipe) {
                                x->bokind = CT_OBJ_PIPE; /* the select is on this pipe's fd */
                                x->bobj = pipe;
                        }
                }
                break;
        default:
                break;
        }
        if (w && w->valid && w->ts >= x->b && w->ts <= ev->ts && w->th != idx) {
                return w;
        }
        return NULL;
}

/* Snapshot of the join target's last event into out (valid = 0 if unknown). */
void ct__cp_join_waker(struct ct__critpath *s, const struct ct_event *ev, struct ct__cp_snap *out)
{
        struct ct__key k = ct__key3(ev->trace, (uint64_t)ev->vpid, (uint64_t)ev->target);
        struct ct__cp_snap *sn = ct__map_get(&s->ended, k);
        const uint32_t *idx;

        if (!sn) {
                k = ct__key3(ev->trace, (uint64_t)ev->target, (uint64_t)ev->target);
                sn = ct__map_get(&s->ended, k);
        }
        if (sn) { /* ended: hand its snapshot over, joined once */
                *out = *sn;
                ct__map_del(&s->ended, k);
                return;
        }
        idx = ct__map_get(&s->m->by_id,
                          ct__key3(ev->trace, (uint64_t)ev->vpid, (uint64_t)ev->target));
        if (!idx) {
                idx = ct__map_get(&s->m->by_id,
                                  ct__key3(ev->trace, (uint64_t)ev->target, (uint64_t)ev->target));
        }
        if (!idx || *idx >= s->cap || !s->th[*idx].seen || s->th[*idx].gen != s->gen) {
                return; /* unknown, or its last event was before the run */
        }
        ct__cp_take(s, &s->th[*idx], *idx, s->m->threads[*idx]->last_ts, out);
}

/* A thread ended: its chain waits in `ended` for a join; the thread lets it go. */
void ct__cp_thread_end(struct ct__critpath *s, struct ct__cp_th *x, const struct ct__thread *t,
                       const struct ct_event *ev)
{
        struct ct__cp_snap *sn = ct__map_put(
            &s->ended, ct__key3(ev->trace, (uint64_t)ev->vpid, (uint64_t)ev->vtid), NULL);

        if (!sn) {
                s->err = -ENOMEM;
                return;
        }
        ct__cp_take(s, x, t->idx, ev->ts, sn);
        ct__cp_set_chain(x, NULL, NULL, ev->ts);
}

/* Forgets the snapshots of ended threads (of an older run: no use in the new one). */
void ct__cp_clear_ended(struct ct__critpath *s)
{
        struct ct__cp_snap *sn;
        struct ct__key k;
        size_t i = 0;

        while ((sn = ct__map_next(&s->ended, &i, &k))) {
                ct__snap_clear(sn);
        }
        ct__map_fini(&s->ended);
        ct__map_init(&s->ended, sizeof(struct ct__cp_snap));
}

void ct__cp_wakers(struct ct__critpath *s, struct ct__cp_th *x, uint32_t idx,
                   const struct ct_event *ev)
{
        struct ct__cp_pipe *p;
        struct ct__cp_snap *sn;
        struct ct__cp_write *w;

        switch (ev->type) {
        case CT_EV_LOCK_RELEASE:
                sn = ct__cp_objsnap(s, &s->locks, ev->trace, ev->obj);
                if (sn) {
                        ct__cp_take(s, x, idx, ev->ts, sn);
                }
                break;
        case CT_EV_COND_SIGNAL:
        case CT_EV_COND_BROADCAST:
                sn = ct__cp_objsnap(s, &s->conds, ev->trace, ev->obj);
                if (sn) {
                        ct__cp_take(s, x, idx, ev->ts, sn);
                }
                break;
        case CT_EV_PIPE_WRITE_END:
                p = ct__cp_pipe(s, ev->trace, ev->obj, 1);
                if (!p || ev->ret <= 0) {
                        break;
                }
                if (p->writer == -2) {
                        p->writer = ev->vpid;
                } else if (p->writer != ev->vpid) {
                        p->writer = -1;
                }
                if (p->nw == CT__CP_RING) {
                        ct__snap_clear(&p->w[p->head].s);
                        p->head = (p->head + 1) % CT__CP_RING;
                        p->nw--;
                }
                w = &p->w[(p->head + p->nw) % CT__CP_RING];
                p->nw++;
                ct__cp_take(s, x, idx, ev->ts, &w->s);
                w->vpid = ev->vpid;
                w->off0 = ev->offset;
                w->off1 = ev->offset + (uint64_t)ev->ret;
                break;
        case CT_EV_PIPE_READ_END:
                p = ct__cp_pipe(s, ev->trace, ev->obj, 1);
                if (p && ev->ret > 0) {
                        ct__cp_take(s, x, idx, ev->ts, &p->rd);
                }
                break;
        case CT_EV_PIPE_CLOSE:
                p = ct__cp_pipe(s, ev->trace, ev->obj, ev->kind == CT_PIPE_END_WRITE);
                if (p && ev->kind == CT_PIPE_END_WRITE) {
                        ct__cp_take(s, x, idx, ev->ts, &p->close_w);
                }
                break;
        case CT_EV_FORK:
                sn = ct__cp_objsnap(s, &s->forks, ev->trace, (uint64_t)ev->target);
                if (sn) {
                        ct__cp_take(s, x, idx, ev->ts, sn);
                }
                break;
        default:
                break;
        }
}
