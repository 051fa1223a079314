/* SPDX-License-Identifier: MIT */
/*
 * Findings: what held each run back, derived from the report's tables once
 * every analysis has added them (so every finding rests on figures of the
 * json report). Each rule is in docs/analyses.md ("Findings"); thresholds
 * are the CT__F_* constants of ct_findings_int.h. A finding has a stable id (kind:object),
 * its impact_ns (time on the critical path, else blocked time), a sentence,
 * the figures it rests on ("k=v ...") and where on the timeline to look.
 * Ranked: correctness problems (errors, lost data) first, then by impact.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ct_analysis.h"
#include "ct_findings.h"
#include "ct_findings_int.h"
#include "ct_report.h"

struct ct__finding *ct__f_add(struct ct__flist *l, int severity, int64_t run, const char *kind,
                              const char *obj, uint64_t impact)
{
        struct ct__finding *f;

        if (l->n == l->cap) {
                size_t nc = l->cap ? 2 * l->cap : 16;
                struct ct__finding *n = realloc(l->f, nc * sizeof(*n));

                if (!n) {
                        l->err = -ENOMEM;
                        return NULL;
                }
                l->f = n;
                l->cap = nc;
        }
        f = &l->f[l->n++];
        memset(f, 0, sizeof(*f));
        f->severity = severity;
        f->run = run;
        f->impact = impact;
        snprintf(f->kind, sizeof(f->kind), "%s", kind);
        snprintf(f->id, sizeof(f->id), "%s", kind);
        if (run >= 0) {
                snprintf(f->id + strlen(f->id), sizeof(f->id) - strlen(f->id), ":run%" PRId64, run);
        }
        if (obj && obj[0]) {
                snprintf(f->id + strlen(f->id), sizeof(f->id) - strlen(f->id), ":%s", obj);
        }
        return f;
}

/* ---- reading the tables ---- */

/* Start of trace 0 (ns), for times relative to the trace start. */
static uint64_t ct__trace_origin(const struct ct_report *r, uint32_t trace)
{
        const struct ct_table *t = ct_report_find(r, "traces");
        size_t i;

        for (i = 0; t && i < t->nrows; i++) {
                if ((uint32_t)ct__gi(t, i, "trace") == trace) {
                        return (uint64_t)ct__gi(t, i, "first_ts");
                }
        }
        return 0;
}

/* "run N (scenario variant, W workers, from +X)" for a run row of "runs"; for run < 0, "outside
 * the runs", or "the trace (it has no runs)" when there is none (a program without run markers). */
void ct__f_run_where(const struct ct_report *r, int64_t run, char *buf, size_t size)
{
        const struct ct_table *t = ct_report_find(r, "runs");
        uint64_t b, o;
        char d[32];

        if (run < 0) {
                snprintf(buf, size,
                         t && t->nrows ? "outside the runs" : "the trace (it has no runs)");
                return;
        }
        if (!t || (size_t)run >= t->nrows) {
                snprintf(buf, size, "run %" PRId64, run);
                return;
        }
        b = (uint64_t)ct__gi(t, (size_t)run, "begin_ts");
        o = ct__trace_origin(r, (uint32_t)ct__gi(t, (size_t)run, "trace"));
        snprintf(buf, size, "run %" PRId64 " (%s %s, %" PRId64 " workers, from +%s)", run,
                 ct__gs(t, (size_t)run, "scenario"), ct__gs(t, (size_t)run, "variant"),
                 ct__gi(t, (size_t)run, "workers"), ct__ns(b > o ? b - o : 0, d, sizeof(d)));
}

/* ---- rules ---- */

/* Per run: objects on the critical path (wake-ups + blocked time on them). */
struct ct__pobj {
        char obj[160], okind[16], threads[256];
        uint64_t ns;
};

static int ct__cmp_pobj(const void *a, const void *b)
{
        const struct ct__pobj *x = a, *y = b;

        return x->ns == y->ns ? strcmp(x->obj, y->obj) : x->ns > y->ns ? -1 : 1;
}

