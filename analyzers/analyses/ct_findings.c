/* SPDX-License-Identifier: MIT */
/*
 * Findings: what held each run back, derived from the report's tables once
 * every analysis has added them (so every finding rests on figures of the
 * json report). Each rule is in docs/analyses.md ("Findings"); thresholds
 * are the CT__F_* constants below. A finding has a stable id (kind:object),
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
#include "ct_report.h"

#define CT__F_PATH_SHARE    0.05     /* an object's share of a run's critical path to report it */
#define CT__F_WHAT_IF_TOP   3        /* what-if bounds: the top objects of each run's path */
#define CT__F_REWAIT_MIN    5        /* re-waits: at least this many ... */
#define CT__F_REWAIT_SHARE  0.10     /* ... and this share of the waits */
#define CT__F_CHATTY        4.0      /* starvation: chatty pipe's writes / quiet pipe's */
#define CT__F_STARVE_RATIO  2.0      /* quiet pipe's mean latency / chatty pipe's */
#define CT__F_STARVE_MIN_NS 10000000 /* quiet pipe's mean latency: at least 10 ms */
#define CT__F_IMBALANCE     1.5      /* pool: busiest worker / mean */
#define CT__F_EFFICIENCY    0.5      /* speedup / workers below this */
#define CT__F_GIL_SHARE     0.10     /* GIL waits: share of the threads' lifetimes */

struct ct__finding {
        int severity; /* 1: correctness, 0: performance */
        int64_t run;  /* -1: not of one run */
        uint64_t impact;
        char id[160];
        char kind[32];
        char text[768];
        char figures[384];
        char where[256];
};

struct ct__flist {
        struct ct__finding *f;
        size_t n, cap;
        int err;
};

static struct ct__finding *ct__f_add(struct ct__flist *l, int severity, int64_t run,
                                     const char *kind, const char *obj, uint64_t impact)
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

static int64_t ct__gi(const struct ct_table *t, size_t row, const char *col)
{
        const struct ct_cell *c = ct_table_cell(t, row, col);

        return c && c->set ? c->i : 0;
}

static int ct__has(const struct ct_table *t, size_t row, const char *col)
{
        const struct ct_cell *c = ct_table_cell(t, row, col);

        return c && c->set;
}

static double ct__gd(const struct ct_table *t, size_t row, const char *col)
{
        const struct ct_cell *c = ct_table_cell(t, row, col);

        return c && c->set ? c->d : 0.0;
}

static const char *ct__gs(const struct ct_table *t, size_t row, const char *col)
{
        const struct ct_cell *c = ct_table_cell(t, row, col);

        return c && c->set && c->s ? c->s : "";
}

static const char *ct__ns(uint64_t ns, char *buf, size_t size)
{
        return ct_report_fmt_ns((int64_t)ns, buf, size);
}

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

/* "run N (scenario variant, W workers) at +X s" for a run row of "runs". */
static void ct__run_where(const struct ct_report *r, int64_t run, char *buf, size_t size)
{
        const struct ct_table *t = ct_report_find(r, "runs");
        uint64_t b, o;
        char d[32];

        if (!t || run < 0 || (size_t)run >= t->nrows) {
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
                ct__run_where(r, run, where, sizeof(where));
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
                                         "%s: the critical path track, wake-ups on %s", where,
                                         po[k].obj);
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
                                snprintf(f->where, sizeof(f->where), "%s: the critical path track",
                                         where);
                        }
                }
                free(po);
        }
}

/* Time on the critical paths of all runs spent on object obj (label) of kind okind. */
static uint64_t ct__path_ns(const struct ct_report *r, const char *okind, const char *obj)
{
        const struct ct_table *it = ct_report_find(r, "critical_path_items");
        uint64_t ns = 0;
        size_t j;

        for (j = 0; it && j < it->nrows; j++) {
                if (!strcmp(ct__gs(it, j, "object_kind"), okind) &&
                    !strcmp(ct__gs(it, j, "object"), obj)) {
                        ns += (uint64_t)ct__gi(it, j, "ns");
                }
        }
        return ns;
}

