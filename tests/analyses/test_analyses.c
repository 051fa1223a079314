/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the analyses: scripted event sequences with exact timestamps
 * are fed to every consumer of ct_analyses, then exact figures are read from
 * the report tables (the same ones the text/json/csv writers render).
 * Usage: test_analyses NAME
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ct_analyses.h"
#include "ct_report.h"
#include "ct_table.h"

static int failures;

#define CHECK(cond)                                                                                \
        do {                                                                                       \
                if (!(cond)) {                                                                     \
                        fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);   \
                        failures++;                                                                \
                }                                                                                  \
        } while (0)

#define CHECK_EQ(a, b)                                                                             \
        do {                                                                                       \
                long long a_ = (long long)(a), b_ = (long long)(b);                                \
                if (a_ != b_) {                                                                    \
                        fprintf(stderr, "%s:%d: %s = %lld, expected %lld\n", __FILE__, __LINE__,   \
                                #a, a_, b_);                                                       \
                        failures++;                                                                \
                }                                                                                  \
        } while (0)

#define CHECK_NEAR(a, b, tol)                                                                      \
        do {                                                                                       \
                double a_ = (double)(a), b_ = (double)(b);                                         \
                if (fabs(a_ - b_) > (tol)) {                                                       \
                        fprintf(stderr, "%s:%d: %s = %.9g, expected %.9g\n", __FILE__, __LINE__,   \
                                #a, a_, b_);                                                       \
                        failures++;                                                                \
                }                                                                                  \
        } while (0)

/* ---- scripting ---------------------------------------------------------- */

static struct ct_analyses *A;
static uint32_t cur_trace;

static void start_with(const struct ct_analyses_opts *o)
{
        size_t i;

        if (ct_analyses_create(o, &A) < 0) {
                abort();
        }
        cur_trace = 0;
        for (i = 0; i < ct_analyses_consumer_count(A); i++) {
                struct ct_consumer *c = ct_analyses_consumer(A, i);

                if (c->on_trace_begin) {
                        c->on_trace_begin(c->self, 0, "trace0");
                }
        }
}

static void start(void)
{
        struct ct_analyses_opts o;

        ct_analyses_opts_init(&o);
        start_with(&o);
}

static void feed(const struct ct_event *ev)
{
        size_t i;

        for (i = 0; i < ct_analyses_consumer_count(A); i++) {
                struct ct_consumer *c = ct_analyses_consumer(A, i);

                if (c->on_event) {
                        c->on_event(c->self, ev);
                }
        }
}

static void trace_end(uint64_t events, uint64_t unknown)
{
        struct ct_trace_info info = {cur_trace, "trace", events, unknown, 0, 0, 0, 0};
        size_t i;

        for (i = 0; i < ct_analyses_consumer_count(A); i++) {
                struct ct_consumer *c = ct_analyses_consumer(A, i);

                if (c->on_trace_end) {
                        c->on_trace_end(c->self, &info);
                }
        }
}

static void next_trace(void)
{
        size_t i;

        trace_end(0, 0);
        cur_trace++;
        for (i = 0; i < ct_analyses_consumer_count(A); i++) {
                struct ct_consumer *c = ct_analyses_consumer(A, i);

                if (c->on_trace_begin) {
                        c->on_trace_begin(c->self, cur_trace, "next");
                }
        }
}

static struct ct_report R;

static void finish(void)
{
        size_t i;

        trace_end(0, 0);
        for (i = 0; i < ct_analyses_consumer_count(A); i++) {
                struct ct_consumer *c = ct_analyses_consumer(A, i);

                if (c->finish) {
                        CHECK_EQ(c->finish(c->self), 0);
                }
        }
        CHECK_EQ(ct_analyses_report(A, &R), 0);
}

static void stop(void)
{
        ct_report_fini(&R);
        ct_analyses_destroy(A);
        A = NULL;
}

/* An event of type at ts on (pid, tid); the caller sets the type's fields. */
static struct ct_event E(enum ct_ev_type type, uint64_t ts, int64_t pid, int64_t tid) {
        struct ct_event ev;

        memset(&ev, 0, sizeof(ev));
        ev.type = type;
        ev.trace = cur_trace;
        ev.ts = ts;
        ev.vpid = pid;
        ev.vtid = tid;
        ev.procname = "proc";
        ev.ev_name = ct_event_type_name(type);
        ev.str = "";
        ev.variant = "";
        ev.params = "";
        return ev;
}

static void
ev_obj(enum ct_ev_type type, uint64_t ts, int64_t pid, int64_t tid, uint64_t obj)
{
        struct ct_event e = E(type, ts, pid, tid);

        e.obj = obj;
        feed(&e);
}

static void lock_ev(enum ct_ev_type type, uint64_t ts, int64_t tid, uint64_t lock, int contended)
{
        struct ct_event e = E(type, ts, 1, tid);

        e.obj = lock;
        e.contended = contended;
        feed(&e);
}

static void name_ev(uint64_t ts, int64_t pid, uint64_t obj, int kind, const char *name)
{
        struct ct_event e = E(CT_EV_NAME, ts, pid, pid);

        e.obj = obj;
        e.kind = kind;
        e.str = name;
        feed(&e);
}

static void thread_ev(enum ct_ev_type type, uint64_t ts, int64_t pid, int64_t tid, const char *role)
{
        struct ct_event e = E(type, ts, pid, tid);

        e.str = role;
        feed(&e);
}

/* Reading the report. */
static size_t row_of(const char *table, const char *col, const char *val)
{
        struct ct_table *t = ct_report_find(&R, table);
        size_t r = ct_table_find_row(t, col, val);

        if (r == (size_t)-1) {
                fprintf(stderr, "no row %s=%s in table %s\n", col, val, table);
                failures++;
        }
        return r;
}

static int64_t I(const char *table, size_t row, const char *col)
{
        const struct ct_cell *c = ct_table_cell(ct_report_find(&R, table), row, col);

        if (!c || !c->set) {
                fprintf(stderr, "table %s row %zu column %s: %s\n", table, row, col,
                        c ? "null" : "missing");
                failures++;
                return -999999;
        }
        return c->i;
}

static double D(const char *table, size_t row, const char *col)
{
        const struct ct_cell *c = ct_table_cell(ct_report_find(&R, table), row, col);

        if (!c || !c->set) {
                fprintf(stderr, "table %s row %zu column %s: %s\n", table, row, col,
                        c ? "null" : "missing");
                failures++;
                return NAN;
        }
        return c->d;
}

static const char *S(const char *table, size_t row, const char *col)
{
        const struct ct_cell *c = ct_table_cell(ct_report_find(&R, table), row, col);

        return c && c->set && c->s ? c->s : "(null)";
}

static int is_null(const char *table, size_t row, const char *col)
{
        const struct ct_cell *c = ct_table_cell(ct_report_find(&R, table), row, col);

        return c && !c->set;
}

/* 1 if a note of table contains sub. */
static int has_note(const char *table, const char *sub)
{
        const struct ct_table *t = ct_report_find(&R, table);
        size_t i;

        for (i = 0; t && i < t->nnotes; i++) {
                if (strstr(t->notes[i], sub)) {
                        return 1;
                }
        }
        return 0;
}

/* ---- tests -------------------------------------------------------------- */

static void test_locks(void)
{
        size_t r, r2;
        struct ct_event e;

        start();
        name_ev(1, 1, 0x10, CT_OBJ_LOCK, "queue.mutex");
        name_ev(1, 1, 0x20, CT_OBJ_LOCK, "other");
        lock_ev(CT_EV_LOCK_ACQUIRE, 100, 1, 0x10, 0);
        lock_ev(CT_EV_LOCK_REQUEST, 200, 2, 0x10, 0);
        lock_ev(CT_EV_LOCK_REQUEST, 300, 3, 0x10, 0);
        lock_ev(CT_EV_LOCK_RELEASE, 400, 1, 0x10, 0);
        lock_ev(CT_EV_LOCK_ACQUIRE, 450, 2, 0x10, 1);
        lock_ev(CT_EV_LOCK_RELEASE, 500, 2, 0x10, 0);
        lock_ev(CT_EV_LOCK_ACQUIRE, 600, 3, 0x10, 1);
        lock_ev(CT_EV_LOCK_RELEASE, 700, 3, 0x10, 0);
        lock_ev(CT_EV_LOCK_ACQUIRE, 800, 1, 0x10, 0);
        lock_ev(CT_EV_LOCK_RELEASE, 900, 1, 0x10, 0);
        /* thread 4 never acquired it: an anomaly, counted */
        lock_ev(CT_EV_LOCK_RELEASE, 1000, 4, 0x10, 0);
        /* light recording: 6 untraced uncontended acquisitions by thread 1 */
        e = E(CT_EV_LOCK_SUMMARY, 1100, 1, 1);
        e.obj = 0x10;
        e.count = 6;
        feed(&e);
        /* a second, uncontended lock: sorts after */
        lock_ev(CT_EV_LOCK_ACQUIRE, 1200, 1, 0x20, 0);
        lock_ev(CT_EV_LOCK_RELEASE, 1210, 1, 0x20, 0);
        finish();

        r = row_of("locks", "lock", "queue.mutex");
        r2 = row_of("locks", "lock", "other");
        CHECK_EQ(r, 0); /* most contended first */
        CHECK_EQ(r2, 1);
        CHECK_EQ(I("locks", r, "acquisitions"), 10);
        CHECK_EQ(I("locks", r, "traced"), 4);
        CHECK_EQ(I("locks", r, "summarized"), 6);
        CHECK_EQ(I("locks", r, "contended"), 2);
        CHECK_NEAR(D("locks", r, "contention"), 0.2, 1e-12);
        CHECK_EQ(I("locks", r, "wait_total"), 550);
        CHECK_EQ(I("locks", r, "wait_mean"), 55);
        CHECK_EQ(I("locks", r, "wait_max"), 300);
        CHECK_EQ(I("locks", r, "wait_p50"), 0);
        CHECK_EQ(I("locks", r, "wait_p95"), 300);
        CHECK_EQ(I("locks", r, "wait_p99"), 300);
        CHECK_EQ(I("locks", r, "hold_total"), 550);
        CHECK_EQ(I("locks", r, "hold_mean"), 137);
        CHECK_EQ(I("locks", r, "hold_max"), 300);
        CHECK_EQ(I("locks", r, "max_waiters"), 2);
        CHECK_EQ(I("locks", r, "handoffs"), 3);
        CHECK_EQ(I("locks", r, "bad_releases"), 1);
        CHECK_EQ(I("locks", r, "unfinished"), 0);
        CHECK_EQ(I("locks", r2, "acquisitions"), 1);
        CHECK_EQ(I("locks", r2, "hold_total"), 10);
        CHECK_EQ(I("locks", r2, "handoffs"), 0);
        CHECK(strstr(ct_report_find(&R, "locks")->notes[0], "hold times cover only"));
        stop();
}

static void test_percentiles(void)
{
        size_t r;
        uint64_t i, ts = 1000;

        start();
        /* waits 1000, 2000, ..., 1000000 ns in shuffled order */
        for (i = 1; i <= 1000; i++) {
                uint64_t w = ((i * 7919) % 1000 + 1) * 1000;

                lock_ev(CT_EV_LOCK_REQUEST, ts, 1, 0x30, 0);
                lock_ev(CT_EV_LOCK_ACQUIRE, ts + w, 1, 0x30, 1);
                lock_ev(CT_EV_LOCK_RELEASE, ts + w + 1, 1, 0x30, 0);
                ts += w + 10;
        }
        finish();
        r = row_of("locks", "lock", "0x30");
        CHECK_EQ(I("locks", r, "wait_total"), 500500000);
        CHECK_EQ(I("locks", r, "wait_mean"), 500500);
        CHECK_EQ(I("locks", r, "wait_max"), 1000000);
        /* within the histogram's stated error (1/128) */
        CHECK_NEAR(I("locks", r, "wait_p50"), 500000, 500000 / 128.0);
        CHECK_NEAR(I("locks", r, "wait_p95"), 950000, 950000 / 128.0);
        CHECK_NEAR(I("locks", r, "wait_p99"), 990000, 990000 / 128.0);
        stop();
}

static void cond_ev(enum ct_ev_type type, uint64_t ts, int64_t tid, int64_t v)
{
        struct ct_event e = E(type, ts, 1, tid);

        e.obj = 0xc0;
        e.lock = 0x10;
        e.timedout = v;
        e.waiters = v;
        feed(&e);
}

static void test_conds(void)
{
        size_t r;

        start();
        name_ev(1, 1, 0xc0, CT_OBJ_COND, "queue.not_empty");
        /* the runtime: wait_begin, release; acquire, wait_end */
        cond_ev(CT_EV_COND_WAIT_BEGIN, 100, 5, 0);
        lock_ev(CT_EV_LOCK_RELEASE, 101, 5, 0x10, 0);
        cond_ev(CT_EV_COND_SIGNAL, 299, 6, 1);
        lock_ev(CT_EV_LOCK_ACQUIRE, 300, 5, 0x10, 0);
        cond_ev(CT_EV_COND_WAIT_END, 301, 5, 0);
        /* predicate false: waits again without unlocking: a re-wait */
        cond_ev(CT_EV_COND_WAIT_BEGIN, 310, 5, 0);
        lock_ev(CT_EV_LOCK_RELEASE, 311, 5, 0x10, 0);
        cond_ev(CT_EV_COND_BROADCAST, 499, 6, 1);
        lock_ev(CT_EV_LOCK_ACQUIRE, 500, 5, 0x10, 0);
        cond_ev(CT_EV_COND_WAIT_END, 501, 5, 0);
        /* unlock, lock, wait: NOT a re-wait */
        lock_ev(CT_EV_LOCK_RELEASE, 510, 5, 0x10, 0);
        lock_ev(CT_EV_LOCK_ACQUIRE, 520, 5, 0x10, 0);
        cond_ev(CT_EV_COND_WAIT_BEGIN, 530, 5, 0);
        lock_ev(CT_EV_LOCK_RELEASE, 531, 5, 0x10, 0);
        lock_ev(CT_EV_LOCK_ACQUIRE, 599, 5, 0x10, 0);
        cond_ev(CT_EV_COND_WAIT_END, 600, 5, 1); /* timed out */
        lock_ev(CT_EV_LOCK_RELEASE, 610, 5, 0x10, 0);
        /* notifications nobody waited for */
        cond_ev(CT_EV_COND_SIGNAL, 700, 6, 0);
        cond_ev(CT_EV_COND_BROADCAST, 710, 6, 0);
        /* a wait that never ends */
        cond_ev(CT_EV_COND_WAIT_BEGIN, 800, 7, 0);
        finish();
        r = row_of("conds", "cond", "queue.not_empty");
        CHECK_EQ(I("conds", r, "waits"), 4);
        CHECK_EQ(I("conds", r, "rewaits"), 1);
        CHECK_EQ(I("conds", r, "timeouts"), 1);
        CHECK_EQ(I("conds", r, "signals"), 2);
        CHECK_EQ(I("conds", r, "broadcasts"), 2);
        CHECK_EQ(I("conds", r, "no_waiter"), 2);
        CHECK_EQ(I("conds", r, "wait_total"), 201 + 191 + 70);
        CHECK_EQ(I("conds", r, "wait_max"), 201);
        CHECK_EQ(I("conds", r, "wait_mean"), 154);
        CHECK_EQ(I("conds", r, "unfinished"), 1);
        stop();
}

static void cv_ev(enum ct_ev_type type, uint64_t ts, uint64_t cond, uint64_t lock, int64_t v)
{
        struct ct_event e = E(type, ts, 1, 5);

        e.obj = cond;
        e.lock = lock;
        e.timedout = v;
        e.waiters = v;
        feed(&e);
}

/* Python's threading.Condition (conctrace_marks): its lock is a semaphore
 * (a post releases it), and CPython's GIL.cond wait nests inside the wait. */
static void test_conds_python(void)
{
        size_t r;

        start();
        name_ev(1, 1, 0xc0, CT_OBJ_COND, "buffer.not_empty");
        name_ev(1, 1, 0xd0, CT_OBJ_COND, "GIL.cond");
        cv_ev(CT_EV_COND_WAIT_BEGIN, 100, 0xc0, 0x20, 0);
        ev_obj(CT_EV_SEM_POST, 101, 1, 5, 0x20); /* Condition._release_save */
        cv_ev(CT_EV_COND_WAIT_BEGIN, 250, 0xd0, 0x30, 0);
        cv_ev(CT_EV_COND_WAIT_END, 290, 0xd0, 0x30, 0);
        cv_ev(CT_EV_COND_WAIT_END, 300, 0xc0, 0x20, 0);
        /* predicate false: waits again without releasing the lock */
        cv_ev(CT_EV_COND_WAIT_BEGIN, 310, 0xc0, 0x20, 0);
        ev_obj(CT_EV_SEM_POST, 311, 1, 5, 0x20);
        cv_ev(CT_EV_COND_WAIT_END, 400, 0xc0, 0x20, 0);
        /* with: ... released (a post), then a new wait: not a re-wait */
        ev_obj(CT_EV_SEM_POST, 410, 1, 5, 0x20);
        cv_ev(CT_EV_COND_WAIT_BEGIN, 420, 0xc0, 0x20, 0);
        cv_ev(CT_EV_COND_WAIT_END, 500, 0xc0, 0x20, 0);
        finish();
        r = row_of("conds", "cond", "buffer.not_empty");
        CHECK_EQ(I("conds", r, "waits"), 3);
        CHECK_EQ(I("conds", r, "rewaits"), 1);
        CHECK_EQ(I("conds", r, "unmatched"), 0);
        CHECK_EQ(I("conds", r, "wait_total"), 200 + 90 + 80);
        r = row_of("conds", "cond", "GIL.cond");
        CHECK_EQ(I("conds", r, "waits"), 1);
        CHECK_EQ(I("conds", r, "unmatched"), 0);
        CHECK_EQ(I("conds", r, "wait_total"), 40);
        stop();
}

static void work_ev(enum ct_ev_type type, uint64_t ts, int64_t tid, int kind)
{
        struct ct_event e = E(type, ts, 10, tid);

        e.kind = kind;
        feed(&e);
}

static void test_threads_blocked(void)
{
        size_t r;
        struct ct_event e;

        start();
        thread_ev(CT_EV_THREAD_BEGIN, 1000, 10, 11, "worker-1");
        ev_obj(CT_EV_LOCK_REQUEST, 1100, 10, 11, 0x10);
        ev_obj(CT_EV_LOCK_ACQUIRE, 1150, 10, 11, 0x10); /* lock 50 */
        ev_obj(CT_EV_COND_WAIT_BEGIN, 1200, 10, 11, 0xc0);
        ev_obj(CT_EV_COND_WAIT_END, 1300, 10, 11, 0xc0); /* cond 100 */
        ev_obj(CT_EV_PIPE_READ_BEGIN, 1400, 10, 11, 7);
        ev_obj(CT_EV_PIPE_READ_END, 1430, 10, 11, 7); /* pipe_read 30 */
        ev_obj(CT_EV_PIPE_WRITE_BEGIN, 1500, 10, 11, 7);
        ev_obj(CT_EV_PIPE_WRITE_END, 1520, 10, 11, 7); /* pipe_write 20 */
        ev_obj(CT_EV_SELECT_BEGIN, 1600, 10, 11, 0);
        ev_obj(CT_EV_SELECT_END, 1700, 10, 11, 0); /* select 100 */
        work_ev(CT_EV_WORK_BEGIN, 1800, 11, CT_WORK_IO_SIM);
        work_ev(CT_EV_WORK_END, 1900, 11, CT_WORK_IO_SIM); /* io_sim 100 */
        e = E(CT_EV_JOIN_BEGIN, 2000, 10, 11);
        e.target = 12;
        feed(&e);
        e = E(CT_EV_JOIN_END, 2060, 10, 11); /* join 60 */
        e.target = 12;
        feed(&e);
        work_ev(CT_EV_WORK_BEGIN, 2100, 11, CT_WORK_COMPUTE);
        work_ev(CT_EV_WORK_END, 2500, 11, CT_WORK_COMPUTE); /* compute 400 */
        thread_ev(CT_EV_THREAD_END, 3000, 10, 11, "worker-1");

        /* the GIL: request, cond waits inside, acquire: counted once, as lock */
        thread_ev(CT_EV_THREAD_BEGIN, 100, 10, 13, "gil-user");
        ev_obj(CT_EV_LOCK_REQUEST, 200, 10, 13, 0x99);
        ev_obj(CT_EV_COND_WAIT_BEGIN, 250, 10, 13, 0x98);
        ev_obj(CT_EV_COND_WAIT_END, 350, 10, 13, 0x98);
        ev_obj(CT_EV_LOCK_ACQUIRE, 400, 10, 13, 0x99);
        thread_ev(CT_EV_THREAD_END, 500, 10, 13, "gil-user");
        finish();

        r = row_of("threads", "thread", "worker-1 (11)");
        CHECK_EQ(r, 0); /* most blocked first */
        CHECK(!strcmp(S("threads", r, "process"), "proc (10)"));
        CHECK_EQ(I("threads", r, "lifetime"), 2000);
        CHECK_EQ(I("threads", r, "lock"), 50);
        CHECK_EQ(I("threads", r, "cond"), 100);
        CHECK_EQ(I("threads", r, "pipe_read"), 30);
        CHECK_EQ(I("threads", r, "pipe_write"), 20);
        CHECK_EQ(I("threads", r, "select"), 100);
        CHECK_EQ(I("threads", r, "io_sim"), 100);
        CHECK_EQ(I("threads", r, "join"), 60);
        CHECK_EQ(I("threads", r, "blocked"), 460);
        CHECK_EQ(I("threads", r, "compute"), 400);
        CHECK_EQ(I("threads", r, "other"), 1140);
        CHECK(!strcmp(S("threads", r, "ended"), "yes"));

        r = row_of("threads", "thread", "gil-user (13)");
        CHECK_EQ(I("threads", r, "lifetime"), 400);
        CHECK_EQ(I("threads", r, "blocked"), 200);
        CHECK_EQ(I("threads", r, "lock"), 200);
        CHECK_EQ(I("threads", r, "cond"), 0);
        stop();
}

static void test_threads_lifetime(void)
{
        size_t r;

        start();
        /* no thread_begin/end: first -> last event; never ends */
        ev_obj(CT_EV_LOCK_REQUEST, 1000, 20, 21, 0x10);
        ev_obj(CT_EV_LOCK_ACQUIRE, 1100, 20, 21, 0x10);
        ev_obj(CT_EV_LOCK_RELEASE, 1200, 20, 21, 0x10);
        /* a begin whose end never comes: unmatched at trace end, not counted */
        ev_obj(CT_EV_LOCK_REQUEST, 4000, 20, 21, 0x10);
        ev_obj(CT_EV_SELECT_BEGIN, 5000, 20, 22, 0);
        finish();
        r = row_of("threads", "thread", "thread (21)");
        CHECK_EQ(I("threads", r, "lifetime"), 3000);
        CHECK(!strcmp(S("threads", r, "ended"), "no"));
        CHECK_EQ(I("threads", r, "lock"), 100);
        CHECK_EQ(I("threads", r, "unfinished"), 1);
        r = row_of("threads", "thread", "thread (22)");
        CHECK_EQ(I("threads", r, "lifetime"), 0);
        CHECK_EQ(I("threads", r, "select"), 0);
        CHECK_EQ(I("threads", r, "unfinished"), 1);
        r = row_of("locks", "lock", "0x10");
        CHECK_EQ(I("locks", r, "unfinished"), 1);
        CHECK_EQ(I("locks", r, "wait_total"), 100);
        r = row_of("selects", "thread", "thread (22)");
        CHECK_EQ(I("selects", r, "unfinished"), 1);
        CHECK_EQ(I("selects", r, "blocked"), 0);
        stop();
}

static void test_pid_reuse(void)
{
        size_t a, b;

        start();
        thread_ev(CT_EV_THREAD_BEGIN, 100, 30, 31, "first");
        thread_ev(CT_EV_THREAD_END, 200, 30, 31, "first");
        thread_ev(CT_EV_THREAD_BEGIN, 300, 30, 31, "second");
        ev_obj(CT_EV_LOCK_REQUEST, 350, 30, 31, 0x10);
        ev_obj(CT_EV_LOCK_ACQUIRE, 360, 30, 31, 0x10);
        thread_ev(CT_EV_THREAD_END, 600, 30, 31, "second");
        finish();
        a = row_of("threads", "thread", "first (31)");
        b = row_of("threads", "thread", "second (31)");
        CHECK_EQ(ct_report_find(&R, "threads")->nrows, 2);
        CHECK_EQ(I("threads", a, "lifetime"), 100);
        CHECK_EQ(I("threads", a, "lock"), 0);
        CHECK_EQ(I("threads", b, "lifetime"), 300);
        CHECK_EQ(I("threads", b, "lock"), 10);
        stop();
}

static void pipe_io(enum ct_ev_type type, uint64_t ts, int64_t pid, uint64_t pipe, int64_t ret,
                    int64_t err, uint64_t offset)
{
        struct ct_event e = E(type, ts, pid, pid);

        e.obj = pipe;
        e.fd = 3;
        e.len = ret > 0 ? (uint64_t)ret : 16;
        e.ret = ret;
        e.err = err;
        e.offset = offset;
        feed(&e);
}

static void test_pipes(void)
{
        size_t r;

        start();
        name_ev(1, 20, 77, CT_OBJ_PIPE, "data");
        /* writer pid 20, reader pid 30 */
        pipe_io(CT_EV_PIPE_WRITE_BEGIN, 100, 20, 77, 0, 0, 0);
        pipe_io(CT_EV_PIPE_WRITE_END, 110, 20, 77, 10, 0, 0); /* bytes 0..10 */
        pipe_io(CT_EV_PIPE_READ_BEGIN, 140, 30, 77, 0, 0, 0);
        pipe_io(CT_EV_PIPE_READ_END, 150, 30, 77, 4, 0, 0); /* partial: 0..4 */
        pipe_io(CT_EV_PIPE_WRITE_BEGIN, 200, 20, 77, 0, 0, 0);
        pipe_io(CT_EV_PIPE_WRITE_END, 2000200, 20, 77, 10, 0, 10); /* 10..20, blocked 2 ms */
        pipe_io(CT_EV_PIPE_READ_BEGIN, 2000250, 30, 77, 0, 0, 0);
        pipe_io(CT_EV_PIPE_READ_END, 2000300, 30, 77, 16, 0, 4); /* 4..20 */
        /* the read_end of bytes 20..25 comes before their write_end */
        pipe_io(CT_EV_PIPE_WRITE_BEGIN, 2999000, 20, 77, 0, 0, 0);
        pipe_io(CT_EV_PIPE_READ_BEGIN, 2999500, 30, 77, 0, 0, 0);
        pipe_io(CT_EV_PIPE_READ_END, 2999990, 30, 77, 5, 0, 20);
        pipe_io(CT_EV_PIPE_WRITE_END, 3000000, 20, 77, 5, 0, 20);
        /* EOF, then a write into a pipe with no reader */
        pipe_io(CT_EV_PIPE_READ_BEGIN, 3999000, 30, 77, 0, 0, 0);
        pipe_io(CT_EV_PIPE_READ_END, 4000000, 30, 77, 0, 0, 25);
        pipe_io(CT_EV_PIPE_WRITE_BEGIN, 4000100, 20, 77, 0, 0, 0);
        pipe_io(CT_EV_PIPE_WRITE_END, 4000200, 20, 77, -1, EPIPE, 25);
        finish();
        r = row_of("pipes", "pipe", "data");
        CHECK_EQ(I("pipes", r, "bytes_written"), 25);
        CHECK_EQ(I("pipes", r, "bytes_read"), 25);
        CHECK_EQ(I("pipes", r, "writes"), 4);
        CHECK_EQ(I("pipes", r, "reads"), 4);
        CHECK_EQ(I("pipes", r, "blocked_writes"), 1);
        CHECK_EQ(I("pipes", r, "blocked_write_threshold"), 1000000);
        CHECK_EQ(I("pipes", r, "eof"), 1);
        CHECK_EQ(I("pipes", r, "epipe"), 1);
        CHECK_EQ(I("pipes", r, "matched"), 3);
        /* write 1 (end 110) fully read at 2000300; write 2 (end 2000200) at 2000300;
         * write 3 read before its write_end: 0 */
        CHECK_EQ(I("pipes", r, "latency_total"), 2000190 + 100 + 0);
        CHECK_EQ(I("pipes", r, "latency_max"), 2000190);
        CHECK_EQ(I("pipes", r, "unread_bytes"), 0);
        CHECK_EQ(I("pipes", r, "unmatched_bytes"), 0);
        CHECK_EQ(I("pipes", r, "write_time"), 10 + 2000000 + 1000 + 100);
        stop();
}

static void select_end(uint64_t ts, int64_t ret, const int64_t *ready, uint32_t n)
{
        struct ct_event e = E(CT_EV_SELECT_END, ts, 40, 40);

        e.ret = ret;
        e.ready = ready;
        e.ready_len = n;
        feed(&e);
}

static void test_selects(void)
{
        static const int64_t r1[] = {3, 4}, r2[] = {3};
        size_t r, f3, f4;

        start();
        thread_ev(CT_EV_THREAD_BEGIN, 1, 40, 40, "parent");
        name_ev(2, 40, 3, CT_OBJ_FD, "child-1.out");
        ev_obj(CT_EV_SELECT_BEGIN, 100, 40, 40, 0);
        select_end(150, 2, r1, 2);
        ev_obj(CT_EV_SELECT_BEGIN, 200, 40, 40, 0);
        select_end(230, 1, r2, 1);
        ev_obj(CT_EV_SELECT_BEGIN, 300, 40, 40, 0);
        select_end(320, 1, r2, 1);
        ev_obj(CT_EV_SELECT_BEGIN, 400, 40, 40, 0);
        select_end(500, 0, NULL, 0); /* timeout */
        finish();
        r = row_of("selects", "thread", "parent (40)");
        CHECK_EQ(I("selects", r, "calls"), 4);
        CHECK_EQ(I("selects", r, "wakeups"), 3);
        CHECK_EQ(I("selects", r, "timeouts"), 1);
        CHECK_NEAR(D("selects", r, "mean_ready"), 4.0 / 3.0, 1e-12);
        CHECK_EQ(I("selects", r, "blocked"), 50 + 30 + 20 + 100);
        f3 = row_of("select_fds", "name", "child-1.out");
        f4 = row_of("select_fds", "name", "fd 4");
        CHECK_EQ(f3, 0); /* most wakeups first */
        CHECK_EQ(I("select_fds", f3, "fd"), 3);
        CHECK_EQ(I("select_fds", f3, "wakeups"), 3);
        CHECK_NEAR(D("select_fds", f3, "share"), 1.0, 1e-12);
        CHECK_NEAR(D("select_fds", f4, "share"), 1.0 / 3.0, 1e-12);
        stop();
}

static void pipe_create_ev(uint64_t ts, int64_t pid, uint64_t ino, int64_t rfd, int64_t wfd)
{
        struct ct_event e = E(CT_EV_PIPE_CREATE, ts, pid, pid);

        e.obj = ino;
        e.rfd = rfd;
        e.wfd = wfd;
        feed(&e);
}

static void pipe_close_ev(uint64_t ts, int64_t pid, uint64_t ino, int64_t fd)
{
        struct ct_event e = E(CT_EV_PIPE_CLOSE, ts, pid, pid);

        e.obj = ino;
        e.fd = fd;
        feed(&e);
}

static void fork_ev(uint64_t ts, int64_t pid, int64_t child)
{
        struct ct_event e = E(CT_EV_FORK, ts, pid, pid);

        e.target = child;
        feed(&e);
}

/* One select call of (pid, pid) from ts to ts + 10 with these fds ready. */
static void select_in(uint64_t ts, int64_t pid, const int64_t *ready, uint32_t n)
{
        struct ct_event e = E(CT_EV_SELECT_BEGIN, ts, pid, pid);

        feed(&e);
        e = E(CT_EV_SELECT_END, ts + 10, pid, pid);
        e.ret = n;
        e.ready = ready;
        e.ready_len = n;
        feed(&e);
}

/* Row of select_fds with this thread and name, or (size_t)-1 (a failure). */
static size_t fd_row(const char *thread, const char *name)
{
        struct ct_table *t = ct_report_find(&R, "select_fds");
        size_t r;

        for (r = 0; r < t->nrows; r++) {
                if (!strcmp(S("select_fds", r, "thread"), thread) &&
                    !strcmp(S("select_fds", r, "name"), name)) {
                        return r;
                }
        }
        fprintf(stderr, "no select_fds row thread=%s name=%s\n", thread, name);
        failures++;
        return (size_t)-1;
}

static void test_select_pipes(void)
{
        static const int64_t p57[] = {5, 7}, p5[] = {5}, p7[] = {7}, p11[] = {11};
        size_t r;

        start();
        thread_ev(CT_EV_THREAD_BEGIN, 1, 40, 40, "parent");
        name_ev(2, 40, 1001, CT_OBJ_PIPE, "pipe child-1");
        name_ev(3, 40, 1002, CT_OBJ_PIPE, "pipe child-2");
        pipe_create_ev(10, 40, 1001, 5, 6);
        fork_ev(20, 40, 41); /* child 41: fds 5, 6 of pipe 1001 */
        thread_ev(CT_EV_THREAD_BEGIN, 21, 41, 41, "child-a");
        pipe_close_ev(30, 40, 1001, 6);
        pipe_create_ev(40, 40, 1002, 7, 8);
        /* child 42's first events come before its fork event in the parent */
        thread_ev(CT_EV_THREAD_BEGIN, 45, 42, 42, "child-b");
        pipe_close_ev(46, 42, 1002, 7);
        fork_ev(50, 40, 42); /* child 42: fd 5 (1001), fd 8 (1002); fd 7 closed */
        select_in(100, 40, p57, 2);
        select_in(200, 41, p7, 1); /* forked before pipe 1002: fd 7 is not a known pipe */
        select_in(300, 41, p5, 1);
        select_in(400, 42, p5, 1);
        select_in(500, 42, p7, 1); /* closed by the child itself */
        pipe_close_ev(600, 40, 1001, 5);
        pipe_create_ev(610, 40, 1003, 5, 9); /* fd 5 reused for an unnamed pipe */
        select_in(700, 40, p5, 1);
        select_in(800, 40, p11, 1);
        finish();
        r = fd_row("parent (40)", "pipe child-1 (fd 5)");
        CHECK_EQ(I("select_fds", r, "fd"), 5);
        CHECK_EQ(I("select_fds", r, "pipe"), 1001);
        CHECK_EQ(I("select_fds", r, "wakeups"), 1);
        CHECK_NEAR(D("select_fds", r, "share"), 1.0 / 3.0, 1e-12);
        r = fd_row("parent (40)", "pipe child-2 (fd 7)");
        CHECK_EQ(I("select_fds", r, "pipe"), 1002);
        r = fd_row("parent (40)", "pipe:1003 (fd 5)");
        CHECK_EQ(I("select_fds", r, "fd"), 5);
        CHECK_EQ(I("select_fds", r, "pipe"), 1003);
        CHECK_EQ(I("select_fds", r, "wakeups"), 1);
        r = fd_row("parent (40)", "fd 11");
        CHECK(is_null("select_fds", r, "pipe"));
        r = fd_row("child-a (41)", "pipe child-1 (fd 5)");
        CHECK_EQ(I("select_fds", r, "pipe"), 1001);
        r = fd_row("child-a (41)", "fd 7");
        CHECK(is_null("select_fds", r, "pipe"));
        r = fd_row("child-b (42)", "pipe child-1 (fd 5)");
        CHECK_EQ(I("select_fds", r, "pipe"), 1001);
        r = fd_row("child-b (42)", "fd 7");
        CHECK(is_null("select_fds", r, "pipe"));
        CHECK_EQ(ct_report_find(&R, "select_fds")->nrows, 4 + 2 + 2);
        stop();
}

static void pool_ev(enum ct_ev_type type, uint64_t ts, int64_t tid, uint64_t task, int64_t worker)
{
        struct ct_event e = E(type, ts, 50, tid);

        e.obj = 0x50;
        e.task = task;
        e.worker = worker;
        e.workers = 2;
        e.kind = CT_POOL_THREAD;
        feed(&e);
}

static void test_pools(void)
{
        size_t r, w0, w1;
        struct ct_table *wt;

        start();
        name_ev(0, 50, 0x50, CT_OBJ_POOL, "tpool");
        pool_ev(CT_EV_POOL_CREATE, 0, 50, 0, 0);
        pool_ev(CT_EV_POOL_SUBMIT, 10, 50, 1, 0);
        pool_ev(CT_EV_POOL_TASK_BEGIN, 15, 51, 1, 0);
        pool_ev(CT_EV_POOL_SUBMIT, 20, 50, 2, 0);
        pool_ev(CT_EV_POOL_SUBMIT, 30, 50, 3, 0);
        pool_ev(CT_EV_POOL_TASK_BEGIN, 40, 52, 2, 1);
        pool_ev(CT_EV_POOL_TASK_END, 90, 52, 2, 1);
        pool_ev(CT_EV_POOL_TASK_END, 115, 51, 1, 0);
        pool_ev(CT_EV_POOL_TASK_BEGIN, 120, 51, 3, 0);
        pool_ev(CT_EV_POOL_TASK_END, 220, 51, 3, 0);
        pool_ev(CT_EV_POOL_SUBMIT, 300, 50, 4, 0); /* never started */
        pool_ev(CT_EV_POOL_DESTROY, 400, 50, 0, 0);
        finish();
        r = row_of("pools", "pool", "tpool");
        CHECK_EQ(I("pools", r, "workers"), 2);
        CHECK_EQ(I("pools", r, "submits"), 4);
        CHECK_EQ(I("pools", r, "tasks"), 3);
        CHECK_EQ(I("pools", r, "queue_wait_total"), 5 + 20 + 90);
        CHECK_EQ(I("pools", r, "queue_wait_max"), 90);
        CHECK_EQ(I("pools", r, "run_total"), 250);
        CHECK_EQ(I("pools", r, "run_max"), 100);
        CHECK_EQ(I("pools", r, "span"), 400);
        CHECK_NEAR(D("pools", r, "utilisation"), 250.0 / 2 / 400, 1e-12);
        CHECK_NEAR(D("pools", r, "imbalance"), 200.0 / 125.0, 1e-12);
        CHECK_EQ(I("pools", r, "unstarted"), 1);
        CHECK(!strcmp(S("pools", r, "kind"), "thread"));
        wt = ct_report_find(&R, "pool_workers");
        CHECK_EQ(wt->nrows, 2);
        w0 = 0;
        w1 = 1;
        CHECK_EQ(I("pool_workers", w0, "worker"), 0);
        CHECK_EQ(I("pool_workers", w0, "busy"), 200);
        CHECK_EQ(I("pool_workers", w0, "tasks"), 2);
        CHECK_NEAR(D("pool_workers", w0, "utilisation"), 0.5, 1e-12);
        CHECK_EQ(I("pool_workers", w1, "busy"), 50);
        CHECK_NEAR(D("pool_workers", w1, "utilisation"), 0.125, 1e-12);
        stop();
}

/* A pool event of pool id in process 50, declaring `workers` workers. */
static void pool_ev2(enum ct_ev_type type, uint64_t ts, uint64_t id, int64_t workers, uint64_t task,
                     int64_t worker)
{
        struct ct_event e = E(type, ts, 50, 50);

        e.obj = id;
        e.task = task;
        e.worker = worker;
        e.workers = workers;
        e.kind = CT_POOL_PROCESS;
        feed(&e);
}

static void test_pools_id_reuse(void)
{
        size_t r1, r2;

        start();
        /* first pool at 0x70: 2 workers, task 1 done, task 2 still queued when destroyed */
        pool_ev2(CT_EV_POOL_CREATE, 0, 0x70, 2, 0, 0);
        pool_ev2(CT_EV_POOL_SUBMIT, 10, 0x70, 2, 1, 0);
        pool_ev2(CT_EV_POOL_TASK_BEGIN, 20, 0x70, 2, 1, 0);
        pool_ev2(CT_EV_POOL_TASK_END, 70, 0x70, 2, 1, 0);
        pool_ev2(CT_EV_POOL_SUBMIT, 80, 0x70, 2, 2, 0);
        pool_ev2(CT_EV_POOL_DESTROY, 100, 0x70, 2, 0, 0);
        /* a second pool allocated at the same address: 4 workers, task ids again from 1 */
        pool_ev2(CT_EV_POOL_CREATE, 200, 0x70, 4, 0, 0);
        pool_ev2(CT_EV_POOL_SUBMIT, 210, 0x70, 4, 1, 0);
        pool_ev2(CT_EV_POOL_SUBMIT, 215, 0x70, 4, 2, 0);
        pool_ev2(CT_EV_POOL_TASK_BEGIN, 230, 0x70, 4, 1, 3);
        pool_ev2(CT_EV_POOL_TASK_BEGIN, 240, 0x70, 4, 2, 1);
        pool_ev2(CT_EV_POOL_TASK_END, 290, 0x70, 4, 2, 1);
        pool_ev2(CT_EV_POOL_TASK_END, 330, 0x70, 4, 1, 3);
        pool_ev2(CT_EV_POOL_DESTROY, 600, 0x70, 4, 0, 0);
        finish();
        CHECK_EQ(ct_report_find(&R, "pools")->nrows, 2);
        r2 = 0; /* most tasks first */
        r1 = 1;
        CHECK_EQ(I("pools", r1, "workers"), 2);
        CHECK_EQ(I("pools", r1, "submits"), 2);
        CHECK_EQ(I("pools", r1, "tasks"), 1);
        CHECK_EQ(I("pools", r1, "run_total"), 50);
        CHECK_EQ(I("pools", r1, "queue_wait_total"), 10);
        CHECK_EQ(I("pools", r1, "span"), 100);
        CHECK_EQ(I("pools", r1, "unstarted"), 1);
        CHECK_EQ(I("pools", r1, "unmatched"), 0);
        CHECK_EQ(I("pools", r2, "workers"), 4);
        CHECK_EQ(I("pools", r2, "submits"), 2);
        CHECK_EQ(I("pools", r2, "tasks"), 2);
        CHECK_EQ(I("pools", r2, "queue_wait_total"), 20 + 25);
        CHECK_EQ(I("pools", r2, "run_total"), 100 + 50);
        CHECK_EQ(I("pools", r2, "span"), 400);
        CHECK_EQ(I("pools", r2, "unstarted"), 0);
        CHECK_EQ(I("pools", r2, "unmatched"), 0);
        CHECK_NEAR(D("pools", r2, "utilisation"), 150.0 / 4 / 400, 1e-12);
        CHECK(!strcmp(S("pools", r1, "id"), "0x70"));
        CHECK(!strcmp(S("pools", r2, "id"), "0x70"));
        CHECK(!strcmp(S("pools", r2, "kind"), "process"));
        /* per-worker rows: 2 of the second pool, then 1 of the first */
        CHECK_EQ(ct_report_find(&R, "pool_workers")->nrows, 3);
        CHECK_EQ(I("pool_workers", 0, "worker"), 1);
        CHECK_EQ(I("pool_workers", 0, "busy"), 50);
        CHECK_EQ(I("pool_workers", 1, "worker"), 3);
        CHECK_EQ(I("pool_workers", 1, "busy"), 100);
        CHECK_EQ(I("pool_workers", 2, "worker"), 0);
        CHECK_EQ(I("pool_workers", 2, "busy"), 50);
        CHECK_NEAR(D("pool_workers", 2, "utilisation"), 0.5, 1e-12);
        stop();
}

static void test_pools_worker_names(void)
{
        struct ct_table *wt;
        size_t i;

        start();
        name_ev(0, 50, 0x80, CT_OBJ_POOL, "primes.pool");
        pool_ev2(CT_EV_POOL_CREATE, 0, 0x80, 2, 0, 0);
        pool_ev2(CT_EV_POOL_CREATE, 0, 0x90, 1, 0, 0); /* unnamed */
        pool_ev2(CT_EV_POOL_SUBMIT, 10, 0x80, 2, 1, 0);
        pool_ev2(CT_EV_POOL_SUBMIT, 10, 0x80, 2, 2, 0);
        pool_ev2(CT_EV_POOL_SUBMIT, 10, 0x90, 1, 1, 0);
        pool_ev2(CT_EV_POOL_TASK_BEGIN, 20, 0x80, 2, 1, 0);
        pool_ev2(CT_EV_POOL_TASK_BEGIN, 20, 0x80, 2, 2, 1);
        pool_ev2(CT_EV_POOL_TASK_BEGIN, 20, 0x90, 1, 1, 0);
        pool_ev2(CT_EV_POOL_TASK_END, 50, 0x80, 2, 1, 0);
        pool_ev2(CT_EV_POOL_TASK_END, 60, 0x80, 2, 2, 1);
        pool_ev2(CT_EV_POOL_TASK_END, 70, 0x90, 1, 1, 0);
        finish();
        CHECK(!strcmp(S("pools", 0, "pool"), "primes.pool"));
        CHECK(!strcmp(S("pools", 1, "pool"), "0x90"));
        wt = ct_report_find(&R, "pool_workers");
        CHECK_EQ(wt->nrows, 3);
        for (i = 0; i < 2; i++) {
                CHECK(!strcmp(S("pool_workers", i, "pool"), "primes.pool"));
                CHECK_EQ(I("pool_workers", i, "worker"), (int64_t)i);
        }
        CHECK_EQ(I("pool_workers", 0, "busy"), 30);
        CHECK_EQ(I("pool_workers", 1, "busy"), 40);
        CHECK(!strcmp(S("pool_workers", 2, "pool"), "0x90"));
        CHECK_EQ(I("pool_workers", 2, "busy"), 50);
        stop();
}

static void run(uint64_t ts, int64_t pid, const char *scenario, const char *variant, int workers,
                const char *params, uint64_t dur)
{
        struct ct_event e = E(CT_EV_RUN_BEGIN, ts, pid, pid);

        e.str = scenario;
        e.variant = variant;
        e.workers = workers;
        e.params = params;
        feed(&e);
        e.type = CT_EV_RUN_END;
        e.ts = ts + dur;
        e.status = 0;
        feed(&e);
}

static size_t speedup_row(const char *scenario, const char *variant, int64_t workers)
{
        struct ct_table *t = ct_report_find(&R, "speedup");
        size_t r;

        for (r = 0; r < t->nrows; r++) {
                if (!strcmp(S("speedup", r, "scenario"), scenario) &&
                    !strcmp(S("speedup", r, "variant"), variant) &&
                    I("speedup", r, "workers") == workers) {
                        return r;
                }
        }
        fprintf(stderr, "no speedup row %s %s %lld\n", scenario, variant, (long long)workers);
        failures++;
        return 0;
}

static void test_speedup(void)
{
        size_t r;

        start();
        /* primes: serial baseline, a sweep over two traces */
        run(1000, 60, "primes", "serial", 1, "n=1000", 1000);
        run(5000, 61, "primes", "threads", 2, "n=1000", 600);
        run(9000, 62, "sum", "threads", 1, "n=5", 900);
        next_trace();
        run(1000, 70, "primes", "threads", 4, "workers=4 n=1000", 400);
        run(5000, 71, "sum", "threads", 3, "n=5", 300);
        run(8000, 72, "primes", "threads", 8, "n=2000", 100); /* other params: no baseline */
        finish();
        CHECK_EQ(ct_report_find(&R, "runs")->nrows, 6);
        r = row_of("runs", "variant", "serial");
        CHECK_EQ(I("runs", r, "duration"), 1000);

        r = speedup_row("primes", "serial", 1);
        CHECK_NEAR(D("speedup", r, "speedup"), 1.0, 1e-12);
        CHECK(is_null("speedup", r, "karp_flatt"));
        r = speedup_row("primes", "threads", 2);
        CHECK_EQ(I("speedup", r, "time"), 600);
        CHECK_EQ(I("speedup", r, "baseline_time"), 1000);
        CHECK(!strcmp(S("speedup", r, "baseline"), "serial/1"));
        CHECK_NEAR(D("speedup", r, "speedup"), 1000.0 / 600.0, 1e-9);
        CHECK_NEAR(D("speedup", r, "efficiency"), 1000.0 / 600.0 / 2.0, 1e-9);
        CHECK_NEAR(D("speedup", r, "karp_flatt"), 0.2, 1e-9);
        r = speedup_row("primes", "threads", 4);
        CHECK_NEAR(D("speedup", r, "speedup"), 2.5, 1e-9);
        CHECK_NEAR(D("speedup", r, "efficiency"), 0.625, 1e-9);
        CHECK_NEAR(D("speedup", r, "karp_flatt"), 0.2, 1e-9);
        /* workers=1 baseline of the same variant */
        r = speedup_row("sum", "threads", 3);
        CHECK(!strcmp(S("speedup", r, "baseline"), "threads/1"));
        CHECK_NEAR(D("speedup", r, "speedup"), 3.0, 1e-9);
        CHECK_NEAR(D("speedup", r, "efficiency"), 1.0, 1e-9);
        CHECK_NEAR(D("speedup", r, "karp_flatt"), 0.0, 1e-9);
        r = speedup_row("primes", "threads", 8);
        CHECK(is_null("speedup", r, "speedup"));
        stop();
}

static void run_edge(enum ct_ev_type type, uint64_t ts, int64_t pid, const char *scenario)
{
        struct ct_event e = E(type, ts, pid, pid);

        e.str = scenario;
        e.variant = "threads";
        e.workers = 2;
        e.params = "n=1";
        e.status = 0;
        feed(&e);
}

static void summary_ev(uint64_t ts, int64_t pid, uint64_t count)
{
        struct ct_event e = E(CT_EV_LOCK_SUMMARY, ts, pid, pid);

        e.obj = 0x10;
        e.count = count;
        feed(&e);
}

static void test_runs_probe(void)
{
        struct ct_analyses_opts o;
        struct ct_event e;

        ct_analyses_opts_init(&o);
        CHECK_EQ(o.event_cost_ns, 300);
        o.event_cost_ns = 100;
        start_with(&o);
        ev_obj(CT_EV_LOCK_ACQUIRE, 500, 61, 61, 0x10); /* before every run */
        run_edge(CT_EV_RUN_BEGIN, 1000, 60, "a");
        run_edge(CT_EV_RUN_BEGIN, 1200, 63, "c");       /* overlaps a */
        ev_obj(CT_EV_LOCK_ACQUIRE, 1500, 61, 61, 0x10); /* another process: counted */
        ev_obj(CT_EV_LOCK_RELEASE, 1600, 61, 61, 0x10);
        run_edge(CT_EV_RUN_END, 1800, 63, "c");
        run_edge(CT_EV_RUN_END, 2000, 60, "a");
        ev_obj(CT_EV_LOCK_ACQUIRE, 2500, 61, 61, 0x10); /* after */
        /* light level: 150 summarized acquisitions = 300 events avoided */
        run_edge(CT_EV_RUN_BEGIN, 10000, 62, "b");
        summary_ev(20000, 62, 100);
        summary_ev(30000, 62, 50);
        run_edge(CT_EV_RUN_END, 110000, 62, "b");
        run_edge(CT_EV_RUN_BEGIN, 200000, 64, "d"); /* never ends */
        next_trace();
        /* the events of another trace are not in its runs */
        run_edge(CT_EV_RUN_BEGIN, 1000, 60, "e");
        e = E(CT_EV_UNKNOWN, 1100, 60, 60); /* another provider's event costs too */
        feed(&e);
        run_edge(CT_EV_RUN_END, 1000 + 3 * 100 * 10, 60, "e");
        finish();
        CHECK_EQ(ct_report_find(&R, "runs")->nrows, 5);
        CHECK_EQ(I("runs", 0, "pid"), 60);
        CHECK_EQ(I("runs", 0, "events"), 6);
        CHECK_EQ(I("runs", 0, "probe_ns"), 600);
        CHECK_NEAR(D("runs", 0, "probe_share"), 0.6, 1e-12);
        CHECK(!strcmp(S("runs", 0, "distorted"), "yes"));
        CHECK_EQ(I("runs", 0, "events_avoided"), 0);
        CHECK_EQ(I("runs", 1, "pid"), 63);
        CHECK_EQ(I("runs", 1, "events"), 4);
        CHECK_EQ(I("runs", 1, "probe_ns"), 400);
        CHECK_NEAR(D("runs", 1, "probe_share"), 400.0 / 600.0, 1e-12);
        CHECK_EQ(I("runs", 2, "pid"), 62);
        CHECK_EQ(I("runs", 2, "events"), 4);
        CHECK_EQ(I("runs", 2, "probe_ns"), 400);
        CHECK_NEAR(D("runs", 2, "probe_share"), 0.004, 1e-12);
        CHECK(!strcmp(S("runs", 2, "distorted"), "no"));
        CHECK_EQ(I("runs", 2, "events_avoided"), 300);
        CHECK_EQ(I("runs", 3, "pid"), 64);
        CHECK(is_null("runs", 3, "events"));
        CHECK(is_null("runs", 3, "probe_share"));
        CHECK(is_null("runs", 3, "distorted"));
        CHECK_EQ(I("runs", 4, "trace"), 1);
        CHECK_EQ(I("runs", 4, "events"), 3);
        CHECK_NEAR(D("runs", 4, "probe_share"), 0.1, 1e-12);
        CHECK(!strcmp(S("runs", 4, "distorted"), "no")); /* 10% is not above 10% */
        CHECK(has_note("runs", "x 100 ns (--event-cost-ns)"));
        CHECK(!has_note("runs", "bench/floor_ust"));
        CHECK(has_note("runs", "run a threads (pid 60): probe share 60.0% > 10%: figures of "
                               "this run are distorted by tracing"));
        CHECK(has_note("runs", "run c threads (pid 63): probe share 66.7%"));
        CHECK(!has_note("runs", "run b threads"));
        CHECK(!has_note("runs", "run e threads"));
        CHECK(has_note("runs", "events_avoided = 2 x the uncontended acquisitions"));
        CHECK(has_note("runs", "300 in all"));
        stop();
}

static void test_runs_probe_default(void)
{
        start();
        run_edge(CT_EV_RUN_BEGIN, 1000, 60, "a");
        ev_obj(CT_EV_LOCK_ACQUIRE, 1500, 60, 61, 0x10);
        run_edge(CT_EV_RUN_END, 5000, 60, "a");
        finish();
        CHECK_EQ(I("runs", 0, "events"), 3);
        CHECK_EQ(I("runs", 0, "probe_ns"), 900);
        CHECK_NEAR(D("runs", 0, "probe_share"), 900.0 / 4000.0, 1e-12);
        CHECK(!strcmp(S("runs", 0, "distorted"), "yes"));
        CHECK_EQ(I("runs", 0, "events_avoided"), 0);
        CHECK(has_note("runs", "x 300 ns, the default: rounded up from LTTng-UST's enabled costs "
                               "per event that bench/floor_ust measured on the 2-core development "
                               "VM (docs/performance.md); pass --event-cost-ns with your "
                               "machine's figure from bench/run-all"));
        CHECK(!has_note("runs", "events_avoided"));
        stop();
}

/* A processes run as primes --mode processes --workers 2 makes it: two forked
 * children and one extra thread; the probe estimate counts what each adds. */
static void runs_probe_processes_events(void)
{
        struct ct_event e;

        run_edge(CT_EV_RUN_BEGIN, 1000000, 100, "primes");
        e = E(CT_EV_FORK, 1100000, 100, 100);
        e.target = 101;
        feed(&e);
        e = E(CT_EV_FORK, 1200000, 100, 100);
        e.target = 102;
        feed(&e);
        thread_ev(CT_EV_THREAD_BEGIN, 8000000, 101, 101, "worker-1"); /* a child's main thread */
        thread_ev(CT_EV_THREAD_BEGIN, 9000000, 102, 102, "worker-2");
        thread_ev(CT_EV_THREAD_BEGIN, 9500000, 100, 103, "collector"); /* a new thread */
        run_edge(CT_EV_RUN_END, 31000000, 100, "primes");
        finish();
}

static void test_runs_probe_forks(void)
{
        struct ct_analyses_opts o;

        ct_analyses_opts_init(&o);
        CHECK_EQ(o.fork_cost_ns, 10000000);
        CHECK_EQ(o.thread_cost_ns, 20000);
        start();
        runs_probe_processes_events();
        CHECK_EQ(I("runs", 0, "events"), 7);
        CHECK_EQ(I("runs", 0, "forks"), 2);
        CHECK_EQ(I("runs", 0, "threads"), 1);
        /* 7 x 300 + 2 x 10 ms + 1 x 20 us */
        CHECK_EQ(I("runs", 0, "probe_ns"), 20022100);
        CHECK_NEAR(D("runs", 0, "probe_share"), 20022100.0 / 30000000.0, 1e-12);
        CHECK(!strcmp(S("runs", 0, "distorted"), "yes"));
        CHECK(has_note("runs", "probe_ns adds forks x 10000000 ns (the default) and threads x "
                               "20000 ns (the default)"));
        CHECK(has_note("runs", "rounded down from bench/fork-cost"));
        CHECK(has_note("runs", "run primes threads (pid 100): probe share 66.7% > 10%"));
        stop();

        /* the costs as given: events alone would not flag it */
        o.event_cost_ns = 100;
        o.fork_cost_ns = 1000000;
        o.thread_cost_ns = 500;
        start_with(&o);
        runs_probe_processes_events();
        CHECK_EQ(I("runs", 0, "probe_ns"), 700 + 2000000 + 500);
        CHECK_NEAR(D("runs", 0, "probe_share"), 2001200.0 / 30000000.0, 1e-12);
        CHECK(!strcmp(S("runs", 0, "distorted"), "no"));
        CHECK(has_note("runs", "forks x 1000000 ns (--fork-cost-ns) and threads x 500 ns "
                               "(--thread-cost-ns)"));
        CHECK(has_note("runs", "as given"));
        stop();
        o.fork_cost_ns = 0;
        o.thread_cost_ns = 0;
        start_with(&o);
        runs_probe_processes_events();
        CHECK_EQ(I("runs", 0, "probe_ns"), 700);
        stop();
}

static void test_discarded_gap(void)
{
        size_t r;
        struct ct_event e;

        start();
        ev_obj(CT_EV_LOCK_REQUEST, 100, 1, 2, 0x10);
        e = E(CT_EV_DISCARDED, 200, -1, -1);
        e.ts_begin = 150;
        e.count = 5;
        feed(&e);
        ev_obj(CT_EV_LOCK_ACQUIRE, 300, 1, 2, 0x10); /* cut by the gap: not measured */
        ev_obj(CT_EV_LOCK_RELEASE, 310, 1, 2, 0x10); /* hold after the gap: measured */
        ev_obj(CT_EV_LOCK_REQUEST, 400, 1, 2, 0x10);
        ev_obj(CT_EV_LOCK_ACQUIRE, 420, 1, 2, 0x10);
        ev_obj(CT_EV_LOCK_RELEASE, 430, 1, 2, 0x10);
        finish();
        r = row_of("locks", "lock", "0x10");
        CHECK_EQ(I("locks", r, "acquisitions"), 2);
        CHECK_EQ(I("locks", r, "cut"), 1);
        CHECK_EQ(I("locks", r, "wait_total"), 20);
        CHECK_EQ(I("locks", r, "wait_max"), 20);
        CHECK_EQ(I("locks", r, "hold_total"), 20);
        r = row_of("threads", "thread", "thread (2)");
        CHECK_EQ(I("threads", r, "cut"), 1);
        CHECK_EQ(I("threads", r, "lock"), 20);
        CHECK_EQ(I("trace", 0, "discarded"), 5);
        CHECK_EQ(I("trace", 0, "discarded_msgs"), 1);
        stop();
}

static void test_trace_counts(void)
{
        struct ct_event e;

        start();
        e = E(CT_EV_UNKNOWN, 1000, 1, 1);
        e.ev_name = "other:event";
        feed(&e);
        feed(&e);
        ev_obj(CT_EV_LOCK_ACQUIRE, 5000, 1, 1, 0x10);
        trace_end(3, 2);
        CHECK_EQ(ct_analyses_report(A, &R), 0);
        CHECK_EQ(I("trace", 0, "events"), 3);
        CHECK_EQ(I("trace", 0, "unknown_events"), 2);
        CHECK_EQ(I("trace", 0, "span"), 4000);
        CHECK_EQ(I("traces", 0, "first_ts"), 1000);
        CHECK(ct_report_find(&R, "trace")->nnotes >= 2);
        stop();
}

static char tmpdir[] = "/tmp/ct-analyses-XXXXXX";
static char wdir[128]; /* this test's own directory under tmpdir */

static int count_entries(const char *dir)
{
        DIR *d = opendir(dir);
        struct dirent *de;
        int n = 0;

        if (!d) {
                return -1;
        }
        while ((de = readdir(d))) {
                if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
                        n++;
                }
        }
        closedir(d);
        return n;
}

static void small_trace(void)
{
        start();
        /* a name that needs escaping in json and quoting in csv */
        name_ev(1, 1, 0x10, CT_OBJ_LOCK, "q\"ueue,\n\\mutex \xc3\xa9");
        lock_ev(CT_EV_LOCK_REQUEST, 100, 2, 0x10, 0);
        lock_ev(CT_EV_LOCK_ACQUIRE, 150, 2, 0x10, 1);
        lock_ev(CT_EV_LOCK_RELEASE, 170, 2, 0x10, 0);
        run(10, 1, "primes", "serial", 1, "n=1", 500);
        finish();
}

static void test_json_output(void)
{
        static const char *const keys[] = {"trace", "runs",  "speedup", "threads", "locks",
                                           "conds", "pipes", "selects", "pools"};
        char path[512];
        json_error_t jerr;
        json_t *root, *l;
        size_t i;

        small_trace();
        snprintf(path, sizeof(path), "%s/report.json", wdir);
        CHECK_EQ(ct_analyses_write(A, CT_REPORT_JSON, path), 0);
        root = json_load_file(path, 0, &jerr);
        CHECK(root != NULL);
        if (!root) {
                fprintf(stderr, "json: %s line %d\n", jerr.text, jerr.line);
                stop();
                return;
        }
        for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
                CHECK(json_object_get(root, keys[i]) != NULL);
        }
        CHECK(json_is_object(json_object_get(root, "trace")));
        CHECK(json_is_array(json_object_get(json_object_get(root, "trace"), "notes")));
        CHECK(json_is_array(json_object_get(root, "locks")));
        l = json_array_get(json_object_get(root, "locks"), 0);
        CHECK(!strcmp(json_string_value(json_object_get(l, "lock")), "q\"ueue,\n\\mutex \xc3\xa9"));
        CHECK(json_is_integer(json_object_get(l, "wait_total")));
        CHECK_EQ(json_integer_value(json_object_get(l, "wait_total")), 50);
        CHECK(json_is_real(json_object_get(l, "contention")));
        CHECK(json_is_array(
                  json_object_get(json_array_get(json_object_get(root, "selects"), 0), "fds")) ||
              json_array_size(json_object_get(root, "selects")) == 0);
        json_decref(root);
        /* text to a file too */
        snprintf(path, sizeof(path), "%s/report.txt", wdir);
        CHECK_EQ(ct_analyses_write(A, CT_REPORT_TEXT, path), 0);
        CHECK_EQ(count_entries(wdir), 2); /* no temporary file left */
        stop();
}

