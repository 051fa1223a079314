/* SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L
#include "ct_pf_slice.h"

#include <stdio.h>
#include <stdlib.h>

#include "ct_pf.h"
#include "ct_pf_name.h"
#include "ct_pf_record.h"
#include "ct_pf_track.h"

/* The slice name of iv: *prefix then the returned object part (or NULL). */
static const char *ct__pf_slice_name(struct ct__pf *pf, const struct ct__pf_ival *iv,
                                     const char **prefix, char *tmp, size_t n)
{
        static const struct {
                const char *prefix;
                int obj; /* CT_OBJ_* of iv->obj, or -1 */
        } names[] = {
            [CT__PF_LOCKWAIT] = {"wait ", CT_OBJ_LOCK},
            [CT__PF_HOLD] = {"hold ", CT_OBJ_LOCK},
            [CT__PF_CONDWAIT] = {"cond wait ", CT_OBJ_COND},
            [CT__PF_READ] = {"read ", CT_OBJ_PIPE},
            [CT__PF_WRITE] = {"write ", CT_OBJ_PIPE},
            [CT__PF_SELECT] = {"select", -1},
            [CT__PF_IOSIM] = {"io_sim", -1},
            [CT__PF_COMPUTE] = {"compute", -1},
            [CT__PF_TASK] = {"task ", -1},
            [CT__PF_JOIN] = {"join ", -1},
            [CT__PF_RUN] = {"run ", -1},
            [CT__PF_PHASE] = {"", -1},
            [CT__PF_SEMWAIT] = {"sem wait ", CT_OBJ_SEM},
        };

        if (iv->kind < CT__PF_LOCKWAIT || iv->kind > CT__PF_SEMWAIT)
                abort();
        *prefix = names[iv->kind].prefix;
        switch (iv->kind) {
        case CT__PF_TASK:
        case CT__PF_JOIN:
                if (n < 21)
                        abort(); /* the callers' buffers hold any int64 */
                *ct__pf_put_i64(tmp, iv->a) = 0;
                return tmp;
        case CT__PF_RUN:
        case CT__PF_PHASE:
                return iv->name;
        default:
                if (names[iv->kind].obj < 0)
                        return NULL;
                return ct__pf_name_of(pf, names[iv->kind].obj, iv->obj, tmp, n);
        }
}

/* The args of a pipe read/write, a select, a task, a join or a run. */
static void ct__pf_slice_call_args(struct ct__pf *pf, const struct ct__pf_ival *iv, uint64_t te,
                                   const struct ct_event *ev, int *first)
{
        char tmp[256];

        switch (iv->kind) {
        case CT__PF_READ:
        case CT__PF_WRITE:
                ct__pf_rec_arg_i(pf, first, "fd", ev->fd);
                ct__pf_rec_arg_u(pf, first, "len", ev->len);
                ct__pf_rec_arg_i(pf, first, "bytes", ev->ret);
                ct__pf_rec_arg_u(pf, first, "offset", ev->offset);
                if (ev->err)
                        ct__pf_rec_arg_i(pf, first, "err", ev->err);
                ct__pf_rec_arg_u(pf, first, "wait_ns", te - iv->ts);
                break;
        case CT__PF_SELECT:
                ct__pf_rec_fds(ev, tmp, sizeof(tmp));
                ct__pf_rec_arg_i(pf, first, "nfds", ev->nfds);
                ct__pf_rec_arg_i(pf, first, "ret", ev->ret);
                ct__pf_rec_arg_s(pf, first, "ready", tmp);
                ct__pf_rec_arg_i(pf, first, "timeout_us", ev->timeout_us);
                ct__pf_rec_arg_u(pf, first, "wait_ns", te - iv->ts);
                break;
        case CT__PF_TASK:
                ct__pf_rec_arg_u(pf, first, "task", ev->task);
                ct__pf_rec_arg_i(pf, first, "worker", ev->worker);
                ct__pf_rec_arg_s(pf, first, "pool",
                                 ct__pf_name_of(pf, CT_OBJ_POOL, ev->obj, tmp, sizeof(tmp)));
                if (iv->fpid)
                        ct__pf_rec_arg_u(pf, first, "queue_wait_ns", iv->ts - iv->fsrc);
                break;
        case CT__PF_JOIN:
                ct__pf_rec_arg_i(pf, first, "target", ev->target);
                ct__pf_rec_arg_i(pf, first, "status", ev->status);
                ct__pf_rec_arg_u(pf, first, "wait_ns", te - iv->ts);
                break;
        case CT__PF_RUN:
                ct__pf_rec_arg_s(pf, first, "scenario", ev->str);
                ct__pf_rec_arg_s(pf, first, "variant", ev->variant);
                ct__pf_rec_arg_i(pf, first, "workers", ev->workers);
                ct__pf_rec_arg_s(pf, first, "params", ev->params);
                ct__pf_rec_arg_i(pf, first, "status", ev->status);
                break;
        default:
                break;
        }
}