static void ct__f_conds(const struct ct_report *r, struct ct__flist *l)
{
        const struct ct_table *t = ct_report_find(r, "conds");
        size_t i;

        for (i = 0; t && i < t->nrows; i++) {
                const char *c = ct__gs(t, i, "cond");
                int64_t waits = ct__gi(t, i, "waits"), rw = ct__gi(t, i, "rewaits");
                int64_t nw = ct__gi(t, i, "no_waiter");
                int64_t to = ct__gi(t, i, "timeouts"), un = ct__gi(t, i, "unfinished");
                uint64_t wt = (uint64_t)ct__gi(t, i, "wait_total"), pn = ct__path_ns(r, "cond", c);
                struct ct__finding *f;
                char a[32];

                /* the GIL model's condvar (GIL.cond): its wake-ups are the gil finding's */
                if (rw >= CT__F_REWAIT_MIN && (double)rw >= CT__F_REWAIT_SHARE * (double)waits &&
                    strncasecmp(c, "GIL.", 4)) {
                        uint64_t imp =
                            pn ? pn : (uint64_t)((double)wt * (double)rw / (double)waits);

                        f = ct__f_add(l, 0, -1, "rewaits", c, imp);
                        if (!f) {
                                return;
                        }
                        snprintf(f->text, sizeof(f->text),
                                 "%" PRId64 " of the %" PRId64 " waits on %s were re-waits "
                                 "(woken, found the predicate false, slept again): the cost of "
                                 "notify_all (or spurious wake-ups)%s%s%s.",
                                 rw, waits, c, pn ? "; " : "", pn ? ct__ns(pn, a, sizeof(a)) : "",
                                 pn ? " of waits on it are on the critical path" : "");
                        snprintf(f->figures, sizeof(f->figures),
                                 "rewaits=%" PRId64 " waits=%" PRId64 " broadcasts=%" PRId64
                                 " wait_total=%" PRIu64 " path_ns=%" PRIu64,
                                 rw, waits, ct__gi(t, i, "broadcasts"), wt, pn);
                        snprintf(f->where, sizeof(f->where),
                                 "the cond waits on %s that follow each broadcast", c);
                }
                if (nw > 0 && (to > 0 || un > 0)) {
                        f = ct__f_add(l, 1, -1, "lost_signal", c, wt);
                        if (!f) {
                                return;
                        }
                        snprintf(f->text, sizeof(f->text),
                                 "%" PRId64 " notifications of %s found no waiter, and %" PRId64
                                 " waits on it then timed out or never ended: a lost signal "
                                 "(notify before the waiter checked its predicate).",
                                 nw, c, to + un);
                        snprintf(f->figures, sizeof(f->figures),
                                 "no_waiter=%" PRId64 " timeouts=%" PRId64 " unfinished=%" PRId64,
                                 nw, to, un);
                        snprintf(f->where, sizeof(f->where), "the signals on %s with no waiter", c);
                }
        }
}

static void ct__f_pipes(const struct ct_report *r, struct ct__flist *l)
{
        const struct ct_table *t = ct_report_find(r, "pipes");
        const struct ct_table *tr = ct_report_find(r, "trace");
        uint64_t thr = tr ? (uint64_t)ct__gi(tr, 0, "blocked_write_threshold") : 0;
        size_t i;

        for (i = 0; t && i < t->nrows; i++) {
                const char *p = ct__gs(t, i, "pipe");
                int64_t bw = ct__gi(t, i, "blocked_writes"), ep = ct__gi(t, i, "epipe");
                uint64_t wt = (uint64_t)ct__gi(t, i, "write_time"), pn = ct__path_ns(r, "pipe", p);
                struct ct__finding *f;
                char a[32], b[32];

                if (ep > 0) {
                        f = ct__f_add(l, 1, -1, "epipe", p, wt);
                        if (!f) {
                                return;
                        }
                        snprintf(f->text, sizeof(f->text),
                                 "%" PRId64 " writes to %s failed with EPIPE: the reading end "
                                 "was closed while the writer still wrote (%" PRId64
                                 " bytes written, %" PRId64 " read).",
                                 ep, p, ct__gi(t, i, "bytes_written"), ct__gi(t, i, "bytes_read"));
                        snprintf(f->figures, sizeof(f->figures),
                                 "epipe=%" PRId64 " bytes_written=%" PRId64 " bytes_read=%" PRId64,
                                 ep, ct__gi(t, i, "bytes_written"), ct__gi(t, i, "bytes_read"));
                        snprintf(f->where, sizeof(f->where),
                                 "the EPIPE instants on the writer's track of %s", p);
                }
                if (bw > 0) {
                        f = ct__f_add(l, 0, -1, "pipe_full", p, wt);
                        if (!f) {
                                return;
                        }
                        snprintf(f->text, sizeof(f->text),
                                 "The writer of %s blocked %" PRId64 " times on a full pipe "
                                 "(writes longer than %s; %s writing in all): its reader is "
                                 "slower than it.",
                                 p, bw, ct__ns(thr, a, sizeof(a)), ct__ns(wt, b, sizeof(b)));
                        snprintf(f->figures, sizeof(f->figures),
                                 "blocked_writes=%" PRId64 " write_time=%" PRIu64
                                 " path_ns=%" PRIu64,
                                 bw, wt, pn);
                        snprintf(f->where, sizeof(f->where),
                                 "the long pipe_write slices of %s and the reads that end them", p);
                }
        }
}

