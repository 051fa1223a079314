/* SPDX-License-Identifier: MIT */
/*
 * ct_inv_check REPORT.json DUMP.txt SCENARIO PARAMS CHECK...
 *
 * Checks invariants that must hold on any real recorded trace of a finished
 * scenario program, on the json report of `conctrace analyze` and the output
 * of `conctrace dump` of the same trace.
 *
 * Only the recorded program is considered: its main process is the one pid of
 * the `runs` rows with this SCENARIO and exactly these PARAMS, or the pid N
 * given by a first check `main=N` (its runs must have those params), and its
 * family is that pid plus every process it forked (recursively, from
 * `ct_run:fork` in the dump). Rows of other processes (per-UID buffers record
 * every instrumented program of the user) are ignored.
 *
 * CHECK is NAME or NAME=ARG:
 *   main=N              (first) the recorded program's pid
 *   runs=N              N runs of the family, all finished with status 0
 *   discarded           no discarded event, in the report and in the dump
 *   threads=N           at least N threads; each ended, nothing unfinished or
 *                       cut; blocked = sum of its causes <= lifetime,
 *                       compute + blocked <= lifetime, other = the rest; the
 *                       threads' lock, cond and select times are at most the
 *                       wait/blocked totals of the locks, conds and selects
 *                       tables (nested intervals count once per thread)
 *   locks=N             at least N locks; acquisitions = traced + summarized;
 *                       traced = acquire events = release events (summarized
 *                       acquisitions of the light level have no release);
 *                       summarized = sum of ct_lock:summary; no bad release
 *   summarized          some lock acquisitions were summarized (light level)
 *   lock-acq=NAME:N     the family's lock NAME has exactly N acquisitions
 *   pools=N             every pool: tasks = submits = N (N=0: any), each
 *                       submitted task begins and ends exactly once (dump),
 *                       nothing unstarted/unfinished, per-worker tasks add up
 *   pool-count=N        exactly N pool rows (one per ct_pool:create: a pool id
 *                       reused after a destroy is a new pool)
 *   select-children=N   the main process's select wakeups include each of the
 *                       N children's pipes (`pipe child-I`); shares are
 *                       consistent with wakeups and mean_ready
 *   gil-top             the family's first lock row is `GIL`, the most
 *                       contended (contended > 0)
 *   rewaits-min=N       family conds' rewaits add up to at least N
 *   rewaits-max=N       ... to at most N
 *   pipe-epipe=NAME     the pipe NAME created in the family saw EPIPE once
 *   pipe-eof=NAME:BYTES the pipe NAME: EOF seen, BYTES written and read, every
 *                       write matched, no error
 *   speedup=X           the group of SCENARIO/PARAMS has the serial baseline
 *                       (speedup 1) and every other variant's speedup > X
 *   print=main          prints the main pid
 *   print=TABLE.COLUMN  prints the sum of an integer column over family rows
 *
 * Prints `ok: ...` per passed check and `FAIL: ...` per violation; exits 0 if
 * every check passed, 1 if any failed, 2 on bad usage or unreadable input.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#define MAX_TOK 64

/* Per (pid, object) counts from the dump. */
struct objc {
        int64_t pid;
        uint64_t obj;
        uint64_t acquires, releases, summarized;
};

/* Per (pool, epoch, task) counts from the dump. */
struct taskc {
        uint64_t pool;
        unsigned epoch;
        uint64_t task;
        unsigned submits, begins, ends;
};

struct pipec {
        int64_t pid;
        uint64_t pipe;
        int64_t rfd;
};

struct namec {
        uint64_t obj;
        int kind;
        char *name; /* owned */
};

struct vec {
        void *v; /* owned */
        size_t n, cap, size;
};

static struct {
        json_t *report; /* owned */
        const char *scenario;
        const char *params;
        int64_t main_pid;
        int64_t *family; /* owned */
        size_t nfamily;
        struct vec forks; /* int64_t pairs: parent, child */
        struct vec locks; /* struct objc */
        struct vec tasks; /* struct taskc */
        struct vec pools; /* uint64_t pairs: pool, epoch (creates seen) */
        struct vec pipes; /* struct pipec (ct_pipe:create in the family) */
        struct vec names; /* struct namec (family) */
        unsigned long dump_discarded;
        unsigned long failures;
} g;

static void fail(const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        fputs("FAIL: ", stdout);
        vprintf(fmt, ap);
        fputc('\n', stdout);
        va_end(ap);
        g.failures++;
}

static void *vec_push(struct vec *v, size_t size)
{
        if (v->n == v->cap) {
                size_t cap = v->cap ? v->cap * 2 : 64;
                void *p = realloc(v->v, cap * size);

                if (!p) {
                        fprintf(stderr, "Failed to allocate: bytes=%zu\n", cap * size);
                        exit(2);
                }
                v->v = p;
                v->cap = cap;
        }
        v->size = size;
        memset((char *)v->v + v->n * size, 0, size);
        return (char *)v->v + v->n++ * size;
}

static int in_family(int64_t pid)
{
        size_t i;

        for (i = 0; i < g.nfamily; i++) {
                if (g.family[i] == pid) {
                        return 1;
                }
        }
        return 0;
}

