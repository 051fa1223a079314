/* SPDX-License-Identifier: MIT */
/*
 * conctrace list: every scenario, one line each, with its lab task, whether
 * `conctrace sweep` can vary its worker count, and whether it is built next
 * to this conctrace. See docs/workflows.md.
 */
#define _GNU_SOURCE
#include "ct_cli.h"
#include "ct_workflow.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void list_usage(FILE *out)
{
        fprintf(out, "Usage: conctrace list\n"
                     "\n"
                     "List the lab scenarios: name, the lab task it comes from, what it shows.\n"
                     "Record and analyze one with 'conctrace run SCENARIO', vary its workers\n"
                     "with 'conctrace sweep SCENARIO --workers 1,2,4' (scenarios marked sweep).\n"
                     "The py-* scenarios are the labs' own Python programs, run by\n"
                     "/usr/bin/python3 and traced through the preload library.\n"
                     "\n"
                     "Options:\n"
                     "  -h, --help   show this help\n");
}

int ct_cmd_list(int argc, char **argv)
{
        const struct ct_wf_scenario *sc;
        char bindir[PATH_MAX];
        size_t n, i;
        bool have_bindir;

        if (argc > 1) {
                if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
                        list_usage(stdout);
                        return 0;
                }
                fprintf(stderr,
                        "conctrace list: unexpected argument '%s' (run 'conctrace list "
                        "--help')\n",
                        argv[1]);
                return CT_CLI_EXIT_USAGE;
        }
        have_bindir = ct_wf_scenario_dir(bindir, sizeof(bindir)) == 0;
        sc = ct_wf_scenarios(&n);
        for (i = 0; i < n; i++) {
                char path[PATH_MAX + 64];
                bool built = false;

                if (have_bindir) {
                        char why[8];

                        built =
                            ct_wf_scenario_path(&sc[i], path, sizeof(path), why, sizeof(why)) == 0;
                }
                printf("%-13s  %-30s  %-5s  %s%s\n", sc[i].name, sc[i].lab,
                       sc[i].workers_opt ? "sweep" : "", sc[i].description,
                       built ? "" : " [not built]");
        }
        return 0;
}
