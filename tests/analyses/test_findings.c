/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the findings on a run's threads and of findings per run
 * (ct_findings_runs.c, ct_findings.c): scripted events with exact timestamps
 * through every consumer of ct_analyses, exact figures read back from the
 * "findings" table. Each kind has a case where it fires and one where it
 * stays quiet. Usage: test_findings NAME
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ct_test_script.h"

/* ---- per run ---- */

/*
 * One process, two runs: q.not_empty's re-waits happen in run 1, the EPIPE on
 * pipe "data" in run 0, and a cond used between the runs belongs to neither.
 */
static void test_finding_per_run(void)
{
        uint64_t t = 2100;
        long f;
        int i;

        start();
        name_ev(1, 1, 0xc0, CT_OBJ_COND, "q.not_empty");
        name_ev(1, 1, 0xc1, CT_OBJ_COND, "between");
        name_ev(1, 1, 77, CT_OBJ_PIPE, "data");
        run_ev(CT_EV_RUN_BEGIN, 100, 1, "serial", 1);
        pipe_io(CT_EV_PIPE_WRITE_BEGIN, 200, 1, 77, 0, 0, 0);
        pipe_io(CT_EV_PIPE_WRITE_END, 300, 1, 77, -1, EPIPE, 0);
        run_ev(CT_EV_RUN_END, 1000, 1, "serial", 1);
        for (i = 0; i < 6; i++) { /* between the runs: no run */
                ev(CT_EV_COND_WAIT_BEGIN, 1100 + (uint64_t)i * 10, 1, 2, 0xc1);
                ev(CT_EV_COND_WAIT_END, 1105 + (uint64_t)i * 10, 1, 2, 0xc1);
        }
        run_ev(CT_EV_RUN_BEGIN, 2000, 1, "threads", 2);
        for (i = 0; i < 6; i++) {
                ev(CT_EV_COND_WAIT_BEGIN, t, 1, 2, 0xc0);
                ev(CT_EV_COND_BROADCAST, t + 5, 1, 3, 0xc0);
                ev(CT_EV_COND_WAIT_END, t + 10, 1, 2, 0xc0);
                t += 20;
        }
        run_ev(CT_EV_RUN_END, 3000, 1, "threads", 2);
        finish();
        f = finding("rewaits:run1:q.not_empty");
        CHECK(f >= 0);
        CHECK_EQ(fcell(f, "run")->i, 1);
        CHECK_EQ(fcell(f, "pid")->i, 1);
        CHECK_EQ(fcell(f, "trace")->i, 0);
        CHECK(has(f, "where", "run 1 (scn threads, 2 workers"));
        f = finding("epipe:run0:data");
        CHECK(f >= 0);
        CHECK_EQ(fcell(f, "run")->i, 0);
        f = finding("rewaits:between");
        CHECK(f >= 0);
        CHECK(!fcell(f, "run")->set);
        CHECK(!fcell(f, "pid")->set);
        CHECK(has(f, "where", "outside the runs: the cond waits on between"));
        stop();
}

/* ---- overlap ---- */

/* serial run [0, 1 ms] by main; threads run [2, 3 ms] with 2 threads, io_sim io each. */
static void overlap_scenario(uint64_t io, int serial)
{
        start();
        thread_ev(CT_EV_THREAD_BEGIN, 0, 1, 1, "main");
        if (serial) {
                run_ev(CT_EV_RUN_BEGIN, 0, 1, "serial", 1);
                work(100, 900000, 1, CT_WORK_IO_SIM);
                run_ev(CT_EV_RUN_END, 1000000, 1, "serial", 1);
        }
        run_ev(CT_EV_RUN_BEGIN, 2000000, 1, "threads", 2);
        thread_ev(CT_EV_THREAD_BEGIN, 2000010, 1, 2, "c-1");
        thread_ev(CT_EV_THREAD_BEGIN, 2000010, 1, 3, "c-2");
        work(2000100, 2000100 + io, 2, CT_WORK_IO_SIM);
        work(2000100, 2000100 + io, 3, CT_WORK_IO_SIM);
        work(2000100 + io, 2000200 + io, 3, CT_WORK_COMPUTE);
        thread_ev(CT_EV_THREAD_END, 2999000, 1, 2, "c-1");
        thread_ev(CT_EV_THREAD_END, 2999000, 1, 3, "c-2");
        run_ev(CT_EV_RUN_END, 3000000, 1, "threads", 2);
        thread_ev(CT_EV_THREAD_END, 3000100, 1, 1, "main");
        finish();
}