static void test_csv_output(void)
{
        char dir[512], file[1024], line[512];
        FILE *f;

        small_trace();
        snprintf(dir, sizeof(dir), "%s/csv", wdir);
        CHECK_EQ(ct_analyses_write(A, CT_REPORT_CSV, dir), 0);
        CHECK_EQ(count_entries(dir), (int)R.ntables);
        /* again into the existing directory */
        CHECK_EQ(ct_analyses_write(A, CT_REPORT_CSV, dir), 0);
        CHECK_EQ(count_entries(dir), (int)R.ntables);
        CHECK_EQ(count_entries(wdir), 1);
        snprintf(file, sizeof(file), "%s/locks.csv", dir);
        f = fopen(file, "r");
        CHECK(f != NULL);
        if (f) {
                CHECK(fgets(line, sizeof(line), f) && !strncmp(line, "lock,process,", 13));
                CHECK(fgets(line, sizeof(line), f) && !strncmp(line, "\"q\"\"ueue,", 9));
                fclose(f);
        }
        stop();
}

static void test_write_errors(void)
{
        char path[512], file[256];
        FILE *f;

        small_trace();
        /* parent missing */
        snprintf(path, sizeof(path), "%s/missing/report.txt", wdir);
        CHECK(ct_analyses_write(A, CT_REPORT_TEXT, path) < 0);
        CHECK(ct_analyses_write(A, CT_REPORT_JSON, path) < 0);
        /* destination is a directory: the rename fails, the temporary file goes */
        snprintf(path, sizeof(path), "%s/adir", wdir);
        CHECK_EQ(mkdir(path, 0755), 0);
        CHECK(ct_analyses_write(A, CT_REPORT_TEXT, path) < 0);
        CHECK(ct_analyses_write(A, CT_REPORT_JSON, path) < 0);
        CHECK_EQ(count_entries(path), 0);
        /* csv into a path whose parent is a file, and onto a file */
        snprintf(file, sizeof(file), "%s/afile", wdir);
        f = fopen(file, "w");
        CHECK(f != NULL);
        if (f) {
                fclose(f);
        }
        snprintf(path, sizeof(path), "%s/afile/csv", wdir);
        CHECK(ct_analyses_write(A, CT_REPORT_CSV, path) < 0);
        CHECK(ct_analyses_write(A, CT_REPORT_CSV, file) < 0);
        CHECK_EQ(count_entries(wdir), 2); /* adir, afile: nothing partial */
        stop();
}

