/* SPDX-License-Identifier: MIT */
/*
 * Scripted events for the unit tests of the critical path and the findings
 * (test_critpath.c, test_findings.c): every consumer of ct_analyses fed event
 * by event with exact timestamps, the report built, its tables read back.
 * One test at a time: start(), events, finish(), checks on R, stop().
 */
#ifndef CT_TEST_SCRIPT_H
#define CT_TEST_SCRIPT_H

#include <stdint.h>
#include <stdio.h>

#include "ct_analyses.h"
#include "ct_report.h"
#include "ct_table.h"

extern int failures;          /* checks failed so far: main's exit status */
extern struct ct_analyses *A; /* the analyses of the running test */
extern struct ct_report R;    /* their report, after finish() */
extern uint64_t discarded;    /* discarded events finish() reports for the trace */

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

/* ---- the analyses' life ---- */
void feed(const struct ct_event *ev);
void start(void);
/* Ends trace "t" (with `discarded`) and builds R; CT_DUMP=1 prints the findings. */
void finish(void);
void stop(void);

/* ---- events ---- */
struct ct_event E(enum ct_ev_type type, uint64_t ts, int64_t pid, int64_t tid);
/* An event on object obj (a cond's lock is 0x10). */
void ev(enum ct_ev_type type, uint64_t ts, int64_t pid, int64_t tid, uint64_t obj);
void thread_ev(enum ct_ev_type type, uint64_t ts, int64_t pid, int64_t tid, const char *role);
void name_ev(uint64_t ts, int64_t pid, uint64_t obj, int kind, const char *name);
void run_ev(enum ct_ev_type type, uint64_t ts, int64_t pid, const char *variant, int64_t workers);
void work_ev(enum ct_ev_type type, uint64_t ts, int64_t pid, int64_t tid, int kind);
/* A work interval [b, e] of kind on thread tid of process 1. */
void work(uint64_t b, uint64_t e, int64_t tid, int kind);
void pipe_io(enum ct_ev_type type, uint64_t ts, int64_t pid, uint64_t pipe, int64_t ret,
             int64_t err, uint64_t offset);
void pipe_create_ev(uint64_t ts, int64_t pid, uint64_t ino, int64_t rfd, int64_t wfd);
/* A cond event of thread tid of process 1: v is both timedout and waiters. */
void cond_ev(enum ct_ev_type type, uint64_t ts, int64_t tid, uint64_t cond, int64_t v);

/* ---- reading R ---- */
/* Table key of R; aborts when there is none. */
const struct ct_table *T(const char *key);
/* Row of the finding whose id starts with prefix, or -1. */
long finding(const char *prefix);
const struct ct_cell *fcell(long row, const char *col);
int64_t f_impact(long row);
const char *f_text(long row);
const char *f_figures(long row);
/* Whether the finding's column col holds text (says what it holds when not). */
int has(long row, const char *col, const char *text);

/* ---- running ---- */
struct ct_test_case {
        const char *name;
        void (*fn)(void);
};
/* Runs the case named argv[1] (every case without one): 0, 1 if a check failed, 2 if no such case.
 */
int ct_test_main(const struct ct_test_case *tests, size_t n, int argc, char **argv);

#endif /* CT_TEST_SCRIPT_H */