static void test_finding_overlap(void)
{
        long f;

        overlap_scenario(800000, 1); /* 1.6 ms of io_sim + 100 ns compute in 1 ms */
        f = finding("overlap:run1");
        CHECK(f >= 0);
        CHECK_EQ(f_impact(f), 1600100 - 1000000);
        CHECK(has(f, "figures", "io_sim=1600000 compute=100 duration=1000000 threads=2"));
        CHECK(has(f, "text", "speedup 1.00x over serial/1"));
        CHECK(finding("overlap:run0") < 0); /* workers = 1 */
        stop();
        overlap_scenario(700000, 1); /* 1.4 ms < 1.5 x 1 ms */
        CHECK(finding("overlap:") < 0);
        stop();
        overlap_scenario(800000, 0); /* no baseline: no speedup to show for it */
        CHECK(finding("overlap:") < 0);
        stop();
        /* compute in parallel needs no baseline: 2 x 800 us of compute in 1 ms */
        start();
        run_ev(CT_EV_RUN_BEGIN, 0, 1, "threads", 2);
        thread_ev(CT_EV_THREAD_BEGIN, 10, 1, 2, "w-1");
        thread_ev(CT_EV_THREAD_BEGIN, 10, 1, 3, "w-2");
        work(100, 800100, 2, CT_WORK_COMPUTE);
        work(100, 800100, 3, CT_WORK_COMPUTE);
        thread_ev(CT_EV_THREAD_END, 900000, 1, 2, "w-1");
        thread_ev(CT_EV_THREAD_END, 900000, 1, 3, "w-2");
        run_ev(CT_EV_RUN_END, 1000000, 1, "threads", 2);
        finish();
        f = finding("overlap:run0");
        CHECK(f >= 0);
        CHECK(has(f, "text",
                  "1.60 ms of compute in a 1.00 ms run, on average 0.00 threads "
                  "waiting on I/O and 1.60 computing at once."));
        stop();
}

/* ---- select loop ---- */

/* Thread 1 selects over the read ends of pipes a and b, blocked `blocked` of its 10 us life. */
static void select_scenario(uint64_t blocked, int npipes)
{
        static const int64_t ready[] = {5, 7};
        struct ct_event e;

        start();
        name_ev(1, 1, 81, CT_OBJ_PIPE, "a");
        name_ev(1, 1, 82, CT_OBJ_PIPE, "b");
        run_ev(CT_EV_RUN_BEGIN, 0, 1, "greedy", 2);
        thread_ev(CT_EV_THREAD_BEGIN, 0, 1, 1, "parent");
        pipe_create_ev(2, 1, 81, 5, 6);
        pipe_create_ev(3, 1, 82, 7, 8);
        e = E(CT_EV_SELECT_BEGIN, 1000, 1, 1);
        e.nfds = 8;
        e.nread = npipes;
        e.timeout_us = -1;
        feed(&e);
        pipe_io(CT_EV_PIPE_WRITE_BEGIN, 1000 + blocked - 200, 2, 81, 0, 0, 0);
        pipe_io(CT_EV_PIPE_WRITE_END, 1000 + blocked - 100, 2, 81, 8, 0, 0);
        e = E(CT_EV_SELECT_END, 1000 + blocked, 1, 1);
        e.nfds = 8;
        e.nread = npipes;
        e.timeout_us = -1;
        e.ret = npipes;
        e.ready = ready;
        e.ready_len = (size_t)npipes;
        feed(&e);
        pipe_io(CT_EV_PIPE_READ_BEGIN, 1100 + blocked, 1, 81, 0, 0, 0);
        pipe_io(CT_EV_PIPE_READ_END, 1200 + blocked, 1, 81, 8, 0, 0);
        thread_ev(CT_EV_THREAD_END, 10000, 1, 1, "parent");
        run_ev(CT_EV_RUN_END, 10000, 1, "greedy", 2);
        finish();
}

static void test_finding_select_loop(void)
{
        long f;

        select_scenario(6000, 2); /* 60 % of its 10 us in select */
        f = finding("select_loop:run0:parent (1)");
        CHECK(f >= 0);
        /* on the path: the wake-up by a's write [6900, 7000] and the select before the
         * writer's first event [1000, 6800] */
        CHECK_EQ(f_impact(f), 5900);
        CHECK(has(f, "text",
                  "waits on 2 pipes in one select() loop: blocked 6.00 us in select "
                  "(60.0% of its lifetime) against 100 ns in reads"));
        CHECK(has(f, "text", "per pipe: a: 1 writes, 300 ns."));
        CHECK(has(f, "figures", "select_blocked=6000 lifetime=10000 pipe_read=100 pipes=2"));
        stop();
        select_scenario(4000, 2); /* 40 % */
        CHECK(finding("select_loop:") < 0);
        stop();
        select_scenario(6000, 1); /* one pipe: no loop over several */
        CHECK(finding("select_loop:") < 0);
        stop();
}

