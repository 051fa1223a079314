/* SPDX-License-Identifier: MIT */
/*
 * Perfetto timeline writer: decoded events -> Chrome JSON trace-event file.
 *
 * Design (see docs/perfetto.md for the user's view):
 *
 * - Every interval is written as one complete event ("ph":"X") when it ends,
 *   so nothing is ever left open in the file. A per-thread stack of open
 *   intervals guarantees that X slices of one thread nest: an interval whose
 *   end arrives while a later-begun interval is still open would partially
 *   overlap it, so it becomes an instant "... (not nested)" instead.
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
 * - Ids: a (pid, tid) seen again after its thread or process ended, or
 *   already used by another trace in this file, gets a synthetic id from
 *   0x40000000 up (the real one stays in the track name), because Perfetto
 *   merges a reused (pid, tid) and identifies threads by tid alone.
 */
#define _POSIX_C_SOURCE 200809L
#include "ct_perfetto.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CT__OUTBUF     (1u << 16)
#define CT__STACK_MAX  32
#define CT__CHUNKS     32
#define CT__SIGNALS    8
#define CT__PREFIXES   8
#define CT__SYNTH_BASE 0x40000000u
#define CT__EPIPE      32
#define CT__PHASE_NAME 48

/* ---------------------------------------------------------------- map */

struct ct__key {
        uint64_t a, b, c;
};

struct ct__slot {
        struct ct__key k;
        void *v; /* weak or owned per map; NULL = empty slot */
};

struct ct__map {
        struct ct__slot *slots; /* owned */
        size_t cap;             /* power of two or 0 */
        size_t len;
};

static uint64_t ct__mix(uint64_t x)
{
        x ^= x >> 33;
        x *= 0xff51afd7ed558ccdULL;
        x ^= x >> 33;
        x *= 0xc4ceb9fe1a85ec53ULL;
        x ^= x >> 33;
        return x;
}

static size_t ct__hash(const struct ct__key *k)
{
        return (size_t)ct__mix(k->a ^ ct__mix(k->b ^ ct__mix(k->c)));
}

static int ct__key_eq(const struct ct__key *x, const struct ct__key *y)
{
        return x->a == y->a && x->b == y->b && x->c == y->c;
}

static void *ct__map_get(const struct ct__map *m, struct ct__key k)
{
        size_t i;

        if (!m->cap)
                return NULL;
        for (i = ct__hash(&k) & (m->cap - 1); m->slots[i].v; i = (i + 1) & (m->cap - 1)) {
                if (ct__key_eq(&m->slots[i].k, &k))
                        return m->slots[i].v;
        }
        return NULL;
}

static int ct__map_grow(struct ct__map *m)
{
        size_t ncap = m->cap ? m->cap * 2 : 64, i, j;
        struct ct__slot *ns = calloc(ncap, sizeof(*ns));

        if (!ns)
                return -ENOMEM;
        for (i = 0; i < m->cap; i++) {
                if (!m->slots[i].v)
                        continue;
                for (j = ct__hash(&m->slots[i].k) & (ncap - 1); ns[j].v; j = (j + 1) & (ncap - 1))
                        ;
                ns[j] = m->slots[i];
        }
        free(m->slots);
        m->slots = ns;
        m->cap = ncap;
        return 0;
}

/* Insert or replace; v must not be NULL. */
static int ct__map_put(struct ct__map *m, struct ct__key k, void *v)
{
        size_t i;

        if ((m->len + 1) * 2 > m->cap && ct__map_grow(m) < 0)
                return -ENOMEM;
        for (i = ct__hash(&k) & (m->cap - 1); m->slots[i].v; i = (i + 1) & (m->cap - 1)) {
                if (ct__key_eq(&m->slots[i].k, &k)) {
                        m->slots[i].v = v;
                        return 0;
                }
        }
        m->slots[i].k = k;
        m->slots[i].v = v;
        m->len++;
        return 0;
}

/* Remove k (backward-shift deletion); returns the value or NULL. */
static void *ct__map_del(struct ct__map *m, struct ct__key k)
{
        size_t i, j, h;
        void *v;

        if (!m->cap)
                return NULL;
        for (i = ct__hash(&k) & (m->cap - 1); m->slots[i].v; i = (i + 1) & (m->cap - 1)) {
                if (ct__key_eq(&m->slots[i].k, &k))
                        break;
        }
        if (!m->slots[i].v)
                return NULL;
        v = m->slots[i].v;
        m->slots[i].v = NULL;
        m->len--;
        for (j = (i + 1) & (m->cap - 1); m->slots[j].v; j = (j + 1) & (m->cap - 1)) {
                h = ct__hash(&m->slots[j].k) & (m->cap - 1);
                /* move j to i if h is not cyclically in (i, j] */
                if ((j > i && (h <= i || h > j)) || (j < i && (h <= i && h > j))) {
                        m->slots[i] = m->slots[j];
                        m->slots[j].v = NULL;
                        i = j;
                }
        }
        return v;
}

/* ------------------------------------------------------------- state */

enum ct__kind {
        K_LOCKWAIT = 1,
        K_HOLD,
        K_CONDWAIT,
        K_READ,
        K_WRITE,
        K_SELECT,
        K_IOSIM,
        K_COMPUTE,
        K_TASK,
        K_JOIN,
        K_RUN,
        K_PHASE,
};

/* An open interval on a thread's (or runs track's) stack. */
struct ct__ival {
        uint8_t kind;
        uint8_t gap;               /* a discarded-events gap happened while open */
        uint64_t obj;              /* lock, cond, pipe, pool */
        uint64_t ts;               /* relative ns */
        int64_t a, b;              /* kind-specific: fd/len, units, task/worker, target */
        uint64_t fsrc;             /* task: submit marker ts (relative ns) */
        uint32_t fpid;             /* task: submit marker pid (0 = no flow) */
        uint32_t ftid;             /* task: submit marker tid */
        char name[CT__PHASE_NAME]; /* run/phase: for an unfinished close */
};

struct ct__proc {
        uint32_t trace;
        int64_t vpid;
        uint32_t jpid;
        uint32_t runs_tid; /* 0 until a run/phase appears */
        int dead;          /* child_exit seen or main thread ended */
        int nblocked;      /* threads in a blocking interval */
        int last_blocked;  /* last value written to the counter, -1 none */
        uint32_t nthreads;
        char *procname;                        /* owned */
        char *prefixes[CT__PREFIXES];          /* owned: role prefixes, in order */
        struct ct__ival rstack[CT__STACK_MAX]; /* runs and phases */
        int rdepth;
        uint32_t refs; /* threads pointing here */
};

struct ct__thr {
        uint32_t trace;
        int64_t vpid, vtid;
        uint32_t jtid;
        uint32_t locks_tid;    /* companion track, 0 until needed */
        int sort;              /* thread_sort_index (even) */
        int blocked;           /* open blocking intervals */
        struct ct__proc *proc; /* weak (refcounted by refs) */
        char role[64];
        struct ct__ival stack[CT__STACK_MAX];
        int depth;
        struct ct__ival hstack[CT__STACK_MAX]; /* lock holds */
        int hdepth;
};

struct ct__lock {
        int waiters;
        int last_waiters; /* last counter value written, -1 none */
        uint32_t h_pid;   /* pending hand-off source marker, 0 = none */
        uint32_t h_tid;
        uint64_t h_ts;
};

struct ct__sig {
        uint64_t ts; /* marker ts */
        uint32_t pid, tid;
        int64_t left; /* wait_ends it may still end */
};

struct ct__cond {
        struct ct__sig sig[CT__SIGNALS];
        int nsig;
};

struct ct__chunk {
        uint64_t lo, hi;   /* byte range in the pipe's stream */
        uint64_t tb, te;   /* slice start/end, relative ns */
        uint32_t pid, tid; /* json ids */
        uint8_t sliced;    /* the X slice was written */
        uint8_t marked;    /* read: "data" marker written at te */
};

struct ct__chq {
        struct ct__chunk c[CT__CHUNKS];
        int head, n;
};

struct ct__pipe {
        uint32_t c_pid, c_tid; /* where its counter lives */
        int64_t w_vpid, r_vpid;
        int multi_w, multi_r;
        uint64_t wseq, rseq;
        uint64_t written, readn;
        int64_t last_inflight;
        uint64_t wmax, rmax;
        struct ct__chq wq, rq;
};

struct ct__submit {
        uint64_t ts;
        uint32_t pid, tid;
        struct ct__submit *next; /* weak: free list link */
};

struct ct__pf {
        struct ct_perfetto_opts opts;
        char *path; /* owned */
        char *tmp;  /* owned: temporary file, removed unless renamed */
        int fd;     /* owned, -1 when closed */
        int err;    /* first negative errno */
        char buf[CT__OUTBUF];
        size_t blen;
        uint64_t bytes;
        uint64_t nevents; /* JSON events written */
        int finished;

