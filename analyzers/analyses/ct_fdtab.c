/* SPDX-License-Identifier: MIT */
#include "ct_fdtab.h"

#include <errno.h>
#include <string.h>

#include "ct_alloc.h"

struct ct__fdent {
        int64_t fd;
        uint64_t pipe; /* inode; 0: closed by this process before its fork event */
};

struct ct__fdproc {
        struct ct__fdent *e; /* owned */
        size_t n, cap;
        int inherited; /* the fork event that made this process was applied */
};

void ct__fdtab_init(struct ct__fdtab *t)
{
        ct__map_init(&t->procs, sizeof(struct ct__fdproc));
}

void ct__fdtab_fini(struct ct__fdtab *t)
{
        struct ct__fdproc *p;
        size_t i = 0;

        while ((p = ct__map_next(&t->procs, &i, NULL))) {
                ct__free(p->e);
        }
        ct__map_fini(&t->procs);
}

static struct ct__fdent *ct__fdproc_find(const struct ct__fdproc *p, int64_t fd)
{
        size_t i;

        for (i = 0; i < p->n; i++) {
                if (p->e[i].fd == fd) {
                        return &p->e[i];
                }
        }
        return NULL;
}

static int ct__fdproc_set(struct ct__fdproc *p, int64_t fd, uint64_t pipe)
{
        struct ct__fdent *e = ct__fdproc_find(p, fd);

        if (!e) {
                if (ct__grow((void **)&p->e, &p->cap, sizeof(*p->e), p->n) < 0) {
                        return -ENOMEM;
                }
                e = &p->e[p->n++];
                e->fd = fd;
        }
        e->pipe = pipe;
        return 0;
}

static void ct__fdproc_del(struct ct__fdproc *p, int64_t fd)
{
        struct ct__fdent *e = ct__fdproc_find(p, fd);

        if (e) {
                *e = p->e[--p->n];
        }
}

/* Child (trace, child) := parent's entries, except the fds the child set itself. */
static int ct__fdtab_fork(struct ct__fdtab *t, uint32_t trace, int64_t parent, int64_t child)
{
        struct ct__fdproc *c, *p;
        size_t i, j;

        c = ct__map_put(&t->procs, ct__key3(trace, (uint64_t)child, 0), NULL);
        if (!c) {
                return -ENOMEM;
        }
        if (c->inherited) {
                c->n = 0; /* pid reuse: a new process */
        }
        c->inherited = 1;
        /* after the put: the pointer to the parent stays valid */
        p = ct__map_get(&t->procs, ct__key3(trace, (uint64_t)parent, 0));
        for (i = 0; p && i < p->n; i++) {
                if (p->e[i].pipe && !ct__fdproc_find(c, p->e[i].fd) &&
                    ct__fdproc_set(c, p->e[i].fd, p->e[i].pipe) < 0) {
                        return -ENOMEM;
                }
        }
        /* the child's own closes before its fork event are no longer needed */
        for (i = 0, j = 0; i < c->n; i++) {
                if (c->e[i].pipe) {
                        c->e[j++] = c->e[i];
                }
        }
        c->n = j;
        return 0;
}

int ct__fdtab_event(struct ct__fdtab *t, const struct ct_event *ev)
{
        struct ct__fdproc *p;

        switch (ev->type) {
        case CT_EV_PIPE_CREATE:
                p = ct__map_put(&t->procs, ct__key3(ev->trace, (uint64_t)ev->vpid, 0), NULL);
                if (!p || ct__fdproc_set(p, ev->rfd, ev->obj) < 0 ||
                    ct__fdproc_set(p, ev->wfd, ev->obj) < 0) {
                        return -ENOMEM;
                }
                return 0;
        case CT_EV_PIPE_CLOSE:
                p = ct__map_put(&t->procs, ct__key3(ev->trace, (uint64_t)ev->vpid, 0), NULL);
                if (!p) {
                        return -ENOMEM;
                }
                if (p->inherited) {
                        ct__fdproc_del(p, ev->fd);
                        return 0;
                }
                return ct__fdproc_set(p, ev->fd, 0);
        case CT_EV_FORK:
                if (ev->target <= 0) {
                        return 0;
                }
                return ct__fdtab_fork(t, ev->trace, ev->vpid, ev->target);
        default:
                return 0;
        }
}

uint64_t ct__fdtab_pipe(const struct ct__fdtab *t, uint32_t trace, int64_t vpid, int64_t fd)
{
        const struct ct__fdproc *p = ct__map_get(&t->procs, ct__key3(trace, (uint64_t)vpid, 0));
        const struct ct__fdent *e = p ? ct__fdproc_find(p, fd) : NULL;

        return e ? e->pipe : 0;
}

void ct__fdtab_trace_end(struct ct__fdtab *t, uint32_t trace)
{
        struct ct__fdproc *p;
        struct ct__key k;
        size_t i = 0;

        while ((p = ct__map_next(&t->procs, &i, &k))) {
                if (k.a == trace) {
                        ct__free(p->e);
                        ct__map_del(&t->procs, k);
                        i = 0; /* deletion moves entries: rescan */
                }
        }
}
