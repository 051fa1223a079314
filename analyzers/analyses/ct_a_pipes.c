/* SPDX-License-Identifier: MIT */
/*
 * Analysis "pipes", per pipe (trace, inode): bytes written/read, writes,
 * reads, blocked writes (write_begin -> write_end longer than the threshold
 * the report names), EOF seen (read_end ret = 0), EPIPE errors, other errors,
 * and byte-accurate write -> read matching from the offsets: a write covers
 * stream bytes [offset, offset + ret) of its writer, a read [offset, offset +
 * ret) of its reader; a write's latency is from its write_end to the read_end
 * that consumed its last byte. Only in-flight writes are kept (at most
 * CT__PIPE_MAX_INFLIGHT per pipe); matching needs one writer and one reader
 * process per pipe (offsets are per process), else it stops for that pipe.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ct_alloc.h"
#include "ct_analysis.h"
#include "ct_hist.h"
#include "ct_report.h"

#define CT__PIPE_MAX_INFLIGHT 4096

struct ct__seg {
        uint64_t s, e; /* stream bytes [s, e) */
        uint64_t done; /* bytes of it matched so far */
        uint64_t ts;   /* write_end (writes) or read_end (pending reads) */
        uint64_t last; /* writes: latest read_end that consumed some of it */
};

struct ct__pipe {
        struct ct_hist lat; /* owns its octaves */
        uint64_t bytes_written, bytes_read, writes, reads, blocked_writes, eof, epipe, errors;
        uint64_t write_ns, read_ns, unread_bytes, unmatched_bytes, cut, unfinished;
        int64_t writer, reader; /* pid + 1 of the only writer/reader process, 0 = none */
        int multi;              /* several writers or readers: no byte matching */
        uint64_t written_hi;    /* end of the highest write seen */
        struct ct__seg *w;      /* owned: in-flight writes, sorted by s */
        size_t nw, capw;
        struct ct__seg *r; /* owned: reads of bytes whose write is not seen yet */
        size_t nr, capr;
        uint64_t first_ts, last_ts; /* its first and last event: which run used it */
};

struct ct__pp_th {
        struct ct__open wr, rd; /* obj = pipe */
};

struct ct__pipes {
        struct ct__model *m; /* weak */
        uint64_t threshold;
        struct ct__map pipes; /* (trace, inode, 0) -> struct ct__pipe */
        struct ct__pp_th *th; /* owned: per thread idx */
        size_t cap;
        int err;
};

static void ct__pipe_sample(struct ct__pipes *s, struct ct__pipe *p, uint64_t wts, uint64_t rts)
{
        if (ct_hist_add(&p->lat, rts > wts ? rts - wts : 0) < 0) {
                s->err = -ENOMEM;
        }
}

static void ct__seg_remove(struct ct__seg *a, size_t *n, size_t i)
{
        memmove(&a[i], &a[i + 1], (*n - i - 1) * sizeof(*a));
        (*n)--;
}

static int ct__seg_push(struct ct__pipes *s, struct ct__pipe *p, struct ct__seg **a, size_t *n,
                        size_t *cap, struct ct__seg seg)
{
        size_t i;

        if (*n >= CT__PIPE_MAX_INFLIGHT) {
                /* bounded memory: forget the oldest */
                p->unmatched_bytes += (*a)[0].e - (*a)[0].s - (*a)[0].done;
                ct__seg_remove(*a, n, 0);
        }
        if (ct__grow((void **)a, cap, sizeof(**a), *n) < 0) {
                s->err = -ENOMEM;
                return -ENOMEM;
        }
        for (i = *n; i > 0 && (*a)[i - 1].s > seg.s; i--) {
        }
        memmove(&(*a)[i + 1], &(*a)[i], (*n - i) * sizeof(**a));
        (*a)[i] = seg;
        (*n)++;
        return 0;
}

