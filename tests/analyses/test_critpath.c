/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the critical path and of the findings: scripted events with
 * exact timestamps through every consumer of ct_analyses, exact figures read
 * back from the report tables "critical_path", "critical_path_items" and
 * "findings". Each finding kind has a case where it fires and one where it
 * stays quiet. Usage: test_critpath NAME
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ct_test_script.h"

/* ns on run's path of (thread label, kind, object label); -1 if no such item. */
static int64_t item(int64_t run, const char *thread, const char *kind, const char *object)
{
        const struct ct_table *t = T("critical_path_items");
        size_t i;

        for (i = 0; i < t->nrows; i++) {
                if (ct_table_cell(t, i, "run")->i == run &&
                    !strcmp(ct_table_cell(t, i, "thread")->s, thread) &&
                    !strcmp(ct_table_cell(t, i, "kind")->s, kind) &&
                    !strcmp(ct_table_cell(t, i, "object")->s, object)) {
                        return ct_table_cell(t, i, "ns")->i;
                }
        }
        return -1;
}

static void dump_items(void)
{
        const struct ct_table *t = T("critical_path_items");
        size_t i;

        for (i = 0; getenv("CT_DUMP") && i < t->nrows; i++) {
                fprintf(stderr, "run %lld %s %s %s %lld\n",
                        (long long)ct_table_cell(t, i, "run")->i, ct_table_cell(t, i, "thread")->s,
                        ct_table_cell(t, i, "kind")->s, ct_table_cell(t, i, "object")->s,
                        (long long)ct_table_cell(t, i, "ns")->i);
        }
}

static size_t nitems(int64_t run)
{
        dump_items();
        const struct ct_table *t = T("critical_path_items");
        size_t i, n = 0;

        for (i = 0; i < t->nrows; i++) {
                n += ct_table_cell(t, i, "run")->i == run;
        }
        return n;
}

static int64_t path_total(size_t run)
{
        return ct_table_cell(T("critical_path"), run, "path_total")->i;
}

static int64_t duration(size_t run)
{
        return ct_table_cell(T("critical_path"), run, "duration")->i;
}

/* ---- critical path ---- */

/* Two threads and one lock: the path follows the release into its thread. */
static void lock_scenario(uint64_t release)
{
        start();
        name_ev(1, 1, 0x10, CT_OBJ_LOCK, "L");
        thread_ev(CT_EV_THREAD_BEGIN, 40, 1, 1, "main");
        thread_ev(CT_EV_THREAD_BEGIN, 50, 1, 2, "worker");
        run_ev(CT_EV_RUN_BEGIN, 100, 1, "threads", 2);
        ev(CT_EV_LOCK_ACQUIRE, 110, 1, 2, 0x10);
        ev(CT_EV_LOCK_REQUEST, 150, 1, 1, 0x10);
        ev(CT_EV_LOCK_RELEASE, release, 1, 2, 0x10);
        ev(CT_EV_LOCK_ACQUIRE, 310, 1, 1, 0x10);
        ev(CT_EV_LOCK_RELEASE, 320, 1, 1, 0x10);
        run_ev(CT_EV_RUN_END, 400, 1, "threads", 2);
        finish();
}

static void test_critpath_lock(void)
{
        lock_scenario(300);
        CHECK_EQ(duration(0), 300);
        CHECK_EQ(path_total(0), 300);
        /* main's own running before its request is not on the path */
        CHECK_EQ(item(0, "worker (2)", "running", ""), 200);
        CHECK_EQ(item(0, "main (1)", "wakeup", "L"), 10);
        CHECK_EQ(item(0, "main (1)", "running", ""), 90);
        CHECK_EQ(nitems(0), 3);
        stop();
}

