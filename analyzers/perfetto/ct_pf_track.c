/* SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L
#include "ct_pf_track.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ct_pf.h"
#include "ct_pf_record.h"

/* A json id for a pid (ns 1) or tid (ns 2): the real one if still free. */
static uint32_t ct__pf_track_id(struct ct__pf *pf, int ns, int64_t want)
{
        struct ct__pf_key k = {0, 0, (uint64_t)ns};
        uint32_t id;

        if (want > 0 && want < (int64_t)CT__PF_SYNTH_BASE) {
                k.a = (uint64_t)want;
                if (!ct__pf_map_get(&pf->used, k)) {
                        id = (uint32_t)want;
                        goto end;
                }
        }
        id = pf->next_synth++;
        k.a = id;
end:
        if (ct__pf_map_put(&pf->used, k, (void *)1) < 0)
                ct__pf_fail(pf, -ENOMEM);
        return id;
}

/* A process is named by its procname; Perfetto UI appends the pid itself.
 * A synthetic pid (reuse) keeps the real one in the name. */
static void ct__pf_track_proc_name(struct ct__pf *pf, struct ct__pf_proc *p)
{
        char buf[64];
        size_t n = strlen(p->procname);
        char *name;

        if ((int64_t)p->jpid == p->vpid) {
                ct__pf_rec_process(pf, p->jpid, p->procname);
                return;
        }
        name = malloc(n + 32);
        if (!name) {
                ct__pf_fail(pf, -ENOMEM);
                return;
        }
        snprintf(buf, sizeof(buf), " (%lld)", (long long)p->vpid);
        memcpy(name, p->procname, n);
        strcpy(name + n, buf);
        ct__pf_rec_process(pf, p->jpid, name);
        free(name);
}

void ct__pf_track_proc_unref(struct ct__pf_proc *p)
{
        int i;

        if (!p || --p->refs > 0)
                return;
        for (i = 0; i < CT__PF_PREFIXES; i++)
                free(p->prefixes[i]);
        free(p->procname);
        free(p);
}

struct ct__pf_proc *ct__pf_track_proc(struct ct__pf *pf, int64_t vpid)
{
        struct ct__pf_key k = {pf->trace, (uint64_t)vpid, 0};

        return ct__pf_map_get(&pf->procs, k);
}

/* p's procname becomes pn (an exec). Out of line: the per-event check stays small. */
static __attribute__((noinline)) void
ct__pf_track_proc_rename(struct ct__pf *pf, struct ct__pf_proc *p, const char *pn)
{
        char *dup;

        dup = strdup(pn);
        if (!dup)
                return;
        free(p->procname);
        p->procname = dup;
        ct__pf_track_proc_name(pf, p);
}

/* A live process: its procname may change (exec). */
static inline void ct__pf_track_proc_renamed(struct ct__pf *pf, struct ct__pf_proc *p,
                                             const char *pn)
{
        if (strcmp(p->procname, pn) != 0)
                ct__pf_track_proc_rename(pf, p, pn);
}

static struct ct__pf_proc *ct__pf_track_proc_get(struct ct__pf *pf, const struct ct_event *ev)
{
        struct ct__pf_key k = {pf->trace, (uint64_t)ev->vpid, 0};
        struct ct__pf_proc *p = ct__pf_map_get(&pf->procs, k);
        const char *pn = ev->procname && *ev->procname ? ev->procname : "process";

        if (p && !p->dead) {
                ct__pf_track_proc_renamed(pf, p, pn);
                return p;
        }
        if (p) {
                ct__pf_map_del(&pf->procs, k);
                ct__pf_track_proc_unref(p);
        }
        p = calloc(1, sizeof(*p));
        if (!p || !(p->procname = strdup(pn)) || ct__pf_map_put(&pf->procs, k, p) < 0) {
                if (p)
                        free(p->procname);
                free(p);
                ct__pf_fail(pf, -ENOMEM);
                return NULL;
        }
        p->refs = 1;
        p->trace = pf->trace;
        p->vpid = ev->vpid;
        p->jpid = ct__pf_track_id(pf, 1, ev->vpid);
        p->last_blocked = -1;
        ct__pf_track_proc_name(pf, p);
        ct__pf_rec_process_sort(pf, p->jpid, pf->proc_order++);
        return p;
}

/* thread_sort_index: main thread first, then by role prefix, then number. */
static int ct__pf_track_sort(struct ct__pf_proc *p, const struct ct__pf_thr *t, const char *role)
{
        size_t n = role ? strlen(role) : 0, d = n;
        long num = 0;
        int rank;

        if (t->vtid == t->vpid)
                return 2;
        while (d > 0 && role[d - 1] >= '0' && role[d - 1] <= '9')
                d--;
        if (d < n && n - d < 6)
                num = strtol(role + d, NULL, 10);
        if (d > 0 && (role[d - 1] == '-' || role[d - 1] == '_' || role[d - 1] == ' '))
                d--;
        for (rank = 0; rank < CT__PF_PREFIXES; rank++) {
                if (!p->prefixes[rank]) {
                        p->prefixes[rank] = strndup(role ? role : "", d);
                        break;
                }
                if (strlen(p->prefixes[rank]) == d && strncmp(p->prefixes[rank], role, d) == 0)
                        break;
        }
        return 2 * (1 + (rank + 1) * 100000 + (int)num);
}

/* Name and sort index of t's "locks" track. */
static void ct__pf_track_locks_meta(struct ct__pf *pf, const struct ct__pf_thr *t)
{
        char name[256];

        snprintf(name, sizeof(name), "%s (%lld) locks", *t->role ? t->role : "thread",
                 (long long)t->vtid);
        ct__pf_rec_track_meta(pf, t->proc->jpid, t->locks_tid, name, t->sort + 1);
}