/* ---- shared lock, idle waiters ---- */

/* Threads 2 and 3 take lock L in turn (thread 3 only when two_threads) during a run. */
static void shared_scenario(int two_threads, uint64_t wait)
{
        start();
        name_ev(1, 1, 0x10, CT_OBJ_LOCK, "L");
        run_ev(CT_EV_RUN_BEGIN, 0, 1, "lock", 2);
        ev(CT_EV_LOCK_ACQUIRE, 100, 1, 2, 0x10);
        ev(CT_EV_LOCK_RELEASE, 200, 1, 2, 0x10);
        ev(CT_EV_LOCK_REQUEST, 300 - wait, 1, two_threads ? 3 : 2, 0x10);
        ev(CT_EV_LOCK_ACQUIRE, 300, 1, two_threads ? 3 : 2, 0x10);
        ev(CT_EV_LOCK_RELEASE, 350, 1, two_threads ? 3 : 2, 0x10);
        ev(CT_EV_LOCK_ACQUIRE, 400, 1, 2, 0x10);
        ev(CT_EV_LOCK_RELEASE, 420, 1, 2, 0x10);
        run_ev(CT_EV_RUN_END, 1000, 1, "lock", 2);
        finish();
}

static void test_finding_shared_lock(void)
{
        long f;

        shared_scenario(1, 0);
        f = finding("shared_lock:run0:L");
        CHECK(f >= 0);
        CHECK_EQ(f_impact(f), 0);
        CHECK(has(f, "text",
                  "3 acquisitions, 2 hand-offs between threads, held 170 ns in all "
                  "(17.00% of the run's 1.00 us); no acquisition found it taken"));
        stop();
        start(); /* contended: the wait is its impact */
        name_ev(1, 1, 0x10, CT_OBJ_LOCK, "L");
        run_ev(CT_EV_RUN_BEGIN, 0, 1, "lock", 2);
        ev(CT_EV_LOCK_ACQUIRE, 100, 1, 2, 0x10);
        ev(CT_EV_LOCK_REQUEST, 150, 1, 3, 0x10);
        ev(CT_EV_LOCK_RELEASE, 200, 1, 2, 0x10);
        {
                struct ct_event e = E(CT_EV_LOCK_ACQUIRE, 210, 1, 3);

                e.obj = 0x10;
                e.contended = 1;
                feed(&e);
        }
        ev(CT_EV_LOCK_RELEASE, 300, 1, 3, 0x10);
        run_ev(CT_EV_RUN_END, 1000, 1, "lock", 2);
        finish();
        f = finding("shared_lock:run0:L");
        CHECK(f >= 0);
        CHECK_EQ(f_impact(f), 60);
        CHECK(has(f, "text", "1 acquisitions (50.0%) found it taken and waited 60 ns"));
        stop();
        shared_scenario(0, 0); /* one thread: no hand-off, nothing shared */
        CHECK(finding("shared_lock:") < 0);
        stop();
}

/* Threads 2 and 3 (lifetimes 1000) wait on cond q for `wait` each; thread 4 signals. */
static void idle_scenario(uint64_t wait, int nwaiters)
{
        int64_t tid;

        start();
        name_ev(1, 1, 0xc0, CT_OBJ_COND, "q");
        run_ev(CT_EV_RUN_BEGIN, 0, 1, "notify", 2);
        thread_ev(CT_EV_THREAD_BEGIN, 10, 1, 4, "producer");
        work(20, 900, 4, CT_WORK_IO_SIM);
        for (tid = 2; tid < 2 + nwaiters; tid++) {
                thread_ev(CT_EV_THREAD_BEGIN, 10, 1, tid, "consumer");
                ev(CT_EV_COND_WAIT_BEGIN, 20, 1, tid, 0xc0);
                ev(CT_EV_COND_SIGNAL, 20 + wait, 1, 4, 0xc0);
                ev(CT_EV_COND_WAIT_END, 20 + wait, 1, tid, 0xc0);
                thread_ev(CT_EV_THREAD_END, 1010, 1, tid, "consumer");
        }
        thread_ev(CT_EV_THREAD_END, 1010, 1, 4, "producer");
        run_ev(CT_EV_RUN_END, 1100, 1, "notify", 2);
        finish();
}

