/* SPDX-License-Identifier: MIT */
/*
 * Analysis "runs" and "speedup": each run's duration (run_end - run_begin,
 * paired per process); runs with the same scenario and params (workers and
 * variant aside) form a group across all traces; per (variant, workers) the
 * time T is the median of the finished runs with status 0; the baseline is the
 * `serial` variant (fewest workers), else workers = 1 of the same variant.
 * S = T_base / T, efficiency = S / workers, Karp-Flatt e = (1/S - 1/p) /
 * (1 - 1/p) for p > 1.
 *
 * Probe effect per run: the events of the trace (every process) with
 * timestamps within [run_begin, run_end] x the per-event tracing cost
 * (opts->event_cost_ns), plus the child processes forked in it (ct_run:fork)
 * x opts->fork_cost_ns (a traced child registers with the session daemon
 * before its first event), plus the threads that began in it (thread_begin
 * on a thread that is not its process's main thread) x opts->thread_cost_ns,
 * as a share of the run's duration; above
 * CT_ANALYSES_PROBE_DISTORTED_SHARE the run is flagged. At the light level
 * each acquisition folded into a ct_lock:summary of the run is two events
 * (acquire, release) not recorded: events_avoided.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ct_alloc.h"
#include "ct_analysis.h"

struct ct__run {
        uint32_t trace;
        int64_t vpid;
        char *scenario, *variant, *params, *group; /* owned; group = scenario + params */
        int64_t workers, status;
        uint64_t begin, end;
        int ended, cut;
        uint32_t epoch;
        uint64_t ev0, sum0;       /* event / summarized counters before run_begin */
        uint64_t fork0, thr0;     /* fork / thread counters before run_begin */
        uint64_t events, avoided; /* at run_end */
        uint64_t forks, threads;  /* at run_end */
};

struct ct__runs {
        struct ct__model *m;  /* weak */
        struct ct__run *runs; /* owned */
        size_t n, cap;
        struct ct__map pending; /* (trace, vpid) -> size_t run index */
        uint64_t unmatched_ends;
        uint64_t event_cost_ns, fork_cost_ns, thread_cost_ns;
        uint64_t nevents;    /* events seen so far (all traces) */
        uint64_t nforks;     /* ct_run:fork events so far */
        uint64_t nthreads;   /* thread_begin of non-main threads so far */
        uint64_t summarized; /* acquisitions in ct_lock:summary events so far */
        int err;
};

