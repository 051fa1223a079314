/* SPDX-License-Identifier: MIT */
/*
 * Analysis "selects", per selecting thread: calls, wakeups (end with ret >
 * 0), timeouts (ret = 0), errors, mean ready fds per wakeup, time blocked
 * (begin -> end), and per fd its share of the wakeups (wakeups in which it was
 * ready / wakeups): a quiet child starved by a chatty one shows here. An fd
 * that is an end of a pipe (ct_fdtab.h: per-process fd -> pipe, inherited
 * across fork) is named after the pipe, "pipe child-1 (fd 5)"; an fd closed
 * and reused for another pipe counts as another row.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ct_alloc.h"
#include "ct_analysis.h"
#include "ct_fdtab.h"

struct ct__fdc {
        int64_t fd;
        uint64_t pipe; /* inode of the pipe fd was an end of, or 0 */
        uint64_t ready;
};

struct ct__sel_th {
        struct ct__open open;
        uint64_t calls, wakeups, timeouts, errors, ready, blocked_ns, unfinished, cut, unmatched;
        struct ct__fdc *fds; /* owned */
        size_t nfds, capfds;
};

struct ct__selects {
        struct ct__model *m;   /* weak */
        struct ct__sel_th *th; /* owned: per thread idx */
        size_t cap;
        struct ct__fdtab fds; /* fd -> pipe per process */
        int err;
};

static void ct__selects_event(void *self, const struct ct_event *ev)
{
        struct ct__selects *s = self;
        struct ct__thread *th;
        struct ct__sel_th *t;
        uint32_t i, epoch;

        if (ev->type == CT_EV_PIPE_CREATE || ev->type == CT_EV_PIPE_CLOSE ||
            ev->type == CT_EV_FORK) {
                if (ct__fdtab_event(&s->fds, ev) < 0) {
                        s->err = -ENOMEM;
                }
                return;
        }
        if (ev->type != CT_EV_SELECT_BEGIN && ev->type != CT_EV_SELECT_END) {
                return;
        }
        th = ct__model_thread(s->m, ev);
        if (!th) {
                return;
        }
        if (ct__grow((void **)&s->th, &s->cap, sizeof(*s->th), th->idx) < 0) {
                s->err = -ENOMEM;
                return;
        }
        t = &s->th[th->idx];
        epoch = ct__model_epoch(s->m, ev->trace);
        if (ev->type == CT_EV_SELECT_BEGIN) {
                t->calls++;
                if (t->open.active) {
                        t->unmatched++;
                }
                t->open.active = 1;
                t->open.ts = ev->ts;
                t->open.epoch = epoch;
                return;
        }
        if (!t->open.active) {
                t->unmatched++;
        } else if (t->open.epoch != epoch) {
                t->cut++;
        } else if (ev->ts > t->open.ts) {
                t->blocked_ns += ev->ts - t->open.ts;
        }
        t->open.active = 0;
        if (ev->ret < 0) {
                t->errors++;
                return;
        }
        if (ev->ret == 0) {
                t->timeouts++;
                return;
        }
        t->wakeups++;
        t->ready += ev->ready_len;
        for (i = 0; i < ev->ready_len; i++) {
                uint64_t pipe = ct__fdtab_pipe(&s->fds, ev->trace, ev->vpid, ev->ready[i]);
                size_t j;

                for (j = 0; j < t->nfds && (t->fds[j].fd != ev->ready[i] || t->fds[j].pipe != pipe);
                     j++) {
                }
                if (j == t->nfds) {
                        if (ct__grow((void **)&t->fds, &t->capfds, sizeof(*t->fds), j) < 0) {
                                s->err = -ENOMEM;
                                return;
                        }
                        t->fds[j].fd = ev->ready[i];
                        t->fds[j].pipe = pipe;
                        t->fds[j].ready = 0;
                        t->nfds++;
                }
                t->fds[j].ready++;
        }
}

static void ct__selects_trace_end(void *self, const struct ct_trace_info *info)
{
        struct ct__selects *s = self;
        size_t i;

        for (i = 0; i < s->m->nthreads && i < s->cap; i++) {
                if (s->m->threads[i]->trace == info->trace && s->th[i].open.active) {
                        s->th[i].open.active = 0;
                        s->th[i].unfinished++;
                }
        }
        ct__fdtab_trace_end(&s->fds, info->trace);
}

static const struct ct_col ct__selects_cols[] = {
    CT__STR("thread"),
    CT__STR("process"),
    {"trace", CT_COL_INT, CT_COL_NOTEXT},
    {"pid", CT_COL_INT, CT_COL_NOTEXT},
    {"tid", CT_COL_INT, CT_COL_NOTEXT},
    CT__INT("calls"),
    CT__INT("wakeups"),
    CT__INT("timeouts"),
    CT__INT("errors"),
    {"mean_ready", CT_COL_FLOAT, 0},
    CT__NS("blocked"),
    CT__INT("unfinished"),
    CT__INT("cut"),
};

static const struct ct_col ct__fds_cols[] = {
    CT__STR("thread"),
    {"trace", CT_COL_INT, CT_COL_NOTEXT},
    {"pid", CT_COL_INT, CT_COL_NOTEXT},
    {"tid", CT_COL_INT, CT_COL_NOTEXT},
    CT__INT("fd"),
    {"pipe", CT_COL_INT, CT_COL_NOTEXT},
    CT__STR("name"),
    CT__INT("wakeups"),
    {"share", CT_COL_RATIO, 0},
};

static int ct__cmp_fdc(const void *a, const void *b)
{
        const struct ct__fdc *x = a, *y = b;

        if (x->ready != y->ready) {
                return x->ready > y->ready ? -1 : 1;
        }
        if (x->fd != y->fd) {
                return x->fd < y->fd ? -1 : 1;
        }
        return x->pipe < y->pipe ? -1 : x->pipe > y->pipe;
}

