/* SPDX-License-Identifier: MIT */
/*
 * Findings on the threads of one run (rules and thresholds: ct_findings_int.h,
 * docs/analyses.md "Findings"): overlapping work, a select() loop, the lock
 * the threads share, threads idle waiting for others. A thread belongs to the
 * run its lifetime overlaps most (ct__f_thread_run), an object to the run its
 * first -> last event overlaps most (ct__f_row_run).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ct_analysis.h"
#include "ct_findings_int.h"

/* The rank-1 item of run's critical path: "thread (kind[ on object], P%)", or "". */
static void ct__top_item(const struct ct_report *r, int64_t run, char *buf, size_t size)
{
        const struct ct_table *cp = ct_report_find(r, "critical_path");
        const struct ct_table *it = ct_report_find(r, "critical_path_items");
        size_t j;

        buf[0] = '\0';
        for (j = 0; cp && it && j < it->nrows; j++) {
                const char *o = ct__gs(it, j, "object");

                if (it->parent_row[j] < cp->nrows && ct__gi(cp, it->parent_row[j], "run") == run &&
                    ct__gi(it, j, "rank") == 1) {
                        snprintf(buf, size, "%s (%s%s%s, %.1f%%)", ct__gs(it, j, "thread"),
                                 ct__gs(it, j, "kind"), o[0] ? " on " : "", o,
                                 ct__gd(it, j, "share") * 100.0);
                        return;
                }
        }
}

/* Time on run's critical path of items of thread (label) and kind (on an object of okind if not
 * NULL). */
static uint64_t ct__path_thread_ns(const struct ct_report *r, int64_t run, const char *thread,
                                   const char *kind, const char *okind)
{
        const struct ct_table *cp = ct_report_find(r, "critical_path");
        const struct ct_table *it = ct_report_find(r, "critical_path_items");
        uint64_t ns = 0;
        size_t j;

        for (j = 0; cp && it && j < it->nrows; j++) {
                if (it->parent_row[j] < cp->nrows && ct__gi(cp, it->parent_row[j], "run") == run &&
                    !strcmp(ct__gs(it, j, "thread"), thread) &&
                    !strcmp(ct__gs(it, j, "kind"), kind) &&
                    (!okind || !strcmp(ct__gs(it, j, "object_kind"), okind))) {
                        ns += (uint64_t)ct__gi(it, j, "ns");
                }
        }
        return ns;
}

/* Appends sep and s (s alone when buf is empty) to buf if it fits; 1 if it did not. */
static int ct__append(char *buf, size_t size, const char *sep, const char *s)
{
        size_t n = strlen(buf);

        if (n + strlen(s) + strlen(sep) + 4 >= size) {
                return 1;
        }
        snprintf(buf + n, size - n, "%s%s", n ? sep : "", s);
        return 0;
}

/* The speedup table's row of (scenario, variant, workers) of run row i of "runs", if one. */
static long ct__speedup_row(const struct ct_report *r, size_t i)
{
        const struct ct_table *runs = ct_report_find(r, "runs");
        const struct ct_table *sp = ct_report_find(r, "speedup");
        long found = -1;
        size_t j;

        for (j = 0; runs && sp && j < sp->nrows; j++) {
                if (!strcmp(ct__gs(sp, j, "scenario"), ct__gs(runs, i, "scenario")) &&
                    !strcmp(ct__gs(sp, j, "variant"), ct__gs(runs, i, "variant")) &&
                    ct__gi(sp, j, "workers") == ct__gi(runs, i, "workers") &&
                    ct__has(sp, j, "speedup")) {
                        if (found >= 0) {
                                return -1; /* several groups: not one */
                        }
                        found = (long)j;
                }
        }
        return found;
}

/*
 * Overlap: in a run with workers > 1, its threads computed >= CT__F_OVERLAP x
 * its duration (compute ran in parallel), or, when the run has a speedup (a
 * baseline in its group), their I/O waits (io_sim) and compute add up to >=
 * CT__F_OVERLAP x its duration: the work overlapped (on average that many
 * threads waited or computed at once).
 */