static void ct__pipe_write(struct ct__pipes *s, struct ct__pipe *p, uint64_t off, uint64_t len,
                           uint64_t ts)
{
        struct ct__seg w = {off, off + len, 0, ts, 0};
        size_t i;

        if (off + len > p->written_hi) {
                p->written_hi = off + len;
        }
        /* reads that came before this write's write_end */
        for (i = 0; i < p->nr && w.done < len;) {
                struct ct__seg *r = &p->r[i];
                uint64_t lo = r->s > w.s ? r->s : w.s, hi = r->e < w.e ? r->e : w.e;

                if (lo >= hi) {
                        i++;
                        continue;
                }
                w.done += hi - lo;
                if (r->ts > w.last) {
                        w.last = r->ts;
                }
                if (lo == r->s && hi == r->e) {
                        ct__seg_remove(p->r, &p->nr, i);
                } else if (lo == r->s) {
                        r->s = hi;
                        i++;
                } else if (hi == r->e) {
                        r->e = lo;
                        i++;
                } else {
                        struct ct__seg tail = *r;

                        tail.s = hi;
                        r->e = lo;
                        ct__seg_push(s, p, &p->r, &p->nr, &p->capr, tail);
                        i++;
                }
        }
        if (w.done == len) {
                ct__pipe_sample(s, p, ts, w.last);
                return;
        }
        ct__seg_push(s, p, &p->w, &p->nw, &p->capw, w);
}

static void ct__pipe_read(struct ct__pipes *s, struct ct__pipe *p, uint64_t off, uint64_t len,
                          uint64_t ts)
{
        uint64_t e = off + len, covered = 0;
        size_t i;

        for (i = 0; i < p->nw;) {
                struct ct__seg *w = &p->w[i];
                uint64_t lo = w->s > off ? w->s : off, hi = w->e < e ? w->e : e;

                if (w->s >= e) {
                        break;
                }
                if (lo >= hi) {
                        i++;
                        continue;
                }
                covered += hi - lo;
                w->done += hi - lo;
                w->last = ts;
                if (w->done >= w->e - w->s) {
                        ct__pipe_sample(s, p, w->ts, ts);
                        ct__seg_remove(p->w, &p->nw, i);
                } else {
                        i++;
                }
        }
        if (covered < len) {
                /* bytes beyond every write seen: their write_end comes later */
                uint64_t lo = off > p->written_hi ? off : p->written_hi;

                if (e > lo) {
                        struct ct__seg r = {lo, e, 0, ts, 0};

                        covered += e - lo;
                        ct__seg_push(s, p, &p->r, &p->nr, &p->capr, r);
                }
                if (covered < len) {
                        p->unmatched_bytes += len - covered; /* their write was never seen */
                }
        }
}

/* Matching needs one writer and one reader process: offsets are per process. */
static int ct__pipe_owner(struct ct__pipe *p, int64_t *who, int64_t vpid)
{
        if (p->multi) {
                return 0;
        }
        if (!*who) {
                *who = vpid + 1;
        } else if (*who != vpid + 1) {
                p->multi = 1;
                p->nw = 0;
                p->nr = 0;
                return 0;
        }
        return 1;
}