        uint32_t trace; /* current trace */
        int have_origin;
        uint64_t origin;
        uint64_t last_ts;
        uint32_t next_synth;
        uint64_t next_flow;
        int proc_order;

        struct ct__map used;             /* json id -> (void *)1 */
        struct ct__map procs;            /* (trace, vpid) -> owned ct__proc */
        struct ct__map threads;          /* (trace, vpid, vtid) -> owned ct__thr */
        struct ct__map names;            /* (trace, kind, obj) -> owned char * */
        struct ct__map locks;            /* (trace, vpid, obj) -> owned ct__lock */
        struct ct__map conds;            /* (trace, vpid, obj) -> owned ct__cond */
        struct ct__map pipes;            /* (trace, inode) -> owned ct__pipe */
        struct ct__map submits;          /* (trace, pool, task) -> owned ct__submit */
        struct ct__submit *free_submits; /* owned: recycled nodes */
        struct ct__thr *just_created;    /* weak: thread made by this event */
};

/* ------------------------------------------------------------ output */

static void ct__flush(struct ct__pf *pf)
{
        size_t off = 0;

        while (off < pf->blen && pf->err == 0) {
                ssize_t n = write(pf->fd, pf->buf + off, pf->blen - off);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        pf->err = -errno;
                        break;
                }
                off += (size_t)n;
        }
        pf->bytes += pf->blen;
        pf->blen = 0;
}

static void ct__raw(struct ct__pf *pf, const char *s, size_t n)
{
        while (n > 0) {
                size_t room = CT__OUTBUF - pf->blen, k = n < room ? n : room;
                memcpy(pf->buf + pf->blen, s, k);
                pf->blen += k;
                s += k;
                n -= k;
                if (pf->blen == CT__OUTBUF)
                        ct__flush(pf);
        }
}

static void ct__s(struct ct__pf *pf, const char *s)
{
        ct__raw(pf, s, strlen(s));
}

static void ct__c(struct ct__pf *pf, char ch)
{
        if (pf->blen == CT__OUTBUF)
                ct__flush(pf);
        pf->buf[pf->blen++] = ch;
}

static void ct__u64(struct ct__pf *pf, uint64_t v)
{
        char tmp[24];
        int i = 24;

        do {
                tmp[--i] = (char)('0' + v % 10);
                v /= 10;
        } while (v);
        ct__raw(pf, tmp + i, (size_t)(24 - i));
}

static void ct__i64(struct ct__pf *pf, int64_t v)
{
        if (v < 0) {
                ct__c(pf, '-');
                ct__u64(pf, (uint64_t)0 - (uint64_t)v);
        } else {
                ct__u64(pf, (uint64_t)v);
        }
}

/* ns as microseconds with exactly three decimals: 1234 -> 1.234 */
static void ct__us(struct ct__pf *pf, uint64_t ns)
{
        uint64_t frac = ns % 1000;

        ct__u64(pf, ns / 1000);
        ct__c(pf, '.');
        ct__c(pf, (char)('0' + frac / 100));
        ct__c(pf, (char)('0' + frac / 10 % 10));
        ct__c(pf, (char)('0' + frac % 10));
}

/* Length of a valid UTF-8 sequence at s (n bytes left), 0 if invalid. */
static size_t ct__utf8_len(const unsigned char *s, size_t n)
{
        unsigned char c = s[0];

        if (c >= 0xc2 && c <= 0xdf)
                return n >= 2 && (s[1] & 0xc0) == 0x80 ? 2 : 0;
        if (c >= 0xe0 && c <= 0xef) {
                unsigned char lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
                return n >= 3 && s[1] >= lo && s[1] <= hi && (s[2] & 0xc0) == 0x80 ? 3 : 0;
        }
        if (c >= 0xf0 && c <= 0xf4) {
                unsigned char lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
                return n >= 4 && s[1] >= lo && s[1] <= hi && (s[2] & 0xc0) == 0x80 &&
                               (s[3] & 0xc0) == 0x80
                           ? 4
                           : 0;
        }
        return 0;
}

/*
 * String contents, escaped: quote and backslash escaped, control characters
 * and DEL as \uXXXX (Perfetto's tokenizer rejects raw ones), valid UTF-8
 * passed through, each invalid byte replaced by U+FFFD.
 */
static void ct__esc(struct ct__pf *pf, const char *str)
{
        static const char hex[] = "0123456789abcdef";
        const unsigned char *s = (const unsigned char *)(str ? str : "");
        size_t n = strlen((const char *)s);

        while (n > 0) {
                size_t run = 0, k;

                while (run < n && s[run] >= 0x20 && s[run] < 0x7f && s[run] != '"' &&
                       s[run] != '\\')
                        run++;
                if (run) {
                        ct__raw(pf, (const char *)s, run);
                        s += run;
                        n -= run;
                        continue;
                }
                if (*s == '"' || *s == '\\') {
                        ct__c(pf, '\\');
                        ct__c(pf, (char)*s);
                        k = 1;
                } else if (*s < 0x20 || *s == 0x7f) {
                        switch (*s) {
                        case '\n':
                                ct__s(pf, "\\n");
                                break;
                        case '\t':
                                ct__s(pf, "\\t");
                                break;
                        case '\r':
                                ct__s(pf, "\\r");
                                break;
                        default:
                                ct__s(pf, "\\u00");
                                ct__c(pf, hex[*s >> 4]);
                                ct__c(pf, hex[*s & 15]);
                        }
                        k = 1;
                } else if ((k = ct__utf8_len(s, n)) != 0) {
                        ct__raw(pf, (const char *)s, k);
                } else {
                        ct__s(pf, "\xef\xbf\xbd");
                        k = 1;
                }
                s += k;
                n -= k;
        }
}

static void ct__qs(struct ct__pf *pf, const char *s)
{
        ct__c(pf, '"');
        ct__esc(pf, s);
        ct__c(pf, '"');
}

/* Starts {"ph":P,"ts":T,"pid":..,"tid":.. (no closing brace). */
static void ct__ev(struct ct__pf *pf, const char *ph, uint64_t ts, uint32_t pid, uint32_t tid)
{
        if (pf->nevents++)
                ct__c(pf, ',');
        ct__s(pf, "\n{\"ph\":\"");
        ct__s(pf, ph);
        ct__s(pf, "\",\"ts\":");
        ct__us(pf, ts);
        ct__s(pf, ",\"pid\":");
        ct__u64(pf, pid);
        ct__s(pf, ",\"tid\":");
        ct__u64(pf, tid);
}

/* ,"name":"<prefix><obj name>" */
static void ct__name(struct ct__pf *pf, const char *prefix, const char *obj)
{
        ct__s(pf, ",\"name\":\"");
        ct__esc(pf, prefix);
        if (obj)
                ct__esc(pf, obj);
        ct__c(pf, '"');
}

static void ct__arg_i(struct ct__pf *pf, int *first, const char *key, int64_t v)
{
        ct__s(pf, *first ? ",\"args\":{\"" : ",\"");
        *first = 0;
        ct__s(pf, key);
        ct__s(pf, "\":");
        ct__i64(pf, v);
}

static void ct__arg_u(struct ct__pf *pf, int *first, const char *key, uint64_t v)
{
        ct__s(pf, *first ? ",\"args\":{\"" : ",\"");
        *first = 0;
        ct__s(pf, key);
        ct__s(pf, "\":");
        ct__u64(pf, v);
}

static void ct__arg_s(struct ct__pf *pf, int *first, const char *key, const char *v)
{
        ct__s(pf, *first ? ",\"args\":{\"" : ",\"");
        *first = 0;
        ct__s(pf, key);
        ct__s(pf, "\":");
        ct__qs(pf, v);
}

static void ct__end(struct ct__pf *pf, int first)
{
        ct__s(pf, first ? "}" : "}}");
}

static void ct__meta(struct ct__pf *pf, const char *what, uint32_t pid, uint32_t tid, int tid_set,
                     const char *name, int64_t sort)
{
        if (pf->nevents++)
                ct__c(pf, ',');
        ct__s(pf, "\n{\"ph\":\"M\",\"pid\":");
        ct__u64(pf, pid);
        if (tid_set) {
                ct__s(pf, ",\"tid\":");
                ct__u64(pf, tid);
        }
        ct__s(pf, ",\"name\":\"");
        ct__s(pf, what);
        if (name) {
                ct__s(pf, "\",\"args\":{\"name\":");
                ct__qs(pf, name);
        } else {
                ct__s(pf, "\",\"args\":{\"sort_index\":");
                ct__i64(pf, sort);
        }
        ct__s(pf, "}}");
}

/* --------------------------------------------------------- ids/names */

static uint64_t ct__rel(struct ct__pf *pf, uint64_t ts)
{
        if (!pf->have_origin) {
                pf->have_origin = 1;
                pf->origin = ts;
        }
        if (ts > pf->last_ts)
                pf->last_ts = ts;
        return ts >= pf->origin ? ts - pf->origin : 0;
}

