/* SPDX-License-Identifier: MIT */
#include "ct_pf_critpath.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ct_analysis.h"
#include "ct_critpath.h"
#include "ct_model.h"
#include "ct_pf.h"
#include "ct_pf_json.h"
#include "ct_pf_record.h"
#include "ct_pf_track.h"

struct ct__pf_cp {
        struct ct__pf *pf;   /* weak */
        struct ct__model *m; /* owned, or weak (shared: the engine's) */
        struct ct_consumer mcons;
        struct ct__analysis an; /* an.cons.self owned */
        int have_an, in_trace;
        uint32_t trace;
        void *engine; /* weak: an.cons.self, or the shared engine */
        int shared;   /* the engine is fed by its owner (ct__pf_cp_share) */
};

static uint64_t ct__pf_cp_rel(const struct ct__pf *pf, uint64_t ts)
{
        return pf->have_origin && ts >= pf->origin ? ts - pf->origin : 0;
}

/* "thread kind object" of a segment into buf. */
static const char *ct__pf_cp_label(const struct ct__model *m, const struct ct__cp_seg *g, char *buf,
                                   size_t size)
{
        const struct ct__thread *th = g->th < m->nthreads ? m->threads[g->th] : NULL;
        char tl[160], ob[160];
        const char *o;

        if (g->kind == CT__CP_SEG_EARLIER || !th) {
                snprintf(buf, size, "earlier part of the path");
                return buf;
        }
        o = ct__cp_obj_label(m, th, g->okind, g->kind, g->obj, ob, sizeof(ob));
        snprintf(buf, size, "%s %s%s%s", ct__thread_label(th, tl, sizeof(tl)),
                 ct__cp_kind_name(g->kind), o[0] ? " " : "", o);
        return buf;
}

static void ct__pf_cp_draw(void *arg, const struct ct_critpath_run *r)
{
        struct ct__pf_cp *cp = arg;
        struct ct__pf *pf = cp->pf;
        struct ct__pf_proc *p = ct__pf_track_proc(pf, r->vpid);
        const struct ct__cp_seg *g;
        char name[64], label[400];
        const struct ct__cp_seg **order;
        size_t nseg, i;
        uint32_t tid;

        size_t n;
        const struct ct_critpath_run *runs = ct__critpath_runs(cp->engine, &n);

        if (pf->finished || pf->json.err || !p || !r->segs) {
                return;
        }
        /* the run's index, as in the report's critical_path table */
        snprintf(name, sizeof(name), "critical path (run %zu)", (size_t)(r - runs));
        tid = ct__pf_track_new_tid(pf, p, name, 1);
        /* oldest segment first: the native format's trace processor keeps
         * file order at equal times, so a segment must come after the one
         * it follows (the JSON importer does not mind) */
        for (nseg = 0, g = r->segs; g; g = g->prev)
                nseg++;
        order = malloc(nseg * sizeof(*order));
        if (!order) {
                ct__pf_fail(pf, -ENOMEM);
                return;
        }
        for (i = nseg, g = r->segs; g; g = g->prev)
                order[--i] = g;
        for (i = 0; i < nseg; i++) {
                int first = 1;

                g = order[i];
                ct__pf_rec_slice(pf, ct__pf_cp_rel(pf, g->t0), g->t1 - g->t0, p->jpid, tid,
                                 ct__pf_cp_label(cp->m, g, label, sizeof(label)), NULL, NULL);
                ct__pf_rec_arg_s(pf, &first, "kind",
                                 g->kind == CT__CP_SEG_EARLIER ? "earlier"
                                                               : ct__cp_kind_name(g->kind));
                ct__pf_rec_end(pf, first);
                /* a hand-off: the older segment is another thread's */
                if (g->prev && g->prev->th != g->th) {
                        ct__pf_rec_flow(pf, "critical path", ct__pf_cp_rel(pf, g->prev->t1 - 1),
                                        p->jpid, tid, ct__pf_cp_rel(pf, g->t0), p->jpid, tid);
                }
        }
        free(order);
}

struct ct__pf_cp *ct__pf_cp_create(struct ct__pf *pf)
{
        struct ct__pf_cp *cp = calloc(1, sizeof(*cp));

        if (!cp) {
                return NULL;
        }
        cp->pf = pf;
        if (ct__model_create(&cp->m, &cp->mcons) || ct__critpath_create(cp->m, NULL, &cp->an)) {
                ct__pf_cp_free(cp);
                return NULL;
        }
        cp->have_an = 1;
        cp->engine = cp->an.cons.self;
        ct__critpath_segments(cp->engine, ct__pf_cp_draw, cp);
        return cp;
}

int ct__pf_cp_share(struct ct__pf_cp *cp, void *engine)
{
        int ret;

        if (!cp || !engine || cp->in_trace) {
                return -EINVAL;
        }
        ret = ct__critpath_segments(engine, ct__pf_cp_draw, cp);
        if (ret) {
                return ret;
        }
        cp->an.free(cp->an.cons.self);
        cp->have_an = 0;
        ct__model_destroy(cp->m);
        cp->m = ct__critpath_model(engine);
        cp->engine = engine;
        cp->shared = 1;
        return 0;
}

void ct__pf_cp_event(struct ct__pf_cp *cp, const struct ct_event *ev)
{
        if (!cp) {
                return;
        }
        if (cp->shared) {
                if (cp->m->err || ct__critpath_err(cp->engine)) {
                        ct__pf_fail(cp->pf, -ENOMEM);
                }
                return;
        }
        if (!cp->in_trace || ev->trace != cp->trace) {
                cp->in_trace = 1;
                cp->trace = ev->trace;
                cp->mcons.on_trace_begin(cp->mcons.self, ev->trace, NULL);
        }
        cp->mcons.on_event(cp->mcons.self, ev);
        cp->an.cons.on_event(cp->an.cons.self, ev);
        if (cp->m->err || ct__critpath_err(cp->an.cons.self)) {
                ct__pf_fail(cp->pf, -ENOMEM);
        }
}

void ct__pf_cp_trace_end(struct ct__pf_cp *cp, const struct ct_trace_info *info)
{
        struct ct_trace_info none;

        if (!cp || cp->shared || !cp->in_trace) {
                return;
        }
        if (!info) {
                memset(&none, 0, sizeof(none));
                none.trace = cp->trace;
                info = &none;
        }
        cp->in_trace = 0;
        if (cp->mcons.on_trace_end) {
                cp->mcons.on_trace_end(cp->mcons.self, info);
        }
        cp->an.cons.on_trace_end(cp->an.cons.self, info);
}

void ct__pf_cp_free(struct ct__pf_cp *cp)
{
        if (!cp) {
                return;
        }
        if (cp->have_an) {
                cp->an.free(cp->an.cons.self);
        }
        if (!cp->shared) {
                ct__model_destroy(cp->m);
        }
        free(cp);
}
