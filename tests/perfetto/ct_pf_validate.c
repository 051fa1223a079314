/* SPDX-License-Identifier: MIT */
/*
 * ct_pf_validate FILE.json: check a Chrome JSON trace-event file against the
 * rules of Perfetto's JSON importer (google/perfetto,
 * src/trace_processor/importers/json/, importers/common/slice_tracker.cc,
 * flow_tracker.cc, sorter/trace_sorter.h). Prints every violation as
 * "event N: ..." (N = index in traceEvents) and exits 1 if there is any,
 * 2 if the file cannot be read; prints a one-line summary and exits 0 if
 * the file is clean.
 *
 * The importer is simulated: events are sorted like Perfetto's sorter does
 * for JSON (by ts; at equal ts "E" first, then "X" longest first, then the
 * rest in file order), then per thread track a slice stack is kept the way
 * SliceTracker keeps it (complete slices are popped only when a later slice
 * event on that track arrives at or after their end), and flow events bind
 * to the topmost slice without closing anything, as FlowTracker does.
 */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#define MAX_REPORTED 100
#define PENDING      INT64_MIN

struct ev {
        size_t idx;
        json_t *o; /* weak */
        char ph;
        int64_t ts, dur; /* ns; dur -1 if none */
        uint32_t pid, tid;
        int has_tid;
};

struct slice {
        int64_t start, end; /* end PENDING for an open B */
        size_t idx;
};

struct track {
        uint32_t tid;
        uint32_t pid;
        struct slice *st; /* owned */
        size_t n, cap;
};

struct flow {
        char *key; /* owned: cat \x1f name \x1f id */
        int64_t src_start;
        size_t src_idx;
        int ended;
};

static unsigned long violations;

static void bad(size_t idx, const char *fmt, ...)
{
        va_list ap;

        violations++;
        if (violations > MAX_REPORTED)
                return;
        printf("event %zu: ", idx);
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
        putchar('\n');
}

static struct track *tracks;
static size_t ntracks, captracks;
static struct flow *flows;
static size_t nflows, capflows;

static void *xrealloc(void *p, size_t n)
{
        p = realloc(p, n);
        if (!p) {
                fprintf(stderr, "Failed to allocate: bytes=%zu\n", n);
                exit(2);
        }
        return p;
}

static struct track *track_get(uint32_t tid, uint32_t pid, size_t idx)
{
        size_t i;

        for (i = 0; i < ntracks; i++) {
                if (tracks[i].tid == tid) {
                        if (tracks[i].pid != pid)
                                bad(idx,
                                    "tid %" PRIu32 " used in pid %" PRIu32 " and pid %" PRIu32
                                    " (Perfetto identifies threads by tid: tracks would merge "
                                    "or split)",
                                    tid, tracks[i].pid, pid);
                        return &tracks[i];
                }
        }
        if (ntracks == captracks) {
                captracks = captracks ? captracks * 2 : 64;
                tracks = xrealloc(tracks, captracks * sizeof(*tracks));
        }
        memset(&tracks[ntracks], 0, sizeof(tracks[0]));
        tracks[ntracks].tid = tid;
        tracks[ntracks].pid = pid;
        return &tracks[ntracks++];
}

static void push(struct track *t, int64_t start, int64_t end, size_t idx)
{
        if (t->n == t->cap) {
                t->cap = t->cap ? t->cap * 2 : 16;
                t->st = xrealloc(t->st, t->cap * sizeof(*t->st));
        }
        t->st[t->n].start = start;
        t->st[t->n].end = end;
        t->st[t->n].idx = idx;
        t->n++;
}

/* SliceTracker::MaybeCloseStack for complete slices. */
static void close_ended(struct track *t, int64_t ts)
{
        while (t->n > 0 && t->st[t->n - 1].end != PENDING && t->st[t->n - 1].end <= ts)
                t->n--;
}

static json_t *flow_index; /* owned: key -> index in flows */

static struct flow *flow_find(const char *key)
{
        json_t *v = json_object_get(flow_index, key);

        return v ? &flows[json_integer_value(v)] : NULL;
}

