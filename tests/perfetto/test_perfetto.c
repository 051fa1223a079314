/* SPDX-License-Identifier: MIT */
/*
 * test_perfetto VALIDATOR OUTDIR CASE: feed a scripted ct_event sequence to
 * the Perfetto exporter, run the validator on the output (it must accept
 * it), then check specific content with jansson. The "reject" case writes
 * broken files and checks that the validator rejects each with the right
 * message. Exits non-zero on the first failed check.
 *
 * test_perfetto VALIDATOR OUTDIR CASE pftrace CHECKER PROTO: the same, then
 * the case again with the native format (OUTDIR/CASE.pftrace), which
 * CHECKER (pftrace_check.py) decodes with protoc against PROTO and compares
 * with the JSON of the first pass.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <dirent.h>
#include <unistd.h>

#include <jansson.h>

#include "ct_analyses.h"
#include "ct_perfetto.h"

static const char *validator, *outdir;
static int failures;

#define CHECK(cond, ...)                                                                           \
        do {                                                                                       \
                if (!(cond)) {                                                                     \
                        fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond);   \
                        fprintf(stderr, __VA_ARGS__);                                              \
                        fputc('\n', stderr);                                                       \
                        failures++;                                                                \
                }                                                                                  \
        } while (0)

/* ------------------------------------------------------ event script */

static struct ct_consumer cons;
static struct ct_analyses *shared_an; /* owned: analyses fed first, whose paths are drawn */
static int share_next;                /* start(): draw the paths of new analyses */
static uint64_t base = 5000000000ULL; /* absolute ns of the trace origin */
static uint32_t cur_trace;
static uint64_t nin;

static struct ct_event mk(enum ct_ev_type type, uint64_t rel, int64_t pid, int64_t tid)
{
        struct ct_event e;

        memset(&e, 0, sizeof(e));
        e.type = type;
        e.trace = cur_trace;
        e.ts = base + rel;
        e.vpid = pid;
        e.vtid = tid;
        e.procname = "proc";
        e.ev_name = ct_event_type_name(type);
        return e;
}

static void feed(const struct ct_event *e)
{
        nin++;
        for (size_t i = 0; shared_an && i < ct_analyses_consumer_count(shared_an); i++) {
                struct ct_consumer *c = ct_analyses_consumer(shared_an, i);

                if (c->on_event)
                        c->on_event(c->self, e);
        }
        cons.on_event(cons.self, e);
}

static void Estr(enum ct_ev_type type, uint64_t rel, int64_t pid, int64_t tid, const char *s)
{
        struct ct_event e = mk(type, rel, pid, tid);
        e.str = s;
        e.variant = "threads";
        e.params = "n=1";
        feed(&e);
}

static void Ename(uint64_t rel, int64_t pid, int kind, uint64_t obj, const char *name)
{
        struct ct_event e = mk(CT_EV_NAME, rel, pid, pid);
        e.kind = kind;
        e.obj = obj;
        e.str = name;
        feed(&e);
}

static void Epipe(enum ct_ev_type type, uint64_t rel, int64_t pid, int64_t tid, uint64_t ino,
                  int64_t ret, int64_t err, uint64_t off)
{
        struct ct_event e = mk(type, rel, pid, tid);
        e.obj = ino;
        e.fd = 4;
        e.len = 64;
        e.ret = ret;
        e.err = err;
        e.offset = off;
        feed(&e);
}

static void Elock(enum ct_ev_type type, uint64_t rel, int64_t pid, int64_t tid, uint64_t lock,
                  int contended)
{
        struct ct_event e = mk(type, rel, pid, tid);
        e.obj = lock;
        e.contended = contended;
        feed(&e);
}

static void Econd(enum ct_ev_type type, uint64_t rel, int64_t pid, int64_t tid, uint64_t cond,
                  int64_t waiters)
{
        struct ct_event e = mk(type, rel, pid, tid);
        e.obj = cond;
        e.lock = 0x1000;
        e.waiters = waiters;
        feed(&e);
}

static void Etask(enum ct_ev_type type, uint64_t rel, int64_t pid, int64_t tid, uint64_t pool,
                  uint64_t task)
{
        struct ct_event e = mk(type, rel, pid, tid);
        e.obj = pool;
        e.task = task;
        e.worker = tid;
        feed(&e);
}

static void Ework(enum ct_ev_type type, uint64_t rel, int64_t pid, int64_t tid, int kind)
{
        struct ct_event e = mk(type, rel, pid, tid);
        e.kind = kind;
        e.units = 3;
        feed(&e);
}

static void Etarget(enum ct_ev_type type, uint64_t rel, int64_t pid, int64_t tid, int64_t target)
{
        struct ct_event e = mk(type, rel, pid, tid);
        e.target = target;
        feed(&e);
}

/* ------------------------------------------------------------ output */

static char path[4096];
static char json_path[4096];              /* the JSON of the case (pftrace pass: of the first) */
static const char *pf_checker, *pf_proto; /* pftrace pass: its checker and .proto */
static int pf_pass;                       /* 1: this pass writes the native format */
static uint32_t pf_intern_max;            /* pftrace pass: interning table size (0 default) */
static int pf_min_resets;                 /* pftrace pass: interning resets expected */

static void start(const char *name, const struct ct_perfetto_opts *opts)
{
        struct ct_perfetto_opts o;
        int ret;

        if (opts)
                o = *opts;
        else
                ct_perfetto_opts_init(&o);
        snprintf(json_path, sizeof(json_path), "%s/%s.json", outdir, name);
        snprintf(path, sizeof(path), "%s/%s.%s", outdir, name, pf_pass ? "pftrace" : "json");
        if (pf_pass) {
                o.format = CT_PERFETTO_PROTO;
                o.intern_max = pf_intern_max;
        }
        unlink(path);
        ret = ct_perfetto_create(&o, path, &cons);
        if (ret < 0) {
                fprintf(stderr, "Failed to create timeline: path=%s: %s\n", path, strerror(-ret));
                exit(1);
        }
        nin = 0;
        cur_trace = 0;
        if (share_next) {
                struct ct_consumer other;

                if (ct_analyses_create(NULL, &shared_an) < 0 ||
                    ct_perfetto_share_critpath(&cons, ct_analyses_critpath(shared_an)) != 0) {
                        fprintf(stderr, "Failed to share the analyses' critical paths\n");
                        exit(1);
                }
                /* one timeline per engine */
                ret = ct_perfetto_create(&o, json_path, &other);
                CHECK(ret == 0 && ct_perfetto_share_critpath(
                                      &other, ct_analyses_critpath(shared_an)) == -EBUSY,
                      "a second timeline drawing the same engine");
                if (ret == 0)
                        other.destroy(other.self);
                for (size_t i = 0; i < ct_analyses_consumer_count(shared_an); i++) {
                        struct ct_consumer *c = ct_analyses_consumer(shared_an, i);

                        if (c->on_trace_begin)
                                c->on_trace_begin(c->self, 0, "trace0");
                }
        }
        cons.on_trace_begin(cons.self, 0, "trace0");
}

static void trace_end(uint64_t last_rel)
{
        struct ct_trace_info info;

        memset(&info, 0, sizeof(info));
        info.trace = cur_trace;
        info.first_ts = base;
        info.last_ts = base + last_rel;
        for (size_t i = 0; shared_an && i < ct_analyses_consumer_count(shared_an); i++) {
                struct ct_consumer *c = ct_analyses_consumer(shared_an, i);

                if (c->on_trace_end)
                        c->on_trace_end(c->self, &info);
        }
        cons.on_trace_end(cons.self, &info);
}