/* The fd's ct_run:name, else "<pipe> (fd N)" for a pipe end, else "fd N". */
static const char *ct__fd_label(const struct ct__selects *s, const struct ct__thread *th,
                                const struct ct__fdc *c, char *buf, size_t size)
{
        const char *n = ct__model_name(s->m, th->trace, CT_OBJ_FD, (uint64_t)c->fd, th->vpid);
        char pb[192];

        if (n && n[0]) {
                return n;
        }
        if (!c->pipe) {
                return ct__obj_label(s->m, th->trace, CT_OBJ_FD, (uint64_t)c->fd, th->vpid, buf,
                                     size);
        }
        snprintf(buf, size, "%s (fd %" PRId64 ")",
                 ct__obj_label(s->m, th->trace, CT_OBJ_PIPE, c->pipe, th->vpid, pb, sizeof(pb)),
                 c->fd);
        return buf;
}

static void ct__selects_tables(void *self, struct ct_report *r)
{
        struct ct__selects *s = self;
        struct ct_table *t = ct_report_add_table(r, "selects", "select/poll (most blocked first)",
                                                 ct__selects_cols, CT__ARRAY_LEN(ct__selects_cols));
        struct ct_table *f;
        struct ct__blocked_sort *v;
        size_t i, j, n = 0;

        if (!t) {
                return;
        }
        f = ct_report_add_child(r, t, "select_fds", "fds", "select/poll: share of wakeups per fd",
                                ct__fds_cols, CT__ARRAY_LEN(ct__fds_cols));
        v = calloc(s->cap ? s->cap : 1, sizeof(*v));
        if (!f || !v) {
                t->err = -ENOMEM;
                free(v);
                return;
        }
        for (i = 0; i < s->cap && i < s->m->nthreads; i++) {
                if (s->th[i].calls) {
                        v[n].idx = i;
                        v[n++].blocked = s->th[i].blocked_ns;
                }
        }
        qsort(v, n, sizeof(*v), ct__cmp_blocked);
        for (i = 0; i < n; i++) {
                const struct ct__thread *th = s->m->threads[v[i].idx];
                struct ct__sel_th *x = &s->th[v[i].idx];
                size_t row = ct_table_add_row(t);
                char buf[256], tl[256];

                ct__set_thread_cols(t, row, th, tl, sizeof(tl));
                ct_table_set_int(t, row, "calls", (int64_t)x->calls);
                ct_table_set_int(t, row, "wakeups", (int64_t)x->wakeups);
                ct_table_set_int(t, row, "timeouts", (int64_t)x->timeouts);
                ct_table_set_int(t, row, "errors", (int64_t)x->errors);
                if (x->wakeups) {
                        ct_table_set_double(t, row, "mean_ready",
                                            (double)x->ready / (double)x->wakeups);
                }
                ct_table_set_int(t, row, "blocked", (int64_t)x->blocked_ns);
                ct_table_set_int(t, row, "unfinished", (int64_t)x->unfinished);
                ct_table_set_int(t, row, "cut", (int64_t)x->cut);
                if (x->nfds) {
                        qsort(x->fds, x->nfds, sizeof(*x->fds), ct__cmp_fdc);
                }
                for (j = 0; j < x->nfds; j++) {
                        size_t fr = ct_table_add_child_row(f, row);

                        ct_table_set_str(f, fr, "thread", tl);
                        ct_table_set_int(f, fr, "trace", th->trace);
                        ct_table_set_int(f, fr, "pid", th->vpid);
                        ct_table_set_int(f, fr, "tid", th->vtid);
                        ct_table_set_int(f, fr, "fd", x->fds[j].fd);
                        if (x->fds[j].pipe) {
                                ct_table_set_int(f, fr, "pipe", (int64_t)x->fds[j].pipe);
                        }
                        ct_table_set_str(f, fr, "name",
                                         ct__fd_label(s, th, &x->fds[j], buf, sizeof(buf)));
                        ct_table_set_int(f, fr, "wakeups", (int64_t)x->fds[j].ready);
                        ct_table_set_double(f, fr, "share",
                                            (double)x->fds[j].ready / (double)x->wakeups);
                }
        }
        free(v);
        ct_table_note(f, "share = wakeups in which the fd was ready / the thread's wakeups; "
                         "pipe = inode of the pipe the fd was an end of (from ct_pipe:create, "
                         "close and fork)");
        if (s->err) {
                t->err = s->err;
        }
}

static void ct__selects_free(void *self)
{
        struct ct__selects *s = self;
        size_t i;

        for (i = 0; i < s->cap; i++) {
                ct__free(s->th[i].fds);
        }
        ct__free(s->th);
        ct__fdtab_fini(&s->fds);
        ct__free(s);
}

int ct__selects_create(struct ct__model *m, const struct ct_analyses_opts *opts,
                       struct ct__analysis *out)
{
        struct ct__selects *s = ct__calloc(1, sizeof(*s));

        (void)opts;
        if (!s) {
                return -ENOMEM;
        }
        s->m = m;
        ct__fdtab_init(&s->fds);
        ct__analysis_init(out, "selects", s, NULL, ct__selects_event, ct__selects_trace_end,
                          ct__selects_tables, ct__selects_free);
        out->cons.event_types = CT_EV_BIT(CT_EV_PIPE_CREATE) | CT_EV_BIT(CT_EV_PIPE_CLOSE) |
                                CT_EV_BIT(CT_EV_FORK) | CT_EV_BIT(CT_EV_SELECT_BEGIN) |
                                CT_EV_BIT(CT_EV_SELECT_END); /* what ct__selects_event reads */
        return 0;
}
