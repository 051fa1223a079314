/* SPDX-License-Identifier: MIT */
/*
 * Findings on objects, pools and speedup (rules and thresholds:
 * ct_findings_int.h, docs/analyses.md "Findings").
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ct_analysis.h"
#include "ct_findings_int.h"

void ct__f_conds(const struct ct_report *r, struct ct__flist *l)
{
        const struct ct_table *t = ct_report_find(r, "conds");
        size_t i;

        for (i = 0; t && i < t->nrows; i++) {
                const char *c = ct__gs(t, i, "cond");
                int64_t waits = ct__gi(t, i, "waits"), rw = ct__gi(t, i, "rewaits");
                int64_t nw = ct__gi(t, i, "no_waiter");
                int64_t to = ct__gi(t, i, "timeouts"), un = ct__gi(t, i, "unfinished");
                int64_t run;
                uint64_t wt = (uint64_t)ct__gi(t, i, "wait_total"), pn;
                struct ct__finding *f;
                char a[32], where[160];

                /* the GIL model's and CPython's GIL condvar (GIL.cond): the gil finding's */
                if (!strncasecmp(c, "GIL.", 4) ||
                    (rw < CT__F_REWAIT_MIN && !(nw > 0 && (to > 0 || un > 0)))) {
                        continue; /* or neither rule can fire */
                }
                run = ct__f_row_run(r, t, i);
                ct__f_run_where(r, run, where, sizeof(where));
                pn = ct__f_path_ns(r, run, "cond", c);
                if (rw >= CT__F_REWAIT_MIN && (double)rw >= CT__F_REWAIT_SHARE * (double)waits) {
                        uint64_t imp =
                            pn ? pn : (uint64_t)((double)wt * (double)rw / (double)waits);

                        f = ct__f_add(l, 0, run, "rewaits", c, imp);
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
                                 "%s: the cond waits on %s that follow each broadcast", where, c);
                }
                if (nw > 0 && (to > 0 || un > 0)) {
                        f = ct__f_add(l, 1, run, "lost_signal", c, wt);
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
                        snprintf(f->where, sizeof(f->where), "%s: the signals on %s with no waiter",
                                 where, c);
                }
        }
}

void ct__f_pipes(const struct ct_report *r, struct ct__flist *l)
{
        const struct ct_table *t = ct_report_find(r, "pipes");
        const struct ct_table *tr = ct_report_find(r, "trace");
        uint64_t thr = tr ? (uint64_t)ct__gi(tr, 0, "blocked_write_threshold") : 0;
        size_t i;

        for (i = 0; t && i < t->nrows; i++) {
                const char *p = ct__gs(t, i, "pipe");
                int64_t bw = ct__gi(t, i, "blocked_writes"), ep = ct__gi(t, i, "epipe");
                int64_t run;
                uint64_t wt = (uint64_t)ct__gi(t, i, "write_time"), pn;
                struct ct__finding *f;
                char a[32], b[32], where[160];

                if (ep <= 0 && bw <= 0) {
                        continue;
                }
                run = ct__f_row_run(r, t, i);
                pn = ct__f_path_ns(r, run, "pipe", p);
                ct__f_run_where(r, run, where, sizeof(where));

                if (ep > 0) {
                        f = ct__f_add(l, 1, run, "epipe", p, wt);
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
                                 "%s: the EPIPE instants on the writer's track of %s", where, p);
                }
                if (bw > 0) {
                        f = ct__f_add(l, 0, run, "pipe_full", p, wt);
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
                                 "%s: the long pipe_write slices of %s and the reads that end them",
                                 where, p);
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
void ct__f_starvation(const struct ct_report *r, struct ct__flist *l)
{
        const struct ct_table *t = ct_report_find(r, "pipes");
        const struct ct_table *sel = ct_report_find(r, "selects");
        const struct ct_table *fds = ct_report_find(r, "select_fds");
        size_t s, i, j;

        for (s = 0; t && sel && fds && s < sel->nrows; s++) {
                size_t worst = (size_t)-1, chatty = 0, nq = 0, th;
                uint64_t lw = 0, lc = 0;
                int64_t run;
                struct ct__finding *f;
                char a[32], b[32], where[160];

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
                th = ct__f_thread_row(r, ct__gi(sel, s, "trace"), ct__gi(sel, s, "pid"),
                                      ct__gi(sel, s, "tid"));
                run = th != (size_t)-1 ? ct__f_thread_run(r, th) : ct__f_row_run(r, sel, s);
                ct__f_run_where(r, run, where, sizeof(where));
                f = ct__f_add(l, 0, run, "starved_reader", ct__gs(t, worst, "pipe"), lw);
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
                         "%s: the pipe arrows from %s's writes to %s's reads: long and slanted",
                         where, ct__gs(t, worst, "pipe"), ct__gs(sel, s, "thread"));
        }
}