/* A json id for a pid (ns 1) or tid (ns 2): the real one if still free. */
static uint32_t ct__id(struct ct__pf *pf, int ns, int64_t want)
{
        struct ct__key k = {0, 0, (uint64_t)ns};
        uint32_t id;

        if (want > 0 && want < (int64_t)CT__SYNTH_BASE) {
                k.a = (uint64_t)want;
                if (!ct__map_get(&pf->used, k)) {
                        id = (uint32_t)want;
                        goto end;
                }
        }
        id = pf->next_synth++;
        k.a = id;
end:
        if (ct__map_put(&pf->used, k, (void *)1) < 0 && pf->err == 0)
                pf->err = -ENOMEM;
        return id;
}

static const char *ct__objname(struct ct__pf *pf, int kind, uint64_t obj, char *tmp, size_t n)
{
        struct ct__key k = {pf->trace, (uint64_t)kind, obj};
        const char *s = ct__map_get(&pf->names, k);
        static const char *const kinds[] = {"lock", "cond", "pipe", "queue", "pool", "fd"};

        if (s)
                return s;
        snprintf(tmp, n, "%s 0x%llx", kind >= 0 && kind <= 5 ? kinds[kind] : "obj",
                 (unsigned long long)obj);
        return tmp;
}

static void ct__proc_name(struct ct__pf *pf, struct ct__proc *p)
{
        char buf[64];
        size_t n = strlen(p->procname);
        char *name = malloc(n + 32);

        if (!name) {
                pf->err = pf->err ? pf->err : -ENOMEM;
                return;
        }
        snprintf(buf, sizeof(buf), " (%lld)", (long long)p->vpid);
        memcpy(name, p->procname, n);
        strcpy(name + n, buf);
        ct__meta(pf, "process_name", p->jpid, 0, 0, name, 0);
        free(name);
}

static void ct__proc_unref(struct ct__proc *p)
{
        int i;

        if (!p || --p->refs > 0)
                return;
        for (i = 0; i < CT__PREFIXES; i++)
                free(p->prefixes[i]);
        free(p->procname);
        free(p);
}

static struct ct__proc *ct__proc_get(struct ct__pf *pf, const struct ct_event *ev)
{
        struct ct__key k = {pf->trace, (uint64_t)ev->vpid, 0};
        struct ct__proc *p = ct__map_get(&pf->procs, k);
        const char *pn = ev->procname && *ev->procname ? ev->procname : "process";

        if (p && !p->dead) {
                if (strcmp(p->procname, pn) != 0) {
                        char *dup = strdup(pn);
                        if (dup) {
                                free(p->procname);
                                p->procname = dup;
                                ct__proc_name(pf, p);
                        }
                }
                return p;
        }
        if (p) {
                ct__map_del(&pf->procs, k);
                ct__proc_unref(p);
        }
        p = calloc(1, sizeof(*p));
        if (!p || !(p->procname = strdup(pn)) || ct__map_put(&pf->procs, k, p) < 0) {
                if (p)
                        free(p->procname);
                free(p);
                pf->err = pf->err ? pf->err : -ENOMEM;
                return NULL;
        }
        p->refs = 1;
        p->trace = pf->trace;
        p->vpid = ev->vpid;
        p->jpid = ct__id(pf, 1, ev->vpid);
        p->last_blocked = -1;
        ct__proc_name(pf, p);
        ct__meta(pf, "process_sort_index", p->jpid, 0, 0, NULL, pf->proc_order++);
        return p;
}

/* thread_sort_index: main thread first, then by role prefix, then number. */
static int ct__thr_sort(struct ct__proc *p, const struct ct__thr *t, const char *role)
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
        for (rank = 0; rank < CT__PREFIXES; rank++) {
                if (!p->prefixes[rank]) {
                        p->prefixes[rank] = strndup(role ? role : "", d);
                        break;
                }
                if (strlen(p->prefixes[rank]) == d && strncmp(p->prefixes[rank], role, d) == 0)
                        break;
        }
        return 2 * (1 + (rank + 1) * 100000 + (int)num);
}

static void ct__thr_name(struct ct__pf *pf, struct ct__thr *t, const char *role)
{
        char name[256];

        if (role && *role)
                snprintf(t->role, sizeof(t->role), "%s", role);
        role = t->role;
        snprintf(name, sizeof(name), "%s (%lld)", *role ? role : "thread", (long long)t->vtid);
        ct__meta(pf, "thread_name", t->proc->jpid, t->jtid, 1, name, 0);
        t->sort = ct__thr_sort(t->proc, t, role);
        ct__meta(pf, "thread_sort_index", t->proc->jpid, t->jtid, 1, NULL, t->sort);
        if (t->locks_tid) {
                snprintf(name, sizeof(name), "%s (%lld) locks", *role ? role : "thread",
                         (long long)t->vtid);
                ct__meta(pf, "thread_name", t->proc->jpid, t->locks_tid, 1, name, 0);
                ct__meta(pf, "thread_sort_index", t->proc->jpid, t->locks_tid, 1, NULL,
                         t->sort + 1);
        }
}

static struct ct__thr *ct__thr_get(struct ct__pf *pf, const struct ct_event *ev)
{
        struct ct__key k = {pf->trace, (uint64_t)ev->vpid, (uint64_t)ev->vtid};
        struct ct__thr *t = ct__map_get(&pf->threads, k);
        struct ct__proc *p = ct__proc_get(pf, ev);

        if (!p)
                return NULL;
        if (t && t->proc == p)
                return t;
        if (t) { /* its process ended and the pid came back: a new thread */
                ct__map_del(&pf->threads, k);
                ct__proc_unref(t->proc);
                free(t);
        }
        t = calloc(1, sizeof(*t));
        if (!t || ct__map_put(&pf->threads, k, t) < 0) {
                free(t);
                pf->err = pf->err ? pf->err : -ENOMEM;
                return NULL;
        }
        t->trace = pf->trace;
        t->vpid = ev->vpid;
        t->vtid = ev->vtid;
        t->proc = p;
        p->refs++;
        p->nthreads++;
        t->jtid = ct__id(pf, 2, ev->vtid);
        ct__thr_name(pf, t, ev->type == CT_EV_THREAD_BEGIN ? ev->str : NULL);
        pf->just_created = t;
        return t;
}

static uint32_t ct__locks_tid(struct ct__pf *pf, struct ct__thr *t)
{
        char name[96];

        if (!t->locks_tid) {
                t->locks_tid = ct__id(pf, 2, -1);
                snprintf(name, sizeof(name), "%s (%lld) locks", *t->role ? t->role : "thread",
                         (long long)t->vtid);
                ct__meta(pf, "thread_name", t->proc->jpid, t->locks_tid, 1, name, 0);
                ct__meta(pf, "thread_sort_index", t->proc->jpid, t->locks_tid, 1, NULL,
                         t->sort + 1);
        }
        return t->locks_tid;
}

static uint32_t ct__runs_tid(struct ct__pf *pf, struct ct__proc *p)
{
        if (!p->runs_tid) {
                p->runs_tid = ct__id(pf, 2, -1);
                ct__meta(pf, "thread_name", p->jpid, p->runs_tid, 1, "runs & phases", 0);
                ct__meta(pf, "thread_sort_index", p->jpid, p->runs_tid, 1, NULL, 0);
        }
        return p->runs_tid;
}

/* ---------------------------------------------------------- emitters */

static void ct__counter(struct ct__pf *pf, uint64_t ts, uint32_t pid, uint32_t tid,
                        const char *name, const char *key, int64_t v)
{
        int first = 1;

        if (!pf->opts.counters)
                return;
        ct__ev(pf, "C", ts, pid, tid);
        ct__name(pf, name, NULL);
        ct__arg_i(pf, &first, key, v);
        ct__end(pf, first);
}

static void ct__blocked(struct ct__pf *pf, struct ct__thr *t, int delta, uint64_t ts)
{
        struct ct__proc *p = t->proc;
        int was = t->blocked > 0;

        t->blocked += delta;
        if (t->blocked < 0)
                t->blocked = 0;
        if ((t->blocked > 0) == was)
                return;
        p->nblocked += was ? -1 : 1;
        if (p->nblocked < 0)
                p->nblocked = 0;
        if (p->nblocked != p->last_blocked) {
                p->last_blocked = p->nblocked;
                ct__counter(pf, ts, p->jpid, t->jtid, "threads", "blocked", p->nblocked);
        }
}

static int ct__is_blocking(int kind)
{
        return kind == K_LOCKWAIT || kind == K_CONDWAIT || kind == K_READ || kind == K_WRITE ||
               kind == K_SELECT || kind == K_IOSIM || kind == K_JOIN;
}

/* A thread instant ("s":"t"), closing brace left to the caller via args. */
static void ct__instant(struct ct__pf *pf, uint64_t ts, uint32_t pid, uint32_t tid,
                        const char *prefix, const char *obj)
{
        ct__ev(pf, "i", ts, pid, tid);
        ct__s(pf, ",\"s\":\"t\"");
        ct__name(pf, prefix, obj);
}

