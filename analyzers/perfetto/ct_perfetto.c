/* SPDX-License-Identifier: MIT */
/*
 * Perfetto timeline writer: decoded events -> Chrome JSON trace-event file.
 * This file is the consumer: it dispatches each event to the module that
 * draws it (see ct_pf.h for the map of modules) and runs the trace and file
 * lifecycle.
 *
 * Design (see docs/perfetto.md for the user's view):
 *
 * - Every interval is written as one complete event ("ph":"X") when it ends,
 *   so nothing is ever left open in the file; per-track stacks keep the
 *   slices of a track nested (ct_pf_stack).
 * - Lock holds live on a companion track per thread ("role (tid) locks"),
 *   because the runtime's cond wait releases and re-acquires the mutex inside
 *   the wait: holds cross cond waits by construction.
 * - Flows use the v1 form ("s" / "f" with "bp":"e"), emitted as a pair when
 *   both ends are known. Perfetto binds them to the topmost slice of the
 *   track at their timestamp (after sorting: at equal ts, X events come
 *   first, longest first) without closing slices that ended before, and it
 *   orients an arrow by the start ts of the two slices. So each flow end sits
 *   at the start ts of a slice we emit (a pipe write, a task, a read that
 *   began after the write), or on a zero-duration marker slice at the instant
 *   itself (submit, signal, release, woken, acquired, data). v2 flows
 *   (bind_id on the slice) cannot express one slice with several flows (a
 *   read consuming two writes, a broadcast waking three waiters) and would
 *   orient a hand-off backwards when the waiter started waiting first.
 * - Timestamps: ns relative to the first event of each trace, printed as
 *   microseconds with exactly three decimals by integer arithmetic.
 * - Ids: reused or already used (pid, tid) get synthetic ids (ct_pf_track).
 * - Memory: state only for live threads, processes, objects, open intervals
 *   and pending flow ends; nothing is allocated per event in steady state.
 */
#define _POSIX_C_SOURCE 200809L
#include "ct_perfetto.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ct_pf.h"
#include "ct_pf_critpath.h"
#include "ct_pf_cond.h"
#include "ct_pf_counter.h"
#include "ct_pf_lock.h"
#include "ct_pf_name.h"
#include "ct_pf_pb.h"
#include "ct_pf_pipe.h"
#include "ct_pf_record.h"
#include "ct_pf_stack.h"
#include "ct_pf_task.h"
#include "ct_pf_track.h"

static void ct__pf_trace_begin(void *self, uint32_t trace, const char *path);

/* ------------------------------------------------------------ events */

static void ct__pf_on_discarded(struct ct__pf *pf, const struct ct_event *ev, uint64_t ts)
{
        int first = 1;

        ct__pf_rec_global_instant(pf, ts, "discarded events");
        ct__pf_rec_arg_u(pf, &first, "trace", pf->trace);
        ct__pf_rec_arg_u(pf, &first, "count", ev->count);
        if (ev->ts_begin && ev->ts_begin <= ev->ts)
                ct__pf_rec_arg_u(pf, &first, "gap_ns", ev->ts - ev->ts_begin);
        ct__pf_rec_end(pf, first);
        ct__pf_stack_mark_gap(pf);
}

static void ct__pf_on_thread_end(struct ct__pf *pf, struct ct__pf_thr *t, uint64_t ts)
{
        ct__pf_stack_close_all(pf, t, ts);
        if (t->vtid == t->vpid && t->proc->nthreads == 1) {
                ct__pf_stack_close_runs(pf, t->proc, ts);
                t->proc->dead = 1;
        }
        ct__pf_track_drop_thread(pf, t);
}

/* A child process exited: close its threads' intervals, forget them. */
static void ct__pf_proc_exit(struct ct__pf *pf, struct ct__pf_proc *p, uint64_t ts)
{
        size_t i = 0;

        p->refs++;
        while (i < pf->threads.cap) {
                struct ct__pf_thr *t = pf->threads.slots[i].v;
                if (t && t->proc == p) {
                        ct__pf_stack_close_all(pf, t, ts);
                        ct__pf_track_drop_thread(pf, t); /* backward shift: slot i again */
                        continue;
                }
                i++;
        }
        ct__pf_stack_close_runs(pf, p, ts);
        p->dead = 1;
        ct__pf_track_proc_unref(p);
}

/* fork / exit instants on the parent thread (exit: the child's end). */
static void ct__pf_on_child(struct ct__pf *pf, struct ct__pf_thr *t, const struct ct_event *ev,
                            uint64_t ts)
{
        int is_exit = ev->type == CT_EV_CHILD_EXIT, first = 1;
        struct ct__pf_proc *child = is_exit ? ct__pf_track_proc(pf, ev->target) : NULL;

        ct__pf_rec_instant(pf, ts, t->proc->jpid, t->jtid, is_exit ? "exit" : "fork", NULL);
        ct__pf_rec_arg_i(pf, &first, "child", ev->target);
        if (is_exit)
                ct__pf_rec_arg_i(pf, &first, "status", ev->status);
        ct__pf_rec_end(pf, first);
        if (child)
                ct__pf_proc_exit(pf, child, ts);
}

