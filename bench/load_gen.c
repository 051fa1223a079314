/* SPDX-License-Identifier: MIT */
/*
 * load_gen: load for the analyzer's memory bound (bench/run-load, issue 12).
 *
 *   load_gen names N     N named locks (ct_run:name), each acquired and
 *                        released once: N live objects in every analysis.
 *   load_gen children N  N short-lived child processes, at most 16 at a time
 *                        (fork + exec of "load_gen child"), each firing
 *                        thread_begin, a lock acquire/release, thread_end;
 *                        the parent fires ct_run:fork and child_exit.
 * (64 threads x 100,000 lock operations: ct-test-emit --threads 64.)
 */
#define _GNU_SOURCE
#include <conctrace/tp.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void one_child(void)
{
        static int lock;

        lttng_ust_tracepoint(ct_run, thread_begin, "child");
        lttng_ust_tracepoint(ct_lock, acquire, (uint64_t)(uintptr_t)&lock, 0);
        lttng_ust_tracepoint(ct_lock, release, (uint64_t)(uintptr_t)&lock);
        lttng_ust_tracepoint(ct_run, thread_end, "child");
}

static int children(char *self, long n)
{
        long started = 0, running = 0;
        int status;
        pid_t pid;

        while (started < n || running > 0) {
                if (started < n && running < 16) {
                        pid = fork();
                        if (pid < 0) {
                                perror("load_gen: fork");
                                return 1;
                        }
                        if (pid == 0) {
                                char *argv[] = {self, "child", NULL};

                                execv("/proc/self/exe", argv);
                                _exit(127);
                        }
                        lttng_ust_tracepoint(ct_run, fork, (int32_t)pid);
                        started++;
                        running++;
                        continue;
                }
                pid = wait(&status);
                if (pid < 0) {
                        perror("load_gen: wait");
                        return 1;
                }
                lttng_ust_tracepoint(ct_run, child_exit, (int32_t)pid, (int32_t)status);
                running--;
        }
        return 0;
}

static int names(long n)
{
        char *objs = calloc((size_t)n, 1);
        char name[32];
        long i;

        if (!objs) {
                return 1;
        }
        for (i = 0; i < n; i++) {
                uint64_t obj = (uint64_t)(uintptr_t)(objs + i);

                snprintf(name, sizeof(name), "lock-%ld", i);
                lttng_ust_tracepoint(ct_run, name, obj, 0, name);
                lttng_ust_tracepoint(ct_lock, acquire, obj, 0);
                lttng_ust_tracepoint(ct_lock, release, obj);
        }
        free(objs);
        return 0;
}

int main(int argc, char **argv)
{
        long n = argc > 2 ? strtol(argv[2], NULL, 10) : 0;

        if (argc == 2 && !strcmp(argv[1], "child")) {
                one_child();
                return 0;
        }
        if (argc != 3 || n <= 0) {
                fprintf(stderr, "usage: load_gen names N | load_gen children N\n");
                return 2;
        }
        lttng_ust_tracepoint(ct_run, thread_begin, "main");
        if (!strcmp(argv[1], "names")) {
                n = names(n);
        } else if (!strcmp(argv[1], "children")) {
                n = children(argv[0], n);
        } else {
                fprintf(stderr, "load_gen: unknown load %s\n", argv[1]);
                return 2;
        }
        lttng_ust_tracepoint(ct_run, thread_end, "main");
        return (int)n;
}