/* ---- json helpers ---- */

static json_t *table(const char *name)
{
        json_t *t = json_object_get(g.report, name);

        if (!json_is_array(t)) {
                fprintf(stderr, "Failed to read report: table=%s cause=missing\n", name);
                exit(2);
        }
        return t;
}

static int64_t ival(json_t *row, const char *col)
{
        json_t *v = json_object_get(row, col);

        if (!json_is_integer(v)) {
                fail("column %s is not an integer", col);
                return -1;
        }
        return (int64_t)json_integer_value(v);
}

static double dval(json_t *row, const char *col)
{
        json_t *v = json_object_get(row, col);

        if (!json_is_number(v)) {
                fail("column %s is not a number", col);
                return NAN;
        }
        return json_number_value(v);
}

static const char *sval(json_t *row, const char *col)
{
        json_t *v = json_object_get(row, col);

        return json_is_string(v) ? json_string_value(v) : "";
}

static int row_mine(json_t *row)
{
        json_t *pid = json_object_get(row, "pid");

        return json_is_integer(pid) && in_family((int64_t)json_integer_value(pid));
}

/* ---- dump ---- */

/* Splits a dump line into tokens; double-quoted strings may hold spaces. */
static int split(char *s, char **tok)
{
        int n = 0;

        while (*s && n < MAX_TOK) {
                while (*s == ' ' || *s == '\n') {
                        s++;
                }
                if (!*s) {
                        break;
                }
                tok[n++] = s;
                while (*s && *s != ' ' && *s != '\n') {
                        if (*s == '"') {
                                s = strchr(s + 1, '"');
                                if (!s) {
                                        return n;
                                }
                        }
                        s++;
                }
                if (*s) {
                        *s++ = '\0';
                }
        }
        return n;
}

/* The value of KEY= among the fields, or NULL; quotes removed. */
static char *field(char **tok, int n, const char *key)
{
        size_t k = strlen(key);
        int i;

        for (i = 5; i < n; i++) {
                if (!strncmp(tok[i], key, k) && tok[i][k] == '=') {
                        char *v = tok[i] + k + 1;
                        size_t l = strlen(v);

                        if (l >= 2 && v[0] == '"' && v[l - 1] == '"') {
                                v[l - 1] = '\0';
                                v++;
                        }
                        return v;
                }
        }
        return NULL;
}

static uint64_t num(const char *s)
{
        return s ? strtoull(s, NULL, 0) : 0;
}

static struct objc *lock_of(int64_t pid, uint64_t obj)
{
        struct objc *o = g.locks.v;
        size_t i;

        for (i = 0; i < g.locks.n; i++) {
                if (o[i].pid == pid && o[i].obj == obj) {
                        return &o[i];
                }
        }
        o = vec_push(&g.locks, sizeof(*o));
        o->pid = pid;
        o->obj = obj;
        return o;
}

static unsigned pool_epoch(uint64_t pool, int create)
{
        uint64_t *p = g.pools.v;
        size_t i;

        for (i = 0; i < g.pools.n; i++) {
                if (p[2 * i] == pool) {
                        if (create) {
                                p[2 * i + 1]++;
                        }
                        return (unsigned)p[2 * i + 1];
                }
        }
        p = vec_push(&g.pools, 2 * sizeof(*p));
        p[0] = pool;
        p[1] = create ? 1 : 0;
        return (unsigned)p[1];
}

static struct taskc *task_of(uint64_t pool, uint64_t task)
{
        unsigned epoch = pool_epoch(pool, 0);
        struct taskc *t = g.tasks.v;
        size_t i;

        for (i = 0; i < g.tasks.n; i++) {
                if (t[i].pool == pool && t[i].epoch == epoch && t[i].task == task) {
                        return &t[i];
                }
        }
        t = vec_push(&g.tasks, sizeof(*t));
        t->pool = pool;
        t->epoch = epoch;
        t->task = task;
        return t;
}

/* First pass: the fork tree. */
static void read_forks(FILE *f)
{
        char line[4096], *tok[MAX_TOK];
        int n;

        while (fgets(line, sizeof(line), f)) {
                n = split(line, tok);
                if (n >= 5 && !strcmp(tok[1], "-1") && !strcmp(tok[4], "discarded")) {
                        g.dump_discarded++;
                }
                if (n >= 6 && !strcmp(tok[4], "ct_run:fork")) {
                        int64_t *p = vec_push(&g.forks, 2 * sizeof(*p));

                        p[0] = strtoll(tok[1], NULL, 10);
                        p[1] = (int64_t)num(field(tok, n, "child"));
                }
        }
}

static void family_add(int64_t pid)
{
        int64_t *p = realloc(g.family, (g.nfamily + 1) * sizeof(*p));

        if (!p) {
                exit(2);
        }
        g.family = p;
        g.family[g.nfamily++] = pid;
}

static void build_family(void)
{
        int64_t *f = g.forks.v;
        size_t i, done = 0;

        family_add(g.main_pid);
        while (done < g.nfamily) {
                int64_t parent = g.family[done++];

                for (i = 0; i < g.forks.n; i++) {
                        if (f[2 * i] == parent && !in_family(f[2 * i + 1])) {
                                family_add(f[2 * i + 1]);
                        }
                }
        }
}