static void ct__pipes_event(void *self, const struct ct_event *ev)
{
        struct ct__pipes *s = self;
        struct ct__thread *th;
        struct ct__pp_th *t;
        struct ct__pipe *p;
        struct ct__open *o;
        int created;
        uint32_t epoch;
        uint64_t dur = 0;
        int timed = 0;

        if (ev->type < CT_EV_PIPE_CREATE || ev->type > CT_EV_PIPE_CLOSE) {
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
        p = ct__map_put(&s->pipes, ct__key3(ev->trace, ev->obj, 0), &created);
        if (!p) {
                s->err = -ENOMEM;
                return;
        }
        if (created) {
                ct_hist_init(&p->lat);
                p->first_ts = ev->ts;
        }
        p->last_ts = ev->ts > p->last_ts ? ev->ts : p->last_ts;
        epoch = ct__model_epoch(s->m, ev->trace);
        o = ev->type == CT_EV_PIPE_WRITE_BEGIN || ev->type == CT_EV_PIPE_WRITE_END ? &t->wr
                                                                                   : &t->rd;
        switch (ev->type) {
        case CT_EV_PIPE_WRITE_BEGIN:
        case CT_EV_PIPE_READ_BEGIN:
                if (o->active) {
                        p->unfinished++;
                }
                o->active = 1;
                o->obj = ev->obj;
                o->ts = ev->ts;
                o->epoch = epoch;
                break;
        case CT_EV_PIPE_WRITE_END:
        case CT_EV_PIPE_READ_END:
                if (o->active && o->obj == ev->obj) {
                        if (o->epoch != epoch) {
                                p->cut++;
                        } else {
                                dur = ev->ts >= o->ts ? ev->ts - o->ts : 0;
                                timed = 1;
                        }
                }
                o->active = 0;
                if (ev->type == CT_EV_PIPE_WRITE_END) {
                        p->writes++;
                        p->write_ns += dur;
                        if (timed && dur > s->threshold) {
                                p->blocked_writes++;
                        }
                        if (ev->ret > 0) {
                                p->bytes_written += (uint64_t)ev->ret;
                                if (ct__pipe_owner(p, &p->writer, ev->vpid)) {
                                        ct__pipe_write(s, p, ev->offset, (uint64_t)ev->ret, ev->ts);
                                }
                        } else if (ev->ret < 0 && ev->err == EPIPE) {
                                p->epipe++;
                        } else if (ev->ret < 0) {
                                p->errors++;
                        }
                } else {
                        p->reads++;
                        p->read_ns += dur;
                        if (ev->ret > 0) {
                                p->bytes_read += (uint64_t)ev->ret;
                                if (ct__pipe_owner(p, &p->reader, ev->vpid)) {
                                        ct__pipe_read(s, p, ev->offset, (uint64_t)ev->ret, ev->ts);
                                }
                        } else if (ev->ret == 0) {
                                p->eof++;
                        } else {
                                p->errors++;
                        }
                }
                break;
        default:
                break;
        }
}

static void ct__pipes_trace_end(void *self, const struct ct_trace_info *info)
{
        struct ct__pipes *s = self;
        struct ct__key k;
        struct ct__pipe *p;
        size_t i = 0, j;

        while ((p = ct__map_next(&s->pipes, &i, &k))) {
                if (k.a != info->trace) {
                        continue;
                }
                for (j = 0; j < p->nw; j++) {
                        p->unread_bytes += p->w[j].e - p->w[j].s - p->w[j].done;
                }
                for (j = 0; j < p->nr; j++) {
                        p->unmatched_bytes += p->r[j].e - p->r[j].s;
                }
                p->nw = 0;
                p->nr = 0;
        }
        for (i = 0; i < s->m->nthreads && i < s->cap; i++) {
                struct ct__pp_th *t = &s->th[i];

                if (s->m->threads[i]->trace != info->trace) {
                        continue;
                }
                if (t->wr.active || t->rd.active) {
                        p = ct__map_get(
                            &s->pipes,
                            ct__key3(info->trace, t->wr.active ? t->wr.obj : t->rd.obj, 0));
                        if (p) {
                                p->unfinished += (uint64_t)t->wr.active + t->rd.active;
                        }
                }
                memset(t, 0, sizeof(*t));
        }
}

static const struct ct_col ct__pipes_cols[] = {
    CT__STR("pipe"),
    {"trace", CT_COL_INT, CT_COL_NOTEXT},
    {"inode", CT_COL_INT, CT_COL_NOTEXT},
    CT__INT("bytes_written"),
    CT__INT("bytes_read"),
    CT__INT("writes"),
    CT__INT("reads"),
    CT__INT("blocked_writes"),
    {"blocked_write_threshold", CT_COL_NS, CT_COL_NOTEXT},
    CT__NS("write_time"),
    CT__NS("read_time"),
    CT__INT("eof"),
    CT__INT("epipe"),
    {"errors", CT_COL_INT, CT_COL_NOTEXT},
    CT__INT("matched"),
    {"latency_total", CT_COL_NS, CT_COL_NOTEXT},
    CT__NS("latency_mean"),
    CT__NS("latency_p50"),
    CT__NS("latency_p95"),
    CT__NS("latency_p99"),
    CT__NS("latency_max"),
    CT__INT("unread_bytes"),
    {"unmatched_bytes", CT_COL_INT, CT_COL_NOTEXT},
    {"matching", CT_COL_STR, CT_COL_NOTEXT},
    CT__INT("unfinished"),
    CT__INT("cut"),
    CT__SPAN_COLS,
};

static int ct__cmp_pipe(const void *a, const void *b)
{
        const struct ct__map_entry *ea = a, *eb = b;
        const struct ct__pipe *x = ea->v, *y = eb->v;
        uint64_t tx = x->write_ns + x->read_ns, ty = y->write_ns + y->read_ns;

        if (tx != ty) {
                return tx > ty ? -1 : 1;
        }
        if (x->bytes_written != y->bytes_written) {
                return x->bytes_written > y->bytes_written ? -1 : 1;
        }
        return ct__key_cmp(&ea->k, &eb->k); /* (trace, inode, 0) */
}

static void ct__pipes_tables(void *self, struct ct_report *r)
{
        struct ct__pipes *s = self;
        struct ct_table *t =
            ct_report_add_table(r, "pipes", "Pipes (most time in read/write first)", ct__pipes_cols,
                                CT__ARRAY_LEN(ct__pipes_cols));
        struct ct__map_entry *v;
        size_t i, n;
        char buf[256];

        if (!t) {
                return;
        }
        v = ct__map_sorted(&s->pipes, ct__cmp_pipe, &n);
        if (!v) {
                t->err = -ENOMEM;
                return;
        }
        for (i = 0; i < n; i++) {
                const struct ct__pipe *x = v[i].v;
                size_t row = ct_table_add_row(t);

                ct_table_set_str(t, row, "pipe",
                                 ct__obj_label(s->m, (uint32_t)v[i].k.a, CT_OBJ_PIPE, v[i].k.b, -1,
                                               buf, sizeof(buf)));
                ct_table_set_int(t, row, "trace", (int64_t)v[i].k.a);
                ct_table_set_int(t, row, "inode", (int64_t)v[i].k.b);
                ct_table_set_int(t, row, "bytes_written", (int64_t)x->bytes_written);
                ct_table_set_int(t, row, "bytes_read", (int64_t)x->bytes_read);
                ct_table_set_int(t, row, "writes", (int64_t)x->writes);
                ct_table_set_int(t, row, "reads", (int64_t)x->reads);
                ct_table_set_int(t, row, "blocked_writes", (int64_t)x->blocked_writes);
                ct_table_set_int(t, row, "blocked_write_threshold", (int64_t)s->threshold);
                ct_table_set_int(t, row, "write_time", (int64_t)x->write_ns);
                ct_table_set_int(t, row, "read_time", (int64_t)x->read_ns);
                ct_table_set_int(t, row, "eof", (int64_t)x->eof);
                ct_table_set_int(t, row, "epipe", (int64_t)x->epipe);
                ct_table_set_int(t, row, "errors", (int64_t)x->errors);
                ct_table_set_int(t, row, "matched", (int64_t)x->lat.count);
                ct__set_hist_cols(t, row, "latency", &x->lat);
                ct_table_set_int(t, row, "unread_bytes", (int64_t)x->unread_bytes);
                ct_table_set_int(t, row, "unmatched_bytes", (int64_t)x->unmatched_bytes);
                ct_table_set_str(t, row, "matching",
                                 x->multi ? "off: several writer or reader processes" : "bytes");
                ct_table_set_int(t, row, "unfinished", (int64_t)x->unfinished);
                ct_table_set_int(t, row, "cut", (int64_t)x->cut);
                ct__set_span_cols(t, row, x->first_ts, x->last_ts);
        }
        free(v);
        ct_table_note(t,
                      "blocked_writes = writes longer than %s (blocked_write_threshold_ns=%llu); "
                      "latency = write_end -> read_end that consumed the write's last byte, "
                      "matched by byte offsets; unread_bytes = written, never read",
                      ct_report_fmt_ns((int64_t)s->threshold, buf, sizeof(buf)),
                      (unsigned long long)s->threshold);
        if (s->err) {
                t->err = s->err;
        }
}

static void ct__pipes_free(void *self)
{
        struct ct__pipes *s = self;
        struct ct__pipe *p;
        size_t i = 0;

        while ((p = ct__map_next(&s->pipes, &i, NULL))) {
                ct_hist_fini(&p->lat);
                ct__free(p->w);
                ct__free(p->r);
        }
        ct__map_fini(&s->pipes);
        ct__free(s->th);
        ct__free(s);
}

int ct__pipes_create(struct ct__model *m, const struct ct_analyses_opts *opts,
                     struct ct__analysis *out)
{
        struct ct__pipes *s = ct__calloc(1, sizeof(*s));

        if (!s) {
                return -ENOMEM;
        }
        s->m = m;
        s->threshold = opts->blocked_write_threshold_ns;
        ct__map_init(&s->pipes, sizeof(struct ct__pipe));
        ct__analysis_init(out, "pipes", s, NULL, ct__pipes_event, ct__pipes_trace_end,
                          ct__pipes_tables, ct__pipes_free);
        out->cons.event_types =
            CT_EV_BITS(CT_EV_PIPE_CREATE, CT_EV_PIPE_CLOSE); /* what ct__pipes_event reads */
        return 0;
}
