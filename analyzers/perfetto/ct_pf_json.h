/* SPDX-License-Identifier: MIT */
/*
 * The streaming JSON writer of the timeline: a 64 KiB buffer written to a
 * whole-or-nothing output file (ct_outfile: a temporary file renamed into
 * place by commit, mode 0666 & ~umask), JSON string escaping and exact
 * number formatting (integers, nanoseconds as microseconds with three
 * decimals), all without allocation.
 *
 * Errors are sticky: the first negative errno (a write error, or an
 * allocation failure reported by the exporter with ct__pf_json_fail) is kept
 * in err; after it nothing more reaches the file and commit fails with it.
 */
#ifndef CT_PF_JSON_H
#define CT_PF_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "ct_outfile.h"

#define CT__PF_JSON_BUF (1u << 16)

struct ct__pf_json {
        struct ct_outfile file; /* owned: the temporary file until commit */
        int err;                /* first negative errno, 0 if none */
        uint64_t bytes;         /* bytes handed to the file */
        uint64_t items;         /* array elements started (ct__pf_json_item) */
        size_t blen;            /* bytes used in buf */
        char buf[CT__PF_JSON_BUF];
};

/* Open the temporary file for path: 0 or a negative errno. */
int ct__pf_json_open(struct ct__pf_json *j, const char *path);

/* Flush, sync, close and rename into place: 0 or the first error (then
 * nothing is left behind). */
int ct__pf_json_commit(struct ct__pf_json *j);

/* Close and remove the temporary file (nothing after a commit). */
void ct__pf_json_discard(struct ct__pf_json *j);

/* Record err (negative errno) unless an earlier error is recorded. */
void ct__pf_json_fail(struct ct__pf_json *j, int err);

void ct__pf_json_raw(struct ct__pf_json *j, const char *s, size_t n);
void ct__pf_json_str(struct ct__pf_json *j, const char *s); /* s verbatim */
void ct__pf_json_chr(struct ct__pf_json *j, char ch);
void ct__pf_json_u64(struct ct__pf_json *j, uint64_t v);
void ct__pf_json_i64(struct ct__pf_json *j, int64_t v);

/* ns as microseconds with exactly three decimals: 1234 -> 1.234 */
void ct__pf_json_us(struct ct__pf_json *j, uint64_t ns);

/*
 * String contents (no quotes), escaped: quote and backslash escaped, control
 * characters and DEL as \uXXXX (Perfetto's tokenizer rejects raw ones),
 * valid UTF-8 passed through, each invalid byte replaced by U+FFFD. NULL is
 * the empty string.
 */
void ct__pf_json_esc(struct ct__pf_json *j, const char *s);

/* A quoted, escaped string. */
void ct__pf_json_qstr(struct ct__pf_json *j, const char *s);

/* Start an array element: a comma before every element but the first. */
void ct__pf_json_item(struct ct__pf_json *j);

#endif /* CT_PF_JSON_H */
