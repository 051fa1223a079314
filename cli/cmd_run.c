/* SPDX-License-Identifier: MIT */
/*
 * conctrace run SCENARIO [scenario options] [-o DIR] [--force] [--repeat N]
 *               [--level full|light] [--quiet]
 * Times a lab scenario untraced (N executions with no session; the runtime
 * writes its runs' run_begin/run_end times to CT_RUN_TIMES), records it once
 * (in process, recorder/ct_recorder.h), analyzes the trace and exports its
 * timeline in one go: DIR gets timings.tsv, untraced.json, trace/,
 * report.txt, report.json, timeline.json and timeline.pftrace, built in
 * DIR.tmp-XXXXXX and renamed at the end; the terminal gets the report's
 * headline figures, each run's traced time beside its untraced median.
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
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CT__PREFIX "conctrace run"

static void run_usage(FILE *out)
{
        char names[256];

        ct_wf_scenario_names(names, sizeof(names), false);
        fprintf(out,
                "Usage: conctrace run SCENARIO [scenario options] [-o DIR] [--force]\n"
                "                     [--repeat N] [--level full|light] [--quiet]\n"
                "\n"
                "Run a lab scenario N times untraced (tracing off: its true run times), then\n"
                "record it once with LTTng, analyze the trace and export its Perfetto\n"
                "timeline, then print the headline figures (runs: traced duration beside the\n"
                "untraced median and their ratio, the probe effect; speedup from the untraced\n"
                "times; most contended lock, most blocked thread, discarded events).\n"
                "DIR gets timings.tsv (the untraced runs), untraced.json (their runs and\n"
                "speedup tables), trace/, report.txt, report.json, timeline.pftrace\n"
                "(Perfetto's native format) and timeline.json (Chrome JSON; not kept above\n"
                "256 MB, too big for a browser import).\n"
                "\n"
                "SCENARIO: %s ('conctrace list' says what each shows). Its options\n"
                "follow it (e.g. 'conctrace run task1a --mode fixed'; see docs/scenarios.md),\n"
                "or come after '--'.\n"
                "\n"
                "Options:\n"
                "  -o, --output DIR   output directory (default:\n"
                "                     ./conctrace-runs/SCENARIO-YYYYmmdd-HHMMSS); an existing\n"
                "                     non-empty DIR is refused\n"
                "  -f, --force        replace an existing DIR (an earlier run's output)\n"
                "  -r, --repeat N     untraced executions before the recording; untraced\n"
                "                     time = their median (default 1)\n"
                "      --level LEVEL  full (default) or light: uncontended lock acquisitions\n"
                "                     only counted (see conctrace record --help)\n"
                "  -q, --quiet        no progress lines\n"
                "  -h, --help         show this help\n"
                "\n"
                "Exit status: 0 ok; the scenario's status when it failed (outputs kept for\n"
                "inspection); 2 usage error (unknown scenario, bad option, or an option the\n"
                "scenario rejected: nothing kept); 1 recording, analysis or output failure\n"
                "(nothing kept); 130/143 interrupted (nothing kept).\n",
                names);
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        fputs(CT__PREFIX ": ", stderr);
        vfprintf(stderr, fmt, ap);
        fputs(" (run 'conctrace run --help')\n", stderr);
        va_end(ap);
        return CT_CLI_EXIT_USAGE;
}

enum { OPT_OUTPUT = 1, OPT_FORCE, OPT_LEVEL, OPT_QUIET, OPT_HELP, OPT_REPEAT };

static const struct ct_wf_opt run_opts[] = {
    {"output", 'o', true, OPT_OUTPUT}, {"force", 'f', false, OPT_FORCE},
    {"level", 0, true, OPT_LEVEL},     {"quiet", 'q', false, OPT_QUIET},
    {"help", 'h', false, OPT_HELP},    {"repeat", 'r', true, OPT_REPEAT},
};

struct run_ctx {
        const char *output; /* weak: from argv */
        bool force;
        bool quiet;
        long repeat;
        enum ct_record_level level;
};