/* Second pass: counts of the family's events. */
static void read_events(FILE *f)
{
        char line[4096], *tok[MAX_TOK];
        int n;

        while (fgets(line, sizeof(line), f)) {
                const char *ev;
                int64_t pid;

                n = split(line, tok);
                if (n < 5) {
                        continue;
                }
                pid = strtoll(tok[1], NULL, 10);
                if (!in_family(pid)) {
                        continue;
                }
                ev = tok[4];
                if (!strcmp(ev, "ct_lock:acquire")) {
                        lock_of(pid, num(field(tok, n, "lock")))->acquires++;
                } else if (!strcmp(ev, "ct_lock:release")) {
                        lock_of(pid, num(field(tok, n, "lock")))->releases++;
                } else if (!strcmp(ev, "ct_lock:summary")) {
                        lock_of(pid, num(field(tok, n, "lock")))->summarized +=
                            num(field(tok, n, "acquisitions"));
                } else if (!strcmp(ev, "ct_pool:create")) {
                        pool_epoch(num(field(tok, n, "pool")), 1);
                } else if (!strcmp(ev, "ct_pool:submit")) {
                        task_of(num(field(tok, n, "pool")), num(field(tok, n, "task")))->submits++;
                } else if (!strcmp(ev, "ct_pool:task_begin")) {
                        task_of(num(field(tok, n, "pool")), num(field(tok, n, "task")))->begins++;
                } else if (!strcmp(ev, "ct_pool:task_end")) {
                        task_of(num(field(tok, n, "pool")), num(field(tok, n, "task")))->ends++;
                } else if (!strcmp(ev, "ct_pipe:create")) {
                        struct pipec *p = vec_push(&g.pipes, sizeof(*p));

                        p->pid = pid;
                        p->pipe = num(field(tok, n, "pipe"));
                        p->rfd = (int64_t)num(field(tok, n, "rfd"));
                } else if (!strcmp(ev, "ct_run:name")) {
                        struct namec *nm = vec_push(&g.names, sizeof(*nm));
                        const char *s = field(tok, n, "name");

                        nm->obj = num(field(tok, n, "obj"));
                        nm->kind = (int)num(field(tok, n, "kind"));
                        nm->name = strdup(s ? s : "");
                }
        }
}

/* The object of KIND named NAME in the family (0 if none; fails if several). */
static uint64_t named(int kind, const char *name)
{
        struct namec *nm = g.names.v;
        uint64_t obj = 0;
        size_t i;

        for (i = 0; i < g.names.n; i++) {
                if (nm[i].kind == kind && !strcmp(nm[i].name, name)) {
                        if (obj && obj != nm[i].obj) {
                                fail("several objects named %s", name);
                        }
                        obj = nm[i].obj;
                }
        }
        if (!obj) {
                fail("no object of kind %d named \"%s\" in the trace", kind, name);
        }
        return obj;
}

/* ---- checks ---- */

static int64_t sum_col(const char *tab, const char *col);

static void check_runs(long want)
{
        json_t *row;
        size_t i;
        long n = 0;

        json_array_foreach(table("runs"), i, row)
        {
                if (!row_mine(row)) {
                        continue;
                }
                n++;
                if (strcmp(sval(row, "finished"), "yes") || ival(row, "status") != 0) {
                        fail("run %s/%s workers=%" PRId64 " not finished with status 0",
                             sval(row, "scenario"), sval(row, "variant"), ival(row, "workers"));
                }
                if (ival(row, "duration") <= 0) {
                        fail("run %s has duration %" PRId64, sval(row, "variant"),
                             ival(row, "duration"));
                }
        }
        if (n != want) {
                fail("%ld runs in the family, expected %ld", n, want);
        } else {
                printf("ok: %ld runs, all finished with status 0\n", n);
        }
}

static void check_discarded(void)
{
        json_t *tr = json_object_get(g.report, "trace"), *row;
        unsigned long before = g.failures;
        size_t i;

        if (ival(tr, "discarded") != 0 || ival(tr, "discarded_msgs") != 0) {
                fail("report: discarded=%" PRId64 " discarded_msgs=%" PRId64, ival(tr, "discarded"),
                     ival(tr, "discarded_msgs"));
        }
        json_array_foreach(json_object_get(tr, "traces"), i, row)
        {
                if (ival(row, "discarded") != 0) {
                        fail("trace %zu: discarded=%" PRId64, i, ival(row, "discarded"));
                }
        }
        if (g.dump_discarded) {
                fail("dump: %lu discarded-events records", g.dump_discarded);
        }
        if (g.failures == before) {
                printf("ok: no discarded events\n");
        }
}