static void flow_key(const struct ev *e, char *buf, size_t n, int v2)
{
        json_t *id = json_object_get(e->o, v2 ? "bind_id" : "id");
        const char *cat = json_string_value(json_object_get(e->o, "cat"));
        const char *name = json_string_value(json_object_get(e->o, "name"));
        char ids[64];

        if (json_is_integer(id))
                snprintf(ids, sizeof(ids), "%" JSON_INTEGER_FORMAT, json_integer_value(id));
        else if (json_is_string(id))
                snprintf(ids, sizeof(ids), "%s", json_string_value(id));
        else
                ids[0] = 0;
        if (v2)
                snprintf(buf, n, "v2\x1f%s", ids);
        else
                snprintf(buf, n, "%s\x1f%s\x1f%s", cat ? cat : "", name ? name : "", ids);
}

static void flow_begin(const struct ev *e, const char *key, int64_t src_start)
{
        if (flow_find(key)) {
                bad(e->idx, "flow id reused (flow_duplicate_id): ids must be unique per flow");
                return;
        }
        if (nflows == capflows) {
                capflows = capflows ? capflows * 2 : 256;
                flows = xrealloc(flows, capflows * sizeof(*flows));
        }
        flows[nflows].key = strdup(key);
        json_object_set_new(flow_index, key, json_integer((json_int_t)nflows));
        flows[nflows].src_start = src_start;
        flows[nflows].src_idx = e->idx;
        flows[nflows].ended = 0;
        nflows++;
}

static void flow_end(size_t idx, const char *key, int64_t dst_start)
{
        struct flow *f = flow_find(key);

        if (!f) {
                bad(idx, "flow end without a start before it (flow_end_without_start)");
                return;
        }
        if (f->ended)
                bad(idx, "flow ended twice");
        f->ended = 1;
        if (dst_start < f->src_start)
                bad(idx,
                    "flow arrow reversed: destination slice starts before the source slice "
                    "(source event %zu); Perfetto orients flows by slice start",
                    f->src_idx);
}

/* The slice a flow event at ts binds to: topmost, without closing. */
static const struct slice *bind(struct track *t, const struct ev *e)
{
        const struct slice *s;

        if (t->n == 0) {
                bad(e->idx,
                    "flow '%c' has no enclosing slice on tid %" PRIu32 " (flow_no_enclosing_slice)",
                    e->ph, e->tid);
                return NULL;
        }
        s = &t->st[t->n - 1];
        if (s->start > e->ts || (s->end != PENDING && s->end < e->ts)) {
                bad(e->idx,
                    "flow '%c' at ts %" PRId64 " ns binds to slice event %zu [%" PRId64 ", %" PRId64
                    "] that does not enclose it",
                    e->ph, e->ts, s->idx, s->start, s->end);
                return NULL;
        }
        return s;
}

/* Flow v2 fields on a slice event. */
static void v2_flow(const struct ev *e, int64_t start)
{
        char key[256];
        int in = json_is_true(json_object_get(e->o, "flow_in"));
        int out = json_is_true(json_object_get(e->o, "flow_out"));

        if (!json_object_get(e->o, "bind_id"))
                return;
        flow_key(e, key, sizeof(key), 1);
        if (in && out) {
                flow_end(e->idx, key, start);
        } else if (out) {
                flow_begin(e, key, start);
        } else if (in) {
                flow_end(e->idx, key, start);
        } else {
                bad(e->idx, "bind_id without flow_in/flow_out (flow_without_direction)");
        }
}

static int ts_ns(json_t *v, int64_t *out)
{
        double d;

        if (json_is_integer(v)) {
                *out = (int64_t)json_integer_value(v) * 1000;
                return 0;
        }
        if (!json_is_real(v))
                return -1;
        d = json_real_value(v) * 1000.0;
        if (!isfinite(d) || fabs(d) > 9e18)
                return -1;
        *out = llround(d);
        return 0;
}