static void test_finding_idle_waiters(void)
{
        long f;

        idle_scenario(600, 2);
        f = finding("idle_waiters:run0");
        CHECK(f >= 0);
        CHECK_EQ(f_impact(f), 0); /* the waits on q are not on the path: the producer's io is */
        CHECK(has(f, "text",
                  "2 threads (consumer (2), consumer (3)) spent 60% of their "
                  "lifetimes (1.20 us) blocked waiting for other threads, most on "
                  "cond q (1.20 us)"));
        CHECK(has(f, "figures", "threads=2 wait=1200 lifetimes=2000"));
        stop();
        idle_scenario(400, 2); /* 40 % */
        CHECK(finding("idle_waiters:") < 0);
        stop();
        idle_scenario(600, 1); /* one thread waiting is not a pattern */
        CHECK(finding("idle_waiters:") < 0);
        stop();
}

/* ---- pool underused ---- */

static void pool_ev(enum ct_ev_type type, uint64_t ts, int64_t tid, uint64_t task, int64_t worker)
{
        struct ct_event e = E(type, ts, 1, tid);

        e.obj = 0x50;
        e.task = task;
        e.worker = worker;
        e.workers = 2;
        e.kind = CT_POOL_THREAD;
        feed(&e);
}

/* Two workers each run one task of `busy` ns in the pool's 400 ns span. */
static void pool_scenario(uint64_t busy)
{
        start();
        name_ev(0, 1, 0x50, CT_OBJ_POOL, "tpool");
        run_ev(CT_EV_RUN_BEGIN, 0, 1, "threads", 2);
        pool_ev(CT_EV_POOL_CREATE, 0, 1, 0, 0);
        pool_ev(CT_EV_POOL_SUBMIT, 10, 1, 1, 0);
        pool_ev(CT_EV_POOL_SUBMIT, 11, 1, 2, 0);
        pool_ev(CT_EV_POOL_TASK_BEGIN, 20, 2, 1, 0);
        pool_ev(CT_EV_POOL_TASK_BEGIN, 20, 3, 2, 1);
        pool_ev(CT_EV_POOL_TASK_END, 20 + busy, 2, 1, 0);
        pool_ev(CT_EV_POOL_TASK_END, 20 + busy, 3, 2, 1);
        pool_ev(CT_EV_POOL_DESTROY, 400, 1, 0, 0);
        run_ev(CT_EV_RUN_END, 500, 1, "threads", 2);
        finish();
}

static void test_finding_pool_underused(void)
{
        long f;

        pool_scenario(100); /* 200 of 2 x 400: 25 % */
        f = finding("pool_underused:run0:tpool");
        CHECK(f >= 0);
        CHECK_EQ(f_impact(f), 300);
        CHECK(has(f, "text",
                  "kept its 2 workers busy 25.0% of its span: 0.50 of its tasks ran at "
                  "a time"));
        CHECK(has(f, "figures", "utilisation=0.2500 workers=2 tasks=2"));
        stop();
        pool_scenario(300); /* 75 % */
        CHECK(finding("pool_underused:") < 0);
        stop();
}

/* The GIL's condvar: CPython and the GIL model wait on it with a timeout (the
 * switch interval), so its unanswered signals and timeouts are no lost signal. */
static void test_finding_gil_cond_quiet(void)
{
        start();
        name_ev(1, 1, 0xc0, CT_OBJ_COND, "GIL.cond");
        ev(CT_EV_COND_SIGNAL, 100, 1, 3, 0xc0);
        ev(CT_EV_COND_WAIT_BEGIN, 110, 1, 2, 0xc0);
        {
                struct ct_event e = E(CT_EV_COND_WAIT_END, 5110, 1, 2);

                e.obj = 0xc0;
                e.lock = 0x10;
                e.timedout = 1;
                feed(&e);
        }
        finish();
        CHECK(finding("lost_signal:") < 0);
        stop();
}

/* The GIL held most of its span with half its acquisitions contended, but short waits (the GIL
 * model's waits landing on other locks): gil; the same GIL uncontended: quiet. */