/* 1 if pipe row pr of "pipes" is among the fds of select row sr (select_fds). */
static int ct__in_select(const struct ct_table *pipes, size_t pr, const struct ct_table *fds,
                         size_t sr)
{
        size_t j;

        for (j = 0; j < fds->nrows; j++) {
                if (fds->parent_row[j] == sr &&
                    ct__gi(fds, j, "pipe") == ct__gi(pipes, pr, "inode") &&
                    ct__gi(fds, j, "trace") == ct__gi(pipes, pr, "trace")) {
                        return 1;
                }
        }
        return 0;
}

/*
 * A quiet writer starved by a chatty one in a select loop: among the pipes
 * whose read ends one thread selects on, the chatty pipe has >= CT__F_CHATTY
 * x the writes of another, whose messages waited >= CT__F_STARVE_RATIO x
 * longer on average (write -> read latency) and >= CT__F_STARVE_MIN_NS. One
 * finding per select thread: its most starved pipe.
 */
static void ct__f_starvation(const struct ct_report *r, struct ct__flist *l)
{
        const struct ct_table *t = ct_report_find(r, "pipes");
        const struct ct_table *sel = ct_report_find(r, "selects");
        const struct ct_table *fds = ct_report_find(r, "select_fds");
        size_t s, i, j;

        for (s = 0; t && sel && fds && s < sel->nrows; s++) {
                size_t worst = (size_t)-1, chatty = 0, nq = 0;
                uint64_t lw = 0, lc = 0;
                struct ct__finding *f;
                char a[32], b[32];

                for (i = 0; i < t->nrows; i++) {
                        int64_t wi = ct__gi(t, i, "writes");
                        uint64_t li = (uint64_t)ct__gi(t, i, "latency_mean");
                        size_t quiet = 0;

                        if (ct__gi(t, i, "matched") < 5 || !ct__has(t, i, "latency_mean") ||
                            !ct__in_select(t, i, fds, s)) {
                                continue;
                        }
                        for (j = 0; j < t->nrows; j++) {
                                int64_t wj = ct__gi(t, j, "writes");
                                uint64_t lj = (uint64_t)ct__gi(t, j, "latency_mean");

                                if (j == i || ct__gi(t, j, "matched") < 1 ||
                                    (double)wi < CT__F_CHATTY * (double)wj ||
                                    (double)lj < CT__F_STARVE_RATIO * (double)li ||
                                    lj < CT__F_STARVE_MIN_NS || !ct__in_select(t, j, fds, s)) {
                                        continue;
                                }
                                quiet++;
                                if (lj > lw) {
                                        lw = lj;
                                        worst = j;
                                        chatty = i;
                                        lc = li;
                                }
                        }
                        if (quiet > nq) {
                                nq = quiet;
                        }
                }
                if (worst == (size_t)-1) {
                        continue;
                }
                f = ct__f_add(l, 0, -1, "starved_reader", ct__gs(t, worst, "pipe"), lw);
                if (!f) {
                        return;
                }
                snprintf(f->text, sizeof(f->text),
                         "In %s's select loop the chatty %s (%" PRId64 " writes) starves %zu "
                         "quieter pipe(s): messages on %s (%" PRId64 " writes) waited %s on "
                         "average before being read, %.1fx the %s of %s.",
                         ct__gs(sel, s, "thread"), ct__gs(t, chatty, "pipe"),
                         ct__gi(t, chatty, "writes"), nq, ct__gs(t, worst, "pipe"),
                         ct__gi(t, worst, "writes"), ct__ns(lw, a, sizeof(a)),
                         lc ? (double)lw / (double)lc : 0.0, ct__ns(lc, b, sizeof(b)),
                         ct__gs(t, chatty, "pipe"));
                snprintf(f->figures, sizeof(f->figures),
                         "chatty_writes=%" PRId64 " quiet_writes=%" PRId64
                         " chatty_latency_mean=%" PRIu64 " quiet_latency_mean=%" PRIu64
                         " starved=%zu",
                         ct__gi(t, chatty, "writes"), ct__gi(t, worst, "writes"), lc, lw, nq);
                snprintf(f->where, sizeof(f->where),
                         "the pipe arrows from %s's writes to %s's reads: long and slanted",
                         ct__gs(t, worst, "pipe"), ct__gs(sel, s, "thread"));
        }
}