static int run_opt(void *vctx, int id, const char *value)
{
        struct run_ctx *ctx = vctx;
        char why[256];

        switch (id) {
        case OPT_REPEAT:
                if (ct_wf_parse_repeat(value, &ctx->repeat, why, sizeof(why))) {
                        usage_error("%s", why);
                        return -EINVAL;
                }
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

static double now_s(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The untraced median of (variant, workers) in the untraced speedup table: 1 and *ns, or 0. */
static int untraced_time(const struct ct_table *usp, const char *variant, int64_t workers,
                         int64_t *ns, int64_t *runs)
{
        size_t i;
        int64_t w;

        for (i = 0; usp && i < usp->nrows; i++) {
                if (!strcmp(ct_wf_cell_str(usp, i, "variant"), variant) &&
                    ct_wf_cell_int(usp, i, "workers", &w) && w == workers &&
                    ct_wf_cell_int(usp, i, "time", ns)) {
                        ct_wf_cell_int(usp, i, "runs", runs);
                        return 1;
                }
        }
        return 0;
}

/* Runs (traced beside untraced) and speedups (untraced). */
static void print_runs(const struct ct_report *r, const struct ct_report *u)
{
        const struct ct_table *runs = ct_report_find(r, "runs");
        const struct ct_table *sp = ct_report_find(u, "speedup");
        char b1[32], b2[32];
        size_t i, shown = 0;
        int64_t v;
        double d;

        if (!runs || runs->nrows == 0) {
                printf("  runs:                 none (no ct_run:run_begin in the trace)\n");
        }
        for (i = 0; runs && i < runs->nrows; i++) {
                int64_t workers = 0, status = 0;
                const char *dur = "unfinished";

                if (shown == 16) {
                        printf("                        ... %zu more in report.txt\n",
                               runs->nrows - i);
                        break;
                }
                ct_wf_cell_int(runs, i, "workers", &workers);
                if (ct_wf_cell_int(runs, i, "duration", &v)) {
                        dur = ct_report_fmt_ns(v, b1, sizeof(b1));
                }
                printf("  %-22s%-10s workers %-3" PRId64 " traced %10s  ",
                       i ? "" : "runs:", ct_wf_cell_text(runs, i, "variant"), workers, dur);
                if (ct_wf_cell_int(runs, i, "status", &status)) {
                        printf("%s", status == 0 ? "ok" : "FAILED (status != 0)");
                } else {
                        printf("%s", ct_wf_cell_text(runs, i, "finished"));
                }
                {
                        int64_t ut = 0, un = 0, dv = 0;
                        char b3[32];

                        if (untraced_time(ct_report_find(u, "speedup"),
                                          ct_wf_cell_str(runs, i, "variant"), workers, &ut, &un) &&
                            ut > 0) {
                                printf("  untraced %s (median of %" PRId64 ")",
                                       ct_report_fmt_ns(ut, b3, sizeof(b3)), un);
                                if (ct_wf_cell_int(runs, i, "duration", &dv)) {
                                        printf("  probe %.2fx", (double)dv / (double)ut);
                                }
                        }
                }
                printf("\n");
                shown++;
        }
        shown = 0;
        for (i = 0; sp && i < sp->nrows; i++) {
                int64_t workers = 0, bt = 0;
                double eff = 0;
                char label[64];
                const char *base = ct_wf_cell_text(sp, i, "baseline");

                ct_wf_cell_int(sp, i, "workers", &workers);
                snprintf(label, sizeof(label), "%s/%" PRId64, ct_wf_cell_text(sp, i, "variant"),
                         workers);
                if (!ct_wf_cell_double(sp, i, "speedup", &d) || strcmp(label, base) == 0) {
                        continue;
                }
                ct_wf_cell_double(sp, i, "efficiency", &eff);
                ct_wf_cell_int(sp, i, "baseline_time", &bt);
                printf("  %-22s%-16s %6.2fx  efficiency %5.1f%%  (vs %s, %s)\n",
                       shown ? "" : "speedup:", label, d, eff * 100.0, base,
                       ct_report_fmt_ns(bt, b2, sizeof(b2)));
                shown++;
        }
}

static void print_lock(const struct ct_report *r)
{
        const struct ct_table *t = ct_report_find(r, "locks");
        int64_t acq = 0, cont = 0, wt = 0, wmax = 0;
        char b1[32], b2[32];

        if (!t || t->nrows == 0) {
                printf("  most contended lock:  none (no lock in the trace)\n");
                return;
        }
        ct_wf_cell_int(t, 0, "acquisitions", &acq);
        ct_wf_cell_int(t, 0, "contended", &cont);
        ct_wf_cell_int(t, 0, "wait_total", &wt);
        ct_wf_cell_int(t, 0, "wait_max", &wmax);
        if (cont == 0) {
                printf("  most contended lock:  none contended (%zu lock%s; %s: %" PRId64
                       " acquisitions)\n",
                       t->nrows, t->nrows == 1 ? "" : "s", ct_wf_cell_text(t, 0, "lock"), acq);
                return;
        }
        printf("  most contended lock:  %s in %s: %" PRId64 " of %" PRId64
               " acquisitions contended (%.1f%%), waited %s in total, %s at most\n",
               ct_wf_cell_text(t, 0, "lock"), ct_wf_cell_text(t, 0, "process"), cont, acq,
               acq ? 100.0 * (double)cont / (double)acq : 0.0, ct_report_fmt_ns(wt, b1, sizeof(b1)),
               ct_report_fmt_ns(wmax, b2, sizeof(b2)));
}

static void print_thread(const struct ct_report *r)
{
        static const char *const causes[] = {"lock",   "cond",   "pipe_read", "pipe_write",
                                             "select", "io_sim", "join"};
        const struct ct_table *t = ct_report_find(r, "threads");
        int64_t blocked = 0, life = 0, best = -1, v;
        const char *cause = NULL;
        char b1[32], b2[32], b3[32];
        size_t i;

        if (!t || t->nrows == 0) {
                printf("  most blocked thread:  none (no thread in the trace)\n");
                return;
        }
        ct_wf_cell_int(t, 0, "blocked", &blocked);
        ct_wf_cell_int(t, 0, "lifetime", &life);
        for (i = 0; i < sizeof(causes) / sizeof(causes[0]); i++) {
                if (ct_wf_cell_int(t, 0, causes[i], &v) && v > best) {
                        best = v;
                        cause = causes[i];
                }
        }
        printf("  most blocked thread:  %s in %s: blocked %s of its %s",
               ct_wf_cell_text(t, 0, "thread"), ct_wf_cell_text(t, 0, "process"),
               ct_report_fmt_ns(blocked, b1, sizeof(b1)), ct_report_fmt_ns(life, b2, sizeof(b2)));
        if (cause && best > 0) {
                printf(", mostly %s (%s)", cause, ct_report_fmt_ns(best, b3, sizeof(b3)));
        }
        printf("\n");
}

static void print_headline(const char *scenario, const struct ct_report *r,
                           const struct ct_report *u, long repeat, const char *dir, double elapsed)
{
        const struct ct_table *tr = ct_report_find(r, "trace");
        int64_t events = 0, discarded = 0;

        ct_wf_cell_int(tr, 0, "events", &events);
        ct_wf_cell_int(tr, 0, "discarded", &discarded);
        printf("\n%s: run %ld time%s untraced, recorded, analyzed and exported in %.1f s\n",
               scenario, repeat, repeat == 1 ? "" : "s", elapsed);
        printf("  (traced = the recorded run; untraced = tracing off; probe = traced / untraced;\n"
               "   speedup from the untraced times)\n");
        print_runs(r, u);
        print_lock(r);
        print_thread(r);
        printf("  events:               %" PRId64 " read, %" PRId64 " discarded%s\n", events,
               discarded,
               discarded ? " (ring buffers full: figures near the gaps are incomplete; try "
                           "--level light)"
                         : "");
        printf("  outputs:              %s/{trace/,report.txt,report.json,timeline.json,"
               "timeline.pftrace}\n",
               dir);
        printf("  untraced runs:        %s/timings.tsv, untraced.json\n", dir);
        printf("  open in Perfetto:     %s/timeline.pftrace (https://ui.perfetto.dev, Open trace "
               "file)\n",
               dir);
}

int ct_cmd_run(int argc, char **argv)
{
        struct run_ctx ctx = {.level = CT_RECORD_LEVEL_FULL, .repeat = 1};
        struct ct_wf_args args;
        struct ct_wf_outdir od = {0};
        struct ct_recorder_opts ropts;
        struct ct_recorder_result res;
        struct ct_analyses *a = NULL;
        struct ct_report report, untraced;
        const struct ct_wf_scenario *sc;
        char why[1024];
        char prog[PATH_MAX + 64];
        char trace_dir[PATH_MAX + 16];
        char abs_dir[PATH_MAX];
        const char *traces[1] = {"trace"};
        char **scn_argv = NULL;
        bool progress = false;
        double t0 = now_s();
        int status = 1;
        size_t i;
        int ret;

        ct_report_init(&report);
        ct_report_init(&untraced);
        ret = ct_wf_split_args(argc, argv, run_opts, sizeof(run_opts) / sizeof(run_opts[0]),
                               run_opt, &ctx, &args, why, sizeof(why));
        if (ret == -ECANCELED) {
                ct_wf_args_fini(&args);
                return CT_CLI_EXIT_USAGE; /* the callback printed why */
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
                run_usage(stdout);
                status = 0;
                goto end;
        }
        if (!args.scenario) {
                status = usage_error("no SCENARIO given (usage: conctrace run SCENARIO "
                                     "[scenario options]; 'conctrace list' lists them)");
                goto end;
        }
        sc = ct_wf_scenario_find(args.scenario);
        if (!sc) {
                char names[256];

                ct_wf_scenario_names(names, sizeof(names), false);
                status = usage_error("unknown scenario '%s' (scenarios: %s; 'conctrace list' "
                                     "describes them)",
                                     args.scenario, names);
                goto end;
        }
        if (ct_wf_scenario_path(sc, prog, sizeof(prog), why, sizeof(why))) {
                fprintf(stderr, CT__PREFIX ": %s\n", why);
                goto end;
        }
        progress = !ctx.quiet && isatty(STDERR_FILENO);
        ret = ct_wf_outdir_prepare(&od, ctx.output, ctx.force, sc->name, why, sizeof(why));
        if (ret) {
                fprintf(stderr, CT__PREFIX ": %s\n", why);
                goto end;
        }
        scn_argv = calloc(args.scn_argc + 3, sizeof(*scn_argv));
        if (!scn_argv) {
                fputs(CT__PREFIX ": out of memory\n", stderr);
                goto end;
        }
        {
                size_t n0 = ct_wf_scenario_argv(sc, prog, scn_argv);

                for (i = 0; i < args.scn_argc; i++) {
                        scn_argv[n0 + i] = args.scn_argv[i];
                }
        }
        /* Untraced first: the timings the speedup comes from. */
        {
                char times[PATH_MAX + 64], log_path[PATH_MAX + 64], json[PATH_MAX + 64];
                const char *tp[1] = {times};
                long r;
                int code = 0;

                snprintf(times, sizeof(times), "%s/timings.tsv", od.tmp);
                snprintf(log_path, sizeof(log_path), "%s/untraced-output.txt", od.tmp);
                snprintf(json, sizeof(json), "%s/untraced.json", od.tmp);
                for (r = 1; r <= ctx.repeat; r++) {
                        if (progress) {
                                fprintf(stderr, CT__PREFIX ": timing %s untraced (%ld/%ld)\n",
                                        sc->name, r, ctx.repeat);
                        }
                        if (ct_wf_untraced_run(scn_argv, times, log_path, &code)) {
                                goto end;
                        }
                        if (code == CT_CLI_EXIT_USAGE) {
                                fprintf(stderr,
                                        CT__PREFIX ": %s rejected its options (see %s; '%s "
                                                   "--help' lists them): nothing kept\n",
                                        sc->name, log_path, prog);
                                status = CT_CLI_EXIT_USAGE;
                                goto end;
                        }
                        if (code != 0) {
                                /* the recording shows and reports the failure */
                                if (!ctx.quiet) {
                                        fprintf(stderr,
                                                CT__PREFIX ": %s exited with status %d untraced "
                                                           "(its output: %s)\n",
                                                sc->name, code, log_path);
                                }
                                break;
                        }
                }
                ret = ct_wf_timing_count(times);
                if (ret <= 0 && !ctx.quiet) {
                        fprintf(stderr,
                                CT__PREFIX ": %s wrote no run timings untraced: no untraced "
                                           "times\n",
                                sc->name);
                }
                if (ret > 0 &&
                    ct_wf_timing_report(tp, 1, CT_REPORT_JSON, json, &untraced, why, sizeof(why))) {
                        fprintf(stderr, CT__PREFIX ": %s: nothing kept\n", why);
                        goto end;
                }
        }
        snprintf(trace_dir, sizeof(trace_dir), "%s/trace", od.tmp);
        ct_recorder_opts_init(&ropts);
        ropts.output_dir = trace_dir;
        ropts.level = ctx.level;
        ropts.quiet = 1; /* the headline says where the trace is and what was discarded */
        if (progress) {
                fprintf(stderr, CT__PREFIX ": recording %s into %s\n", sc->name, od.final);
        }
        ret = ct_recorder_run(&ropts, scn_argv, &res);
        if (ret < 0) {
                fprintf(stderr, CT__PREFIX ": Failed to record %s: nothing kept\n", sc->name);
                status = res.exit_code ? res.exit_code : 1;
                goto end;
        }
        if (res.interrupted) {
                fprintf(stderr, CT__PREFIX ": interrupted: nothing kept\n");
                status = res.exit_code ? res.exit_code : 130;
                goto end;
        }
        if (res.exit_code == CT_CLI_EXIT_USAGE && !res.term_signal) {
                fprintf(stderr,
                        CT__PREFIX ": %s rejected its options (see its message above; '%s "
                                   "--help' lists them): nothing kept\n",
                        sc->name, prog);
                status = CT_CLI_EXIT_USAGE;
                goto end;
        }
        if (progress) {
                fprintf(stderr, CT__PREFIX ": analyzing the trace\n");
        }
        {
                struct ct_wf_analyze_opts aopts = {
                    .dir = od.tmp,
                    .traces = traces,
                    .n = 1,
                    .report_txt = "report.txt",
                    .report_json = "report.json",
                    .timeline = "timeline.json",
                    .timeline_pb = "timeline.pftrace",
                    .quiet = ctx.quiet,
                    .prefix = CT__PREFIX,
                };

                ret = ct_wf_analyze(&aopts, &a, &report);
        }
        if (ret) {
                fprintf(stderr, CT__PREFIX ": nothing kept\n");
                goto end;
        }
        ret = ct_wf_outdir_commit(&od, why, sizeof(why));
        if (ret) {
                fprintf(stderr, CT__PREFIX ": %s: nothing kept\n", why);
                goto end;
        }
        if (!realpath(od.final, abs_dir)) {
                snprintf(abs_dir, sizeof(abs_dir), "%s", od.final);
        }
        print_headline(sc->name, &report, &untraced, ctx.repeat, abs_dir, now_s() - t0);
        fflush(stdout);
        status = 0;
        if (res.exit_code != 0) {
                if (res.term_signal) {
                        fprintf(stderr,
                                CT__PREFIX ": SCENARIO FAILED: %s was killed by signal %d (%s); "
                                           "its outputs are kept for inspection in %s\n",
                                sc->name, res.term_signal, strsignal(res.term_signal), abs_dir);
                } else {
                        fprintf(stderr,
                                CT__PREFIX ": SCENARIO FAILED: %s exited with status %d (its "
                                           "self-check failed: see the 'check FAILED' lines "
                                           "above); its outputs are kept for inspection in %s\n",
                                sc->name, res.exit_code, abs_dir);
                }
                status = res.exit_code;
        }
end:
        ct_report_fini(&report);
        ct_report_fini(&untraced);
        ct_analyses_destroy(a);
        free(scn_argv);
        ct_wf_outdir_fini(&od);
        ct_wf_args_fini(&args);
        return status;
}
