/* SPDX-License-Identifier: MIT */
/*
 * conctrace analyze TRACE [TRACE...] [--format text|json|csv] [-o PATH]
 *                   [--perfetto OUT.json|OUT.pftrace] [--timeline-format json|proto]
 *                   [--event-cost-ns N] [--fork-cost-ns N] [--thread-cost-ns N]
 *                   [--quiet]
 * One streaming pass over the traces through every analysis (and the Perfetto
 * timeline), then the report. With --run-times, the arguments are untraced
 * run-time files (CT_RUN_TIMES) instead: their runs and speedup tables.
 * See docs/analyze.md.
 */
#define _GNU_SOURCE
#include "ct_analyses.h"
#include "ct_cli.h"
#include "ct_driver.h"
#include "ct_perfetto.h"
#include "ct_wf_timing.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void analyze_usage(FILE *out)
{
        fprintf(out,
                "Usage: conctrace analyze [options] TRACE [TRACE...]\n"
                "\n"
                "Analyze traces recorded by conctrace record (or lttng with the vpid and vtid\n"
                "contexts) in one streaming pass: the findings (what held each run back) and\n"
                "the critical path of every run first, then threads and their blocked time,\n"
                "locks, condition variables, pipes, select, pools, runs and speedup across\n"
                "all the TRACEs given. TRACE is a trace directory or a live session URL\n"
                "net://RELAYD/host/HOST/SESSION.\n"
                "\n"
                "Options:\n"
                "  -f, --format FMT      text (default), json or csv\n"
                "  -o, --output PATH     report file (text, json; default: standard output)\n"
                "                        or directory (csv, required: one FILE.csv per table)\n"
                "  -p, --perfetto OUT    also write a Perfetto timeline to OUT: Perfetto's native\n"
                "                        protobuf format if OUT ends in .pftrace, gzipped\n"
                "                        Chrome JSON if in .gz, else Chrome JSON (see\n"
                "                        docs/perfetto.md for which to open when)\n"
                "      --timeline-format json|json.gz|proto\n"
                "                        the timeline's format whatever OUT's extension\n"
                "      --event-cost-ns N tracing cost of one event in ns, for the probe effect\n"
                "                        of each run (default 300: LTTng-UST on the 2-core\n"
                "                        development VM; bench/run-all measures yours)\n"
                "      --fork-cost-ns N  what tracing adds to each child process forked in a\n"
                "                        run (default 10000000: it registers with the session\n"
                "                        daemon before its first event; bench/fork-cost)\n"
                "      --thread-cost-ns N  what tracing adds to each thread created in a run\n"
                "                        (default 20000; bench/fork-cost)\n"
                "      --all             text: also the columns that are all zero or empty\n"
                "                        (the text fits COLUMNS, else the terminal, else 100)\n"
                "      --run-times       the arguments are untraced run-time files written by\n"
                "                        the runtime under CT_RUN_TIMES=FILE (docs/workflows.md)\n"
                "                        instead of traces: report their runs and speedup\n"
                "  -q, --quiet           no progress line, no warnings\n"
                "  -h, --help            show this help\n"
                "\n"
                "Environment:\n"
                "  CONCTRACE_THREADS=1   run the analyses on the thread that reads the trace\n"
                "                        (default with two CPUs or more: a second thread runs\n"
                "                        them, batches of decoded events between the two;\n"
                "                        the same results either way)\n"
                "  CONCTRACE_LIVE_WAIT=S how long to wait for a live session that does not\n"
                "                        exist yet (default 30 s)\n"
                "\n"
                "Exit status: 0 ok, 1 bad input or failed output (nothing partial is left),\n"
                "2 usage error.\n");
}

static int analyze_usage_error(const char *what, const char *arg)
{
        fprintf(stderr, "conctrace analyze: %s%s%s (run 'conctrace analyze --help')\n", what,
                arg ? ": " : "", arg ? arg : "");
        return CT_CLI_EXIT_USAGE;
}

