/* SPDX-License-Identifier: MIT */
/*
 * conctrace: record, analyze and draw concurrency traces.
 * Dispatches `conctrace CMD ...` to the subcommands of ct_cli_commands[].
 */
#include "ct_cli.h"

#include <stdio.h>
#include <string.h>

#include "ct_version.h"

/* One line per subcommand (see ct_cli.h for how to add one). */
static const struct ct_cli_command ct_cli_commands[] = {
    {"record", "record a program's ct_* events into a CTF trace (LTTng)", ct_cmd_record},
    {"analyze", "analyze traces: blocking, contention, speedup (text|json|csv)", ct_cmd_analyze},
    {"dump", "print the decoded events of traces, one per line", ct_cmd_dump},
    {"list", "list the lab scenarios and the lab task each comes from", ct_cmd_list},
    {"run", "record, analyze and export a lab scenario in one go", ct_cmd_run},
    {"sweep", "run a scenario at several worker counts: speedup table and plot", ct_cmd_sweep},
};

#define CT_CLI_NR_COMMANDS (sizeof(ct_cli_commands) / sizeof(ct_cli_commands[0]))

static void usage(FILE *out)
{
        size_t i;

        fprintf(out, "Usage: conctrace [--help | --version] COMMAND [ARGS...]\n"
                     "\n"
                     "Make concurrency visible: record instrumented programs with LTTng and\n"
                     "analyze the traces.\n"
                     "\n"
                     "Commands:\n");
        for (i = 0; i < CT_CLI_NR_COMMANDS; i++) {
                fprintf(out, "  %-10s %s\n", ct_cli_commands[i].name, ct_cli_commands[i].summary);
        }
        fprintf(out, "  %-10s %s\n", "help", "show the help of a command (conctrace help CMD)");
        fprintf(out, "\nRun 'conctrace COMMAND --help' for the options of a command.\n");
}

static const struct ct_cli_command *find_command(const char *name)
{
        size_t i;

        for (i = 0; i < CT_CLI_NR_COMMANDS; i++) {
                if (strcmp(ct_cli_commands[i].name, name) == 0) {
                        return &ct_cli_commands[i];
                }
        }
        return NULL;
}

static int unknown_command(const char *name)
{
        fprintf(stderr,
                "conctrace: unknown command '%s' (run 'conctrace --help' for the list of "
                "commands)\n",
                name);
        return CT_CLI_EXIT_USAGE;
}

int main(int argc, char **argv)
{
        const struct ct_cli_command *cmd;

        if (argc < 2) {
                usage(stderr);
                return CT_CLI_EXIT_USAGE;
        }
        if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
                usage(stdout);
                return 0;
        }
        if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
                struct ct_version_info v;

                ct_version_get(&v);
                printf("conctrace %s (commit %s)\n"
                       "  LTTng-UST   %s (built against)\n"
                       "  lttng-ctl   %s (built against)\n"
                       "  Babeltrace 2 %s (running; built against %s)\n",
                       v.version, v.commit, v.lttng_ust, v.lttng_ctl, v.babeltrace2,
                       v.babeltrace2_built);
                return 0;
        }
        if (strcmp(argv[1], "help") == 0) {
                char help_opt[] = "--help";
                char *help_argv[3];

                if (argc < 3) {
                        usage(stdout);
                        return 0;
                }
                if (argc > 3) {
                        fprintf(stderr, "conctrace help: too many arguments (usage: conctrace help "
                                        "CMD)\n");
                        return CT_CLI_EXIT_USAGE;
                }
                cmd = find_command(argv[2]);
                if (!cmd) {
                        return unknown_command(argv[2]);
                }
                help_argv[0] = argv[2];
                help_argv[1] = help_opt;
                help_argv[2] = NULL;
                return cmd->fn(2, help_argv);
        }
        if (argv[1][0] == '-') {
                fprintf(stderr, "conctrace: unknown option '%s' (run 'conctrace --help')\n",
                        argv[1]);
                return CT_CLI_EXIT_USAGE;
        }
        cmd = find_command(argv[1]);
        if (!cmd) {
                return unknown_command(argv[1]);
        }
        return cmd->fn(argc - 1, argv + 1);
}
