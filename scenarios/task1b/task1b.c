/* SPDX-License-Identifier: MIT */
/*
 * task1b — Lab week 3, Task 1B: event-based concurrency with select().
 *
 * The parent forks --children children; child i writes --messages short
 * messages to its own pipe, one every i x --interval-ms (its own rate), then
 * closes the pipe and exits. The parent's event loop select()s over every read
 * end still open, handles whatever arrived, removes a pipe at EOF and stops
 * when all are closed.
 *
 * Starvation (reflection Q3): --chatty K makes child-1 write K times faster
 * (and K times as many messages, over the same time). By default the parent
 * drains a ready pipe until it is empty before looking at the next one
 * (greedy), so a chatty child that writes faster than the parent handles
 * (--handle-us per message) keeps it busy and the other children's messages
 * wait. --fair bounds what the parent takes from one pipe per wakeup
 * (--budget messages) and goes round the ready pipes. Per-child message
 * latency (sent -> handled) shows both.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <unistd.h>

#include <conctrace/ct.h>

#include "ct_scn.h"

#define MAX_CHILDREN 64
/* Messages the greedy parent asks for per read. */
#define GREEDY_READ_MSGS 64

struct opts {
        long children;
        long messages;
        long interval_ms;
        long chatty;
        int fair;
        long budget;
        long handle_us;
};

/* One message: fixed size (<= PIPE_BUF, so every write is atomic). */
struct msg {
        uint32_t child; /* 1-based */
        uint32_t seq;   /* 0-based, per child */
        int64_t sent_ns;
        char text[16];
};

struct child {
        pid_t pid;
        int rfd;         /* -1 once closed */
        long expected;   /* messages it sends */
        long received;   /* messages handled */
        int in_order;    /* 1 while seq numbers arrive 0, 1, 2, ... */
        int eof;         /* EOF seen */
        int status;      /* wait status */
        int64_t lat_sum; /* sent -> handled, ns */
        int64_t lat_max;
        unsigned char partial[sizeof(struct msg)]; /* bytes of an incomplete message */
        size_t partial_len;
};

static int parse_opts(int argc, char **argv, struct opts *o)
{
        const struct ct_scn_opt options[] = {
            CT_SCN_TEXT("Lab week 3, Task 1B: the parent forks children that write short messages "
                        "to\n"
                        "their own pipes; its select() event loop reads whichever pipe is ready, "
                        "removes\n"
                        "a pipe at EOF and stops when all are closed.\n"
                        "\n"
                        "Options:\n"),
            CT_SCN_LONG("children", "N", &o->children, 4, 1, MAX_CHILDREN,
                        "child processes (default {})"),
            CT_SCN_LONG("messages", "M", &o->messages, 20, 1, 1000000,
                        "messages per child (default {})"),
            CT_SCN_LONG("interval-ms", "MS", &o->interval_ms, 10, 0, 10000,
                        "child i writes one message every i x MS ms (default {})"),
            CT_SCN_LONG("chatty", "K", &o->chatty, 1, 1, 10000,
                        "child-1 writes K times faster and K times as many messages\n"
                        "(default {}: not chatty)"),
            CT_SCN_FLAG("fair", &o->fair,
                        "take at most --budget messages from one pipe per wakeup\n"
                        "(default: greedy, drain a ready pipe until empty)"),
            CT_SCN_LONG("budget", "N", &o->budget, 1, 1, 1000000,
                        "messages per pipe per wakeup with --fair (default {})"),
            CT_SCN_LONG("handle-us", "US", &o->handle_us, 200, 0, 1000000,
                        "the parent's (simulated) work per message (default {})"),
            CT_SCN_VERBOSE("print every message"),
            CT_SCN_HELP,
            CT_SCN_TEXT("\n"
                        "Exit status: 0 if every message arrived exactly once and in order, every "
                        "pipe\n"
                        "reached EOF and every child exited 0; 1 otherwise; 2 for bad options.\n"),
        };

        return ct_scn_parse_cli(argc, argv, options, CT_SCN_N(options), 22);
}

/* Child `id` (1-based): writes its messages at its own rate, then exits. */
static _Noreturn void child_main(const struct opts *o, int id, int wfd, long messages)
{
        uint64_t interval_us = (uint64_t)o->interval_ms * 1000u * (uint64_t)id;
        int status = 0;

        if (id == 1)
                interval_us /= (uint64_t)o->chatty;
        for (long seq = 0; seq < messages; seq++) {
                struct msg m;
                ssize_t n;

                if (interval_us > 0)
                        ct_io_sim(interval_us);
                memset(&m, 0, sizeof(m));
                m.child = (uint32_t)id;
                m.seq = (uint32_t)seq;
                snprintf(m.text, sizeof(m.text), "hello %u", (unsigned)(seq % 100000));
                m.sent_ns = ct_scn_now_ns();
                n = ct_write_all(wfd, &m, sizeof(m), NULL);
                if (n < 0) {
                        ct_scn_raw_printf("child-%d: Failed to write message %ld: err=%s\n", id,
                                          seq, strerror((int)-n));
                        status = 1;
                        break;
                }
        }
        ct_pipe_close(wfd);
        ct_exit(status);
}

