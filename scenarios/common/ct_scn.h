/* SPDX-License-Identifier: MIT */
/*
 * conctrace scenarios: the small helpers every scenario program shares —
 * the table-driven command line (options, --help, usage errors), the
 * "k=v k=v" run parameter string, run markers and timing, starting and
 * joining a row of threads, terminal colours and verbose printing.
 *
 * The helpers that put something in a trace only wrap a runtime call
 * (conctrace/ct.h) under the same name: ct_scn_run_begin() fires
 * ct_run_begin(), ct_scn_start_threads() calls ct_thread_create(). Everything
 * the lesson is about stays in the scenario's own code.
 */
#ifndef CT_SCN_H
#define CT_SCN_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <conctrace/ct.h>

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

/*
 * Command-line options, declared once as a table: each entry names a long
 * option, the field it sets, its default, how its value is parsed (with
 * bounds) and its line in --help. ct_scn_parse_cli() sets the defaults, parses
 * argv with getopt_long(), prints --help from the same table and handles -v,
 * -h and every usage error ("PROG: invalid value for --OPT: ..." then "Try
 * 'PROG --help'.", exit status CT_SCN_EXIT_USAGE, nothing on stdout).
 *
 * The table reads like the --help it prints: "Usage: PROG [OPTIONS]", then
 * every entry in order — CT_SCN_TEXT() entries (the description, headings,
 * the exit statuses) as they are, options as "  --name METAVAR" padded to the
 * help column (two spaces when the name reaches it) and their help text.
 *
 * In a help text, "\n" starts a continuation line (indented to the help
 * column) and "{}" stands for the option's default value.
 */
enum ct_scn_opt_kind {
        CT_SCN_OPT_TEXT,    /* not an option: text printed as is in --help */
        CT_SCN_OPT_FLAG,    /* no value: sets *target.i to 1 (default 0) */
        CT_SCN_OPT_LONG,    /* an integer in [min, max] */
        CT_SCN_OPT_DOUBLE,  /* a number in [dmin, dmax] */
        CT_SCN_OPT_CHOICE,  /* one of words: *target.i = its index */
        CT_SCN_OPT_LIST,    /* comma list of at most cap integers in [min, max] */
        CT_SCN_OPT_CUSTOM,  /* parse(name, arg, target.p) */
        CT_SCN_OPT_VERBOSE, /* -v, --verbose: sets ct_scn_verbose */
        CT_SCN_OPT_HELP,    /* -h, --help: prints --help and exits 0 */
};

struct ct_scn_opt {
        enum ct_scn_opt_kind kind;
        const char *name;    /* long name without "--" (TEXT: the text) */
        const char *metavar; /* the value's name in --help, NULL for none */
        union {
                int *i;
                long *l;
                double *d;
                void *p;
        } target; /* weak */
        union {
                long l;        /* LONG, CHOICE (the word's index) */
                double d;      /* DOUBLE */
                const char *s; /* LIST, CUSTOM: parsed like a value given */
        } def;
        long min, max;            /* LONG, LIST */
        double dmin, dmax;        /* DOUBLE */
        const char *const *words; /* weak: CHOICE's NULL-terminated words */
        size_t *count;            /* weak: LIST's number of integers */
        size_t cap;               /* LIST's capacity */
        /* CUSTOM: returns 0 or a negative errno (message printed). */
        int (*parse)(const char *name, const char *arg, void *target);
        const char *help;
};

#define CT_SCN_TEXT(text)                                                                          \
        {                                                                                          \
                .kind = CT_SCN_OPT_TEXT, .name = (text)                                            \
        }
#define CT_SCN_FLAG(nm, field, hlp)                                                                \
        {                                                                                          \
                .kind = CT_SCN_OPT_FLAG, .name = (nm), .target.i = (field), .help = (hlp)          \
        }
#define CT_SCN_LONG(nm, mv, field, dflt, lo, hi, hlp)                                              \
        {                                                                                          \
                .kind = CT_SCN_OPT_LONG, .name = (nm), .metavar = (mv), .target.l = (field),       \
                .def.l = (dflt), .min = (lo), .max = (hi), .help = (hlp)                           \
        }