/* The args of a finished interval, from its ending event. */
static void ct__pf_slice_args(struct ct__pf *pf, const struct ct__pf_ival *iv, uint64_t te,
                              const struct ct_event *ev, int *first)
{
        char tmp[CT__PF_NAME_TMP];

        switch (iv->kind) {
        case CT__PF_LOCKWAIT:
                ct__pf_rec_arg_u(pf, first, "wait_ns", te - iv->ts);
                ct__pf_rec_arg_i(pf, first, "contended", ev->contended);
                break;
        case CT__PF_HOLD:
                ct__pf_rec_arg_u(pf, first, "hold_ns", te - iv->ts);
                ct__pf_rec_arg_i(pf, first, "contended", iv->a);
                break;
        case CT__PF_SEMWAIT:
                ct__pf_rec_arg_u(pf, first, "wait_ns", te - iv->ts);
                if (ev->type == CT_EV_SEM_FAIL)
                        ct__pf_rec_arg_i(pf, first, "err", ev->err);
                break;
        case CT__PF_CONDWAIT:
                ct__pf_rec_arg_u(pf, first, "wait_ns", te - iv->ts);
                ct__pf_rec_arg_i(pf, first, "timedout", ev->timedout);
                ct__pf_rec_arg_s(pf, first, "lock",
                                 ct__pf_name_of(pf, CT_OBJ_LOCK, ev->lock, tmp, sizeof(tmp)));
                break;
        case CT__PF_IOSIM:
        case CT__PF_COMPUTE:
                ct__pf_rec_arg_u(pf, first, "units", ev->units);
                break;
        default:
                ct__pf_slice_call_args(pf, iv, te, ev, first);
                break;
        }
}

void ct__pf_slice_write(struct ct__pf *pf, struct ct__pf_proc *p, uint32_t tid,
                        const struct ct__pf_ival *iv, uint64_t te, const struct ct_event *ev,
                        int unfinished)
{
        char tmp[64];
        const char *prefix, *nm = ct__pf_slice_name(pf, iv, &prefix, tmp, sizeof(tmp));
        int first = 1;

        ct__pf_rec_slice(pf, iv->ts, te - iv->ts, p->jpid, tid, prefix, nm,
                         unfinished ? " (unfinished)" : NULL);
        if (!unfinished && ev)
                ct__pf_slice_args(pf, iv, te, ev, &first);
        if (unfinished)
                ct__pf_rec_arg_i(pf, &first, "unfinished", 1);
        if (iv->gap)
                ct__pf_rec_arg_i(pf, &first, "discarded_events_during", 1);
        ct__pf_rec_end(pf, first);
        /* the task's flow from its submit lands on the task's first instant */
        if (iv->kind == CT__PF_TASK && iv->fpid)
                ct__pf_rec_flow(pf, "task", iv->fsrc, iv->fpid, iv->ftid, iv->ts, p->jpid, tid);
}

void ct__pf_slice_instant(struct ct__pf *pf, struct ct__pf_proc *p, uint32_t tid,
                          const struct ct__pf_ival *iv, uint64_t te, const char *why)
{
        static const char *const kn[] = {"",      "lock wait", "hold",   "cond wait", "read",
                                         "write", "select",    "io_sim", "compute",   "task",
                                         "join",  "run",       "phase",  "sem wait"};
        int first = 1;
        const char *name = iv->kind < sizeof(kn) / sizeof(kn[0]) ? kn[iv->kind] : "interval";

        ct__pf_rec_instant(pf, te, p->jpid, tid, name, why);
        ct__pf_rec_arg_u(pf, &first, "begin_ns", iv->ts);
        ct__pf_rec_arg_u(pf, &first, "dur_ns", te >= iv->ts ? te - iv->ts : 0);
        ct__pf_rec_end(pf, first);
}