/* Handles one complete message from child c. */
static void handle(const struct opts *o, struct child *c, int id, const struct msg *m)
{
        int64_t lat = ct_scn_now_ns() - m->sent_ns;

        if (m->child != (uint32_t)id || m->seq != (uint32_t)c->received)
                c->in_order = 0;
        c->received++;
        c->lat_sum += lat;
        if (lat > c->lat_max)
                c->lat_max = lat;
        ct_scn_verbose_printf("  parent: child-%u #%u \"%s\" after %.3f ms\n", m->child, m->seq,
                              m->text, ct_scn_ms(lat));
        if (o->handle_us > 0)
                ct_io_sim((uint64_t)o->handle_us);
}

/*
 * Reads from child c once (at most max_msgs messages) and handles what came.
 * Returns the number of whole messages handled, 0 at EOF (c closed), -EAGAIN
 * if nothing was there, or another negative errno.
 */
static ssize_t read_child(const struct opts *o, struct child *c, int id, long max_msgs)
{
        unsigned char buf[GREEDY_READ_MSGS * sizeof(struct msg)];
        size_t want = (size_t)max_msgs * sizeof(struct msg);
        size_t have;
        ssize_t n, handled = 0;

        if (want > sizeof(buf))
                want = sizeof(buf);
        want -= c->partial_len;
        memcpy(buf, c->partial, c->partial_len);
        n = ct_pipe_read(c->rfd, buf + c->partial_len, want);
        if (n == 0) {
                c->eof = 1;
                ct_pipe_close(c->rfd);
                c->rfd = -1;
                ct_scn_verbose_printf("  parent: EOF from child-%d, removed from the set\n", id);
                return 0;
        }
        if (n < 0)
                return n;
        have = c->partial_len + (size_t)n;
        for (size_t off = 0; off + sizeof(struct msg) <= have; off += sizeof(struct msg)) {
                struct msg m;

                memcpy(&m, buf + off, sizeof(m));
                handle(o, c, id, &m);
                handled++;
        }
        c->partial_len = have % sizeof(struct msg);
        memcpy(c->partial, buf + have - c->partial_len, c->partial_len);
        return handled > 0 ? handled : -EAGAIN;
}

