/* SPDX-License-Identifier: MIT */
/*
 * conctrace scenarios: the small helpers every scenario program shares —
 * option value parsing with clear errors, the "k=v k=v" run parameter string,
 * monotonic timing, terminal colours and verbose printing.
 *
 * Nothing here is traced: the scenarios call the runtime (conctrace/ct.h) for
 * everything that must appear in a trace.
 */
#ifndef CT_SCN_H
#define CT_SCN_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Exit status for bad command-line input (nothing was run). */
#define CT_SCN_EXIT_USAGE 2

/* The program name used in messages (set by ct_scn_init()). */
extern const char *ct_scn_prog;

/* Verbose flag shared by the helpers (set by the scenario from -v). */
extern int ct_scn_verbose;

/* Remembers the program name for messages; line-buffers stdout. */
void ct_scn_init(const char *prog);

/* Monotonic clock (CLOCK_MONOTONIC), nanoseconds. Comparable across the
 * processes of one machine. */
int64_t ct_scn_now_ns(void);

/* ns -> milliseconds as a double, for printing. */
double ct_scn_ms(int64_t ns);

/* CPU time consumed by the calling thread (CLOCK_THREAD_CPUTIME_ID), ns. */
int64_t ct_scn_thread_cpu_ns(void);

/*
 * Parses a decimal integer option value into [min, max]. On error prints
 * "PROG: invalid value for --OPT: 'ARG' (expected an integer from MIN to MAX)"
 * and returns -EINVAL (-ERANGE when out of range); else 0.
 */
int ct_scn_parse_long(const char *opt, const char *arg, long min, long max, long *out);

/* Same for a floating-point value in [min, max]. */
int ct_scn_parse_double(const char *opt, const char *arg, double min, double max, double *out);

/*
 * Parses a comma-separated list of integers in [min, max] ("1,2,4,8") into
 * out[0..*n) (at most cap items). Returns 0 or a negative errno (message
 * printed).
 */
int ct_scn_parse_long_list(const char *opt, const char *arg, long min, long max, long *out,
                           size_t cap, size_t *n);

/*
 * Matches arg against the NULL-terminated list of words; returns its index,
 * or prints "PROG: invalid value for --OPT: 'ARG' (expected one of: a, b)"
 * and returns -EINVAL.
 */
int ct_scn_parse_choice(const char *opt, const char *arg, const char *const *words);

/* Prints "PROG: MESSAGE\n" to stderr (for usage errors and failures). */
void ct_scn_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints "Try 'PROG --help'." to stderr and returns CT_SCN_EXIT_USAGE. */
int ct_scn_usage_error(void);

/* A "k=v k=v" string for ct_run_begin(): appended to with ct_scn_params_add(). */
struct ct_scn_params {
        char buf[512];
        size_t len;
};

void ct_scn_params_init(struct ct_scn_params *p);

/* Appends " KEY=VALUE" (no leading space for the first); VALUE is printf-formatted. */
void ct_scn_params_add(struct ct_scn_params *p, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* 1 if f is a terminal and NO_COLOR is not set: colours are used. */
int ct_scn_color(FILE *f);

/* ANSI sequences when colours are used on f, "" otherwise. */
const char *ct_scn_red(FILE *f);
const char *ct_scn_green(FILE *f);
const char *ct_scn_bold(FILE *f);
const char *ct_scn_reset(FILE *f);

/* printf to stdout when ct_scn_verbose is set (flushed: safe before fork). */
void ct_scn_verbose_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Writes a message with one write(2) to stdout (for use in forked children,
 * where stdio buffers must not be shared). */
void ct_scn_raw_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints "PASS: msg" (green) or "FAIL: msg" (red) on stdout and returns ok. */
int ct_scn_check(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#ifdef __cplusplus
}
#endif

#endif /* CT_SCN_H */
