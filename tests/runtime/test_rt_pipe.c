/* SPDX-License-Identifier: MIT */
/* Pipes: ids, per-process offsets (reset in a forked child, exact with
 * concurrent writers and readers, shared by the fds of one pipe, right after
 * an fd number is reused), EOF, EPIPE, select and poll. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conctrace/ct.h"
#include "ct_test.h"

static void test_offsets_eof(void)
{
        int fds[2];
        char buf[64];
        struct stat st;
        uint64_t id;

        CT_CHECK_EQ(ct_pipe_create(fds, "p1"), 0);
        CT_CHECK_EQ(fstat(fds[0], &st), 0);
        id = ct_pipe_id(fds[0]);
        CT_CHECK(id == (uint64_t)st.st_ino);
        CT_CHECK(ct_pipe_id(fds[1]) == id);
        CT_CHECK(ct_pipe_offset(id, 1) == 0);
        CT_CHECK_EQ(ct_pipe_write(fds[1], "hello world", 11), 11);
        CT_CHECK(ct_pipe_offset(id, 1) == 11);
        CT_CHECK_EQ(ct_write_all(fds[1], "abc", 3, NULL), 3);
        CT_CHECK(ct_pipe_offset(id, 1) == 14);
        CT_CHECK_EQ(ct_pipe_read(fds[0], buf, 5), 5);
        CT_CHECK(memcmp(buf, "hello", 5) == 0);
        CT_CHECK(ct_pipe_offset(id, 0) == 5);
        CT_CHECK_EQ(ct_pipe_close(fds[1]), 0);
        CT_CHECK_EQ(ct_read_full(fds[0], buf, sizeof(buf)), 9); /* short: EOF */
        CT_CHECK(memcmp(buf, " worldabc", 9) == 0);
        CT_CHECK(ct_pipe_offset(id, 0) == 14);
        CT_CHECK_EQ(ct_pipe_read(fds[0], buf, sizeof(buf)), 0); /* EOF */
        CT_CHECK(ct_pipe_offset(id, 0) == 14);
        CT_CHECK_EQ(ct_pipe_close(fds[0]), 0);
        CT_CHECK_EQ(ct_pipe_close(fds[0]), -EBADF);
}

static void test_epipe_eagain(void)
{
        int fds[2];
        char c;

        CT_CHECK_EQ(ct_ignore_sigpipe(), 0);
        CT_CHECK_EQ(ct_pipe_create2(fds, O_NONBLOCK, "p2"), 0);
        CT_CHECK_EQ(ct_pipe_read(fds[0], &c, 1), -EAGAIN);
        CT_CHECK_EQ(ct_pipe_close(fds[0]), 0);
        CT_CHECK_EQ(ct_pipe_write(fds[1], "x", 1), -EPIPE);
        CT_CHECK_EQ(ct_write_all(fds[1], "xy", 2, NULL), -EPIPE);
        CT_CHECK_EQ(ct_pipe_close(fds[1]), 0);
}

static void test_fork_offsets(void)
{
        int fds[2], st = 0;
        char buf[8];
        uint64_t id;
        pid_t pid;

        CT_CHECK_EQ(ct_pipe_create(fds, "p3"), 0);
        id = ct_pipe_id(fds[0]);
        CT_CHECK_EQ(ct_pipe_write(fds[1], "1234", 4), 4);
        pid = ct_fork("child");
        CT_CHECK(pid >= 0);
        if (pid == 0) {
                int ok = ct_pipe_offset(id, 1) == 0 && ct_pipe_write(fds[1], "5678", 4) == 4 &&
                         ct_pipe_offset(id, 1) == 4 && strcmp(ct_thread_role(), "child") == 0;

                ct_exit(ok ? 0 : 3);
        }
        CT_CHECK_EQ(ct_waitpid(pid, &st, 0), pid);
        CT_CHECK(WIFEXITED(st));
        CT_CHECK_EQ(WEXITSTATUS(st), 0);
        CT_CHECK(ct_pipe_offset(id, 1) == 4); /* the parent's count is its own */
        CT_CHECK_EQ(ct_read_full(fds[0], buf, 8), 8);
        CT_CHECK(memcmp(buf, "12345678", 8) == 0);
        CT_CHECK_EQ(ct_waitpid(pid, &st, 0), -ECHILD);
        ct_pipe_close(fds[0]);
        ct_pipe_close(fds[1]);
}

