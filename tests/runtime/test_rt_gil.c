/* SPDX-License-Identifier: MIT */
/*
 * The GIL model: compute units of two threads never overlap, each thread gets
 * the GIL back within about one switch interval of asking, and blocking calls
 * (mutex, cond, queue, io_sim, join) release it without deadlock.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>

#include "conctrace/ct.h"
#include "ct_test.h"

#define INTERVAL_US 5000
#define ROUNDS      20

static int inside;     /* atomic: threads inside a compute unit */
static int max_inside; /* atomic */
static long long units;

static void unit_hook(void *arg)
{
        int v = __atomic_add_fetch(&inside, 1, __ATOMIC_SEQ_CST);
        int m = __atomic_load_n(&max_inside, __ATOMIC_SEQ_CST);

        while (v > m && !__atomic_compare_exchange_n(&max_inside, &m, v, 0, __ATOMIC_SEQ_CST,
                                                     __ATOMIC_SEQ_CST))
                ;
        for (volatile int i = 0; i < 200; i++)
                ;
        __atomic_add_fetch(&units, 1, __ATOMIC_RELAXED);
        __atomic_sub_fetch(&inside, 1, __ATOMIC_SEQ_CST);
}

struct lat {
        long long ns[ROUNDS];
};

/* Computes ~3 intervals, steps out of the GIL (like a blocking call), then
 * measures how long taking it back waits for the computing competitor. */
static void *competitor(void *arg)
{
        struct lat *l = arg;

        CT_CHECK(ct_gil_held());
        for (int r = 0; r < ROUNDS; r++) {
                struct timespec ts = {0, 100000};
                long long t0;
                int token;

                ct_compute(3 * INTERVAL_US / 2); /* >= 3 intervals of ~3 us units */
                token = ct_gil_release();
                CT_CHECK_EQ(token, 1);
                nanosleep(&ts, NULL); /* the other thread takes the GIL meanwhile */
                t0 = ct_test_now_ns();
                ct_gil_restore(token); /* asks: waits about one interval */
                l->ns[r] = ct_test_now_ns() - t0;
                CT_CHECK(ct_gil_held());
        }
        return NULL;
}

static int cmp_ll(const void *a, const void *b)
{
        long long x = *(const long long *)a, y = *(const long long *)b;

        return (x > y) - (x < y);
}

static void test_exclusive_and_latency(void)
{
        struct ct_thread t[2];
        struct lat l[2];
        long long all[2 * ROUNDS], p95;

        ct_work_set_unit_hook(unit_hook, NULL);
        for (int i = 0; i < 2; i++)
                CT_CHECK_EQ(ct_thread_create(&t[i], "compute", competitor, &l[i]), 0);
        for (int i = 0; i < 2; i++)
                CT_CHECK_EQ(ct_thread_join(&t[i], NULL), 0);
        ct_work_set_unit_hook(NULL, NULL);
        CT_CHECK(units >= 2LL * ROUNDS * (3 * INTERVAL_US / 2));
        CT_CHECK_EQ(__atomic_load_n(&max_inside, __ATOMIC_SEQ_CST), 1);
        for (int i = 0; i < 2; i++)
                for (int r = 0; r < ROUNDS; r++)
                        all[i * ROUNDS + r] = l[i].ns[r];
        qsort(all, 2 * ROUNDS, sizeof(all[0]), cmp_ll);
        p95 = all[(2 * ROUNDS * 95) / 100];
        printf("GIL re-take latency: p50 %lld us, p95 %lld us, max %lld us (interval %d us)\n",
               all[ROUNDS] / 1000, p95 / 1000, all[2 * ROUNDS - 1] / 1000, INTERVAL_US);
        /* Generous: a noisy 2-core machine, maybe under a sanitizer. */
        CT_CHECK(p95 < 4LL * INTERVAL_US * 1000);
}

static struct ct_mutex mu;
static struct ct_queue q;

static void *locker(void *arg)
{
        for (int i = 0; i < 200; i++) {
                CT_CHECK_EQ(ct_mutex_lock(&mu), 0);
                ct_compute(2);
                if (i % 50 == 0)
                        ct_io_sim(200); /* blocks holding the mutex, without the GIL */
                CT_CHECK_EQ(ct_mutex_unlock(&mu), 0);
        }
        return NULL;
}

static void *producer(void *arg)
{
        for (intptr_t i = 1; i <= 500; i++) {
                ct_compute(1);
                CT_CHECK_EQ(ct_queue_put(&q, (void *)i), 0);
        }
        return NULL;
}

static void test_blocking_releases(void)
{
        struct ct_thread t[3];
        long long sum = 0;

        CT_CHECK_EQ(ct_mutex_init(&mu, "mu"), 0);
        CT_CHECK_EQ(ct_queue_init(&q, 2, "q"), 0);
        for (int i = 0; i < 2; i++)
                CT_CHECK_EQ(ct_thread_create(&t[i], "locker", locker, NULL), 0);
        CT_CHECK_EQ(ct_thread_create(&t[2], "producer", producer, NULL), 0);
        for (int i = 0; i < 500; i++) {
                void *item;

                CT_CHECK_EQ(ct_queue_get(&q, &item), 0);
                sum += (intptr_t)item;
                CT_CHECK(ct_gil_held());
        }
        CT_CHECK_EQ(sum, 500 * 501 / 2);
        for (int i = 0; i < 3; i++)
                CT_CHECK_EQ(ct_thread_join(&t[i], NULL), 0);
        CT_CHECK(ct_gil_held());
        ct_queue_destroy(&q);
        CT_CHECK_EQ(ct_mutex_destroy(&mu), 0);
}

int main(void)
{
        ct_thread_begin("main");
        CT_CHECK_EQ(ct_gil_enabled(), 0);
        CT_CHECK_EQ(ct_gil_enable(INTERVAL_US), 0);
        CT_CHECK_EQ(ct_gil_enabled(), 1);
        CT_CHECK(ct_gil_switch_interval_us() == INTERVAL_US);
        CT_CHECK(ct_gil_held());
        test_exclusive_and_latency();
        test_blocking_releases();
        ct_thread_end();
        CT_CHECK(!ct_gil_held());
        printf("test_rt_gil: ok\n");
        return 0;
}