/* Zero-duration marker slice, the anchor of a flow end. */
static void ct__marker(struct ct__pf *pf, uint64_t ts, uint32_t pid, uint32_t tid,
                       const char *prefix, const char *obj, const char *key, int64_t v)
{
        int first = 1;

        ct__ev(pf, "X", ts, pid, tid);
        ct__s(pf, ",\"dur\":0.000");
        ct__name(pf, prefix, obj);
        if (key)
                ct__arg_i(pf, &first, key, v);
        ct__end(pf, first);
}

static void ct__flow(struct ct__pf *pf, const char *name, uint64_t s_ts, uint32_t s_pid,
                     uint32_t s_tid, uint64_t f_ts, uint32_t f_pid, uint32_t f_tid)
{
        uint64_t id = pf->next_flow++;

        ct__ev(pf, "s", s_ts, s_pid, s_tid);
        ct__name(pf, name, NULL);
        ct__s(pf, ",\"id\":");
        ct__u64(pf, id);
        ct__c(pf, '}');
        ct__ev(pf, "f", f_ts, f_pid, f_tid);
        ct__s(pf, ",\"bp\":\"e\"");
        ct__name(pf, name, NULL);
        ct__s(pf, ",\"id\":");
        ct__u64(pf, id);
        ct__c(pf, '}');
}

/* ------------------------------------------------------------- pipes */

static struct ct__pipe *ct__pipe_get(struct ct__pf *pf, uint64_t ino, struct ct__thr *t)
{
        struct ct__key k = {pf->trace, ino, 0};
        struct ct__pipe *p = ct__map_get(&pf->pipes, k);

        if (p)
                return p;
        p = calloc(1, sizeof(*p));
        if (!p || ct__map_put(&pf->pipes, k, p) < 0) {
                free(p);
                pf->err = pf->err ? pf->err : -ENOMEM;
                return NULL;
        }
        p->c_pid = t->proc->jpid;
        p->c_tid = t->jtid;
        p->w_vpid = p->r_vpid = -1;
        p->last_inflight = -1;
        return p;
}

static struct ct__chunk *ct__chq_at(struct ct__chq *q, int i)
{
        return &q->c[(q->head + i) % CT__CHUNKS];
}

static void ct__chq_push(struct ct__chq *q, const struct ct__chunk *c)
{
        if (q->n == CT__CHUNKS) { /* full: forget the oldest (its flows are lost) */
                q->head = (q->head + 1) % CT__CHUNKS;
                q->n--;
        }
        *ct__chq_at(q, q->n) = *c;
        q->n++;
}

static void ct__chq_prune(struct ct__chq *q, uint64_t upto)
{
        while (q->n > 0 && q->c[q->head].hi <= upto) {
                q->head = (q->head + 1) % CT__CHUNKS;
                q->n--;
        }
}

/* One flow write chunk w -> read chunk r (r->marked may be updated). */
static void ct__pipe_flow(struct ct__pf *pf, const struct ct__chunk *w, struct ct__chunk *r,
                          const char *pname)
{
        uint64_t f_ts;

        if (!w->sliced || r->te < w->tb)
                return; /* no slice to bind to, or offsets disagree with time */
        if (r->sliced && r->tb >= w->tb) {
                f_ts = r->tb;
        } else {
                if (!r->marked) {
                        ct__marker(pf, r->te, r->pid, r->tid, "data ", pname, NULL, 0);
                        r->marked = 1;
                }
                f_ts = r->te;
        }
        ct__flow(pf, "pipe", w->tb, w->pid, w->tid, f_ts, r->pid, r->tid);
}

static void ct__pipe_io(struct ct__pf *pf, struct ct__thr *t, const struct ct_event *ev,
                        uint64_t tb, uint64_t te, int sliced, const char *pname)
{
        struct ct__pipe *p = ct__pipe_get(pf, ev->obj, t);
        int is_w = ev->type == CT_EV_PIPE_WRITE_END;
        struct ct__chunk c;
        struct ct__chq *mine, *other;
        int64_t inflight;
        int i;

        if (!p || ev->ret <= 0)
                return;
        memset(&c, 0, sizeof(c));
        if (is_w) {
                if (p->w_vpid >= 0 && p->w_vpid != ev->vpid)
                        p->multi_w = 1;
                p->w_vpid = ev->vpid;
                c.lo = p->multi_w ? p->wseq : ev->offset;
                p->wseq += (uint64_t)ev->ret;
                p->written += (uint64_t)ev->ret;
                mine = &p->wq;
                other = &p->rq;
        } else {
                if (p->r_vpid >= 0 && p->r_vpid != ev->vpid)
                        p->multi_r = 1;
                p->r_vpid = ev->vpid;
                c.lo = p->multi_r ? p->rseq : ev->offset;
                p->rseq += (uint64_t)ev->ret;
                p->readn += (uint64_t)ev->ret;
                mine = &p->rq;
                other = &p->wq;
        }
        c.hi = c.lo + (uint64_t)ev->ret;
        c.tb = tb;
        c.te = te;
        c.pid = t->proc->jpid;
        c.tid = t->jtid;
        c.sliced = (uint8_t)sliced;
        for (i = 0; i < other->n; i++) {
                struct ct__chunk *o = ct__chq_at(other, i);
                if (o->lo < c.hi && c.lo < o->hi) {
                        if (is_w)
                                ct__pipe_flow(pf, &c, o, pname);
                        else
                                ct__pipe_flow(pf, o, &c, pname);
                }
        }
        if (is_w) {
                if (c.hi > p->wmax)
                        p->wmax = c.hi;
                ct__chq_prune(&p->rq, p->wmax);
                if (c.hi > p->rmax)
                        ct__chq_push(mine, &c);
        } else {
                if (c.hi > p->rmax)
                        p->rmax = c.hi;
                ct__chq_prune(&p->wq, p->rmax);
                if (c.hi > p->wmax)
                        ct__chq_push(mine, &c);
        }
        /* read_end can precede the write_end of its bytes: clamp at 0 */
        inflight = p->written > p->readn ? (int64_t)(p->written - p->readn) : 0;
        if (inflight != p->last_inflight) {
                p->last_inflight = inflight;
                ct__counter(pf, te, p->c_pid, p->c_tid, pname, "bytes in flight", inflight);
        }
}

/* ------------------------------------------------------- interval out */

