/* SPDX-License-Identifier: MIT */
/*
 * conctrace analyze TRACE [TRACE...] [--format text|json|csv] [-o PATH]
 *                   [--perfetto OUT.json] [--event-cost-ns N] [--quiet]
 * One streaming pass over the traces through every analysis (and the Perfetto
 * timeline), then the report. See docs/analyze.md.
 */
#define _GNU_SOURCE
#include "ct_analyses.h"
#include "ct_cli.h"
#include "ct_driver.h"
#include "ct_perfetto.h"

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
                "  -p, --perfetto OUT    also write a Perfetto timeline (Chrome JSON) to OUT\n"
                "      --event-cost-ns N tracing cost of one event in ns, for the probe effect\n"
                "                        of each run (default 300: LTTng-UST on the 2-core\n"
                "                        development VM; bench/run-all measures yours)\n"
                "      --all             text: also the columns that are all zero or empty\n"
                "                        (the text fits COLUMNS, else the terminal, else 100)\n"
                "  -q, --quiet           no progress line, no warnings\n"
                "  -h, --help            show this help\n"
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
            {"format", required_argument, NULL, 'f'},   {"output", required_argument, NULL, 'o'},
            {"perfetto", required_argument, NULL, 'p'}, {"quiet", no_argument, NULL, 'q'},
            {"help", no_argument, NULL, 'h'},
            {"event-cost-ns", required_argument, NULL, 'E'},
            {"all", no_argument, NULL, 'A'},
            {NULL, 0, NULL, 0},
        };
        enum ct_report_format fmt = CT_REPORT_TEXT;
        const char *out_path = NULL;
        const char *perfetto_path = NULL;
        struct ct_driver_opts dopts = {0};
        struct ct_analyses_opts aopts;
        struct ct_analyses *a = NULL;
        struct ct_consumer perfetto;
        bool have_perfetto = false;
        struct ct_consumer **consumers = NULL;
        size_t nc = 0;
        int status = 1;
        int ret;
        int c;

        ct_analyses_opts_init(&aopts);
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
                case 'q':
                        dopts.quiet = true;
                        break;
                case 'A':
                        aopts.report_all = 1;
                        break;
                case 'E': {
                        char *endp = NULL;
                        unsigned long long v;

                        errno = 0;
                        v = strtoull(optarg, &endp, 10);
                        if (errno || !endp || *endp || optarg[0] < '0' || optarg[0] > '9' ||
                            v > 1000000000ULL)
                                return analyze_usage_error(
                                    "--event-cost-ns wants an integer of ns (0 to 1e9)", optarg);
                        aopts.event_cost_ns = v;
                        break;
                }
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

        ret = ct_analyses_create(&aopts, &a);
        if (ret < 0) {
                fprintf(stderr, "conctrace analyze: Failed to create the analyses: %s\n",
                        strerror(-ret));
                goto end;
        }
        if (perfetto_path) {
                ret = ct_perfetto_create(NULL, perfetto_path, &perfetto);
                if (ret < 0) {
                        fprintf(stderr,
                                "conctrace analyze: Failed to create timeline: %s: path=%s\n",
                                strerror(-ret), perfetto_path);
                        goto end;
                }
                have_perfetto = true;
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
