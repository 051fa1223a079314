/* SPDX-License-Identifier: MIT */
/*
 * Untraced timing runs and their speedup table (see ct_wf_timing.h).
 */
#define _GNU_SOURCE
#include "ct_wf_timing.h"

#include "ct_analyses.h"
#include "ct_event.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <sched.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * In the untraced child: make the session daemon unreachable, so that
 * LTTng-UST's constructor in the program (and in every child it forks) does
 * not register with it — a registration costs milliseconds per process even
 * when no session is active, which would inflate the untraced times of
 * process pools. As root: a private mount namespace with an empty tmpfs over
 * /run/lttng (the global daemon's sockets) and LTTNG_HOME there (the per-user
 * ones). In any case LTTNG_UST_REGISTER_TIMEOUT=0: never wait for a daemon.
 */
static void ct__untraced_env(void)
{
        setenv("LTTNG_UST_REGISTER_TIMEOUT", "0", 1);
        if (geteuid() != 0 || access("/run/lttng", F_OK) != 0) {
                return;
        }
        if (unshare(CLONE_NEWNS) != 0) {
                return;
        }
        if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
            mount("tmpfs", "/run/lttng", "tmpfs", MS_NOSUID | MS_NODEV, "size=64k,mode=0755") != 0) {
                return;
        }
        setenv("LTTNG_HOME", "/run/lttng", 1);
}

int ct_wf_untraced_run(char *const argv[], const char *times_path, const char *log_path,
                       int *exit_code)
{
        pid_t pid;
        int st;

        fflush(stdout);
        fflush(stderr);
        pid = fork();
        if (pid < 0) {
                fprintf(stderr, "conctrace: Failed to fork: %s\n", strerror(errno));
                return -errno;
        }
        if (pid == 0) {
                int fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND, 0666);
                int in = open("/dev/null", O_RDONLY);

                if (fd < 0 || in < 0 || dup2(fd, STDOUT_FILENO) < 0 || dup2(in, STDIN_FILENO) < 0 ||
                    setenv("CT_RUN_TIMES", times_path, 1)) {
                        _exit(127);
                }
                close(fd);
                close(in);
                unsetenv("CT_RECORD_LEVEL");
                ct__untraced_env();
                execv(argv[0], argv);
                fprintf(stderr, "conctrace: Failed to run %s: %s\n", argv[0], strerror(errno));
                _exit(127);
        }
        while (waitpid(pid, &st, 0) < 0) {
                if (errno != EINTR) {
                        return -errno;
                }
        }
        *exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        return 0;
}

/* One line split in place: the fields of a run; 0 or -EINVAL. */
struct timed_run {
        char *scenario, *variant, *params; /* weak: into the line */
        int64_t workers, status;
        uint64_t begin, end;
};

static int parse_line(char *line, struct timed_run *r)
{
        char *f[8];
        char *end;
        size_t n = 0;
        char *p = line;

        line[strcspn(line, "\n")] = '\0';
        while (n < 7) {
                char *t = strchr(p, '\t');

                if (!t) {
                        return -EINVAL;
                }
                *t = '\0';
                f[n++] = p;
                p = t + 1;
        }
        f[n] = p; /* params: the rest */
        if (strcmp(f[0], "run") != 0) {
                return -EINVAL;
        }
        r->scenario = f[1];
        r->variant = f[2];
        r->params = f[7];
        errno = 0;
        r->workers = strtoll(f[3], &end, 10);
        if (*end || errno || end == f[3]) {
                return -EINVAL;
        }
        r->status = strtoll(f[4], &end, 10);
        if (*end || errno || end == f[4]) {
                return -EINVAL;
        }
        r->begin = strtoull(f[5], &end, 10);
        if (*end || errno || end == f[5]) {
                return -EINVAL;
        }
        r->end = strtoull(f[6], &end, 10);
        if (*end || errno || end == f[6] || r->end < r->begin) {
                return -EINVAL;
        }
        return 0;
}

int ct_wf_timing_count(const char *path)
{
        FILE *f = fopen(path, "r");
        char *line = NULL;
        size_t cap = 0;
        int n = 0;

        if (!f) {
                return errno == ENOENT ? 0 : -errno;
        }
        while (getline(&line, &cap, f) > 0) {
                if (!strncmp(line, "run\t", 4)) {
                        n++;
                }
        }
        free(line);
        fclose(f);
        return n;
}