/* A select end: its slice, and a wakeup instant if fds were ready. */
static void ct__pf_on_select_end(struct ct__pf *pf, struct ct__pf_thr *t, const struct ct_event *ev,
                                 uint64_t ts)
{
        struct ct__pf_ival iv;
        char ready[256];
        int sliced, first = 1;

        ct__pf_stack_close(pf, t, CT__PF_SELECT, 0, 0, ts, ev, &iv, &sliced);
        if (ev->ret <= 0)
                return;
        ct__pf_rec_fds(ev, ready, sizeof(ready));
        ct__pf_rec_instant(pf, ts, t->proc->jpid, t->jtid, "wakeup", NULL);
        ct__pf_rec_arg_i(pf, &first, "ready_count", ev->ret);
        ct__pf_rec_arg_s(pf, &first, "ready", ready);
        ct__pf_rec_end(pf, first);
}

/* An interval end with nothing more to draw: close it. */
static void ct__pf_close(struct ct__pf *pf, struct ct__pf_thr *t, int kind, int match_obj,
                         const struct ct_event *ev, uint64_t ts)
{
        struct ct__pf_ival iv;
        int sliced;

        ct__pf_stack_close(pf, t, kind, match_obj, ev->obj, ts, ev, &iv, &sliced);
}

static int ct__pf_work_kind(const struct ct_event *ev)
{
        return ev->kind == CT_WORK_IO_SIM ? CT__PF_IOSIM : CT__PF_COMPUTE;
}

/* Events of a known thread t, at ts (relative). */
static void ct__pf_dispatch(struct ct__pf *pf, struct ct__pf_thr *t, const struct ct_event *ev,
                            uint64_t ts)
{
        char tmp[CT__PF_NAME_TMP];

        switch (ev->type) {
        case CT_EV_RUN_BEGIN:
        case CT_EV_RUN_END:
        case CT_EV_PHASE_BEGIN:
        case CT_EV_PHASE_END:
                ct__pf_stack_run(pf, t, ev, ts);
                break;
        case CT_EV_THREAD_BEGIN:
                if (pf->just_created != t)
                        ct__pf_track_rename(pf, t, ev->str);
                break;
        case CT_EV_THREAD_END:
                ct__pf_on_thread_end(pf, t, ts);
                break;
        case CT_EV_FORK:
        case CT_EV_CHILD_EXIT:
                ct__pf_on_child(pf, t, ev, ts);
                break;
        case CT_EV_JOIN_BEGIN:
                ct__pf_stack_open(pf, t, CT__PF_JOIN, 0, ts, ev->target, 0);
                break;
        case CT_EV_JOIN_END:
                ct__pf_close(pf, t, CT__PF_JOIN, 0, ev, ts);
                break;
        case CT_EV_WORK_BEGIN:
                ct__pf_stack_open(pf, t, ct__pf_work_kind(ev), 0, ts, (int64_t)ev->units, 0);
                break;
        case CT_EV_WORK_END:
                ct__pf_close(pf, t, ct__pf_work_kind(ev), 0, ev, ts);
                break;
        case CT_EV_PIPE_CREATE:
                ct__pf_pipe_create(pf, t, ev);
                break;
        case CT_EV_PIPE_WRITE_BEGIN:
        case CT_EV_PIPE_READ_BEGIN:
                ct__pf_stack_open(pf, t,
                                  ev->type == CT_EV_PIPE_READ_BEGIN ? CT__PF_READ : CT__PF_WRITE,
                                  ev->obj, ts, ev->fd, (int64_t)ev->len);
                break;
        case CT_EV_PIPE_WRITE_END:
        case CT_EV_PIPE_READ_END:
                ct__pf_pipe_end(pf, t, ev, ts);
                break;
        case CT_EV_SELECT_BEGIN:
                ct__pf_stack_open(pf, t, CT__PF_SELECT, 0, ts, ev->nfds, 0);
                break;
        case CT_EV_SELECT_END:
                ct__pf_on_select_end(pf, t, ev, ts);
                break;
        case CT_EV_LOCK_REQUEST:
                ct__pf_lock_request(pf, t, ev, ts);
                break;
        case CT_EV_LOCK_ACQUIRE:
                ct__pf_lock_acquire(pf, t, ev, ts);
                break;
        case CT_EV_LOCK_RELEASE:
                ct__pf_lock_release(pf, t, ev, ts);
                break;
        case CT_EV_SEM_REQUEST:
                ct__pf_stack_open(pf, t, CT__PF_SEMWAIT, ev->obj, ts, 0, 0);
                break;
        case CT_EV_SEM_ACQUIRE:
        case CT_EV_SEM_FAIL:
                if (ct__pf_stack_find(&t->stack, CT__PF_SEMWAIT, 1, ev->obj) >= 0)
                        ct__pf_close(pf, t, CT__PF_SEMWAIT, 1, ev, ts);
                break;
        case CT_EV_COND_WAIT_BEGIN:
                ct__pf_stack_open(pf, t, CT__PF_CONDWAIT, ev->obj, ts, (int64_t)ev->lock, 0);
                break;
        case CT_EV_COND_WAIT_END:
                ct__pf_cond_wait_end(pf, t, ev, ts);
                break;
        case CT_EV_COND_SIGNAL:
        case CT_EV_COND_BROADCAST:
                ct__pf_cond_signal(pf, t, ev, ts);
                break;
        case CT_EV_POOL_SUBMIT:
                ct__pf_task_submit(pf, t, ev, ts);
                break;
        case CT_EV_POOL_TASK_BEGIN:
                ct__pf_task_begin(pf, t, ev, ts);
                break;
        case CT_EV_POOL_TASK_END:
                ct__pf_close(pf, t, CT__PF_TASK, 1, ev, ts);
                break;
        case CT_EV_QUEUE_PUT:
        case CT_EV_QUEUE_GET:
                ct__pf_rec_counter(pf, ts, t->proc->jpid, t->jtid,
                                   ct__pf_name_of(pf, CT_OBJ_QUEUE, ev->obj, tmp, sizeof(tmp)),
                                   "depth", ev->depth);
                break;
        default: /* pipe_close, lock summary, pool create/destroy: not drawn */
                break;
        }
}