void ct__f_overlap(const struct ct_report *r, struct ct__flist *l)
{
        const struct ct_table *runs = ct_report_find(r, "runs");
        const struct ct_table *th = ct_report_find(r, "threads");
        struct ct__orun {
                uint64_t io, cpu;
                size_t nth;
        } * o;
        size_t i, j;

        if (!runs || !th || !runs->nrows) {
                return;
        }
        o = calloc(runs->nrows, sizeof(*o));
        if (!o) {
                l->err = -ENOMEM;
                return;
        }
        for (j = 0; j < th->nrows; j++) {
                int64_t run = ct__f_thread_run(r, j);

                if (run >= 0 && (size_t)run < runs->nrows) {
                        o[run].io += (uint64_t)ct__gi(th, j, "io_sim");
                        o[run].cpu += (uint64_t)ct__gi(th, j, "compute");
                        o[run].nth += ct__gi(th, j, "io_sim") + ct__gi(th, j, "compute") > 0;
                }
        }
        for (i = 0; i < runs->nrows; i++) {
                uint64_t d = (uint64_t)ct__gi(runs, i, "duration"), io = o[i].io, cpu = o[i].cpu;
                long sp;
                struct ct__finding *f;
                char where[160], a[32], b[32], c[32], spd[96] = "";

                if (ct__gi(runs, i, "workers") < 2 || !d) {
                        continue;
                }
                sp = ct__speedup_row(r, i);
                if ((double)cpu < CT__F_OVERLAP * (double)d &&
                    ((double)(io + cpu) < CT__F_OVERLAP * (double)d || sp < 0)) {
                        continue;
                }
                if (sp >= 0) {
                        const struct ct_table *s = ct_report_find(r, "speedup");

                        snprintf(spd, sizeof(spd), "; speedup %.2fx over %s (efficiency %.0f%%)",
                                 ct__gd(s, (size_t)sp, "speedup"),
                                 ct__gs(s, (size_t)sp, "baseline"),
                                 ct__gd(s, (size_t)sp, "efficiency") * 100.0);
                }
                ct__f_run_where(r, (int64_t)i, where, sizeof(where));
                f = ct__f_add(l, 0, (int64_t)i, "overlap", "", io + cpu - d);
                if (!f) {
                        break;
                }
                snprintf(f->text, sizeof(f->text),
                         "In run %zu the %zu working threads overlapped: %s of I/O waits (io_sim) "
                         "and %s of compute in a %s run, on average %.2f threads waiting on I/O "
                         "and %.2f computing at once%s.",
                         i, o[i].nth, ct__ns(io, a, sizeof(a)), ct__ns(cpu, b, sizeof(b)),
                         ct__ns(d, c, sizeof(c)), (double)io / (double)d, (double)cpu / (double)d,
                         spd);
                snprintf(f->figures, sizeof(f->figures),
                         "io_sim=%" PRIu64 " compute=%" PRIu64 " duration=%" PRIu64
                         " threads=%zu io_at_once=%.3f compute_at_once=%.3f",
                         io, cpu, d, o[i].nth, (double)io / (double)d, (double)cpu / (double)d);
                snprintf(f->where, sizeof(f->where),
                         "%s: the io_sim and compute slices of the threads, stacked in time",
                         where);
        }
        free(o);
}

/*
 * A select() loop: a thread selects over >= 2 pipes and spends >= CT__F_SELECT_SHARE of its
 * lifetime blocked in select: it waits for whichever pipe is ready, never in the read of a quiet
 * one. The figures are each pipe's writes and message latency (write -> read, mean).
 */
