/* SPDX-License-Identifier: MIT */
/*
 * Report writers: text (aligned tables for a terminal), json (one object, a
 * key per top-level table, integer ns, child tables nested, every table's
 * notes under "notes" of the table flagged single, i.e. "trace"), csv (one
 * <key>.csv per table in a directory). Each writes to a temporary file or
 * directory next to the destination and renames it: nothing partial is left
 * on error. "-" as path writes text/json to stdout.
 */
#ifndef CT_REPORT_H
#define CT_REPORT_H

#include <stdio.h>

#include "ct_table.h"

/* Writes text to an open stream. 0 or -EIO. */
int ct_report_text_stream(const struct ct_report *r, FILE *f);
/* 0 or a negative errno; the cause goes to stderr. */
int ct_report_write_text(const struct ct_report *r, const char *path);
int ct_report_write_json(const struct ct_report *r, const char *path);
int ct_report_write_csv(const struct ct_report *r, const char *dir);

/* Formats ns with a unit ("850 ns", "12.35 us", "1.20 ms", "2.500 s"). */
const char *ct_report_fmt_ns(int64_t ns, char *buf, size_t size);

#endif /* CT_REPORT_H */