static void ct__pf_event(void *self, const struct ct_event *ev)
{
        struct ct__pf *pf = self;
        struct ct__pf_thr *t;
        uint64_t ts;

        if (pf->finished || pf->json.err)
                return;
        if (ev->trace != pf->trace) /* driver skipped on_trace_begin */
                ct__pf_trace_begin(pf, ev->trace, NULL);
        ts = ct__pf_rel(pf, ev->ts);
        ct__pf_cp_event(pf->cp, ev); /* draws a run's critical path at its run_end */
        if (ev->type == CT_EV_DISCARDED) {
                ct__pf_on_discarded(pf, ev, ts);
                return;
        }
        if (ev->type == CT_EV_NAME) {
                ct__pf_name_set(pf, ev);
                return;
        }
        if (ev->type == CT_EV_UNKNOWN || ev->type >= CT_EV__COUNT || ev->vpid < 0 || ev->vtid < 0)
                return;
        pf->just_created = NULL;
        t = ct__pf_track_thread(pf, ev);
        if (t)
                ct__pf_dispatch(pf, t, ev, ts);
}

/* ------------------------------------------------------- lifecycle */

static int ct__pf_trace_open(const struct ct__pf *pf)
{
        return pf->threads.len || pf->procs.len;
}

/* End of one trace: close what is open (marked unfinished), drop its state. */
static void ct__pf_trace_end(void *self, const struct ct_trace_info *info)
{
        struct ct__pf *pf = self;
        uint64_t end = pf->last_ts;
        struct ct__pf_thr *t;
        size_t i;

        if (info && info->last_ts > end)
                end = info->last_ts;
        end = pf->have_origin && end >= pf->origin ? end - pf->origin : 0;
        for (i = 0; (t = ct__pf_track_next(pf, &i));) {
                if (t->trace == pf->trace)
                        ct__pf_stack_close_all(pf, t, end);
        }
        for (i = 0; i < pf->procs.cap; i++) {
                struct ct__pf_proc *p = pf->procs.slots[i].v;
                if (p && p->trace == pf->trace)
                        ct__pf_stack_close_runs(pf, p, end);
        }
        ct__pf_cp_trace_end(pf->cp, info);
        ct__pf_track_clear(pf);
        ct__pf_clear_objects(pf);
}

static void ct__pf_trace_begin(void *self, uint32_t trace, const char *path)
{
        struct ct__pf *pf = self;

        (void)path;
        if (ct__pf_trace_open(pf)) /* previous trace not ended */
                ct__pf_trace_end(pf, NULL);
        pf->trace = trace;
        pf->have_origin = 0;
        pf->last_ts = 0;
}

static int ct__pf_finish(void *self)
{
        struct ct__pf *pf = self;

        if (pf->finished)
                return -EINVAL;
        pf->finished = 1;
        if (ct__pf_trace_open(pf)) /* a trace without on_trace_end */
                ct__pf_trace_end(pf, NULL);
        if (!pf->pb)
                ct__pf_json_str(&pf->json, "\n]}\n");
        else
                ct__pf_pb_flush(pf);
        return ct__pf_json_commit(&pf->json);
}

