/* SPDX-License-Identifier: MIT */
/* ct_tpool: every task runs exactly once; wait covers all; ids consecutive. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>

#include "conctrace/ct.h"
#include "ct_test.h"

#define NTASKS 5000

static int runs[NTASKS]; /* atomic increments */

static void task(void *arg)
{
        intptr_t i = (intptr_t)arg;

        if (i % 97 == 0)
                ct_compute(5);
        __atomic_add_fetch(&runs[i], 1, __ATOMIC_RELAXED);
}

int main(void)
{
        struct ct_tpool *pool = NULL;

        ct_thread_begin("main");
        CT_CHECK_EQ(ct_tpool_create(&pool, 0, "bad"), -EINVAL);
        CT_CHECK_EQ(ct_tpool_create(&pool, 4, "pool"), 0);
        for (intptr_t i = 0; i < NTASKS / 2; i++)
                CT_CHECK_EQ(ct_tpool_submit(pool, task, (void *)i), i);
        CT_CHECK_EQ(ct_tpool_wait(pool), 0);
        for (int i = 0; i < NTASKS / 2; i++)
                CT_CHECK_EQ(__atomic_load_n(&runs[i], __ATOMIC_RELAXED), 1);
        for (intptr_t i = NTASKS / 2; i < NTASKS; i++)
                CT_CHECK_EQ(ct_tpool_submit(pool, task, (void *)i), i);
        CT_CHECK_EQ(ct_tpool_destroy(pool), 0); /* waits for the rest */
        for (int i = 0; i < NTASKS; i++)
                CT_CHECK_EQ(__atomic_load_n(&runs[i], __ATOMIC_RELAXED), 1);
        /* A pool of one, destroyed with nothing submitted. */
        CT_CHECK_EQ(ct_tpool_create(&pool, 1, NULL), 0);
        CT_CHECK_EQ(ct_tpool_destroy(pool), 0);
        ct_thread_end();
        printf("test_rt_tpool: ok\n");
        return 0;
}