static void ct__f_pools(const struct ct_report *r, struct ct__flist *l)
{
        const struct ct_table *t = ct_report_find(r, "pools");
        size_t i;

        for (i = 0; t && i < t->nrows; i++) {
                double im = ct__gd(t, i, "imbalance");
                struct ct__finding *f;
                char a[32];

                if (!ct__has(t, i, "imbalance") || im < CT__F_IMBALANCE) {
                        continue;
                }
                f = ct__f_add(l, 0, -1, "pool_imbalance", ct__gs(t, i, "pool"),
                              (uint64_t)ct__gi(t, i, "span"));
                if (!f) {
                        return;
                }
                snprintf(f->text, sizeof(f->text),
                         "Pool %s is imbalanced: its busiest worker ran %.2fx the mean busy time "
                         "(%" PRId64 " tasks on %" PRId64 " workers, span %s).",
                         ct__gs(t, i, "pool"), im, ct__gi(t, i, "tasks"), ct__gi(t, i, "workers"),
                         ct__ns((uint64_t)ct__gi(t, i, "span"), a, sizeof(a)));
                snprintf(f->figures, sizeof(f->figures),
                         "imbalance=%.3f tasks=%" PRId64 " workers=%" PRId64 " utilisation=%.4f",
                         im, ct__gi(t, i, "tasks"), ct__gi(t, i, "workers"),
                         ct__gd(t, i, "utilisation"));
                snprintf(f->where, sizeof(f->where), "the task slices of pool %s per worker",
                         ct__gs(t, i, "pool"));
        }
}

static void ct__f_gil(const struct ct_report *r, struct ct__flist *l)
{
        const struct ct_table *t = ct_report_find(r, "locks");
        const struct ct_table *th = ct_report_find(r, "threads");
        uint64_t life = 0;
        size_t i;

        for (i = 0; th && i < th->nrows; i++) {
                life += (uint64_t)ct__gi(th, i, "lifetime");
        }
        for (i = 0; t && i < t->nrows; i++) {
                const char *n = ct__gs(t, i, "lock");
                uint64_t wt = (uint64_t)ct__gi(t, i, "wait_total"), pn;
                struct ct__finding *f;
                char a[32], b[32];

                if (strcasecmp(n, "GIL") || !life || (double)wt < CT__F_GIL_SHARE * (double)life) {
                        continue;
                }
                pn = ct__path_ns(r, "lock", n);
                f = ct__f_add(l, 0, -1, "gil", n, pn > wt ? pn : wt);
                if (!f) {
                        return;
                }
                snprintf(f->text, sizeof(f->text),
                         "The threads are serialised by the GIL: they waited %s for it (%.1f%% "
                         "of their lifetimes, %" PRId64 " contended acquisitions), %s of it on "
                         "the critical path; only one runs Python code at a time.",
                         ct__ns(wt, a, sizeof(a)), 100.0 * (double)wt / (double)life,
                         ct__gi(t, i, "contended"), ct__ns(pn, b, sizeof(b)));
                snprintf(f->figures, sizeof(f->figures),
                         "wait_total=%" PRIu64 " lifetimes=%" PRIu64 " contended=%" PRId64
                         " handoffs=%" PRId64 " path_ns=%" PRIu64,
                         wt, life, ct__gi(t, i, "contended"), ct__gi(t, i, "handoffs"), pn);
                snprintf(f->where, sizeof(f->where),
                         "the lock waits on GIL: one thread computes while the others wait");
        }
}