static void gil_held_scenario(int contended)
{
        struct ct_event e;

        start();
        name_ev(1, 1, 0x60, CT_OBJ_LOCK, "GIL");
        run_ev(CT_EV_RUN_BEGIN, 0, 1, "threads", 2);
        thread_ev(CT_EV_THREAD_BEGIN, 0, 1, 2, "w-1");
        thread_ev(CT_EV_THREAD_BEGIN, 0, 1, 3, "w-2");
        ev(CT_EV_LOCK_ACQUIRE, 100, 1, 2, 0x60);
        ev(CT_EV_LOCK_REQUEST, 5000, 1, 3, 0x60);
        ev(CT_EV_LOCK_RELEASE, 5050, 1, 2, 0x60);
        e = E(CT_EV_LOCK_ACQUIRE, 5060, 1, 3);
        e.obj = 0x60;
        e.contended = contended;
        feed(&e);
        ev(CT_EV_LOCK_RELEASE, 9900, 1, 3, 0x60);
        thread_ev(CT_EV_THREAD_END, 10000, 1, 2, "w-1");
        thread_ev(CT_EV_THREAD_END, 10000, 1, 3, "w-2");
        run_ev(CT_EV_RUN_END, 10000, 1, "threads", 2);
        finish();
}

static void test_finding_gil_held(void)
{
        long f;

        gil_held_scenario(1); /* waits 60 of 29999 (w-1, w-2, main); held 9790 of 9800 */
        f = finding("gil:run0:GIL");
        CHECK(f >= 0);
        CHECK(has(f, "text", "held 99.9% of its span, 1 of its 2 acquisitions found it taken"));
        CHECK(has(f, "figures",
                  "wait_total=60 lifetimes=29999 contended=1 handoffs=1 "
                  "hold_total=9790 span=9800"));
        stop();
        gil_held_scenario(0);
        CHECK(finding("gil:") < 0);
        stop();
}

/* Threads 2 and 3 take lock L in turn n times each, running in between (no sleep, no cond);
 * main (1) does nothing but mark the run: it waits for no lock, so it is not polling. */
static void poll_scenario(int n)
{
        uint64_t t = 100;
        int i;

        start();
        name_ev(1, 1, 0x10, CT_OBJ_LOCK, "L");
        run_ev(CT_EV_RUN_BEGIN, 0, 1, "busy_wait", 2);
        thread_ev(CT_EV_THREAD_BEGIN, 10, 1, 2, "c-1");
        thread_ev(CT_EV_THREAD_BEGIN, 10, 1, 3, "c-2");
        for (i = 0; i < 2 * n; i++) {
                ev(CT_EV_LOCK_REQUEST, t - 1, 1, 2 + (i & 1), 0x10); /* waits 1 ns */
                ev(CT_EV_LOCK_ACQUIRE, t, 1, 2 + (i & 1), 0x10);
                ev(CT_EV_LOCK_RELEASE, t + 2, 1, 2 + (i & 1), 0x10);
                t += 10;
        }
        thread_ev(CT_EV_THREAD_END, t, 1, 2, "c-1");
        thread_ev(CT_EV_THREAD_END, t, 1, 3, "c-2");
        run_ev(CT_EV_RUN_END, t + 10, 1, "busy_wait", 2);
        finish();
}

static void test_finding_polling(void)
{
        long f;

        poll_scenario(500); /* 1000 acquisitions; both threads run all their lives */
        f = finding("polling:run0:L");
        CHECK(f >= 0);
        CHECK_EQ(f_impact(f), 2 * (10100 - 10 - 500)); /* lifetimes - 500 x 1 ns lock waits */
        CHECK(has(f, "text", "2 threads (c-1 (2), c-2 (3)) spent 95% of their lifetimes"));
        CHECK(has(f, "figures", "threads=2 other=19180 lifetimes=20180 acquisitions=1000"));
        stop();
        poll_scenario(499); /* 998 acquisitions */
        CHECK(finding("polling:") < 0);
        stop();
}

static const struct ct_test_case tests[] = {
    {"finding_polling", test_finding_polling},
    {"finding_gil_held", test_finding_gil_held},
    {"finding_per_run", test_finding_per_run},
    {"finding_overlap", test_finding_overlap},
    {"finding_select_loop", test_finding_select_loop},
    {"finding_shared_lock", test_finding_shared_lock},
    {"finding_idle_waiters", test_finding_idle_waiters},
    {"finding_pool_underused", test_finding_pool_underused},
    {"finding_gil_cond_quiet", test_finding_gil_cond_quiet},
};

int main(int argc, char **argv)
{
        return ct_test_main(tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
