/* SPDX-License-Identifier: MIT */
#include "ct_fields.h"

#include <string.h>

#define F(n, member, k)                                                                            \
        {                                                                                          \
                .name = (n), .offset = (uint16_t)offsetof(struct ct_event, member), .kind = (k)    \
        }
#define I(n, member) F(n, member, CT_FIELD_INT)
#define H(n, member) F(n, member, CT_FIELD_HEX)
#define S(n, member) F(n, member, CT_FIELD_STR)
#define END                                                                                        \
        {                                                                                          \
                .name = NULL                                                                       \
        }

static const struct ct_field_spec ct__fields[CT_EV__COUNT][CT_FIELDS_MAX + 1] = {
    [CT_EV_UNKNOWN] = {END},
    [CT_EV_RUN_BEGIN] = {S("scenario", str), S("variant", variant), I("workers", workers),
                         S("params", params), END},
    [CT_EV_RUN_END] = {S("scenario", str), S("variant", variant), I("workers", workers),
                       S("params", params), I("status", status), END},
    [CT_EV_PHASE_BEGIN] = {S("name", str), END},
    [CT_EV_PHASE_END] = {S("name", str), END},
    [CT_EV_THREAD_BEGIN] = {S("role", str), END},
    [CT_EV_THREAD_END] = {S("role", str), END},
    [CT_EV_NAME] = {H("obj", obj), I("kind", kind), S("name", str), END},
    [CT_EV_FORK] = {I("child", target), END},
    [CT_EV_CHILD_EXIT] = {I("child", target), I("status", status), END},
    [CT_EV_JOIN_BEGIN] = {I("target", target), I("status", status), END},
    [CT_EV_JOIN_END] = {I("target", target), I("status", status), END},
    [CT_EV_WORK_BEGIN] = {I("kind", kind), I("units", units), END},
    [CT_EV_WORK_END] = {I("kind", kind), I("units", units), END},
    [CT_EV_PIPE_CREATE] = {H("pipe", obj), I("rfd", rfd), I("wfd", wfd), END},
    [CT_EV_PIPE_WRITE_BEGIN] = {H("pipe", obj), I("fd", fd), I("len", len), END},
    [CT_EV_PIPE_WRITE_END] = {H("pipe", obj), I("fd", fd), I("len", len), I("ret", ret),
                              I("err", err), I("offset", offset), END},
    [CT_EV_PIPE_READ_BEGIN] = {H("pipe", obj), I("fd", fd), I("len", len), END},
    [CT_EV_PIPE_READ_END] = {H("pipe", obj), I("fd", fd), I("len", len), I("ret", ret),
                             I("err", err), I("offset", offset), END},
    [CT_EV_PIPE_CLOSE] = {H("pipe", obj), I("fd", fd), I("end", kind), END},
    [CT_EV_SELECT_BEGIN] = {I("nfds", nfds), I("nread", nread), I("nwrite", nwrite),
                            I("timeout_us", timeout_us), END},
    [CT_EV_SELECT_END] = {I("nfds", nfds), I("nread", nread), I("nwrite", nwrite),
                          I("timeout_us", timeout_us), I("ret", ret), I("err", err),
                          F("ready", ready, CT_FIELD_SEQ), END},
    [CT_EV_LOCK_REQUEST] = {H("lock", obj), END},
    [CT_EV_LOCK_ACQUIRE] = {H("lock", obj), I("contended", contended), END},
    [CT_EV_LOCK_RELEASE] = {H("lock", obj), END},
    [CT_EV_LOCK_SUMMARY] = {H("lock", obj), I("acquisitions", count), END},
    [CT_EV_COND_WAIT_BEGIN] = {H("cond", obj), H("lock", lock), END},
    [CT_EV_COND_WAIT_END] = {H("cond", obj), H("lock", lock), I("timedout", timedout), END},
    [CT_EV_COND_SIGNAL] = {H("cond", obj), I("waiters", waiters), END},
    [CT_EV_COND_BROADCAST] = {H("cond", obj), I("waiters", waiters), END},
    [CT_EV_POOL_CREATE] = {H("pool", obj), I("workers", workers), I("kind", kind), END},
    [CT_EV_POOL_DESTROY] = {H("pool", obj), I("workers", workers), I("kind", kind), END},
    [CT_EV_POOL_SUBMIT] = {H("pool", obj), I("task", task), END},
    [CT_EV_POOL_TASK_BEGIN] = {H("pool", obj), I("task", task), I("worker", worker), END},
    [CT_EV_POOL_TASK_END] = {H("pool", obj), I("task", task), I("worker", worker), END},
    [CT_EV_QUEUE_PUT] = {H("queue", obj), I("depth", depth), END},
    [CT_EV_QUEUE_GET] = {H("queue", obj), I("depth", depth), END},
    [CT_EV_SEM_REQUEST] = {H("sem", obj), END},
    [CT_EV_SEM_ACQUIRE] = {H("sem", obj), I("contended", contended), END},
    [CT_EV_SEM_FAIL] = {H("sem", obj), I("err", err), END},
    [CT_EV_SEM_POST] = {H("sem", obj), END},
    [CT_EV_DISCARDED] = {END},
};

