/* SPDX-License-Identifier: MIT */
/*
 * Shared logic of `conctrace list`, `run` and `sweep`: scenario table,
 * argument splitting, worker/model lists, output directories. See
 * ct_workflow.h.
 */
#define _GNU_SOURCE
#include "ct_workflow.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* clang-format off */
static const struct ct_wf_scenario ct__scenarios[] = {
    {
        .name = "task1a", .lab = "lab 004, Task 1A",
        .description = "pipe between a parent and a forked child: a full pipe blocks the "
                       "writer, EOF, EPIPE when the reader leaves (--mode broken|fixed)",
    },
    {
        .name = "task1b", .lab = "lab 004, Task 1B",
        .description = "select() over many children's pipes: EOF removal, starvation by a "
                       "chatty child (--chatty K, --fair)",
    },
    {
        .name = "task2a", .lab = "lab 004, Task 2A",
        .description = "thread producer/consumer queue: sequential vs NUM_THREADS consumers, "
                       "I/O waits overlap, --gil serializes computation",
        .workers_opt = "--num-threads",
        .reserved = {"--num-threads", "--gil", NULL},
        .models = {
            {"threads", "threads", {NULL}},
            {"threads+gil", "threads", {"--gil", NULL}},
            {"py-threads", "threads", {NULL}, "py-task2a"},
        },
    },
    {
        .name = "task2b", .lab = "lab 004, Task 2B",
        .description = "condition-variable bounded buffer: wait/notify, --notify-all "
                       "re-waits, --busy-wait polling",
        .workers_opt = "--consumers", .needs_one = true,
        .reserved = {"--consumers", "--notify-all", "--busy-wait", NULL},
        .models = {
            {"notify", "notify", {NULL}},
            {"notify-all", "notify_all", {"--notify-all", NULL}},
            {"busy-wait", "busy_wait", {"--busy-wait", NULL}},
        },
    },
    {
        .name = "primes", .lab = "lab 004, Hacker's edition",
        .description = "thread pool vs process pool counting primes (--mode threads|processes, "
                       "--gil, --workers 1,2,4)",
        .workers_opt = "--workers", .workers_list = true, .needs_one = true,
        .reserved = {"--workers", "--mode", "--gil", NULL},
        .models = {
            {"threads", "threads", {"--mode", "threads", NULL}},
            {"threads+gil", "threads", {"--mode", "threads", "--gil", NULL}},
            {"processes", "processes", {"--mode", "processes", NULL}},
            {"py-threads", "threads", {"--mode", "threads", NULL}, "py-primes"},
            {"py-processes", "processes", {"--mode", "processes", NULL}, "py-primes"},
        },
    },
    {
        .name = "scaling", .lab = "lab 003, week 2 report",
        .description = "CPU- or I/O-bound tasks run serial, with threads, processes or an "
                       "event loop, across worker counts (--workload cpu|io)",
        .workers_opt = "--workers", .workers_list = true,
        .reserved = {"--workers", "--model", "--gil", NULL},
        .models = {
            {"threads", "threads", {"--model", "serial,threads", NULL}},
            {"threads+gil", "threads", {"--model", "serial,threads", "--gil", NULL}},
            {"processes", "processes", {"--model", "serial,processes", NULL}},
            {"eventloop", "eventloop", {"--model", "serial,eventloop", NULL}},
            {"py-threads", "threads", {"--model", "serial,threads", NULL}, "py-scaling"},
            {"py-processes", "processes", {"--model", "serial,processes", NULL}, "py-scaling"},
            {"py-asyncio", "asyncio", {"--model", "serial,asyncio", NULL}, "py-scaling"},
        },
    },
    {
        .name = "sharedlist", .lab = "lab 001, question 4",
        .description = "an adder thread and a remover thread sharing one list under one lock",
    },
    /* The labs' own programs in Python, run by CT_WF_PYTHON under the preload library. */
    {
        .name = "py-task1a", .script = "task1a.py", .lab = "lab 004, Task 1A (Python)",
        .description = "task1a.py: os.pipe + os.fork, BrokenPipeError when the child reads "
                       "once (--mode broken|fixed)",
    },
    {
        .name = "py-task1b", .script = "task1b.py", .lab = "lab 004, Task 1B (Python)",
        .description = "task1b.py: select.select() over many children's pipes (--chatty K, "
                       "--fair)",
    },
    {
        .name = "py-task2a", .script = "task2a.py", .lab = "lab 004, Task 2A (Python)",
        .description = "task2a.py: queue.Queue producer/consumer, sequential vs NUM_THREADS, "
                       "the real GIL",
        .workers_opt = "--num-threads",
        .reserved = {"--num-threads", NULL},
        .models = {
            {"threads", "threads", {NULL}},
        },
    },
    {
        .name = "py-task2b", .script = "task2b.py", .lab = "lab 004, Task 2B (Python)",
        .description = "task2b.py: threading.Condition bounded buffer, --notify-all re-waits, "
                       "--busy-wait",
        .workers_opt = "--consumers", .needs_one = true,
        .reserved = {"--consumers", "--notify-all", "--busy-wait", NULL},
        .models = {
            {"notify", "notify", {NULL}},
            {"notify-all", "notify_all", {"--notify-all", NULL}},
            {"busy-wait", "busy_wait", {"--busy-wait", NULL}},
        },
    },
    {
        .name = "py-primes", .script = "primes.py", .lab = "lab 004, Hacker's ed. (Python)",
        .description = "primes.py: a ThreadPool vs multiprocessing.Pool counting primes "
                       "(--mode threads|processes)",
        .workers_opt = "--workers", .workers_list = true, .needs_one = true,
        .reserved = {"--workers", "--mode", NULL},
        .models = {
            {"threads", "threads", {"--mode", "threads", NULL}},
            {"processes", "processes", {"--mode", "processes", NULL}},
        },
    },
    {
        .name = "py-scaling", .script = "scaling.py", .lab = "lab 003, week 2 (Python)",
        .description = "scaling.py: serial, ThreadPoolExecutor, ProcessPoolExecutor, asyncio "
                       "(--workload cpu|io)",
        .workers_opt = "--workers", .workers_list = true,
        .reserved = {"--workers", "--model", NULL},
        .models = {
            {"threads", "threads", {"--model", "serial,threads", NULL}},
            {"processes", "processes", {"--model", "serial,processes", NULL}},
            {"asyncio", "asyncio", {"--model", "serial,asyncio", NULL}},
        },
    },
    {
        .name = "py-sharedlist", .script = "sharedlist.py", .lab = "lab 001, q. 4 (Python)",
        .description = "sharedlist.py: adder and remover threads, one list, one "
                       "threading.Lock",
    },
};
/* clang-format on */

