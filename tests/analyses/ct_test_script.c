/* SPDX-License-Identifier: MIT */
/* Scripted events for the analyses' unit tests: see ct_test_script.h. */
#define _GNU_SOURCE
#include "ct_test_script.h"

#include <stdlib.h>
#include <string.h>

int failures;
struct ct_analyses *A;
struct ct_report R;
uint64_t discarded;

void feed(const struct ct_event *ev)
{
        size_t i;

        for (i = 0; i < ct_analyses_consumer_count(A); i++) {
                struct ct_consumer *c = ct_analyses_consumer(A, i);

                if (c->on_event) {
                        c->on_event(c->self, ev);
                }
        }
}

void start(void)
{
        size_t i;

        discarded = 0;
        if (ct_analyses_create(NULL, &A) < 0) {
                abort();
        }
        for (i = 0; i < ct_analyses_consumer_count(A); i++) {
                struct ct_consumer *c = ct_analyses_consumer(A, i);

                if (c->on_trace_begin) {
                        c->on_trace_begin(c->self, 0, "t");
                }
        }
}

void finish(void)
{
        struct ct_trace_info info = {0, "t", 100, 0, 0, 0, 0, 0};
        size_t i;

        info.discarded = discarded;
        info.discarded_msgs = discarded ? 1 : 0;
        for (i = 0; i < ct_analyses_consumer_count(A); i++) {
                struct ct_consumer *c = ct_analyses_consumer(A, i);

                if (c->on_trace_end) {
                        c->on_trace_end(c->self, &info);
                }
        }
        CHECK_EQ(ct_analyses_report(A, &R), 0);
        if (getenv("CT_DUMP")) {
                const struct ct_table *t = ct_report_find(&R, "findings");

                for (i = 0; t && i < t->nrows; i++) {
                        fprintf(stderr, "%s | %s | %s\n", ct_table_cell(t, i, "id")->s,
                                ct_table_cell(t, i, "text")->s, ct_table_cell(t, i, "figures")->s);
                }
        }
}

void stop(void)
{
        ct_report_fini(&R);
        ct_analyses_destroy(A);
        A = NULL;
}

struct ct_event E(enum ct_ev_type type, uint64_t ts, int64_t pid, int64_t tid) {
        struct ct_event ev;

        memset(&ev, 0, sizeof(ev));
        ev.type = type;
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

void
ev(enum ct_ev_type type, uint64_t ts, int64_t pid, int64_t tid, uint64_t obj)
{
        struct ct_event e = E(type, ts, pid, tid);

        e.obj = obj;
        e.lock = 0x10;
        feed(&e);
}

void thread_ev(enum ct_ev_type type, uint64_t ts, int64_t pid, int64_t tid, const char *role)
{
        struct ct_event e = E(type, ts, pid, tid);

        e.str = role;
        feed(&e);
}

void name_ev(uint64_t ts, int64_t pid, uint64_t obj, int kind, const char *name)
{
        struct ct_event e = E(CT_EV_NAME, ts, pid, pid);

        e.obj = obj;
        e.kind = kind;
        e.str = name;
        feed(&e);
}

void run_ev(enum ct_ev_type type, uint64_t ts, int64_t pid, const char *variant, int64_t workers)
{
        struct ct_event e = E(type, ts, pid, pid);

        e.str = "scn";
        e.variant = variant;
        e.workers = workers;
        e.params = "n=1";
        feed(&e);
}

void work_ev(enum ct_ev_type type, uint64_t ts, int64_t pid, int64_t tid, int kind)
{
        struct ct_event e = E(type, ts, pid, tid);

        e.kind = kind;
        feed(&e);
}

void pipe_io(enum ct_ev_type type, uint64_t ts, int64_t pid, uint64_t pipe, int64_t ret,
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

void cond_ev(enum ct_ev_type type, uint64_t ts, int64_t tid, uint64_t cond, int64_t v)
{
        struct ct_event e = E(type, ts, 1, tid);

        e.obj = cond;
        e.lock = 0x10;
        e.timedout = v;
        e.waiters = v;
        feed(&e);
}

/* ---- reading ---- */

/* A work interval [b, e] of kind on thread tid of process 1. */
void work(uint64_t b, uint64_t e, int64_t tid, int kind)
{
        struct ct_event x = E(CT_EV_WORK_BEGIN, b, 1, tid);

        x.kind = kind;
        feed(&x);
        x = E(CT_EV_WORK_END, e, 1, tid);
        x.kind = kind;
        feed(&x);
}

void pipe_create_ev(uint64_t ts, int64_t pid, uint64_t ino, int64_t rfd, int64_t wfd)
{
        struct ct_event e = E(CT_EV_PIPE_CREATE, ts, pid, pid);

        e.obj = ino;
        e.rfd = rfd;
        e.wfd = wfd;
        feed(&e);
}

/* ---- reading ---- */

const struct ct_table *T(const char *key)
{
        const struct ct_table *t = ct_report_find(&R, key);

        if (!t) {
                fprintf(stderr, "no table %s\n", key);
                abort();
        }
        return t;
}

/* Row of the finding whose id starts with prefix, or -1. */
long finding(const char *prefix)
{
        const struct ct_table *t = ct_report_find(&R, "findings");
        size_t i;

        for (i = 0; t && i < t->nrows; i++) {
                if (!strncmp(ct_table_cell(t, i, "id")->s, prefix, strlen(prefix))) {
                        return (long)i;
                }
        }
        return -1;
}

const struct ct_cell *fcell(long row, const char *col)
{
        static const struct ct_cell none;

        return row < 0 ? &none : ct_table_cell(ct_report_find(&R, "findings"), (size_t)row, col);
}

int64_t f_impact(long row)
{
        return row < 0 ? -1 : fcell(row, "impact_ns")->i;
}

const char *f_text(long row)
{
        return row < 0 ? "" : fcell(row, "text")->s;
}

const char *f_figures(long row)
{
        return row < 0 ? "" : fcell(row, "figures")->s;
}

int has(long row, const char *col, const char *text)
{
        const struct ct_cell *c = fcell(row, col);
        int ok = c->set && c->s && strstr(c->s, text);

        if (!ok) {
                fprintf(stderr, "finding %ld %s: \"%s\" lacks \"%s\"\n", row, col,
                        c->set && c->s ? c->s : "", text);
        }
        return ok;
}

int ct_test_main(const struct ct_test_case *tests, size_t n, int argc, char **argv)
{
        size_t i;
        int found = 0;

        for (i = 0; i < n; i++) {
                if (argc < 2 || !strcmp(argv[1], tests[i].name)) {
                        found = 1;
                        tests[i].fn();
                }
        }
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
