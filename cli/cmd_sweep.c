/* SPDX-License-Identifier: MIT */
/*
 * conctrace sweep SCENARIO --workers 1,2,4,8 [--repeat N] [--models LIST]
 *                 [scenario options] [-o DIR] [--force] [--level L] [--quiet]
 * Records the scenario at each worker count (N times, per model), analyzes
 * each model's traces in one pass of the analyses (their runs/speedup table:
 * median time, speedup, efficiency, Karp-Flatt), prints the table and draws
 * speedup and efficiency against workers, with the ideal lines, as SVG and
 * PNG with gnuplot. DIR is built in DIR.tmp-XXXXXX and renamed at the end.
 * See docs/workflows.md.
 */
#define _GNU_SOURCE
#include "ct_cli.h"
#include "ct_recorder.h"
#include "ct_report.h"
#include "ct_wf_analyze.h"
#include "ct_wf_timing.h"
#include "ct_workflow.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CT__PREFIX "conctrace sweep"

static void sweep_usage(FILE *out)
{
        char names[256];

        ct_wf_scenario_names(names, sizeof(names), true);
        fprintf(out,
                "Usage: conctrace sweep SCENARIO --workers 1,2,4,8 [--repeat N] [--models LIST]\n"
                "                       [scenario options] [-o DIR] [--force]\n"
                "                       [--level full|light] [--quiet]\n"
                "\n"
                "Run SCENARIO at each worker count N times untraced (tracing off: the times,\n"
                "speedups and plot come from these) and record it N times (the traces that\n"
                "explain it; their median is the 'traced' column, traced / untraced the\n"
                "'probe' column), analyze the traces and print the speedup table (median\n"
                "time, speedup, efficiency, Karp-Flatt), then\n"
                "draw speedup and efficiency against workers, with the ideal lines, as\n"
                "speedup.svg and speedup.png (gnuplot). One line per model.\n"
                "\n"
                "SCENARIO: %s.\n"
                "Models (--models, default: the first):\n"
                "  task2a   threads, threads+gil             (--num-threads N per recording)\n"
                "  task2b   notify, notify-all, busy-wait    (--consumers N per recording)\n"
                "  primes   threads, threads+gil, processes  (--workers LIST in one recording)\n"
                "  scaling  threads, threads+gil, processes, eventloop\n"
                "                                            (--workers LIST in one recording,\n"
                "                                             with a serial run as baseline)\n"
                "  The labs' Python programs beside the C ones (same options, CPython's real\n"
                "  GIL): task2a py-threads; primes py-threads, py-processes; scaling\n"
                "  py-threads, py-processes, py-asyncio. The py-* scenarios sweep on their\n"
                "  own too (py-task2a threads; py-task2b notify, notify-all, busy-wait;\n"
                "  py-primes threads, processes; py-scaling threads, processes, asyncio).\n"
                "\n"
                "Options:\n"
                "  -w, --workers LIST  worker counts, e.g. 1,2,4,8 (required; task2b and primes\n"
                "                      need 1: their baseline is the 1-worker run)\n"
                "  -r, --repeat N      run each configuration N times untraced and record it\n"
                "                      N times; time = median (default 1)\n"
                "  -m, --models LIST   models to compare, comma separated\n"
                "  -o, --output DIR    output directory (default:\n"
                "                      ./conctrace-runs/sweep-SCENARIO-YYYYmmdd-HHMMSS)\n"
                "  -f, --force         replace an existing DIR (an earlier run or sweep)\n"
                "      --level LEVEL   full (default) or light\n"
                "  -q, --quiet         no progress lines\n"
                "  -h, --help          show this help\n"
                "\n"
                "DIR gets speedup.txt (the table), speedup.csv, speedup.gp (the gnuplot script),\n"
                "speedup.svg, speedup.png, report-MODEL.json (the full analysis of each model's\n"
                "traces), untraced-MODEL.json (runs and speedup of its untraced runs),\n"
                "timeline-MODEL.pftrace and timeline-MODEL.json (its Perfetto timelines, native\n"
                "and Chrome JSON; the JSON is not kept above 256 MB), traces/ and logs/ (each\n"
                "recording's output), timings/ (the untraced runs' run_begin -> run_end\n"
                "times, CT_RUN_TIMES format: docs/workflows.md).\n"
                "Exit status: 0 ok; 2 usage error (nothing created); 1 a recording, a scenario\n"
                "self-check, the analysis or the plot failed (nothing kept).\n",
                names);
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        fputs(CT__PREFIX ": ", stderr);
        vfprintf(stderr, fmt, ap);
        fputs(" (run 'conctrace sweep --help')\n", stderr);
        va_end(ap);
        return CT_CLI_EXIT_USAGE;
}

enum {
        OPT_WORKERS = 1,
        OPT_REPEAT,
        OPT_MODELS,
        OPT_OUTPUT,
        OPT_FORCE,
        OPT_LEVEL,
        OPT_QUIET,
        OPT_HELP
};

static const struct ct_wf_opt sweep_opts[] = {
    {"workers", 'w', true, OPT_WORKERS}, {"repeat", 'r', true, OPT_REPEAT},
    {"models", 'm', true, OPT_MODELS},   {"output", 'o', true, OPT_OUTPUT},
    {"force", 'f', false, OPT_FORCE},    {"level", 0, true, OPT_LEVEL},
    {"quiet", 'q', false, OPT_QUIET},    {"help", 'h', false, OPT_HELP},
};