/* A release before the request is no waker: the wait is main's own. */
static void test_critpath_no_waker(void)
{
        start();
        name_ev(1, 1, 0x10, CT_OBJ_LOCK, "L");
        thread_ev(CT_EV_THREAD_BEGIN, 40, 1, 1, "main");
        run_ev(CT_EV_RUN_BEGIN, 100, 1, "serial", 1);
        work_ev(CT_EV_WORK_BEGIN, 120, 1, 1, CT_WORK_COMPUTE);
        work_ev(CT_EV_WORK_END, 170, 1, 1, CT_WORK_COMPUTE);
        work_ev(CT_EV_WORK_BEGIN, 200, 1, 1, CT_WORK_IO_SIM);
        work_ev(CT_EV_WORK_END, 260, 1, 1, CT_WORK_IO_SIM);
        cond_ev(CT_EV_COND_WAIT_BEGIN, 270, 1, 0xc0, 0);
        cond_ev(CT_EV_COND_WAIT_END, 290, 1, 0xc0, 1); /* timed out */
        run_ev(CT_EV_RUN_END, 300, 1, "serial", 1);
        finish();
        CHECK_EQ(path_total(0), 200);
        CHECK_EQ(item(0, "main (1)", "compute", ""), 50);
        CHECK_EQ(item(0, "main (1)", "io_sim", ""), 60);
        CHECK_EQ(item(0, "main (1)", "cond", "0xc0"), 20);
        CHECK_EQ(item(0, "main (1)", "running", ""), 20 + 30 + 10 + 10);
        stop();
}

/* Across processes: fork, a child's write wakes the parent's read (by byte offsets). */
static void test_critpath_pipe_fork(void)
{
        struct ct_event e;

        start();
        name_ev(1, 1, 77, CT_OBJ_PIPE, "P");
        thread_ev(CT_EV_THREAD_BEGIN, 40, 1, 1, "parent");
        run_ev(CT_EV_RUN_BEGIN, 100, 1, "processes", 1);
        e = E(CT_EV_FORK, 120, 1, 1);
        e.target = 2;
        feed(&e);
        pipe_io(CT_EV_PIPE_READ_BEGIN, 130, 1, 77, 0, 0, 0);
        thread_ev(CT_EV_THREAD_BEGIN, 150, 2, 2, "child");
        pipe_io(CT_EV_PIPE_WRITE_BEGIN, 200, 2, 77, 0, 0, 0);
        pipe_io(CT_EV_PIPE_WRITE_END, 210, 2, 77, 10, 0, 0);
        pipe_io(CT_EV_PIPE_READ_END, 220, 1, 77, 10, 0, 0);
        /* EOF: the last close of the write end wakes the parent */
        pipe_io(CT_EV_PIPE_READ_BEGIN, 225, 1, 77, 0, 0, 10);
        e = E(CT_EV_PIPE_CLOSE, 240, 2, 2);
        e.obj = 77;
        e.fd = 4;
        e.kind = CT_PIPE_END_WRITE;
        feed(&e);
        pipe_io(CT_EV_PIPE_READ_END, 245, 1, 77, 0, 0, 10);
        run_ev(CT_EV_RUN_END, 250, 1, "processes", 1);
        finish();
        CHECK_EQ(path_total(0), 150);
        CHECK_EQ(item(0, "parent (1)", "running", ""), 20 + 5);
        CHECK_EQ(item(0, "child (2)", "start", ""), 30);
        CHECK_EQ(item(0, "child (2)", "running", ""), 50 + 30);
        CHECK_EQ(item(0, "child (2)", "pipe_write", "P"), 10); /* a write is a blocking interval */
        CHECK_EQ(item(0, "parent (1)", "wakeup", "P"), 5);     /* by the close, at EOF */
        CHECK_EQ(nitems(0), 5);
        stop();
}