void ct__f_select_loop(const struct ct_report *r, struct ct__flist *l)
{
        const struct ct_table *sel = ct_report_find(r, "selects");
        const struct ct_table *fds = ct_report_find(r, "select_fds");
        const struct ct_table *pp = ct_report_find(r, "pipes");
        const struct ct_table *th = ct_report_find(r, "threads");
        size_t s, j, k;

        for (s = 0; sel && fds && pp && th && s < sel->nrows; s++) {
                size_t tr = ct__f_thread_row(r, ct__gi(sel, s, "trace"), ct__gi(sel, s, "pid"),
                                             ct__gi(sel, s, "tid"));
                uint64_t blk = (uint64_t)ct__gi(sel, s, "blocked"), life, lmin = UINT64_MAX,
                         lmax = 0;
                size_t npipes = 0;
                int64_t run;
                struct ct__finding *f;
                char where[160], a[32], b[32], per[384] = "", one[96];

                if (tr == (size_t)-1) {
                        continue;
                }
                life = (uint64_t)ct__gi(th, tr, "lifetime");
                for (j = 0; j < fds->nrows; j++) {
                        if (fds->parent_row[j] != s || !ct__has(fds, j, "pipe")) {
                                continue;
                        }
                        for (k = 0; k < pp->nrows; k++) {
                                uint64_t lm = (uint64_t)ct__gi(pp, k, "latency_mean");

                                if (ct__gi(pp, k, "inode") != ct__gi(fds, j, "pipe") ||
                                    ct__gi(pp, k, "trace") != ct__gi(sel, s, "trace")) {
                                        continue;
                                }
                                npipes++;
                                if (ct__has(pp, k, "latency_mean")) {
                                        lmin = lm < lmin ? lm : lmin;
                                        lmax = lm > lmax ? lm : lmax;
                                        snprintf(one, sizeof(one), "%s: %" PRId64 " writes, %s",
                                                 ct__gs(pp, k, "pipe"), ct__gi(pp, k, "writes"),
                                                 ct__ns(lm, a, sizeof(a)));
                                        ct__append(per, sizeof(per), "; ", one);
                                }
                                break;
                        }
                }
                if (npipes < 2 || !life || (double)blk < CT__F_SELECT_SHARE * (double)life) {
                        continue;
                }
                run = ct__f_thread_run(r, tr);
                ct__f_run_where(r, run, where, sizeof(where));
                f = ct__f_add(
                    l, 0, run, "select_loop", ct__gs(sel, s, "thread"),
                    ct__path_thread_ns(r, run, ct__gs(sel, s, "thread"), "select", NULL) +
                        ct__path_thread_ns(r, run, ct__gs(sel, s, "thread"), "wakeup", "pipe"));
                if (!f) {
                        return;
                }
                snprintf(f->text, sizeof(f->text),
                         "%s waits on %zu pipes in one select() loop: blocked %s in select (%.1f%% "
                         "of its lifetime) against %s in reads, %" PRId64 " wake-ups with %.2f "
                         "ready pipes each; message latency (mean, write -> read) per pipe: %s.",
                         ct__gs(sel, s, "thread"), npipes, ct__ns(blk, a, sizeof(a)),
                         100.0 * (double)blk / (double)life,
                         ct__ns((uint64_t)ct__gi(th, tr, "pipe_read"), b, sizeof(b)),
                         ct__gi(sel, s, "wakeups"), ct__gd(sel, s, "mean_ready"),
                         per[0] ? per : "not matched");
                snprintf(f->figures, sizeof(f->figures),
                         "select_blocked=%" PRIu64 " lifetime=%" PRIu64 " pipe_read=%" PRId64
                         " pipes=%zu wakeups=%" PRId64 " mean_ready=%.3f latency_min=%" PRIu64
                         " latency_max=%" PRIu64,
                         blk, life, ct__gi(th, tr, "pipe_read"), npipes, ct__gi(sel, s, "wakeups"),
                         ct__gd(sel, s, "mean_ready"), lmin == UINT64_MAX ? 0 : lmin, lmax);
                snprintf(f->where, sizeof(f->where),
                         "%s: %s's select slices and the pipe arrows into them", where,
                         ct__gs(sel, s, "thread"));
        }
}

/* 1 if row i of a locks/sems table names its object (ct_run:name), not only its address. */
static int ct__named(const struct ct_table *t, size_t i, const char *col)
{
        return strcmp(ct__gs(t, i, col), ct__gs(t, i, "id")) != 0;
}

/*
 * The lock a run's threads share: among the run's locks taken by >= 2 threads
 * (hand-offs >= 1) and its named semaphores with >= 2 acquisitions (CPython's
 * threading.Lock is one), the GIL aside, the one with the most acquisitions:
 * how much it serialised them (held, contended, waited).
 */