/* Write the X slice of interval iv that ends at te on thread t's track. */
static void ct__slice(struct ct__pf *pf, struct ct__thr *t, struct ct__proc *p, uint32_t tid,
                      const struct ct__ival *iv, uint64_t te, const struct ct_event *ev,
                      int unfinished)
{
        char tmp[48], nbuf[64];
        const char *nm = NULL, *prefix = "";
        int first = 1;

        switch (iv->kind) {
        case K_LOCKWAIT:
                prefix = "wait ";
                nm = ct__objname(pf, CT_OBJ_LOCK, iv->obj, tmp, sizeof(tmp));
                break;
        case K_HOLD:
                prefix = "hold ";
                nm = ct__objname(pf, CT_OBJ_LOCK, iv->obj, tmp, sizeof(tmp));
                break;
        case K_CONDWAIT:
                prefix = "cond wait ";
                nm = ct__objname(pf, CT_OBJ_COND, iv->obj, tmp, sizeof(tmp));
                break;
        case K_READ:
                prefix = "read ";
                nm = ct__objname(pf, CT_OBJ_PIPE, iv->obj, tmp, sizeof(tmp));
                break;
        case K_WRITE:
                prefix = "write ";
                nm = ct__objname(pf, CT_OBJ_PIPE, iv->obj, tmp, sizeof(tmp));
                break;
        case K_SELECT:
                prefix = "select";
                break;
        case K_IOSIM:
                prefix = "io_sim";
                break;
        case K_COMPUTE:
                prefix = "compute";
                break;
        case K_TASK:
                snprintf(nbuf, sizeof(nbuf), "task %lld", (long long)iv->a);
                nm = nbuf;
                break;
        case K_JOIN:
                snprintf(nbuf, sizeof(nbuf), "join %lld", (long long)iv->a);
                nm = nbuf;
                break;
        case K_RUN:
                prefix = "run ";
                nm = iv->name;
                break;
        case K_PHASE:
                nm = iv->name;
                break;
        default:
                abort();
        }
        ct__ev(pf, "X", iv->ts, p->jpid, tid);
        ct__s(pf, ",\"dur\":");
        ct__us(pf, te - iv->ts);
        ct__s(pf, ",\"name\":\"");
        ct__esc(pf, prefix);
        if (nm)
                ct__esc(pf, nm);
        if (unfinished)
                ct__s(pf, " (unfinished)");
        ct__c(pf, '"');
        if (!unfinished && ev) {
                switch (iv->kind) {
                case K_LOCKWAIT:
                        ct__arg_u(pf, &first, "wait_ns", te - iv->ts);
                        ct__arg_i(pf, &first, "contended", ev->contended);
                        break;
                case K_HOLD:
                        ct__arg_u(pf, &first, "hold_ns", te - iv->ts);
                        ct__arg_i(pf, &first, "contended", iv->a);
                        break;
                case K_CONDWAIT:
                        ct__arg_u(pf, &first, "wait_ns", te - iv->ts);
                        ct__arg_i(pf, &first, "timedout", ev->timedout);
                        ct__arg_s(pf, &first, "lock",
                                  ct__objname(pf, CT_OBJ_LOCK, ev->lock, tmp, sizeof(tmp)));
                        break;
                case K_READ:
                case K_WRITE:
                        ct__arg_i(pf, &first, "fd", ev->fd);
                        ct__arg_u(pf, &first, "len", ev->len);
                        ct__arg_i(pf, &first, "bytes", ev->ret);
                        ct__arg_u(pf, &first, "offset", ev->offset);
                        if (ev->err)
                                ct__arg_i(pf, &first, "err", ev->err);
                        ct__arg_u(pf, &first, "wait_ns", te - iv->ts);
                        break;
                case K_SELECT: {
                        char ready[256];
                        size_t off = 0;
                        uint32_t i;

                        ready[0] = 0;
                        for (i = 0; ev->ready && i < ev->ready_len && off + 24 < sizeof(ready); i++)
                                off += (size_t)snprintf(ready + off, sizeof(ready) - off, "%s%lld",
                                                        i ? " " : "", (long long)ev->ready[i]);
                        ct__arg_i(pf, &first, "nfds", ev->nfds);
                        ct__arg_i(pf, &first, "ret", ev->ret);
                        ct__arg_s(pf, &first, "ready", ready);
                        ct__arg_i(pf, &first, "timeout_us", ev->timeout_us);
                        ct__arg_u(pf, &first, "wait_ns", te - iv->ts);
                        break;
                }
                case K_IOSIM:
                case K_COMPUTE:
                        ct__arg_u(pf, &first, "units", ev->units);
                        break;
                case K_TASK:
                        ct__arg_u(pf, &first, "task", ev->task);
                        ct__arg_i(pf, &first, "worker", ev->worker);
                        ct__arg_s(pf, &first, "pool",
                                  ct__objname(pf, CT_OBJ_POOL, ev->obj, tmp, sizeof(tmp)));
                        if (iv->fpid)
                                ct__arg_u(pf, &first, "queue_wait_ns", iv->ts - iv->fsrc);
                        break;
                case K_JOIN:
                        ct__arg_i(pf, &first, "target", ev->target);
                        ct__arg_i(pf, &first, "status", ev->status);
                        ct__arg_u(pf, &first, "wait_ns", te - iv->ts);
                        break;
                case K_RUN:
                        ct__arg_s(pf, &first, "scenario", ev->str);
                        ct__arg_s(pf, &first, "variant", ev->variant);
                        ct__arg_i(pf, &first, "workers", ev->workers);
                        ct__arg_s(pf, &first, "params", ev->params);
                        ct__arg_i(pf, &first, "status", ev->status);
                        break;
                default:
                        break;
                }
        }
        if (unfinished)
                ct__arg_i(pf, &first, "unfinished", 1);
        if (iv->gap)
                ct__arg_i(pf, &first, "discarded_events_during", 1);
        ct__end(pf, first);
        /* the task's flow from its submit lands on the task's first instant */
        if (iv->kind == K_TASK && iv->fpid)
                ct__flow(pf, "task", iv->fsrc, iv->fpid, iv->ftid, iv->ts, p->jpid, tid);
        (void)t;
}

/* An interval that cannot be a slice: an instant at te says so. */
static void ct__not_nested(struct ct__pf *pf, struct ct__proc *p, uint32_t tid,
                           const struct ct__ival *iv, uint64_t te, const char *why)
{
        static const char *const kn[] = {"",      "lock wait", "hold",   "cond wait", "read",
                                         "write", "select",    "io_sim", "compute",   "task",
                                         "join",  "run",       "phase"};
        int first = 1;

        ct__instant(pf, te, p->jpid, tid, kn[iv->kind], why);
        ct__arg_u(pf, &first, "begin_ns", iv->ts);
        ct__arg_u(pf, &first, "dur_ns", te >= iv->ts ? te - iv->ts : 0);
        ct__end(pf, first);
}

static void ct__push(struct ct__pf *pf, struct ct__proc *p, uint32_t tid, struct ct__ival *stack,
                     int *depth, const struct ct__ival *iv)
{
        if (*depth == CT__STACK_MAX) { /* runaway: forget the oldest */
                ct__not_nested(pf, p, tid, &stack[0], iv->ts, " (end lost)");
                memmove(stack, stack + 1, sizeof(*stack) * (CT__STACK_MAX - 1));
                (*depth)--;
        }
        stack[(*depth)++] = *iv;
}

static void ct__remove(struct ct__ival *stack, int *depth, int i)
{
        memmove(stack + i, stack + i + 1, sizeof(*stack) * (size_t)(*depth - i - 1));
        (*depth)--;
}

/* Index of the innermost open interval of kind (and obj if match_obj). */
static int ct__find(const struct ct__ival *stack, int depth, int kind, int match_obj, uint64_t obj)
{
        int i;

        for (i = depth - 1; i >= 0; i--) {
                if (stack[i].kind == kind && (!match_obj || stack[i].obj == obj))
                        return i;
        }
        return -1;
}

static void ct__lock_waiter(struct ct__pf *pf, struct ct__thr *t, uint64_t obj, int delta,
                            uint64_t ts);

/* Open an interval on t's main stack. */
static void ct__open(struct ct__pf *pf, struct ct__thr *t, int kind, uint64_t obj, uint64_t ts,
                     int64_t a, int64_t b)
{
        struct ct__ival iv;
        int i;

        memset(&iv, 0, sizeof(iv));
        iv.kind = (uint8_t)kind;
        iv.obj = obj;
        iv.ts = ts;
        iv.a = a;
        iv.b = b;
        if (ct__is_blocking(kind)) {
                /* a thread cannot be in two calls of one kind: the older lost its end */
                while ((i = ct__find(t->stack, t->depth, kind, 0, 0)) >= 0) {
                        ct__not_nested(pf, t->proc, t->jtid, &t->stack[i], t->stack[i].ts,
                                       " (end lost)");
                        if (kind == K_LOCKWAIT)
                                ct__lock_waiter(pf, t, t->stack[i].obj, -1, ts);
                        ct__remove(t->stack, &t->depth, i);
                        ct__blocked(pf, t, -1, ts);
                }
                ct__blocked(pf, t, +1, ts);
        }
        ct__push(pf, t->proc, t->jtid, t->stack, &t->depth, &iv);
}

/*
 * Close the innermost open interval of kind on t's main stack at te; writes
 * its slice (or a not-nested instant). Returns 1 and the interval in *out if
 * one was open, 0 otherwise. *sliced tells whether an X slice was written.
 */
static int ct__close(struct ct__pf *pf, struct ct__thr *t, int kind, int match_obj, uint64_t obj,
                     uint64_t te, const struct ct_event *ev, struct ct__ival *out, int *sliced)
{
        int i = ct__find(t->stack, t->depth, kind, match_obj, obj);

        *sliced = 0;
        if (i < 0)
                return 0;
        *out = t->stack[i];
        if (i == t->depth - 1) {
                ct__slice(pf, t, t->proc, t->jtid, out, te, ev, 0);
                *sliced = 1;
        } else {
                ct__not_nested(pf, t->proc, t->jtid, out, te, " (not nested)");
        }
        ct__remove(t->stack, &t->depth, i);
        if (ct__is_blocking(kind))
                ct__blocked(pf, t, -1, te);
        return 1;
}

/* ------------------------------------------------------ locks, conds */

static struct ct__lock *ct__lock_get(struct ct__pf *pf, int64_t vpid, uint64_t obj)
{
        struct ct__key k = {pf->trace, (uint64_t)vpid, obj};
        struct ct__lock *l = ct__map_get(&pf->locks, k);

        if (l)
                return l;
        l = calloc(1, sizeof(*l));
        if (!l || ct__map_put(&pf->locks, k, l) < 0) {
                free(l);
                pf->err = pf->err ? pf->err : -ENOMEM;
                return NULL;
        }
        l->last_waiters = -1;
        return l;
}

static void ct__lock_waiter(struct ct__pf *pf, struct ct__thr *t, uint64_t obj, int delta,
                            uint64_t ts)
{
        struct ct__lock *l = ct__lock_get(pf, t->vpid, obj);
        char tmp[48];

        if (!l)
                return;
        l->waiters += delta;
        if (l->waiters < 0)
                l->waiters = 0;
        if (l->waiters != l->last_waiters) {
                l->last_waiters = l->waiters;
                ct__counter(pf, ts, t->proc->jpid, t->jtid,
                            ct__objname(pf, CT_OBJ_LOCK, obj, tmp, sizeof(tmp)), "waiters",
                            l->waiters);
        }
}

