/* SPDX-License-Identifier: MIT */
/*
 * The analysis step of `conctrace run` and `sweep`: one streaming pass of the
 * analyses (and optionally the Perfetto timeline) over traces that live in an
 * output directory, writing the reports there. Paths are given relative to
 * that directory and the pass runs with it as the working directory, so the
 * reports name the traces as `trace` or `traces/...`: relative to the report,
 * and still right once the temporary directory is renamed into place.
 */
#ifndef CT_WF_ANALYZE_H
#define CT_WF_ANALYZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ct_analyses.h"
#include "ct_table.h"

struct ct_wf_analyze_opts {
        const char *dir;           /* weak: working directory of the pass */
        const char *const *traces; /* weak: n trace paths, relative to dir */
        size_t n;
        const char *report_txt;  /* weak: NULL for none */
        const char *report_json; /* weak: NULL for none */
        const char *timeline;    /* weak: Chrome JSON timeline, NULL for none */
        const char *timeline_pb; /* weak: native Perfetto timeline, NULL for none */
        bool quiet;              /* no progress line, no warnings */
        const char *prefix;      /* weak: "conctrace run" for messages */
};

/*
 * A JSON timeline above this size is not kept when the native one is
 * written: Perfetto UI's JSON import in a browser fails well below the
 * browser's ~2 GB memory limit (Perfetto's "Visualising large traces": the
 * in-memory representation is several times the file; google/perfetto
 * issue #99: a 900 MB JSON trace crashes the UI; chrome://tracing's limit
 * was 256 MB). docs/perfetto.md says which file to open when.
 */
#define CT_WF_JSON_MAX (256ull << 20)

/*
 * Runs the pass and writes the outputs. On success *out is the analyses
 * handle (owned by the caller: ct_analyses_destroy) and *report its tables
 * (ct_report_fini). 0 or a negative errno (the cause was printed).
 */
int ct_wf_analyze(const struct ct_wf_analyze_opts *o, struct ct_analyses **out,
                  struct ct_report *report);

/* Helpers to read report cells: 1 and the value if the cell is set, else 0. */
int ct_wf_cell_int(const struct ct_table *t, size_t row, const char *col, int64_t *v);
int ct_wf_cell_double(const struct ct_table *t, size_t row, const char *col, double *v);
/* The string cell, or "-" when null. */
const char *ct_wf_cell_str(const struct ct_table *t, size_t row, const char *col);
/* The same, escaped for a terminal (ct_esc.h): what to print. */
const char *ct_wf_cell_text(const struct ct_table *t, size_t row, const char *col);

#endif /* CT_WF_ANALYZE_H */