/* join: the target's last event wakes the joiner; runs restart the chains. */
static void test_critpath_join(void)
{
        struct ct_event e;

        start();
        thread_ev(CT_EV_THREAD_BEGIN, 10, 1, 1, "main");
        run_ev(CT_EV_RUN_BEGIN, 100, 1, "threads", 1);
        thread_ev(CT_EV_THREAD_BEGIN, 110, 1, 3, "w");
        e = E(CT_EV_JOIN_BEGIN, 120, 1, 1);
        e.target = 3;
        feed(&e);
        work_ev(CT_EV_WORK_BEGIN, 130, 1, 3, CT_WORK_COMPUTE);
        work_ev(CT_EV_WORK_END, 180, 1, 3, CT_WORK_COMPUTE);
        thread_ev(CT_EV_THREAD_END, 190, 1, 3, "w");
        e = E(CT_EV_JOIN_END, 195, 1, 1);
        e.target = 3;
        feed(&e);
        run_ev(CT_EV_RUN_END, 200, 1, "threads", 1);
        /* a second run: nothing of the first is on its path */
        run_ev(CT_EV_RUN_BEGIN, 300, 1, "threads", 2);
        run_ev(CT_EV_RUN_END, 350, 1, "threads", 2);
        finish();
        CHECK_EQ(path_total(0), 100);
        CHECK_EQ(item(0, "main (1)", "running", ""), 10 + 5);
        CHECK_EQ(item(0, "w (3)", "start", ""), 0 - 1); /* created at its first event: 0 ns */
        CHECK_EQ(item(0, "w (3)", "running", ""), 20 + 10);
        CHECK_EQ(item(0, "w (3)", "compute", ""), 50);
        CHECK_EQ(item(0, "main (1)", "wakeup", "target 3"), 5);
        CHECK_EQ(path_total(1), 50);
        CHECK_EQ(item(1, "main (1)", "running", ""), 50);
        CHECK_EQ(nitems(1), 1);
        stop();
}

/* A chain through 600 threads: past CT__CP_VEC_MAX (128) items the smaller fold into "other
 * threads", exactly. */
static void test_critpath_fold(void)
{
        uint64_t t = 0;
        int k;

        start();
        thread_ev(CT_EV_THREAD_BEGIN, 0, 1, 1, "main");
        run_ev(CT_EV_RUN_BEGIN, 1, 1, "threads", 600);
        ev(CT_EV_LOCK_ACQUIRE, 2, 1, 1, 0x10);
        for (k = 0; k < 600; k++) {
                t = 10 * (uint64_t)k + 10;
                ev(CT_EV_LOCK_REQUEST, t, 1, 100 + k, 0x10);
                ev(CT_EV_LOCK_RELEASE, t + 3, 1, k ? 99 + k : 1, 0x10);
                ev(CT_EV_LOCK_ACQUIRE, t + 5 + (uint64_t)(k % 3), 1, 100 + k, 0x10);
        }
        ev(CT_EV_LOCK_REQUEST, t + 8, 1, 1, 0x10);
        ev(CT_EV_LOCK_RELEASE, t + 9, 1, 699, 0x10);
        ev(CT_EV_LOCK_ACQUIRE, t + 10, 1, 1, 0x10);
        run_ev(CT_EV_RUN_END, t + 20, 1, "threads", 600);
        finish();
        CHECK_EQ(duration(0), t + 19);
        CHECK_EQ(path_total(0), t + 19);
        CHECK(nitems(0) <= 128);
        CHECK(item(0, "(other threads)", "wakeup", "") > 0);
        CHECK_EQ(item(0, "thread (699)", "running", ""), 2);
        CHECK_EQ(item(0, "main (1)", "wakeup", "0x10"), 1);
        CHECK_EQ(item(0, "main (1)", "running", ""), 12 + 10); /* [1, 13] hands L to 100 */
        stop();
}

/* ---- findings: each fires, and stays quiet where it should ---- */

