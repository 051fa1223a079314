/* SPDX-License-Identifier: MIT */
/*
 * Analysis "threads": lifetime (thread_begin -> thread_end, else first ->
 * last event), blocked time split by cause (lock request->acquire, and a
 * semaphore's request->acquire/fail counted as lock, cond
 * wait_begin->wait_end, pipe read/write begin->end, select begin->end,
 * io_sim work, join), compute (compute work), other = lifetime - the rest.
 * Intervals pair begin/end on the thread and object; intervals open at trace
 * end are counted "unfinished", intervals a discarded-events gap cuts "cut":
 * neither is added to the times.
 *
 * Nested intervals (the GIL: request -> cond waits -> acquire; a lock taken
 * inside a compute interval) are not counted twice: the time between two
 * begin/end events of a thread goes to its outermost open blocking interval,
 * else to an open compute interval, so blocked + compute <= lifetime.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ct_alloc.h"
#include "ct_analysis.h"

enum ct__cause {
        CT__C_LOCK,
        CT__C_COND,
        CT__C_PIPE_READ,
        CT__C_PIPE_WRITE,
        CT__C_SELECT,
        CT__C_IO_SIM,
        CT__C_JOIN,
        CT__C_COMPUTE,
        CT__C_COUNT
};

static const char *const ct__cause_names[CT__C_COUNT] = {
    "lock", "cond", "pipe_read", "pipe_write", "select", "io_sim", "join", "compute",
};

struct ct__th {
        struct ct__open open[CT__C_COUNT];
        uint64_t acc[CT__C_COUNT]; /* time attributed so far to the open interval */
        uint64_t mark;             /* last begin/end of this thread */
        uint64_t ns[CT__C_COUNT];
        uint64_t unfinished, cut, unmatched;
        unsigned act; /* bit c: open[c].active */
};

struct ct__threads {
        struct ct__model *m; /* weak */
        struct ct__th *th;   /* owned: per thread idx */
        size_t cap;
        int err;
};

/* Gives the time since the thread's last begin/end to the interval it belongs to. */
static void ct__th_account(struct ct__th *t, uint64_t now)
{
        int c, a = -1;

        if (now > t->mark) {
                /* the earliest open blocking interval: only the active ones are looked at */
                unsigned m = t->act & ((1u << CT__C_COMPUTE) - 1);

                for (c = 0; m; c++, m >>= 1) {
                        if ((m & 1) && (a < 0 || t->open[c].ts < t->open[a].ts)) {
                                a = c;
                        }
                }
                if (a < 0 && t->open[CT__C_COMPUTE].active) {
                        a = CT__C_COMPUTE;
                }
                if (a >= 0) {
                        t->acc[a] += now - t->mark;
                }
        }
        t->mark = now;
}

static void ct__th_begin(struct ct__threads *s, struct ct__th *t, int c, const struct ct_event *ev,
                         uint64_t obj)
{
        ct__th_account(t, ev->ts);
        t->acc[c] = 0;
        if (t->open[c].active) {
                t->unmatched++; /* a begin whose end never came */
        }
        t->open[c].active = 1;
        t->act |= 1u << c;
        t->open[c].ts = ev->ts;
        t->open[c].obj = obj;
        t->open[c].epoch = ct__model_epoch(s->m, ev->trace);
}

static void ct__th_end(struct ct__threads *s, struct ct__th *t, int c, const struct ct_event *ev,
                       uint64_t obj)
{
        struct ct__open *o = &t->open[c];

        ct__th_account(t, ev->ts);
        if (!o->active) {
                if (c != CT__C_LOCK) { /* an acquire without request waited 0 */
                        t->unmatched++;
                }
                return;
        }
        o->active = 0;
        t->act &= ~(1u << c);
        if (o->obj != obj) {
                t->unmatched++;
        } else if (o->epoch != ct__model_epoch(s->m, ev->trace)) {
                t->cut++;
        } else {
                t->ns[c] += t->acc[c];
        }
        t->acc[c] = 0;
}

