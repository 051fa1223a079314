/* SPDX-License-Identifier: MIT */
/*
 * Process pool: forked workers, tasks and results over instrumented pipes.
 *
 * Wire format (native endianness: parent and workers are the same program):
 *   task:   struct task_hdr, then len bytes
 *   result: struct result_hdr, then len bytes
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "conctrace/pipe.h"
#include "conctrace/ppool.h"
#include "conctrace/proc.h"
#include "conctrace/run.h"
#include "ct_internal.h"

struct task_hdr {
        int64_t id;
        uint64_t len;
};

struct result_hdr {
        int64_t id;
        int32_t status;
        uint32_t pad;
        uint64_t len;
};

/* A queued task: header and data, ready to send in one write. */
struct ptask {
        struct ptask *next; /* owned */
        int64_t id;
        size_t size; /* bytes of msg */
        unsigned char msg[];
};

struct pworker {
        pid_t pid;
        int task_wfd;   /* parent -> worker, -1 when closed */
        int result_rfd; /* worker -> parent, -1 when closed */
        int alive;
        int busy;
        struct ptask *task; /* owned: in flight */
};

struct ct_ppool {
        int workers;
        struct pworker *w; /* owned */
        ct_ppool_task_fn fn;
        int64_t next_id;
        int64_t outstanding; /* submitted, not yet reported */
        struct ptask *head;  /* owned: queued, not sent */
        struct ptask *tail;  /* weak */
        int worker_died;     /* a worker died since the last collect */
        int any_died;        /* a worker died at some point */
        unsigned char *rbuf; /* owned: CT_PPOOL_MAX_DATA bytes */
};

uint64_t ct_ppool_id(const struct ct_ppool *pool)
{
        return (uint64_t)(uintptr_t)pool;
}

int ct_ppool_alive(const struct ct_ppool *pool)
{
        int n = 0;

        for (int i = 0; i < pool->workers; i++)
                n += pool->w[i].alive;
        return n;
}

/* Worker process: runs tasks until EOF on its task pipe. */
_Noreturn static void worker_main(struct ct_ppool *pool, int index, int rfd, int wfd)
{
        unsigned char *in = NULL, *out = malloc(CT_PPOOL_MAX_DATA);
        struct task_hdr th;
        int code = 0;

        /* The parent may close the result pipe early (destroy): fail, don't die. */
        signal(SIGPIPE, SIG_IGN);
        if (!out) {
                code = 4;
                goto end;
        }
        for (;;) {
                struct result_hdr rh;
                size_t out_len = CT_PPOOL_MAX_DATA;
                ssize_t r = ct_read_full(rfd, &th, sizeof(th));

                if (r == 0)
                        break; /* EOF: the pool is being destroyed */
                if (r != (ssize_t)sizeof(th) || th.len > CT_PPOOL_MAX_DATA) {
                        code = 2;
                        break;
                }
                free(in);
                in = malloc(th.len ? th.len : 1);
                if (!in) {
                        code = 4;
                        break;
                }
                if (ct_read_full(rfd, in, th.len) != (ssize_t)th.len) {
                        code = 2;
                        break;
                }
                lttng_ust_tracepoint(ct_pool, task_begin, ct_ppool_id(pool), (uint64_t)th.id,
                                     index);
                memset(&rh, 0, sizeof(rh));
                rh.status = pool->fn(in, th.len, out, &out_len);
                lttng_ust_tracepoint(ct_pool, task_end, ct_ppool_id(pool), (uint64_t)th.id, index);
                if (out_len > CT_PPOOL_MAX_DATA)
                        out_len = CT_PPOOL_MAX_DATA;
                rh.id = th.id;
                rh.len = out_len;
                r = ct_write_all(wfd, &rh, sizeof(rh), NULL);
                if (r >= 0)
                        r = ct_write_all(wfd, out, out_len, NULL);
                if (r == -EPIPE)
                        break; /* the parent stopped listening */
                if (r < 0) {
                        code = 3;
                        break;
                }
        }
end:
        free(in);
        free(out);
        ct_exit(code);
}

/* ct_write_all() with SIGPIPE blocked in this thread: -EPIPE, not death. */
static ssize_t write_nosigpipe(int fd, const void *buf, size_t len)
{
        sigset_t block, old, pending;
        ssize_t ret;
        int was_pending;

        sigemptyset(&block);
        sigaddset(&block, SIGPIPE);
        sigpending(&pending);
        was_pending = sigismember(&pending, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &block, &old);
        ret = ct_write_all(fd, buf, len, NULL);
        if (ret == -EPIPE && !was_pending) {
                struct timespec zero = {0, 0};

                (void)sigtimedwait(&block, NULL, &zero);
        }
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        return ret;
}