static int ct__hold_shown(struct ct__pf *pf, const struct ct__ival *h, uint64_t te, int waited)
{
        switch (pf->opts.hold) {
        case CT_PERFETTO_HOLD_NONE:
                return 0;
        case CT_PERFETTO_HOLD_ALL:
                return 1;
        default:
                return h->a || waited || te - h->ts >= pf->opts.hold_min_ns;
        }
}

static void ct__on_acquire(struct ct__pf *pf, struct ct__thr *t, const struct ct_event *ev,
                           uint64_t ts)
{
        struct ct__lock *l = ct__lock_get(pf, ev->vpid, ev->obj);
        struct ct__ival iv, w;
        int sliced, waited;
        char tmp[48];

        waited = ct__close(pf, t, K_LOCKWAIT, 1, ev->obj, ts, ev, &w, &sliced);
        if (waited)
                ct__lock_waiter(pf, t, ev->obj, -1, ts);
        if (l && l->h_pid) {
                if (waited) { /* the release unblocked this waiter: hand-off */
                        uint32_t ltid = ct__locks_tid(pf, t);
                        ct__marker(pf, ts, t->proc->jpid, ltid, "acquired ",
                                   ct__objname(pf, CT_OBJ_LOCK, ev->obj, tmp, sizeof(tmp)), NULL,
                                   0);
                        ct__flow(pf, "handoff", l->h_ts, l->h_pid, l->h_tid, ts, t->proc->jpid,
                                 ltid);
                }
                l->h_pid = 0;
        }
        memset(&iv, 0, sizeof(iv));
        iv.kind = K_HOLD;
        iv.obj = ev->obj;
        iv.ts = ts;
        iv.a = ev->contended;
        iv.b = l ? l->waiters : 0; /* waiters seen during the hold (max) */
        ct__push(pf, t->proc, t->locks_tid ? t->locks_tid : t->jtid, t->hstack, &t->hdepth, &iv);
}

static void ct__on_release(struct ct__pf *pf, struct ct__thr *t, const struct ct_event *ev,
                           uint64_t ts)
{
        struct ct__lock *l = ct__lock_get(pf, ev->vpid, ev->obj);
        int i = ct__find(t->hstack, t->hdepth, K_HOLD, 1, ev->obj);
        char tmp[48];

        if (i >= 0) {
                struct ct__ival h = t->hstack[i];
                int waited = (l && l->waiters > 0) || h.b > 0;

                if (ct__hold_shown(pf, &h, ts, waited)) {
                        if (i == t->hdepth - 1)
                                ct__slice(pf, t, t->proc, ct__locks_tid(pf, t), &h, ts, ev, 0);
                        else
                                ct__not_nested(pf, t->proc, ct__locks_tid(pf, t), &h, ts,
                                               " (not nested)");
                }
                ct__remove(t->hstack, &t->hdepth, i);
        }
        if (l && l->waiters > 0) { /* someone waits: the next acquire is a hand-off */
                uint32_t ltid = ct__locks_tid(pf, t);
                ct__marker(pf, ts, t->proc->jpid, ltid, "release ",
                           ct__objname(pf, CT_OBJ_LOCK, ev->obj, tmp, sizeof(tmp)), "waiters",
                           l->waiters);
                l->h_pid = t->proc->jpid;
                l->h_tid = ltid;
                l->h_ts = ts;
        }
}

/* A request: remember in every open hold of that lock that someone waited. */
static void ct__mark_holds(struct ct__pf *pf, uint64_t obj, int64_t vpid)
{
        size_t i;
        int j;

        for (i = 0; i < pf->threads.cap; i++) {
                struct ct__thr *t = pf->threads.slots[i].v;
                if (!t || t->vpid != vpid)
                        continue;
                for (j = 0; j < t->hdepth; j++) {
                        if (t->hstack[j].obj == obj)
                                t->hstack[j].b++;
                }
        }
}

static struct ct__cond *ct__cond_get(struct ct__pf *pf, int64_t vpid, uint64_t obj)
{
        struct ct__key k = {pf->trace, (uint64_t)vpid, obj};
        struct ct__cond *c = ct__map_get(&pf->conds, k);

        if (c)
                return c;
        c = calloc(1, sizeof(*c));
        if (!c || ct__map_put(&pf->conds, k, c) < 0) {
                free(c);
                pf->err = pf->err ? pf->err : -ENOMEM;
                return NULL;
        }
        return c;
}

static void ct__on_signal(struct ct__pf *pf, struct ct__thr *t, const struct ct_event *ev,
                          uint64_t ts)
{
        struct ct__cond *c = ct__cond_get(pf, ev->vpid, ev->obj);
        int bc = ev->type == CT_EV_COND_BROADCAST;
        struct ct__sig *s;
        char tmp[48];

        ct__marker(pf, ts, t->proc->jpid, t->jtid, bc ? "broadcast " : "signal ",
                   ct__objname(pf, CT_OBJ_COND, ev->obj, tmp, sizeof(tmp)), "waiters", ev->waiters);
        if (!c || ev->waiters <= 0)
                return; /* no waiter: a lost notification, nothing to wake */
        if (c->nsig == CT__SIGNALS) {
                memmove(c->sig, c->sig + 1, sizeof(c->sig[0]) * (CT__SIGNALS - 1));
                c->nsig--;
        }
        s = &c->sig[c->nsig++];
        s->ts = ts;
        s->pid = t->proc->jpid;
        s->tid = t->jtid;
        s->left = bc ? ev->waiters : 1;
}

/* A wait that began at wb ended at we, woken (not timed out): which signal? */
static void ct__on_woken(struct ct__pf *pf, struct ct__thr *t, const struct ct_event *ev,
                         uint64_t wb, uint64_t we)
{
        struct ct__cond *c = ct__cond_get(pf, ev->vpid, ev->obj);
        char tmp[48];
        int i;

        if (!c)
                return;
        for (i = 0; i < c->nsig; i++) {
                struct ct__sig *s = &c->sig[i];
                if (s->ts < wb || s->ts > we)
                        continue;
                ct__marker(pf, we, t->proc->jpid, t->jtid, "woken ",
                           ct__objname(pf, CT_OBJ_COND, ev->obj, tmp, sizeof(tmp)), NULL, 0);
                ct__flow(pf, "wake", s->ts, s->pid, s->tid, we, t->proc->jpid, t->jtid);
                if (--s->left <= 0) {
                        memmove(c->sig + i, c->sig + i + 1,
                                sizeof(c->sig[0]) * (size_t)(c->nsig - i - 1));
                        c->nsig--;
                }
                return;
        }
}

/* ------------------------------------------------------------ events */

static void ct__close_all(struct ct__pf *pf, struct ct__thr *t, uint64_t te)
{
        while (t->depth > 0) {
                struct ct__ival *iv = &t->stack[t->depth - 1];
                if (iv->kind == K_LOCKWAIT)
                        ct__lock_waiter(pf, t, iv->obj, -1, te);
                ct__slice(pf, t, t->proc, t->jtid, iv, te, NULL, 1);
                if (ct__is_blocking(iv->kind))
                        ct__blocked(pf, t, -1, te);
                t->depth--;
        }
        while (t->hdepth > 0) {
                struct ct__ival *iv = &t->hstack[t->hdepth - 1];
                if (pf->opts.hold != CT_PERFETTO_HOLD_NONE)
                        ct__slice(pf, t, t->proc, ct__locks_tid(pf, t), iv, te, NULL, 1);
                t->hdepth--;
        }
}

static void ct__close_runs(struct ct__pf *pf, struct ct__proc *p, uint64_t te)
{
        while (p->rdepth > 0) {
                ct__slice(pf, NULL, p, p->runs_tid, &p->rstack[p->rdepth - 1], te, NULL, 1);
                p->rdepth--;
        }
}

static void ct__thr_drop(struct ct__pf *pf, struct ct__thr *t)
{
        struct ct__key k = {t->trace, (uint64_t)t->vpid, (uint64_t)t->vtid};

        ct__map_del(&pf->threads, k);
        t->proc->nthreads--;
        ct__proc_unref(t->proc);
        free(t);
}

/* A child process exited: close its threads' intervals, forget them. */
static void ct__proc_exit(struct ct__pf *pf, struct ct__proc *p, uint64_t ts)
{
        size_t i = 0;

        p->refs++;
        while (i < pf->threads.cap) {
                struct ct__thr *t = pf->threads.slots[i].v;
                if (t && t->proc == p) {
                        ct__close_all(pf, t, ts);
                        ct__thr_drop(pf, t); /* backward shift: look at slot i again */
                        continue;
                }
                i++;
        }
        ct__close_runs(pf, p, ts);
        p->dead = 1;
        ct__proc_unref(p);
}

