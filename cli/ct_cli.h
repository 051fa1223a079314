/* SPDX-License-Identifier: MIT */
/*
 * The `conctrace` command: subcommands dispatched from the table in main.c.
 *
 * To add a subcommand NAME:
 *   1. write cli/cmd_NAME.c defining `int ct_cmd_NAME(int argc, char **argv)`
 *      (argv[0] is "NAME"; it must handle --help: print usage, return 0;
 *      return the process exit status; 2 for usage errors);
 *   2. declare it below;
 *   3. add one line to ct_cli_commands[] in main.c;
 *   4. add cmd_NAME.c (and the library it needs) to cli/CMakeLists.txt.
 */
#ifndef CT_CLI_H
#define CT_CLI_H

/* Exit status for a usage error (bad option, unknown command). */
#define CT_CLI_EXIT_USAGE 2

struct ct_cli_command {
        const char *name;                 /* weak: e.g. "record" */
        const char *summary;              /* weak: one line for `conctrace --help` */
        int (*fn)(int argc, char **argv); /* argv[0] is the subcommand name */
};

/* The subcommands (cmd_<name>.c). */
int ct_cmd_record(int argc, char **argv);
int ct_cmd_dump(int argc, char **argv);
int ct_cmd_analyze(int argc, char **argv);
int ct_cmd_list(int argc, char **argv);
int ct_cmd_run(int argc, char **argv);
int ct_cmd_sweep(int argc, char **argv);

#endif /* CT_CLI_H */