static void test_select_poll(void)
{
        int a[2], b[2];
        fd_set rs;
        struct timeval tv = {0, 0};
        struct pollfd pf[2];
        int nfds;

        CT_CHECK_EQ(ct_pipe_create(a, "a"), 0);
        CT_CHECK_EQ(ct_pipe_create(b, "b"), 0);
        nfds = (a[0] > b[0] ? a[0] : b[0]) + 1;
        FD_ZERO(&rs);
        FD_SET(a[0], &rs);
        FD_SET(b[0], &rs);
        CT_CHECK_EQ(ct_select(nfds, &rs, NULL, NULL, &tv), 0); /* nothing ready */
        CT_CHECK_EQ(ct_pipe_write(b[1], "z", 1), 1);
        FD_ZERO(&rs);
        FD_SET(a[0], &rs);
        FD_SET(b[0], &rs);
        CT_CHECK_EQ(ct_select(nfds, &rs, NULL, NULL, NULL), 1);
        CT_CHECK(FD_ISSET(b[0], &rs) && !FD_ISSET(a[0], &rs));
        pf[0].fd = a[0];
        pf[0].events = POLLIN;
        pf[1].fd = b[0];
        pf[1].events = POLLIN;
        CT_CHECK_EQ(ct_poll(pf, 2, 1000), 1);
        CT_CHECK(pf[1].revents & POLLIN);
        CT_CHECK_EQ(pf[0].revents, 0);
        ct_pipe_close(b[1]);
        ct_pipe_close(a[1]);
        CT_CHECK_EQ(ct_poll(pf, 2, 0), 2); /* both hung up */
        CT_CHECK_EQ(ct_select(-1, NULL, NULL, NULL, NULL), -EINVAL);
        ct_pipe_close(a[0]);
        ct_pipe_close(b[0]);
}

/* A pipe fd reused by another pipe after ct_pipe_close, and a dup of a pipe
 * fd (first seen by fstat), count in the right pipe. */
static void test_fd_reuse(void)
{
        int a[2], b[2], d;
        uint64_t ida, idb;
        struct stat st;

        CT_CHECK_EQ(ct_pipe_create(a, "reuse.a"), 0);
        ida = ct_pipe_id(a[1]);
        CT_CHECK_EQ(ct_pipe_write(a[1], "12345", 5), 5);
        CT_CHECK_EQ(ct_pipe_close(a[0]), 0);
        CT_CHECK_EQ(ct_pipe_close(a[1]), 0);
        CT_CHECK_EQ(ct_pipe_create(b, "reuse.b"), 0);
        CT_CHECK(fstat(b[1], &st) == 0);
        idb = ct_pipe_id(b[1]);
        CT_CHECK(idb == (uint64_t)st.st_ino && idb != ida);
        CT_CHECK_EQ(ct_pipe_write(b[1], "abc", 3), 3);
        CT_CHECK(ct_pipe_offset(idb, 1) == 3);
        CT_CHECK(ct_pipe_offset(ida, 1) == 5);
        d = dup(b[1]);
        CT_CHECK(d >= 0);
        CT_CHECK(ct_pipe_id(d) == idb);
        CT_CHECK_EQ(ct_pipe_write(d, "de", 2), 2);
        CT_CHECK(ct_pipe_offset(idb, 1) == 5); /* one count per pipe, not per fd */
        CT_CHECK_EQ(ct_pipe_close(d), 0);
        CT_CHECK_EQ(ct_pipe_close(b[1]), 0);
        CT_CHECK_EQ(ct_pipe_close(b[0]), 0);
}