void ct__f_pools(const struct ct_report *r, struct ct__flist *l)
{
        const struct ct_table *t = ct_report_find(r, "pools");
        size_t i;

        for (i = 0; t && i < t->nrows; i++) {
                double im = ct__gd(t, i, "imbalance");
                int64_t run;
                struct ct__finding *f;
                char a[32], where[160];

                if (!ct__has(t, i, "imbalance") || im < CT__F_IMBALANCE) {
                        continue;
                }
                run = ct__f_row_run(r, t, i);
                ct__f_run_where(r, run, where, sizeof(where));
                f = ct__f_add(l, 0, run, "pool_imbalance", ct__gs(t, i, "pool"),
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
                snprintf(f->where, sizeof(f->where), "%s: the task slices of pool %s per worker",
                         where, ct__gs(t, i, "pool"));
        }
}

void ct__f_gil(const struct ct_report *r, struct ct__flist *l)
{
        const struct ct_table *t = ct_report_find(r, "locks");
        const struct ct_table *th = ct_report_find(r, "threads");
        size_t i, j;

        for (i = 0; t && i < t->nrows; i++) {
                const char *n = ct__gs(t, i, "lock");
                uint64_t wt = (uint64_t)ct__gi(t, i, "wait_total"), pn, life = 0, dur, hold;
                int64_t run;
                struct ct__finding *f;
                char a[32], b[32], where[160];

                if (strcasecmp(n, "GIL")) {
                        continue;
                }
                /* the lifetimes of the threads of its process (in its run) */
                run = ct__f_row_run(r, t, i);
                for (j = 0; th && j < th->nrows; j++) {
                        if (ct__gi(th, j, "trace") == ct__gi(t, i, "trace") &&
                            ct__gi(th, j, "pid") == ct__gi(t, i, "pid") &&
                            (run < 0 || ct__f_thread_run(r, j) == run)) {
                                life += (uint64_t)ct__gi(th, j, "lifetime");
                        }
                }
                /* its span: first -> last event (CPython holds it from start-up to exit) */
                dur = (uint64_t)ct__gi(t, i, "last_ts") > (uint64_t)ct__gi(t, i, "first_ts")
                          ? (uint64_t)(ct__gi(t, i, "last_ts") - ct__gi(t, i, "first_ts"))
                          : 0;
                hold = (uint64_t)ct__gi(t, i, "hold_total");
                /* waited on for long, or held most of its span with threads queueing for it */
                if (!life || ((double)wt < CT__F_GIL_SHARE * (double)life &&
                              (!dur || (double)hold < CT__F_GIL_HELD * (double)dur ||
                               ct__gd(t, i, "contention") < CT__F_GIL_CONTENDED))) {
                        continue;
                }
                pn = ct__f_path_ns(r, run, "lock", n);
                ct__f_run_where(r, run, where, sizeof(where));
                f = ct__f_add(l, 0, run, "gil", n, pn > wt ? pn : wt);
                if (!f) {
                        return;
                }
                snprintf(f->text, sizeof(f->text),
                         "The threads are serialised by the GIL: it was held %.1f%% of its span, "
                         "%" PRId64 " of its %" PRId64 " acquisitions found it taken and they "
                         "waited %s for it (%.1f%% of their lifetimes), %s of it on the critical "
                         "path; only one runs Python code at a time.",
                         dur ? 100.0 * (double)hold / (double)dur : 0.0, ct__gi(t, i, "contended"),
                         ct__gi(t, i, "acquisitions"), ct__ns(wt, a, sizeof(a)),
                         100.0 * (double)wt / (double)life, ct__ns(pn, b, sizeof(b)));
                snprintf(f->figures, sizeof(f->figures),
                         "wait_total=%" PRIu64 " lifetimes=%" PRIu64 " contended=%" PRId64
                         " handoffs=%" PRId64 " hold_total=%" PRIu64 " span=%" PRIu64
                         " path_ns=%" PRIu64,
                         wt, life, ct__gi(t, i, "contended"), ct__gi(t, i, "handoffs"), hold, dur,
                         pn);
                snprintf(f->where, sizeof(f->where),
                         "%s: the lock waits on GIL: one thread computes while the others wait",
                         where);
        }
}

/* The run of speedup row i (its scenario, variant and workers) if it is the only one, else -1. */
static int64_t ct__config_run(const struct ct_report *r, const struct ct_table *sp, size_t i)
{
        const struct ct_table *runs = ct_report_find(r, "runs");
        int64_t run = -1;
        size_t j, n = 0;

        for (j = 0; runs && j < runs->nrows; j++) {
                if (!strcmp(ct__gs(runs, j, "scenario"), ct__gs(sp, i, "scenario")) &&
                    !strcmp(ct__gs(runs, j, "variant"), ct__gs(sp, i, "variant")) &&
                    ct__gi(runs, j, "workers") == ct__gi(sp, i, "workers")) {
                        run = (int64_t)j;
                        n++;
                }
        }
        return n == 1 ? run : -1;
}

void ct__f_speedup(const struct ct_report *r, struct ct__flist *l)
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
                f = ct__f_add(l, 0, ct__config_run(r, t, i), "low_speedup", obj,
                              (uint64_t)((double)time * (1.0 - e)));
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

/* A pool whose workers sat idle most of its span: more workers than the work (or the cores)
 * keeps busy. */
void ct__f_pool_underused(const struct ct_report *r, struct ct__flist *l)
{
        const struct ct_table *t = ct_report_find(r, "pools");
        size_t i;

        for (i = 0; t && i < t->nrows; i++) {
                double u = ct__gd(t, i, "utilisation");
                int64_t w = ct__gi(t, i, "workers"), run;
                uint64_t span = (uint64_t)ct__gi(t, i, "span");
                struct ct__finding *f;
                char a[32], b[32], where[160];

                if (!ct__has(t, i, "utilisation") || w < 2 || u >= CT__F_UNDERUSED ||
                    ct__gi(t, i, "tasks") < 1) {
                        continue;
                }
                run = ct__f_row_run(r, t, i);
                ct__f_run_where(r, run, where, sizeof(where));
                f = ct__f_add(l, 0, run, "pool_underused", ct__gs(t, i, "pool"),
                              (uint64_t)((double)span * (1.0 - u)));
                if (!f) {
                        return;
                }
                snprintf(f->text, sizeof(f->text),
                         "Pool %s kept its %" PRId64 " workers busy %.1f%% of its span: %.2f "
                         "of its tasks ran at a time on average (%" PRId64 " tasks, %s of task "
                         "time in %s); it has more workers than the work, or the cores, keep busy.",
                         ct__gs(t, i, "pool"), w, u * 100.0, u * (double)w, ct__gi(t, i, "tasks"),
                         ct__ns((uint64_t)ct__gi(t, i, "run_total"), a, sizeof(a)),
                         ct__ns(span, b, sizeof(b)));
                snprintf(f->figures, sizeof(f->figures),
                         "utilisation=%.4f workers=%" PRId64 " tasks=%" PRId64 " run_total=%" PRId64
                         " span=%" PRIu64,
                         u, w, ct__gi(t, i, "tasks"), ct__gi(t, i, "run_total"), span);
                snprintf(f->where, sizeof(f->where),
                         "%s: the gaps between the task slices of pool %s per worker", where,
                         ct__gs(t, i, "pool"));
        }
}