/*
 * Events of LTTng's own liblttng-ust-pthread-wrapper.so (provider
 * lttng_ust_pthread, ust_pthread before LTTng 2.13), read as lock events
 * named by the mutex's address. It fires lock_req before every lock (no
 * trylock first), so waits are exact but `contended` stays 0; an event with
 * status != 0 (a failed lock, a busy trylock) is ignored.
 */
static const struct ct_field_spec ct__pthread_lock[] = {H("mutex", obj), I("status", err), END};
static const struct {
        const char *event; /* after the provider's ':' */
        enum ct_ev_type type;
} ct__pthread_events[] = {
    {"pthread_mutex_lock_req", CT_EV_LOCK_REQUEST},
    {"pthread_mutex_lock_acq", CT_EV_LOCK_ACQUIRE},
    {"pthread_mutex_trylock", CT_EV_LOCK_ACQUIRE},
    {"pthread_mutex_unlock", CT_EV_LOCK_RELEASE},
};

const struct ct_field_spec *ct_fields_foreign(const char *name, enum ct_ev_type *type,
                                              size_t *count)
{
        const char *ev = NULL;

        if (strncmp(name, "lttng_ust_pthread:", 18) == 0)
                ev = name + 18;
        else if (strncmp(name, "ust_pthread:", 12) == 0)
                ev = name + 12;
        *type = CT_EV_UNKNOWN;
        *count = 0;
        if (!ev)
                return NULL;
        for (size_t i = 0; i < sizeof(ct__pthread_events) / sizeof(ct__pthread_events[0]); i++) {
                if (strcmp(ev, ct__pthread_events[i].event) == 0) {
                        *type = ct__pthread_events[i].type;
                        *count = 2;
                        return ct__pthread_lock;
                }
        }
        return NULL;
}

const struct ct_field_spec *ct_fields_of(enum ct_ev_type type, size_t *count)
{
        size_t n = 0;

        if ((unsigned)type >= CT_EV__COUNT) {
                *count = 0;
                return ct__fields[CT_EV_UNKNOWN];
        }
        while (ct__fields[type][n].name)
                n++;
        *count = n;
        return ct__fields[type];
}

enum ct_ev_type ct_event_type_from_name(const char *name)
{
        for (int t = CT_EV_UNKNOWN + 1; t < CT_EV__COUNT; t++) {
                if (t == CT_EV_DISCARDED)
                        continue;
                if (strcmp(ct_event_type_name((enum ct_ev_type)t), name) == 0)
                        return (enum ct_ev_type)t;
        }
        return CT_EV_UNKNOWN;
}