static int run_validator(const char *file, char *out, size_t n)
{
        char cmd[8192];
        FILE *p;
        size_t len = 0;
        int st;

        snprintf(cmd, sizeof(cmd), "'%s' '%s' 2>&1", validator, file);
        p = popen(cmd, "r");
        if (!p)
                return -1;
        while (len + 1 < n && fgets(out + len, (int)(n - len), p))
                len += strlen(out + len);
        out[len] = 0;
        while (fgetc(p) != EOF)
                ;
        st = pclose(p);
        return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static json_t *loaded; /* owned: the last file finish_and_load() parsed */

static void release_loaded(void)
{
        json_decref(loaded);
        loaded = NULL;
}

/* Finishes the export, validates it and parses it; the events stay valid
 * until the next call (the document is released at exit). */
static json_t *finish_and_load(void)
{
        static char out[1 << 16];
        json_error_t jerr;
        json_t *root;
        struct stat sb;
        int ret = cons.finish(cons.self), vr;

        cons.destroy(cons.self);
        ct_analyses_destroy(shared_an);
        shared_an = NULL;
        CHECK(ret == 0, "finish returned %d", ret);
        if (pf_pass) { /* decode and compare with the first pass's JSON */
                char cmd[16384];

                snprintf(cmd, sizeof(cmd), "python3 '%s' '%s' '%s' '%s' --min-resets %d",
                         pf_checker, pf_proto, path, json_path, pf_min_resets);
                vr = system(cmd);
                CHECK(vr == 0, "pftrace check failed: %s", cmd);
                if (stat(path, &sb) == 0)
                        printf("pftrace size: %lld bytes, %llu input events, %.1f bytes/input "
                               "event\n",
                               (long long)sb.st_size, (unsigned long long)nin,
                               nin ? (double)sb.st_size / (double)nin : 0.0);
                snprintf(path, sizeof(path), "%s", json_path); /* the case checks its JSON */
        }
        vr = run_validator(path, out, sizeof(out));
        printf("%s", out);
        CHECK(vr == 0, "validator rejected %s (exit %d)", path, vr);
        root = json_load_file(path, 0, &jerr);
        if (!root) {
                fprintf(stderr, "Failed to parse %s: %s\n", path, jerr.text);
                exit(1);
        }
        if (!loaded)
                atexit(release_loaded);
        json_decref(loaded);
        loaded = root;
        if (stat(path, &sb) == 0)
                printf("size: %lld bytes, %llu input events, %.1f bytes/input event\n",
                       (long long)sb.st_size, (unsigned long long)nin,
                       nin ? (double)sb.st_size / (double)nin : 0.0);
        return json_object_get(root, "traceEvents");
}

/* ----------------------------------------------------------- queries */

static const char *sget(json_t *o, const char *k)
{
        const char *s = json_string_value(json_object_get(o, k));
        return s ? s : "";
}

static json_int_t iget(json_t *o, const char *k)
{
        return json_integer_value(json_object_get(o, k));
}

static json_t *arg(json_t *o, const char *k)
{
        return json_object_get(json_object_get(o, "args"), k);
}

/* Events of phase ph (NULL: any) whose name starts with prefix (NULL: any). */
static size_t count(json_t *evs, const char *ph, const char *prefix)
{
        size_t i, n = 0;
        json_t *o;

        json_array_foreach(evs, i, o)
        {
                if (ph && strcmp(sget(o, "ph"), ph) != 0)
                        continue;
                if (prefix && strncmp(sget(o, "name"), prefix, strlen(prefix)) != 0)
                        continue;
                n++;
        }
        return n;
}

static json_t *find(json_t *evs, const char *ph, const char *prefix, size_t nth)
{
        size_t i;
        json_t *o;

        json_array_foreach(evs, i, o)
        {
                if (ph && strcmp(sget(o, "ph"), ph) != 0)
                        continue;
                if (prefix && strncmp(sget(o, "name"), prefix, strlen(prefix)) != 0)
                        continue;
                if (nth-- == 0)
                        return o;
        }
        return NULL;
}

/* Metadata thread_name/process_name with exactly this name: its pid/tid. */
static json_t *meta(json_t *evs, const char *what, const char *name)
{
        size_t i;
        json_t *o;

        json_array_foreach(evs, i, o)
        {
                if (!strcmp(sget(o, "ph"), "M") && !strcmp(sget(o, "name"), what) &&
                    !strcmp(json_string_value(arg(o, "name")) ? json_string_value(arg(o, "name"))
                                                              : "",
                            name))
                        return o;
        }
        return NULL;
}

/* The 'f' event with the same id as 's' event s. */
static json_t *flow_end_of(json_t *evs, json_t *s)
{
        size_t i;
        json_t *o;

        json_array_foreach(evs, i, o)
        {
                if (!strcmp(sget(o, "ph"), "f") && iget(o, "id") == iget(s, "id"))
                        return o;
        }
        return NULL;
}

static int raw_contains(const char *needle)
{
        FILE *f = fopen(path, "r");
        static char buf[1 << 22];
        size_t n;

        if (!f)
                return 0;
        n = fread(buf, 1, sizeof(buf) - 1, f);
        buf[n] = 0;
        fclose(f);
        return strstr(buf, needle) != NULL;
}

/* ------------------------------------------------------------- cases */

#define PIPE 7777

static int case_pipe(void)
{
        json_t *evs, *s, *f, *o;
        size_t i, nflows = 0, cross = 0;

        start("pipe", NULL);
        Estr(CT_EV_THREAD_BEGIN, 0, 100, 100, "parent");
        Ename(10, 100, CT_OBJ_PIPE, PIPE, "jobs");
        Epipe(CT_EV_PIPE_CREATE, 20, 100, 100, PIPE, 0, 0, 0);
        Etarget(CT_EV_FORK, 30, 100, 100, 101);
        Estr(CT_EV_THREAD_BEGIN, 40, 101, 101, "child");
        /* child blocks in read before the parent writes: flow to a data marker */
        Epipe(CT_EV_PIPE_READ_BEGIN, 500, 101, 101, PIPE, 0, 0, 0);
        Epipe(CT_EV_PIPE_WRITE_BEGIN, 1234, 100, 100, PIPE, 0, 0, 0);
        Epipe(CT_EV_PIPE_READ_END, 1800, 101, 101, PIPE, 10, 0, 0); /* before write_end */
        Epipe(CT_EV_PIPE_WRITE_END, 1900, 100, 100, PIPE, 10, 0, 0);
        /* one write of 20 bytes consumed by two reads that start after it */
        Epipe(CT_EV_PIPE_WRITE_BEGIN, 2000, 100, 100, PIPE, 0, 0, 0);
        Epipe(CT_EV_PIPE_WRITE_END, 2100, 100, 100, PIPE, 20, 0, 10);
        Epipe(CT_EV_PIPE_READ_BEGIN, 2200, 101, 101, PIPE, 0, 0, 0);
        Epipe(CT_EV_PIPE_READ_END, 2300, 101, 101, PIPE, 5, 0, 10);
        Epipe(CT_EV_PIPE_READ_BEGIN, 2400, 101, 101, PIPE, 0, 0, 0);
        Epipe(CT_EV_PIPE_READ_END, 2500, 101, 101, PIPE, 15, 0, 15);
        /* EOF, then the parent's write fails with EPIPE */
        Epipe(CT_EV_PIPE_READ_BEGIN, 3000, 101, 101, PIPE, 0, 0, 0);
        Epipe(CT_EV_PIPE_READ_END, 3100, 101, 101, PIPE, 0, 0, 25);
        Estr(CT_EV_THREAD_END, 3200, 101, 101, "child");
        Epipe(CT_EV_PIPE_WRITE_BEGIN, 3500, 100, 100, PIPE, 0, 0, 0);
        Epipe(CT_EV_PIPE_WRITE_END, 3600, 100, 100, PIPE, -1, 32, 30);
        Etarget(CT_EV_CHILD_EXIT, 3700, 100, 100, 101);
        Estr(CT_EV_THREAD_END, 3800, 100, 100, "parent");
        trace_end(3800);
        evs = finish_and_load();

        json_array_foreach(evs, i, s)
        {
                if (strcmp(sget(s, "ph"), "s") != 0 || strcmp(sget(s, "name"), "pipe") != 0)
                        continue;
                nflows++;
                f = flow_end_of(evs, s);
                CHECK(f != NULL, "pipe flow %lld has no end", (long long)iget(s, "id"));
                if (f && iget(s, "pid") == 100 && iget(f, "pid") == 101)
                        cross++;
        }
        CHECK(nflows == 3, "pipe flows: %zu, want 3 (1 + 2 reads of one write)", nflows);
        CHECK(cross == 3, "write->read flows from pid 100 to pid 101: %zu, want 3", cross);
        CHECK(count(evs, "X", "data jobs") == 1, "one data marker for the blocked read");
        CHECK(count(evs, "X", "write jobs") == 3, "write slices: %zu",
              count(evs, "X", "write jobs"));
        CHECK(count(evs, "X", "read jobs") == 4, "read slices: %zu", count(evs, "X", "read jobs"));
        CHECK(count(evs, "i", "EOF jobs") == 1, "EOF instant");
        CHECK(count(evs, "i", "EPIPE jobs") == 1, "EPIPE instant");
        CHECK(count(evs, "i", "fork") == 1 && count(evs, "i", "exit") == 1, "fork/exit instants");
        /* Perfetto UI appends the pid/tid: "proc 100", "parent 100" */
        CHECK(meta(evs, "process_name", "proc") != NULL, "process named by procname");
        CHECK(meta(evs, "thread_name", "parent") != NULL, "thread named by role");
        CHECK(meta(evs, "thread_name", "child") != NULL, "thread named by role");
        /* exact timestamp: 1234 ns after the trace start is 1.234 us */
        CHECK(raw_contains("{\"ph\":\"X\",\"ts\":1.234,\"pid\":100,\"tid\":100,\"dur\":0.666,"),
              "write slice at ts 1.234 with dur 0.666");
        o = find(evs, "X", "write jobs", 1);
        CHECK(o && json_integer_value(arg(o, "bytes")) == 20 &&
                  json_integer_value(arg(o, "offset")) == 10 &&
                  json_integer_value(arg(o, "fd")) == 4,
              "write args bytes/offset/fd");
        o = find(evs, "X", "read jobs", 0);
        CHECK(o && json_integer_value(arg(o, "wait_ns")) == 1300, "read wait_ns 1300");
        CHECK(count(evs, "C", "jobs") >= 3, "bytes in flight counter");
        o = find(evs, "C", "jobs", 0);
        CHECK(o && arg(o, "bytes in flight") != NULL, "counter arg name");
        return failures;
}

#define POOL 0xabc0

static int case_pool(void)
{
        json_t *evs, *s, *f, *o;
        size_t i, nflows = 0, into[3] = {0};

        start("pool", NULL);
        Estr(CT_EV_THREAD_BEGIN, 0, 200, 200, "main");
        Ename(5, 200, CT_OBJ_POOL, POOL, "primes");
        Etask(CT_EV_POOL_SUBMIT, 100, 200, 200, POOL, 1);
        Etask(CT_EV_POOL_SUBMIT, 110, 200, 200, POOL, 2);
        Etask(CT_EV_POOL_SUBMIT, 120, 200, 200, POOL, 3);
        Estr(CT_EV_THREAD_BEGIN, 130, 201, 201, "worker-1");
        Estr(CT_EV_THREAD_BEGIN, 131, 202, 202, "worker-2");
        Etask(CT_EV_POOL_TASK_BEGIN, 200, 201, 201, POOL, 1);
        Etask(CT_EV_POOL_TASK_BEGIN, 210, 202, 202, POOL, 2);
        Ework(CT_EV_WORK_BEGIN, 220, 202, 202, CT_WORK_COMPUTE);
        Ework(CT_EV_WORK_END, 280, 202, 202, CT_WORK_COMPUTE);
        Etask(CT_EV_POOL_TASK_END, 300, 201, 201, POOL, 1);
        Etask(CT_EV_POOL_TASK_END, 310, 202, 202, POOL, 2);
        Etask(CT_EV_POOL_TASK_BEGIN, 320, 201, 201, POOL, 3);
        Etask(CT_EV_POOL_TASK_END, 400, 201, 201, POOL, 3);
        trace_end(500);
        evs = finish_and_load();

        json_array_foreach(evs, i, s)
        {
                if (strcmp(sget(s, "ph"), "s") != 0 || strcmp(sget(s, "name"), "task") != 0)
                        continue;
                nflows++;
                f = flow_end_of(evs, s);
                CHECK(f && iget(s, "pid") == 200, "submit flow starts in pid 200");
                if (f && iget(f, "pid") >= 201 && iget(f, "pid") <= 202)
                        into[iget(f, "pid") - 200]++;
        }
        CHECK(nflows == 3, "submit->task flows: %zu, want 3", nflows);
        CHECK(into[1] == 2 && into[2] == 1, "flows into worker processes: %zu %zu", into[1],
              into[2]);
        CHECK(count(evs, "X", "submit") == 3, "submit markers");
        o = find(evs, "X", "task 1", 0);
        CHECK(
            o && json_integer_value(arg(o, "task")) == 1 &&
                json_integer_value(arg(o, "queue_wait_ns")) == 100 &&
                !strcmp(json_string_value(arg(o, "pool")) ? json_string_value(arg(o, "pool")) : "",
                        "primes"),
            "task args");
        CHECK(count(evs, "X", "compute") == 1, "compute slice nested in the task");
        return failures;
}

#define LOCK 0x1000
#define COND 0x2000

static int case_locks(void)
{
        json_t *evs, *s, *f, *o;
        size_t i, handoff = 0, wake = 0;
        struct ct_perfetto_opts opts;

        ct_perfetto_opts_init(&opts);
        start("locks", &opts);
        Estr(CT_EV_THREAD_BEGIN, 0, 300, 300, "main");
        Estr(CT_EV_THREAD_BEGIN, 1, 300, 301, "worker-1");
        Estr(CT_EV_THREAD_BEGIN, 2, 300, 302, "worker-2");
        Estr(CT_EV_THREAD_BEGIN, 3, 300, 303, "worker-3");
        Ename(4, 300, CT_OBJ_LOCK, LOCK, "GIL");
        Ename(5, 300, CT_OBJ_COND, COND, "queue.not_empty");
        /* hand-off: 301 holds, 302 waits, release unblocks 302 */
        Elock(CT_EV_LOCK_ACQUIRE, 100, 300, 301, LOCK, 0);
        Elock(CT_EV_LOCK_REQUEST, 150, 300, 302, LOCK, 0);
        Elock(CT_EV_LOCK_RELEASE, 300, 300, 301, LOCK, 0);
        Elock(CT_EV_LOCK_ACQUIRE, 320, 300, 302, LOCK, 1);
        Elock(CT_EV_LOCK_RELEASE, 400, 300, 302, LOCK, 0);
        /* cond wait as the runtime fires it: release and re-acquire inside */
        Econd(CT_EV_COND_WAIT_BEGIN, 490, 300, 303, COND, 0);
        Econd(CT_EV_COND_SIGNAL, 600, 300, 301, COND, 1);
        Econd(CT_EV_COND_WAIT_END, 650, 300, 303, COND, 0);
        /* broadcast ends two waits */
        Econd(CT_EV_COND_WAIT_BEGIN, 700, 300, 302, COND, 0);
        Econd(CT_EV_COND_WAIT_BEGIN, 710, 300, 303, COND, 0);
        Econd(CT_EV_COND_BROADCAST, 800, 300, 301, COND, 2);
        Econd(CT_EV_COND_WAIT_END, 820, 300, 302, COND, 0);
        Econd(CT_EV_COND_WAIT_END, 830, 300, 303, COND, 0);
        /* a signal nobody waits for: marker, no flow */
        Econd(CT_EV_COND_SIGNAL, 850, 300, 301, COND, 0);
        /* holds crossing a cond wait (runtime order) on 303 */
        Elock(CT_EV_LOCK_ACQUIRE, 860, 300, 303, LOCK, 1);
        Econd(CT_EV_COND_WAIT_BEGIN, 870, 300, 303, COND, 0);
        Elock(CT_EV_LOCK_RELEASE, 871, 300, 303, LOCK, 0);
        Elock(CT_EV_LOCK_ACQUIRE, 30000, 300, 303, LOCK, 0);
        Econd(CT_EV_COND_WAIT_END, 30001, 300, 303, COND, 1); /* timed out */
        Elock(CT_EV_LOCK_RELEASE, 30010, 300, 303, LOCK, 0);
        /* a short uncontended hold: not shown in AUTO */
        Elock(CT_EV_LOCK_ACQUIRE, 31000, 300, 301, LOCK, 0);
        Elock(CT_EV_LOCK_RELEASE, 31005, 300, 301, LOCK, 0);
        /* a long uncontended hold: shown (>= hold_min_ns) */
        Elock(CT_EV_LOCK_ACQUIRE, 32000, 300, 301, LOCK, 0);
        Elock(CT_EV_LOCK_RELEASE, 52000, 300, 301, LOCK, 0);
        /* hand-over-hand: second lock crosses the first -> not nested instant */
        Elock(CT_EV_LOCK_ACQUIRE, 53000, 300, 301, LOCK, 1);
        Elock(CT_EV_LOCK_ACQUIRE, 53100, 300, 301, LOCK + 8, 1);
        Elock(CT_EV_LOCK_RELEASE, 53200, 300, 301, LOCK, 0);
        Elock(CT_EV_LOCK_RELEASE, 53300, 300, 301, LOCK + 8, 0);
        trace_end(60000);
        evs = finish_and_load();

        json_array_foreach(evs, i, s)
        {
                if (strcmp(sget(s, "ph"), "s") != 0)
                        continue;
                f = flow_end_of(evs, s);
                CHECK(f != NULL, "flow %lld has an end", (long long)iget(s, "id"));
                if (!strcmp(sget(s, "name"), "handoff"))
                        handoff++;
                if (!strcmp(sget(s, "name"), "wake"))
                        wake++;
        }
        CHECK(handoff == 1, "release->acquire flows: %zu, want 1", handoff);
        CHECK(wake == 3, "signal/broadcast->wait flows: %zu, want 3", wake);
        CHECK(count(evs, "X", "wait GIL") == 1, "lock wait slice named with the lock name");
        o = find(evs, "X", "wait GIL", 0);
        CHECK(o && json_integer_value(arg(o, "wait_ns")) == 170 &&
                  json_integer_value(arg(o, "contended")) == 1,
              "lock wait args");
        CHECK(count(evs, "X", "release GIL") == 1 && count(evs, "X", "acquired GIL") == 1,
              "hand-off markers");
        CHECK(count(evs, "X", "signal queue.not_empty") == 2, "signal markers");
        CHECK(count(evs, "X", "broadcast queue.not_empty") == 1, "broadcast marker");
        CHECK(count(evs, "X", "woken queue.not_empty") == 3, "woken markers");
        CHECK(count(evs, "X", "cond wait queue.not_empty") == 4, "cond wait slices");
        /* holds: 301 (waited), 302 (contended), 303 before the wait (contended),
         * the long one; not the short uncontended ones; hand-over-hand: the first
         * is not nested, the second (unnamed lock) is shown */
        CHECK(count(evs, "X", "hold GIL") == 4, "hold slices: %zu", count(evs, "X", "hold GIL"));
        CHECK(count(evs, "X", "hold lock 0x1008") == 1, "second hand-over-hand hold");
        CHECK(count(evs, "i", "hold (not nested)") == 1, "hand-over-hand hold marked");
        CHECK(meta(evs, "thread_name", "worker-1 (301) locks") != NULL, "companion locks track");
        CHECK(count(evs, "C", "GIL") == 2, "lock waiters counter (1 then 0)");
        o = find(evs, "C", "GIL", 0);
        CHECK(o && json_integer_value(arg(o, "waiters")) == 1, "waiters = 1");
        CHECK(count(evs, "C", "threads") >= 4, "blocked threads counter");
        return failures;
}

#define QUEUE 0x3000

static int case_misc(void)
{
        json_t *evs, *o;
        struct ct_event e;
        int64_t ready[2] = {3, 5};

        start("misc", NULL);
        Estr(CT_EV_THREAD_BEGIN, 0, 500, 500, "main");
        Ename(1, 500, CT_OBJ_QUEUE, QUEUE, "jobs");
        Estr(CT_EV_RUN_BEGIN, 10, 500, 500, "task2a");
        Estr(CT_EV_PHASE_BEGIN, 20, 500, 500, "produce");
        e = mk(CT_EV_SELECT_BEGIN, 30, 500, 500);
        e.nfds = 6;
        e.timeout_us = -1;
        feed(&e);
        e = mk(CT_EV_SELECT_END, 90, 500, 500);
        e.nfds = 6;
        e.timeout_us = -1;
        e.ret = 2;
        e.ready = ready;
        e.ready_len = 2;
        feed(&e);
        Ework(CT_EV_WORK_BEGIN, 100, 500, 500, CT_WORK_IO_SIM);
        Ework(CT_EV_WORK_END, 200, 500, 500, CT_WORK_IO_SIM);
        e = mk(CT_EV_QUEUE_PUT, 210, 500, 500);
        e.obj = QUEUE;
        e.depth = 1;
        feed(&e);
        e = mk(CT_EV_QUEUE_GET, 220, 500, 500);
        e.obj = QUEUE;
        e.depth = 0;
        feed(&e);
        Estr(CT_EV_PHASE_END, 300, 500, 500, "produce");
        Etarget(CT_EV_JOIN_BEGIN, 310, 500, 500, 501);
        Etarget(CT_EV_JOIN_END, 400, 500, 500, 501);
        e = mk(CT_EV_DISCARDED, 450, -1, -1);
        e.count = 17;
        e.ts_begin = base + 420;
        feed(&e);
        Estr(CT_EV_RUN_END, 500, 500, 500, "task2a");
        Estr(CT_EV_THREAD_END, 600, 500, 500, "main");
        trace_end(600);
        evs = finish_and_load();

        o = find(evs, "X", "select", 0);
        CHECK(o && !strcmp(json_string_value(arg(o, "ready")) ? json_string_value(arg(o, "ready"))
                                                              : "",
                           "3 5"),
              "select args ready");
        o = find(evs, "i", "wakeup", 0);
        CHECK(o && json_integer_value(arg(o, "ready_count")) == 2 && !strcmp(sget(o, "s"), "t"),
              "select wakeup instant");
        CHECK(count(evs, "X", "io_sim") == 1, "io_sim slice");
        CHECK(count(evs, "X", "join 501") == 1, "join slice");
        CHECK(count(evs, "C", "jobs") == 2, "queue depth counter");
        o = find(evs, "i", "discarded events", 0);
        CHECK(o && !strcmp(sget(o, "s"), "g") && json_integer_value(arg(o, "count")) == 17 &&
                  json_integer_value(arg(o, "gap_ns")) == 30,
              "discarded events instant");
        o = find(evs, "X", "run task2a", 0);
        CHECK(o &&
                  !strcmp(json_string_value(arg(o, "scenario"))
                              ? json_string_value(arg(o, "scenario"))
                              : "",
                          "task2a") &&
                  json_integer_value(arg(o, "discarded_events_during")) == 1,
              "run slice with args, marked cut by the gap");
        CHECK(o && meta(evs, "thread_name", "runs & phases") &&
                  iget(o, "tid") == iget(meta(evs, "thread_name", "runs & phases"), "tid"),
              "runs on their own track");
        CHECK(count(evs, "X", "produce") == 1, "phase slice");
        return failures;
}

static int case_reuse(void)
{
        json_t *evs, *a, *b, *p0, *p1;

        start("reuse", NULL);
        Estr(CT_EV_THREAD_BEGIN, 0, 400, 400, "main");
        Estr(CT_EV_THREAD_BEGIN, 10, 400, 401, "worker-1");
        Ework(CT_EV_WORK_BEGIN, 20, 400, 401, CT_WORK_COMPUTE);
        Ework(CT_EV_WORK_END, 30, 400, 401, CT_WORK_COMPUTE);
        Estr(CT_EV_THREAD_END, 40, 400, 401, "worker-1");
        Estr(CT_EV_THREAD_BEGIN, 50, 400, 401, "worker-2"); /* same tid, new thread */
        Ework(CT_EV_WORK_BEGIN, 60, 400, 401, CT_WORK_COMPUTE);
        Ework(CT_EV_WORK_END, 70, 400, 401, CT_WORK_COMPUTE);
        Estr(CT_EV_THREAD_END, 80, 400, 401, "worker-2");
        /* a child exits and its pid comes back as another process */
        Estr(CT_EV_THREAD_BEGIN, 90, 402, 402, "child");
        Etarget(CT_EV_CHILD_EXIT, 100, 400, 400, 402);
        Estr(CT_EV_THREAD_BEGIN, 110, 402, 402, "child");
        Ework(CT_EV_WORK_BEGIN, 120, 402, 402, CT_WORK_COMPUTE);
        Ework(CT_EV_WORK_END, 130, 402, 402, CT_WORK_COMPUTE);
        trace_end(140);
        /* a second trace with the same pid: kept apart */
        cur_trace = 1;
        cons.on_trace_begin(cons.self, 1, "trace1");
        Estr(CT_EV_THREAD_BEGIN, 0, 400, 400, "main");
        Ework(CT_EV_WORK_BEGIN, 20, 400, 400, CT_WORK_COMPUTE);
        Ework(CT_EV_WORK_END, 30, 400, 400, CT_WORK_COMPUTE);
        trace_end(40);
        evs = finish_and_load();

        a = meta(evs, "thread_name", "worker-1");
        b = meta(evs, "thread_name", "worker-2 (401)"); /* synthetic tid: real one in the name */
        CHECK(a && b && iget(a, "tid") != iget(b, "tid") && iget(a, "pid") == iget(b, "pid") &&
                  iget(a, "tid") == 401,
              "reused tid: two tracks in one process");
        p0 = find(evs, "M", "process_name", 0);
        p1 = find(evs, "M", "process_name", 3);
        CHECK(count(evs, "M", "process_name") == 4, "processes: %zu, want 4",
              count(evs, "M", "process_name"));
        CHECK(p0 && p1 && iget(p0, "pid") != iget(p1, "pid"), "second trace gets another pid");
        a = find(evs, "M", "process_name", 1);
        b = find(evs, "M", "process_name", 2);
        CHECK(a && b && iget(a, "pid") != iget(b, "pid") &&
                  !strcmp(json_string_value(arg(b, "name")), "proc (402)"),
              "reused pid: two processes, real pid kept in the name");
        return failures;
}

static int case_unfinished(void)
{
        json_t *evs, *o;

        start("unfinished", NULL);
        Estr(CT_EV_THREAD_BEGIN, 0, 600, 600, "main");
        Estr(CT_EV_RUN_BEGIN, 10, 600, 600, "never-ends");
        /* work crosses a task: the compute interval cannot nest */
        Ework(CT_EV_WORK_BEGIN, 20, 600, 600, CT_WORK_COMPUTE);
        Etask(CT_EV_POOL_TASK_BEGIN, 30, 600, 600, POOL, 9);
        Ework(CT_EV_WORK_END, 40, 600, 600, CT_WORK_COMPUTE);
        Etask(CT_EV_POOL_TASK_END, 50, 600, 600, POOL, 9);
        /* a read whose end was lost, then another read */
        Epipe(CT_EV_PIPE_READ_BEGIN, 60, 600, 600, PIPE, 0, 0, 0);
        Epipe(CT_EV_PIPE_READ_BEGIN, 70, 600, 600, PIPE, 0, 0, 0);
        Epipe(CT_EV_PIPE_READ_END, 80, 600, 600, PIPE, 4, 0, 0);
        /* an end with no begin: ignored */
        Epipe(CT_EV_PIPE_WRITE_END, 85, 600, 600, PIPE, 4, 0, 0);
        /* still blocked at trace end */
        Estr(CT_EV_THREAD_BEGIN, 90, 600, 601, "worker-1");
        Elock(CT_EV_LOCK_REQUEST, 100, 600, 601, LOCK, 0);
        Estr(CT_EV_THREAD_BEGIN, 91, 600, 602, "worker-2");
        Epipe(CT_EV_PIPE_READ_BEGIN, 110, 600, 602, PIPE, 0, 0, 0);
        trace_end(1000);
        evs = finish_and_load();

        o = find(evs, "X", "wait lock 0x1000 (unfinished)", 0);
        CHECK(o && json_integer_value(arg(o, "unfinished")) == 1, "unfinished lock wait");
        CHECK(o && raw_contains("\"ts\":0.100,\"pid\":600,\"tid\":601,\"dur\":0.900,"),
              "closed at the trace end, not invented beyond it");
        CHECK(count(evs, "X", "read pipe 0x1e61 (unfinished)") == 1, "unfinished read");
        CHECK(count(evs, "X", "run never-ends") == 1, "unfinished run");
        CHECK(count(evs, "i", "compute (not nested)") == 1, "crossing compute marked");
        CHECK(count(evs, "X", "task 9") == 1, "task slice kept");
        CHECK(count(evs, "i", "read (end lost)") == 1, "lost read end marked");
        CHECK(count(evs, "X", "read pipe") == 2, "read slices: %zu", count(evs, "X", "read pipe"));
        CHECK(count(evs, "X", "write") == 0, "no slice for an end without begin");
        return failures;
}

static int case_names(void)
{
        json_t *evs, *o;
        struct ct_event e;
        const char *weird = "we\"ird\\ \x01\n\t\x7f caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x98\x80";
        const char *bad = "bad\xff \xe2\x82 \xc0\xaf end";

        start("names", NULL);
        e = mk(CT_EV_THREAD_BEGIN, 0, 700, 700);
        e.procname = weird;
        e.str = weird;
        feed(&e);
        Ename(1, 700, CT_OBJ_LOCK, LOCK, bad);
        Elock(CT_EV_LOCK_REQUEST, 10, 700, 700, LOCK, 0);
        Elock(CT_EV_LOCK_ACQUIRE, 20, 700, 700, LOCK, 1);
        Elock(CT_EV_LOCK_RELEASE, 30, 700, 700, LOCK, 0);
        Estr(CT_EV_PHASE_BEGIN, 40, 700, 700, "\"phase\\");
        Estr(CT_EV_PHASE_END, 50, 700, 700, "\"phase\\");
        trace_end(60);
        evs = finish_and_load();

        o = find(evs, "M", "thread_name", 0);
        CHECK(o && !strcmp(json_string_value(arg(o, "name")),
                           "we\"ird\\ \x01\n\t\x7f caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x98\x80"),
              "thread name round-trips: %s", o ? json_string_value(arg(o, "name")) : "?");
        o = find(evs, "M", "process_name", 0);
        CHECK(o && !strcmp(json_string_value(arg(o, "name")), weird), "procname round-trips");
        CHECK(count(evs, "X",
                    "wait bad\xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd end") ==
                  1,
              "invalid UTF-8 bytes replaced by U+FFFD");
        CHECK(count(evs, "X", "\"phase\\") == 1, "phase name with quote and backslash");
        CHECK(raw_contains("\\u0001") && raw_contains("\\u007f") && raw_contains("\\n"),
              "control characters escaped");
        return failures;
}

/* .json.gz: the same bytes as the plain JSON once gunzipped. */
static void gzip_script(const char *name, enum ct_perfetto_format fmt)
{
        struct ct_perfetto_opts o;
        int ret;

        ct_perfetto_opts_init(&o);
        o.format = fmt;
        snprintf(path, sizeof(path), "%s/%s", outdir, name);
        unlink(path);
        ret = ct_perfetto_create(&o, path, &cons);
        CHECK(ret == 0, "create %s: %d", path, ret);
        if (ret)
                return;
        nin = 0;
        cur_trace = 0;
        cons.on_trace_begin(cons.self, 0, "trace0");
        Estr(CT_EV_THREAD_BEGIN, 0, 950, 950, "main");
        for (uint64_t i = 0; i < 5000; i++) {
                Ework(CT_EV_WORK_BEGIN, 10 + 10 * i, 950, 950, CT_WORK_COMPUTE);
                Ework(CT_EV_WORK_END, 15 + 10 * i, 950, 950, CT_WORK_COMPUTE);
        }
        trace_end(60000);
        CHECK(cons.finish(cons.self) == 0, "finish %s", path);
        cons.destroy(cons.self);
}

static int case_gzip(void)
{
        char cmd[16384];

        gzip_script("gzip.json", CT_PERFETTO_JSON);
        gzip_script("gzip.json.gz", CT_PERFETTO_JSON_GZ);
        CHECK(ct_perfetto_format_of_path("a/b.json.gz") == CT_PERFETTO_JSON_GZ, "gz by extension");
        CHECK(ct_perfetto_format_of_path("b.pftrace") == CT_PERFETTO_PROTO, "pftrace by extension");
        CHECK(ct_perfetto_format_of_path("b.json") == CT_PERFETTO_JSON, "json by extension");
        snprintf(cmd, sizeof(cmd), "gzip -dc '%s/gzip.json.gz' | cmp -s - '%s/gzip.json'", outdir,
                 outdir);
        CHECK(system(cmd) == 0, "gunzipped .json.gz differs from the .json");
        return failures;
}

/* Many distinct names: in the native format the interning table (made
 * small) fills and is reset several times; every name still decodes. */
static int case_intern(void)
{
        char name[64];
        json_t *evs;
        int i;

        pf_intern_max = 16;
        pf_min_resets = pf_pass ? 3 : 0;
        start("intern", NULL);
        Estr(CT_EV_THREAD_BEGIN, 0, 900, 900, "main");
        for (i = 0; i < 100; i++) {
                snprintf(name, sizeof(name), "phase-%d", i);
                Estr(CT_EV_PHASE_BEGIN, 10 + 10 * (uint64_t)i, 900, 900, name);
                Ework(CT_EV_WORK_BEGIN, 11 + 10 * (uint64_t)i, 900, 900, CT_WORK_COMPUTE);
                Ework(CT_EV_WORK_END, 15 + 10 * (uint64_t)i, 900, 900, CT_WORK_COMPUTE);
                Estr(CT_EV_PHASE_END, 19 + 10 * (uint64_t)i, 900, 900, name);
        }
        trace_end(2000);
        evs = finish_and_load();
        CHECK(count(evs, "X", "phase-") == 100, "phases: %zu", count(evs, "X", "phase-"));
        CHECK(count(evs, "X", "compute") == 100, "computes: %zu", count(evs, "X", "compute"));
        return failures;
}

/* Bigger synthetic load: report the size per input event and per slice. */
static int case_size(void)
{
        json_t *evs;
        uint64_t t = 0;
        int i, w;
        size_t slices, all;
        struct stat sb;

        start("size", NULL);
        Estr(CT_EV_THREAD_BEGIN, t++, 800, 800, "producer");
        for (w = 1; w <= 4; w++) {
                char role[16];
                snprintf(role, sizeof(role), "consumer-%d", w);
                Estr(CT_EV_THREAD_BEGIN, t++, 800, 800 + w, role);
        }
        Ename(t++, 800, CT_OBJ_LOCK, LOCK, "queue.lock");
        Ename(t++, 800, CT_OBJ_PIPE, PIPE, "results");
        Estr(CT_EV_THREAD_BEGIN, t++, 810, 810, "child");
        for (i = 0; i < 5000; i++) {
                struct ct_event e;
                w = 1 + i % 4;
                /* contended lock every 4th time, else uncontended */
                if (i % 4 == 0) {
                        Elock(CT_EV_LOCK_REQUEST, t + 10, 800, 800 + w, LOCK, 0);
                        Elock(CT_EV_LOCK_ACQUIRE, t + 400, 800, 800 + w, LOCK, 1);
                } else {
                        Elock(CT_EV_LOCK_ACQUIRE, t + 10, 800, 800 + w, LOCK, 0);
                }
                e = mk(CT_EV_QUEUE_GET, t + 450, 800, 800 + w);
                e.obj = QUEUE;
                e.depth = i % 7;
                feed(&e);
                Elock(CT_EV_LOCK_RELEASE, t + 500, 800, 800 + w, LOCK, 0);
                Ework(CT_EV_WORK_BEGIN, t + 600, 800, 800 + w, CT_WORK_COMPUTE);
                Ework(CT_EV_WORK_END, t + 2600, 800, 800 + w, CT_WORK_COMPUTE);
                Epipe(CT_EV_PIPE_WRITE_BEGIN, t + 2700, 800, 800 + w, PIPE, 0, 0, 0);
                Epipe(CT_EV_PIPE_WRITE_END, t + 2800, 800, 800 + w, PIPE, 8, 0, (uint64_t)i * 8);
                Epipe(CT_EV_PIPE_READ_BEGIN, t + 2850, 810, 810, PIPE, 0, 0, 0);
                Epipe(CT_EV_PIPE_READ_END, t + 2900, 810, 810, PIPE, 8, 0, (uint64_t)i * 8);
                t += 3000;
        }
        trace_end(t);
        evs = finish_and_load();
        slices = count(evs, "X", NULL);
        all = json_array_size(evs);
        if (stat(path, &sb) == 0 && slices)
                printf("size: %zu JSON events, %zu X slices; %.1f bytes/JSON event, %.1f "
                       "bytes/slice\n",
                       all, slices, (double)sb.st_size / (double)all,
                       (double)sb.st_size / (double)slices);
        CHECK(sb.st_size / (off_t)nin < 250, "bytes per input event %lld",
              (long long)(sb.st_size / (off_t)nin));
        CHECK(count(evs, "s", "pipe") == 5000, "pipe flows: %zu", count(evs, "s", "pipe"));
        return failures;
}

/* A finished timeline gets 0666 & ~umask like any file a user writes (not
 * the 0600 of its temporary file). */
static void check_mode(const char *dir, mode_t mask, mode_t want)
{
        struct ct_consumer c;
        struct stat sb;
        char p[4096];
        mode_t old = umask(mask);
        int ret;

        snprintf(p, sizeof(p), "%s/mode-%03o.json", dir, (unsigned)mask);
        unlink(p);
        ret = ct_perfetto_create(NULL, p, &c);
        CHECK(ret == 0, "create: %d", ret);
        if (ret == 0) {
                ret = c.finish(c.self);
                c.destroy(c.self);
                CHECK(ret == 0, "finish: %d", ret);
        }
        umask(old);
        CHECK(stat(p, &sb) == 0, "no file %s", p);
        CHECK((sb.st_mode & 07777) == want, "mode %03o with umask %03o, want %03o",
              (unsigned)(sb.st_mode & 07777), (unsigned)mask, (unsigned)want);
}

static int case_tempfile(void)
{
        struct ct_consumer c;
        char dir[2048], p[4096];
        int ret;
        DIR *d;
        struct dirent *de;
        int left = 0;

        /* an unwritable place fails at create */
        ret = ct_perfetto_create(NULL, "/nonexistent-dir/x.json", &c);
        CHECK(ret == -ENOENT, "create in a missing dir: %d", ret);
        CHECK(ct_perfetto_create(NULL, "", &c) == -EINVAL, "empty path");
        /* destroy without finish leaves nothing behind */
        snprintf(dir, sizeof(dir), "%.2000s/tempfile.d", outdir);
        mkdir(dir, 0755);
        snprintf(p, sizeof(p), "%s/abandoned.json", dir);
        unlink(p);
        ret = ct_perfetto_create(NULL, p, &c);
        CHECK(ret == 0, "create: %d", ret);
        if (ret == 0) {
                struct ct_event e = mk(CT_EV_THREAD_BEGIN, 0, 1, 1);
                e.str = "main";
                c.on_event(c.self, &e);
                c.destroy(c.self);
        }
        d = opendir(dir);
        while (d && (de = readdir(d))) {
                if (strncmp(de->d_name, "abandoned", 9) == 0)
                        left++;
        }
        if (d)
                closedir(d);
        CHECK(left == 0, "files left after destroy without finish: %d", left);
        check_mode(dir, 022, 0644);
        check_mode(dir, 027, 0640);
        return failures;
}

/* ------------------------------------------------------ the validator */

static int expect_reject(const char *name, const char *json, const char *msg)
{
        char file[4096];
        static char out[1 << 14];
        FILE *f;
        int vr;

        snprintf(file, sizeof(file), "%s/bad-%s.json", outdir, name);
        f = fopen(file, "w");
        if (!f) {
                fprintf(stderr, "Failed to write: path=%s\n", file);
                return ++failures;
        }
        fputs(json, f);
        fclose(f);
        vr = run_validator(file, out, sizeof(out));
        CHECK(vr == 1 && strstr(out, msg), "%s: exit %d, want 1 with \"%s\"; output:\n%s", name, vr,
              msg, out);
        return failures;
}

#define M_OK "{\"ph\":\"M\",\"pid\":1,\"name\":\"process_name\",\"args\":{\"name\":\"p\"}},"

static int case_reject(void)
{
        char file[4096];
        static char out[1 << 14];
        FILE *f;
        int vr;

        /* a correct file with B/E, X, flows passes */
        snprintf(file, sizeof(file), "%s/good.json", outdir);
        f = fopen(file, "w");
        if (f) {
                fputs(
                    "{\"traceEvents\":[" M_OK
                    "{\"ph\":\"B\",\"ts\":1,\"pid\":1,\"tid\":1,\"name\":\"a\"},"
                    "{\"ph\":\"X\",\"ts\":2,\"dur\":1,\"pid\":1,\"tid\":1,\"name\":\"b\"},"
                    "{\"ph\":\"s\",\"ts\":2,\"pid\":1,\"tid\":1,\"name\":\"f\",\"id\":1},"
                    "{\"ph\":\"E\",\"ts\":5,\"pid\":1,\"tid\":1},"
                    "{\"ph\":\"X\",\"ts\":4,\"dur\":0,\"pid\":1,\"tid\":2,\"name\":\"c\"},"
                    "{\"ph\":\"f\",\"bp\":\"e\",\"ts\":4,\"pid\":1,\"tid\":2,\"name\":\"f\","
                    "\"id\":1},"
                    "{\"ph\":\"C\",\"ts\":4,\"pid\":1,\"tid\":2,\"name\":\"q\",\"args\":{\"d\":1}}"
                    "]}",
                    f);
                fclose(f);
        }
        vr = run_validator(file, out, sizeof(out));
        CHECK(vr == 0, "good file rejected:\n%s", out);

        expect_reject("unmatched-b", "[{\"ph\":\"B\",\"ts\":1,\"pid\":1,\"tid\":1,\"name\":\"a\"}]",
                      "B never closed");
        expect_reject("unmatched-e", "[{\"ph\":\"E\",\"ts\":1,\"pid\":1,\"tid\":1}]",
                      "E without a matching B");
        expect_reject("overlap-x",
                      "[{\"ph\":\"X\",\"ts\":1,\"dur\":5,\"pid\":1,\"tid\":1,\"name\":\"a\"},"
                      "{\"ph\":\"X\",\"ts\":3,\"dur\":5,\"pid\":1,\"tid\":1,\"name\":\"b\"}]",
                      "partially overlaps");
        expect_reject("overlap-be",
                      "[{\"ph\":\"B\",\"ts\":1,\"pid\":1,\"tid\":1,\"name\":\"a\"},"
                      "{\"ph\":\"X\",\"ts\":2,\"dur\":5,\"pid\":1,\"tid\":1,\"name\":\"b\"},"
                      "{\"ph\":\"E\",\"ts\":3,\"pid\":1,\"tid\":1}]",
                      "partial overlap");
        expect_reject("dangling-flow",
                      "[{\"ph\":\"X\",\"ts\":1,\"dur\":5,\"pid\":1,\"tid\":1,\"name\":\"a\"},"
                      "{\"ph\":\"s\",\"ts\":2,\"pid\":1,\"tid\":1,\"name\":\"f\",\"id\":7}]",
                      "never ended");
        expect_reject("unbound-flow",
                      "[{\"ph\":\"X\",\"ts\":1,\"dur\":1,\"pid\":1,\"tid\":1,\"name\":\"a\"},"
                      "{\"ph\":\"s\",\"ts\":5,\"pid\":1,\"tid\":1,\"name\":\"f\",\"id\":7},"
                      "{\"ph\":\"X\",\"ts\":6,\"dur\":1,\"pid\":1,\"tid\":2,\"name\":\"b\"},"
                      "{\"ph\":\"f\",\"bp\":\"e\",\"ts\":6,\"pid\":1,\"tid\":2,\"name\":\"f\","
                      "\"id\":7}]",
                      "does not enclose");
        expect_reject("reversed-flow",
                      "[{\"ph\":\"X\",\"ts\":5,\"dur\":1,\"pid\":1,\"tid\":1,\"name\":\"a\"},"
                      "{\"ph\":\"s\",\"ts\":5,\"pid\":1,\"tid\":1,\"name\":\"f\",\"id\":7},"
                      "{\"ph\":\"X\",\"ts\":1,\"dur\":9,\"pid\":1,\"tid\":2,\"name\":\"b\"},"
                      "{\"ph\":\"f\",\"bp\":\"e\",\"ts\":6,\"pid\":1,\"tid\":2,\"name\":\"f\","
                      "\"id\":7}]",
                      "reversed");
        expect_reject("dup-flow-id",
                      "[{\"ph\":\"X\",\"ts\":1,\"dur\":9,\"pid\":1,\"tid\":1,\"name\":\"a\"},"
                      "{\"ph\":\"s\",\"ts\":2,\"pid\":1,\"tid\":1,\"name\":\"f\",\"id\":7},"
                      "{\"ph\":\"f\",\"bp\":\"e\",\"ts\":3,\"pid\":1,\"tid\":1,\"name\":\"f\","
                      "\"id\":7},"
                      "{\"ph\":\"s\",\"ts\":4,\"pid\":1,\"tid\":1,\"name\":\"f\",\"id\":7},"
                      "{\"ph\":\"f\",\"bp\":\"e\",\"ts\":5,\"pid\":1,\"tid\":1,\"name\":\"f\","
                      "\"id\":7}]",
                      "reused");
        expect_reject("bad-meta",
                      "[{\"ph\":\"M\",\"pid\":1,\"name\":\"process_labels\",\"args\":{\"labels\":"
                      "\"x\"}}]",
                      "not one Perfetto reads");
        expect_reject("bad-meta-form",
                      "[{\"ph\":\"M\",\"pid\":1,\"tid\":1,\"name\":\"thread_sort_index\","
                      "\"args\":{\"sort_index\":\"1\"}}]",
                      "integer args.sort_index");
        expect_reject("bad-pid", "[{\"ph\":\"i\",\"ts\":1,\"pid\":-1,\"tid\":1,\"name\":\"a\"}]",
                      "outside uint32");
        expect_reject("bad-tid-float",
                      "[{\"ph\":\"X\",\"ts\":1,\"dur\":1,\"pid\":1,\"tid\":1.5,\"name\":\"a\"}]",
                      "not an integer");
        expect_reject("negative-ts",
                      "[{\"ph\":\"X\",\"ts\":-1,\"dur\":1,\"pid\":1,\"tid\":1,\"name\":\"a\"}]",
                      "negative ts");
        expect_reject("instant-no-tid", "[{\"ph\":\"i\",\"ts\":1,\"pid\":1,\"name\":\"a\"}]",
                      "thread-scoped instant without tid");
        expect_reject("counter-string",
                      "[{\"ph\":\"C\",\"ts\":1,\"pid\":1,\"name\":\"q\",\"args\":{\"d\":\"x\"}}]",
                      "not numeric");
        expect_reject("bad-phase", "[{\"ph\":\"Q\",\"ts\":1,\"pid\":1,\"tid\":1}]",
                      "not one Perfetto");
        expect_reject("tid-two-pids",
                      "[{\"ph\":\"X\",\"ts\":1,\"dur\":1,\"pid\":1,\"tid\":5,\"name\":\"a\"},"
                      "{\"ph\":\"X\",\"ts\":3,\"dur\":1,\"pid\":2,\"tid\":5,\"name\":\"b\"}]",
                      "used in pid");
        expect_reject("display-unit", "{\"displayTimeUnit\":\"s\",\"traceEvents\":[]}",
                      "displayTimeUnit");
        return failures;
}

/*
 * A recorded scenario's export (path = the file): the validator accepts it
 * and it has an arrow of kind argv[4] going from one process into another.
 */
static int case_file_flow(const char *kind)
{
        static char out[1 << 16];
        json_error_t jerr;
        json_t *root, *evs, *s, *f;
        size_t i, cross = 0;
        int vr = run_validator(path, out, sizeof(out));

        printf("%s", out);
        CHECK(vr == 0, "validator rejected %s (exit %d)", path, vr);
        root = json_load_file(path, 0, &jerr);
        if (!root) {
                fprintf(stderr, "Failed to parse %s: %s\n", path, jerr.text);
                return ++failures;
        }
        evs = json_object_get(root, "traceEvents");
        json_array_foreach(evs, i, s)
        {
                if (strcmp(sget(s, "ph"), "s") != 0 || strcmp(sget(s, "name"), kind) != 0)
                        continue;
                f = flow_end_of(evs, s);
                if (f && iget(f, "pid") != iget(s, "pid"))
                        cross++;
        }
        printf("%s flows across processes: %zu\n", kind, cross);
        CHECK(cross > 0, "no %s flow from one process into another", kind);
        json_decref(root);
        return failures;
}

/* Each run's critical path: its own track, a slice per segment, a flow per hand-off. */
static int critpath_script(const char *name)
{
        json_t *evs, *m, *w, *k, *r, *fs, *ff;
        struct ct_perfetto_opts opts;
        long long tid;

        ct_perfetto_opts_init(&opts);
        start(name, &opts);
        Estr(CT_EV_THREAD_BEGIN, 0, 300, 300, "main");
        Estr(CT_EV_THREAD_BEGIN, 1, 300, 301, "worker-1");
        Ename(4, 300, CT_OBJ_LOCK, 0x10, "L");
        Estr(CT_EV_RUN_BEGIN, 10, 300, 300, "scn");
        Elock(CT_EV_LOCK_ACQUIRE, 100, 300, 301, 0x10, 0);
        Elock(CT_EV_LOCK_REQUEST, 150, 300, 300, 0x10, 0);
        Elock(CT_EV_LOCK_RELEASE, 300, 300, 301, 0x10, 0);
        Elock(CT_EV_LOCK_ACQUIRE, 320, 300, 300, 0x10, 1);
        Elock(CT_EV_LOCK_RELEASE, 330, 300, 300, 0x10, 0);
        Estr(CT_EV_RUN_END, 400, 300, 300, "scn");
        trace_end(400);
        evs = finish_and_load();
        if (!evs)
                return 1;
        m = meta(evs, "thread_name", "critical path (run 0)");
        CHECK(m != NULL, "no critical path track");
        tid = m ? iget(m, "tid") : -1;
        w = find(evs, "X", "worker-1 (301) running", 0);
        k = find(evs, "X", "main (300) wakeup L", 0);
        r = find(evs, "X", "main (300) running", 0);
        CHECK(w && k && r, "missing path slices");
        if (w && k && r) {
                CHECK(iget(w, "tid") == tid && iget(k, "tid") == tid && iget(r, "tid") == tid,
                      "slices not on the path track");
                CHECK(raw_contains("\"ts\":0.010,\"pid\":300,\"tid\":") &&
                          raw_contains(",\"dur\":0.290,\"name\":\"worker-1 (301) running\""),
                      "worker's segment [10, 300] ns");
                CHECK(raw_contains(",\"dur\":0.020,\"name\":\"main (300) wakeup L\""),
                      "wake-up [300, 320] ns");
                CHECK(raw_contains(",\"dur\":0.080,\"name\":\"main (300) running\""),
                      "main's segment [320, 400] ns");
        }
        CHECK(count(evs, "X", "main (300) running") == 1, "main's own time before the wait is "
                                                          "not on the path");
        fs = find(evs, "s", "critical path", 0);
        CHECK(fs != NULL, "no hand-off flow");
        ff = fs ? flow_end_of(evs, fs) : NULL;
        CHECK(ff != NULL && iget(fs, "tid") == tid && iget(ff, "tid") == tid, "flow on the track");
        CHECK(count(evs, "s", "critical path") == 1, "one hand-off");
        release_loaded();
        return failures;
}

static int case_critpath(void)
{
        return critpath_script("critpath");
}

/* The file's bytes into a malloc'd buffer (*n bytes), NULL if unreadable. */
static char *slurp(const char *file, size_t *n)
{
        FILE *f = fopen(file, "rb");
        char *buf = NULL;
        long len;

        if (f && fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 &&
            fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)len + 1)) &&
            fread(buf, 1, (size_t)len, f) == (size_t)len) {
                *n = (size_t)len;
        } else {
                free(buf);
                buf = NULL;
        }
        if (f)
                fclose(f);
        return buf;
}