static void ct__f_path(const struct ct_report *r, struct ct__flist *l)
{
        const struct ct_table *cp = ct_report_find(r, "critical_path");
        const struct ct_table *it = ct_report_find(r, "critical_path_items");
        size_t i, j, k;

        if (!cp || !it) {
                return;
        }
        for (i = 0; i < cp->nrows; i++) {
                uint64_t d = (uint64_t)ct__gi(cp, i, "duration");
                int64_t run = ct__gi(cp, i, "run");
                struct ct__pobj *po = calloc(it->nrows ? it->nrows : 1, sizeof(*po));
                size_t np = 0;
                char where[160], a[32], b[32];

                if (!po) {
                        l->err = -ENOMEM;
                        return;
                }
                if (!d) {
                        free(po);
                        continue;
                }
                ct__f_run_where(r, run, where, sizeof(where));
                for (j = 0; j < it->nrows; j++) {
                        const char *obj = ct__gs(it, j, "object"),
                                   *ok = ct__gs(it, j, "object_kind");
                        const char *th = ct__gs(it, j, "thread");

                        if (it->parent_row[j] != i || !ok[0]) {
                                continue;
                        }
                        for (k = 0; k < np; k++) {
                                if (!strcmp(po[k].obj, obj) && !strcmp(po[k].okind, ok)) {
                                        break;
                                }
                        }
                        if (k == np) {
                                np++;
                                snprintf(po[k].obj, sizeof(po[k].obj), "%s", obj);
                                snprintf(po[k].okind, sizeof(po[k].okind), "%s", ok);
                        }
                        po[k].ns += (uint64_t)ct__gi(it, j, "ns");
                        if (!strstr(po[k].threads, th) &&
                            strlen(po[k].threads) + strlen(th) + 3 < sizeof(po[k].threads)) {
                                if (po[k].threads[0]) {
                                        strcat(po[k].threads, ", ");
                                }
                                strcat(po[k].threads, th);
                        }
                }
                qsort(po, np, sizeof(*po), ct__cmp_pobj);
                for (k = 0; k < np; k++) {
                        double share = (double)po[k].ns / (double)d;
                        struct ct__finding *f;

                        if (!strcmp(po[k].okind, "lock") && share >= CT__F_PATH_SHARE) {
                                f = ct__f_add(l, 0, run, "critical_lock", po[k].obj, po[k].ns);
                                if (!f) {
                                        break;
                                }
                                snprintf(f->text, sizeof(f->text),
                                         "Lock %s holds back run %" PRId64 ": waiting for it "
                                         "(%s) is %s (%.1f%%) of the run's critical path.",
                                         po[k].obj, run, po[k].threads,
                                         ct__ns(po[k].ns, a, sizeof(a)), share * 100.0);
                                snprintf(f->figures, sizeof(f->figures),
                                         "path_ns=%" PRIu64 " duration=%" PRIu64, po[k].ns, d);
                                snprintf(f->where, sizeof(f->where),
                                         "%s: track \"critical path (run %" PRId64
                                         ")\", the slices on %s",
                                         where, run, po[k].obj);
                        }
                        if (k < CT__F_WHAT_IF_TOP && share >= 0.01) {
                                f = ct__f_add(l, 0, run, "what_if", po[k].obj, po[k].ns);
                                if (!f) {
                                        break;
                                }
                                snprintf(f->text, sizeof(f->text),
                                         "Removing the waits on %s (%s) shortens run %" PRId64
                                         " by at most %s (%.1f%% of %s).",
                                         po[k].obj, po[k].okind, run,
                                         ct__ns(po[k].ns, a, sizeof(a)), share * 100.0,
                                         ct__ns(d, b, sizeof(b)));
                                snprintf(f->figures, sizeof(f->figures),
                                         "path_ns=%" PRIu64 " duration=%" PRIu64 " threads=%s",
                                         po[k].ns, d, po[k].threads);
                                snprintf(f->where, sizeof(f->where),
                                         "%s: track \"critical path (run %" PRId64
                                         ")\", the slices on %s",
                                         where, run, po[k].obj);
                        }
                }
                free(po);
        }
}

/* Time on run's critical path (every run's if run < 0) spent on object obj of kind okind. */
uint64_t ct__f_path_ns(const struct ct_report *r, int64_t run, const char *okind, const char *obj)
{
        const struct ct_table *cp = ct_report_find(r, "critical_path");
        const struct ct_table *it = ct_report_find(r, "critical_path_items");
        uint64_t ns = 0;
        size_t j;

        for (j = 0; cp && it && j < it->nrows; j++) {
                if (run >= 0 && (it->parent_row[j] >= cp->nrows ||
                                 ct__gi(cp, it->parent_row[j], "run") != run)) {
                        continue;
                }
                if (!strcmp(ct__gs(it, j, "object_kind"), okind) &&
                    !strcmp(ct__gs(it, j, "object"), obj)) {
                        ns += (uint64_t)ct__gi(it, j, "ns");
                }
        }
        return ns;
}