void ct__f_shared_lock(const struct ct_report *r, struct ct__flist *l)
{
        const struct ct_table *runs = ct_report_find(r, "runs");
        const struct ct_table *lk = ct_report_find(r, "locks");
        const char *names[2] = {"locks", "sems"}, *cols[2] = {"lock", "sem"};
        struct ct__best {
                const struct ct_table *t;
                size_t row;
                int64_t acq;
        } * best;
        size_t i, j, k;

        if (!runs || !runs->nrows) {
                return;
        }
        best = calloc(runs->nrows, sizeof(*best));
        if (!best) {
                l->err = -ENOMEM;
                return;
        }
        for (k = 0; k < 2; k++) {
                const struct ct_table *t = ct_report_find(r, names[k]);

                for (j = 0; t && j < t->nrows; j++) {
                        int64_t acq = ct__gi(t, j, "acquisitions"), run;

                        if (!strcasecmp(ct__gs(t, j, cols[k]), "GIL") || acq < 2 ||
                            (k == 0 && ct__gi(t, j, "handoffs") < 1) ||
                            (k == 1 && !ct__named(t, j, cols[k]))) {
                                continue;
                        }
                        run = ct__f_row_run(r, t, j);
                        if (run >= 0 && (size_t)run < runs->nrows && acq > best[run].acq) {
                                best[run].t = t;
                                best[run].row = j;
                                best[run].acq = acq;
                        }
                }
        }
        for (i = 0; i < runs->nrows; i++) {
                const struct ct_table *bt = best[i].t;
                size_t br = best[i].row;
                int64_t bacq = best[i].acq;
                uint64_t d = (uint64_t)ct__gi(runs, i, "duration"), hold, wait;
                struct ct__finding *f;
                char where[160], a[32], b[32], c[32], cont[160] = "";
                const char *n;

                if (!bt) {
                        continue;
                }
                n = ct__gs(bt, br, bt == lk ? "lock" : "sem");
                hold = (uint64_t)ct__gi(bt, br, "hold_total");
                wait = (uint64_t)ct__gi(bt, br, "wait_total");
                if (ct__gi(bt, br, "contended") > 0) {
                        snprintf(cont, sizeof(cont),
                                 "%" PRId64 " acquisitions (%.1f%%) found it taken and waited %s "
                                 "in all (longest %s)",
                                 ct__gi(bt, br, "contended"), ct__gd(bt, br, "contention") * 100.0,
                                 ct__ns(wait, a, sizeof(a)),
                                 ct__ns((uint64_t)ct__gi(bt, br, "wait_max"), b, sizeof(b)));
                } else {
                        snprintf(cont, sizeof(cont),
                                 "no acquisition found it taken, so it made "
                                 "no thread wait");
                }
                ct__f_run_where(r, (int64_t)i, where, sizeof(where));
                f = ct__f_add(l, 0, (int64_t)i, "shared_lock", n, wait);
                if (!f) {
                        break;
                }
                if (bt == lk) {
                        snprintf(f->text, sizeof(f->text),
                                 "%s serialises the threads' access to what it guards in run %zu: "
                                 "%" PRId64 " acquisitions, %" PRId64 " hand-offs between threads, "
                                 "held %s in all (%.2f%% of the run's %s); %s.",
                                 n, i, bacq, ct__gi(bt, br, "handoffs"), ct__ns(hold, c, sizeof(c)),
                                 d ? 100.0 * (double)hold / (double)d : 0.0,
                                 ct__ns(d, b, sizeof(b)), cont);
                } else {
                        snprintf(f->text, sizeof(f->text),
                                 "%s (a semaphore used as a lock) serialises the threads' access "
                                 "to what it guards in run %zu: %" PRId64 " acquisitions; %s.",
                                 n, i, bacq, cont);
                }
                snprintf(f->figures, sizeof(f->figures),
                         "acquisitions=%" PRId64 " handoffs=%" PRId64 " contended=%" PRId64
                         " hold_total=%" PRIu64 " wait_total=%" PRIu64 " duration=%" PRIu64,
                         bacq, ct__gi(bt, br, "handoffs"), ct__gi(bt, br, "contended"), hold, wait,
                         d);
                snprintf(f->where, sizeof(f->where), "%s: the lock slices on %s, thread by thread",
                         where, n);
        }
        free(best);
}

struct ct__idle {
        uint64_t wait, life, top_ns[2]; /* top_ns: [0] waited on more than once, [1] any */
        size_t n, top_k[2], top_row[2];
        char who[256];
};

/*
 * Per run: the object with the most wait time (conds, locks, sems; the GIL
 * too), preferring those waited on more than once (a join in CPython is one
 * wait on the thread's lock).
 */