struct sweep_ctx {
        const char *workers; /* weak: from argv */
        const char *models;  /* weak: from argv */
        const char *output;  /* weak: from argv */
        long repeat;
        bool force;
        bool quiet;
        enum ct_record_level level;
};

static int sweep_opt(void *vctx, int id, const char *value)
{
        struct sweep_ctx *ctx = vctx;
        char why[256];

        switch (id) {
        case OPT_WORKERS:
                ctx->workers = value;
                break;
        case OPT_REPEAT:
                if (ct_wf_parse_repeat(value, &ctx->repeat, why, sizeof(why))) {
                        usage_error("%s", why);
                        return -EINVAL;
                }
                break;
        case OPT_MODELS:
                ctx->models = value;
                break;
        case OPT_OUTPUT:
                if (!value[0]) {
                        usage_error("-o needs a directory");
                        return -EINVAL;
                }
                ctx->output = value;
                break;
        case OPT_FORCE:
                ctx->force = true;
                break;
        case OPT_LEVEL:
                if (ct_recorder_parse_level(value, &ctx->level)) {
                        usage_error("invalid --level '%s' (expected full or light)", value);
                        return -EINVAL;
                }
                break;
        case OPT_QUIET:
                ctx->quiet = true;
                break;
        default:
                break;
        }
        return 0;
}

/*
 * One worker count of one model: the speedup row of the untraced timings
 * (time, speedup, efficiency, Karp-Flatt) and the median of the traced runs.
 */
struct sweep_point {
        long workers;
        bool have; /* a row with a time exists */
        int64_t runs;
        int64_t time; /* ns, median of the untraced runs */
        bool has_speedup, has_eff, has_kf;
        double speedup, eff, kf;
        bool have_traced;
        int64_t traced_runs;
        int64_t traced_time; /* ns, median of the traced runs */
};

struct sweep_series {
        const struct ct_wf_model *model; /* weak: static table */
        const struct ct_wf_scenario *sc; /* weak: the scenario the model runs (a py-* one) */
        char prog[PATH_MAX + 64];        /* its program (a Python scenario's script) */
        struct sweep_point pts[CT_WF_MAX_COUNTS];
        char baseline[64];
        int64_t baseline_time;
        bool has_baseline;
        char **traces; /* owned: paths relative to DIR (each owned) */
        size_t ntraces;
        char **timings; /* owned: timing files, absolute while building (each owned) */
        size_t ntimings;
};

struct sweep {
        const struct ct_wf_scenario *sc; /* weak */
        long workers[CT_WF_MAX_COUNTS];
        size_t nworkers;
        struct sweep_series series[CT_WF_MAX_MODELS];
        size_t nseries;
        char *title; /* owned: "scaling --workload cpu" */
        char png_terminal[16];
        bool progress;
};