static void check_threads(long want)
{
        static const char *causes[] = {"lock",   "cond",   "pipe_read", "pipe_write",
                                       "select", "io_sim", "join"};
        unsigned long before = g.failures;
        json_t *row;
        size_t i, c;
        long n = 0;

        json_array_foreach(table("threads"), i, row)
        {
                const char *th = sval(row, "thread");
                int64_t life, blocked, compute, other, sum = 0;

                if (!row_mine(row)) {
                        continue;
                }
                n++;
                life = ival(row, "lifetime");
                blocked = ival(row, "blocked");
                compute = ival(row, "compute");
                other = ival(row, "other");
                for (c = 0; c < sizeof(causes) / sizeof(*causes); c++) {
                        int64_t v = ival(row, causes[c]);

                        if (v < 0) {
                                fail("%s: %s=%" PRId64 " < 0", th, causes[c], v);
                        }
                        sum += v;
                }
                if (strcmp(sval(row, "ended"), "yes")) {
                        fail("%s: ended=%s in a finished program", th, sval(row, "ended"));
                }
                if (ival(row, "unfinished") || ival(row, "cut") || ival(row, "unmatched")) {
                        fail("%s: unfinished=%" PRId64 " cut=%" PRId64 " unmatched=%" PRId64, th,
                             ival(row, "unfinished"), ival(row, "cut"), ival(row, "unmatched"));
                }
                if (life <= 0 || blocked < 0 || compute < 0 || other < 0) {
                        fail("%s: lifetime=%" PRId64 " blocked=%" PRId64 " compute=%" PRId64
                             " other=%" PRId64,
                             th, life, blocked, compute, other);
                }
                if (blocked > life) {
                        fail("%s: blocked %" PRId64 " > lifetime %" PRId64, th, blocked, life);
                }
                if (sum != blocked) {
                        fail("%s: causes add up to %" PRId64 ", blocked is %" PRId64, th, sum,
                             blocked);
                }
                if (compute + blocked > life) {
                        fail("%s: compute %" PRId64 " + blocked %" PRId64 " > lifetime %" PRId64,
                             th, compute, blocked, life);
                }
                if (other != life - blocked - compute) {
                        fail("%s: other %" PRId64 " != lifetime - blocked - compute", th, other);
                }
        }
        if (n < want) {
                fail("%ld threads in the family, expected at least %ld", n, want);
        }
        if (sum_col("threads", "lock") > sum_col("locks", "wait_total") ||
            sum_col("threads", "cond") > sum_col("conds", "wait_total") ||
            sum_col("threads", "select") > sum_col("selects", "blocked")) {
                fail("threads' lock/cond/select %" PRId64 "/%" PRId64 "/%" PRId64
                     " ns exceed the tables' totals %" PRId64 "/%" PRId64 "/%" PRId64,
                     sum_col("threads", "lock"), sum_col("threads", "cond"),
                     sum_col("threads", "select"), sum_col("locks", "wait_total"),
                     sum_col("conds", "wait_total"), sum_col("selects", "blocked"));
        }
        if (g.failures == before) {
                printf("ok: %ld threads: blocked = sum of causes, compute + blocked <= "
                       "lifetime\n",
                       n);
        }
}

static void check_locks(long want)
{
        unsigned long before = g.failures;
        struct objc *o;
        json_t *row;
        size_t i, j;
        long n = 0;

        json_array_foreach(table("locks"), i, row)
        {
                const char *name = sval(row, "lock");
                const char *id = sval(row, "id");
                int64_t pid = ival(row, "pid"), acq, traced, summ;
                struct objc *c;

                if (!row_mine(row)) {
                        continue;
                }
                n++;
                acq = ival(row, "acquisitions");
                traced = ival(row, "traced");
                summ = ival(row, "summarized");
                c = lock_of(pid, strtoull(id, NULL, 16));
                if (acq != traced + summ) {
                        fail("lock %s (%" PRId64 "): acquisitions %" PRId64 " != traced %" PRId64
                             " + summarized %" PRId64,
                             name, pid, acq, traced, summ);
                }
                if ((uint64_t)traced != c->acquires) {
                        fail("lock %s (%" PRId64 "): traced %" PRId64 ", dump has %" PRIu64
                             " acquire events",
                             name, pid, traced, c->acquires);
                }
                if (c->releases != c->acquires) {
                        fail("lock %s (%" PRId64 "): %" PRIu64 " traced acquisitions, %" PRIu64
                             " releases",
                             name, pid, c->acquires, c->releases);
                }
                if ((uint64_t)summ != c->summarized) {
                        fail("lock %s (%" PRId64 "): summarized %" PRId64
                             ", dump summaries say %" PRIu64,
                             name, pid, summ, c->summarized);
                }
                if (ival(row, "bad_releases") || ival(row, "unfinished") || ival(row, "cut") ||
                    ival(row, "unmatched")) {
                        fail("lock %s (%" PRId64 "): bad_releases=%" PRId64 " unfinished=%" PRId64
                             " cut=%" PRId64 " unmatched=%" PRId64,
                             name, pid, ival(row, "bad_releases"), ival(row, "unfinished"),
                             ival(row, "cut"), ival(row, "unmatched"));
                }
                if (ival(row, "contended") > traced) {
                        fail("lock %s: contended %" PRId64 " > traced %" PRId64, name,
                             ival(row, "contended"), traced);
                }
                if (!strncmp(name, "0x", 2)) {
                        fail("lock %s (%" PRId64 ") has no name", name, pid);
                }
        }
        /* Every lock of the dump has its row (lock_of above added none). */
        o = g.locks.v;
        for (j = 0; j < g.locks.n; j++) {
                int found = 0;

                json_array_foreach(table("locks"), i, row)
                {
                        if (ival(row, "pid") == o[j].pid &&
                            strtoull(sval(row, "id"), NULL, 16) == o[j].obj) {
                                found = 1;
                        }
                }
                if (!found) {
                        fail("lock 0x%" PRIx64 " of pid %" PRId64 " is in the dump, not the report",
                             o[j].obj, o[j].pid);
                }
        }
        if (n < want) {
                fail("%ld locks in the family, expected at least %ld", n, want);
        }
        if (g.failures == before) {
                printf("ok: %ld locks: acquisitions = traced + summarized, traced acquisitions = "
                       "releases\n",
                       n);
        }
}