static void ct__top_waits(const struct ct_report *r, struct ct__idle *x, size_t nruns)
{
        const char *names[3] = {"conds", "locks", "sems"};
        size_t k, j;

        for (k = 0; k < 3; k++) {
                const struct ct_table *t = ct_report_find(r, names[k]);

                for (j = 0; t && j < t->nrows; j++) {
                        uint64_t w = (uint64_t)ct__gi(t, j, "wait_total");
                        int64_t run;
                        int m = !(ct__gi(t, j, "waits") > 1 || ct__gi(t, j, "contended") > 1);

                        if (!w) {
                                continue;
                        }
                        run = ct__f_row_run(r, t, j);
                        if (run < 0 || (size_t)run >= nruns) {
                                continue;
                        }
                        for (; m < 2; m++) {
                                if (w > x[run].top_ns[m]) {
                                        x[run].top_ns[m] = w;
                                        x[run].top_k[m] = k;
                                        x[run].top_row[m] = j;
                                }
                        }
                }
        }
}

/*
 * Idle waiters: >= CT__F_IDLE_MIN threads of a run spent >= CT__F_IDLE_SHARE
 * of their lifetimes blocked on locks and condition variables, waiting for
 * another thread; the sentence names them, the object waited on most and the
 * run's critical path's first item (whose pace they wait for).
 */
void ct__f_idle_waiters(const struct ct_report *r, struct ct__flist *l)
{
        const struct ct_table *runs = ct_report_find(r, "runs");
        const struct ct_table *th = ct_report_find(r, "threads");
        const char *names[3] = {"conds", "locks", "sems"}, *cols[3] = {"cond", "lock", "sem"};
        const char *kinds[3] = {"cond", "lock", "semaphore"};
        struct ct__idle *x;
        size_t i, j;

        if (!runs || !th || !runs->nrows) {
                return;
        }
        x = calloc(runs->nrows, sizeof(*x));
        if (!x) {
                l->err = -ENOMEM;
                return;
        }
        for (j = 0; j < th->nrows; j++) {
                uint64_t w = (uint64_t)(ct__gi(th, j, "lock") + ct__gi(th, j, "cond"));
                uint64_t lt = (uint64_t)ct__gi(th, j, "lifetime");
                int64_t run;

                if (!lt || (double)w < CT__F_IDLE_SHARE * (double)lt) {
                        continue;
                }
                run = ct__f_thread_run(r, j);
                if (run < 0 || (size_t)run >= runs->nrows) {
                        continue;
                }
                x[run].n++;
                x[run].wait += w;
                x[run].life += lt;
                if (ct__append(x[run].who, sizeof(x[run].who), ", ", ct__gs(th, j, "thread"))) {
                        ct__append(x[run].who, sizeof(x[run].who), ", ", "...");
                }
        }
        ct__top_waits(r, x, runs->nrows);
        for (i = 0; i < runs->nrows; i++) {
                uint64_t on = 0, onpath = 0;
                struct ct__finding *f;
                char where[160], top[256], obj[192] = "-", a[32], b[32];
                int m = x[i].top_ns[0] ? 0 : 1;

                if (x[i].n < CT__F_IDLE_MIN) {
                        continue;
                }
                if (x[i].top_ns[m]) {
                        const struct ct_table *t = ct_report_find(r, names[x[i].top_k[m]]);
                        const char *lbl = ct__gs(t, x[i].top_row[m], cols[x[i].top_k[m]]);

                        on = x[i].top_ns[m];
                        snprintf(obj, sizeof(obj), "%s %s", kinds[x[i].top_k[m]], lbl);
                        onpath = ct__f_path_ns(r, (int64_t)i, cols[x[i].top_k[m]], lbl);
                }
                ct__top_item(r, (int64_t)i, top, sizeof(top));
                ct__f_run_where(r, (int64_t)i, where, sizeof(where));
                f = ct__f_add(l, 0, (int64_t)i, "idle_waiters", "", onpath);
                if (!f) {
                        break;
                }
                snprintf(f->text, sizeof(f->text),
                         "In run %zu, %zu threads (%s) spent %.0f%% of their lifetimes (%s) "
                         "blocked waiting for other threads, most on %s (%s): they sleep until "
                         "woken, not polling%s%s.",
                         i, x[i].n, x[i].who, 100.0 * (double)x[i].wait / (double)x[i].life,
                         ct__ns(x[i].wait, a, sizeof(a)), obj, ct__ns(on, b, sizeof(b)),
                         top[0] ? "; the run's critical path is led by " : "", top);
                snprintf(f->figures, sizeof(f->figures),
                         "threads=%zu wait=%" PRIu64 " lifetimes=%" PRIu64
                         " top_object_wait=%" PRIu64 " path_ns=%" PRIu64,
                         x[i].n, x[i].wait, x[i].life, on, onpath);
                snprintf(f->where, sizeof(f->where),
                         "%s: the cond and lock waits of %s, and the signals that end them", where,
                         x[i].who);
        }
        free(x);
}

