/* SPDX-License-Identifier: MIT */
#include "ct_model.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ct_alloc.h"

static void ct__model_set_err(struct ct__model *m, int err)
{
        if (!m->err) {
                m->err = err;
        }
}

static struct ct__key ct__name_key(uint32_t trace, int kind, uint64_t obj, int64_t vpid)
{
        uint64_t c = (uint64_t)(uint32_t)kind;

        if (kind == CT_OBJ_FD) {
                c |= (uint64_t)vpid << 8;
        }
        return ct__key3(trace, obj, c);
}

static struct ct__thread *ct__model_new_thread(struct ct__model *m, const struct ct_event *ev)
{
        struct ct__thread *t = NULL;
        uint32_t *slot;

        if (ct__grow((void **)&m->threads, &m->cap_threads, sizeof(*m->threads), m->nthreads) < 0) {
                goto error;
        }
        t = ct__calloc(1, sizeof(*t));
        if (!t) {
                goto error;
        }
        t->idx = (uint32_t)m->nthreads;
        t->trace = ev->trace;
        t->vpid = ev->vpid;
        t->vtid = ev->vtid;
        t->first_ts = ev->ts;
        t->last_ts = ev->ts;
        t->role = ct__strdup("");
        t->procname = ct__strdup(ev->procname ? ev->procname : "");
        if (!t->role || !t->procname) {
                goto error;
        }
        slot = ct__map_put(&m->by_id, ct__key3(ev->trace, (uint64_t)ev->vpid, (uint64_t)ev->vtid),
                           NULL);
        if (!slot) {
                goto error;
        }
        *slot = t->idx;
        m->threads[m->nthreads++] = t;
        return t;
error:
        if (t) {
                ct__free(t->role);
                ct__free(t->procname);
                ct__free(t);
        }
        ct__model_set_err(m, -ENOMEM);
        return NULL;
}

struct ct__thread *ct__model_thread_lookup(struct ct__model *m, const struct ct_event *ev)
{
        uint32_t *idx;
        struct ct__thread *t;

        idx = ct__map_get(&m->by_id, ct__key3(ev->trace, (uint64_t)ev->vpid, (uint64_t)ev->vtid));
        t = idx ? m->threads[*idx] : ct__model_new_thread(m, ev);
        if (t) {
                m->c_trace = ev->trace;
                m->c_vpid = ev->vpid;
                m->c_vtid = ev->vtid;
                m->c_thread = t;
        }
        return t;
}

static void ct__model_set_str(struct ct__model *m, char **dst, const char *s)
{
        char *n;

        if (!s || !strcmp(*dst, s)) {
                return;
        }
        n = ct__strdup(s);
        if (!n) {
                ct__model_set_err(m, -ENOMEM);
                return;
        }
        ct__free(*dst);
        *dst = n;
}

static void ct__model_on_event(void *self, const struct ct_event *ev)
{
        struct ct__model *m = self;
        struct ct__thread *t;

        if (ev->type == CT_EV_DISCARDED) {
                if (ct__grow((void **)&m->epoch, &m->cap_epoch, sizeof(*m->epoch), ev->trace) < 0) {
                        ct__model_set_err(m, -ENOMEM);
                        return;
                }
                m->epoch[ev->trace]++;
                return;
        }
        t = ct__model_thread(m, ev);
        if (!t) {
                return;
        }
        if (ev->type == CT_EV_THREAD_BEGIN && t->has_end) {
                /* pid/tid reuse: a new thread with the same ids */
                t = ct__model_new_thread(m, ev);
                if (!t) {
                        return;
                }
                m->c_thread = t;
        }
        t->last_ts = ev->ts;
        switch (ev->type) {
        case CT_EV_THREAD_BEGIN:
                if (!t->has_begin) {
                        t->has_begin = 1;
                        t->begin_ts = ev->ts;
                }
                ct__model_set_str(m, &t->role, ev->str);
                ct__model_set_str(m, &t->procname, ev->procname);
                break;
        case CT_EV_THREAD_END:
                t->has_end = 1;
                t->end_ts = ev->ts;
                if (!t->role[0]) {
                        ct__model_set_str(m, &t->role, ev->str);
                }
                break;
        case CT_EV_NAME: {
                char **slot, *n = ct__strdup(ev->str ? ev->str : "");

                if (!n) {
                        ct__model_set_err(m, -ENOMEM);
                        break;
                }
                slot = ct__map_put(&m->names,
                                   ct__name_key(ev->trace, (int)ev->kind, ev->obj, ev->vpid), NULL);
                if (!slot) {
                        ct__free(n);
                        ct__model_set_err(m, -ENOMEM);
                        break;
                }
                ct__free(*slot);
                *slot = n;
                break;
        }
        default:
                if (!t->procname[0] && ev->procname && ev->procname[0]) {
                        ct__model_set_str(m, &t->procname, ev->procname);
                }
                break;
        }
}

