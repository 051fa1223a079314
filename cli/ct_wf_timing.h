/* SPDX-License-Identifier: MIT */
/*
 * Untraced timing for `conctrace run` and `sweep` (docs/workflows.md): the
 * scenario program runs with no tracing session, and the runtime writes each
 * run's run_begin/run_end clock readings to the file named by CT_RUN_TIMES
 * (runtime/src/run.c: one line per run, "run\tSCENARIO\tVARIANT\tWORKERS\t
 * STATUS\tBEGIN_NS\tEND_NS\tPARAMS"). The lines of one or more such files are
 * turned into run_begin/run_end events and fed to the analyses, so that the
 * untraced speedup table is computed by the very code (grouping, median,
 * baseline, Karp-Flatt) that computes the traced one.
 */
#ifndef CT_WF_TIMING_H
#define CT_WF_TIMING_H

#include <stddef.h>

#include "ct_table.h"

/*
 * Runs argv (argv[0] a path) with no tracing: CT_RUN_TIMES=times_path in its
 * environment, its standard output to log_path (appended), stdin from
 * /dev/null. *exit_code gets its exit status (128 + signal if killed).
 * 0, or a negative errno if it could not be started (cause printed).
 */
int ct_wf_untraced_run(char *const argv[], const char *times_path, const char *log_path,
                       int *exit_code);

/* Number of run lines in a timing file (0 if missing), or a negative errno. */
int ct_wf_timing_count(const char *path);

/*
 * Reads the timing files paths[0..n) and computes their runs and speedup
 * tables (ct_a_runs.c) into *report (ct_report_fini), and writes them in
 * format fmt (enum ct_report_format) to out_path unless NULL. A line that
 * does not parse is an error: -EINVAL with the file and line in why.
 */
int ct_wf_timing_report(const char *const *paths, size_t n, int fmt, const char *out_path,
                        struct ct_report *report, char *why, size_t why_size);

#endif /* CT_WF_TIMING_H */