static void check_summarized(void)
{
        json_t *row;
        size_t i;
        int64_t s = 0;

        json_array_foreach(table("locks"), i, row)
        {
                if (row_mine(row)) {
                        s += ival(row, "summarized");
                }
        }
        if (s <= 0) {
                fail("no summarized lock acquisition (light level)");
        } else {
                printf("ok: %" PRId64 " summarized acquisitions\n", s);
        }
}

static void check_pools(long want)
{
        unsigned long before = g.failures;
        struct taskc *t = g.tasks.v;
        json_t *row, *w;
        size_t i, j;
        long n = 0;

        json_array_foreach(table("pools"), i, row)
        {
                const char *name = sval(row, "pool");
                int64_t tasks, submits, sum = 0, busy = 0;

                if (!row_mine(row)) {
                        continue;
                }
                n++;
                tasks = ival(row, "tasks");
                submits = ival(row, "submits");
                if (tasks != submits || (want && tasks != want)) {
                        fail("pool %s: tasks %" PRId64 ", submits %" PRId64 ", expected %ld", name,
                             tasks, submits, want);
                }
                if (ival(row, "unstarted") || ival(row, "unfinished") || ival(row, "restarts") ||
                    ival(row, "no_submit") || ival(row, "unmatched") || ival(row, "cut")) {
                        fail("pool %s: unstarted=%" PRId64 " unfinished=%" PRId64
                             " restarts=%" PRId64 " no_submit=%" PRId64 " unmatched=%" PRId64
                             " cut=%" PRId64,
                             name, ival(row, "unstarted"), ival(row, "unfinished"),
                             ival(row, "restarts"), ival(row, "no_submit"), ival(row, "unmatched"),
                             ival(row, "cut"));
                }
                json_array_foreach(json_object_get(row, "per_worker"), j, w)
                {
                        sum += ival(w, "tasks");
                        busy += ival(w, "busy");
                        if (strcmp(sval(w, "pool"), name)) {
                                fail("pool %s: per-worker row names pool \"%s\"", name,
                                     sval(w, "pool"));
                        }
                }
                if (sum != tasks) {
                        fail("pool %s: per-worker tasks add up to %" PRId64 ", tasks %" PRId64,
                             name, sum, tasks);
                }
                if (busy != ival(row, "run_total")) {
                        fail("pool %s: per-worker busy adds up to %" PRId64 ", run_total %" PRId64,
                             name, busy, ival(row, "run_total"));
                }
        }
        for (j = 0; j < g.tasks.n; j++) {
                if (t[j].submits != 1 || t[j].begins != 1 || t[j].ends != 1) {
                        fail("pool 0x%" PRIx64 " task %" PRIu64 ": %u submits, %u task_begin, "
                             "%u task_end",
                             t[j].pool, t[j].task, t[j].submits, t[j].begins, t[j].ends);
                }
        }
        if (!n) {
                fail("no pool in the family");
        }
        if (g.failures == before) {
                printf("ok: %ld pools: every task submitted, started and ended once (%zu tasks)\n",
                       n, g.tasks.n);
        }
}

