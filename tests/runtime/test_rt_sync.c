/* SPDX-License-Identifier: MIT */
/* Mutex, condvar waiter counting, timed waits, threads with roles, work units,
 * the light recording level. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "conctrace/ct.h"
#include "ct_test.h"

static struct ct_mutex mu;
static struct ct_cond cv;
static int go;      /* protected by mu */
static int counter; /* protected by mu */

static void *waiter(void *arg)
{
        CT_CHECK_EQ(ct_mutex_lock(&mu), 0);
        while (!go)
                CT_CHECK_EQ(ct_cond_wait(&cv, &mu), 0);
        counter++;
        CT_CHECK_EQ(ct_mutex_unlock(&mu), 0);
        return NULL;
}

static void *incrementer(void *arg)
{
        for (int i = 0; i < 20000; i++) {
                CT_CHECK_EQ(ct_mutex_lock(&mu), 0);
                counter++;
                CT_CHECK_EQ(ct_mutex_unlock(&mu), 0);
        }
        return (void *)(intptr_t)ct_gettid();
}

static void *holder(void *arg)
{
        CT_CHECK_EQ(ct_mutex_lock(&mu), 0);
        __atomic_store_n((int *)arg, 1, __ATOMIC_SEQ_CST);
        ct_io_sim(50000);
        CT_CHECK_EQ(ct_mutex_unlock(&mu), 0);
        return NULL;
}

static void test_cond_waiters(void)
{
        struct ct_thread t[3];
        long long deadline = ct_test_now_ns() + 10LL * 1000000000LL;

        CT_CHECK_EQ(ct_mutex_init(&mu, "mu"), 0);
        CT_CHECK_EQ(ct_cond_init(&cv, "cv"), 0);
        go = 0;
        counter = 0;
        CT_CHECK_EQ(ct_cond_waiters(&cv), 0);
        for (int i = 0; i < 3; i++)
                CT_CHECK_EQ(ct_thread_create(&t[i], "waiter", waiter, NULL), 0);
        while (ct_cond_waiters(&cv) < 3 && ct_test_now_ns() < deadline)
                ct_test_sleep_ms(1);
        CT_CHECK_EQ(ct_cond_waiters(&cv), 3);
        CT_CHECK_EQ(ct_mutex_lock(&mu), 0);
        go = 1;
        CT_CHECK_EQ(ct_cond_broadcast(&cv), 0);
        CT_CHECK_EQ(ct_mutex_unlock(&mu), 0);
        for (int i = 0; i < 3; i++)
                CT_CHECK_EQ(ct_thread_join(&t[i], NULL), 0);
        CT_CHECK_EQ(counter, 3);
        CT_CHECK_EQ(ct_cond_waiters(&cv), 0);
        CT_CHECK_EQ(ct_cond_signal(&cv), 0); /* nobody waiting: fine */

        CT_CHECK_EQ(ct_mutex_lock(&mu), 0);
        CT_CHECK_EQ(ct_cond_timedwait(&cv, &mu, 20000), -ETIMEDOUT);
        CT_CHECK_EQ(ct_cond_waiters(&cv), 0);
        CT_CHECK_EQ(ct_mutex_unlock(&mu), 0);
        CT_CHECK_EQ(ct_cond_destroy(&cv), 0);
}

static void test_mutex(void)
{
        struct ct_thread t[2];
        int held = 0;
        void *tid;

        counter = 0;
        for (int i = 0; i < 2; i++)
                CT_CHECK_EQ(ct_thread_create(&t[i], "inc", incrementer, NULL), 0);
        for (int i = 0; i < 2; i++) {
                CT_CHECK_EQ(ct_thread_join(&t[i], &tid), 0);
                CT_CHECK_EQ((intptr_t)tid, t[i].tid);
                CT_CHECK(t[i].tid != ct_gettid());
        }
        CT_CHECK_EQ(counter, 40000);

        CT_CHECK_EQ(ct_thread_create(&t[0], "holder", holder, &held), 0);
        while (!__atomic_load_n(&held, __ATOMIC_SEQ_CST))
                ct_test_sleep_ms(1);
        CT_CHECK_EQ(ct_mutex_trylock(&mu), -EBUSY);
        CT_CHECK_EQ(ct_mutex_lock(&mu), 0); /* blocks until the holder is done */
        CT_CHECK_EQ(ct_mutex_unlock(&mu), 0);
        CT_CHECK_EQ(ct_thread_join(&t[0], NULL), 0);
        CT_CHECK_EQ(ct_mutex_trylock(&mu), 0);
        CT_CHECK_EQ(ct_mutex_unlock(&mu), 0);
}

static void test_light_level(void)
{
        struct ct_thread t[2];

        CT_CHECK_EQ(ct_record_level(), CT_RECORD_FULL);
        CT_CHECK_EQ(ct_mutex_lock(&mu), 0);
        CT_CHECK_EQ(mu.traced, 1);
        CT_CHECK_EQ(ct_mutex_unlock(&mu), 0);
        ct_set_record_level(CT_RECORD_LIGHT);
        CT_CHECK_EQ(ct_mutex_lock(&mu), 0);
        CT_CHECK_EQ(mu.traced, 0); /* fast path: counted, not traced */
        CT_CHECK_EQ(ct_mutex_unlock(&mu), 0);
        counter = 0;
        for (int i = 0; i < 2; i++)
                CT_CHECK_EQ(ct_thread_create(&t[i], "inc", incrementer, NULL), 0);
        for (int i = 0; i < 2; i++)
                CT_CHECK_EQ(ct_thread_join(&t[i], NULL), 0);
        CT_CHECK_EQ(counter, 40000);
        ct_flush_summaries();
        ct_set_record_level(CT_RECORD_FULL);
}

static void test_work(void)
{
        long long t0;
        uint64_t a, b;

        a = ct_compute(10);
        b = ct_compute(10);
        CT_CHECK(a == b); /* deterministic */
        CT_CHECK(ct_compute(11) != a);
        t0 = ct_test_now_ns();
        ct_io_sim(20000);
        CT_CHECK(ct_test_now_ns() - t0 >= 20000000LL);
        CT_CHECK_EQ(ct_gil_enabled(), 0);
        CT_CHECK_EQ(ct_gil_held(), 0);
}

int main(void)
{
        ct_thread_begin("main");
        CT_CHECK(strcmp(ct_thread_role(), "main") == 0);
        ct_run_begin("unit", "sync", 1, "k=v");
        ct_phase_begin("cond");
        test_cond_waiters();
        ct_phase_end("cond");
        test_mutex();
        test_light_level();
        test_work();
        CT_CHECK_EQ(ct_mutex_destroy(&mu), 0);
        ct_run_end(0);
        ct_thread_end();
        printf("test_rt_sync: ok\n");
        return 0;
}