/* One round of every kind of event; task/offsets grow, values stay bounded. */
static void mixed_round(uint64_t i, uint64_t *ts)
{
        static const int64_t ready[] = {3, 4};
        uint64_t t = *ts;
        int64_t tid = 100 + (int64_t)(i % 4);
        struct ct_event e;

        lock_ev(CT_EV_LOCK_REQUEST, t + 1, tid, 0x10, 0);
        lock_ev(CT_EV_LOCK_ACQUIRE, t + 2 + i % 1000, tid, 0x10, 1);
        lock_ev(CT_EV_LOCK_RELEASE, t + 1010, tid, 0x10, 0);
        cond_ev(CT_EV_COND_WAIT_BEGIN, t + 1020, tid, 0);
        cond_ev(CT_EV_COND_SIGNAL, t + 1030, 99, 1);
        cond_ev(CT_EV_COND_WAIT_END, t + 1040 + i % 5000, tid, 0);
        pipe_io(CT_EV_PIPE_WRITE_BEGIN, t + 7000, 20, 77, 0, 0, 0);
        pipe_io(CT_EV_PIPE_WRITE_END, t + 7010, 20, 77, 8, 0, i * 8);
        pipe_io(CT_EV_PIPE_READ_BEGIN, t + 7005, 30, 77, 0, 0, 0);
        pipe_io(CT_EV_PIPE_READ_END, t + 7020 + i % 300, 30, 77, 8, 0, i * 8);
        e = E(CT_EV_SELECT_BEGIN, t + 8000, 40, 40);
        feed(&e);
        select_end(t + 8100, 2, ready, 2);
        pool_ev(CT_EV_POOL_SUBMIT, t + 8200, 50, i, 0);
        pool_ev(CT_EV_POOL_TASK_BEGIN, t + 8300, 51, i, (int64_t)(i % 2));
        pool_ev(CT_EV_POOL_TASK_END, t + 8400 + i % 700, 51, i, (int64_t)(i % 2));
        work_ev(CT_EV_WORK_BEGIN, t + 9200, tid, CT_WORK_COMPUTE);
        work_ev(CT_EV_WORK_END, t + 9300, tid, CT_WORK_COMPUTE);
        *ts = t + 10000;
}