#define CT__NR_SCENARIOS (sizeof(ct__scenarios) / sizeof(ct__scenarios[0]))

static void ct__why(char *why, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void ct__why(char *why, size_t size, const char *fmt, ...)
{
        va_list ap;

        if (!why || !size) {
                return;
        }
        va_start(ap, fmt);
        vsnprintf(why, size, fmt, ap);
        va_end(ap);
}

const struct ct_wf_scenario *ct_wf_scenarios(size_t *n)
{
        *n = CT__NR_SCENARIOS;
        return ct__scenarios;
}

const struct ct_wf_scenario *ct_wf_scenario_find(const char *name)
{
        size_t i;

        if (!name) {
                return NULL;
        }
        for (i = 0; i < CT__NR_SCENARIOS; i++) {
                if (strcmp(ct__scenarios[i].name, name) == 0) {
                        return &ct__scenarios[i];
                }
        }
        return NULL;
}

void ct_wf_scenario_names(char *buf, size_t size, bool sweepable)
{
        size_t i, len = 0;

        if (!size) {
                return;
        }
        buf[0] = '\0';
        for (i = 0; i < CT__NR_SCENARIOS; i++) {
                int w;

                if (sweepable && !ct__scenarios[i].workers_opt) {
                        continue;
                }
                w = snprintf(buf + len, size - len, "%s%s", len ? ", " : "", ct__scenarios[i].name);
                if (w < 0 || (size_t)w >= size - len) {
                        return;
                }
                len += (size_t)w;
        }
}

const struct ct_wf_model *ct_wf_model_find(const struct ct_wf_scenario *s, const char *name)
{
        size_t i;

        for (i = 0; i < CT_WF_MAX_MODELS && s->models[i].name; i++) {
                if (strcmp(s->models[i].name, name) == 0) {
                        return &s->models[i];
                }
        }
        return NULL;
}

int ct_wf_bin_dir(char *buf, size_t size)
{
        ssize_t len;
        char *slash;

        len = readlink("/proc/self/exe", buf, size);
        if (len < 0) {
                return -errno;
        }
        if ((size_t)len >= size) {
                return -ENAMETOOLONG;
        }
        buf[len] = '\0';
        slash = strrchr(buf, '/');
        if (!slash) {
                return -ENOENT;
        }
        if (slash == buf) {
                slash[1] = '\0';
        } else {
                *slash = '\0';
        }
        return 0;
}

int ct_wf_scenario_dir(char *buf, size_t size)
{
        char probe[PATH_MAX + 64];
        int ret;
        int w;

        ret = ct_wf_bin_dir(buf, size);
        if (ret) {
                return ret;
        }
        /* A build tree: the first scenario (task1a) beside conctrace. */
        snprintf(probe, sizeof(probe), "%s/task1a", buf);
        if (access(probe, X_OK) == 0) {
                return 0;
        }
        w = snprintf(probe, sizeof(probe), "%s/../libexec/conctrace", buf);
        if (w < 0 || (size_t)w >= size) {
                return -ENAMETOOLONG;
        }
        if (access(probe, X_OK) == 0) {
                memcpy(buf, probe, (size_t)w + 1);
        }
        return 0;
}

int ct_wf_scenario_path(const struct ct_wf_scenario *s, char *buf, size_t size, char *why,
                        size_t why_size)
{
        char dir[PATH_MAX];
        int ret;
        int w;

        ret = ct_wf_scenario_dir(dir, sizeof(dir));
        if (ret) {
                ct__why(why, why_size, "Failed to find conctrace's directory: /proc/self/exe: %s",
                        strerror(-ret));
                return ret;
        }
        if (s->script) {
                if (access(CT_WF_PYTHON, X_OK)) {
                        ret = -errno;
                        ct__why(why, why_size,
                                "scenario %s needs %s (%s; Debian: apt-get install python3)",
                                s->name, CT_WF_PYTHON, strerror(errno));
                        return ret;
                }
                w = snprintf(buf, size, "%s/python/%s", dir, s->script);
        } else {
                w = snprintf(buf, size, "%s/%s", dir, s->name);
        }
        if (w < 0 || (size_t)w >= size) {
                ct__why(why, why_size, "path too long: %s/%s", dir, s->name);
                return -ENAMETOOLONG;
        }
        if (s->script && access(buf, R_OK)) {
                ret = -errno;
                ct__why(why, why_size,
                        "scenario %s is not built: no script %s (%s); build the project "
                        "(cmake --build BUILD) first",
                        s->name, buf, strerror(errno));
                return ret;
        }
        if (!s->script && access(buf, X_OK)) {
                ret = -errno;
                ct__why(why, why_size,
                        "scenario %s is not built: no executable %s (%s); build the project "
                        "(cmake --build BUILD) first",
                        s->name, buf, strerror(errno));
                return ret;
        }
        return 0;
}

size_t ct_wf_scenario_argv(const struct ct_wf_scenario *s, char *path, char **argv)
{
        if (s->script) {
                argv[0] = (char *)CT_WF_PYTHON;
                argv[1] = path;
                return 2;
        }
        argv[0] = path;
        return 1;
}

/* ------------------------------------------------------------------------ */
/* Argument splitting */

static const struct ct_wf_opt *ct__find_long(const struct ct_wf_opt *opts, size_t n,
                                             const char *name, size_t len)
{
        size_t i;

        for (i = 0; i < n; i++) {
                if (strlen(opts[i].long_name) == len &&
                    strncmp(opts[i].long_name, name, len) == 0) {
                        return &opts[i];
                }
        }
        return NULL;
}

static const struct ct_wf_opt *ct__find_short(const struct ct_wf_opt *opts, size_t n, char c)
{
        size_t i;

        for (i = 0; i < n; i++) {
                if (opts[i].short_name && opts[i].short_name == c) {
                        return &opts[i];
                }
        }
        return NULL;
}

static int ct__push(struct ct_wf_args *a, char *arg)
{
        a->scn_argv[a->scn_argc++] = arg;
        a->scn_argv[a->scn_argc] = NULL;
        return 0;
}

int ct_wf_split_args(int argc, char **argv, const struct ct_wf_opt *opts, size_t nopts,
                     ct_wf_opt_cb cb, void *ctx, struct ct_wf_args *out, char *why, size_t why_size)
{
        int i;
        int ret;

        memset(out, 0, sizeof(*out));
        out->scn_argv = calloc((size_t)(argc > 0 ? argc : 1) + 1, sizeof(*out->scn_argv));
        if (!out->scn_argv) {
                return -ENOMEM;
        }
        for (i = 1; i < argc; i++) {
                char *arg = argv[i];
                const struct ct_wf_opt *o = NULL;
                const char *value = NULL;

                if (strcmp(arg, "--") == 0) {
                        for (i++; i < argc; i++) {
                                if (!out->scenario) {
                                        out->scenario = argv[i];
                                } else {
                                        ct__push(out, argv[i]);
                                }
                        }
                        break;
                }
                if (arg[0] != '-' || arg[1] == '\0') {
                        if (!out->scenario) {
                                out->scenario = arg;
                        } else {
                                ct__push(out, arg);
                        }
                        continue;
                }
                if (arg[1] == '-') {
                        const char *eq = strchr(arg + 2, '=');
                        size_t len = eq ? (size_t)(eq - (arg + 2)) : strlen(arg + 2);

                        o = ct__find_long(opts, nopts, arg + 2, len);
                        if (o && eq) {
                                if (!o->has_arg) {
                                        ct__why(why, why_size, "option '--%s' takes no value",
                                                o->long_name);
                                        return -EINVAL;
                                }
                                value = eq + 1;
                        }
                } else {
                        o = ct__find_short(opts, nopts, arg[1]);
                        if (o && arg[2] != '\0') {
                                if (!o->has_arg) {
                                        o = NULL; /* e.g. -fq: not ours */
                                } else {
                                        value = arg + 2;
                                }
                        }
                }
                if (!o) {
                        if (!out->scenario) {
                                ct__why(why, why_size,
                                        "unknown option '%s' (scenario options come after "
                                        "SCENARIO)",
                                        arg);
                                return -EINVAL;
                        }
                        ct__push(out, arg);
                        continue;
                }
                if (o->has_arg && !value) {
                        if (i + 1 >= argc) {
                                ct__why(why, why_size, "option '%s' needs a value", arg);
                                return -EINVAL;
                        }
                        value = argv[++i];
                }
                if (strcmp(o->long_name, "help") == 0) {
                        out->help = true;
                }
                ret = cb ? cb(ctx, o->id, value) : 0;
                if (ret) {
                        ct__why(why, why_size, "bad option '%s'", arg);
                        return -ECANCELED;
                }
        }
        return 0;
}

void ct_wf_args_fini(struct ct_wf_args *a)
{
        free(a->scn_argv);
        memset(a, 0, sizeof(*a));
}

/* ------------------------------------------------------------------------ */
/* Lists */

static int ct__cmp_long(const void *a, const void *b)
{
        long x = *(const long *)a, y = *(const long *)b;

        return (x > y) - (x < y);
}

int ct_wf_parse_workers(const char *s, long *out, size_t *n, char *why, size_t why_size)
{
        const char *p = s;
        size_t count = 0, i;

        *n = 0;
        if (!s || !*s) {
                ct__why(why, why_size,
                        "invalid --workers '': expected a comma list of worker counts such as "
                        "1,2,4,8");
                return -EINVAL;
        }
        for (;;) {
                const char *comma = strchr(p, ',');
                size_t len = comma ? (size_t)(comma - p) : strlen(p);
                char item[32];
                char *end;
                long v;

                if (len == 0) {
                        ct__why(why, why_size,
                                "invalid --workers '%s': empty item (expected a comma list of "
                                "worker counts such as 1,2,4,8)",
                                s);
                        return -EINVAL;
                }
                if (len >= sizeof(item)) {
                        len = sizeof(item) - 1;
                }
                memcpy(item, p, len);
                item[len] = '\0';
                errno = 0;
                v = strtol(item, &end, 10);
                if (item[0] < '0' || item[0] > '9' || *end != '\0' || errno) {
                        ct__why(why, why_size,
                                "invalid --workers '%s': '%s' is not a worker count (expected "
                                "a comma list of positive integers such as 1,2,4,8)",
                                s, item);
                        return -EINVAL;
                }
                if (v < 1) {
                        ct__why(why, why_size,
                                "invalid --workers '%s': worker counts must be at least 1", s);
                        return -EINVAL;
                }
                if (v > CT_WF_MAX_WORKERS) {
                        ct__why(why, why_size,
                                "invalid --workers '%s': %ld workers is too many (at most %d)", s,
                                v, CT_WF_MAX_WORKERS);
                        return -EINVAL;
                }
                if (count == CT_WF_MAX_COUNTS) {
                        ct__why(why, why_size, "invalid --workers '%s': more than %d worker counts",
                                s, CT_WF_MAX_COUNTS);
                        return -EINVAL;
                }
                out[count++] = v;
                if (!comma) {
                        break;
                }
                p = comma + 1;
        }
        qsort(out, count, sizeof(*out), ct__cmp_long);
        for (i = 1; i < count; i++) {
                if (out[i] == out[i - 1]) {
                        ct__why(why, why_size, "invalid --workers '%s': %ld appears twice", s,
                                out[i]);
                        return -EINVAL;
                }
        }
        *n = count;
        return 0;
}

static void ct__model_names(const struct ct_wf_scenario *sc, char *buf, size_t size)
{
        size_t i, len = 0;

        buf[0] = '\0';
        for (i = 0; i < CT_WF_MAX_MODELS && sc->models[i].name; i++) {
                int w = snprintf(buf + len, size - len, "%s%s", i ? ", " : "", sc->models[i].name);

                if (w < 0 || (size_t)w >= size - len) {
                        return;
                }
                len += (size_t)w;
        }
}

int ct_wf_parse_models(const struct ct_wf_scenario *sc, const char *s,
                       const struct ct_wf_model **out, size_t *n, char *why, size_t why_size)
{
        char names[256];
        const char *p = s;
        size_t count = 0, i;

        *n = 0;
        ct__model_names(sc, names, sizeof(names));
        if (!s || !*s) {
                ct__why(why, why_size, "invalid --models '': expected a comma list of %s", names);
                return -EINVAL;
        }
        for (;;) {
                const char *comma = strchr(p, ',');
                size_t len = comma ? (size_t)(comma - p) : strlen(p);
                char item[64];
                const struct ct_wf_model *m;

                if (len >= sizeof(item)) {
                        len = sizeof(item) - 1;
                }
                memcpy(item, p, len);
                item[len] = '\0';
                m = len ? ct_wf_model_find(sc, item) : NULL;
                if (!m) {
                        ct__why(why, why_size,
                                "invalid --models '%s': unknown model '%s' for %s (expected a "
                                "comma list of %s)",
                                s, item, sc->name, names);
                        return -EINVAL;
                }
                for (i = 0; i < count; i++) {
                        if (out[i] == m) {
                                ct__why(why, why_size, "invalid --models '%s': '%s' appears twice",
                                        s, item);
                                return -EINVAL;
                        }
                }
                out[count++] = m; /* at most the scenario's models, each once */
                if (!comma) {
                        break;
                }
                p = comma + 1;
        }
        *n = count;
        return 0;
}

int ct_wf_parse_repeat(const char *s, long *out, char *why, size_t why_size)
{
        char *end;
        long v;

        errno = 0;
        v = strtol(s, &end, 10);
        if (!*s || *s < '0' || *s > '9' || *end || errno || v < 1 || v > CT_WF_MAX_REPEAT) {
                ct__why(why, why_size, "invalid --repeat '%s': expected a number from 1 to %d", s,
                        CT_WF_MAX_REPEAT);
                return -EINVAL;
        }
        *out = v;
        return 0;
}

const char *ct_wf_reserved_arg(const struct ct_wf_scenario *sc, char *const *args, size_t n)
{
        size_t i, j;

        for (i = 0; i < n; i++) {
                const char *a = args[i];
                const char *eq;
                size_t len;

                if (strncmp(a, "--", 2) != 0) {
                        continue;
                }
                eq = strchr(a, '=');
                len = eq ? (size_t)(eq - a) : strlen(a);
                if (len < 5) { /* "--" + at least 3 letters */
                        continue;
                }
                for (j = 0; j < 4 && sc->reserved[j]; j++) {
                        const char *r = sc->reserved[j];

                        if (len <= strlen(r) && strncmp(a, r, len) == 0) {
                                return a;
                        }
                }
        }
        return NULL;
}

/* ------------------------------------------------------------------------ */
/* Output directories */

int ct_wf_find_program(const char *name, char *buf, size_t size)
{
        const char *path = getenv("PATH");
        const char *p;

        if (!path || !*path) {
                path = "/usr/local/bin:/usr/bin:/bin";
        }
        for (p = path;;) {
                const char *colon = strchr(p, ':');
                size_t len = colon ? (size_t)(colon - p) : strlen(p);
                int w = snprintf(buf, size, "%.*s/%s", (int)(len ? len : 1), len ? p : ".", name);

                if (w > 0 && (size_t)w < size && access(buf, X_OK) == 0) {
                        return 0;
                }
                if (!colon) {
                        break;
                }
                p = colon + 1;
        }
        return -ENOENT;
}

void ct_wf_stamp(char *buf, size_t size)
{
        time_t now = time(NULL);
        struct tm tm;

        localtime_r(&now, &tm);
        strftime(buf, size, "%Y%m%d-%H%M%S", &tm);
}

static int ct__rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
        (void)st;
        (void)ftw;
        if (flag == FTW_DP) {
                return rmdir(path) ? -errno : 0;
        }
        return unlink(path) ? -errno : 0;
}