int64_t ct__f_run_of(const struct ct_report *r, int64_t trace, int64_t pid, uint64_t first,
                     uint64_t last)
{
        const struct ct_table *t = ct_report_find(r, "runs");
        int pass;
        size_t i;

        for (pass = pid >= 0 ? 0 : 1; t && pass < 2; pass++) {
                int64_t best = -1;
                uint64_t bo = 0;

                for (i = 0; i < t->nrows; i++) {
                        uint64_t b = (uint64_t)ct__gi(t, i, "begin_ts"), e, lo, hi;

                        if (ct__gi(t, i, "trace") != trace ||
                            (pass == 0 && ct__gi(t, i, "pid") != pid)) {
                                continue;
                        }
                        e = ct__has(t, i, "duration") ? b + (uint64_t)ct__gi(t, i, "duration")
                                                      : UINT64_MAX;
                        lo = first > b ? first : b;
                        hi = last < e ? last : e;
                        if (lo <= hi && hi - lo + 1 > bo) {
                                bo = hi - lo + 1;
                                best = (int64_t)i;
                        }
                }
                if (best >= 0) {
                        return best;
                }
        }
        return -1;
}

int64_t ct__f_row_run(const struct ct_report *r, const struct ct_table *t, size_t row)
{
        const struct ct_table *runs = ct_report_find(r, "runs");
        int64_t trace = ct__gi(t, row, "trace"),
                pid = ct__has(t, row, "pid") ? ct__gi(t, row, "pid") : -1;
        int64_t only = -1;
        size_t i, n = 0;

        if (ct__has(t, row, "first_ts")) {
                return ct__f_run_of(r, trace, pid, (uint64_t)ct__gi(t, row, "first_ts"),
                                    (uint64_t)ct__gi(t, row, "last_ts"));
        }
        for (i = 0; runs && i < runs->nrows; i++) {
                if (ct__gi(runs, i, "trace") == trace &&
                    (pid < 0 || ct__gi(runs, i, "pid") == pid)) {
                        only = (int64_t)i;
                        n++;
                }
        }
        return n == 1 ? only : -1;
}

int64_t ct__f_thread_run(const struct ct_report *r, size_t row)
{
        const struct ct_table *t = ct_report_find(r, "threads");
        uint64_t s;

        if (!t || row >= t->nrows) {
                return -1;
        }
        s = (uint64_t)ct__gi(t, row, "start_ts");
        return ct__f_run_of(r, ct__gi(t, row, "trace"), ct__gi(t, row, "pid"), s,
                            s + (uint64_t)ct__gi(t, row, "lifetime"));
}

size_t ct__f_thread_row(const struct ct_report *r, int64_t trace, int64_t pid, int64_t tid)
{
        const struct ct_table *t = ct_report_find(r, "threads");
        size_t i;

        for (i = 0; t && i < t->nrows; i++) {
                if (ct__gi(t, i, "trace") == trace && ct__gi(t, i, "pid") == pid &&
                    ct__gi(t, i, "tid") == tid) {
                        return i;
                }
        }
        return (size_t)-1;
}

static void ct__f_runs(const struct ct_report *r, struct ct__flist *l)
{
        const struct ct_table *t = ct_report_find(r, "runs");
        const struct ct_table *tr = ct_report_find(r, "trace");
        size_t i;

        for (i = 0; t && i < t->nrows; i++) {
                struct ct__finding *f;
                char where[160], a[32];

                if (strcmp(ct__gs(t, i, "distorted"), "yes")) {
                        continue;
                }
                ct__f_run_where(r, (int64_t)i, where, sizeof(where));
                f = ct__f_add(l, 1, (int64_t)i, "probe_effect", "",
                              (uint64_t)ct__gi(t, i, "probe_ns"));
                if (!f) {
                        return;
                }
                snprintf(f->text, sizeof(f->text),
                         "Run %zu's figures are distorted by tracing: its %" PRId64
                         " events, %" PRId64 " forked children and %" PRId64
                         " new threads cost about %s, %.1f%% of its duration; trust ratios "
                         "over absolute times, time it untraced (conctrace run or sweep), or "
                         "record at --level light.",
                         i, ct__gi(t, i, "events"), ct__gi(t, i, "forks"), ct__gi(t, i, "threads"),
                         ct__ns((uint64_t)ct__gi(t, i, "probe_ns"), a, sizeof(a)),
                         ct__gd(t, i, "probe_share") * 100.0);
                snprintf(f->figures, sizeof(f->figures),
                         "events=%" PRId64 " forks=%" PRId64 " threads=%" PRId64
                         " probe_ns=%" PRId64 " probe_share=%.4f",
                         ct__gi(t, i, "events"), ct__gi(t, i, "forks"), ct__gi(t, i, "threads"),
                         ct__gi(t, i, "probe_ns"), ct__gd(t, i, "probe_share"));
                snprintf(f->where, sizeof(f->where), "%s", where);
        }
        if (tr && tr->nrows && ct__gi(tr, 0, "discarded") > 0) {
                struct ct__finding *f = ct__f_add(l, 1, -1, "discarded", "", 0);

                if (!f) {
                        return;
                }
                snprintf(f->text, sizeof(f->text),
                         "The tracer discarded %" PRId64 " events (%" PRId64
                         " gaps): intervals cut by a gap are left out of the figures.",
                         ct__gi(tr, 0, "discarded"), ct__gi(tr, 0, "discarded_msgs"));
                snprintf(f->figures, sizeof(f->figures),
                         "discarded=%" PRId64 " discarded_msgs=%" PRId64,
                         ct__gi(tr, 0, "discarded"), ct__gi(tr, 0, "discarded_msgs"));
                snprintf(f->where, sizeof(f->where), "the discarded-events instants");
        }
}