static double now_s(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Prints the last lines of a log file to stderr. */
static void print_tail(const char *path, int lines)
{
        char *buf = NULL;
        size_t len = 0;
        FILE *f = fopen(path, "r");
        const char *p;
        int seen = 0;

        if (!f) {
                return;
        }
        {
                FILE *m = open_memstream(&buf, &len);
                int c;

                if (!m) {
                        fclose(f);
                        return;
                }
                while ((c = fgetc(f)) != EOF) {
                        fputc(c, m);
                }
                fclose(m);
        }
        fclose(f);
        if (!buf) {
                return;
        }
        p = buf + len;
        while (p > buf) {
                if (p[-1] == '\n' && p != buf + len && ++seen > lines) {
                        break;
                }
                p--;
        }
        fprintf(stderr, "--- last lines of the scenario's output (%s) ---\n%s", path, p);
        if (len && buf[len - 1] != '\n') {
                fputc('\n', stderr);
        }
        fprintf(stderr, "---\n");
        free(buf);
}

static void join_workers(const struct sweep *s, const long *w, size_t n, char *buf, size_t size)
{
        size_t i, len = 0;

        (void)s;
        buf[0] = '\0';
        for (i = 0; i < n; i++) {
                int k = snprintf(buf + len, size - len, "%s%ld", i ? "," : "", w[i]);

                if (k < 0 || (size_t)k >= size - len) {
                        return;
                }
                len += (size_t)k;
        }
}

/*
 * ARGV (64 + 9 slots) of one execution: the scenario with the user's options
 * (NUSER <= 64), the model's options and the worker option WLIST.
 */
static void scenario_argv(const struct sweep *s, struct sweep_series *se, char **user_args,
                          size_t nuser, const char *wlist, char **argv)
{
        const struct ct_wf_model *m = se->model;
        size_t argc, i;

        argc = ct_wf_scenario_argv(se->sc, se->prog, argv);
        for (i = 0; i < nuser; i++) {
                argv[argc++] = user_args[i];
        }
        for (i = 0; i < 4 && m->args[i]; i++) {
                argv[argc++] = (char *)m->args[i];
        }
        argv[argc++] = (char *)s->sc->workers_opt;
        argv[argc++] = (char *)wlist;
        argv[argc] = NULL;
}

/*
 * Records one execution: the scenario with the user's options, the model's
 * options and the worker option, into DIR.tmp/traces/NAME, its standard output
 * into DIR.tmp/logs/NAME.txt. 0, or the exit status of the sweep.
 */
static int record_one(struct sweep *s, const char *tmp, char **user_args, size_t nuser,
                      struct sweep_series *se, const char *wlist, const char *name,
                      enum ct_record_level level)
{
        struct ct_recorder_opts ropts;
        struct ct_recorder_result res;
        char trace_dir[PATH_MAX + 64], log_path[PATH_MAX + 64];
        char *argv[64 + 9];
        int saved = -1, fd;
        int ret;

        if (nuser > 64) {
                return usage_error("too many scenario options (at most 64)");
        }
        scenario_argv(s, se, user_args, nuser, wlist, argv);

        snprintf(trace_dir, sizeof(trace_dir), "%s/traces/%s", tmp, name);
        snprintf(log_path, sizeof(log_path), "%s/logs/%s.txt", tmp, name);
        fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
        if (fd < 0) {
                fprintf(stderr, CT__PREFIX ": Failed to create log: path=%s: %s\n", log_path,
                        strerror(errno));
                return 1;
        }
        ct_recorder_opts_init(&ropts);
        ropts.output_dir = trace_dir;
        ropts.level = level;
        ropts.quiet = 1;
        fflush(stdout);
        saved = dup(STDOUT_FILENO);
        if (saved < 0 || dup2(fd, STDOUT_FILENO) < 0) {
                fprintf(stderr, CT__PREFIX ": Failed to redirect the scenario's output: %s\n",
                        strerror(errno));
                close(fd);
                if (saved >= 0) {
                        close(saved);
                }
                return 1;
        }
        close(fd);
        ret = ct_recorder_run(&ropts, argv, &res);
        fflush(stdout);
        dup2(saved, STDOUT_FILENO);
        close(saved);
        if (ret < 0) {
                fprintf(stderr, CT__PREFIX ": Failed to record %s (%s): nothing kept\n",
                        s->sc->name, name);
                return res.exit_code ? res.exit_code : 1;
        }
        if (res.interrupted) {
                fprintf(stderr, CT__PREFIX ": interrupted: nothing kept\n");
                return res.exit_code ? res.exit_code : 130;
        }
        if (res.exit_code == CT_CLI_EXIT_USAGE && !res.term_signal) {
                print_tail(log_path, 10);
                fprintf(stderr,
                        CT__PREFIX ": %s rejected its options (see its message above; '%s "
                                   "--help' lists them): nothing kept\n",
                        se->sc->name, se->prog);
                return CT_CLI_EXIT_USAGE;
        }
        if (res.exit_code != 0) {
                print_tail(log_path, 15);
                fprintf(stderr,
                        CT__PREFIX ": SCENARIO FAILED: %s (%s) exited with status %d: the sweep "
                                   "stops, nothing kept (record it alone with 'conctrace run' "
                                   "to inspect it)\n",
                        se->sc->name, name, res.exit_code);
                return 1;
        }
        return 0;
}

/* Appends the path printf(FMT, ...) makes to the list *V of *N. 0 or -ENOMEM. */
static int add_path(char ***v, size_t *n, const char *fmt, ...)
{
        char **grown = realloc(*v, (*n + 1) * sizeof(*grown));
        va_list ap;
        int r;

        if (!grown) {
                return -ENOMEM;
        }
        *v = grown;
        va_start(ap, fmt);
        r = vasprintf(&grown[*n], fmt, ap);
        va_end(ap);
        if (r < 0) {
                return -ENOMEM;
        }
        (*n)++;
        return 0;
}

/*
 * Runs one execution untraced (tracing off: no session; the runtime writes
 * the run markers' clock readings to DIR.tmp/timings/NAME.tsv), its output to
 * DIR.tmp/logs/NAME-untraced.txt. 0, or the exit status of the sweep.
 */
static int time_one(struct sweep *s, const char *tmp, char **user_args, size_t nuser,
                    struct sweep_series *se, const char *wlist, const char *name)
{
        char times[PATH_MAX + 64], log_path[PATH_MAX + 64];
        char *argv[64 + 9];
        int code = 0, n;

        if (nuser > 64) {
                return usage_error("too many scenario options (at most 64)");
        }
        scenario_argv(s, se, user_args, nuser, wlist, argv);
        snprintf(times, sizeof(times), "%s/timings/%s.tsv", tmp, name);
        snprintf(log_path, sizeof(log_path), "%s/logs/%s-untraced.txt", tmp, name);
        if (ct_wf_untraced_run(argv, times, log_path, &code)) {
                return 1;
        }
        if (code == CT_CLI_EXIT_USAGE) {
                print_tail(log_path, 10);
                fprintf(stderr,
                        CT__PREFIX ": %s rejected its options (see its message above; '%s "
                                   "--help' lists them): nothing kept\n",
                        se->sc->name, se->prog);
                return CT_CLI_EXIT_USAGE;
        }
        if (code != 0) {
                print_tail(log_path, 15);
                fprintf(stderr,
                        CT__PREFIX ": SCENARIO FAILED: %s (%s, untraced) exited with status %d: "
                                   "the sweep stops, nothing kept\n",
                        se->sc->name, name, code);
                return code >= 128 ? code : 1;
        }
        n = ct_wf_timing_count(times);
        if (n <= 0) {
                fprintf(stderr,
                        CT__PREFIX ": %s (%s, untraced) wrote no run timings to %s (%s): "
                                   "nothing kept\n",
                        se->sc->name, name, times,
                        n < 0 ? strerror(-n) : "is it linked with the conctrace runtime?");
                return 1;
        }
        return 0;
}

/*
 * The point of series SE that row I of the speedup table T is about (same
 * scenario, variant and worker count) and that has no value yet, or NULL.
 * TRACED: whether T holds the traced medians (else untraced ones).
 */
static struct sweep_point *row_point(struct sweep *s, struct sweep_series *se,
                                     const struct ct_table *t, size_t i, bool traced)
{
        int64_t w = 0;
        size_t k;

        if (strcmp(ct_wf_cell_str(t, i, "variant"), se->model->variant) != 0 ||
            strcmp(ct_wf_cell_str(t, i, "scenario"), se->sc->name) != 0 ||
            !ct_wf_cell_int(t, i, "workers", &w)) {
                return NULL;
        }
        for (k = 0; k < s->nworkers; k++) {
                struct sweep_point *p = &se->pts[k];

                if (p->workers == w && !(traced ? p->have_traced : p->have)) {
                        return p;
                }
        }
        return NULL;
}

/* Traced medians of a series, from the speedup table of its traces' analysis. */
static void read_traced(struct sweep *s, struct sweep_series *se, const struct ct_table *t)
{
        size_t i;

        for (i = 0; i < s->nworkers; i++) {
                se->pts[i].workers = s->workers[i];
        }
        for (i = 0; t && i < t->nrows; i++) {
                struct sweep_point *p = row_point(s, se, t, i, true);

                if (p) {
                        p->have_traced = ct_wf_cell_int(t, i, "time", &p->traced_time);
                        ct_wf_cell_int(t, i, "runs", &p->traced_runs);
                }
        }
}

/* Fills a series' points from the speedup table of its model's untraced timings. */
static void read_series(struct sweep *s, struct sweep_series *se, const struct ct_table *t)
{
        size_t i;

        for (i = 0; i < s->nworkers; i++) {
                se->pts[i].workers = s->workers[i];
        }
        for (i = 0; t && i < t->nrows; i++) {
                struct sweep_point *p = row_point(s, se, t, i, false);

                if (p) {
                        p->have = ct_wf_cell_int(t, i, "time", &p->time);
                        ct_wf_cell_int(t, i, "runs", &p->runs);
                        p->has_speedup = ct_wf_cell_double(t, i, "speedup", &p->speedup);
                        p->has_eff = ct_wf_cell_double(t, i, "efficiency", &p->eff);
                        p->has_kf = ct_wf_cell_double(t, i, "karp_flatt", &p->kf);
                        if (!se->has_baseline &&
                            ct_wf_cell_int(t, i, "baseline_time", &se->baseline_time)) {
                                snprintf(se->baseline, sizeof(se->baseline), "%s",
                                         ct_wf_cell_str(t, i, "baseline"));
                                se->has_baseline = true;
                        }
                }
        }
}

/* "%.3f" of v (times scale, with a suffix), or "-" when unset. */
static void fmt_opt_double(char *buf, size_t size, bool has, double v, double scale,
                           const char *suffix)
{
        if (has) {
                snprintf(buf, size, scale == 1.0 ? "%.3f%s" : "%.1f%s", v * scale, suffix);
        } else {
                snprintf(buf, size, "-");
        }
}

/* The speedup table as text (terminal and speedup.txt). */
static void write_table(const struct sweep *s, long repeat, FILE *f)
{
        size_t i, k;

        fprintf(f, "Speedup sweep: %s\n", s->title);
        fprintf(f,
                "(each configuration run %ld time%s untraced and recorded %ld time%s; time = "
                "median of the untraced runs\n"
                " (tracing off), traced = median of the recorded runs, probe = traced / time, "
                "the measured probe effect;\n"
                " speedup = T(baseline) / T, efficiency = speedup / workers and Karp-Flatt =\n"
                " (1/speedup - 1/p) / (1 - 1/p), the serial fraction, all from the untraced "
                "times)\n\n",
                repeat, repeat == 1 ? "" : "s", repeat, repeat == 1 ? "" : "s");
        fprintf(f, "  %-12s %7s %5s %12s %12s %7s %8s %10s %10s  %s\n", "model", "workers", "runs",
                "time", "traced", "probe", "speedup", "efficiency", "karp-flatt", "baseline");
        for (i = 0; i < s->nseries; i++) {
                const struct sweep_series *se = &s->series[i];

                for (k = 0; k < s->nworkers; k++) {
                        const struct sweep_point *p = &se->pts[k];
                        char tb[32], sb[32], eb[32], kb[32], bb[96], btb[32], trb[32], pb[32];

                        if (p->have) {
                                ct_report_fmt_ns(p->time, tb, sizeof(tb));
                        } else {
                                snprintf(tb, sizeof(tb), "no run");
                        }
                        if (p->have_traced) {
                                ct_report_fmt_ns(p->traced_time, trb, sizeof(trb));
                        } else {
                                snprintf(trb, sizeof(trb), "no run");
                        }
                        fmt_opt_double(
                            pb, sizeof(pb), p->have && p->have_traced && p->time > 0,
                            p->have && p->time > 0 ? (double)p->traced_time / (double)p->time : 0.0,
                            1.0, "x");
                        fmt_opt_double(sb, sizeof(sb), p->has_speedup, p->speedup, 1.0, "");
                        fmt_opt_double(eb, sizeof(eb), p->has_eff, p->eff, 100.0, "%");
                        fmt_opt_double(kb, sizeof(kb), p->has_kf, p->kf, 1.0, "");
                        if (se->has_baseline) {
                                snprintf(bb, sizeof(bb), "%s %s", se->baseline,
                                         ct_report_fmt_ns(se->baseline_time, btb, sizeof(btb)));
                        } else {
                                snprintf(bb, sizeof(bb), "none");
                        }
                        fprintf(f, "  %-12s %7ld %5" PRId64 " %12s %12s %7s %8s %10s %10s  %s\n",
                                se->model->name, p->workers, p->runs, tb, trb, pb, sb, eb, kb, bb);
                }
        }
}

static int write_csv(const struct sweep *s, const char *path)
{
        FILE *f = fopen(path, "w");
        size_t i, k;

        if (!f) {
                return -errno;
        }
        fprintf(f, "model,workers,runs,time_ns,speedup,efficiency,karp_flatt,baseline,"
                   "baseline_time_ns,traced_runs,traced_time_ns,probe_ratio\n");
        for (i = 0; i < s->nseries; i++) {
                const struct sweep_series *se = &s->series[i];

                for (k = 0; k < s->nworkers; k++) {
                        const struct sweep_point *p = &se->pts[k];

                        fprintf(f, "%s,%ld,%" PRId64 ",", se->model->name, p->workers, p->runs);
                        if (p->have) {
                                fprintf(f, "%" PRId64, p->time);
                        }
                        fputc(',', f);
                        if (p->has_speedup) {
                                fprintf(f, "%.6f", p->speedup);
                        }
                        fputc(',', f);
                        if (p->has_eff) {
                                fprintf(f, "%.6f", p->eff);
                        }
                        fputc(',', f);
                        if (p->has_kf) {
                                fprintf(f, "%.6f", p->kf);
                        }
                        fprintf(f, ",%s,", se->has_baseline ? se->baseline : "");
                        if (se->has_baseline) {
                                fprintf(f, "%" PRId64, se->baseline_time);
                        }
                        fprintf(f, ",%" PRId64 ",", p->traced_runs);
                        if (p->have_traced) {
                                fprintf(f, "%" PRId64, p->traced_time);
                        }
                        fputc(',', f);
                        if (p->have && p->have_traced && p->time > 0) {
                                fprintf(f, "%.6f", (double)p->traced_time / (double)p->time);
                        }
                        fputc('\n', f);
                }
        }
        if (ferror(f) | fclose(f)) {
                return -EIO;
        }
        return 0;
}

/* A gnuplot string literal: double quotes, with " and \ left out. */
static void gp_string(FILE *f, const char *s)
{
        fputc('"', f);
        for (; *s; s++) {
                if (*s != '"' && *s != '\\' && *s != '\n') {
                        fputc(*s, f);
                }
        }
        fputc('"', f);
}

static void gp_plots(const struct sweep *s, FILE *f)
{
        size_t i, k;
        long wmax = s->workers[s->nworkers - 1];

        fprintf(f, "set multiplot layout 1,2 title ");
        gp_string(f, s->title);
        fprintf(f, "\n");
        fprintf(f, "set xrange [0:%g]\nset xtics (", (double)wmax * 1.08 + 0.3);
        for (k = 0; k < s->nworkers; k++) {
                fprintf(f, "%s%ld", k ? ", " : "", s->workers[k]);
        }
        fprintf(f, ")\nset xlabel \"workers\"\nset grid\nset key top left box opaque\n");
        fprintf(f, "set ylabel \"speedup (T baseline / T)\"\nset yrange [0:*]\n");
        fprintf(f, "set title \"Speedup\"\nplot ");
        for (i = 0; i < s->nseries; i++) {
                fprintf(f, "$m%zu using 1:3 with linespoints lw 2 pt 7 ps 1.2 title ", i);
                gp_string(f, s->series[i].model->name);
                fprintf(f, ", \\\n     ");
        }
        fprintf(f, "x with lines dt 2 lw 1.5 lc rgb \"gray40\" title \"ideal\"\n");
        fprintf(f, "set ylabel \"efficiency (speedup / workers)\"\nset yrange [0:1.2]\n");
        fprintf(f, "set key bottom left box opaque\nset title \"Efficiency\"\nplot ");
        for (i = 0; i < s->nseries; i++) {
                fprintf(f, "$m%zu using 1:4 with linespoints lw 2 pt 7 ps 1.2 title ", i);
                gp_string(f, s->series[i].model->name);
                fprintf(f, ", \\\n     ");
        }
        fprintf(f, "1 with lines dt 2 lw 1.5 lc rgb \"gray40\" title \"ideal\"\n");
        fprintf(f, "unset multiplot\nunset output\n");
}

static int write_gnuplot(const struct sweep *s, const char *path)
{
        FILE *f = fopen(path, "w");
        size_t i, k;

        if (!f) {
                return -errno;
        }
        fprintf(f, "# Generated by conctrace sweep: speedup and efficiency against workers.\n"
                   "# Run again with: gnuplot speedup.gp (in this directory)\n"
                   "set datafile missing \"?\"\n");
        for (i = 0; i < s->nseries; i++) {
                const struct sweep_series *se = &s->series[i];

                fprintf(f, "# model %s: workers time_ns speedup efficiency karp_flatt\n",
                        se->model->name);
                fprintf(f, "$m%zu << EOD\n", i);
                for (k = 0; k < s->nworkers; k++) {
                        const struct sweep_point *p = &se->pts[k];

                        fprintf(f, "%ld ", p->workers);
                        if (p->have) {
                                fprintf(f, "%" PRId64 " ", p->time);
                        } else {
                                fprintf(f, "? ");
                        }
                        if (p->has_speedup) {
                                fprintf(f, "%.6f ", p->speedup);
                        } else {
                                fprintf(f, "? ");
                        }
                        if (p->has_eff) {
                                fprintf(f, "%.6f ", p->eff);
                        } else {
                                fprintf(f, "? ");
                        }
                        if (p->has_kf) {
                                fprintf(f, "%.6f\n", p->kf);
                        } else {
                                fprintf(f, "?\n");
                        }
                }
                fprintf(f, "EOD\n");
        }
        fprintf(f, "\nset terminal svg size 1100,480 dynamic noenhanced font \"sans,12\" "
                   "background rgb \"white\"\nset output \"speedup.svg\"\n");
        gp_plots(s, f);
        fprintf(f, "\nset terminal %s size 1100,480 noenhanced%s\nset output \"speedup.png\"\n",
                s->png_terminal,
                strcmp(s->png_terminal, "pngcairo") == 0 ? " font \"sans,10\"" : "");
        gp_plots(s, f);
        if (ferror(f) | fclose(f)) {
                return -EIO;
        }
        return 0;
}

/*
 * Runs `gnuplot ARGS...` in dir with stdout/stderr to log (NULL: /dev/null).
 * Returns its exit status, or -errno if it could not run.
 */
static int run_gnuplot(const char *dir, const char *log, char *const argv[])
{
        pid_t pid;
        int st;

        fflush(stdout);
        fflush(stderr);
        pid = fork();
        if (pid < 0) {
                return -errno;
        }
        if (pid == 0) {
                int fd = open(log ? log : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0666);

                if (fd >= 0) {
                        dup2(fd, STDOUT_FILENO);
                        dup2(fd, STDERR_FILENO);
                        close(fd);
                }
                if (dir && chdir(dir)) {
                        _exit(126);
                }
                execvp(argv[0], argv);
                _exit(127);
        }
        while (waitpid(pid, &st, 0) < 0) {
                if (errno != EINTR) {
                        return -errno;
                }
        }
        if (WIFEXITED(st)) {
                return WEXITSTATUS(st);
        }
        return 128 + WTERMSIG(st);
}

static bool nonempty_file(const char *dir, const char *name)
{
        char p[PATH_MAX + 64];
        struct stat st;

        snprintf(p, sizeof(p), "%s/%s", dir, name);
        return stat(p, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
}

static char *make_title(const struct ct_wf_scenario *sc, char **args, size_t n)
{
        char *buf = NULL;
        size_t len = 0, i;
        FILE *m = open_memstream(&buf, &len);

        if (!m) {
                return NULL;
        }
        fputs(sc->name, m);
        for (i = 0; i < n; i++) {
                fprintf(m, " %s", args[i]);
        }
        if (fclose(m)) {
                free(buf);
                return NULL;
        }
        return buf;
}

int ct_cmd_sweep(int argc, char **argv)
{
        struct sweep_ctx ctx = {.repeat = 1, .level = CT_RECORD_LEVEL_FULL};
        struct sweep s;
        struct ct_wf_args args;
        struct ct_wf_outdir od = {0};
        const struct ct_wf_model *models[CT_WF_MAX_MODELS];
        size_t nmodels = 1;
        char why[1024];
        char gnuplot[PATH_MAX];
        char abs_dir[PATH_MAX];
        char path[PATH_MAX + 64];
        char wall[256];
        const char *reserved;
        double t0 = now_s();
        size_t nexec, iexec = 0, i, k;
        long r;
        int status = 1;
        int ret;

        memset(&s, 0, sizeof(s));
        ret = ct_wf_split_args(argc, argv, sweep_opts, sizeof(sweep_opts) / sizeof(sweep_opts[0]),
                               sweep_opt, &ctx, &args, why, sizeof(why));
        if (ret == -ECANCELED) {
                ct_wf_args_fini(&args);
                return CT_CLI_EXIT_USAGE;
        }
        if (ret) {
                ct_wf_args_fini(&args);
                if (ret == -ENOMEM) {
                        fputs(CT__PREFIX ": out of memory\n", stderr);
                        return 1;
                }
                return usage_error("%s", why);
        }
        if (args.help) {
                sweep_usage(stdout);
                status = 0;
                goto end;
        }
        if (!args.scenario) {
                status = usage_error("no SCENARIO given (usage: conctrace sweep SCENARIO "
                                     "--workers 1,2,4 [scenario options])");
                goto end;
        }
        s.sc = ct_wf_scenario_find(args.scenario);
        if (!s.sc) {
                char names[256];

                ct_wf_scenario_names(names, sizeof(names), false);
                status = usage_error("unknown scenario '%s' (scenarios: %s; 'conctrace list' "
                                     "describes them)",
                                     args.scenario, names);
                goto end;
        }
        if (!s.sc->workers_opt) {
                char names[256];

                ct_wf_scenario_names(names, sizeof(names), true);
                status = usage_error("scenario %s has no worker count to sweep (scenarios with "
                                     "one: %s)",
                                     s.sc->name, names);
                goto end;
        }
        if (!ctx.workers) {
                status = usage_error("--workers LIST is required (e.g. --workers 1,2,4,8)");
                goto end;
        }
        if (ct_wf_parse_workers(ctx.workers, s.workers, &s.nworkers, why, sizeof(why))) {
                status = usage_error("%s", why);
                goto end;
        }
        if (s.sc->needs_one && s.workers[0] != 1) {
                status = usage_error("--workers '%s' must include 1 for %s: its speedup "
                                     "baseline is the 1-worker run",
                                     ctx.workers, s.sc->name);
                goto end;
        }
        models[0] = &s.sc->models[0];
        if (ctx.models &&
            ct_wf_parse_models(s.sc, ctx.models, models, &nmodels, why, sizeof(why))) {
                status = usage_error("%s", why);
                goto end;
        }
        reserved = ct_wf_reserved_arg(s.sc, args.scn_argv, args.scn_argc);
        if (reserved) {
                status = usage_error("scenario option '%s' is set by the sweep itself (use "
                                     "--workers for the worker counts, --models for the "
                                     "models)",
                                     reserved);
                goto end;
        }
        for (i = 0; i < nmodels; i++) {
                struct sweep_series *se = &s.series[i];

                se->model = models[i];
                se->sc = models[i]->scenario ? ct_wf_scenario_find(models[i]->scenario) : s.sc;
                if (!se->sc) {
                        fprintf(stderr, CT__PREFIX ": model %s: no scenario %s\n", models[i]->name,
                                models[i]->scenario);
                        goto end;
                }
                reserved = ct_wf_reserved_arg(se->sc, args.scn_argv, args.scn_argc);
                if (reserved) {
                        status = usage_error("scenario option '%s' is set by the sweep itself "
                                             "(model %s)",
                                             reserved, models[i]->name);
                        goto end;
                }
                if (ct_wf_scenario_path(se->sc, se->prog, sizeof(se->prog), why, sizeof(why))) {
                        fprintf(stderr, CT__PREFIX ": %s\n", why);
                        goto end;
                }
        }
        if (ct_wf_find_program("gnuplot", gnuplot, sizeof(gnuplot))) {
                fprintf(stderr, CT__PREFIX ": gnuplot not found in PATH: the plot cannot be "
                                           "drawn (Debian: apt-get install gnuplot-nox)\n");
                goto end;
        }
        {
                char *probe[] = {gnuplot, "-e", "set terminal pngcairo", NULL};

                snprintf(s.png_terminal, sizeof(s.png_terminal), "%s",
                         run_gnuplot(NULL, NULL, probe) == 0 ? "pngcairo" : "png");
        }
        s.title = make_title(s.sc, args.scn_argv, args.scn_argc);
        if (!s.title) {
                fputs(CT__PREFIX ": out of memory\n", stderr);
                goto end;
        }
        s.progress = !ctx.quiet && isatty(STDERR_FILENO);
        s.nseries = nmodels;
        {
                char dname[64];

                snprintf(dname, sizeof(dname), "sweep-%s", s.sc->name);
                ret = ct_wf_outdir_prepare(&od, ctx.output, ctx.force, dname, why, sizeof(why));
        }
        if (ret) {
                fprintf(stderr, CT__PREFIX ": %s\n", why);
                goto end;
        }
        for (i = 0; i < 3; i++) {
                snprintf(path, sizeof(path), "%s/%s", od.tmp,
                         i == 2 ? "timings"
                         : i    ? "logs"
                                : "traces");
                if (mkdir(path, 0777)) {
                        fprintf(stderr, CT__PREFIX ": Failed to create directory: path=%s: %s\n",
                                path, strerror(errno));
                        goto end;
                }
        }

        /* Record. */
        nexec = nmodels * (size_t)ctx.repeat * (s.sc->workers_list ? 1 : s.nworkers);
        join_workers(&s, s.workers, s.nworkers, wall, sizeof(wall));
        for (i = 0; i < nmodels; i++) {
                struct sweep_series *se = &s.series[i];

                for (r = 1; r <= ctx.repeat; r++) {
                        size_t nw = s.sc->workers_list ? 1 : s.nworkers;

                        for (k = 0; k < nw; k++) {
                                char name[128], wone[32];
                                const char *wl = wall;

                                if (s.sc->workers_list) {
                                        snprintf(name, sizeof(name), "%s-r%ld", se->model->name, r);
                                } else {
                                        snprintf(wone, sizeof(wone), "%ld", s.workers[k]);
                                        wl = wone;
                                        snprintf(name, sizeof(name), "%s-w%ld-r%ld",
                                                 se->model->name, s.workers[k], r);
                                }
                                iexec++;
                                if (s.progress) {
                                        fprintf(stderr,
                                                CT__PREFIX ": [%zu/%zu] timing (untraced) and "
                                                           "recording %s, model %s, %s %s, "
                                                           "repeat %ld/%ld\n",
                                                iexec, nexec, s.sc->name, se->model->name,
                                                s.sc->workers_opt, wl, r, ctx.repeat);
                                }
                                /* untraced and traced executions alternate: same conditions */
                                status = time_one(&s, od.tmp, args.scn_argv, args.scn_argc, se, wl,
                                                  name);
                                if (status) {
                                        goto end;
                                }
                                status = 1;
                                if (add_path(&se->timings, &se->ntimings, "%s/timings/%s.tsv",
                                             od.tmp, name)) {
                                        fputs(CT__PREFIX ": out of memory\n", stderr);
                                        goto end;
                                }
                                status = record_one(&s, od.tmp, args.scn_argv, args.scn_argc, se,
                                                    wl, name, ctx.level);
                                if (status) {
                                        goto end;
                                }
                                status = 1;
                                if (add_path(&se->traces, &se->ntraces, "traces/%s", name)) {
                                        fputs(CT__PREFIX ": out of memory\n", stderr);
                                        goto end;
                                }
                        }
                }
        }

        /* Analyze each model's traces in one pass: its runs and speedup table. */
        for (i = 0; i < nmodels; i++) {
                struct sweep_series *se = &s.series[i];
                struct ct_analyses *a = NULL;
                struct ct_report report;
                char json[96], tl[96], tlpb[96];
                struct ct_wf_analyze_opts aopts = {
                    .dir = od.tmp,
                    .traces = (const char *const *)se->traces,
                    .n = se->ntraces,
                    .report_json = json,
                    .timeline = tl,
                    .timeline_pb = tlpb,
                    .quiet = ctx.quiet,
                    .prefix = CT__PREFIX,
                };

                snprintf(json, sizeof(json), "report-%s.json", se->model->name);
                snprintf(tl, sizeof(tl), "timeline-%s.json", se->model->name);
                snprintf(tlpb, sizeof(tlpb), "timeline-%s.pftrace", se->model->name);
                if (s.progress) {
                        fprintf(stderr, CT__PREFIX ": analyzing model %s (%zu trace%s)\n",
                                se->model->name, se->ntraces, se->ntraces == 1 ? "" : "s");
                }
                if (ct_wf_analyze(&aopts, &a, &report)) {
                        fprintf(stderr, CT__PREFIX ": nothing kept\n");
                        goto end;
                }
                read_traced(&s, se, ct_report_find(&report, "speedup"));
                ct_report_fini(&report);
                ct_analyses_destroy(a);
                snprintf(path, sizeof(path), "%s/untraced-%s.json", od.tmp, se->model->name);
                if (ct_wf_timing_report((const char *const *)se->timings, se->ntimings,
                                        CT_REPORT_JSON, path, &report, why, sizeof(why))) {
                        fprintf(stderr, CT__PREFIX ": %s: nothing kept\n", why);
                        ct_report_fini(&report);
                        goto end;
                }
                read_series(&s, se, ct_report_find(&report, "speedup"));
                ct_report_fini(&report);
        }

        /* Table, data, plot. */
        snprintf(path, sizeof(path), "%s/speedup.txt", od.tmp);
        {
                FILE *f = fopen(path, "w");

                if (!f) {
                        fprintf(stderr, CT__PREFIX ": Failed to write: path=%s: %s\n", path,
                                strerror(errno));
                        goto end;
                }
                write_table(&s, ctx.repeat, f);
                if (ferror(f) | fclose(f)) {
                        fprintf(stderr, CT__PREFIX ": Failed to write: path=%s\n", path);
                        goto end;
                }
        }
        snprintf(path, sizeof(path), "%s/speedup.csv", od.tmp);
        ret = write_csv(&s, path);
        if (ret) {
                fprintf(stderr, CT__PREFIX ": Failed to write: path=%s: %s\n", path,
                        strerror(-ret));
                goto end;
        }
        snprintf(path, sizeof(path), "%s/speedup.gp", od.tmp);
        ret = write_gnuplot(&s, path);
        if (ret) {
                fprintf(stderr, CT__PREFIX ": Failed to write: path=%s: %s\n", path,
                        strerror(-ret));
                goto end;
        }
        if (s.progress) {
                fprintf(stderr, CT__PREFIX ": drawing the plot with gnuplot (%s, svg)\n",
                        s.png_terminal);
        }
        {
                char gp_log[PATH_MAX + 64];
                char *gp_argv[] = {gnuplot, "speedup.gp", NULL};

                snprintf(gp_log, sizeof(gp_log), "%s/logs/gnuplot.txt", od.tmp);
                ret = run_gnuplot(od.tmp, gp_log, gp_argv);
                if (ret != 0 || !nonempty_file(od.tmp, "speedup.svg") ||
                    !nonempty_file(od.tmp, "speedup.png")) {
                        print_tail(gp_log, 15);
                        fprintf(stderr,
                                CT__PREFIX ": Failed to draw the plot: gnuplot %s: nothing "
                                           "kept\n",
                                ret < 0 ? strerror(-ret) : "failed (see its output above)");
                        goto end;
                }
        }
        ret = ct_wf_outdir_commit(&od, why, sizeof(why));
        if (ret) {
                fprintf(stderr, CT__PREFIX ": %s: nothing kept\n", why);
                goto end;
        }
        if (!realpath(od.final, abs_dir)) {
                snprintf(abs_dir, sizeof(abs_dir), "%s", od.final);
        }
        printf("\n");
        write_table(&s, ctx.repeat, stdout);
        printf("\n%zu recording%s in %.1f s\n", nexec, nexec == 1 ? "" : "s", now_s() - t0);
        printf("  plot:    %s/speedup.svg and %s/speedup.png\n", abs_dir, abs_dir);
        printf("  table:   %s/speedup.txt (data: speedup.csv, script: speedup.gp)\n", abs_dir);
        printf("  reports: %s/report-MODEL.json, traces in %s/traces/\n", abs_dir, abs_dir);
        printf("  untraced run timings: %s/timings/\n", abs_dir);
        printf("  timelines: %s/timeline-MODEL.pftrace (open in https://ui.perfetto.dev)\n",
               abs_dir);
        status = 0;
end:
        for (i = 0; i < CT_WF_MAX_MODELS; i++) {
                for (k = 0; k < s.series[i].ntraces; k++) {
                        free(s.series[i].traces[k]);
                }
                free(s.series[i].traces);
                for (k = 0; k < s.series[i].ntimings; k++) {
                        free(s.series[i].timings[k]);
                }
                free(s.series[i].timings);
        }
        free(s.title);
        ct_wf_outdir_fini(&od);
        ct_wf_args_fini(&args);
        return status;
}