int ct_wf_rmtree(const char *path)
{
        struct stat st;
        int ret;

        if (lstat(path, &st)) {
                return errno == ENOENT ? 0 : -errno;
        }
        if (!S_ISDIR(st.st_mode)) {
                return unlink(path) ? -errno : 0;
        }
        ret = nftw(path, ct__rm_one, 16, FTW_DEPTH | FTW_PHYS);
        return ret < 0 ? -errno : ret;
}

/* mkdir -p of path's parent directory. */
static int ct__mkdir_parents(const char *path)
{
        char buf[PATH_MAX];
        char *p;

        if (strlen(path) >= sizeof(buf)) {
                return -ENAMETOOLONG;
        }
        strcpy(buf, path);
        p = strrchr(buf, '/');
        if (!p || p == buf) {
                return 0;
        }
        *p = '\0';
        for (p = buf + 1; *p; p++) {
                if (*p != '/') {
                        continue;
                }
                *p = '\0';
                if (mkdir(buf, 0777) && errno != EEXIST) {
                        return -errno;
                }
                *p = '/';
        }
        if (mkdir(buf, 0777) && errno != EEXIST) {
                return -errno;
        }
        return 0;
}

/* 1 if dir has no entries, 0 if it has, negative errno. */
static int ct__dir_empty(const char *dir)
{
        DIR *d = opendir(dir);
        struct dirent *e;
        int empty = 1;

        if (!d) {
                return -errno;
        }
        while ((e = readdir(d))) {
                if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
                        empty = 0;
                        break;
                }
        }
        closedir(d);
        return empty;
}