static void test_finding_critical_lock(void)
{
        /* main waits [150, 310] for L; released at 300: 10 ns of 300 on the path (3.3 %) */
        lock_scenario(300);
        CHECK(finding("critical_lock:") < 0);
        CHECK(finding("what_if:run0:L") >= 0);
        CHECK_EQ(f_impact(finding("what_if:run0:L")), 10);
        stop();
        /* released at 150: the wake-up is [150, 310], 160 of 300 (53 %) */
        lock_scenario(150);
        CHECK(finding("critical_lock:run0:L") >= 0);
        CHECK_EQ(f_impact(finding("critical_lock:run0:L")), 160);
        CHECK(strstr(f_text(finding("critical_lock:run0:L")), "main (1)") != NULL);
        CHECK(strstr(f_text(finding("what_if:run0:L")), "at most 160 ns (53.3%") != NULL);
        /* ranked: findings open the report */
        CHECK(!strcmp(R.tables[0]->key, "findings"));
        stop();
}

static void rewait_scenario(int release_between)
{
        uint64_t t = 100;
        int i;

        start();
        name_ev(1, 1, 0xc0, CT_OBJ_COND, "q.not_empty");
        for (i = 0; i < 6; i++) {
                cond_ev(CT_EV_COND_WAIT_BEGIN, t, 2, 0xc0, 0);
                cond_ev(CT_EV_COND_BROADCAST, t + 5, 3, 0xc0, 1);
                cond_ev(CT_EV_COND_WAIT_END, t + 10, 2, 0xc0, 0);
                if (release_between) {
                        ev(CT_EV_LOCK_RELEASE, t + 12, 1, 2, 0x10);
                        ev(CT_EV_LOCK_ACQUIRE, t + 14, 1, 2, 0x10);
                }
                t += 20;
        }
        finish();
}

static void test_finding_rewaits(void)
{
        long f;

        rewait_scenario(0);
        f = finding("rewaits:q.not_empty");
        CHECK(f >= 0);
        CHECK(strstr(f_text(f), "5 of the 6 waits on q.not_empty") != NULL);
        CHECK_EQ(f_impact(f), 60 * 5 / 6); /* no run: blocked time x re-wait share */
        CHECK(strstr(f_figures(f), "rewaits=5 waits=6") != NULL);
        CHECK(has(f, "where", "the trace (it has no runs): the cond waits on q.not_empty"));
        stop();
        rewait_scenario(1);
        CHECK(finding("rewaits:") < 0);
        stop();
}

static void test_finding_lost_signal(void)
{
        start();
        name_ev(1, 1, 0xc0, CT_OBJ_COND, "ready");
        cond_ev(CT_EV_COND_SIGNAL, 100, 3, 0xc0, 0); /* nobody waits yet */
        cond_ev(CT_EV_COND_WAIT_BEGIN, 110, 2, 0xc0, 0);
        cond_ev(CT_EV_COND_WAIT_END, 1110, 2, 0xc0, 1); /* timed out */
        finish();
        CHECK(finding("lost_signal:ready") >= 0);
        CHECK_EQ(f_impact(finding("lost_signal:ready")), 1000);
        stop();
        /* a signal with no waiter whose waiter then is woken normally: quiet */
        start();
        cond_ev(CT_EV_COND_SIGNAL, 100, 3, 0xc0, 0);
        cond_ev(CT_EV_COND_WAIT_BEGIN, 110, 2, 0xc0, 0);
        cond_ev(CT_EV_COND_SIGNAL, 150, 3, 0xc0, 1);
        cond_ev(CT_EV_COND_WAIT_END, 160, 2, 0xc0, 0);
        finish();
        CHECK(finding("lost_signal:") < 0);
        stop();
}

