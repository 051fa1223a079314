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
        struct ct__model *m; /* owned */
        struct ct_consumer mcons;
        struct ct__analysis an; /* an.cons.self owned */
        int have_an, in_trace;
        uint32_t trace;
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
        uint32_t tid;

        size_t n;
        const struct ct_critpath_run *runs = ct__critpath_runs(cp->an.cons.self, &n);

        if (!p || !r->segs) {
                return;
        }
        /* the run's index, as in the report's critical_path table */
        snprintf(name, sizeof(name), "critical path (run %zu)", (size_t)(r - runs));
        tid = ct__pf_track_new_tid(pf, p, name, 1);
        for (g = r->segs; g; g = g->prev) {
                int first = 1;

                ct__pf_rec_begin(pf, "X", ct__pf_cp_rel(pf, g->t0), p->jpid, tid);
                ct__pf_json_str(&pf->json, ",\"dur\":");
                ct__pf_json_us(&pf->json, g->t1 - g->t0);
                ct__pf_rec_name(pf, ct__pf_cp_label(cp->m, g, label, sizeof(label)), NULL);
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
        ct__critpath_segments(cp->an.cons.self, ct__pf_cp_draw, cp);
        return cp;
}

void ct__pf_cp_event(struct ct__pf_cp *cp, const struct ct_event *ev)
{
        if (!cp) {
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

        if (!cp || !cp->in_trace) {
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
        ct__model_destroy(cp->m);
        free(cp);
}