static bool ct__looks_like_output(const char *dir)
{
        static const char *const marks[] = {"trace", "report.json", "speedup.csv", "traces"};
        char p[PATH_MAX];
        size_t i;

        for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
                if ((size_t)snprintf(p, sizeof(p), "%s/%s", dir, marks[i]) < sizeof(p) &&
                    access(p, F_OK) == 0) {
                        return true;
                }
        }
        return false;
}

int ct_wf_outdir_prepare(struct ct_wf_outdir *o, const char *dir, bool force,
                         const char *default_name, char *why, size_t why_size)
{
        struct stat st;
        char *final = NULL;
        size_t len;
        int ret;

        memset(o, 0, sizeof(*o));
        if (!dir) {
                char stamp[32];
                int k;

                ct_wf_stamp(stamp, sizeof(stamp));
                for (k = 1; k < 1000; k++) {
                        free(final);
                        final = NULL;
                        if (k == 1) {
                                ret = asprintf(&final, "conctrace-runs/%s-%s", default_name, stamp);
                        } else {
                                ret = asprintf(&final, "conctrace-runs/%s-%s-%d", default_name,
                                               stamp, k);
                        }
                        if (ret < 0) {
                                return -ENOMEM;
                        }
                        if (lstat(final, &st) && errno == ENOENT) {
                                break;
                        }
                }
        } else {
                final = strdup(dir);
                if (!final) {
                        return -ENOMEM;
                }
                len = strlen(final);
                while (len > 1 && final[len - 1] == '/') {
                        final[--len] = '\0';
                }
                if (len == 0 || strcmp(final, ".") == 0 || strcmp(final, "..") == 0 ||
                    strcmp(final, "/") == 0) {
                        ct__why(why, why_size,
                                "Output directory cannot be '%s': name a new directory with -o",
                                dir);
                        ret = -EINVAL;
                        goto error;
                }
        }
        o->final = final;
        if (lstat(final, &st) == 0) {
                if (!S_ISDIR(st.st_mode)) {
                        ct__why(why, why_size,
                                "Output path exists and is not a directory: path=%s (choose "
                                "another -o DIR)",
                                final);
                        ret = -ENOTDIR;
                        goto error;
                }
                ret = ct__dir_empty(final);
                if (ret < 0) {
                        ct__why(why, why_size, "Failed to read output directory: path=%s: %s",
                                final, strerror(-ret));
                        goto error;
                }
                if (ret == 0 && !force) {
                        ct__why(why, why_size,
                                "Output directory exists: path=%s (choose another -o DIR, or use "
                                "--force to replace it)",
                                final);
                        ret = -EEXIST;
                        goto error;
                }
                if (ret == 0 && !ct__looks_like_output(final)) {
                        ct__why(why, why_size,
                                "Refusing to replace path=%s: it does not look like a conctrace "
                                "run or sweep output (no trace/, report.json, traces/ or "
                                "speedup.csv in it)",
                                final);
                        ret = -EPERM;
                        goto error;
                }
                o->replace = true;
        } else if (errno != ENOENT) {
                ret = -errno;
                ct__why(why, why_size, "Failed to check output directory: path=%s: %s", final,
                        strerror(errno));
                goto error;
        }
        ret = ct__mkdir_parents(final);
        if (ret) {
                ct__why(why, why_size,
                        "Failed to create the parent of the output directory: "
                        "path=%s: %s",
                        final, strerror(-ret));
                goto error;
        }
        if (asprintf(&o->tmp, "%s.tmp-XXXXXX", final) < 0) {
                o->tmp = NULL;
                ret = -ENOMEM;
                goto error;
        }
        if (!mkdtemp(o->tmp)) {
                ret = -errno;
                ct__why(why, why_size, "Failed to create output directory: path=%s: %s", o->tmp,
                        strerror(errno));
                goto error;
        }
        {
                mode_t mask = umask(0);

                umask(mask);
                chmod(o->tmp, 0777 & ~mask); /* mkdtemp made it 0700: DIR gets mkdir's mode */
        }
        return 0;
error:
        free(o->tmp);
        o->tmp = NULL;
        free(final);
        o->final = NULL;
        return ret;
}