static void ct__run_ev(struct ct__pf *pf, struct ct__thr *t, const struct ct_event *ev, uint64_t ts)
{
        struct ct__proc *p = t->proc;
        uint32_t tid = ct__runs_tid(pf, p);
        int kind = ev->type == CT_EV_RUN_BEGIN || ev->type == CT_EV_RUN_END ? K_RUN : K_PHASE;
        struct ct__ival iv;
        int i;

        if (ev->type == CT_EV_RUN_BEGIN || ev->type == CT_EV_PHASE_BEGIN) {
                memset(&iv, 0, sizeof(iv));
                iv.kind = (uint8_t)kind;
                iv.ts = ts;
                if (kind == K_RUN)
                        snprintf(iv.name, sizeof(iv.name), "%s %s w=%lld", ev->str ? ev->str : "",
                                 ev->variant ? ev->variant : "", (long long)ev->workers);
                else
                        snprintf(iv.name, sizeof(iv.name), "%s", ev->str ? ev->str : "");
                ct__push(pf, p, tid, p->rstack, &p->rdepth, &iv);
                return;
        }
        i = ct__find(p->rstack, p->rdepth, kind, 0, 0);
        if (i < 0)
                return;
        iv = p->rstack[i];
        if (i == p->rdepth - 1)
                ct__slice(pf, t, p, tid, &iv, ts, ev, 0);
        else
                ct__not_nested(pf, p, tid, &iv, ts, " (not nested)");
        ct__remove(p->rstack, &p->rdepth, i);
}

static void ct__name_ev(struct ct__pf *pf, const struct ct_event *ev)
{
        struct ct__key k = {pf->trace, (uint64_t)ev->kind, ev->obj};
        char *old = ct__map_get(&pf->names, k), *dup = strdup(ev->str ? ev->str : "");

        if (!dup || ct__map_put(&pf->names, k, dup) < 0) {
                free(dup);
                pf->err = pf->err ? pf->err : -ENOMEM;
                return;
        }
        free(old);
}

static void ct__discarded(struct ct__pf *pf, const struct ct_event *ev, uint64_t ts)
{
        int first = 1;

        ct__ev(pf, "i", ts, 0, 0);
        ct__s(pf, ",\"s\":\"g\"");
        ct__name(pf, "discarded events", NULL);
        ct__arg_u(pf, &first, "trace", pf->trace);
        ct__arg_u(pf, &first, "count", ev->count);
        if (ev->ts_begin && ev->ts_begin <= ev->ts)
                ct__arg_u(pf, &first, "gap_ns", ev->ts - ev->ts_begin);
        ct__end(pf, first);
}

static void ct__mark_gap(struct ct__pf *pf)
{
        size_t i;
        int j;

        for (i = 0; i < pf->threads.cap; i++) {
                struct ct__thr *t = pf->threads.slots[i].v;
                if (!t)
                        continue;
                for (j = 0; j < t->depth; j++)
                        t->stack[j].gap = 1;
                for (j = 0; j < t->hdepth; j++)
                        t->hstack[j].gap = 1;
                for (j = 0; j < t->proc->rdepth; j++)
                        t->proc->rstack[j].gap = 1;
        }
}

static void ct__pf_trace_begin(void *self, uint32_t trace, const char *path);

static void ct__pf_event(void *self, const struct ct_event *ev)
{
        struct ct__pf *pf = self;
        struct ct__thr *t;
        struct ct__ival iv;
        uint64_t ts;
        int sliced, first = 1;
        char tmp[48];

        if (pf->finished || pf->err)
                return;
        if (ev->trace != pf->trace) /* driver skipped on_trace_begin */
                ct__pf_trace_begin(pf, ev->trace, NULL);
        ts = ct__rel(pf, ev->ts);
        if (ev->type == CT_EV_DISCARDED) {
                ct__discarded(pf, ev, ts);
                ct__mark_gap(pf);
                return;
        }
        if (ev->type == CT_EV_NAME) {
                ct__name_ev(pf, ev);
                return;
        }
        if (ev->type == CT_EV_UNKNOWN || ev->type >= CT_EV__COUNT || ev->vpid < 0 || ev->vtid < 0)
                return;
        pf->just_created = NULL;
        t = ct__thr_get(pf, ev);
        if (!t)
                return;

        switch (ev->type) {
        case CT_EV_RUN_BEGIN:
        case CT_EV_RUN_END:
        case CT_EV_PHASE_BEGIN:
        case CT_EV_PHASE_END:
                ct__run_ev(pf, t, ev, ts);
                break;
        case CT_EV_THREAD_BEGIN:
                if (pf->just_created != t)
                        ct__thr_name(pf, t, ev->str);
                break;
        case CT_EV_THREAD_END:
                ct__close_all(pf, t, ts);
                if (t->vtid == t->vpid && t->proc->nthreads == 1) {
                        ct__close_runs(pf, t->proc, ts);
                        t->proc->dead = 1;
                }
                ct__thr_drop(pf, t);
                break;
        case CT_EV_FORK:
                ct__instant(pf, ts, t->proc->jpid, t->jtid, "fork", NULL);
                ct__arg_i(pf, &first, "child", ev->target);
                ct__end(pf, first);
                break;
        case CT_EV_CHILD_EXIT: {
                struct ct__key k = {pf->trace, (uint64_t)ev->target, 0};
                struct ct__proc *child = ct__map_get(&pf->procs, k);

                ct__instant(pf, ts, t->proc->jpid, t->jtid, "exit", NULL);
                ct__arg_i(pf, &first, "child", ev->target);
                ct__arg_i(pf, &first, "status", ev->status);
                ct__end(pf, first);
                if (child)
                        ct__proc_exit(pf, child, ts);
                break;
        }
        case CT_EV_JOIN_BEGIN:
                ct__open(pf, t, K_JOIN, 0, ts, ev->target, 0);
                break;
        case CT_EV_JOIN_END:
                ct__close(pf, t, K_JOIN, 0, 0, ts, ev, &iv, &sliced);
                break;
        case CT_EV_WORK_BEGIN:
                ct__open(pf, t, ev->kind == CT_WORK_IO_SIM ? K_IOSIM : K_COMPUTE, 0, ts,
                         (int64_t)ev->units, 0);
                break;
        case CT_EV_WORK_END:
                ct__close(pf, t, ev->kind == CT_WORK_IO_SIM ? K_IOSIM : K_COMPUTE, 0, 0, ts, ev,
                          &iv, &sliced);
                break;
        case CT_EV_PIPE_CREATE:
                ct__pipe_get(pf, ev->obj, t); /* its counter lives in the creator */
                break;
        case CT_EV_PIPE_WRITE_BEGIN:
        case CT_EV_PIPE_READ_BEGIN:
                ct__open(pf, t, ev->type == CT_EV_PIPE_READ_BEGIN ? K_READ : K_WRITE, ev->obj, ts,
                         ev->fd, (int64_t)ev->len);
                break;
        case CT_EV_PIPE_WRITE_END:
        case CT_EV_PIPE_READ_END: {
                int is_r = ev->type == CT_EV_PIPE_READ_END;
                const char *pn = ct__objname(pf, CT_OBJ_PIPE, ev->obj, tmp, sizeof(tmp));
                uint64_t tb = ts;

                if (ct__close(pf, t, is_r ? K_READ : K_WRITE, 1, ev->obj, ts, ev, &iv, &sliced))
                        tb = iv.ts;
                ct__pipe_io(pf, t, ev, tb, ts, sliced, pn);
                if (is_r && ev->ret == 0) {
                        ct__instant(pf, ts, t->proc->jpid, t->jtid, "EOF ", pn);
                        ct__arg_i(pf, &first, "fd", ev->fd);
                        ct__end(pf, first);
                } else if (!is_r && ev->ret < 0 && ev->err == CT__EPIPE) {
                        ct__instant(pf, ts, t->proc->jpid, t->jtid, "EPIPE ", pn);
                        ct__arg_i(pf, &first, "fd", ev->fd);
                        ct__arg_u(pf, &first, "len", ev->len);
                        ct__end(pf, first);
                }
                break;
        }
        case CT_EV_PIPE_CLOSE:
                break;
        case CT_EV_SELECT_BEGIN:
                ct__open(pf, t, K_SELECT, 0, ts, ev->nfds, 0);
                break;
        case CT_EV_SELECT_END:
                ct__close(pf, t, K_SELECT, 0, 0, ts, ev, &iv, &sliced);
                if (ev->ret > 0) {
                        char ready[256];
                        size_t off = 0;
                        uint32_t i;

                        ready[0] = 0;
                        for (i = 0; ev->ready && i < ev->ready_len && off + 24 < sizeof(ready); i++)
                                off += (size_t)snprintf(ready + off, sizeof(ready) - off, "%s%lld",
                                                        i ? " " : "", (long long)ev->ready[i]);
                        ct__instant(pf, ts, t->proc->jpid, t->jtid, "wakeup", NULL);
                        ct__arg_i(pf, &first, "ready_count", ev->ret);
                        ct__arg_s(pf, &first, "ready", ready);
                        ct__end(pf, first);
                }
                break;
        case CT_EV_LOCK_REQUEST:
                ct__open(pf, t, K_LOCKWAIT, ev->obj, ts, 0, 0);
                ct__lock_waiter(pf, t, ev->obj, +1, ts);
                ct__mark_holds(pf, ev->obj, ev->vpid);
                break;
        case CT_EV_LOCK_ACQUIRE:
                ct__on_acquire(pf, t, ev, ts);
                break;
        case CT_EV_LOCK_RELEASE:
                ct__on_release(pf, t, ev, ts);
                break;
        case CT_EV_LOCK_SUMMARY:
                break;
        case CT_EV_COND_WAIT_BEGIN:
                ct__open(pf, t, K_CONDWAIT, ev->obj, ts, (int64_t)ev->lock, 0);
                break;
        case CT_EV_COND_WAIT_END:
                if (ct__close(pf, t, K_CONDWAIT, 1, ev->obj, ts, ev, &iv, &sliced) && !ev->timedout)
                        ct__on_woken(pf, t, ev, iv.ts, ts);
                break;
        case CT_EV_COND_SIGNAL:
        case CT_EV_COND_BROADCAST:
                ct__on_signal(pf, t, ev, ts);
                break;
        case CT_EV_POOL_CREATE:
        case CT_EV_POOL_DESTROY:
                break;
        case CT_EV_POOL_SUBMIT: {
                struct ct__key k = {pf->trace, ev->obj, ev->task};
                struct ct__submit *s = ct__map_get(&pf->submits, k);

                ct__marker(pf, ts, t->proc->jpid, t->jtid, "submit", NULL, "task",
                           (int64_t)ev->task);
                if (!s) {
                        s = pf->free_submits;
                        if (s)
                                pf->free_submits = s->next;
                        else
                                s = malloc(sizeof(*s));
                        if (!s || ct__map_put(&pf->submits, k, s) < 0) {
                                free(s);
                                pf->err = pf->err ? pf->err : -ENOMEM;
                                break;
                        }
                }
                s->ts = ts;
                s->pid = t->proc->jpid;
                s->tid = t->jtid;
                break;
        }
        case CT_EV_POOL_TASK_BEGIN: {
                struct ct__key k = {pf->trace, ev->obj, ev->task};
                struct ct__submit *s = ct__map_del(&pf->submits, k);

                ct__open(pf, t, K_TASK, ev->obj, ts, (int64_t)ev->task, ev->worker);
                if (s) {
                        struct ct__ival *top = &t->stack[t->depth - 1];
                        top->fsrc = s->ts;
                        top->fpid = s->pid;
                        top->ftid = s->tid;
                        s->next = pf->free_submits;
                        pf->free_submits = s;
                }
                break;
        }
        case CT_EV_POOL_TASK_END:
                ct__close(pf, t, K_TASK, 1, ev->obj, ts, ev, &iv, &sliced);
                break;
        case CT_EV_QUEUE_PUT:
        case CT_EV_QUEUE_GET:
                ct__counter(pf, ts, t->proc->jpid, t->jtid,
                            ct__objname(pf, CT_OBJ_QUEUE, ev->obj, tmp, sizeof(tmp)), "depth",
                            ev->depth);
                break;
        default:
                break;
        }
}