static void close_worker_fds(struct pworker *w)
{
        if (w->task_wfd >= 0)
                ct_pipe_close(w->task_wfd);
        if (w->result_rfd >= 0)
                ct_pipe_close(w->result_rfd);
        w->task_wfd = -1;
        w->result_rfd = -1;
}

/* Reaps a dead (or dying) worker; returns its wait status. */
static int reap(struct ct_ppool *pool, struct pworker *w)
{
        int st = 0;

        close_worker_fds(w);
        if (w->alive && w->pid > 0)
                (void)ct_waitpid(w->pid, &st, 0);
        w->alive = 0;
        pool->worker_died = 1;
        pool->any_died = 1;
        return st;
}

static void push_front(struct ct_ppool *pool, struct ptask *t)
{
        t->next = pool->head;
        pool->head = t;
        if (!pool->tail)
                pool->tail = t;
}

static struct ptask *pop_front(struct ct_ppool *pool)
{
        struct ptask *t = pool->head;

        if (t) {
                pool->head = t->next;
                if (!pool->head)
                        pool->tail = NULL;
                t->next = NULL;
        }
        return t;
}

/* Sends queued tasks to idle live workers. */
static void dispatch(struct ct_ppool *pool)
{
        for (int i = 0; i < pool->workers && pool->head; i++) {
                struct pworker *w = &pool->w[i];
                struct ptask *t;

                if (!w->alive || w->busy)
                        continue;
                t = pop_front(pool);
                if (write_nosigpipe(w->task_wfd, t->msg, t->size) < 0) {
                        /* Worker gone: requeue the task for another one. */
                        push_front(pool, t);
                        (void)reap(pool, w);
                        continue;
                }
                w->task = t;
                w->busy = 1;
        }
}

int ct_ppool_create(struct ct_ppool **out, int workers, const char *name, ct_ppool_task_fn fn)
{
        struct ct_ppool *pool;
        int ret = 0;

        if (workers < 1 || !fn)
                return -EINVAL;
        if (!name)
                name = "ppool";
        pool = calloc(1, sizeof(*pool));
        if (!pool)
                return -ENOMEM;
        pool->workers = workers;
        pool->fn = fn;
        pool->w = calloc((size_t)workers, sizeof(*pool->w));
        pool->rbuf = malloc(CT_PPOOL_MAX_DATA);
        if (!pool->w || !pool->rbuf) {
                ret = -ENOMEM;
                goto error;
        }
        for (int i = 0; i < workers; i++) {
                pool->w[i].task_wfd = -1;
                pool->w[i].result_rfd = -1;
        }
        ct_name(ct_ppool_id(pool), CT_OBJ_POOL, name);
        lttng_ust_tracepoint(ct_pool, create, ct_ppool_id(pool), workers, CT_TP_POOL_PROCESS);
        for (int i = 0; i < workers; i++) {
                struct pworker *w = &pool->w[i];
                int tfd[2], rfd[2];
                char buf[256];
                pid_t pid;

                snprintf(buf, sizeof(buf), "%s.task-%d", name, i);
                ret = ct_pipe_create(tfd, buf);
                if (ret)
                        goto error_workers;
                snprintf(buf, sizeof(buf), "%s.result-%d", name, i);
                ret = ct_pipe_create(rfd, buf);
                if (ret) {
                        ct_pipe_close(tfd[0]);
                        ct_pipe_close(tfd[1]);
                        goto error_workers;
                }
                snprintf(buf, sizeof(buf), "worker-%d", i);
                pid = ct_fork(buf);
                if (pid < 0) {
                        ret = (int)pid;
                        ct_pipe_close(tfd[0]);
                        ct_pipe_close(tfd[1]);
                        ct_pipe_close(rfd[0]);
                        ct_pipe_close(rfd[1]);
                        goto error_workers;
                }
                if (pid == 0) {
                        /* Drop the parent's ends of the earlier workers' pipes, or
                         * they would never see EOF. */
                        for (int j = 0; j < i; j++)
                                close_worker_fds(&pool->w[j]);
                        ct_pipe_close(tfd[1]);
                        ct_pipe_close(rfd[0]);
                        worker_main(pool, i, tfd[0], rfd[1]);
                }
                ct_pipe_close(tfd[0]);
                ct_pipe_close(rfd[1]);
                w->pid = pid;
                w->task_wfd = tfd[1];
                w->result_rfd = rfd[0];
                w->alive = 1;
        }
        *out = pool;
        return 0;

error_workers:
        for (int i = 0; i < workers; i++)
                (void)reap(pool, &pool->w[i]);
        lttng_ust_tracepoint(ct_pool, destroy, ct_ppool_id(pool), workers, CT_TP_POOL_PROCESS);
error:
        free(pool->rbuf);
        free(pool->w);
        free(pool);
        return ret;
}