int ct_cmd_analyze(int argc, char **argv)
{
        static const struct option long_opts[] = {
            {"format", required_argument, NULL, 'f'},
            {"output", required_argument, NULL, 'o'},
            {"perfetto", required_argument, NULL, 'p'},
            {"quiet", no_argument, NULL, 'q'},
            {"help", no_argument, NULL, 'h'},
            {"event-cost-ns", required_argument, NULL, 'E'},
            {"all", no_argument, NULL, 'A'},
            {"fork-cost-ns", required_argument, NULL, 'F'},
            {"thread-cost-ns", required_argument, NULL, 'T'},
            {"run-times", no_argument, NULL, 'R'},
            {"timeline-format", required_argument, NULL, 'M'},
            {NULL, 0, NULL, 0},
        };
        enum ct_report_format fmt = CT_REPORT_TEXT;
        const char *out_path = NULL;
        const char *perfetto_path = NULL;
        struct ct_perfetto_opts popts;
        bool pfmt_set = false;
        struct ct_driver_opts dopts = {0};
        struct ct_analyses_opts aopts;
        struct ct_analyses *a = NULL;
        struct ct_consumer perfetto;
        bool have_perfetto = false;
        bool run_times = false;
        struct ct_consumer **consumers = NULL;
        size_t nc = 0;
        int status = 1;
        int ret;
        int c;

        ct_analyses_opts_init(&aopts);
        ct_perfetto_opts_init(&popts);
        while ((c = getopt_long(argc, argv, "f:o:p:qh", long_opts, NULL)) != -1) {
                switch (c) {
                case 'f':
                        if (ct_report_format_parse(optarg, &fmt))
                                return analyze_usage_error("unknown format (text, json or csv)",
                                                           optarg);
                        break;
                case 'o':
                        out_path = optarg;
                        break;
                case 'p':
                        perfetto_path = optarg;
                        break;
                case 'M':
                        if (ct_perfetto_format_parse(optarg, &popts.format))
                                return analyze_usage_error(
                                    "unknown timeline format (json, json.gz or proto)", optarg);
                        pfmt_set = true;
                        break;
                case 'q':
                        dopts.quiet = true;
                        break;
                case 'A':
                        aopts.report_all = 1;
                        break;
                case 'E':
                case 'F':
                case 'T': {
                        char *endp = NULL;
                        unsigned long long v;

                        errno = 0;
                        v = strtoull(optarg, &endp, 10);
                        if (errno || !endp || *endp || optarg[0] < '0' || optarg[0] > '9' ||
                            v > 1000000000ULL)
                                return analyze_usage_error(
                                    c == 'E'   ? "--event-cost-ns wants an integer of ns (0 to 1e9)"
                                    : c == 'F' ? "--fork-cost-ns wants an integer of ns (0 to 1e9)"
                                               : "--thread-cost-ns wants an integer of ns (0 to "
                                                 "1e9)",
                                    optarg);
                        if (c == 'E')
                                aopts.event_cost_ns = v;
                        else if (c == 'F')
                                aopts.fork_cost_ns = v;
                        else
                                aopts.thread_cost_ns = v;
                        break;
                }
                case 'R':
                        run_times = true;
                        break;
                case 'h':
                        analyze_usage(stdout);
                        return 0;
                default:
                        return analyze_usage_error("bad option", NULL);
                }
        }
        if (optind >= argc)
                return analyze_usage_error("no TRACE given", NULL);
        if (fmt == CT_REPORT_CSV && (!out_path || strcmp(out_path, "-") == 0))
                return analyze_usage_error("--format csv needs -o DIR", NULL);
        if (!out_path)
                out_path = "-";
        if (run_times) {
                struct ct_report rep;
                char why[1024];

                if (perfetto_path)
                        return analyze_usage_error("--perfetto needs traces, not --run-times",
                                                   NULL);
                ret =
                    ct_wf_timing_report((const char *const *)argv + optind, (size_t)(argc - optind),
                                        (int)fmt, out_path, &rep, why, sizeof(why));
                ct_report_fini(&rep);
                if (ret) {
                        fprintf(stderr, "conctrace analyze: %s\n", why);
                        return 1;
                }
                return 0;
        }
        if (pfmt_set && !perfetto_path)
                return analyze_usage_error("--timeline-format needs --perfetto OUT", NULL);
        if (perfetto_path && !pfmt_set)
                popts.format = ct_perfetto_format_of_path(perfetto_path);

        ret = ct_analyses_create(&aopts, &a);
        if (ret < 0) {
                fprintf(stderr, "conctrace analyze: Failed to create the analyses: %s\n",
                        strerror(-ret));
                goto end;
        }
        if (perfetto_path) {
                ret = ct_perfetto_create(&popts, perfetto_path, &perfetto);
                if (ret < 0) {
                        fprintf(stderr,
                                "conctrace analyze: Failed to create timeline: %s: path=%s\n",
                                strerror(-ret), perfetto_path);
                        goto end;
                }
                have_perfetto = true;
                /* after the analyses in the list: their critical paths are drawn */
                ret = ct_perfetto_share_critpath(&perfetto, ct_analyses_critpath(a));
                if (ret < 0) {
                        fprintf(stderr, "conctrace analyze: Failed to create timeline: %s\n",
                                strerror(-ret));
                        goto end;
                }
        }
        consumers = calloc(ct_analyses_consumer_count(a) + 1, sizeof(*consumers));
        if (!consumers) {
                fputs("conctrace analyze: out of memory\n", stderr);
                goto end;
        }
        for (size_t i = 0; i < ct_analyses_consumer_count(a); i++)
                consumers[nc++] = ct_analyses_consumer(a, i);
        if (have_perfetto)
                consumers[nc++] = &perfetto;

        ret = ct_driver_run((const char *const *)argv + optind, (size_t)(argc - optind), consumers,
                            nc, &dopts, NULL);
        if (ret)
                goto end; /* the driver said why; the timeline's temp file goes in destroy */
        ret = ct_analyses_write(a, fmt, out_path);
        if (ret) {
                fprintf(stderr, "conctrace analyze: Failed to write the report: %s: path=%s\n",
                        strerror(-ret), out_path);
                goto end;
        }
        status = 0;
end:
        free(consumers);
        if (have_perfetto)
                perfetto.destroy(perfetto.self);
        ct_analyses_destroy(a);
        return status;
}
