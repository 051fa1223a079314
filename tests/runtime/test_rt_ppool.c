/* SPDX-License-Identifier: MIT */
/*
 * ct_ppool: results computed in worker processes come back over pipes with
 * the right task ids; a worker that crashes or exits is reported, never hangs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conctrace/ct.h"
#include "ct_test.h"

#define NTASKS     300
#define CRASH_KILL 1000001u
#define CRASH_EXIT 1000002u

/* in: uint64 k; out: uint64 sum of i*i for i in 1..k. */
static int sum_squares(const void *in, size_t in_len, void *out, size_t *out_len)
{
        uint64_t k, sum = 0;

        if (in_len != sizeof(k) || *out_len < sizeof(sum))
                return -EINVAL;
        memcpy(&k, in, sizeof(k));
        if (k == CRASH_KILL)
                raise(SIGKILL);
        if (k == CRASH_EXIT)
                _exit(7);
        for (uint64_t i = 1; i <= k; i++)
                sum += i * i;
        memcpy(out, &sum, sizeof(sum));
        *out_len = sizeof(sum);
        return 0;
}

struct results {
        int seen[NTASKS + 8];
        uint64_t value[NTASKS + 8];
        int status[NTASKS + 8];
        int worker_status[NTASKS + 8];
        int count;
};

static void on_result(void *ctx, int64_t task, int status, const void *out, size_t out_len,
                      int worker_status)
{
        struct results *r = ctx;

        CT_CHECK(task >= 0 && task < NTASKS + 8);
        r->seen[task]++;
        r->status[task] = status;
        r->worker_status[task] = worker_status;
        r->count++;
        if (status == 0) {
                CT_CHECK_EQ(out_len, sizeof(uint64_t));
                memcpy(&r->value[task], out, sizeof(uint64_t));
        }
}

static uint64_t expected(uint64_t k)
{
        return k * (k + 1) * (2 * k + 1) / 6;
}

static struct results res;

static void test_results(void)
{
        struct ct_ppool *pool = NULL;

        memset(&res, 0, sizeof(res));
        CT_CHECK_EQ(ct_ppool_create(&pool, 3, "squares", sum_squares), 0);
        CT_CHECK_EQ(ct_ppool_alive(pool), 3);
        for (uint64_t i = 0; i < NTASKS; i++) {
                uint64_t k = i * 7 + 1;

                CT_CHECK_EQ(ct_ppool_submit(pool, &k, sizeof(k)), (int64_t)i);
        }
        CT_CHECK_EQ(ct_ppool_collect(pool, on_result, &res), 0);
        CT_CHECK_EQ(res.count, NTASKS);
        for (uint64_t i = 0; i < NTASKS; i++) {
                CT_CHECK_EQ(res.seen[i], 1);
                CT_CHECK_EQ(res.status[i], 0);
                CT_CHECK(res.value[i] == expected(i * 7 + 1));
        }
        /* A second batch on the same workers, ids continue. */
        memset(&res, 0, sizeof(res));
        for (uint64_t i = 0; i < 5; i++) {
                uint64_t k = 10;

                CT_CHECK_EQ(ct_ppool_submit(pool, &k, sizeof(k)), (int64_t)(NTASKS + i));
        }
        CT_CHECK_EQ(ct_ppool_collect(pool, on_result, &res), 0);
        CT_CHECK_EQ(res.count, 5);
        CT_CHECK(res.value[NTASKS + 4] == 385);
        CT_CHECK_EQ(ct_ppool_destroy(pool), 0);
}

static void test_crash(uint64_t crash_value, int expect_signal)
{
        struct ct_ppool *pool = NULL;
        int failed = 0;

        memset(&res, 0, sizeof(res));
        CT_CHECK_EQ(ct_ppool_create(&pool, 2, "crashy", sum_squares), 0);
        for (uint64_t i = 0; i < 40; i++) {
                uint64_t k = i == 13 ? crash_value : i + 1;

                CT_CHECK_EQ(ct_ppool_submit(pool, &k, sizeof(k)), (int64_t)i);
        }
        CT_CHECK_EQ(ct_ppool_collect(pool, on_result, &res), -ECHILD);
        CT_CHECK_EQ(res.count, 40);
        for (int i = 0; i < 40; i++) {
                CT_CHECK_EQ(res.seen[i], 1);
                if (res.status[i] != 0) {
                        failed++;
                        CT_CHECK_EQ(res.status[i], -ECHILD);
                } else {
                        CT_CHECK(res.value[i] == expected((uint64_t)i + 1));
                }
        }
        CT_CHECK_EQ(failed, 1);
        CT_CHECK(res.status[13] == -ECHILD);
        if (expect_signal) {
                CT_CHECK(WIFSIGNALED(res.worker_status[13]));
                CT_CHECK_EQ(WTERMSIG(res.worker_status[13]), SIGKILL);
        } else {
                CT_CHECK(WIFEXITED(res.worker_status[13]));
                CT_CHECK_EQ(WEXITSTATUS(res.worker_status[13]), 7);
        }
        CT_CHECK_EQ(ct_ppool_alive(pool), 1);
        CT_CHECK_EQ(ct_ppool_destroy(pool), -ECHILD);
}

static void test_all_workers_die(void)
{
        struct ct_ppool *pool = NULL;
        uint64_t k = CRASH_EXIT;

        memset(&res, 0, sizeof(res));
        CT_CHECK_EQ(ct_ppool_create(&pool, 1, "doomed", sum_squares), 0);
        for (int i = 0; i < 4; i++)
                CT_CHECK_EQ(ct_ppool_submit(pool, &k, sizeof(k)), i);
        CT_CHECK_EQ(ct_ppool_collect(pool, on_result, &res), -ECHILD);
        CT_CHECK_EQ(res.count, 4);
        for (int i = 0; i < 4; i++)
                CT_CHECK_EQ(res.status[i], -ECHILD);
        CT_CHECK_EQ(ct_ppool_alive(pool), 0);
        CT_CHECK_EQ(ct_ppool_destroy(pool), -ECHILD);
}

int main(void)
{
        ct_thread_begin("main");
        test_results();
        test_crash(CRASH_KILL, 1);
        test_crash(CRASH_EXIT, 0);
        test_all_workers_die();
        ct_thread_end();
        printf("test_rt_ppool: ok\n");
        return 0;
}