int main(int argc, char **argv)
{
        struct child children[MAX_CHILDREN];
        struct ct_scn_params params;
        struct opts o;
        long open_pipes = 0, selects = 0, ready_total = 0;
        int64_t t_begin, t_end;
        int status = 1, failed = 0, ret;

        ct_scn_init(argv[0]);
        ret = parse_opts(argc, argv, &o);
        if (ret)
                return ret;
        memset(children, 0, sizeof(children));
        for (long i = 0; i < o.children; i++) {
                children[i].rfd = -1;
                children[i].in_order = 1;
                children[i].expected = o.messages * (i == 0 ? o.chatty : 1);
        }

        ct_thread_begin("parent");
        ct_scn_params_init(&params);
        ct_scn_params_add(&params, "children", "%ld", o.children);
        ct_scn_params_add(&params, "messages", "%ld", o.messages);
        ct_scn_params_add(&params, "interval_ms", "%ld", o.interval_ms);
        ct_scn_params_add(&params, "chatty", "%ld", o.chatty);
        ct_scn_params_add(&params, "budget", "%ld", o.fair ? o.budget : 0);
        ct_scn_params_add(&params, "handle_us", "%ld", o.handle_us);
        printf("task1b: %ld children x %ld messages, child i every i x %ld ms%s, %s loop, "
               "%ld us per message\n",
               o.children, o.messages, o.interval_ms, o.chatty > 1 ? " (child-1 chatty)" : "",
               o.fair ? "fair" : "greedy", o.handle_us);
        fflush(stdout);

        t_begin = ct_scn_run_begin("task1b", o.fair ? "fair" : "greedy", o.children, &params);
        for (long i = 0; i < o.children; i++) {
                char name[32];
                int fds[2];
                pid_t pid;

                snprintf(name, sizeof(name), "pipe child-%ld", i + 1);
                ret = ct_pipe_create(fds, name);
                if (ret < 0) {
                        ct_scn_error("Failed to create a pipe: child=%ld err=%s", i + 1,
                                     strerror(-ret));
                        failed = 1;
                        break;
                }
                snprintf(name, sizeof(name), "child-%ld", i + 1);
                fflush(stdout);
                pid = ct_fork(name);
                if (pid < 0) {
                        ct_scn_error("Failed to fork: child=%ld err=%s", i + 1,
                                     strerror((int)-pid));
                        ct_pipe_close(fds[0]);
                        ct_pipe_close(fds[1]);
                        failed = 1;
                        break;
                }
                if (pid == 0) {
                        /* Close every read end: ours and the earlier children's. */
                        ct_pipe_close(fds[0]);
                        for (long j = 0; j < i; j++) {
                                if (children[j].rfd >= 0)
                                        ct_pipe_close(children[j].rfd);
                        }
                        child_main(&o, (int)i + 1, fds[1], children[i].expected);
                }
                /* Parent: drop the write end, or EOF would never come. */
                ct_pipe_close(fds[1]);
                /* Non-blocking reads let the greedy loop drain a pipe until empty. */
                fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
                children[i].pid = pid;
                children[i].rfd = fds[0];
                open_pipes++;
        }

        /* The event loop. */
        while (open_pipes > 0) {
                fd_set rset;
                int maxfd = -1, n;

                FD_ZERO(&rset);
                for (long i = 0; i < o.children; i++) {
                        if (children[i].rfd >= 0) {
                                FD_SET(children[i].rfd, &rset);
                                if (children[i].rfd > maxfd)
                                        maxfd = children[i].rfd;
                        }
                }
                n = ct_select(maxfd + 1, &rset, NULL, NULL, NULL);
                if (n == -EINTR)
                        continue;
                if (n < 0) {
                        ct_scn_error("Failed to select: err=%s", strerror(-n));
                        failed = 1;
                        break;
                }
                selects++;
                ready_total += n;
                for (long i = 0; i < o.children; i++) {
                        struct child *c = &children[i];
                        long budget = o.fair ? o.budget : GREEDY_READ_MSGS;
                        ssize_t r;

                        if (c->rfd < 0 || !FD_ISSET(c->rfd, &rset))
                                continue;
                        do {
                                long ask = budget < GREEDY_READ_MSGS ? budget : GREEDY_READ_MSGS;

                                r = read_child(&o, c, (int)i + 1, ask);
                                if (r > 0 && o.fair)
                                        budget -= r;
                        } while (r > 0 && budget > 0);
                        if (r == 0)
                                open_pipes--;
                        else if (r < 0 && r != -EAGAIN) {
                                ct_scn_error("Failed to read from child-%ld: err=%s", i + 1,
                                             strerror((int)-r));
                                ct_pipe_close(c->rfd);
                                c->rfd = -1;
                                open_pipes--;
                                failed = 1;
                        }
                }
        }

        for (long i = 0; i < o.children; i++) {
                struct child *c = &children[i];

                if (c->rfd >= 0) {
                        ct_pipe_close(c->rfd);
                        c->rfd = -1;
                }
                if (c->pid <= 0)
                        continue;
                ret = ct_waitpid(c->pid, &c->status, 0);
                if (ret < 0) {
                        ct_scn_error("Failed to wait for child-%ld: pid=%d err=%s", i + 1,
                                     (int)c->pid, strerror(-ret));
                        c->status = -1;
                }
        }
        t_end = ct_scn_now_ns();

        {
                int ok = !failed;

                printf("task1b: %ld select() wakeups, %.2f ready pipes per wakeup\n", selects,
                       selects ? (double)ready_total / (double)selects : 0.0);
                printf("  %-9s %8s %8s %12s %12s\n", "child", "messages", "every", "latency mean",
                       "latency max");
                for (long i = 0; i < o.children; i++) {
                        struct child *c = &children[i];
                        double every = (double)o.interval_ms * (double)(i + 1) /
                                       (double)(i == 0 ? o.chatty : 1);

                        printf("  child-%-3ld %8ld %6.2fms %10.3fms %10.3fms\n", i + 1, c->received,
                               every,
                               c->received ? ct_scn_ms(c->lat_sum) / (double)c->received : 0.0,
                               ct_scn_ms(c->lat_max));
                }
                ct_scn_print_elapsed("task1b", t_end - t_begin);
                for (long i = 0; i < o.children; i++) {
                        struct child *c = &children[i];
                        int reaped = c->pid > 0 && c->status >= 0 && WIFEXITED(c->status) &&
                                     WEXITSTATUS(c->status) == 0;

                        if (c->received != c->expected || !c->in_order || !c->eof ||
                            c->partial_len || !reaped) {
                                ct_scn_check(
                                    0,
                                    "child-%ld: %ld of %ld messages%s%s%s, exit "
                                    "status %d",
                                    i + 1, c->received, c->expected,
                                    c->in_order ? "" : ", out of order", c->eof ? "" : ", no EOF",
                                    c->partial_len ? ", partial message" : "",
                                    c->pid > 0 && WIFEXITED(c->status) ? WEXITSTATUS(c->status)
                                                                       : -1);
                                ok = 0;
                        }
                }
                ok &= ct_scn_check(ok,
                                   "every message received once and in order, %ld pipes at "
                                   "EOF, %ld children reaped with status 0",
                                   o.children, o.children);
                status = ok ? 0 : 1;
        }
        ct_run_end(status);
        ct_thread_end();
        return status;
}