/* Drawn from the analyses' engine (conctrace analyze --perfetto): the same file. */
static int case_critpath_shared(void)
{
        char own[4096];
        char *a, *b;
        size_t na = 0, nb = 0;

        critpath_script("critpath_own");
        snprintf(own, sizeof(own), "%s", path);
        share_next = 1;
        critpath_script("critpath_shared");
        share_next = 0;
        a = slurp(own, &na);
        b = slurp(path, &nb);
        CHECK(a && b && na > 0 && na == nb && memcmp(a, b, na) == 0,
              "%s and %s differ (%zu, %zu bytes)", own, path, na, nb);
        free(a);
        free(b);
        return failures;
}

int main(int argc, char **argv)
{
        static const struct {
                const char *name;
                int (*fn)(void);
        } cases[] = {
            {"pipe", case_pipe},
            {"pool", case_pool},
            {"locks", case_locks},
            {"misc", case_misc},
            {"reuse", case_reuse},
            {"unfinished", case_unfinished},
            {"names", case_names},
            {"size", case_size},
            {"tempfile", case_tempfile},
            {"reject", case_reject},
            {"critpath", case_critpath},
            {"intern", case_intern},
            {"critpath_shared", case_critpath_shared},
            {"gzip", case_gzip},
        };
        size_t i;

        if (argc == 7 && strcmp(argv[4], "pftrace") == 0) {
                pf_checker = argv[5];
                pf_proto = argv[6];
                argc = 4;
        }
        if (argc != 4 && argc != 5) {
                fprintf(stderr, "usage: %s VALIDATOR OUTDIR CASE | VALIDATOR FILE file-flow KIND\n",
                        argv[0]);
                return 2;
        }
        validator = argv[1];
        outdir = argv[2];
        if (strcmp(argv[3], "file-flow") == 0 && argc == 5) {
                snprintf(path, sizeof(path), "%s", argv[2]);
                return case_file_flow(argv[4]) ? 1 : 0;
        }
        for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                if (strcmp(cases[i].name, argv[3]) == 0) {
                        cases[i].fn();
                        if (pf_checker && !failures) {
                                pf_pass = 1;
                                cases[i].fn();
                        }
                        if (failures)
                                fprintf(stderr, "%s: %d check(s) failed\n", argv[3], failures);
                        return failures ? 1 : 0;
                }
        }
        fprintf(stderr, "Unknown case: name=%s\n", argv[3]);
        return 2;
}
