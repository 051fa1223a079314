/* SPDX-License-Identifier: MIT */
/* ct_queue: FIFO order, blocking get on empty, blocking put on full, timeouts. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>

#include "conctrace/ct.h"
#include "ct_test.h"

static struct ct_queue q;
static int done; /* atomic */

static void *getter(void *arg)
{
        void *item = NULL;

        CT_CHECK_EQ(ct_queue_get(&q, &item), 0);
        __atomic_store_n(&done, 1, __ATOMIC_SEQ_CST);
        return item;
}

static void *putter(void *arg)
{
        CT_CHECK_EQ(ct_queue_put(&q, arg), 0);
        __atomic_store_n(&done, 1, __ATOMIC_SEQ_CST);
        return NULL;
}

static void *consumer(void *arg)
{
        long long sum = 0;

        for (;;) {
                void *item;

                CT_CHECK_EQ(ct_queue_get(&q, &item), 0);
                if (!item)
                        break;
                sum += (intptr_t)item;
        }
        return (void *)(intptr_t)sum;
}

static void test_fifo(void)
{
        void *item;

        CT_CHECK_EQ(ct_queue_init(&q, 0, "fifo"), 0);
        for (intptr_t i = 1; i <= 1000; i++) /* unbounded: grows past 16 */
                CT_CHECK_EQ(ct_queue_put(&q, (void *)i), 0);
        CT_CHECK_EQ(ct_queue_depth(&q), 1000);
        for (intptr_t i = 1; i <= 1000; i++) {
                CT_CHECK_EQ(ct_queue_get(&q, &item), 0);
                CT_CHECK_EQ((intptr_t)item, i);
        }
        CT_CHECK_EQ(ct_queue_get_timed(&q, &item, 0), -EAGAIN);
        CT_CHECK_EQ(ct_queue_get_timed(&q, &item, 20000), -ETIMEDOUT);
        /* Wrap around a bounded ring. */
        ct_queue_destroy(&q);
        CT_CHECK_EQ(ct_queue_init(&q, 3, "ring"), 0);
        for (intptr_t i = 1; i <= 10; i++) {
                CT_CHECK_EQ(ct_queue_put(&q, (void *)i), 0);
                CT_CHECK_EQ(ct_queue_put(&q, (void *)(i + 100)), 0);
                CT_CHECK_EQ(ct_queue_get(&q, &item), 0);
                CT_CHECK_EQ((intptr_t)item, i);
                CT_CHECK_EQ(ct_queue_get(&q, &item), 0);
                CT_CHECK_EQ((intptr_t)item, i + 100);
        }
        ct_queue_destroy(&q);
}

static void test_get_blocks_until_put(void)
{
        struct ct_thread t;
        void *ret;

        CT_CHECK_EQ(ct_queue_init(&q, 2, "blocking-get"), 0);
        __atomic_store_n(&done, 0, __ATOMIC_SEQ_CST);
        CT_CHECK_EQ(ct_thread_create(&t, "getter", getter, NULL), 0);
        ct_test_sleep_ms(50);
        CT_CHECK_EQ(__atomic_load_n(&done, __ATOMIC_SEQ_CST), 0); /* still blocked */
        CT_CHECK_EQ(ct_queue_put(&q, (void *)(intptr_t)42), 0);
        CT_CHECK_EQ(ct_thread_join(&t, &ret), 0);
        CT_CHECK_EQ((intptr_t)ret, 42);
        CT_CHECK_EQ(ct_queue_depth(&q), 0);
        ct_queue_destroy(&q);
}

static void test_put_blocks_when_full(void)
{
        struct ct_thread t;
        void *item;

        CT_CHECK_EQ(ct_queue_init(&q, 2, "blocking-put"), 0);
        CT_CHECK_EQ(ct_queue_put(&q, (void *)(intptr_t)1), 0);
        CT_CHECK_EQ(ct_queue_put(&q, (void *)(intptr_t)2), 0);
        CT_CHECK_EQ(ct_queue_put_timed(&q, (void *)(intptr_t)9, 0), -EAGAIN);
        CT_CHECK_EQ(ct_queue_put_timed(&q, (void *)(intptr_t)9, 20000), -ETIMEDOUT);
        __atomic_store_n(&done, 0, __ATOMIC_SEQ_CST);
        CT_CHECK_EQ(ct_thread_create(&t, "putter", putter, (void *)(intptr_t)3), 0);
        ct_test_sleep_ms(50);
        CT_CHECK_EQ(__atomic_load_n(&done, __ATOMIC_SEQ_CST), 0); /* still blocked */
        CT_CHECK_EQ(ct_queue_depth(&q), 2);
        CT_CHECK_EQ(ct_queue_get(&q, &item), 0);
        CT_CHECK_EQ((intptr_t)item, 1);
        CT_CHECK_EQ(ct_thread_join(&t, NULL), 0);
        CT_CHECK_EQ(__atomic_load_n(&done, __ATOMIC_SEQ_CST), 1);
        CT_CHECK_EQ(ct_queue_get(&q, &item), 0);
        CT_CHECK_EQ((intptr_t)item, 2);
        CT_CHECK_EQ(ct_queue_get(&q, &item), 0);
        CT_CHECK_EQ((intptr_t)item, 3);
        ct_queue_destroy(&q);
}

static void test_producers_consumers(void)
{
        struct ct_thread c[3];
        long long total = 0, expect = 0;

        CT_CHECK_EQ(ct_queue_init(&q, 4, "mpmc"), 0);
        for (int i = 0; i < 3; i++)
                CT_CHECK_EQ(ct_thread_create(&c[i], "consumer", consumer, NULL), 0);
        for (intptr_t i = 1; i <= 5000; i++) {
                CT_CHECK_EQ(ct_queue_put(&q, (void *)i), 0);
                expect += i;
        }
        for (int i = 0; i < 3; i++)
                CT_CHECK_EQ(ct_queue_put(&q, NULL), 0);
        for (int i = 0; i < 3; i++) {
                void *ret;

                CT_CHECK_EQ(ct_thread_join(&c[i], &ret), 0);
                total += (intptr_t)ret;
        }
        CT_CHECK_EQ(total, expect);
        ct_queue_destroy(&q);
}

int main(void)
{
        ct_thread_begin("main");
        test_fifo();
        test_get_blocks_until_put();
        test_put_blocks_when_full();
        test_producers_consumers();
        ct_thread_end();
        printf("test_rt_queue: ok\n");
        return 0;
}