/*
 * Polling: >= CT__F_IDLE_MIN threads of a run that waited for locks spent >=
 * CT__F_POLL_OTHER of their lifetimes running (neither blocked nor in a
 * compute interval) while
 * the run's most acquired lock (not the GIL, taken by >= 2 threads) was
 * acquired >= CT__F_POLL_ACQ times: they spin on shared state under the lock
 * instead of sleeping until notified.
 */
void ct__f_polling(const struct ct_report *r, struct ct__flist *l)
{
        const struct ct_table *runs = ct_report_find(r, "runs");
        const struct ct_table *th = ct_report_find(r, "threads");
        const struct ct_table *lk = ct_report_find(r, "locks");
        struct ct__poll {
                uint64_t other, life;
                size_t n, lrow;
                int64_t acq;
                char who[256];
        } * x;
        size_t i, j;

        if (!runs || !th || !lk || !runs->nrows) {
                return;
        }
        x = calloc(runs->nrows, sizeof(*x));
        if (!x) {
                l->err = -ENOMEM;
                return;
        }
        for (j = 0; j < lk->nrows; j++) {
                int64_t acq = ct__gi(lk, j, "acquisitions"), run;

                if (acq < CT__F_POLL_ACQ || ct__gi(lk, j, "handoffs") < 1 ||
                    !strcasecmp(ct__gs(lk, j, "lock"), "GIL")) {
                        continue;
                }
                run = ct__f_row_run(r, lk, j);
                if (run >= 0 && (size_t)run < runs->nrows && acq > x[run].acq) {
                        x[run].acq = acq;
                        x[run].lrow = j;
                }
        }
        for (j = 0; j < th->nrows; j++) {
                uint64_t o = (uint64_t)ct__gi(th, j, "other"),
                         lt = (uint64_t)ct__gi(th, j, "lifetime");
                int64_t run;

                /* running most of its time, and waiting for a lock now and then */
                if (!lt || (double)o < CT__F_POLL_OTHER * (double)lt ||
                    ct__gi(th, j, "lock") <= 0) {
                        continue;
                }
                run = ct__f_thread_run(r, j);
                if (run < 0 || (size_t)run >= runs->nrows || !x[run].acq) {
                        continue;
                }
                x[run].n++;
                x[run].other += o;
                x[run].life += lt;
                if (ct__append(x[run].who, sizeof(x[run].who), ", ", ct__gs(th, j, "thread"))) {
                        ct__append(x[run].who, sizeof(x[run].who), ", ", "...");
                }
        }
        for (i = 0; i < runs->nrows; i++) {
                uint64_t d = (uint64_t)ct__gi(runs, i, "duration");
                const char *n;
                struct ct__finding *f;
                char where[160], a[32], b[32];

                if (x[i].n < CT__F_IDLE_MIN || !x[i].acq) {
                        continue;
                }
                n = ct__gs(lk, x[i].lrow, "lock");
                ct__f_run_where(r, (int64_t)i, where, sizeof(where));
                f = ct__f_add(l, 0, (int64_t)i, "polling", n, x[i].other);
                if (!f) {
                        break;
                }
                snprintf(
                    f->text, sizeof(f->text),
                    "In run %zu, %zu threads (%s) spent %.0f%% of their lifetimes (%s) running "
                    "outside any compute interval while %s was acquired %" PRId64
                    " times (%.1f per ms of the run's %s): they poll under the lock instead "
                    "of sleeping until notified.",
                    i, x[i].n, x[i].who, 100.0 * (double)x[i].other / (double)x[i].life,
                    ct__ns(x[i].other, a, sizeof(a)), n, x[i].acq,
                    d ? (double)x[i].acq * 1e6 / (double)d : 0.0, ct__ns(d, b, sizeof(b)));
                snprintf(f->figures, sizeof(f->figures),
                         "threads=%zu other=%" PRIu64 " lifetimes=%" PRIu64 " acquisitions=%" PRId64
                         " duration=%" PRIu64,
                         x[i].n, x[i].other, x[i].life, x[i].acq, d);
                snprintf(f->where, sizeof(f->where),
                         "%s: the dense lock slices on %s of %s, and no cond waits", where, n,
                         x[i].who);
        }
        free(x);
}