static void ct__threads_event(void *self, const struct ct_event *ev)
{
        struct ct__threads *s = self;
        struct ct__thread *th;
        struct ct__th *t;
        int work;

        switch (ev->type) {
        case CT_EV_LOCK_REQUEST:
        case CT_EV_LOCK_ACQUIRE:
        case CT_EV_SEM_REQUEST:
        case CT_EV_SEM_ACQUIRE:
        case CT_EV_SEM_FAIL:
        case CT_EV_COND_WAIT_BEGIN:
        case CT_EV_COND_WAIT_END:
        case CT_EV_PIPE_READ_BEGIN:
        case CT_EV_PIPE_READ_END:
        case CT_EV_PIPE_WRITE_BEGIN:
        case CT_EV_PIPE_WRITE_END:
        case CT_EV_SELECT_BEGIN:
        case CT_EV_SELECT_END:
        case CT_EV_WORK_BEGIN:
        case CT_EV_WORK_END:
        case CT_EV_JOIN_BEGIN:
        case CT_EV_JOIN_END:
                break;
        default:
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
        work = ev->kind == CT_WORK_IO_SIM ? CT__C_IO_SIM : CT__C_COMPUTE;
        switch (ev->type) {
        case CT_EV_LOCK_REQUEST:
                ct__th_begin(s, t, CT__C_LOCK, ev, ev->obj);
                break;
        case CT_EV_LOCK_ACQUIRE:
                ct__th_end(s, t, CT__C_LOCK, ev, ev->obj);
                break;
        /* A semaphore wait (CPython's threading.Lock is one) is lock time. */
        case CT_EV_SEM_REQUEST:
                ct__th_begin(s, t, CT__C_LOCK, ev, ev->obj);
                break;
        case CT_EV_SEM_ACQUIRE:
        case CT_EV_SEM_FAIL:
                ct__th_end(s, t, CT__C_LOCK, ev, ev->obj);
                break;
        case CT_EV_COND_WAIT_BEGIN:
                ct__th_begin(s, t, CT__C_COND, ev, ev->obj);
                break;
        case CT_EV_COND_WAIT_END:
                ct__th_end(s, t, CT__C_COND, ev, ev->obj);
                break;
        case CT_EV_PIPE_READ_BEGIN:
                ct__th_begin(s, t, CT__C_PIPE_READ, ev, ev->obj);
                break;
        case CT_EV_PIPE_READ_END:
                ct__th_end(s, t, CT__C_PIPE_READ, ev, ev->obj);
                break;
        case CT_EV_PIPE_WRITE_BEGIN:
                ct__th_begin(s, t, CT__C_PIPE_WRITE, ev, ev->obj);
                break;
        case CT_EV_PIPE_WRITE_END:
                ct__th_end(s, t, CT__C_PIPE_WRITE, ev, ev->obj);
                break;
        case CT_EV_SELECT_BEGIN:
                ct__th_begin(s, t, CT__C_SELECT, ev, 0);
                break;
        case CT_EV_SELECT_END:
                ct__th_end(s, t, CT__C_SELECT, ev, 0);
                break;
        case CT_EV_WORK_BEGIN:
                ct__th_begin(s, t, work, ev, 0);
                break;
        case CT_EV_WORK_END:
                ct__th_end(s, t, work, ev, 0);
                break;
        case CT_EV_JOIN_BEGIN:
                ct__th_begin(s, t, CT__C_JOIN, ev, (uint64_t)ev->target);
                break;
        case CT_EV_JOIN_END:
                ct__th_end(s, t, CT__C_JOIN, ev, (uint64_t)ev->target);
                break;
        default:
                break;
        }
}

static void ct__threads_trace_end(void *self, const struct ct_trace_info *info)
{
        struct ct__threads *s = self;
        size_t i;
        int c;

        for (i = 0; i < s->m->nthreads && i < s->cap; i++) {
                if (s->m->threads[i]->trace != info->trace) {
                        continue;
                }
                for (c = 0; c < CT__C_COUNT; c++) {
                        if (s->th[i].open[c].active) {
                                s->th[i].open[c].active = 0;
                                s->th[i].act &= ~(1u << c);
                                s->th[i].unfinished++;
                        }
                }
        }
}

static const struct ct_col ct__threads_cols[] = {
    {"trace", CT_COL_INT, CT_COL_NOTEXT},
    CT__STR("thread"),
    CT__STR("process"),
    {"pid", CT_COL_INT, CT_COL_NOTEXT},
    {"tid", CT_COL_INT, CT_COL_NOTEXT},
    {"role", CT_COL_STR, CT_COL_NOTEXT},
    {"procname", CT_COL_STR, CT_COL_NOTEXT},
    {"start_ts", CT_COL_INT, CT_COL_NOTEXT},
    CT__NS("lifetime"),
    CT__STR("ended"),
    CT__NS("blocked"),
    CT__NS("lock"),
    CT__NS("cond"),
    CT__NS("pipe_read"),
    CT__NS("pipe_write"),
    CT__NS("select"),
    CT__NS("io_sim"),
    CT__NS("join"),
    CT__NS("compute"),
    CT__NS("other"),
    CT__INT("unfinished"),
    CT__INT("cut"),
    {"unmatched", CT_COL_INT, CT_COL_NOTEXT},
};

static void ct__threads_tables(void *self, struct ct_report *r)
{
        struct ct__threads *s = self;
        struct ct_table *t = ct_report_add_table(r, "threads", "Threads (most blocked first)",
                                                 ct__threads_cols, CT__ARRAY_LEN(ct__threads_cols));
        struct ct__blocked_sort *order;
        static const struct ct__th zero;
        size_t i, n = s->m->nthreads;
        int c;

        if (!t) {
                return;
        }
        order = calloc(n ? n : 1, sizeof(*order));
        if (!order) {
                t->err = -ENOMEM;
                return;
        }
        for (i = 0; i < n; i++) {
                const struct ct__th *x = i < s->cap ? &s->th[i] : &zero;

                order[i].idx = i;
                for (c = 0; c < CT__C_COMPUTE; c++) {
                        order[i].blocked += x->ns[c];
                }
        }
        qsort(order, n, sizeof(*order), ct__cmp_blocked);
        for (i = 0; i < n; i++) {
                const struct ct__thread *th = s->m->threads[order[i].idx];
                const struct ct__th *x = order[i].idx < s->cap ? &s->th[order[i].idx] : &zero;
                uint64_t start = ct__thread_start(th), stop = ct__thread_stop(th);
                uint64_t life = stop > start ? stop - start : 0;
                uint64_t busy = order[i].blocked + x->ns[CT__C_COMPUTE];
                size_t row = ct_table_add_row(t);
                char buf[256];

                ct__set_thread_cols(t, row, th, buf, sizeof(buf));
                ct_table_set_str(t, row, "role", th->role);
                ct_table_set_str(t, row, "procname", th->procname);
                ct_table_set_int(t, row, "start_ts", (int64_t)start);
                ct_table_set_int(t, row, "lifetime", (int64_t)life);
                ct_table_set_str(t, row, "ended", th->has_end ? "yes" : "no");
                ct_table_set_int(t, row, "blocked", (int64_t)order[i].blocked);
                for (c = 0; c < CT__C_COUNT; c++) {
                        ct_table_set_int(t, row, ct__cause_names[c], (int64_t)x->ns[c]);
                }
                ct_table_set_int(t, row, "other", (int64_t)(life > busy ? life - busy : 0));
                ct_table_set_int(t, row, "unfinished", (int64_t)x->unfinished);
                ct_table_set_int(t, row, "cut", (int64_t)x->cut);
                ct_table_set_int(t, row, "unmatched", (int64_t)x->unmatched);
        }
        free(order);
        ct_table_note(t, "lifetime = thread_begin -> thread_end, or first -> last event when "
                         "ended=no; blocked = lock+cond+pipe_read+pipe_write+select+io_sim+join; "
                         "other = lifetime - blocked - compute");
        if (s->err) {
                t->err = s->err;
        }
}

static void ct__threads_free(void *self)
{
        struct ct__threads *s = self;

        ct__free(s->th);
        ct__free(s);
}

int ct__threads_create(struct ct__model *m, const struct ct_analyses_opts *opts,
                       struct ct__analysis *out)
{
        struct ct__threads *s = ct__calloc(1, sizeof(*s));

        (void)opts;
        if (!s) {
                return -ENOMEM;
        }
        s->m = m;
        ct__analysis_init(out, "threads", s, NULL, ct__threads_event, ct__threads_trace_end,
                          ct__threads_tables, ct__threads_free);
        out->cons.event_types =
            CT_EV_BIT(CT_EV_LOCK_REQUEST) | CT_EV_BIT(CT_EV_LOCK_ACQUIRE) |
            CT_EV_BITS(CT_EV_SEM_REQUEST, CT_EV_SEM_FAIL) |
            CT_EV_BITS(CT_EV_COND_WAIT_BEGIN, CT_EV_COND_WAIT_END) |
            CT_EV_BITS(CT_EV_PIPE_WRITE_BEGIN, CT_EV_PIPE_READ_END) |
            CT_EV_BITS(CT_EV_SELECT_BEGIN, CT_EV_SELECT_END) |
            CT_EV_BITS(CT_EV_WORK_BEGIN, CT_EV_WORK_END) |
            CT_EV_BITS(CT_EV_JOIN_BEGIN, CT_EV_JOIN_END); /* what ct__threads_event reads */
        return 0;
}