static void test_memory_flat(void)
{
        uint64_t i, ts = 1000;
        size_t after_warmup, after_10x;

        start();
        for (i = 0; i < 10000; i++) {
                mixed_round(i, &ts);
        }
        after_warmup = ct_analyses_allocated_bytes();
        for (; i < 110000; i++) {
                mixed_round(i, &ts);
        }
        after_10x = ct_analyses_allocated_bytes();
        fprintf(stderr, "allocated: %zu bytes after 10k rounds, %zu after 110k\n", after_warmup,
                after_10x);
        CHECK_EQ(after_10x, after_warmup);
        finish();
        CHECK_EQ(I("locks", row_of("locks", "lock", "0x10"), "acquisitions"), 110000);
        CHECK_EQ(I("pools", 0, "tasks"), 110000);
        CHECK_EQ(I("pipes", 0, "matched"), 110000);
        stop();
        CHECK_EQ(ct_analyses_allocated_bytes(), 0);
}

/* ct_sem: waits, posts by any thread, timeouts and failures; sem waits are lock time. */
static void sem_ev(enum ct_ev_type type, uint64_t ts, int64_t tid, int contended, int64_t err)
{
        struct ct_event e = E(type, ts, 1, tid);

        e.obj = 0x50;
        e.contended = contended;
        e.err = err;
        feed(&e);
}