static void ct__model_on_trace_begin(void *self, uint32_t trace, const char *path)
{
        struct ct__model *m = self;

        (void)path;
        if (ct__grow((void **)&m->epoch, &m->cap_epoch, sizeof(*m->epoch), trace) < 0) {
                ct__model_set_err(m, -ENOMEM);
        }
        m->c_thread = NULL;
}

static int ct__model_finish(void *self)
{
        struct ct__model *m = self;

        return m->err;
}

int ct__model_create(struct ct__model **out, struct ct_consumer *cons)
{
        struct ct__model *m = ct__calloc(1, sizeof(*m));

        if (!m) {
                return -ENOMEM;
        }
        ct__map_init(&m->by_id, sizeof(uint32_t));
        ct__map_init(&m->names, sizeof(char *));
        memset(cons, 0, sizeof(*cons));
        cons->name = "model";
        cons->self = m;
        cons->on_trace_begin = ct__model_on_trace_begin;
        cons->on_event = ct__model_on_event;
        cons->finish = ct__model_finish;
        *out = m;
        return 0;
}

void ct__model_destroy(struct ct__model *m)
{
        size_t i = 0;
        char **n;

        if (!m) {
                return;
        }
        for (i = 0; i < m->nthreads; i++) {
                ct__free(m->threads[i]->role);
                ct__free(m->threads[i]->procname);
                ct__free(m->threads[i]);
        }
        ct__free(m->threads);
        i = 0;
        while ((n = ct__map_next(&m->names, &i, NULL))) {
                ct__free(*n);
        }
        ct__map_fini(&m->names);
        ct__map_fini(&m->by_id);
        ct__free(m->epoch);
        ct__free(m);
}

const char *ct__model_name(const struct ct__model *m, uint32_t trace, int kind, uint64_t obj,
                           int64_t vpid)
{
        char *const *n = ct__map_get(&m->names, ct__name_key(trace, kind, obj, vpid));

        return n ? *n : NULL;
}

uint64_t ct__thread_start(const struct ct__thread *t)
{
        return t->has_begin ? t->begin_ts : t->first_ts;
}

uint64_t ct__thread_stop(const struct ct__thread *t)
{
        return t->has_end ? t->end_ts : t->last_ts;
}

const char *ct__thread_label(const struct ct__thread *t, char *buf, size_t size)
{
        snprintf(buf, size, "%s (%" PRId64 ")", t->role[0] ? t->role : "thread", t->vtid);
        return buf;
}

const char *ct__process_label(const struct ct__thread *t, char *buf, size_t size)
{
        snprintf(buf, size, "%s (%" PRId64 ")", t->procname[0] ? t->procname : "process", t->vpid);
        return buf;
}

const char *ct__model_proc_label(const struct ct__model *m, uint32_t trace, int64_t vpid, char *buf,
                                 size_t size)
{
        size_t i;

        for (i = 0; i < m->nthreads; i++) {
                if (m->threads[i]->trace == trace && m->threads[i]->vpid == vpid) {
                        return ct__process_label(m->threads[i], buf, size);
                }
        }
        snprintf(buf, size, "process (%" PRId64 ")", vpid);
        return buf;
}