#define CONC_WRITERS 3
#define CONC_WRITES  20000
#define CONC_LEN     8

struct conc {
        int fds[2];
        long long read_bytes; /* by the reader thread */
};

static void *conc_writer(void *arg)
{
        struct conc *c = arg;
        char buf[CONC_LEN] = {0};

        for (int i = 0; i < CONC_WRITES; i++)
                CT_CHECK_EQ(ct_pipe_write(c->fds[1], buf, sizeof(buf)), CONC_LEN);
        return NULL;
}

static void *conc_reader(void *arg)
{
        struct conc *c = arg;
        char buf[512];
        ssize_t r;

        while ((r = ct_pipe_read(c->fds[0], buf, 1 + (size_t)(c->read_bytes % sizeof(buf)))) > 0)
                c->read_bytes += r;
        CT_CHECK_EQ(r, 0);
        return NULL;
}

/* Threads writing one pipe at once (the first one owned the count before the
 * others came) and a reader: no byte is lost from the offsets; then a forked
 * child counts from 0 again. */
static void test_concurrent_offsets(void)
{
        struct ct_thread w[CONC_WRITERS - 1], rd;
        struct conc c = {.read_bytes = 0};
        uint64_t id;
        pid_t pid;
        int st;

        CT_CHECK_EQ(ct_pipe_create(c.fds, "conc"), 0);
        id = ct_pipe_id(c.fds[0]);
        CT_CHECK_EQ(ct_pipe_write(c.fds[1], "x", 1), 1); /* main owns the write count */
        CT_CHECK_EQ(ct_thread_create(&rd, "reader", conc_reader, &c), 0);
        for (int i = 0; i < CONC_WRITERS - 1; i++)
                CT_CHECK_EQ(ct_thread_create(&w[i], "writer", conc_writer, &c), 0);
        conc_writer(&c);
        for (int i = 0; i < CONC_WRITERS - 1; i++)
                CT_CHECK_EQ(ct_thread_join(&w[i], NULL), 0);
        CT_CHECK(ct_pipe_offset(id, 1) == 1 + (uint64_t)CONC_WRITERS * CONC_WRITES * CONC_LEN);
        pid = ct_fork("child");
        CT_CHECK(pid >= 0);
        if (pid == 0) {
                int ok = ct_pipe_offset(id, 1) == 0 && ct_pipe_write(c.fds[1], "1234", 4) == 4 &&
                         ct_pipe_write(c.fds[1], "5", 1) == 1 && ct_pipe_offset(id, 1) == 5 &&
                         ct_pipe_offset(id, 0) == 0;

                ct_exit(ok ? 0 : 1);
        }
        CT_CHECK_EQ(ct_waitpid(pid, &st, 0), pid);
        CT_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
        CT_CHECK_EQ(ct_pipe_close(c.fds[1]), 0); /* the reader sees EOF */
        CT_CHECK_EQ(ct_thread_join(&rd, NULL), 0);
        CT_CHECK_EQ(c.read_bytes, 1 + CONC_WRITERS * CONC_WRITES * CONC_LEN + 5);
        CT_CHECK(ct_pipe_offset(id, 0) == (uint64_t)c.read_bytes);
        CT_CHECK(ct_pipe_offset(id, 1) == 1 + (uint64_t)CONC_WRITERS * CONC_WRITES * CONC_LEN);
        CT_CHECK_EQ(ct_pipe_close(c.fds[0]), 0);
}

int main(void)
{
        ct_thread_begin("main");
        test_offsets_eof();
        test_epipe_eagain();
        test_fork_offsets();
        test_select_poll();
        test_fd_reuse();
        test_concurrent_offsets();
        ct_thread_end();
        printf("test_rt_pipe: ok\n");
        return 0;
}
