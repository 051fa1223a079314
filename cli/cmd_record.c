/* SPDX-License-Identifier: MIT */
/*
 * conctrace record [options] -- PROGRAM [ARGS...]
 * Parses the options and runs the recorder (recorder/ct_recorder.h).
 */
#define _GNU_SOURCE
#include "ct_cli.h"
#include "ct_recorder.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void record_usage(FILE *out)
{
        fprintf(out,
                "Usage: conctrace record [options] -- PROGRAM [ARGS...]\n"
                "\n"
                "Record PROGRAM's ct_* events (with vpid, vtid and procname contexts) into a\n"
                "CTF trace through an LTTng session, then print the trace path and the number\n"
                "of discarded events. Exits with PROGRAM's status (128+N if killed by signal N;\n"
                "127 if it cannot start; 130 on Ctrl-C, the trace being kept). Starts\n"
                "lttng-sessiond if none is running.\n"
                "\n"
                "Options:\n"
                "  -o, --output DIR      trace directory (default:\n"
                "                        ./conctrace-traces/PROGRAM-YYYYmmdd-HHMMSS)\n"
                "  -f, --force           record into DIR even if it is not empty (an earlier\n"
                "                        trace in DIR/ust is removed first)\n"
                "      --level LEVEL     full (default): every event; light: uncontended lock\n"
                "                        acquisitions are counted in ct_lock:summary instead\n"
                "                        (sets CT_RECORD_LEVEL for PROGRAM)\n"
                "      --subbuf-size N   per-CPU sub-buffer size, power of two, k/M/G suffixes\n"
                "                        (default %uk)\n"
                "      --num-subbuf N    sub-buffers per CPU, power of two (default %u)\n"
                "      --no-isolate      record every instrumented program of this user, not\n"
                "                        only PROGRAM's process tree (by default PROGRAM runs\n"
                "                        in its own IPC namespace and only events from it are\n"
                "                        recorded; use this if PROGRAM must share SysV IPC\n"
                "                        objects or POSIX message queues with other processes)\n"
                "      --preload MODE    auto (default): LD_PRELOAD libconctrace-preload.so\n"
                "                        (traces pthread mutexes, condvars, semaphores,\n"
                "                        pipes, select/poll, fork/exec/wait, threads, sleeps\n"
                "                        and CPython's GIL) unless PROGRAM links the conctrace\n"
                "                        runtime; on: always; off: never (docs/preload.md)\n"
                "  -q, --quiet           print only warnings and errors\n"
                "  -h, --help            show this help\n"
                "\n"
                "Live (see docs/live.md):\n"
                "      --live            stream through lttng-relayd and print the URL that\n"
                "                        `conctrace analyze net://...` follows while PROGRAM\n"
                "                        runs; without --relayd, uses the relay daemon on\n"
                "                        127.0.0.1's default ports or starts one (left running\n"
                "                        for viewers; with -o DIR a new one writing into DIR)\n"
                "      --relayd URL      the relay daemon: tcp://HOST[:CTRLPORT[:DATAPORT]]\n"
                "                        (default ports 5342, 5343); implies --live\n"
                "      --live-port N     its live (viewer) port for the printed URL (default\n"
                "                        5344)\n"
                "      --live-timer MS   flush to the relay daemon every MS ms (default %u)\n"
                "      --session NAME    session name (default conctrace-PROG-PID-TIME-N), so\n"
                "                        that a viewer may be started before the recording\n"
                "      --wait-viewer[=S] start PROGRAM only once a live viewer is attached\n"
                "                        (waiting up to S seconds, default 60), so that it\n"
                "                        sees every event\n",
                CT_RECORDER_DEFAULT_SUBBUF_SIZE / 1024, CT_RECORDER_DEFAULT_NUM_SUBBUF,
                CT_RECORDER_DEFAULT_LIVE_TIMER_US / 1000);
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        fputs("conctrace record: ", stderr);
        vfprintf(stderr, fmt, ap);
        fputs(" (run 'conctrace record --help')\n", stderr);
        va_end(ap);
        return CT_CLI_EXIT_USAGE;
}

enum {
        OPT_LEVEL = 256,
        OPT_SUBBUF_SIZE,
        OPT_NUM_SUBBUF,
        OPT_LIVE,
        OPT_RELAYD,
        OPT_LIVE_PORT,
        OPT_LIVE_TIMER,
        OPT_WAIT_VIEWER,
        OPT_SESSION,
        OPT_NO_ISOLATE,
        OPT_PRELOAD,
};

/* A whole number in [lo, hi]; -EINVAL otherwise. */
static int parse_uint(const char *s, unsigned long lo, unsigned long hi, unsigned long *out)
{
        char *end = NULL;
        unsigned long v;

        if (!s || s[0] < '0' || s[0] > '9')
                return -EINVAL;
        errno = 0;
        v = strtoul(s, &end, 10);
        if (errno || *end != '\0' || v < lo || v > hi)
                return -EINVAL;
        *out = v;
        return 0;
}