static int ct__cmp_finding(const void *a, const void *b)
{
        const struct ct__finding *x = a, *y = b;

        if (x->severity != y->severity) {
                return y->severity - x->severity;
        }
        if (x->impact != y->impact) {
                return x->impact > y->impact ? -1 : 1;
        }
        return strcmp(x->id, y->id);
}

static const struct ct_col ct__findings_cols[] = {
    CT__INT("rank"),
    CT__STR("id"),
    CT__STR("kind"),
    {"run", CT_COL_INT, CT_COL_NOTEXT},
    CT__NS("impact_ns"),
    CT__STR("text"),
    {"figures", CT_COL_STR, CT_COL_NOTEXT},
    CT__STR("where"),
    {"trace", CT_COL_INT, CT_COL_NOTEXT},
    {"pid", CT_COL_INT, CT_COL_NOTEXT},
};

void ct__findings_add(struct ct_report *r)
{
        struct ct__flist l = {NULL, 0, 0, 0};
        struct ct_table *t;
        size_t i;

        ct__f_runs(r, &l);
        ct__f_path(r, &l);
        ct__f_conds(r, &l);
        ct__f_pipes(r, &l);
        ct__f_starvation(r, &l);
        ct__f_pools(r, &l);
        ct__f_gil(r, &l);
        ct__f_speedup(r, &l);
        ct__f_pool_underused(r, &l);
        ct__f_overlap(r, &l);
        ct__f_select_loop(r, &l);
        ct__f_shared_lock(r, &l);
        ct__f_idle_waiters(r, &l);
        ct__f_polling(r, &l);
        if (l.n) {
                qsort(l.f, l.n, sizeof(*l.f), ct__cmp_finding);
        }
        t = ct_report_add_table(r, "findings", "Findings: what held the runs back",
                                ct__findings_cols, CT__ARRAY_LEN(ct__findings_cols));
        if (t) {
                for (i = 0; i < l.n; i++) {
                        size_t row = ct_table_add_row(t);

                        ct_table_set_int(t, row, "rank", (int64_t)i + 1);
                        ct_table_set_str(t, row, "id", l.f[i].id);
                        ct_table_set_str(t, row, "kind", l.f[i].kind);
                        if (l.f[i].run >= 0) {
                                const struct ct_table *runs = ct_report_find(r, "runs");

                                ct_table_set_int(t, row, "run", l.f[i].run);
                                if (runs && (size_t)l.f[i].run < runs->nrows) {
                                        ct_table_set_int(t, row, "trace",
                                                         ct__gi(runs, (size_t)l.f[i].run, "trace"));
                                        ct_table_set_int(t, row, "pid",
                                                         ct__gi(runs, (size_t)l.f[i].run, "pid"));
                                }
                        }
                        ct_table_set_int(t, row, "impact_ns", (int64_t)l.f[i].impact);
                        ct_table_set_str(t, row, "text", l.f[i].text);
                        ct_table_set_str(t, row, "figures", l.f[i].figures);
                        ct_table_set_str(t, row, "where", l.f[i].where);
                }
                if (l.err) {
                        t->err = l.err;
                }
                /* findings open the report */
                memmove(&r->tables[1], &r->tables[0], (r->ntables - 1) * sizeof(*r->tables));
                r->tables[0] = t;
        }
        free(l.f);
}