/* ------------------------------------------------------- lifecycle */

static void ct__map_free_all(struct ct__map *m, int free_values)
{
        size_t i;

        for (i = 0; i < m->cap; i++) {
                if (m->slots[i].v && free_values)
                        free(m->slots[i].v);
        }
        free(m->slots);
        memset(m, 0, sizeof(*m));
}

static void ct__pf_trace_end(void *self, const struct ct_trace_info *info);

static void ct__pf_trace_begin(void *self, uint32_t trace, const char *path)
{
        struct ct__pf *pf = self;

        (void)path;
        if (pf->threads.len || pf->procs.len) /* previous trace not ended */
                ct__pf_trace_end(pf, NULL);
        pf->trace = trace;
        pf->have_origin = 0;
        pf->last_ts = 0;
}

/* End of one trace: close what is open (marked unfinished), drop its state. */
static void ct__pf_trace_end(void *self, const struct ct_trace_info *info)
{
        struct ct__pf *pf = self;
        uint64_t end = pf->last_ts;
        size_t i;

        if (info && info->last_ts > end)
                end = info->last_ts;
        end = pf->have_origin && end >= pf->origin ? end - pf->origin : 0;
        for (i = 0; i < pf->threads.cap; i++) {
                struct ct__thr *t = pf->threads.slots[i].v;
                if (t && t->trace == pf->trace)
                        ct__close_all(pf, t, end);
        }
        for (i = 0; i < pf->procs.cap; i++) {
                struct ct__proc *p = pf->procs.slots[i].v;
                if (p && p->trace == pf->trace)
                        ct__close_runs(pf, p, end);
        }
        /* threads first: they hold references on their processes */
        for (i = 0; i < pf->threads.cap; i++) {
                struct ct__thr *t = pf->threads.slots[i].v;
                if (t) {
                        ct__proc_unref(t->proc);
                        free(t);
                }
        }
        free(pf->threads.slots);
        memset(&pf->threads, 0, sizeof(pf->threads));
        for (i = 0; i < pf->procs.cap; i++)
                ct__proc_unref(pf->procs.slots[i].v);
        free(pf->procs.slots);
        memset(&pf->procs, 0, sizeof(pf->procs));
        ct__map_free_all(&pf->names, 1);
        ct__map_free_all(&pf->locks, 1);
        ct__map_free_all(&pf->conds, 1);
        ct__map_free_all(&pf->pipes, 1);
        ct__map_free_all(&pf->submits, 1);
}

static int ct__pf_finish(void *self)
{
        struct ct__pf *pf = self;

        if (pf->finished)
                return -EINVAL;
        pf->finished = 1;
        if (pf->threads.len || pf->procs.len) /* a trace without on_trace_end */
                ct__pf_trace_end(pf, NULL);
        ct__s(pf, "\n]}\n");
        ct__flush(pf);
        if (pf->err == 0 && fsync(pf->fd) < 0)
                pf->err = -errno;
        if (close(pf->fd) < 0 && pf->err == 0)
                pf->err = -errno;
        pf->fd = -1;
        if (pf->err == 0 && rename(pf->tmp, pf->path) < 0)
                pf->err = -errno;
        if (pf->err == 0) {
                free(pf->tmp);
                pf->tmp = NULL;
        }
        return pf->err;
}

static void ct__pf_destroy(void *self)
{
        struct ct__pf *pf = self;
        struct ct__submit *s;

        if (!pf)
                return;
        if (pf->threads.len || pf->procs.len)
                ct__pf_trace_end(pf, NULL);
        if (pf->fd >= 0)
                close(pf->fd);
        if (pf->tmp)
                unlink(pf->tmp);
        while ((s = pf->free_submits)) {
                pf->free_submits = s->next;
                free(s);
        }
        ct__map_free_all(&pf->used, 0);
        ct__map_free_all(&pf->threads, 0);
        ct__map_free_all(&pf->procs, 0);
        free(pf->tmp);
        free(pf->path);
        free(pf);
}

void ct_perfetto_opts_init(struct ct_perfetto_opts *opts)
{
        memset(opts, 0, sizeof(*opts));
        opts->hold = CT_PERFETTO_HOLD_AUTO;
        opts->hold_min_ns = 10000;
        opts->counters = 1;
}

int ct_perfetto_create(const struct ct_perfetto_opts *opts, const char *out_path,
                       struct ct_consumer *out)
{
        struct ct__pf *pf;
        size_t n;
        int ret;

        if (!out_path || !*out_path || !out)
                return -EINVAL;
        pf = calloc(1, sizeof(*pf));
        if (!pf)
                return -ENOMEM;
        pf->fd = -1;
        if (opts)
                pf->opts = *opts;
        else
                ct_perfetto_opts_init(&pf->opts);
        n = strlen(out_path);
        pf->path = strdup(out_path);
        pf->tmp = malloc(n + sizeof(".tmp-XXXXXX"));
        if (!pf->path || !pf->tmp) {
                ret = -ENOMEM;
                goto error;
        }
        memcpy(pf->tmp, out_path, n);
        memcpy(pf->tmp + n, ".tmp-XXXXXX", sizeof(".tmp-XXXXXX"));
        pf->fd = mkstemp(pf->tmp);
        if (pf->fd < 0) {
                ret = -errno;
                free(pf->tmp);
                pf->tmp = NULL;
                goto error;
        }
        pf->next_synth = CT__SYNTH_BASE;
        pf->next_flow = 1;
        ct__s(pf, "{\"traceEvents\":[");
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