#define CT_SCN_DOUBLE(nm, mv, field, dflt, lo, hi, hlp)                                            \
        {                                                                                          \
                .kind = CT_SCN_OPT_DOUBLE, .name = (nm), .metavar = (mv), .target.d = (field),     \
                .def.d = (dflt), .dmin = (lo), .dmax = (hi), .help = (hlp)                         \
        }
/* The metavar is the words joined by '|' ("broken|fixed"). */
#define CT_SCN_CHOICE(nm, field, wordlist, dflt, hlp)                                              \
        {                                                                                          \
                .kind = CT_SCN_OPT_CHOICE, .name = (nm), .target.i = (field), .def.l = (dflt),     \
                .words = (wordlist), .help = (hlp)                                                 \
        }
#define CT_SCN_LIST(nm, mv, array, n, capacity, dflt, lo, hi, hlp)                                 \
        {                                                                                          \
                .kind = CT_SCN_OPT_LIST, .name = (nm), .metavar = (mv), .target.l = (array),       \
                .def.s = (dflt), .min = (lo), .max = (hi), .count = (n), .cap = (capacity),        \
                .help = (hlp)                                                                      \
        }
#define CT_SCN_CUSTOM(nm, mv, tgt, parser, dflt, hlp)                                              \
        {                                                                                          \
                .kind = CT_SCN_OPT_CUSTOM, .name = (nm), .metavar = (mv), .target.p = (tgt),       \
                .parse = (parser), .def.s = (dflt), .help = (hlp)                                  \
        }
#define CT_SCN_VERBOSE(hlp)                                                                        \
        {                                                                                          \
                .kind = CT_SCN_OPT_VERBOSE, .name = "verbose", .help = (hlp)                       \
        }
#define CT_SCN_HELP                                                                                \
        {                                                                                          \
                .kind = CT_SCN_OPT_HELP, .name = "help", .help = "this help"                       \
        }
/* The GIL model's switch interval, the same in every scenario that has --gil. */
#define CT_SCN_SWITCH_INTERVAL(field)                                                              \
        CT_SCN_LONG("switch-interval-us", "US", field, CT_GIL_DEFAULT_SWITCH_US, 1, 10000000,      \
                    "the GIL switch interval (default {})")

#define CT_SCN_N(array) (sizeof(array) / sizeof((array)[0]))

/*
 * Sets the default of every option of opts[0 .. n), then parses argv.
 * Returns 0, or CT_SCN_EXIT_USAGE after a usage error (message printed on
 * stderr). --help prints the help (help texts at `column`) on stdout and
 * exits 0.
 */
int ct_scn_parse_cli(int argc, char **argv, const struct ct_scn_opt *opts, size_t n, int column);

/* Prints the --help of opts[0 .. n) on stdout. */
void ct_scn_print_help(const struct ct_scn_opt *opts, size_t n, int column);

/* Turns the GIL model on (ct_gil_enable); prints the error and returns it on
 * failure. */
int ct_scn_enable_gil(long switch_us);

/*
 * Starts n threads with roles "ROLE-1" .. "ROLE-n", thread i running
 * fn(args + i * arg_size). Returns how many started (all n, or fewer after a
 * failure, reported on stderr): join exactly that many.
 */
long ct_scn_start_threads(struct ct_thread *threads, long n, const char *role, void *(*fn)(void *),
                          void *args, size_t arg_size);

/* Joins threads[0 .. n). */
void ct_scn_join_threads(struct ct_thread *threads, long n);

/* A "k=v k=v" string for ct_run_begin(): appended to with ct_scn_params_add(). */
struct ct_scn_params {
        char buf[512];
        size_t len;
};

void ct_scn_params_init(struct ct_scn_params *p);

/* Appends " KEY=VALUE" (no leading space for the first); VALUE is printf-formatted. */
void ct_scn_params_add(struct ct_scn_params *p, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Starts one measured run: fires ct_run:run_begin (scenario, variant, workers,
 * p's params) and returns the monotonic clock at that moment, for the run's
 * elapsed time.
 */
int64_t ct_scn_run_begin(const char *scenario, const char *variant, long workers,
                         const struct ct_scn_params *p);

/* Prints "SCENARIO: elapsed MS ms". */
void ct_scn_print_elapsed(const char *scenario, int64_t ns);

/* base / t, or 0 when t is 0: the speedup of a run against its baseline. */
double ct_scn_speedup(int64_t base, int64_t t);

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