static void check_select_children(long children)
{
        unsigned long before = g.failures;
        json_t *row, *f, *sel = NULL;
        size_t i, j;
        long c;

        json_array_foreach(table("selects"), i, row)
        {
                if (ival(row, "pid") == g.main_pid) {
                        if (sel) {
                                fail("several select threads in the main process");
                        }
                        sel = row;
                }
        }
        if (!sel) {
                fail("no select row for the main process %" PRId64, g.main_pid);
                return;
        }
        int64_t calls = ival(sel, "calls"), wakeups = ival(sel, "wakeups");
        int64_t sumw = 0;
        double shares = 0;

        if (wakeups <= 0 || calls != wakeups + ival(sel, "timeouts") + ival(sel, "errors") +
                                         ival(sel, "unfinished")) {
                fail("select: calls %" PRId64 " != wakeups %" PRId64 " + timeouts + errors", calls,
                     wakeups);
        }
        json_array_foreach(json_object_get(sel, "fds"), j, f)
        {
                double s = dval(f, "share");

                sumw += ival(f, "wakeups");
                shares += s;
                if (!(s > 0 && s <= 1) ||
                    fabs(s - (double)ival(f, "wakeups") / (double)wakeups) > 1e-4) {
                        fail("select fd %" PRId64 ": share %g for %" PRId64 " of %" PRId64
                             " wakeups",
                             ival(f, "fd"), s, ival(f, "wakeups"), wakeups);
                }
        }
        if (sumw < wakeups || fabs(shares - dval(sel, "mean_ready")) > 1e-3 * shares) {
                fail("select: fd wakeups %" PRId64 " (shares %g) vs %" PRId64
                     " wakeups (mean_ready %g)",
                     sumw, shares, wakeups, dval(sel, "mean_ready"));
        }
        for (c = 1; c <= children; c++) {
                char name[64];
                uint64_t pipe;
                const struct pipec *p = g.pipes.v;
                int64_t rfd = -1, w = 0;

                snprintf(name, sizeof(name), "pipe child-%ld", c);
                pipe = named(2, name);
                for (i = 0; i < g.pipes.n; i++) {
                        if (p[i].pid == g.main_pid && p[i].pipe == pipe) {
                                rfd = p[i].rfd;
                        }
                }
                json_array_foreach(json_object_get(sel, "fds"), j, f)
                {
                        if (ival(f, "fd") == rfd) {
                                w = ival(f, "wakeups");
                        }
                }
                if (rfd < 0 || w <= 0) {
                        fail("%s (read fd %" PRId64 "): %" PRId64 " select wakeups", name, rfd, w);
                } else {
                        printf("  %s: fd %" PRId64 " ready in %" PRId64 " of %" PRId64 " wakeups\n",
                               name, rfd, w, wakeups);
                }
        }
        if (g.failures == before) {
                printf("ok: select wakeups from each of %ld children\n", children);
        }
}

static void check_gil_top(void)
{
        json_t *row, *first = NULL;
        int64_t max = -1;
        size_t i;

        json_array_foreach(table("locks"), i, row)
        {
                if (!row_mine(row)) {
                        continue;
                }
                if (!first) {
                        first = row;
                }
                if (ival(row, "contended") > max) {
                        max = ival(row, "contended");
                }
        }
        if (!first || strcmp(sval(first, "lock"), "GIL") || ival(first, "contended") <= 0 ||
            ival(first, "contended") < max) {
                fail("first lock row is %s (contended %" PRId64 "), most contended %" PRId64
                     ": expected GIL",
                     first ? sval(first, "lock") : "(none)", first ? ival(first, "contended") : 0,
                     max);
        } else {
                printf("ok: GIL is the most contended lock (%" PRId64 " contended of %" PRId64
                       ")\n",
                       max, ival(first, "acquisitions"));
        }
}

static int64_t sum_col(const char *tab, const char *col)
{
        json_t *row;
        size_t i;
        int64_t s = 0;

        json_array_foreach(table(tab), i, row)
        {
                if (row_mine(row)) {
                        s += ival(row, col);
                }
        }
        return s;
}

static json_t *pipe_row(const char *name)
{
        uint64_t inode = named(2, name);
        json_t *row, *found = NULL;
        size_t i;

        json_array_foreach(table("pipes"), i, row)
        {
                if ((uint64_t)ival(row, "inode") == inode) {
                        found = row;
                }
        }
        if (!found) {
                fail("no pipes row for %s (inode %" PRIu64 ")", name, inode);
        } else if (strcmp(sval(found, "pipe"), name)) {
                fail("pipe inode %" PRIu64 " is reported as %s, named %s", inode,
                     sval(found, "pipe"), name);
        }
        return found;
}

static void check_pipe_epipe(const char *name)
{
        json_t *p = pipe_row(name);

        if (!p) {
                return;
        }
        if (ival(p, "epipe") != 1 || ival(p, "unfinished") || ival(p, "cut")) {
                fail("%s: epipe=%" PRId64 " unfinished=%" PRId64 ", expected one EPIPE", name,
                     ival(p, "epipe"), ival(p, "unfinished"));
        } else {
                printf("ok: %s: EPIPE once after %" PRId64 " bytes written\n", name,
                       ival(p, "bytes_written"));
        }
}

static void check_pipe_eof(const char *arg)
{
        char name[256];
        const char *colon = strrchr(arg, ':');
        int64_t bytes;
        json_t *p;
        unsigned long before = g.failures;

        if (!colon || (size_t)(colon - arg) >= sizeof(name)) {
                fprintf(stderr, "pipe-eof=NAME:BYTES expected, got %s\n", arg);
                exit(2);
        }
        memcpy(name, arg, (size_t)(colon - arg));
        name[colon - arg] = '\0';
        bytes = strtoll(colon + 1, NULL, 10);
        p = pipe_row(name);
        if (!p) {
                return;
        }
        if (ival(p, "eof") != 1 || ival(p, "epipe") || ival(p, "errors")) {
                fail("%s: eof=%" PRId64 " epipe=%" PRId64 " errors=%" PRId64
                     ", expected EOF once, no error",
                     name, ival(p, "eof"), ival(p, "epipe"), ival(p, "errors"));
        }
        if (ival(p, "bytes_written") != bytes || ival(p, "bytes_read") != bytes) {
                fail("%s: bytes_written=%" PRId64 " bytes_read=%" PRId64 ", expected %" PRId64,
                     name, ival(p, "bytes_written"), ival(p, "bytes_read"), bytes);
        }
        if (strcmp(sval(p, "matching"), "bytes") || ival(p, "matched") != ival(p, "writes") ||
            ival(p, "unmatched_bytes") || ival(p, "unread_bytes") || ival(p, "unfinished") ||
            ival(p, "cut")) {
                fail("%s: matching=%s matched=%" PRId64 " of %" PRId64
                     " writes, unmatched_bytes=%" PRId64 " unread_bytes=%" PRId64,
                     name, sval(p, "matching"), ival(p, "matched"), ival(p, "writes"),
                     ival(p, "unmatched_bytes"), ival(p, "unread_bytes"));
        }
        if (g.failures == before) {
                printf("ok: %s: EOF seen, %" PRId64 " bytes written and read, %" PRId64
                       " writes all matched\n",
                       name, bytes, ival(p, "writes"));
        }
}

