/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "ct_scn.h"

#include <errno.h>
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