static void test_sems(void)
{
        size_t r;

        start();
        name_ev(1, 1, 0x50, CT_OBJ_SEM, "items");
        thread_ev(CT_EV_THREAD_BEGIN, 10, 1, 2, "taker-2");
        sem_ev(CT_EV_SEM_ACQUIRE, 100, 1, 0, 0);     /* waited 0 */
        sem_ev(CT_EV_SEM_REQUEST, 200, 2, 0, 0);
        sem_ev(CT_EV_SEM_REQUEST, 300, 3, 0, 0);     /* 2 waiters */
        sem_ev(CT_EV_SEM_POST, 400, 1, 0, 0);
        sem_ev(CT_EV_SEM_ACQUIRE, 450, 2, 1, 0);     /* waited 250 */
        sem_ev(CT_EV_SEM_POST, 500, 4, 0, 0);        /* a post by a fourth thread */
        sem_ev(CT_EV_SEM_ACQUIRE, 700, 3, 1, 0);     /* waited 400 */
        sem_ev(CT_EV_SEM_REQUEST, 800, 2, 0, 0);
        sem_ev(CT_EV_SEM_FAIL, 1000, 2, 0, ETIMEDOUT); /* a timeout after 200 */
        sem_ev(CT_EV_SEM_REQUEST, 1100, 3, 0, 0);
        sem_ev(CT_EV_SEM_FAIL, 1150, 3, 0, EINTR);   /* interrupted after 50 */
        sem_ev(CT_EV_SEM_REQUEST, 1200, 1, 0, 0);    /* never ends */
        thread_ev(CT_EV_THREAD_END, 1300, 1, 2, "taker-2");
        finish();

        r = row_of("sems", "sem", "items");
        CHECK_EQ(I("sems", r, "acquisitions"), 3);
        CHECK_EQ(I("sems", r, "contended"), 2);
        CHECK_NEAR(D("sems", r, "contention"), 2.0 / 3.0, 1e-12);
        CHECK_EQ(I("sems", r, "waits"), 4);
        CHECK_EQ(I("sems", r, "wait_total"), 650);
        CHECK_EQ(I("sems", r, "wait_mean"), 216);
        CHECK_EQ(I("sems", r, "wait_max"), 400);
        CHECK_NEAR(I("sems", r, "wait_p50"), 250, 250 / 128.0);
        CHECK_EQ(I("sems", r, "wait_p99"), 400);
        CHECK_EQ(I("sems", r, "posts"), 2);
        CHECK_EQ(I("sems", r, "max_waiters"), 2);
        CHECK_EQ(I("sems", r, "timeouts"), 1);
        CHECK_EQ(I("sems", r, "failures"), 1);
        CHECK_EQ(I("sems", r, "unfinished"), 1);
        CHECK_EQ(I("sems", r, "unmatched"), 0);
        CHECK(has_note("sems", "any thread may post"));
        /* thread 2 blocked 250 + 200 on the semaphore: counted as lock time */
        r = row_of("threads", "thread", "taker-2 (2)");
        CHECK_EQ(I("threads", r, "lock"), 450);
        CHECK_EQ(I("threads", r, "blocked"), 450);
        stop();
}