int64_t ct_ppool_submit(struct ct_ppool *pool, const void *data, size_t len)
{
        struct task_hdr th;
        struct ptask *t;

        if (len > CT_PPOOL_MAX_DATA || (!data && len))
                return -EINVAL;
        t = malloc(sizeof(*t) + sizeof(th) + len);
        if (!t)
                return -ENOMEM;
        t->next = NULL;
        t->id = pool->next_id++;
        t->size = sizeof(th) + len;
        th.id = t->id;
        th.len = len;
        memcpy(t->msg, &th, sizeof(th));
        if (len)
                memcpy(t->msg + sizeof(th), data, len);
        lttng_ust_tracepoint(ct_pool, submit, ct_ppool_id(pool), (uint64_t)t->id);
        if (pool->tail)
                pool->tail->next = t;
        else
                pool->head = t;
        pool->tail = t;
        pool->outstanding++;
        dispatch(pool);
        return t->id;
}

/* Reports the in-flight task of a worker that died. */
static void worker_lost(struct ct_ppool *pool, struct pworker *w, ct_ppool_result_fn cb, void *ctx)
{
        struct ptask *t = w->task;
        int st = reap(pool, w);

        w->busy = 0;
        w->task = NULL;
        if (t) {
                if (cb)
                        cb(ctx, t->id, -ECHILD, NULL, 0, st);
                pool->outstanding--;
                free(t);
        }
}

/* Reads one result from a busy worker; a short read means it died. */
static void receive(struct ct_ppool *pool, struct pworker *w, ct_ppool_result_fn cb, void *ctx)
{
        struct result_hdr rh;
        ssize_t r = ct_read_full(w->result_rfd, &rh, sizeof(rh));

        if (r != (ssize_t)sizeof(rh) || rh.len > CT_PPOOL_MAX_DATA || !w->task ||
            rh.id != w->task->id)
                goto lost;
        if (ct_read_full(w->result_rfd, pool->rbuf, rh.len) != (ssize_t)rh.len)
                goto lost;
        if (cb)
                cb(ctx, rh.id, rh.status, pool->rbuf, rh.len, 0);
        pool->outstanding--;
        free(w->task);
        w->task = NULL;
        w->busy = 0;
        return;
lost:
        worker_lost(pool, w, cb, ctx);
}

int ct_ppool_collect(struct ct_ppool *pool, ct_ppool_result_fn cb, void *ctx)
{
        struct pollfd *fds = calloc((size_t)pool->workers, sizeof(*fds));
        int *idx = calloc((size_t)pool->workers, sizeof(*idx));
        int ret = 0;

        if (!fds || !idx) {
                ret = -ENOMEM;
                goto end;
        }
        while (pool->outstanding > 0) {
                nfds_t n = 0;
                int r;

                dispatch(pool);
                for (int i = 0; i < pool->workers; i++) {
                        if (pool->w[i].alive && pool->w[i].busy) {
                                fds[n].fd = pool->w[i].result_rfd;
                                fds[n].events = POLLIN;
                                fds[n].revents = 0;
                                idx[n++] = i;
                        }
                }
                if (n == 0) {
                        /* Nothing in flight and nobody to send to: no worker left. */
                        struct ptask *t;

                        while ((t = pop_front(pool))) {
                                if (cb)
                                        cb(ctx, t->id, -ECHILD, NULL, 0, 0);
                                pool->outstanding--;
                                free(t);
                        }
                        break;
                }
                r = ct_poll(fds, n, -1);
                if (r == -EINTR)
                        continue;
                if (r < 0) {
                        ret = r;
                        goto end;
                }
                for (nfds_t k = 0; k < n; k++) {
                        if (fds[k].revents)
                                receive(pool, &pool->w[idx[k]], cb, ctx);
                }
        }
        if (pool->worker_died) {
                pool->worker_died = 0;
                ret = -ECHILD;
        }
end:
        free(fds);
        free(idx);
        return ret;
}

int ct_ppool_destroy(struct ct_ppool *pool)
{
        int ret = 0;
        struct ptask *t;

        if (!pool)
                return 0;
        /* EOF on the task pipes ends the workers; closing the result pipes
         * unblocks a worker writing a result nobody collects. */
        for (int i = 0; i < pool->workers; i++)
                close_worker_fds(&pool->w[i]);
        for (int i = 0; i < pool->workers; i++) {
                struct pworker *w = &pool->w[i];
                int st = 0;

                if (w->alive) {
                        if (ct_waitpid(w->pid, &st, 0) < 0 || !WIFEXITED(st) ||
                            WEXITSTATUS(st) != 0)
                                ret = -ECHILD;
                        w->alive = 0;
                }
                free(w->task);
        }
        if (pool->any_died)
                ret = -ECHILD;
        while ((t = pop_front(pool)))
                free(t);
        lttng_ust_tracepoint(ct_pool, destroy, ct_ppool_id(pool), pool->workers,
                             CT_TP_POOL_PROCESS);
        free(pool->rbuf);
        free(pool->w);
        free(pool);
        return ret;
}