static int ct__cmp_str(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

/* scenario + " " + params without workers=/variant=, tokens sorted. */
static char *ct__group_key(const char *scenario, const char *params)
{
        char *copy = ct__strdup(params ? params : ""), *tok, *save = NULL, *out = NULL;
        char *toks[64];
        size_t n = 0, len, i;

        if (!copy) {
                return NULL;
        }
        for (tok = strtok_r(copy, " \t", &save); tok && n < 64;
             tok = strtok_r(NULL, " \t", &save)) {
                if (!strncmp(tok, "workers=", 8) || !strncmp(tok, "variant=", 8)) {
                        continue;
                }
                toks[n++] = tok;
        }
        qsort(toks, n, sizeof(*toks), ct__cmp_str);
        len = strlen(scenario ? scenario : "") + 2;
        for (i = 0; i < n; i++) {
                len += strlen(toks[i]) + 1;
        }
        out = ct__malloc(len);
        if (out) {
                strcpy(out, scenario ? scenario : "");
                strcat(out, "|");
                for (i = 0; i < n; i++) {
                        if (i) {
                                strcat(out, " ");
                        }
                        strcat(out, toks[i]);
                }
        }
        ct__free(copy);
        return out;
}

/* Out of line (as ct__runs_end): once per run, and inlined they weigh on every event. */
static __attribute__((noinline)) void ct__runs_begin(struct ct__runs *s, const struct ct_event *ev)
{
        struct ct__run *r;
        size_t *p;

        if (ct__grow((void **)&s->runs, &s->cap, sizeof(*s->runs), s->n) < 0) {
                goto nomem;
        }
        r = &s->runs[s->n];
        memset(r, 0, sizeof(*r));
        r->trace = ev->trace;
        r->vpid = ev->vpid;
        r->scenario = ct__strdup(ev->str);
        r->variant = ct__strdup(ev->variant);
        r->params = ct__strdup(ev->params);
        r->group = ct__group_key(ev->str, ev->params);
        r->workers = ev->workers;
        r->begin = ev->ts;
        r->epoch = ct__model_epoch(s->m, ev->trace);
        r->ev0 = s->nevents - 1; /* run_begin itself is in the run */
        r->sum0 = s->summarized;
        r->fork0 = s->nforks;
        r->thr0 = s->nthreads;
        if (!r->scenario || !r->variant || !r->params || !r->group) {
                ct__free(r->scenario);
                ct__free(r->variant);
                ct__free(r->params);
                ct__free(r->group);
                goto nomem;
        }
        p = ct__map_put(&s->pending, ct__key3(ev->trace, (uint64_t)ev->vpid, 0), NULL);
        if (!p) {
                goto nomem;
        }
        *p = ++s->n; /* index + 1 */
        return;
nomem:
        s->err = -ENOMEM;
}

static __attribute__((noinline)) void ct__runs_end(struct ct__runs *s, const struct ct_event *ev)
{
        struct ct__run *r;
        size_t *p;
        struct ct__key k = ct__key3(ev->trace, (uint64_t)ev->vpid, 0);

        p = ct__map_get(&s->pending, k);
        if (!p || !*p) {
                s->unmatched_ends++;
                return;
        }
        r = &s->runs[*p - 1];
        ct__map_del(&s->pending, k);
        r->ended = 1;
        r->end = ev->ts;
        r->status = ev->status;
        r->cut = r->epoch != ct__model_epoch(s->m, ev->trace);
        r->events = s->nevents - r->ev0;
        r->avoided = 2 * (s->summarized - r->sum0);
        r->forks = s->nforks - r->fork0;
        r->threads = s->nthreads - r->thr0;
}

static void ct__runs_event(void *self, const struct ct_event *ev)
{
        struct ct__runs *s = self;

        if (ev->type == CT_EV_DISCARDED) {
                return;
        }
        s->nevents++;
        if (ev->type == CT_EV_LOCK_SUMMARY) {
                s->summarized += ev->count;
        } else if (ev->type == CT_EV_FORK) {
                s->nforks++;
        } else if (ev->type == CT_EV_THREAD_BEGIN && ev->vtid != ev->vpid) {
                s->nthreads++;
        }
        if (ev->type == CT_EV_RUN_BEGIN) {
                ct__runs_begin(s, ev);
        } else if (ev->type == CT_EV_RUN_END) {
                ct__runs_end(s, ev);
        }
}

static void ct__runs_trace_end(void *self, const struct ct_trace_info *info)
{
        struct ct__runs *s = self;
        struct ct__key k;
        size_t i = 0;

        /* runs still open are reported unfinished; forget their pending entry */
        while (ct__map_next(&s->pending, &i, &k)) {
                if (k.a == info->trace) {
                        ct__map_del(&s->pending, k);
                        i = 0;
                }
        }
}

static const struct ct_col ct__runs_cols[] = {
    CT__INT("trace"),
    CT__STR("scenario"),
    CT__STR("variant"),
    CT__INT("workers"),
    CT__STR("params"),
    CT__INT("pid"),
    {"begin_ts", CT_COL_INT, CT_COL_TS},
    CT__NS("duration"),
    CT__INT("status"),
    CT__STR("finished"),
    CT__INT("events"),
    CT__INT("forks"),
    CT__INT("threads"),
    CT__NS("probe_ns"),
    {"probe_share", CT_COL_RATIO, 0},
    CT__STR("distorted"),
    CT__INT("events_avoided"),
};

static const struct ct_col ct__speedup_cols[] = {
    CT__STR("scenario"),
    CT__STR("params"),
    CT__STR("variant"),
    CT__INT("workers"),
    CT__INT("runs"),
    CT__NS("time"),
    CT__STR("baseline"),
    CT__NS("baseline_time"),
    {"speedup", CT_COL_FLOAT, 0},
    {"efficiency", CT_COL_FLOAT, 0},
    {"karp_flatt", CT_COL_FLOAT, 0},
};

/* One (group, variant, workers) configuration. */
struct ct__conf {
        const char *group, *scenario, *params, *variant; /* weak: from a run */
        int64_t workers;
        uint64_t time; /* median */
        size_t runs;
};

static int ct__cmp_u64(const void *a, const void *b)
{
        uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

        return x < y ? -1 : x > y;
}

static int ct__cmp_conf(const void *a, const void *b)
{
        const struct ct__conf *x = a, *y = b;
        int c = strcmp(x->group, y->group);
        int xs = !strcmp(x->variant, "serial"), ys = !strcmp(y->variant, "serial");

        if (c) {
                return c;
        }
        if (xs != ys) {
                return ys - xs;
        }
        c = strcmp(x->variant, y->variant);
        if (c) {
                return c;
        }
        return x->workers < y->workers ? -1 : x->workers > y->workers;
}

static int ct__run_counts(const struct ct__run *r)
{
        return r->ended && !r->cut && r->status == 0 && r->end >= r->begin;
}

static void ct__speedup_table(struct ct__runs *s, struct ct_report *r)
{
        struct ct_table *t = ct_report_add_table(r, "speedup", "Speedup", ct__speedup_cols,
                                                 CT__ARRAY_LEN(ct__speedup_cols));
        struct ct__conf *confs = NULL;
        uint64_t *d = NULL;
        size_t nc = 0, i, j, k, nd;

        if (!t) {
                return;
        }
        confs = calloc(s->n ? s->n : 1, sizeof(*confs));
        d = calloc(s->n ? s->n : 1, sizeof(*d));
        if (!confs || !d) {
                t->err = -ENOMEM;
                goto end;
        }
        for (i = 0; i < s->n; i++) {
                const struct ct__run *x = &s->runs[i];

                if (!ct__run_counts(x)) {
                        continue;
                }
                for (j = 0; j < nc; j++) {
                        if (!strcmp(confs[j].group, x->group) &&
                            !strcmp(confs[j].variant, x->variant) &&
                            confs[j].workers == x->workers) {
                                break;
                        }
                }
                if (j < nc) {
                        continue; /* already computed */
                }
                nd = 0;
                for (k = i; k < s->n; k++) {
                        const struct ct__run *y = &s->runs[k];

                        if (ct__run_counts(y) && !strcmp(y->group, x->group) &&
                            !strcmp(y->variant, x->variant) && y->workers == x->workers) {
                                d[nd++] = y->end - y->begin;
                        }
                }
                qsort(d, nd, sizeof(*d), ct__cmp_u64);
                confs[nc].group = x->group;
                confs[nc].scenario = x->scenario;
                confs[nc].params = strchr(x->group, '|') + 1;
                confs[nc].variant = x->variant;
                confs[nc].workers = x->workers;
                confs[nc].runs = nd;
                confs[nc].time = nd % 2 ? d[nd / 2] : (d[nd / 2 - 1] + d[nd / 2]) / 2;
                nc++;
        }
        qsort(confs, nc, sizeof(*confs), ct__cmp_conf);
        for (i = 0; i < nc; i++) {
                const struct ct__conf *c = &confs[i], *base = NULL;
                size_t row = ct_table_add_row(t);
                char bname[128];

                /* baseline: serial variant with fewest workers, else workers = 1 of c's variant */
                for (j = 0; j < nc; j++) {
                        if (strcmp(confs[j].group, c->group)) {
                                continue;
                        }
                        if (!strcmp(confs[j].variant, "serial") &&
                            (!base || confs[j].workers < base->workers)) {
                                base = &confs[j];
                        }
                }
                for (j = 0; !base && j < nc; j++) {
                        if (!strcmp(confs[j].group, c->group) &&
                            !strcmp(confs[j].variant, c->variant) && confs[j].workers == 1) {
                                base = &confs[j];
                        }
                }
                ct_table_set_str(t, row, "scenario", c->scenario);
                ct_table_set_str(t, row, "params", c->params);
                ct_table_set_str(t, row, "variant", c->variant);
                ct_table_set_int(t, row, "workers", c->workers);
                ct_table_set_int(t, row, "runs", (int64_t)c->runs);
                ct_table_set_int(t, row, "time", (int64_t)c->time);
                if (base && c->time > 0) {
                        double S = (double)base->time / (double)c->time;
                        double p = (double)c->workers;

                        snprintf(bname, sizeof(bname), "%s/%lld", base->variant,
                                 (long long)base->workers);
                        ct_table_set_str(t, row, "baseline", bname);
                        ct_table_set_int(t, row, "baseline_time", (int64_t)base->time);
                        ct_table_set_double(t, row, "speedup", S);
                        if (c->workers > 0) {
                                ct_table_set_double(t, row, "efficiency", S / p);
                        }
                        if (c->workers > 1 && S > 0) {
                                ct_table_set_double(t, row, "karp_flatt",
                                                    (1.0 / S - 1.0 / p) / (1.0 - 1.0 / p));
                        }
                }
        }
        ct_table_note(
            t, "time = median of the finished runs with status 0; baseline = the serial "
               "variant, else workers=1 of the same variant; karp_flatt only for workers > 1");
end:
        free(confs);
        free(d);
}

/* The probe-effect estimate of a finished run, ns. */
static uint64_t ct__probe_ns(const struct ct__runs *s, const struct ct__run *x)
{
        return x->events * s->event_cost_ns + x->forks * s->fork_cost_ns +
               x->threads * s->thread_cost_ns;
}

/* Sets events, forks, threads, probe_ns, probe_share, distorted, events_avoided (adds to
 * *avoided). */
static void ct__run_probe(const struct ct__runs *s, const struct ct__run *x, struct ct_table *t,
                          size_t row, uint64_t *avoided)
{
        uint64_t probe = ct__probe_ns(s, x);
        uint64_t d = x->end > x->begin ? x->end - x->begin : 0;
        double share;

        ct_table_set_int(t, row, "events", (int64_t)x->events);
        ct_table_set_int(t, row, "forks", (int64_t)x->forks);
        ct_table_set_int(t, row, "threads", (int64_t)x->threads);
        ct_table_set_int(t, row, "probe_ns", (int64_t)probe);
        ct_table_set_int(t, row, "events_avoided", (int64_t)x->avoided);
        *avoided += x->avoided;
        if (!d) {
                return;
        }
        share = (double)probe / (double)d;
        ct_table_set_double(t, row, "probe_share", share);
        ct_table_set_str(t, row, "distorted",
                         share > CT_ANALYSES_PROBE_DISTORTED_SHARE ? "yes" : "no");
}

static void ct__runs_probe_notes(const struct ct__runs *s, struct ct_table *t, uint64_t avoided)
{
        size_t i;

        if (s->event_cost_ns == CT_ANALYSES_DEFAULT_EVENT_COST_NS) {
                ct_table_note(t,
                              "probe_ns = events recorded during the run (all processes, "
                              "run_begin -> run_end) x %llu ns, the default: rounded up from "
                              "LTTng-UST's enabled costs per event that bench/floor_ust measured "
                              "on the 2-core development VM (docs/performance.md); pass "
                              "--event-cost-ns with your machine's figure "
                              "from bench/run-all; probe_share = probe_ns / duration",
                              (unsigned long long)s->event_cost_ns);
        } else {
                ct_table_note(t,
                              "probe_ns = events recorded during the run (all processes, "
                              "run_begin -> run_end) x %llu ns (--event-cost-ns); probe_share = "
                              "probe_ns / duration",
                              (unsigned long long)s->event_cost_ns);
        }
        ct_table_note(t,
                      "probe_ns adds forks x %llu ns (%s) and threads x %llu ns (%s): what "
                      "tracing adds to a child process forked during the run (it registers with "
                      "the session daemon before its first event) and to a thread created during "
                      "it (threads = thread_begin of non-main threads), %s",
                      (unsigned long long)s->fork_cost_ns,
                      s->fork_cost_ns == CT_ANALYSES_DEFAULT_FORK_COST_NS ? "the default"
                                                                          : "--fork-cost-ns",
                      (unsigned long long)s->thread_cost_ns,
                      s->thread_cost_ns == CT_ANALYSES_DEFAULT_THREAD_COST_NS ? "the default"
                                                                              : "--thread-cost-ns",
                      s->fork_cost_ns == CT_ANALYSES_DEFAULT_FORK_COST_NS &&
                              s->thread_cost_ns == CT_ANALYSES_DEFAULT_THREAD_COST_NS
                          ? "rounded down from bench/fork-cost (traced minus plain C) on the "
                            "2-core development VM (docs/performance.md); measure yours with "
                            "bench/run-all --only fork"
                          : "as given");
        for (i = 0; i < s->n; i++) {
                const struct ct__run *x = &s->runs[i];
                uint64_t d = x->end > x->begin ? x->end - x->begin : 0;
                double share;

                if (!x->ended || x->cut || !d) {
                        continue;
                }
                share = (double)ct__probe_ns(s, x) / (double)d;
                if (share > CT_ANALYSES_PROBE_DISTORTED_SHARE) {
                        ct_table_note(t,
                                      "run %s %s (pid %lld): probe share %.1f%% > %.0f%%: figures "
                                      "of this run are distorted by tracing",
                                      x->scenario, x->variant, (long long)x->vpid, share * 100.0,
                                      CT_ANALYSES_PROBE_DISTORTED_SHARE * 100.0);
                }
        }
        if (avoided) {
                ct_table_note(t,
                              "light recording: events_avoided = 2 x the uncontended acquisitions "
                              "folded into ct_lock:summary events during the run (their acquire "
                              "and release were not recorded; %llu in all)",
                              (unsigned long long)avoided);
        }
}

static void ct__runs_tables(void *self, struct ct_report *r)
{
        struct ct__runs *s = self;
        struct ct_table *t =
            ct_report_add_table(r, "runs", "Runs", ct__runs_cols, CT__ARRAY_LEN(ct__runs_cols));
        uint64_t avoided = 0;
        size_t i;

        if (!t) {
                return;
        }
        for (i = 0; i < s->n; i++) {
                const struct ct__run *x = &s->runs[i];
                size_t row = ct_table_add_row(t);

                ct_table_set_int(t, row, "trace", x->trace);
                ct_table_set_str(t, row, "scenario", x->scenario);
                ct_table_set_str(t, row, "variant", x->variant);
                ct_table_set_int(t, row, "workers", x->workers);
                ct_table_set_str(t, row, "params", x->params);
                ct_table_set_int(t, row, "pid", x->vpid);
                ct_table_set_int(t, row, "begin_ts", (int64_t)x->begin);
                if (x->ended && !x->cut) {
                        ct_table_set_int(t, row, "duration", (int64_t)(x->end - x->begin));
                        ct__run_probe(s, x, t, row, &avoided);
                }
                if (x->ended) {
                        ct_table_set_int(t, row, "status", x->status);
                }
                ct_table_set_str(t, row, "finished",
                                 !x->ended ? "no"
                                 : x->cut  ? "cut by discarded events"
                                           : "yes");
        }
        if (s->unmatched_ends) {
                ct_table_note(t, "%llu run_end events had no run_begin in their process",
                              (unsigned long long)s->unmatched_ends);
        }
        ct__runs_probe_notes(s, t, avoided);
        if (s->err) {
                t->err = s->err;
        }
        ct__speedup_table(s, r);
}

static void ct__runs_free(void *self)
{
        struct ct__runs *s = self;
        size_t i;

        for (i = 0; i < s->n; i++) {
                ct__free(s->runs[i].scenario);
                ct__free(s->runs[i].variant);
                ct__free(s->runs[i].params);
                ct__free(s->runs[i].group);
        }
        ct__free(s->runs);
        ct__map_fini(&s->pending);
        ct__free(s);
}

int ct__runs_create(struct ct__model *m, const struct ct_analyses_opts *opts,
                    struct ct__analysis *out)
{
        struct ct__runs *s = ct__calloc(1, sizeof(*s));

        if (!s) {
                return -ENOMEM;
        }
        s->m = m;
        s->event_cost_ns = opts ? opts->event_cost_ns : CT_ANALYSES_DEFAULT_EVENT_COST_NS;
        s->fork_cost_ns = opts ? opts->fork_cost_ns : CT_ANALYSES_DEFAULT_FORK_COST_NS;
        s->thread_cost_ns = opts ? opts->thread_cost_ns : CT_ANALYSES_DEFAULT_THREAD_COST_NS;
        ct__map_init(&s->pending, sizeof(size_t));
        ct__analysis_init(out, "runs", s, NULL, ct__runs_event, ct__runs_trace_end, ct__runs_tables,
                          ct__runs_free);
        return 0;
}
