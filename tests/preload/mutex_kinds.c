/* SPDX-License-Identifier: MIT */
/*
 * A plain pthread program for the preload library's corner cases (usage:
 * mutex_kinds kinds | midrun READY GO).
 *
 *   kinds   recursive mutex (3 levels, 100 times), error-checking mutex
 *           (EDEADLK on a re-lock, EPERM on an unlock it does not hold, 100
 *           times), a robust mutex whose holder died (EOWNERDEAD), a timed
 *           condvar wait that times out, 2 threads contending on a mutex
 *           (2 x 2000), and 50 semaphores created one after another at one
 *           address (sem_init / sem_destroy), each acquired once; prints
 *           "sem_same_address=N" (how many of them reused the first's address).
 *   midrun  locks a plain and a recursive mutex, creates READY, waits for
 *           GO (a session starts meanwhile), unlocks both, then locks and
 *           unlocks the plain one 10 times.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CHECK(cond, what)                                                                          \
        do {                                                                                       \
                if (!(cond)) {                                                                     \
                        fprintf(stderr, "mutex_kinds: %s failed\n", what);                         \
                        exit(1);                                                                   \
                }                                                                                  \
        } while (0)

static pthread_mutex_t contended = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *worker(void *arg)
{
        for (int i = 0; i < 2000; i++) {
                pthread_mutex_lock(&contended);
                counter++;
                pthread_mutex_unlock(&contended);
        }
        return arg;
}

static void *die_holding(void *arg)
{
        pthread_mutex_lock(arg);
        return NULL; /* exits holding it */
}

static void mutex_of(pthread_mutex_t *m, int type, int robust)
{
        pthread_mutexattr_t a;

        pthread_mutexattr_init(&a);
        pthread_mutexattr_settype(&a, type);
        if (robust)
                pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
        CHECK(pthread_mutex_init(m, &a) == 0, "pthread_mutex_init");
        pthread_mutexattr_destroy(&a);
}

static int kinds(void)
{
        pthread_mutex_t rec, chk, rob, cm = PTHREAD_MUTEX_INITIALIZER;
        pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
        struct timespec ts;
        pthread_t t[2];
        void *first = NULL;
        int same = 0;

        mutex_of(&rec, PTHREAD_MUTEX_RECURSIVE, 0);
        mutex_of(&chk, PTHREAD_MUTEX_ERRORCHECK, 0);
        mutex_of(&rob, PTHREAD_MUTEX_NORMAL, 1);
        for (int i = 0; i < 100; i++) {
                for (int l = 0; l < 3; l++)
                        CHECK(pthread_mutex_lock(&rec) == 0, "recursive lock");
                CHECK(pthread_mutex_trylock(&rec) == 0, "recursive trylock");
                for (int l = 0; l < 4; l++)
                        CHECK(pthread_mutex_unlock(&rec) == 0, "recursive unlock");
                CHECK(pthread_mutex_lock(&chk) == 0, "errorcheck lock");
                CHECK(pthread_mutex_lock(&chk) == EDEADLK, "errorcheck EDEADLK");
                CHECK(pthread_mutex_unlock(&chk) == 0, "errorcheck unlock");
                CHECK(pthread_mutex_unlock(&chk) == EPERM, "errorcheck EPERM");
        }
        CHECK(pthread_create(&t[0], NULL, die_holding, &rob) == 0, "pthread_create");
        pthread_join(t[0], NULL);
        CHECK(pthread_mutex_lock(&rob) == EOWNERDEAD, "EOWNERDEAD");
        pthread_mutex_consistent(&rob);
        CHECK(pthread_mutex_unlock(&rob) == 0, "robust unlock");

        pthread_mutex_lock(&cm);
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 2000000;
        if (ts.tv_nsec >= 1000000000) {
                ts.tv_sec++;
                ts.tv_nsec -= 1000000000;
        }
        CHECK(pthread_cond_timedwait(&cv, &cm, &ts) == ETIMEDOUT, "cond timeout");
        pthread_mutex_unlock(&cm);

        for (int i = 0; i < 2; i++)
                CHECK(pthread_create(&t[i], NULL, worker, NULL) == 0, "pthread_create");
        for (int i = 0; i < 2; i++)
                pthread_join(t[i], NULL);
        CHECK(counter == 4000, "counter");

        for (int i = 0; i < 50; i++) {
                sem_t *s = malloc(sizeof(*s));

                CHECK(s && sem_init(s, 0, 0) == 0, "sem_init");
                if (!first)
                        first = s;
                same += s == first;
                sem_post(s);
                CHECK(sem_wait(s) == 0, "sem_wait");
                sem_destroy(s);
                free(s);
        }
        printf("sem_same_address=%d\n", same);
        return 0;
}

static int midrun(const char *ready, const char *go)
{
        pthread_mutex_t plain = PTHREAD_MUTEX_INITIALIZER, rec;
        struct timespec nap = {0, 10000000};
        int fd;

        mutex_of(&rec, PTHREAD_MUTEX_RECURSIVE, 0);
        pthread_mutex_lock(&plain);
        pthread_mutex_lock(&rec);
        fd = open(ready, O_CREAT | O_WRONLY, 0644);
        CHECK(fd >= 0, "create READY");
        close(fd);
        for (int i = 0; access(go, F_OK) != 0; i++) {
                CHECK(i < 3000, "GO within 30 s");
                nanosleep(&nap, NULL);
        }
        pthread_mutex_lock(&rec); /* level 2 under the session */
        pthread_mutex_unlock(&rec);
        pthread_mutex_unlock(&rec);
        pthread_mutex_unlock(&plain);
        for (int i = 0; i < 10; i++) {
                pthread_mutex_lock(&plain);
                pthread_mutex_unlock(&plain);
        }
        return 0;
}

int main(int argc, char **argv)
{
        if (argc == 2 && !strcmp(argv[1], "kinds"))
                return kinds();
        if (argc == 4 && !strcmp(argv[1], "midrun"))
                return midrun(argv[2], argv[3]);
        fprintf(stderr, "usage: mutex_kinds kinds | midrun READY GO\n");
        return 2;
}