static void feed(struct ct_analyses *a, const struct ct_event *ev)
{
        size_t i;

        for (i = 0; i < ct_analyses_consumer_count(a); i++) {
                struct ct_consumer *c = ct_analyses_consumer(a, i);

                if (c->on_event) {
                        c->on_event(c->self, ev);
                }
        }
}

static void trace_edge(struct ct_analyses *a, uint32_t trace, const char *path, int end)
{
        struct ct_trace_info info = {.trace = trace, .path = path};
        size_t i;

        for (i = 0; i < ct_analyses_consumer_count(a); i++) {
                struct ct_consumer *c = ct_analyses_consumer(a, i);

                if (!end && c->on_trace_begin) {
                        c->on_trace_begin(c->self, trace, path);
                } else if (end && c->on_trace_end) {
                        c->on_trace_end(c->self, &info);
                }
        }
}

int ct_wf_timing_report(const char *const *paths, size_t n, int fmt, const char *out_path,
                        struct ct_report *report, char *why, size_t why_size)
{
        struct ct_analyses *a = NULL;
        char *line = NULL;
        size_t cap = 0, i;
        int64_t pid = 1;
        int ret;

        struct ct_analyses_opts opts;

        ct_report_init(report);
        /* untraced: nothing was recorded, so the probe estimate is 0 */
        ct_analyses_opts_init(&opts);
        opts.event_cost_ns = opts.fork_cost_ns = opts.thread_cost_ns = 0;
        ret = ct_analyses_create(&opts, &a);
        if (ret) {
                snprintf(why, why_size, "out of memory");
                return ret;
        }
        for (i = 0; i < n; i++) {
                FILE *f = fopen(paths[i], "r");
                unsigned long lineno = 0;

                if (!f) {
                        ret = -errno;
                        snprintf(why, why_size, "Failed to read timings: path=%s: %s", paths[i],
                                 strerror(errno));
                        goto end;
                }
                trace_edge(a, (uint32_t)i, paths[i], 0);
                while (getline(&line, &cap, f) > 0) {
                        struct timed_run r;
                        struct ct_event ev;

                        lineno++;
                        if (parse_line(line, &r)) {
                                fclose(f);
                                ret = -EINVAL;
                                snprintf(why, why_size,
                                         "Malformed timing line: path=%s line=%lu (expected "
                                         "run<TAB>SCENARIO<TAB>VARIANT<TAB>WORKERS<TAB>STATUS<TAB>"
                                         "BEGIN_NS<TAB>END_NS<TAB>PARAMS)",
                                         paths[i], lineno);
                                goto end;
                        }
                        /* Each run its own process: runs of one file never pair across. */
                        memset(&ev, 0, sizeof(ev));
                        ev.trace = (uint32_t)i;
                        ev.vpid = ev.vtid = pid++;
                        ev.procname = r.scenario;
                        ev.str = r.scenario;
                        ev.variant = r.variant;
                        ev.params = r.params;
                        ev.workers = r.workers;
                        ev.type = CT_EV_RUN_BEGIN;
                        ev.ev_name = "ct_run:run_begin";
                        ev.ts = r.begin;
                        feed(a, &ev);
                        ev.type = CT_EV_RUN_END;
                        ev.ev_name = "ct_run:run_end";
                        ev.ts = r.end;
                        ev.status = r.status;
                        feed(a, &ev);
                }
                fclose(f);
                trace_edge(a, (uint32_t)i, paths[i], 1);
        }
        for (i = 0; i < ct_analyses_consumer_count(a); i++) {
                struct ct_consumer *c = ct_analyses_consumer(a, i);

                if (c->finish && (ret = c->finish(c->self)) < 0) {
                        snprintf(why, why_size, "analysis of the timings failed: %s",
                                 strerror(-ret));
                        goto end;
                }
        }
        ret = ct_analyses_report(a, report);
        if (ret) {
                snprintf(why, why_size, "analysis of the timings failed: %s", strerror(-ret));
                goto end;
        }
        if (out_path && (ret = ct_analyses_write(a, (enum ct_report_format)fmt, out_path)) < 0) {
                snprintf(why, why_size, "Failed to write the report: path=%s", out_path);
        }
end:
        free(line);
        ct_analyses_destroy(a);
        return ret;
}