static const struct {
        const char *name;
        void (*fn)(void);
} tests[] = {
    {"locks", test_locks},
    {"percentiles", test_percentiles},
    {"conds", test_conds},
    {"conds_python", test_conds_python},
    {"threads_blocked", test_threads_blocked},
    {"threads_lifetime", test_threads_lifetime},
    {"pid_reuse", test_pid_reuse},
    {"pipes", test_pipes},
    {"selects", test_selects},
    {"pools", test_pools},
    {"pools_id_reuse", test_pools_id_reuse},
    {"pools_worker_names", test_pools_worker_names},
    {"select_pipes", test_select_pipes},
    {"sems", test_sems},
    {"runs_probe", test_runs_probe},
    {"runs_probe_default", test_runs_probe_default},
    {"runs_probe_forks", test_runs_probe_forks},
    {"speedup", test_speedup},
    {"discarded_gap", test_discarded_gap},
    {"trace_counts", test_trace_counts},
    {"json_output", test_json_output},
    {"csv_output", test_csv_output},
    {"write_errors", test_write_errors},
    {"memory_flat", test_memory_flat},
};

static void rm_rf(const char *dir)
{
        char cmd[512];

        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
        if (system(cmd) != 0) {
                fprintf(stderr, "could not remove %s\n", dir);
        }
}

int main(int argc, char **argv)
{
        size_t i;
        int found = 0;

        if (!mkdtemp(tmpdir)) {
                perror("mkdtemp");
                return 2;
        }
        for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
                if (argc < 2 || !strcmp(argv[1], tests[i].name)) {
                        found = 1;
                        snprintf(wdir, sizeof(wdir), "%s/%s", tmpdir, tests[i].name);
                        if (mkdir(wdir, 0755) < 0) {
                                perror("mkdir");
                                return 2;
                        }
                        tests[i].fn();
                }
        }
        rm_rf(tmpdir);
        if (!found) {
                fprintf(stderr, "usage: %s [test name]\n", argv[0]);
                return 2;
        }
        if (failures) {
                fprintf(stderr, "%d check(s) failed\n", failures);
                return 1;
        }
        return 0;
}
