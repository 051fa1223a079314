/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "ct_scn.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

const char *ct_scn_prog = "scenario";
int ct_scn_verbose;

void ct_scn_init(const char *prog)
{
        const char *slash = strrchr(prog, '/');

        ct_scn_prog = slash ? slash + 1 : prog;
        setvbuf(stdout, NULL, _IOLBF, 0);
}

int64_t ct_scn_now_ns(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

double ct_scn_ms(int64_t ns)
{
        return (double)ns / 1e6;
}

int64_t ct_scn_thread_cpu_ns(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void ct_scn_error(const char *fmt, ...)
{
        va_list ap;

        fflush(stdout);
        fprintf(stderr, "%s: ", ct_scn_prog);
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fputc('\n', stderr);
}

int ct_scn_usage_error(void)
{
        fprintf(stderr, "Try '%s --help'.\n", ct_scn_prog);
        return CT_SCN_EXIT_USAGE;
}

int ct_scn_parse_long(const char *opt, const char *arg, long min, long max, long *out)
{
        char *end = NULL;
        long v;

        errno = 0;
        v = strtol(arg, &end, 10);
        if (end == arg || *end != '\0') {
                ct_scn_error("invalid value for --%s: '%s' (expected an integer from %ld to %ld)",
                             opt, arg, min, max);
                return -EINVAL;
        }
        if (errno == ERANGE || v < min || v > max) {
                ct_scn_error("invalid value for --%s: '%s' (expected an integer from %ld to %ld)",
                             opt, arg, min, max);
                return -ERANGE;
        }
        *out = v;
        return 0;
}

int ct_scn_parse_double(const char *opt, const char *arg, double min, double max, double *out)
{
        char *end = NULL;
        double v;

        errno = 0;
        v = strtod(arg, &end);
        if (end == arg || *end != '\0' || isnan(v)) {
                ct_scn_error("invalid value for --%s: '%s' (expected a number from %g to %g)", opt,
                             arg, min, max);
                return -EINVAL;
        }
        if (errno == ERANGE || v < min || v > max) {
                ct_scn_error("invalid value for --%s: '%s' (expected a number from %g to %g)", opt,
                             arg, min, max);
                return -ERANGE;
        }
        *out = v;
        return 0;
}

int ct_scn_parse_long_list(const char *opt, const char *arg, long min, long max, long *out,
                           size_t cap, size_t *n)
{
        const char *p = arg;
        size_t count = 0;

        if (*p == '\0')
                goto error;
        while (*p) {
                char *end = NULL;
                long v;

                errno = 0;
                v = strtol(p, &end, 10);
                if (end == p || (*end != ',' && *end != '\0') || errno == ERANGE || v < min ||
                    v > max || count == cap)
                        goto error;
                out[count++] = v;
                p = *end == ',' ? end + 1 : end;
                if (*end == ',' && *p == '\0')
                        goto error;
        }
        *n = count;
        return 0;
error:
        ct_scn_error("invalid value for --%s: '%s' (expected a comma-separated list of at most "
                     "%zu integers from %ld to %ld)",
                     opt, arg, cap, min, max);
        return -EINVAL;
}

int ct_scn_parse_choice(const char *opt, const char *arg, const char *const *words)
{
        char list[256] = "";
        size_t len = 0;
        int i;

        for (i = 0; words[i]; i++) {
                if (strcmp(arg, words[i]) == 0)
                        return i;
        }
        for (i = 0; words[i] && len < sizeof(list); i++)
                len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s", i ? ", " : "",
                                        words[i]);
        ct_scn_error("invalid value for --%s: '%s' (expected one of: %s)", opt, arg, list);
        return -EINVAL;
}

void ct_scn_params_init(struct ct_scn_params *p)
{
        p->buf[0] = '\0';
        p->len = 0;
}

void ct_scn_params_add(struct ct_scn_params *p, const char *key, const char *fmt, ...)
{
        va_list ap;
        int n;

        if (p->len >= sizeof(p->buf) - 1)
                return;
        n = snprintf(p->buf + p->len, sizeof(p->buf) - p->len, "%s%s=", p->len ? " " : "", key);
        if (n < 0)
                return;
        p->len += (size_t)n;
        if (p->len >= sizeof(p->buf)) {
                p->len = sizeof(p->buf) - 1;
                return;
        }
        va_start(ap, fmt);
        n = vsnprintf(p->buf + p->len, sizeof(p->buf) - p->len, fmt, ap);
        va_end(ap);
        if (n < 0)
                return;
        p->len += (size_t)n;
        if (p->len >= sizeof(p->buf))
                p->len = sizeof(p->buf) - 1;
}

int ct_scn_color(FILE *f)
{
        const char *nc = getenv("NO_COLOR");

        if (nc && *nc)
                return 0;
        return isatty(fileno(f));
}

const char *ct_scn_red(FILE *f)
{
        return ct_scn_color(f) ? "\033[1;31m" : "";
}

const char *ct_scn_green(FILE *f)
{
        return ct_scn_color(f) ? "\033[32m" : "";
}

const char *ct_scn_bold(FILE *f)
{
        return ct_scn_color(f) ? "\033[1m" : "";
}

const char *ct_scn_reset(FILE *f)
{
        return ct_scn_color(f) ? "\033[0m" : "";
}

void ct_scn_verbose_printf(const char *fmt, ...)
{
        va_list ap;

        if (!ct_scn_verbose)
                return;
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
        fflush(stdout);
}

void ct_scn_raw_printf(const char *fmt, ...)
{
        char buf[1024];
        va_list ap;
        int n;
        size_t off = 0;

        va_start(ap, fmt);
        n = vsnprintf(buf, sizeof(buf), fmt, ap);
        va_end(ap);
        if (n < 0)
                return;
        if ((size_t)n >= sizeof(buf))
                n = (int)sizeof(buf) - 1;
        while (off < (size_t)n) {
                ssize_t w = write(STDOUT_FILENO, buf + off, (size_t)n - off);

                if (w < 0) {
                        if (errno == EINTR)
                                continue;
                        return;
                }
                off += (size_t)w;
        }
}

int ct_scn_check(int ok, const char *fmt, ...)
{
        va_list ap;

        if (ok)
                printf("%scheck ok%s: ", ct_scn_green(stdout), ct_scn_reset(stdout));
        else
                printf("%scheck FAILED%s: ", ct_scn_red(stdout), ct_scn_reset(stdout));
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
        putchar('\n');
        fflush(stdout);
        return ok;
}

/* ---- the command line ------------------------------------------------- */

/* getopt_long() values of the table's entries: 256 + index (-v, -h: 'v', 'h'). */
#define CT__SCN_OPT_VAL  256
#define CT__SCN_MAX_OPTS 32

/* Prints "  --name METAVAR" (or "  -v, --verbose"); returns its width. */
static int ct__scn_print_opt_name(const struct ct_scn_opt *opt)
{
        int n = 0;

        switch (opt->kind) {
        case CT_SCN_OPT_VERBOSE:
        case CT_SCN_OPT_HELP:
                return printf("  -%c, --%s", opt->name[0], opt->name);
        case CT_SCN_OPT_CHOICE:
                n = printf("  --%s ", opt->name);
                for (int i = 0; opt->words[i]; i++)
                        n += printf("%s%s", i ? "|" : "", opt->words[i]);
                return n;
        default:
                if (opt->metavar)
                        return printf("  --%s %s", opt->name, opt->metavar);
                return printf("  --%s", opt->name);
        }
}

static void ct__scn_print_default(const struct ct_scn_opt *opt)
{
        switch (opt->kind) {
        case CT_SCN_OPT_LONG:
                printf("%ld", opt->def.l);
                break;
        case CT_SCN_OPT_DOUBLE:
                printf("%g", opt->def.d);
                break;
        case CT_SCN_OPT_CHOICE:
                printf("%s", opt->words[opt->def.l]);
                break;
        case CT_SCN_OPT_LIST:
        case CT_SCN_OPT_CUSTOM:
                printf("%s", opt->def.s);
                break;
        default:
                /* A "{}" in the help of an option without a default. */
                abort();
        }
}

void ct_scn_print_help(const struct ct_scn_opt *opts, size_t n, int column)
{
        printf("Usage: %s [OPTIONS]\n", ct_scn_prog);
        for (size_t k = 0; k < n; k++) {
                const struct ct_scn_opt *opt = &opts[k];
                const char *h;
                int width;

                if (opt->kind == CT_SCN_OPT_TEXT) {
                        fputs(opt->name, stdout);
                        continue;
                }
                width = ct__scn_print_opt_name(opt);
                /* Pad to the help column; a name that reaches it gets two spaces. */
                printf("%*s", width < column ? column - width : 2, "");
                for (h = opt->help; *h; h++) {
                        if (h[0] == '{' && h[1] == '}') {
                                ct__scn_print_default(opt);
                                h++;
                        } else if (*h == '\n') {
                                printf("\n%*s", column, "");
                        } else {
                                putchar(*h);
                        }
                }
                putchar('\n');
        }
}

/* Parses one option's value into its target. Returns 0 or a negative errno. */
static int ct__scn_parse_value(const struct ct_scn_opt *opt, const char *arg)
{
        int ret;

        switch (opt->kind) {
        case CT_SCN_OPT_LONG:
                return ct_scn_parse_long(opt->name, arg, opt->min, opt->max, opt->target.l);
        case CT_SCN_OPT_DOUBLE:
                return ct_scn_parse_double(opt->name, arg, opt->dmin, opt->dmax, opt->target.d);
        case CT_SCN_OPT_CHOICE:
                ret = ct_scn_parse_choice(opt->name, arg, opt->words);
                if (ret >= 0)
                        *opt->target.i = ret;
                return ret < 0 ? ret : 0;
        case CT_SCN_OPT_LIST:
                return ct_scn_parse_long_list(opt->name, arg, opt->min, opt->max, opt->target.l,
                                              opt->cap, opt->count);
        case CT_SCN_OPT_CUSTOM:
                return opt->parse(opt->name, arg, opt->target.p);
        default:
                abort();
        }
}

static void ct__scn_set_default(const struct ct_scn_opt *opt)
{
        switch (opt->kind) {
        case CT_SCN_OPT_FLAG:
                *opt->target.i = 0;
                break;
        case CT_SCN_OPT_LONG:
                *opt->target.l = opt->def.l;
                break;
        case CT_SCN_OPT_DOUBLE:
                *opt->target.d = opt->def.d;
                break;
        case CT_SCN_OPT_CHOICE:
                *opt->target.i = (int)opt->def.l;
                break;
        case CT_SCN_OPT_LIST:
        case CT_SCN_OPT_CUSTOM:
                /* A default the option's own parser rejects is a bug in the table. */
                if (ct__scn_parse_value(opt, opt->def.s) < 0)
                        abort();
                break;
        default:
                break;
        }
}

int ct_scn_parse_cli(int argc, char **argv, const struct ct_scn_opt *opts, size_t n, int column)
{
        struct option longopts[CT__SCN_MAX_OPTS + 1];
        char shortopts[8];
        size_t n_long = 0, n_short = 0;
        int c;

        if (n > CT__SCN_MAX_OPTS)
                abort();
        for (size_t k = 0; k < n; k++) {
                const struct ct_scn_opt *opt = &opts[k];
                struct option *lo = &longopts[n_long];

                if (opt->kind == CT_SCN_OPT_TEXT)
                        continue;
                ct__scn_set_default(opt);
                lo->name = opt->name;
                lo->has_arg = opt->kind == CT_SCN_OPT_FLAG || opt->kind == CT_SCN_OPT_VERBOSE ||
                                      opt->kind == CT_SCN_OPT_HELP
                                  ? no_argument
                                  : required_argument;
                lo->flag = NULL;
                lo->val = CT__SCN_OPT_VAL + (int)k;
                if (opt->kind == CT_SCN_OPT_VERBOSE || opt->kind == CT_SCN_OPT_HELP) {
                        lo->val = opt->name[0];
                        if (n_short + 1 < sizeof(shortopts))
                                shortopts[n_short++] = opt->name[0];
                }
                n_long++;
        }
        memset(&longopts[n_long], 0, sizeof(longopts[n_long]));
        shortopts[n_short] = '\0';

        while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
                const struct ct_scn_opt *opt;

                if (c == 'v') {
                        ct_scn_verbose = 1;
                        continue;
                }
                if (c == 'h') {
                        ct_scn_print_help(opts, n, column);
                        exit(0);
                }
                if (c < CT__SCN_OPT_VAL || c >= CT__SCN_OPT_VAL + (int)n)
                        return ct_scn_usage_error(); /* getopt_long said why */
                opt = &opts[c - CT__SCN_OPT_VAL];
                if (opt->kind == CT_SCN_OPT_FLAG)
                        *opt->target.i = 1;
                else if (ct__scn_parse_value(opt, optarg) < 0)
                        return ct_scn_usage_error();
        }
        if (optind < argc) {
                ct_scn_error("unexpected argument: '%s'", argv[optind]);
                return ct_scn_usage_error();
        }
        return 0;
}

