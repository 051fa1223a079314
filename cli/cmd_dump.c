/* SPDX-License-Identifier: MIT */
/*
 * conctrace dump [--quiet] TRACE...
 * Prints every decoded event, one per line (analyzers/core/ct_dump.h).
 */
#define _GNU_SOURCE
#include "ct_cli.h"
#include "ct_driver.h"
#include "ct_dump.h"
#include "ct_live.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static void dump_usage(FILE *out)
{
        fprintf(out, "Usage: conctrace dump [options] TRACE...\n"
                     "\n"
                     "Print the decoded events of the traces, one per line, in timestamp order:\n"
                     "\n"
                     "  TS VPID VTID PROCNAME PROVIDER:EVENT FIELD=VALUE ...\n"
                     "\n"
                     "TS is in ns from the clock's origin; object ids are in hex, strings\n"
                     "double-quoted. Events of other providers print their name only;\n"
                     "discarded events print `TS -1 -1 - discarded count=N begin=TS`.\n"
                     "TRACE is a trace directory (as written by conctrace record) or a live\n"
                     "session URL net://RELAYD/host/HOST/SESSION.\n"
                     "\n"
                     "Options:\n"
                     "  -q, --quiet   no progress line, no warnings\n"
                     "  -h, --help    show this help\n"
                     "\n"
                     "Exit status: 0 ok, 1 bad input (see docs/analyze.md), 2 usage error.\n");
}

int ct_cmd_dump(int argc, char **argv)
{
        static const struct option long_opts[] = {
            {"quiet", no_argument, NULL, 'q'},
            {"help", no_argument, NULL, 'h'},
            {NULL, 0, NULL, 0},
        };
        static char buf[1 << 16];
        bool live = false;
        struct ct_driver_opts opts = {0};
        struct ct_consumer dump;
        struct ct_consumer *consumers[1] = {&dump};
        int c;
        int ret;

        while ((c = getopt_long(argc, argv, "+qh", long_opts, NULL)) != -1) {
                switch (c) {
                case 'q':
                        opts.quiet = true;
                        break;
                case 'h':
                        dump_usage(stdout);
                        return 0;
                default:
                        fputs("conctrace dump: bad option (run 'conctrace dump --help')\n", stderr);
                        return CT_CLI_EXIT_USAGE;
                }
        }
        if (optind >= argc) {
                fputs("conctrace dump: no TRACE given (run 'conctrace dump --help')\n", stderr);
                return CT_CLI_EXIT_USAGE;
        }
        /* a live session's events are shown as they arrive, line by line */
        for (int i = optind; i < argc; i++)
                live = live || ct_live_is_url(argv[i]);
        setvbuf(stdout, buf, live ? _IOLBF : _IOFBF, sizeof(buf));
        if (ct_dump_create(stdout, &dump)) {
                fputs("conctrace dump: Failed to create the dump: out of memory\n", stderr);
                return 1;
        }
        ret = ct_driver_run((const char *const *)argv + optind, (size_t)(argc - optind), consumers,
                            1, &opts, NULL);
        dump.destroy(dump.self);
        if (fflush(stdout) != 0 && !ret) {
                fprintf(stderr, "conctrace dump: Failed to write the events: %s\n",
                        strerror(errno));
                return 1;
        }
        return ret ? 1 : 0;
}
