/* SPDX-License-Identifier: MIT */
/*
 * A plain pthread program that knows nothing of conctrace: THREADS threads
 * each lock and unlock one shared mutex ITERS times (usage: mutex_workers
 * [THREADS [ITERS]]). Used to record traces with LTTng's own pthread wrapper
 * and with the preload library.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static long iters = 1000;

static void *worker(void *arg)
{
        for (long i = 0; i < iters; i++) {
                pthread_mutex_lock(&mu);
                counter++;
                pthread_mutex_unlock(&mu);
        }
        return arg;
}

int main(int argc, char **argv)
{
        int n = argc > 1 ? atoi(argv[1]) : 2;
        pthread_t t[64];

        if (argc > 2)
                iters = atol(argv[2]);
        if (n < 1 || n > 64 || iters < 0) {
                fprintf(stderr, "usage: mutex_workers [THREADS (1-64) [ITERS]]\n");
                return 2;
        }
        for (int i = 0; i < n; i++) {
                if (pthread_create(&t[i], NULL, worker, NULL) != 0) {
                        perror("pthread_create");
                        return 1;
                }
        }
        for (int i = 0; i < n; i++)
                pthread_join(t[i], NULL);
        printf("counter=%ld\n", counter);
        return counter == n * iters ? 0 : 1;
}