/* ---- runs, GIL and threads -------------------------------------------- */

int ct_scn_enable_gil(long switch_us)
{
        int ret = ct_gil_enable((uint64_t)switch_us);

        if (ret < 0)
                ct_scn_error("Failed to enable the GIL model: err=%s", strerror(-ret));
        return ret;
}

long ct_scn_start_threads(struct ct_thread *threads, long n, const char *role, void *(*fn)(void *),
                          void *args, size_t arg_size)
{
        long started;

        for (started = 0; started < n; started++) {
                char name[32];
                int ret;

                snprintf(name, sizeof(name), "%s-%ld", role, started + 1);
                ret = ct_thread_create(&threads[started], name, fn,
                                       (char *)args + (size_t)started * arg_size);
                if (ret < 0) {
                        ct_scn_error("Failed to start a thread: role=%s err=%s", name,
                                     strerror(-ret));
                        break;
                }
        }
        return started;
}

void ct_scn_join_threads(struct ct_thread *threads, long n)
{
        for (long i = 0; i < n; i++)
                ct_thread_join(&threads[i], NULL);
}

int64_t ct_scn_run_begin(const char *scenario, const char *variant, long workers,
                         const struct ct_scn_params *p)
{
        ct_run_begin(scenario, variant, (int)workers, p->buf);
        return ct_scn_now_ns();
}

void ct_scn_print_elapsed(const char *scenario, int64_t ns)
{
        printf("%s: elapsed %.3f ms\n", scenario, ct_scn_ms(ns));
}

double ct_scn_speedup(int64_t base, int64_t t)
{
        return t > 0 ? (double)base / (double)t : 0.0;
}