int ct_wf_outdir_commit(struct ct_wf_outdir *o, char *why, size_t why_size)
{
        char *old = NULL;
        int ret = 0;

        if (rename(o->tmp, o->final) == 0) {
                goto done; /* DIR did not exist, or was empty */
        }
        if (errno != ENOTEMPTY && errno != EEXIST) {
                ret = -errno;
                ct__why(why, why_size, "Failed to rename %s to %s: %s", o->tmp, o->final,
                        strerror(errno));
                return ret;
        }
        /* --force over a non-empty DIR: move it aside, move ours in, remove it. */
        if (asprintf(&old, "%s.old-XXXXXX", o->final) < 0) {
                return -ENOMEM;
        }
        if (!mkdtemp(old) || rename(o->final, old)) {
                ret = -errno;
                ct__why(why, why_size, "Failed to move the old output aside: path=%s: %s", o->final,
                        strerror(errno));
                rmdir(old);
                free(old);
                return ret;
        }
        if (rename(o->tmp, o->final)) {
                ret = -errno;
                ct__why(why, why_size, "Failed to rename %s to %s: %s", o->tmp, o->final,
                        strerror(errno));
                rename(old, o->final); /* put the old one back */
                free(old);
                return ret;
        }
        ct_wf_rmtree(old);
        free(old);
done:
        free(o->tmp);
        o->tmp = NULL;
        return 0;
}

void ct_wf_outdir_fini(struct ct_wf_outdir *o)
{
        if (o->tmp) {
                ct_wf_rmtree(o->tmp);
                free(o->tmp);
        }
        free(o->final);
        memset(o, 0, sizeof(*o));
}