void ct__pf_track_rename(struct ct__pf *pf, struct ct__pf_thr *t, const char *role)
{
        char name[256];

        if (role && *role)
                snprintf(t->role, sizeof(t->role), "%s", role);
        role = t->role;
        /* by role; Perfetto UI appends the tid itself (a synthetic one: the
         * real tid stays in the name) */
        if ((int64_t)t->jtid == t->vtid)
                snprintf(name, sizeof(name), "%s", *role ? role : "thread");
        else
                snprintf(name, sizeof(name), "%s (%lld)", *role ? role : "thread",
                         (long long)t->vtid);
        t->sort = ct__pf_track_sort(t->proc, t, role);
        ct__pf_rec_thread_meta(pf, t->proc->jpid, t->jtid, name, t->sort);
        if (t->locks_tid)
                ct__pf_track_locks_meta(pf, t);
}

/* Free t and release its process; the caller removed it from the map. */
static void ct__pf_track_free_thread(struct ct__pf_thr *t)
{
        ct__pf_track_proc_unref(t->proc);
        free(t);
}

/* ct__pf_track_thread when ev's thread is not the last event's (or its process
 * ended): out of line, the per-event fast path stays small. */
static __attribute__((noinline)) struct ct__pf_thr *
ct__pf_track_thread_get(struct ct__pf *pf, const struct ct_event *ev)
{
        struct ct__pf_key k = {pf->trace, (uint64_t)ev->vpid, (uint64_t)ev->vtid};
        struct ct__pf_thr *t;
        struct ct__pf_proc *p;

        t = ct__pf_map_get(&pf->threads, k);
        p = ct__pf_track_proc_get(pf, ev);
        if (!p)
                return NULL;
        if (t && t->proc == p) {
                pf->last_thr = t;
                return t;
        }
        if (t) { /* its process ended and the pid came back: a new thread */
                ct__pf_map_del(&pf->threads, k);
                if (pf->last_thr == t)
                        pf->last_thr = NULL;
                ct__pf_track_free_thread(t);
        }
        t = calloc(1, sizeof(*t));
        if (!t || ct__pf_map_put(&pf->threads, k, t) < 0) {
                free(t);
                ct__pf_fail(pf, -ENOMEM);
                return NULL;
        }
        t->trace = pf->trace;
        t->vpid = ev->vpid;
        t->vtid = ev->vtid;
        t->proc = p;
        p->refs++;
        p->nthreads++;
        t->jtid = ct__pf_track_id(pf, 2, ev->vtid);
        ct__pf_track_rename(pf, t, ev->type == CT_EV_THREAD_BEGIN ? ev->str : NULL);
        pf->just_created = t;
        pf->last_thr = t;
        return t;
}

struct ct__pf_thr *ct__pf_track_thread(struct ct__pf *pf, const struct ct_event *ev)
{
        struct ct__pf_thr *t = pf->last_thr;

        /* the last event's thread, its process alive: the one of the maps (a
         * live process is the one registered under its key) */
        if (t && t->vtid == ev->vtid && t->vpid == ev->vpid && t->trace == pf->trace &&
            !t->proc->dead) {
                ct__pf_track_proc_renamed(pf, t->proc,
                                          ev->procname && *ev->procname ? ev->procname : "process");
                return t;
        }
        return ct__pf_track_thread_get(pf, ev);
}

uint32_t ct__pf_track_locks_tid(struct ct__pf *pf, struct ct__pf_thr *t)
{
        if (!t->locks_tid) {
                t->locks_tid = ct__pf_track_id(pf, 2, -1);
                ct__pf_track_locks_meta(pf, t);
        }
        return t->locks_tid;
}

uint32_t ct__pf_track_runs_tid(struct ct__pf *pf, struct ct__pf_proc *p)
{
        if (!p->runs_tid) {
                p->runs_tid = ct__pf_track_id(pf, 2, -1);
                ct__pf_rec_track_meta(pf, p->jpid, p->runs_tid, "runs & phases", 0);
        }
        return p->runs_tid;
}

uint32_t ct__pf_track_new_tid(struct ct__pf *pf, struct ct__pf_proc *p, const char *name,
                              int64_t sort)
{
        uint32_t tid = ct__pf_track_id(pf, 2, -1);

        ct__pf_rec_track_meta(pf, p->jpid, tid, name, sort);
        return tid;
}

struct ct__pf_thr *ct__pf_track_next(struct ct__pf *pf, size_t *i)
{
        while (*i < pf->threads.cap) {
                struct ct__pf_thr *t = pf->threads.slots[(*i)++].v;
                if (t)
                        return t;
        }
        return NULL;
}

void ct__pf_track_drop_thread(struct ct__pf *pf, struct ct__pf_thr *t)
{
        struct ct__pf_key k = {t->trace, (uint64_t)t->vpid, (uint64_t)t->vtid};

        ct__pf_map_del(&pf->threads, k);
        if (pf->last_thr == t)
                pf->last_thr = NULL;
        t->proc->nthreads--;
        ct__pf_track_free_thread(t);
}

void ct__pf_track_clear(struct ct__pf *pf)
{
        struct ct__pf_thr *t;
        size_t i;

        pf->last_thr = NULL;
        /* threads first: they hold references on their processes */
        for (i = 0; (t = ct__pf_track_next(pf, &i));)
                ct__pf_track_free_thread(t);
        ct__pf_map_clear(&pf->threads, 0);
        for (i = 0; i < pf->procs.cap; i++)
                ct__pf_track_proc_unref(pf->procs.slots[i].v);
        ct__pf_map_clear(&pf->procs, 0);
}