static void ct__pf_destroy(void *self)
{
        struct ct__pf *pf = self;

        if (!pf)
                return;
        if (ct__pf_trace_open(pf))
                ct__pf_trace_end(pf, NULL);
        ct__pf_json_discard(&pf->json);
        if (pf->pb) {
                ct__pf_pb_free(pf->pb);
                free(pf->pb);
        }
        ct__pf_task_free(pf);
        ct__pf_cp_free(pf->cp);
        ct__pf_map_clear(&pf->used, 0);
        ct__pf_track_clear(pf);
        free(pf);
}

void ct_perfetto_opts_init(struct ct_perfetto_opts *opts)
{
        memset(opts, 0, sizeof(*opts));
        opts->hold = CT_PERFETTO_HOLD_AUTO;
        opts->hold_min_ns = 10000;
        opts->counters = 1;
        opts->format = CT_PERFETTO_JSON;
}

int ct_perfetto_format_parse(const char *s, enum ct_perfetto_format *out)
{
        if (!s)
                return -1;
        if (strcmp(s, "json") == 0)
                *out = CT_PERFETTO_JSON;
        else if (strcmp(s, "proto") == 0 || strcmp(s, "pftrace") == 0)
                *out = CT_PERFETTO_PROTO;
        else if (strcmp(s, "json.gz") == 0 || strcmp(s, "gz") == 0)
                *out = CT_PERFETTO_JSON_GZ;
        else
                return -1;
        return 0;
}

static int ct__pf_ends_with(const char *s, const char *suffix)
{
        size_t n = strlen(s), m = strlen(suffix);

        return n >= m && strcmp(s + n - m, suffix) == 0;
}

enum ct_perfetto_format ct_perfetto_format_of_path(const char *path)
{
        if (path && (ct__pf_ends_with(path, ".pftrace") ||
                     ct__pf_ends_with(path, ".perfetto-trace") || ct__pf_ends_with(path, ".pb")))
                return CT_PERFETTO_PROTO;
        if (path && ct__pf_ends_with(path, ".gz"))
                return CT_PERFETTO_JSON_GZ;
        return CT_PERFETTO_JSON;
}

int ct_perfetto_create(const struct ct_perfetto_opts *opts, const char *out_path,
                       struct ct_consumer *out)
{
        struct ct__pf *pf;
        int ret;

        if (!out_path || !*out_path || !out)
                return -EINVAL;
        pf = calloc(1, sizeof(*pf));
        if (!pf)
                return -ENOMEM;
        ret = ct__pf_json_open(&pf->json, out_path);
        if (ret < 0)
                goto error;
        if (opts)
                pf->opts = *opts;
        else
                ct_perfetto_opts_init(&pf->opts);
        if (pf->opts.format == CT_PERFETTO_PROTO) {
                pf->pb = calloc(1, sizeof(*pf->pb));
                ret = pf->pb ? ct__pf_pb_init(pf->pb, pf->opts.intern_max) : -ENOMEM;
                if (ret < 0)
                        goto error;
        } else if (pf->opts.format == CT_PERFETTO_JSON_GZ) {
                ret = ct__pf_json_gzip(&pf->json);
                if (ret < 0)
                        goto error;
        }
        /* never walked in slot order: the cheaper hash */
        pf->used.unordered = pf->names.unordered = pf->waiters.unordered = 1;
        pf->locks.unordered = pf->conds.unordered = pf->pipes.unordered = 1;
        pf->submits.unordered = 1;
        pf->next_synth = CT__PF_SYNTH_BASE;
        pf->next_flow = 1;
        pf->cp = ct__pf_cp_create(pf);
        if (!pf->cp) {
                ret = -ENOMEM;
                goto error;
        }
        if (!pf->pb)
                ct__pf_json_str(&pf->json, "{\"traceEvents\":[");
        memset(out, 0, sizeof(*out));
        out->name = "perfetto";
        out->self = pf;
        out->on_trace_begin = ct__pf_trace_begin;
        out->on_event = ct__pf_event;
        out->on_trace_end = ct__pf_trace_end;
        out->finish = ct__pf_finish;
        out->destroy = ct__pf_destroy;
        return 0;
error:
        ct__pf_destroy(pf);
        return ret;
}

int ct_perfetto_share_critpath(struct ct_consumer *timeline, void *critpath)
{
        struct ct__pf *pf;

        if (!timeline || !timeline->self || timeline->on_event != ct__pf_event)
                return -EINVAL;
        pf = timeline->self;
        return ct__pf_cp_share(pf->cp, critpath);
}