static void ct__f_speedup(const struct ct_report *r, struct ct__flist *l)
{
        const struct ct_table *t = ct_report_find(r, "speedup");
        size_t i, j;

        for (i = 0; t && i < t->nrows; i++) {
                int64_t p = ct__gi(t, i, "workers");
                double S = ct__gd(t, i, "speedup"), e = ct__gd(t, i, "efficiency");
                double kf = ct__gd(t, i, "karp_flatt"), kprev = -1.0;
                int64_t pprev = 0;
                uint64_t time = (uint64_t)ct__gi(t, i, "time");
                struct ct__finding *f;
                char obj[160], a[32];

                if (p <= 1 || !ct__has(t, i, "efficiency") || e >= CT__F_EFFICIENCY) {
                        continue;
                }
                /* Karp-Flatt of the previous worker count of the same group and variant */
                for (j = 0; j < t->nrows; j++) {
                        int64_t q = ct__gi(t, j, "workers");

                        if (j != i && q > 1 && q < p && q > pprev && ct__has(t, j, "karp_flatt") &&
                            !strcmp(ct__gs(t, j, "scenario"), ct__gs(t, i, "scenario")) &&
                            !strcmp(ct__gs(t, j, "params"), ct__gs(t, i, "params")) &&
                            !strcmp(ct__gs(t, j, "variant"), ct__gs(t, i, "variant"))) {
                                pprev = q;
                                kprev = ct__gd(t, j, "karp_flatt");
                        }
                }
                snprintf(obj, sizeof(obj), "%s/%s/%" PRId64, ct__gs(t, i, "scenario"),
                         ct__gs(t, i, "variant"), p);
                f = ct__f_add(l, 0, -1, "low_speedup", obj, (uint64_t)((double)time * (1.0 - e)));
                if (!f) {
                        return;
                }
                if (kprev >= 0 && kf > kprev) {
                        snprintf(f->text, sizeof(f->text),
                                 "%s %s with %" PRId64 " workers: speedup %.2f, efficiency "
                                 "%.0f%% (run time %s); the Karp-Flatt serial fraction rises "
                                 "with the workers (%.3f at %" PRId64 ", %.3f at %" PRId64
                                 "): overhead grows with p, not a fixed serial part.",
                                 ct__gs(t, i, "scenario"), ct__gs(t, i, "variant"), p, S, e * 100.0,
                                 ct__ns(time, a, sizeof(a)), kprev, pprev, kf, p);
                } else {
                        snprintf(f->text, sizeof(f->text),
                                 "%s %s with %" PRId64 " workers: speedup %.2f, far below the "
                                 "workers (efficiency %.0f%%, run time %s; Karp-Flatt %.3f).",
                                 ct__gs(t, i, "scenario"), ct__gs(t, i, "variant"), p, S, e * 100.0,
                                 ct__ns(time, a, sizeof(a)), kf);
                }
                snprintf(f->figures, sizeof(f->figures),
                         "speedup=%.4f efficiency=%.4f karp_flatt=%.4f workers=%" PRId64
                         " prev_karp_flatt=%.4f prev_workers=%" PRId64,
                         S, e, kf, p, kprev, pprev);
                snprintf(f->where, sizeof(f->where),
                         "the critical path of the %" PRId64 "-worker runs", p);
        }
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
                ct__run_where(r, (int64_t)i, where, sizeof(where));
                f = ct__f_add(l, 1, (int64_t)i, "probe_effect", "",
                              (uint64_t)ct__gi(t, i, "probe_ns"));
                if (!f) {
                        return;
                }
                snprintf(f->text, sizeof(f->text),
                         "Run %zu's figures are distorted by tracing: its %" PRId64
                         " events cost about %s, %.1f%% of its duration; trust ratios over "
                         "absolute times, or record at --level light.",
                         i, ct__gi(t, i, "events"),
                         ct__ns((uint64_t)ct__gi(t, i, "probe_ns"), a, sizeof(a)),
                         ct__gd(t, i, "probe_share") * 100.0);
                snprintf(f->figures, sizeof(f->figures),
                         "events=%" PRId64 " probe_ns=%" PRId64 " probe_share=%.4f",
                         ct__gi(t, i, "events"), ct__gi(t, i, "probe_ns"),
                         ct__gd(t, i, "probe_share"));
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
                                ct_table_set_int(t, row, "run", l.f[i].run);
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