int ct_cmd_record(int argc, char **argv)
{
        static const struct option long_opts[] = {
            {"output", required_argument, NULL, 'o'},
            {"force", no_argument, NULL, 'f'},
            {"level", required_argument, NULL, OPT_LEVEL},
            {"subbuf-size", required_argument, NULL, OPT_SUBBUF_SIZE},
            {"num-subbuf", required_argument, NULL, OPT_NUM_SUBBUF},
            {"live", no_argument, NULL, OPT_LIVE},
            {"relayd", required_argument, NULL, OPT_RELAYD},
            {"live-port", required_argument, NULL, OPT_LIVE_PORT},
            {"live-timer", required_argument, NULL, OPT_LIVE_TIMER},
            {"wait-viewer", optional_argument, NULL, OPT_WAIT_VIEWER},
            {"session", required_argument, NULL, OPT_SESSION},
            {"no-isolate", no_argument, NULL, OPT_NO_ISOLATE},
            {"preload", required_argument, NULL, OPT_PRELOAD},
            {"quiet", no_argument, NULL, 'q'},
            {"help", no_argument, NULL, 'h'},
            {NULL, 0, NULL, 0},
        };
        struct ct_recorder_opts opts;
        struct ct_recorder_result res;
        const char *why = NULL;
        unsigned long v;
        int live_port_given = 0;
        int c;

        ct_recorder_opts_init(&opts);
        optind = 0; /* full reset: argv is a sub-array */
        opterr = 0;
        while ((c = getopt_long(argc, argv, "+o:fqh", long_opts, NULL)) != -1) {
                switch (c) {
                case 'o':
                        if (optarg[0] == '\0') {
                                return usage_error("-o needs a directory");
                        }
                        opts.output_dir = optarg;
                        break;
                case 'f':
                        opts.force = 1;
                        break;
                case OPT_LEVEL:
                        if (ct_recorder_parse_level(optarg, &opts.level)) {
                                return usage_error("invalid --level '%s' (expected full or light)",
                                                   optarg);
                        }
                        break;
                case OPT_SUBBUF_SIZE:
                        if (ct_recorder_parse_size(optarg, &opts.subbuf_size)) {
                                return usage_error("invalid --subbuf-size '%s' (expected a size "
                                                   "such as 256k, 1M, 4M)",
                                                   optarg);
                        }
                        break;
                case OPT_NUM_SUBBUF:
                        if (ct_recorder_parse_size(optarg, &opts.num_subbuf)) {
                                return usage_error("invalid --num-subbuf '%s' (expected a number "
                                                   "such as 4, 8, 16)",
                                                   optarg);
                        }
                        break;
                case OPT_LIVE:
                        opts.live = 1;
                        break;
                case OPT_RELAYD:
                        if (optarg[0] == '\0')
                                return usage_error("--relayd needs a URL (tcp://HOST[:CTRLPORT"
                                                   "[:DATAPORT]])");
                        opts.relayd_url = optarg;
                        opts.live = 1;
                        break;
                case OPT_LIVE_PORT:
                        if (parse_uint(optarg, 1, 65535, &v))
                                return usage_error("invalid --live-port '%s' (expected a TCP "
                                                   "port, 1-65535)",
                                                   optarg);
                        opts.relayd_live_port = (unsigned int)v;
                        live_port_given = 1;
                        break;
                case OPT_LIVE_TIMER:
                        if (parse_uint(optarg, 1, 3600000, &v))
                                return usage_error("invalid --live-timer '%s' (expected "
                                                   "milliseconds, e.g. 100)",
                                                   optarg);
                        opts.live_timer_us = (uint64_t)v * 1000u;
                        break;
                case OPT_WAIT_VIEWER:
                        v = 60;
                        if (optarg && parse_uint(optarg, 1, 86400, &v))
                                return usage_error("invalid --wait-viewer '%s' (expected "
                                                   "seconds, e.g. --wait-viewer=30)",
                                                   optarg);
                        opts.wait_viewer_ms = (unsigned int)v * 1000u;
                        break;
                case OPT_SESSION:
                        opts.session_name = optarg;
                        break;
                case OPT_NO_ISOLATE:
                        opts.no_isolate = 1;
                        break;
                case OPT_PRELOAD:
                        if (ct_recorder_parse_preload(optarg, &opts.preload))
                                return usage_error("invalid --preload '%s' (expected auto, on or "
                                                   "off)",
                                                   optarg);
                        break;
                case 'q':
                        opts.quiet = 1;
                        break;
                case 'h':
                        record_usage(stdout);
                        return 0;
                case ':':
                        return usage_error("option '%s' needs a value", argv[optind - 1]);
                default:
                        if (optopt) {
                                char opt[3] = {'-', (char)optopt, '\0'};

                                if (strchr("o", optopt)) {
                                        return usage_error("option '%s' needs a value", opt);
                                }
                                return usage_error("unknown option '%s'", opt);
                        }
                        return usage_error("unknown or incomplete option '%s'", argv[optind - 1]);
                }
        }
        if (optind >= argc) {
                return usage_error("no program to record (usage: conctrace record [options] -- "
                                   "PROGRAM [ARGS...])");
        }
        if (ct_recorder_check_buffers(opts.subbuf_size, opts.num_subbuf, &why)) {
                return usage_error("%s", why);
        }
        if (!opts.live && (live_port_given || opts.live_timer_us || opts.wait_viewer_ms))
                return usage_error("--live-port, --live-timer and --wait-viewer need --live");
        if (opts.relayd_url && opts.output_dir)
                return usage_error("-o does not apply with --relayd: the relay daemon writes the "
                                   "trace under its own output directory");
        if (live_port_given && !opts.relayd_url)
                return usage_error("--live-port needs --relayd (a local relay daemon's ports are "
                                   "chosen here)");
        ct_recorder_run(&opts, argv + optind, &res);
        return res.exit_code;
}