static void test_finding_pipes(void)
{
        long f;

        start();
        name_ev(1, 20, 77, CT_OBJ_PIPE, "data");
        pipe_io(CT_EV_PIPE_WRITE_BEGIN, 100, 20, 77, 0, 0, 0);
        pipe_io(CT_EV_PIPE_WRITE_END, 2000100, 20, 77, 10, 0, 0); /* blocked 2 ms */
        pipe_io(CT_EV_PIPE_READ_BEGIN, 2000200, 30, 77, 0, 0, 0);
        pipe_io(CT_EV_PIPE_READ_END, 2000300, 30, 77, 10, 0, 0);
        pipe_io(CT_EV_PIPE_WRITE_BEGIN, 2000400, 20, 77, 0, 0, 0);
        pipe_io(CT_EV_PIPE_WRITE_END, 2000500, 20, 77, -1, EPIPE, 10);
        finish();
        f = finding("pipe_full:data");
        CHECK(f >= 0);
        CHECK_EQ(f_impact(f), 2000000 + 100);
        CHECK(strstr(f_text(f), "blocked 1 times") != NULL);
        f = finding("epipe:data");
        CHECK(f >= 0);
        CHECK_EQ(f, 0); /* errors first */
        CHECK(strstr(f_figures(f), "epipe=1 bytes_written=10 bytes_read=10") != NULL);
        stop();
        start();
        pipe_io(CT_EV_PIPE_WRITE_BEGIN, 100, 20, 77, 0, 0, 0);
        pipe_io(CT_EV_PIPE_WRITE_END, 200, 20, 77, 10, 0, 0);
        pipe_io(CT_EV_PIPE_READ_BEGIN, 300, 30, 77, 0, 0, 0);
        pipe_io(CT_EV_PIPE_READ_END, 400, 30, 77, 10, 0, 0);
        finish();
        CHECK(finding("pipe_full:") < 0);
        CHECK(finding("epipe:") < 0);
        stop();
}

/* Child 2's pipe: 20 messages read 1 us after; child 3's: 2 messages read 30 ms after. */
static void starve_scenario(uint64_t quiet_delay, int in_select)
{
        uint64_t t = 1000;
        int i;

        start();
        name_ev(1, 1, 81, CT_OBJ_PIPE, "chatty");
        name_ev(1, 1, 82, CT_OBJ_PIPE, "quiet");
        pipe_create_ev(2, 1, 81, 5, 6);
        pipe_create_ev(3, 1, 82, 7, 8);
        if (in_select) {
                struct ct_event e = E(CT_EV_SELECT_BEGIN, 10, 1, 1);
                static const int64_t ready[] = {5, 7};

                e.nfds = 8;
                e.nread = 2;
                e.timeout_us = -1;
                feed(&e);
                e = E(CT_EV_SELECT_END, 20, 1, 1);
                e.nfds = 8;
                e.nread = 2;
                e.timeout_us = -1;
                e.ret = 2;
                e.ready = ready;
                e.ready_len = 2;
                feed(&e);
        }
        for (i = 0; i < 20; i++) {
                pipe_io(CT_EV_PIPE_WRITE_BEGIN, t, 2, 81, 0, 0, 0);
                pipe_io(CT_EV_PIPE_WRITE_END, t + 10, 2, 81, 8, 0, (uint64_t)i * 8);
                pipe_io(CT_EV_PIPE_READ_BEGIN, t + 500, 1, 81, 0, 0, 0);
                pipe_io(CT_EV_PIPE_READ_END, t + 1010, 1, 81, 8, 0, (uint64_t)i * 8);
                t += 2000;
        }
        for (i = 0; i < 2; i++) {
                pipe_io(CT_EV_PIPE_WRITE_BEGIN, t, 3, 82, 0, 0, 0);
                pipe_io(CT_EV_PIPE_WRITE_END, t + 10, 3, 82, 8, 0, (uint64_t)i * 8);
                pipe_io(CT_EV_PIPE_READ_BEGIN, t + quiet_delay, 1, 82, 0, 0, 0);
                pipe_io(CT_EV_PIPE_READ_END, t + 10 + quiet_delay, 1, 82, 8, 0, (uint64_t)i * 8);
                t += quiet_delay + 100;
        }
        finish();
}