static int cmp_str(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The speedup group's params: PARAMS without workers=/variant=, sorted. */
static void group_params(char *out, size_t size)
{
        char *copy = strdup(g.params), *tok[MAX_TOK], *save = NULL, *s;
        int n = 0, i;

        out[0] = '\0';
        for (s = strtok_r(copy, " ", &save); s && n < MAX_TOK; s = strtok_r(NULL, " ", &save)) {
                if (strncmp(s, "workers=", 8) && strncmp(s, "variant=", 8)) {
                        tok[n++] = s;
                }
        }
        qsort(tok, (size_t)n, sizeof(*tok), cmp_str);
        for (i = 0; i < n; i++) {
                if (i) {
                        strncat(out, " ", size - strlen(out) - 1);
                }
                strncat(out, tok[i], size - strlen(out) - 1);
        }
        free(copy);
}

static void check_speedup(double min)
{
        unsigned long before = g.failures;
        char params[1024];
        json_t *row;
        size_t i;
        int serial = 0, others = 0;

        group_params(params, sizeof(params));
        json_array_foreach(table("speedup"), i, row)
        {
                const char *variant = sval(row, "variant");
                double s;

                if (strcmp(sval(row, "scenario"), g.scenario) ||
                    strcmp(sval(row, "params"), params)) {
                        continue;
                }
                if (strcmp(sval(row, "baseline"), "serial/1")) {
                        fail("%s/%" PRId64 ": baseline %s, expected serial/1", variant,
                             ival(row, "workers"), sval(row, "baseline"));
                        continue;
                }
                s = dval(row, "speedup");
                printf("  %s/%" PRId64 ": time %" PRId64 " ns, speedup %.3f\n", variant,
                       ival(row, "workers"), ival(row, "time"), s);
                if (!strcmp(variant, "serial")) {
                        serial++;
                        if (fabs(s - 1.0) > 1e-9 ||
                            ival(row, "time") != ival(row, "baseline_time")) {
                                fail("serial baseline has speedup %g", s);
                        }
                } else {
                        others++;
                        if (!(s > min)) {
                                fail("%s/%" PRId64 ": speedup %g, expected > %g", variant,
                                     ival(row, "workers"), s, min);
                        }
                }
        }
        if (serial != 1 || others < 1) {
                fail("group %s \"%s\": %d serial rows, %d other rows", g.scenario, params, serial,
                     others);
        }
        if (g.failures == before) {
                printf("ok: one speedup group with the serial baseline, speedups > %g\n", min);
        }
}

static void run_check(const char *check)
{
        const char *eq = strchr(check, '=');
        const char *arg = eq ? eq + 1 : "";
        size_t len = eq ? (size_t)(eq - check) : strlen(check);

#define IS(s) (len == strlen(s) && !strncmp(check, s, len))
        if (IS("runs")) {
                check_runs(strtol(arg, NULL, 10));
        } else if (IS("discarded")) {
                check_discarded();
        } else if (IS("threads")) {
                check_threads(strtol(arg, NULL, 10));
        } else if (IS("locks")) {
                check_locks(strtol(arg, NULL, 10));
        } else if (IS("summarized")) {
                check_summarized();
        } else if (IS("pools")) {
                check_pools(strtol(arg, NULL, 10));
        } else if (IS("lock-acq")) {
                const char *colon = strrchr(arg, ':');
                int64_t want = colon ? strtoll(colon + 1, NULL, 10) : -1, n = -1;
                json_t *row;
                size_t i;

                json_array_foreach(table("locks"), i, row)
                {
                        if (row_mine(row) && colon &&
                            !strncmp(sval(row, "lock"), arg, (size_t)(colon - arg)) &&
                            strlen(sval(row, "lock")) == (size_t)(colon - arg)) {
                                n = ival(row, "acquisitions");
                        }
                }
                if (n != want) {
                        fail("lock %s: %" PRId64 " acquisitions", arg, n);
                } else {
                        printf("ok: lock %.*s: %" PRId64 " acquisitions\n", (int)(colon - arg), arg,
                               n);
                }
        } else if (IS("pool-count")) {
                long want = strtol(arg, NULL, 10), n = 0;
                json_t *row;
                size_t i;

                json_array_foreach(table("pools"), i, row)
                {
                        n += row_mine(row);
                }
                if (n != want) {
                        fail("%ld pool rows, expected %ld (one per ct_pool:create)", n, want);
                } else {
                        printf("ok: %ld pools\n", n);
                }
        } else if (IS("select-children")) {
                check_select_children(strtol(arg, NULL, 10));
        } else if (IS("gil-top")) {
                check_gil_top();
        } else if (IS("rewaits-min") || IS("rewaits-max")) {
                int64_t r = sum_col("conds", "rewaits"), lim = strtoll(arg, NULL, 10);
                int min = IS("rewaits-min");

                if (min ? r < lim : r > lim) {
                        fail("%" PRId64 " re-waits, expected %s %" PRId64, r,
                             min ? "at least" : "at most", lim);
                } else {
                        printf("ok: %" PRId64 " re-waits (%s %" PRId64 ")\n", r,
                               min ? ">=" : "<=", lim);
                }
        } else if (IS("pipe-epipe")) {
                check_pipe_epipe(arg);
        } else if (IS("pipe-eof")) {
                check_pipe_eof(arg);
        } else if (IS("speedup")) {
                check_speedup(strtod(arg, NULL));
        } else if (IS("print")) {
                const char *dot = strchr(arg, '.');

                if (!strcmp(arg, "main")) {
                        printf("%" PRId64 "\n", g.main_pid);
                } else if (dot) {
                        char tab[64];

                        snprintf(tab, sizeof(tab), "%.*s", (int)(dot - arg), arg);
                        printf("%" PRId64 "\n", sum_col(tab, dot + 1));
                } else {
                        fprintf(stderr, "print=main or print=TABLE.COLUMN, got %s\n", arg);
                        exit(2);
                }
        } else {
                fprintf(stderr, "Unknown check: %s\n", check);
                exit(2);
        }
#undef IS
}

static void cleanup(void)
{
        struct namec *nm = g.names.v;
        size_t i;

        for (i = 0; i < g.names.n; i++) {
                free(nm[i].name);
        }
        free(g.names.v);
        free(g.pipes.v);
        free(g.pools.v);
        free(g.tasks.v);
        free(g.locks.v);
        free(g.forks.v);
        free(g.family);
        json_decref(g.report);
}

/* The main pid: the one of the runs with the scenario's params, or WANT. */
static void find_main(int64_t want)
{
        json_t *row;
        size_t i;
        int64_t pid = -1;

        json_array_foreach(table("runs"), i, row)
        {
                if (strcmp(sval(row, "scenario"), g.scenario) ||
                    strcmp(sval(row, "params"), g.params) ||
                    (want >= 0 && ival(row, "pid") != want)) {
                        continue;
                }
                if (pid >= 0 && ival(row, "pid") != pid) {
                        fprintf(stderr,
                                "Several processes ran %s with params \"%s\": pids %" PRId64
                                " and %" PRId64 "\n",
                                g.scenario, g.params, pid, ival(row, "pid"));
                        exit(2);
                }
                pid = ival(row, "pid");
        }
        if (pid < 0) {
                fprintf(stderr, "No run of %s with params \"%s\" in the report; runs:\n",
                        g.scenario, g.params);
                json_array_foreach(table("runs"), i, row)
                {
                        fprintf(stderr, "  %s \"%s\" pid %" PRId64 "\n", sval(row, "scenario"),
                                sval(row, "params"), ival(row, "pid"));
                }
                exit(2);
        }
        g.main_pid = pid;
}

int main(int argc, char **argv)
{
        json_error_t jerr;
        FILE *f;
        int i, first, quiet_print = 0;
        int64_t want = -1;

        if (argc < 6) {
                fprintf(stderr,
                        "Usage: %s REPORT.json DUMP.txt SCENARIO PARAMS [main=PID] CHECK...\n",
                        argv[0]);
                return 2;
        }
        g.report = json_load_file(argv[1], 0, &jerr);
        if (!json_is_object(g.report)) {
                fprintf(stderr, "Failed to read report: path=%s cause=%s (line %d)\n", argv[1],
                        jerr.text, jerr.line);
                return 2;
        }
        g.scenario = argv[3];
        g.params = argv[4];
        first = 5;
        if (!strncmp(argv[first], "main=", 5)) {
                want = strtoll(argv[first] + 5, NULL, 10);
                first++;
        }
        find_main(want);
        f = fopen(argv[2], "r");
        if (!f) {
                fprintf(stderr, "Failed to open dump: path=%s cause=%s\n", argv[2],
                        strerror(errno));
                return 2;
        }
        read_forks(f);
        build_family();
        rewind(f);
        read_events(f);
        fclose(f);
        for (i = first; i < argc; i++) {
                quiet_print |= !strncmp(argv[i], "print=", 6);
        }
        if (!quiet_print) {
                printf("%s \"%s\": main pid %" PRId64 ", %zu processes\n", g.scenario, g.params,
                       g.main_pid, g.nfamily);
        }
        for (i = first; i < argc; i++) {
                run_check(argv[i]);
        }
        cleanup();
        return g.failures ? 1 : 0;
}