static int get_u32(json_t *o, const char *key, uint32_t *out, size_t idx, int required)
{
        json_t *v = json_object_get(o, key);
        json_int_t x;

        if (!v) {
                if (required)
                        bad(idx, "missing \"%s\"", key);
                return -1;
        }
        if (!json_is_integer(v)) {
                bad(idx, "\"%s\" is not an integer", key);
                return -1;
        }
        x = json_integer_value(v);
        if (x < 0 || x > (json_int_t)UINT32_MAX) {
                bad(idx, "\"%s\" %" JSON_INTEGER_FORMAT " is outside uint32", key, x);
                return -1;
        }
        *out = (uint32_t)x;
        return 0;
}

static void check_meta(const struct ev *e)
{
        const char *name = json_string_value(json_object_get(e->o, "name"));
        json_t *args = json_object_get(e->o, "args");

        if (!name) {
                bad(e->idx, "metadata without a name");
                return;
        }
        if (!json_is_object(args)) {
                bad(e->idx, "metadata %s without an args object", name);
                return;
        }
        if (!strcmp(name, "process_name") || !strcmp(name, "thread_name")) {
                if (!json_is_string(json_object_get(args, "name")) ||
                    !*json_string_value(json_object_get(args, "name")))
                        bad(e->idx, "%s needs a non-empty string args.name", name);
        } else if (!strcmp(name, "process_sort_index") || !strcmp(name, "thread_sort_index")) {
                if (!json_is_integer(json_object_get(args, "sort_index")))
                        bad(e->idx, "%s needs an integer args.sort_index", name);
        } else {
                bad(e->idx, "metadata \"%s\" is not one Perfetto reads", name);
                return;
        }
        if (!strncmp(name, "thread_", 7) && !e->has_tid)
                bad(e->idx, "%s without tid", name);
}

static int cmp_ev(const void *pa, const void *pb)
{
        const struct ev *a = pa, *b = pb;
        int64_t ka, kb;

        if (a->ts != b->ts)
                return a->ts < b->ts ? -1 : 1;
        ka = a->ph == 'E' ? INT64_MIN : a->ph == 'X' ? INT64_MAX - a->dur : INT64_MAX;
        kb = b->ph == 'E' ? INT64_MIN : b->ph == 'X' ? INT64_MAX - b->dur : INT64_MAX;
        if (ka != kb)
                return ka < kb ? -1 : 1;
        return a->idx < b->idx ? -1 : a->idx > b->idx;
}