static void test_finding_starved_reader(void)
{
        long f;

        starve_scenario(30000000, 1);
        f = finding("starved_reader:quiet");
        CHECK(f >= 0);
        CHECK_EQ(f_impact(f), 30000000);
        CHECK(strstr(f_figures(f), "chatty_writes=20 quiet_writes=2 chatty_latency_mean=1000 "
                                   "quiet_latency_mean=30000000") != NULL);
        stop();
        starve_scenario(1000, 1);
        CHECK(finding("starved_reader:") < 0);
        stop();
        starve_scenario(30000000, 0); /* not read in one select loop (e.g. a pool's pipes) */
        CHECK(finding("starved_reader:") < 0);
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

static void pool_scenario(uint64_t second)
{
        start();
        name_ev(0, 50, 0x50, CT_OBJ_POOL, "tpool");
        pool_ev(CT_EV_POOL_CREATE, 0, 50, 0, 0);
        pool_ev(CT_EV_POOL_SUBMIT, 10, 50, 1, 0);
        pool_ev(CT_EV_POOL_SUBMIT, 11, 50, 2, 0);
        pool_ev(CT_EV_POOL_TASK_BEGIN, 20, 51, 1, 0);
        pool_ev(CT_EV_POOL_TASK_BEGIN, 20, 52, 2, 1);
        pool_ev(CT_EV_POOL_TASK_END, 220, 51, 1, 0);
        pool_ev(CT_EV_POOL_TASK_END, 20 + second, 52, 2, 1);
        pool_ev(CT_EV_POOL_DESTROY, 400, 50, 0, 0);
        finish();
}

static void test_finding_pool_imbalance(void)
{
        pool_scenario(50); /* busy 200 and 50: max / mean = 1.6 */
        CHECK(finding("pool_imbalance:tpool") >= 0);
        CHECK(strstr(f_figures(finding("pool_imbalance:tpool")), "imbalance=1.600") != NULL);
        stop();
        pool_scenario(180); /* 200 and 180: 1.05 */
        CHECK(finding("pool_imbalance:") < 0);
        stop();
}

static void gil_scenario(uint64_t wait)
{
        start();
        name_ev(1, 1, 0x60, CT_OBJ_LOCK, "GIL");
        thread_ev(CT_EV_THREAD_BEGIN, 0, 1, 1, "t1");
        thread_ev(CT_EV_THREAD_BEGIN, 0, 1, 2, "t2");
        ev(CT_EV_LOCK_ACQUIRE, 10, 1, 1, 0x60);
        ev(CT_EV_LOCK_REQUEST, 20, 1, 2, 0x60);
        ev(CT_EV_LOCK_RELEASE, 20 + wait, 1, 1, 0x60);
        ev(CT_EV_LOCK_ACQUIRE, 20 + wait, 1, 2, 0x60);
        ev(CT_EV_LOCK_RELEASE, 1990, 1, 2, 0x60);
        thread_ev(CT_EV_THREAD_END, 2000, 1, 1, "t1");
        thread_ev(CT_EV_THREAD_END, 2000, 1, 2, "t2");
        finish();
}

static void test_finding_gil(void)
{
        gil_scenario(1000); /* 1000 of 4000 lifetime */
        CHECK(finding("gil:GIL") >= 0);
        CHECK_EQ(f_impact(finding("gil:GIL")), 1000);
        stop();
        gil_scenario(100); /* 2.5 % */
        CHECK(finding("gil:") < 0);
        stop();
}

static void speedup_scenario(uint64_t t4)
{
        start();
        run_ev(CT_EV_RUN_BEGIN, 0, 1, "serial", 1);
        run_ev(CT_EV_RUN_END, 1000000, 1, "serial", 1);
        run_ev(CT_EV_RUN_BEGIN, 2000000, 1, "threads", 2);
        run_ev(CT_EV_RUN_END, 2900000, 1, "threads", 2);
        run_ev(CT_EV_RUN_BEGIN, 3000000, 1, "threads", 4);
        run_ev(CT_EV_RUN_END, 3000000 + t4, 1, "threads", 4);
        finish();
}

static void test_finding_low_speedup(void)
{
        long f;

        speedup_scenario(950000); /* S = 1.053, e(KF) 0.800 at 2 -> 0.933 at 4 */
        f = finding("low_speedup:run2:scn/threads/4");
        CHECK(f >= 0);
        CHECK(strstr(f_text(f), "rises with the workers (0.800 at 2, 0.933 at 4)") != NULL);
        CHECK(finding("low_speedup:run1:scn/threads/2") < 0); /* efficiency 0.556 */
        stop();
        speedup_scenario(300000); /* efficiency 0.83 */
        CHECK(finding("low_speedup:") < 0);
        stop();
}

static void test_finding_probe_effect(void)
{
        int i;

        start();
        run_ev(CT_EV_RUN_BEGIN, 0, 1, "serial", 1);
        for (i = 0; i < 8; i++) {
                ev(CT_EV_LOCK_ACQUIRE, 100 + (uint64_t)i, 1, 1, 0x10);
        }
        run_ev(CT_EV_RUN_END, 10000, 1, "serial", 1); /* 10 events x 300 ns / 10 us */
        run_ev(CT_EV_RUN_BEGIN, 20000, 1, "serial", 1);
        run_ev(CT_EV_RUN_END, 1020000, 1, "serial", 1); /* 2 events in 1 ms */
        finish();
        CHECK(finding("probe_effect:run0") >= 0);
        CHECK_EQ(f_impact(finding("probe_effect:run0")), 3000);
        CHECK(finding("probe_effect:run1") < 0);
        stop();
}

static void test_finding_discarded(void)
{
        start();
        run_ev(CT_EV_RUN_BEGIN, 0, 1, "serial", 1);
        run_ev(CT_EV_RUN_END, 1000, 1, "serial", 1);
        finish();
        CHECK(finding("discarded") < 0);
        stop();
        start();
        discarded = 7;
        run_ev(CT_EV_RUN_BEGIN, 0, 1, "serial", 1);
        run_ev(CT_EV_RUN_END, 1000, 1, "serial", 1);
        finish();
        CHECK(finding("discarded") >= 0);
        CHECK(strstr(f_figures(finding("discarded")), "discarded=7") != NULL);
        stop();
}

/* The text report opens with the findings; empty tables take one line. */
static void test_report_text(void)
{
        char *buf = NULL;
        size_t len = 0;
        FILE *f;

        lock_scenario(150);
        R.text_width = 80;
        f = open_memstream(&buf, &len);
        CHECK(f != NULL);
        CHECK_EQ(ct_report_text_stream(&R, f), 0);
        fclose(f);
        if (getenv("CT_DUMP")) {
                fputs(buf, stderr);
        }
        CHECK(!strncmp(buf, "Findings: what held the runs back\n  1. ", 39));
        CHECK(strstr(buf, "  2. Lock L holds back run 0: waiting for it (main (1)) is 160 ns") !=
              NULL);
        CHECK(strstr(buf, "Pipes (most time in read/write first): none\n") != NULL);
        CHECK(strstr(buf, "+0 ns") != NULL); /* run begin relative to the trace start */
        {
                const char *p = buf, *nl;

                while ((nl = strchr(p, '\n'))) {
                        CHECK((size_t)(nl - p) <= 80);
                        p = nl + 1;
                }
        }
        free(buf);
        stop();
}

static const struct ct_test_case tests[] = {
    {"critpath_lock", test_critpath_lock},
    {"critpath_no_waker", test_critpath_no_waker},
    {"critpath_pipe_fork", test_critpath_pipe_fork},
    {"critpath_join", test_critpath_join},
    {"critpath_fold", test_critpath_fold},
    {"finding_critical_lock", test_finding_critical_lock},
    {"finding_rewaits", test_finding_rewaits},
    {"finding_lost_signal", test_finding_lost_signal},
    {"finding_pipes", test_finding_pipes},
    {"finding_starved_reader", test_finding_starved_reader},
    {"finding_pool_imbalance", test_finding_pool_imbalance},
    {"finding_gil", test_finding_gil},
    {"finding_low_speedup", test_finding_low_speedup},
    {"finding_probe_effect", test_finding_probe_effect},
    {"finding_discarded", test_finding_discarded},
    {"report_text", test_report_text},
};

int main(int argc, char **argv)
{
        return ct_test_main(tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
