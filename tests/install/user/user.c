/* SPDX-License-Identifier: MIT */
/*
 * A user's own program instrumented against an installed conctrace: two
 * threads share one named mutex inside one run. Built outside the source
 * tree by tests/install (pkg-config and find_package(conctrace)).
 */
#include <conctrace/ct.h>
#include <stdio.h>

static struct ct_mutex lock;
static long counter;

static void *worker(void *arg)
{
        int i;

        (void)arg;
        for (i = 0; i < 1000; i++) {
                ct_mutex_lock(&lock);
                counter++;
                ct_mutex_unlock(&lock);
        }
        return NULL;
}

int main(void)
{
        struct ct_thread t[2];
        int i;

        ct_mutex_init(&lock, "user.lock");
        ct_run_begin("user", "threads", 2, "ops=1000");
        for (i = 0; i < 2; i++) {
                if (ct_thread_create(&t[i], "user-worker", worker, NULL)) {
                        fprintf(stderr, "user: cannot create a thread\n");
                        return 1;
                }
        }
        for (i = 0; i < 2; i++) {
                ct_thread_join(&t[i], NULL);
        }
        ct_run_end(counter == 2000 ? 0 : 1);
        ct_mutex_destroy(&lock);
        printf("user: counter=%ld\n", counter);
        return counter == 2000 ? 0 : 1;
}