int main(int argc, char **argv)
{
        json_error_t jerr;
        json_t *root, *arr, *du;
        struct ev *evs;
        size_t n, i, nev = 0, counts[128] = {0};

        if (argc != 2) {
                fprintf(stderr, "usage: %s FILE.json\n", argv[0]);
                return 2;
        }
        root = json_load_file(argv[1], JSON_DECODE_ANY, &jerr);
        if (!root) {
                fprintf(stderr, "Failed to parse JSON: file=%s line=%d: %s\n", argv[1], jerr.line,
                        jerr.text);
                return 2;
        }
        if (json_is_array(root)) {
                arr = root;
        } else if (json_is_object(root)) {
                arr = json_object_get(root, "traceEvents");
                if (!json_is_array(arr)) {
                        fprintf(stderr, "Failed to read trace: file=%s: no traceEvents array\n",
                                argv[1]);
                        json_decref(root);
                        return 2;
                }
                du = json_object_get(root, "displayTimeUnit");
                if (du && (!json_is_string(du) || (strcmp(json_string_value(du), "ms") != 0 &&
                                                   strcmp(json_string_value(du), "ns") != 0)))
                        bad(0, "displayTimeUnit must be \"ms\" or \"ns\"");
        } else {
                fprintf(stderr, "Failed to read trace: file=%s: not an object or array\n", argv[1]);
                json_decref(root);
                return 2;
        }
        flow_index = json_object();
        n = json_array_size(arr);
        evs = xrealloc(NULL, (n ? n : 1) * sizeof(*evs));

        /* pass 1: per-event form */
        for (i = 0; i < n; i++) {
                json_t *o = json_array_get(arr, i);
                const char *ph;
                struct ev e;
                json_t *v;

                memset(&e, 0, sizeof(e));
                e.idx = i;
                e.o = o;
                e.dur = -1;
                if (!json_is_object(o)) {
                        bad(i, "not an object");
                        continue;
                }
                ph = json_string_value(json_object_get(o, "ph"));
                if (!ph || strlen(ph) != 1 || !strchr("BEXiICstfMbenR", ph[0])) {
                        bad(i, "phase \"%s\" is not one Perfetto's JSON importer accepts",
                            ph ? ph : "(none)");
                        continue;
                }
                e.ph = ph[0];
                if (json_object_get(o, "pid"))
                        get_u32(o, "pid", &e.pid, i, 1);
                else if (!(e.ph == 'i' || e.ph == 'I') ||
                         !json_is_string(json_object_get(o, "s")) ||
                         strcmp(json_string_value(json_object_get(o, "s")), "g") != 0)
                        bad(i, "missing \"pid\"");
                e.has_tid = get_u32(o, "tid", &e.tid, i, 0) == 0;
                v = json_object_get(o, "ts");
                if (e.ph == 'M') {
                        check_meta(&e);
                        counts['M']++;
                        continue; /* metadata is not timed */
                }
                if (!v || ts_ns(v, &e.ts) < 0) {
                        bad(i, "missing or non-numeric \"ts\"");
                        continue;
                }
                if (e.ts < 0)
                        bad(i, "negative ts");
                if (e.ph == 'X') {
                        v = json_object_get(o, "dur");
                        if (!v || ts_ns(v, &e.dur) < 0 || e.dur < 0) {
                                bad(i, "X without a non-negative numeric \"dur\"");
                                continue;
                        }
                }
                if (e.ph == 'C') {
                        json_t *args = json_object_get(o, "args");
                        const char *k;
                        json_t *val;

                        if (!json_is_object(args) || json_object_size(args) == 0)
                                bad(i, "counter without args");
                        json_object_foreach(args, k, val)
                        {
                                if (!json_is_number(val))
                                        bad(i, "counter arg \"%s\" is not numeric", k);
                        }
                }
                if (e.ph == 'i' || e.ph == 'I' || e.ph == 'R') {
                        const char *s = json_string_value(json_object_get(o, "s"));
                        if (json_object_get(o, "s") && (!s || !strchr("gpt", s[0]) || s[1]))
                                bad(i, "instant scope must be \"g\", \"p\" or \"t\"");
                        if ((!s || s[0] == 't') && !e.has_tid)
                                bad(i, "thread-scoped instant without tid");
                }
                if (strchr("BEXstf", e.ph) && !e.has_tid)
                        bad(i, "'%c' without tid", e.ph);
                if ((e.ph == 's' || e.ph == 't' || e.ph == 'f') && !json_object_get(o, "id"))
                        bad(i, "flow event without id (flow_invalid_id)");
                if (e.ph == 'f' && json_object_get(o, "bp") &&
                    (!json_is_string(json_object_get(o, "bp")) ||
                     strcmp(json_string_value(json_object_get(o, "bp")), "e") != 0))
                        bad(i, "bp must be \"e\"");
                if (strchr("BX", e.ph) && !json_is_string(json_object_get(o, "name")))
                        bad(i, "slice without a string name");
                counts[(unsigned char)e.ph]++;
                evs[nev++] = e;
        }

        /* pass 2: import simulation in Perfetto's order */
        qsort(evs, nev, sizeof(*evs), cmp_ev);
        for (i = 0; i < nev; i++) {
                struct ev *e = &evs[i];
                struct track *t;
                char key[256];
                size_t j;

                if (e->ph == 'C' || e->ph == 'b' || e->ph == 'e' || e->ph == 'n' ||
                    ((e->ph == 'i' || e->ph == 'I' || e->ph == 'R') && json_object_get(e->o, "s") &&
                     json_string_value(json_object_get(e->o, "s"))[0] != 't'))
                        continue;
                if (!e->has_tid)
                        continue;
                t = track_get(e->tid, e->pid, e->idx);
                switch (e->ph) {
                case 'X':
                case 'i':
                case 'I':
                case 'R': {
                        int64_t end = e->ts + (e->dur > 0 ? e->dur : 0);
                        close_ended(t, e->ts);
                        for (j = t->n; j-- > 0;) {
                                const struct slice *p = &t->st[j];
                                if (p->end != PENDING && p->end < end) {
                                        bad(e->idx,
                                            "slice [%" PRId64 ", %" PRId64
                                            "] ns partially overlaps "
                                            "slice event %zu [%" PRId64 ", %" PRId64
                                            "] on tid %" PRIu32,
                                            e->ts, end, p->idx, p->start, p->end, e->tid);
                                        break;
                                }
                        }
                        push(t, e->ts, end, e->idx);
                        if (e->ph == 'X')
                                v2_flow(e, e->ts);
                        break;
                }
                case 'B':
                        close_ended(t, e->ts);
                        push(t, e->ts, PENDING, e->idx);
                        v2_flow(e, e->ts);
                        break;
                case 'E': {
                        close_ended(t, e->ts);
                        if (t->n == 0 || t->st[t->n - 1].end != PENDING) {
                                bad(e->idx,
                                    t->n == 0 ? "E without a matching B on tid %" PRIu32
                                              : "E inside a complete slice that began after its B "
                                                "(partial overlap) on tid %" PRIu32,
                                    e->tid);
                                break;
                        }
                        for (j = t->n - 1; j-- > 0;) {
                                const struct slice *p = &t->st[j];
                                if (p->end != PENDING && p->end < e->ts) {
                                        bad(e->idx,
                                            "B/E slice ending at %" PRId64 " ns outlives enclosing "
                                            "slice event %zu",
                                            e->ts, p->idx);
                                        break;
                                }
                        }
                        t->n--;
                        break;
                }
                case 's':
                case 't': {
                        const struct slice *s = bind(t, e);
                        flow_key(e, key, sizeof(key), 0);
                        if (!s)
                                break;
                        if (e->ph == 's')
                                flow_begin(e, key, s->start);
                        else if (!flow_find(key))
                                bad(e->idx, "flow step without start");
                        break;
                }
                case 'f': {
                        const char *bp = json_string_value(json_object_get(e->o, "bp"));
                        const struct slice *s;

                        flow_key(e, key, sizeof(key), 0);
                        if (!bp) {
                                bad(e->idx,
                                    "flow end without \"bp\":\"e\" binds to the next slice, "
                                    "not the one at its timestamp");
                                break;
                        }
                        s = bind(t, e);
                        if (s)
                                flow_end(e->idx, key, s->start);
                        break;
                }
                default:
                        break;
                }
        }
        for (i = 0; i < ntracks; i++) {
                size_t j;
                for (j = 0; j < tracks[i].n; j++) {
                        if (tracks[i].st[j].end == PENDING)
                                bad(tracks[i].st[j].idx, "B never closed by an E on tid %" PRIu32,
                                    tracks[i].tid);
                }
        }
        for (i = 0; i < nflows; i++) {
                if (!flows[i].ended)
                        bad(flows[i].src_idx, "flow started but never ended (dangling)");
        }
        if (violations) {
                if (violations > MAX_REPORTED)
                        printf("... %lu more\n", violations - MAX_REPORTED);
                printf("%s: %lu violation(s)\n", argv[1], violations);
        } else {
                printf("%s: ok: %zu events: %zu X, %zu B, %zu E, %zu i, %zu C, %zu s, %zu f, "
                       "%zu M, %zu threads, %zu flows\n",
                       argv[1], n, counts['X'], counts['B'], counts['E'], counts['i'],
                       counts['C'], counts['s'], counts['f'], counts['M'], ntracks, nflows);
        }
        for (i = 0; i < ntracks; i++) {
                free(tracks[i].st);
        }
        for (i = 0; i < nflows; i++)
                free(flows[i].key);
        free(tracks);
        free(flows);
        free(evs);
        json_decref(flow_index);
        json_decref(root);
        return violations ? 1 : 0;
}
