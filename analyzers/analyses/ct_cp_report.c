/* SPDX-License-Identifier: MIT */
/*
 * Tables of the critical path: "critical_path", one row per run (duration,
 * path total, status), and its child "critical_path_items" (json: "items"
 * of each run), the attribution ranked by time: thread, kind, object, ns,
 * share of the run. Items are bounded by threads x objects.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ct_analysis.h"
#include "ct_critpath.h"

static const struct ct_col ct__cp_cols[] = {
    CT__INT("run"),     CT__INT("trace"),     CT__STR("scenario"),
    CT__STR("variant"), CT__INT("workers"),   CT__INT("pid"),
    CT__NS("duration"), CT__NS("path_total"), CT__STR("status"),
};

static const struct ct_col ct__cp_item_cols[] = {
    CT__INT("run"),    CT__INT("rank"),
    CT__STR("thread"), CT__STR("kind"),
    CT__STR("object"), {"object_kind", CT_COL_STR, CT_COL_NOTEXT},
    CT__NS("ns"),      {"share", CT_COL_RATIO, 0},
};

static int ct__cmp_item(const void *a, const void *b)
{
        const struct ct__cp_item *x = a, *y = b;

        if (x->ns != y->ns) {
                return x->ns > y->ns ? -1 : 1;
        }
        if (x->th != y->th) {
                return x->th < y->th ? -1 : 1;
        }
        return x->kind - y->kind;
}

const char *ct__cp_obj_label(const struct ct__model *m, const struct ct__thread *th, int okind,
                             int kind, uint64_t obj, char *buf, size_t size)
{
        (void)kind;
        if (okind == CT__CP_OBJ_TASK) {
                snprintf(buf, size, "target %" PRIu64, obj);
                return buf;
        }
        if (okind >= 0) {
                return ct__obj_label(m, th->trace, okind, obj, th->vpid, buf, size);
        }
        return "";
}

void ct__critpath_tables(void *self, struct ct_report *r)
{
        const struct ct__model *m = ct__critpath_model(self);
        size_t n, i, j;
        const struct ct_critpath_run *runs = ct__critpath_runs(self, &n);
        struct ct_table *t = ct_report_add_table(r, "critical_path", "Critical path of each run",
                                                 ct__cp_cols, CT__ARRAY_LEN(ct__cp_cols));
        struct ct_table *c;

        if (!t) {
                return;
        }
        c = ct_report_add_child(r, t, "critical_path_items", "items",
                                "Critical path: what each run's time went to", ct__cp_item_cols,
                                CT__ARRAY_LEN(ct__cp_item_cols));
        if (!c) {
                return;
        }
        for (i = 0; i < n; i++) {
                const struct ct_critpath_run *x = &runs[i];
                size_t row = ct_table_add_row(t);
                uint64_t d = x->end - x->begin, tot;
                struct ct__cp_item *it;
                size_t ni;

                ct_table_set_int(t, row, "run", (int64_t)i);
                ct_table_set_int(t, row, "trace", x->trace);
                ct_table_set_str(t, row, "scenario", x->scenario);
                ct_table_set_str(t, row, "variant", x->variant);
                ct_table_set_int(t, row, "workers", x->workers);
                ct_table_set_int(t, row, "pid", x->vpid);
                if (!x->ended || !x->path) {
                        ct_table_set_str(t, row, "status", "unfinished");
                        continue;
                }
                tot = ct__cp_vec_total(x->path);
                ct_table_set_int(t, row, "duration", (int64_t)d);
                ct_table_set_int(t, row, "path_total", (int64_t)tot);
                ct_table_set_str(t, row, "status",
                                 x->cut          ? "cut by discarded events"
                                 : x->overlapped ? "overlapped by another run"
                                                 : "complete");
                ni = x->path->n;
                it = malloc((ni ? ni : 1) * sizeof(*it));
                if (!it) {
                        c->err = -ENOMEM;
                        continue;
                }
                memcpy(it, x->path->it, ni * sizeof(*it));
                qsort(it, ni, sizeof(*it), ct__cmp_item);
                for (j = 0; j < ni; j++) {
                        const struct ct__thread *th =
                            it[j].th == CT__CP_TH_OTHER ? NULL : m->threads[it[j].th];
                        size_t cr = ct_table_add_child_row(c, row);
                        char tl[256], ob[256];

                        ct_table_set_int(c, cr, "run", (int64_t)i);
                        ct_table_set_int(c, cr, "rank", (int64_t)j + 1);
                        ct_table_set_str(c, cr, "thread",
                                         th ? ct__thread_label(th, tl, sizeof(tl))
                                            : "(other threads)");
                        ct_table_set_str(c, cr, "kind", ct__cp_kind_name(it[j].kind));
                        ct_table_set_str(c, cr, "object",
                                         th ? ct__cp_obj_label(m, th, it[j].okind, it[j].kind,
                                                               it[j].obj, ob, sizeof(ob))
                                            : "");
                        if (it[j].okind >= 0) {
                                static const char *const ok[] = {"lock",  "cond", "pipe",
                                                                 "queue", "pool", "fd"};
                                ct_table_set_str(c, cr, "object_kind",
                                                 it[j].okind < 6 ? ok[it[j].okind] : "?");
                        }
                        ct_table_set_int(c, cr, "ns", (int64_t)it[j].ns);
                        if (d) {
                                ct_table_set_double(c, cr, "share", (double)it[j].ns / (double)d);
                        }
                }
                free(it);
        }
        ct_table_note(t, "the chain of running stretches, wake-ups and blocking intervals that "
                         "ends at run_end (docs/analyses.md); path_total = duration exactly");
        if (ct__critpath_err(self)) {
                t->err = ct__critpath_err(self);
        }
}
