/* SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L
#include "ct_pf_pb.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ct_pf.h"

/* Field numbers (wire type in the tag) of the messages we write. */
enum {
        TRACE_PACKET = 1,             /* Trace.packet */
        PKT_TIMESTAMP = 8,            /* TracePacket */
        PKT_SEQ_ID = 10,              /* trusted_packet_sequence_id */
        PKT_TRACK_EVENT = 11,         /* TrackEvent */
        PKT_INTERNED = 12,            /* InternedData */
        PKT_SEQ_FLAGS = 13,           /* sequence_flags */
        PKT_TRACK_DESC = 60,          /* TrackDescriptor */
        TE_CATEGORY_IIDS = 3,         /* TrackEvent */
        TE_ANNOTATIONS = 4,           /* debug_annotations */
        TE_LEGACY = 6,                /* legacy_event */
        TE_TYPE = 9,                  /* type */
        TE_NAME_IID = 10,             /* name_iid */
        TE_TRACK_UUID = 11,           /* track_uuid */
        TE_COUNTER_VALUE = 30,        /* counter_value */
        TE_FLOW_IDS = 47,             /* flow_ids (fixed64) */
        TE_TERMINATING_FLOW_IDS = 48, /* terminating_flow_ids (fixed64) */
        LE_PHASE = 2,                 /* LegacyEvent */
        LE_UNSCOPED_ID = 6,           /* unscoped_id */
        LE_BIND_TO_ENCLOSING = 12,    /* bind_to_enclosing */
        DA_NAME_IID = 1,              /* DebugAnnotation */
        DA_UINT = 3,                  /* uint_value */
        DA_INT = 4,                   /* int_value */
        DA_STRING = 6,                /* string_value */
        IN_CATEGORIES = 1,            /* InternedData.event_categories */
        IN_NAMES = 2,                 /* event_names */
        IN_ANNOTATION_NAMES = 3,      /* debug_annotation_names */
        IE_IID = 1,                   /* EventCategory/EventName/DebugAnnotationName */
        IE_NAME = 2,                  /* name */
        TD_UUID = 1,                  /* TrackDescriptor */
        TD_NAME = 2,                  /* name */
        TD_PROCESS = 3,               /* process */
        TD_THREAD = 4,                /* thread */
        TD_PARENT = 5,                /* parent_uuid */
        TD_COUNTER = 8,               /* counter */
        TD_SIBLING_RANK = 12,         /* sibling_order_rank */
        PD_PID = 1,                   /* ProcessDescriptor */
        PD_NAME = 6,                  /* process_name */
        THD_PID = 1,                  /* ThreadDescriptor */
        THD_TID = 2,                  /* tid */
        THD_NAME = 5,                 /* thread_name */
        SEQ_INCREMENTAL_STATE_CLEARED = 1,
        SEQ_NEEDS_INCREMENTAL_STATE = 2,
        TYPE_SLICE_BEGIN = 1,
        TYPE_SLICE_END = 2,
        TYPE_INSTANT = 3,
        TYPE_COUNTER = 4,
};

enum { WT_VARINT = 0, WT_I64 = 1, WT_LEN = 2 };
enum { IT_CAT = 0, IT_NAME = 1, IT_ANN = 2 }; /* interned string kinds */

#define SEQ_ID   1u
#define CATEGORY "conctrace"

/* ------------------------------------------------------------ encoding */

static inline uint8_t *ct__pb_varint(uint8_t *p, uint64_t v)
{
        while (v >= 0x80) {
                *p++ = (uint8_t)(v | 0x80);
                v >>= 7;
        }
        *p++ = (uint8_t)v;
        return p;
}

static inline size_t ct__pb_varint_len(uint64_t v)
{
        size_t n = 1;

        while (v >= 0x80) {
                v >>= 7;
                n++;
        }
        return n;
}

static inline uint8_t *ct__pb_tag(uint8_t *p, unsigned field, unsigned wt)
{
        return ct__pb_varint(p, ((uint64_t)field << 3) | wt);
}

static inline uint8_t *ct__pb_uint(uint8_t *p, unsigned field, uint64_t v)
{
        return ct__pb_varint(ct__pb_tag(p, field, WT_VARINT), v);
}

static inline uint8_t *ct__pb_bytes(uint8_t *p, unsigned field, const void *s, size_t n)
{
        p = ct__pb_varint(ct__pb_tag(p, field, WT_LEN), n);
        if (n)
                memcpy(p, s, n);
        return p + n;
}

/* The longest a tag + length prefix can take. */
#define PB_HEAD 16

size_t ct__pf_pb_utf8(char *dst, size_t cap, size_t at, const char *s)
{
        const unsigned char *u = (const unsigned char *)s;

        if (!s || cap == 0)
                goto end;
        while (*u) {
                size_t k;

                if (*u < 0x80) { /* ASCII: the common case, byte by byte */
                        if (at + 1 >= cap)
                                break;
                        dst[at++] = (char)*u++;
                        continue;
                }
                k = ct__pf_utf8_len(u, strnlen((const char *)u, 4));
                if (k == 0) { /* an invalid byte: U+FFFD */
                        if (at + 3 >= cap)
                                break;
                        memcpy(dst + at, "\xef\xbf\xbd", 3);
                        at += 3;
                        u++;
                        continue;
                }
                if (at + k >= cap)
                        break;
                memcpy(dst + at, u, k);
                at += k;
                u += k;
        }
end:
        if (cap)
                dst[at < cap ? at : cap - 1] = 0;
        return at;
}

/* ----------------------------------------------------------- interning */

static uint64_t ct__pb_hash(int type, const char *s, size_t n)
{
        uint64_t h = 0xcbf29ce484222325u ^ (uint64_t)type;
        size_t i;

        for (i = 0; i < n; i++) {
                h ^= (unsigned char)s[i];
                h *= 0x100000001b3u;
        }
        return h | 1u; /* never 0: 0 marks a free slot */
}

int ct__pf_pb_init(struct ct__pf_pb *pb, uint32_t intern_max)
{
        pb->slots = calloc(CT__PF_PB_SLOTS, sizeof(*pb->slots));
        pb->arena = malloc(CT__PF_PB_ARENA);
        if (!pb->slots || !pb->arena)
                return -ENOMEM;
        pb->max = intern_max && intern_max < CT__PF_PB_MAX_DEF ? intern_max : CT__PF_PB_MAX_DEF;
        pb->next_uuid = CT__PF_PB_GLOBAL_ID + 1;
        pb->tracks.unordered = 1;
        pb->cleared = 1;
        pb->next_iid[0] = pb->next_iid[1] = pb->next_iid[2] = 1;
        pb->own.unordered = 1;
        pb->next_fid = 1ull << 62; /* apart from the exporter's flow ids */
        return 0;
}

void ct__pf_pb_free(struct ct__pf_pb *pb)
{
        free(pb->slots);
        free(pb->arena);
        pb->slots = NULL;
        pb->arena = NULL;
        ct__pf_map_clear(&pb->tracks, 0);
        ct__pf_map_clear(&pb->own, 0);
}

static void ct__pb_intern_reset(struct ct__pf_pb *pb)
{
        memset(pb->slots, 0, CT__PF_PB_SLOTS * sizeof(*pb->slots));
        pb->nused = 0;
        pb->alen = 0;
        pb->next_iid[0] = pb->next_iid[1] = pb->next_iid[2] = 1;
        pb->cat_iid = 0;
        pb->cleared = 1;
        pb->resets++;
}

/* Before a packet: room for every string it may intern, so that no reset
 * happens between two iids of one packet. */
static void ct__pb_intern_room(struct ct__pf_pb *pb)
{
        if (pb->nused + 24 > pb->max || pb->alen + CT__PF_PB_NAME + 4096 > CT__PF_PB_ARENA)
                ct__pb_intern_reset(pb);
}

/* The iid of s (n bytes, valid UTF-8) of kind type; a new one is added to
 * the InternedData of the packet being built. */
static uint64_t ct__pb_intern(struct ct__pf_pb *pb, int type, const char *s, size_t n)
{
        static const unsigned field[] = {IN_CATEGORIES, IN_NAMES, IN_ANNOTATION_NAMES};
        uint64_t h = ct__pb_hash(type, s, n);
        uint32_t i = (uint32_t)h & (CT__PF_PB_SLOTS - 1);
        struct ct__pf_pb_istr *e;
        uint8_t *p, *q;
        size_t body;

        for (;; i = (i + 1) & (CT__PF_PB_SLOTS - 1)) {
                e = &pb->slots[i];
                if (!e->hash)
                        break;
                if (e->hash == h && e->type == type && e->len == n &&
                    memcmp(pb->arena + e->off, s, n) == 0)
                        return e->iid;
        }
        if (pb->inlen + n + 3 * PB_HEAD > CT__PF_PB_IN || pb->alen + n > CT__PF_PB_ARENA)
                n = 0; /* cannot happen with the room reserved; keep the packet valid */
        e->hash = h;
        e->type = (uint8_t)type;
        e->len = (uint32_t)n;
        e->off = (uint32_t)pb->alen;
        e->iid = (uint32_t)pb->next_iid[type]++;
        memcpy(pb->arena + pb->alen, s, n);
        pb->alen += n;
        pb->nused++;
        /* field { iid, name } */
        body = 1 + ct__pb_varint_len(e->iid) + 1 + ct__pb_varint_len(n) + n;
        p = pb->in + pb->inlen;
        p = ct__pb_varint(ct__pb_tag(p, field[type], WT_LEN), body);
        q = ct__pb_uint(p, IE_IID, e->iid);
        q = ct__pb_bytes(q, IE_NAME, s, n);
        pb->inlen = (size_t)(q - pb->in);
        return e->iid;
}

/* ------------------------------------------------------------- packets */

/* Write one TracePacket: timestamp (if ts_set), sequence id and flags,
 * interned data (pb->in), then field 'field' with body (n bytes). */
static void ct__pb_flush_held(struct ct__pf *pf);

static void ct__pb_write(struct ct__pf *pf, int ts_set, uint64_t ts, unsigned flags,
                         const uint8_t *in, size_t inlen, unsigned field, const uint8_t *body,
                         size_t n)
{
        size_t len = 0;
        uint8_t *p;

        if (ts_set)
                len += 1 + ct__pb_varint_len(ts);
        len += 2; /* sequence id */
        if (flags)
                len += 2;
        if (inlen)
                len += 1 + ct__pb_varint_len(inlen) + inlen;
        len += ct__pb_varint_len(((uint64_t)field << 3) | WT_LEN) + ct__pb_varint_len(n) + n;
        p = (uint8_t *)ct__pf_json_room(&pf->json, len + PB_HEAD);
        p = ct__pb_varint(ct__pb_tag(p, TRACE_PACKET, WT_LEN), len);
        if (ts_set)
                p = ct__pb_uint(p, PKT_TIMESTAMP, ts);
        p = ct__pb_uint(p, PKT_SEQ_ID, SEQ_ID);
        if (flags)
                p = ct__pb_uint(p, PKT_SEQ_FLAGS, flags);
        if (inlen)
                p = ct__pb_bytes(p, PKT_INTERNED, in, inlen);
        p = ct__pb_bytes(p, field, body, n);
        ct__pf_json_done(&pf->json, (char *)p);
}

static void ct__pb_packet(struct ct__pf *pf, int ts_set, uint64_t ts, int needs, unsigned field,
                          const uint8_t *body, size_t n)
{
        struct ct__pf_pb *pb = pf->pb;
        unsigned flags = (needs ? SEQ_NEEDS_INCREMENTAL_STATE : 0) |
                         (pb->cleared ? SEQ_INCREMENTAL_STATE_CLEARED : 0);

        ct__pb_flush_held(pf);
        ct__pb_write(pf, ts_set, ts, flags, pb->in, pb->inlen, field, body, n);
        pb->inlen = 0;
        pb->cleared = 0;
}

/* The held marker (an own track's), written now. */
static void ct__pb_flush_held(struct ct__pf *pf)
{
        struct ct__pf_pb *pb = pf->pb;

        if (!pb->held)
                return;
        pb->held = 0;
        ct__pb_write(pf, 1, pb->hts, pb->hflags, pb->hin, pb->hinlen, PKT_TRACK_EVENT, pb->hev,
                     pb->hevlen);
}

void ct__pf_pb_flush(struct ct__pf *pf)
{
        if (pf->pb)
                ct__pb_flush_held(pf);
}

/* ------------------------------------------------------------- tracks */

static uint64_t ct__pb_uuid_of(struct ct__pf_pb *pb, struct ct__pf_key k, int *created)
{
        void *v = ct__pf_map_get(&pb->tracks, k);

        *created = 0;
        if (v)
                return (uint64_t)(uintptr_t)v;
        *created = 1;
        if (ct__pf_map_put(&pb->tracks, k, (void *)(uintptr_t)pb->next_uuid) < 0)
                return 0;
        return pb->next_uuid++;
}

static uint64_t ct__pb_proc_uuid(struct ct__pf *pf, uint32_t pid, int *created)
{
        struct ct__pf_key k = {pid, 0, 2};
        uint64_t u = ct__pb_uuid_of(pf->pb, k, created);

        if (!u)
                ct__pf_fail(pf, -ENOMEM);
        return u;
}

/* A TrackDescriptor: uuid, parent (0: none), name (NULL: none), rank, and
 * a process/thread/counter sub-message (sub, subn bytes) as field subf. */
static void ct__pb_track_desc(struct ct__pf *pf, uint64_t uuid, uint64_t parent, const char *name,
                              int rank_set, int64_t rank, unsigned subf, const uint8_t *sub,
                              size_t subn)
{
        uint8_t body[CT__PF_PB_NAME + 256 + 64], *p = body;
        char nm[CT__PF_PB_NAME];
        size_t n;

        p = ct__pb_uint(p, TD_UUID, uuid);
        if (parent)
                p = ct__pb_uint(p, TD_PARENT, parent);
        if (name) {
                n = ct__pf_pb_utf8(nm, sizeof(nm), 0, name);
                p = ct__pb_bytes(p, TD_NAME, nm, n);
        }
        if (rank_set)
                p = ct__pb_uint(p, TD_SIBLING_RANK, (uint64_t)(int64_t)(int32_t)rank);
        if (subf)
                p = ct__pb_bytes(p, subf, sub, subn);
        ct__pb_packet(pf, 0, 0, 0, PKT_TRACK_DESC, body, (size_t)(p - body));
}

void ct__pf_pb_process(struct ct__pf *pf, uint32_t pid, const char *name)
{
        uint8_t sub[CT__PF_PB_NAME + 32], *p = sub;
        char nm[CT__PF_PB_NAME];
        int created;
        uint64_t u = ct__pb_proc_uuid(pf, pid, &created);
        size_t n = ct__pf_pb_utf8(nm, sizeof(nm), 0, name);

        if (!u)
                return;
        p = ct__pb_uint(p, PD_PID, pid);
        p = ct__pb_bytes(p, PD_NAME, nm, n);
        ct__pb_track_desc(pf, u, 0, NULL, 0, 0, TD_PROCESS, sub, (size_t)(p - sub));
}

/* The uuid of (pid, tid): a thread or own track (0 if none yet). */
static uint64_t ct__pb_track_uuid(struct ct__pf *pf, uint32_t pid, uint32_t tid, int make,
                                  int *created)
{
        struct ct__pf_pb *pb = pf->pb;
        struct ct__pf_key k = {pid, tid, 1};
        uint64_t u;

        *created = 0;
        if (pb->cache_uuid && pb->cache_pid == pid && pb->cache_tid == tid)
                return pb->cache_uuid;
        if (!make) {
                void *v = ct__pf_map_get(&pb->tracks, k);
                if (v) {
                        u = (uint64_t)(uintptr_t)v;
                        goto end;
                }
        }
        u = ct__pb_uuid_of(pb, k, created);
        if (!u) {
                ct__pf_fail(pf, -ENOMEM);
                return 0;
        }
end:
        pb->cache_pid = pid;
        pb->cache_tid = tid;
        pb->cache_uuid = u;
        return u;
}

void ct__pf_pb_thread(struct ct__pf *pf, uint32_t pid, uint32_t tid, const char *name, int64_t sort)
{
        uint8_t sub[CT__PF_PB_NAME + 32], *p = sub;
        char nm[CT__PF_PB_NAME];
        int created;
        uint64_t u = ct__pb_track_uuid(pf, pid, tid, 1, &created);
        size_t n = ct__pf_pb_utf8(nm, sizeof(nm), 0, name);

        if (!u)
                return;
        p = ct__pb_uint(p, THD_PID, pid);
        p = ct__pb_uint(p, THD_TID, tid);
        p = ct__pb_bytes(p, THD_NAME, nm, n);
        ct__pb_track_desc(pf, u, 0, NULL, 1, sort, TD_THREAD, sub, (size_t)(p - sub));
}

void ct__pf_pb_track(struct ct__pf *pf, uint32_t pid, uint32_t tid, const char *name, int64_t sort)
{
        int created;
        uint64_t parent = ct__pb_proc_uuid(pf, pid, &created);
        uint64_t u = ct__pb_track_uuid(pf, pid, tid, 1, &created);

        if (!u || !parent)
                return;
        if (created) {
                struct ct__pf_key k = {u, 0, 5};
                if (ct__pf_map_put(&pf->pb->own, k, (void *)1) < 0)
                        ct__pf_fail(pf, -ENOMEM);
        }
        ct__pb_track_desc(pf, u, parent, name, 1, sort, 0, NULL, 0);
}

/* The global track of discarded-event markers, described on first use. */
static uint64_t ct__pb_global(struct ct__pf *pf)
{
        struct ct__pf_key k = {0, 0, 4};

        if (!ct__pf_map_get(&pf->pb->tracks, k)) {
                if (ct__pf_map_put(&pf->pb->tracks, k, (void *)(uintptr_t)CT__PF_PB_GLOBAL_ID) <
                    0) {
                        ct__pf_fail(pf, -ENOMEM);
                        return 0;
                }
                ct__pb_track_desc(pf, CT__PF_PB_GLOBAL_ID, 0, "discarded events", 0, 0, 0, NULL, 0);
        }
        return CT__PF_PB_GLOBAL_ID;
}

/* -------------------------------------------------------------- events */

/* The uuid of the track an event goes on; an undescribed one is made a
 * thread track first (every caller describes its tracks first). */
static uint64_t ct__pb_event_track(struct ct__pf *pf, uint32_t pid, uint32_t tid)
{
        int created;
        uint64_t u = ct__pb_track_uuid(pf, pid, tid, 0, &created);

        if (created)
                ct__pf_pb_thread(pf, pid, tid, "thread", 0);
        return u;
}

static void ct__pb_start(struct ct__pf *pf, int type, uint64_t ts, uint64_t dur, uint64_t uuid,
                         const char *prefix, const char *obj, const char *suffix)
{
        struct ct__pf_pb *pb = pf->pb;
        size_t n = 0;
        uint8_t *p;
        uint64_t iid;

        ct__pb_intern_room(pb);
        n = ct__pf_pb_utf8(pb->name, sizeof(pb->name), n, prefix);
        n = ct__pf_pb_utf8(pb->name, sizeof(pb->name), n, obj);
        n = ct__pf_pb_utf8(pb->name, sizeof(pb->name), n, suffix);
        if (!pb->cat_iid)
                pb->cat_iid = (uint32_t)ct__pb_intern(pb, IT_CAT, CATEGORY, sizeof(CATEGORY) - 1);
        iid = ct__pb_intern(pb, IT_NAME, pb->name, n);
        pb->open = 1;
        pb->type = type;
        pb->ts = ts;
        pb->dur = dur;
        pb->uuid = uuid;
        p = pb->ev;
        p = ct__pb_uint(p, TE_TYPE, (uint64_t)type);
        p = ct__pb_uint(p, TE_TRACK_UUID, uuid);
        p = ct__pb_uint(p, TE_NAME_IID, iid);
        p = ct__pb_uint(p, TE_CATEGORY_IIDS, pb->cat_iid);
        pb->evlen = (size_t)(p - pb->ev);
}

void ct__pf_pb_slice(struct ct__pf *pf, uint64_t ts, uint64_t dur, uint32_t pid, uint32_t tid,
                     const char *prefix, const char *obj, const char *suffix)
{
        uint64_t u = ct__pb_event_track(pf, pid, tid);

        ct__pb_start(pf, dur ? TYPE_SLICE_BEGIN : TYPE_INSTANT, ts, dur, u, prefix, obj, suffix);
}

void ct__pf_pb_instant(struct ct__pf *pf, uint64_t ts, uint32_t pid, uint32_t tid,
                       const char *prefix, const char *obj, int global)
{
        uint64_t u = global ? ct__pb_global(pf) : ct__pb_event_track(pf, pid, tid);

        ct__pb_start(pf, TYPE_INSTANT, ts, 0, u, prefix, obj, NULL);
}

/* One debug annotation: name iid and a value (field vf, varint v or string
 * s of n bytes). */
static void ct__pb_arg(struct ct__pf *pf, const char *key, unsigned vf, uint64_t v, const char *s,
                       size_t n)
{
        struct ct__pf_pb *pb = pf->pb;
        uint64_t iid;
        size_t body;
        uint8_t *p;

        if (!pb->open)
                return;
        iid = ct__pb_intern(pb, IT_ANN, key, strnlen(key, 128));
        if (pb->evlen + n + 4 * PB_HEAD + 20 > CT__PF_PB_EV)
                return; /* cannot happen for our args; keeps the buffer bounded */
        body = 1 + ct__pb_varint_len(iid) +
               (s ? 1 + ct__pb_varint_len(n) + n : 1 + ct__pb_varint_len(v));
        p = pb->ev + pb->evlen;
        p = ct__pb_varint(ct__pb_tag(p, TE_ANNOTATIONS, WT_LEN), body);
        p = ct__pb_uint(p, DA_NAME_IID, iid);
        p = s ? ct__pb_bytes(p, vf, s, n) : ct__pb_uint(p, vf, v);
        pb->evlen = (size_t)(p - pb->ev);
}

void ct__pf_pb_arg_i(struct ct__pf *pf, const char *key, int64_t v)
{
        ct__pb_arg(pf, key, DA_INT, (uint64_t)v, NULL, 0);
}

void ct__pf_pb_arg_u(struct ct__pf *pf, const char *key, uint64_t v)
{
        ct__pb_arg(pf, key, DA_UINT, v, NULL, 0);
}

void ct__pf_pb_arg_s(struct ct__pf *pf, const char *key, const char *v)
{
        char buf[1024];
        size_t n = ct__pf_pb_utf8(buf, sizeof(buf), 0, v ? v : "");

        ct__pb_arg(pf, key, DA_STRING, 0, buf, n);
}

static int ct__pb_is_own(struct ct__pf_pb *pb, uint64_t uuid)
{
        struct ct__pf_key k = {uuid, 0, 5};

        return ct__pf_map_get(&pb->own, k) != NULL;
}

static uint8_t *ct__pb_fixed64(uint8_t *p, unsigned field, uint64_t v)
{
        int i;

        p = ct__pb_tag(p, field, WT_I64);
        for (i = 0; i < 8; i++)
                *p++ = (uint8_t)(v >> (8 * i));
        return p;
}

/* A marker on an own track: it gets a flow id (remembered by track and ts)
 * and is held until the next record. */
static void ct__pb_hold_marker(struct ct__pf *pf)
{
        struct ct__pf_pb *pb = pf->pb;
        struct ct__pf_pb_source *src;

        ct__pb_flush_held(pf);
        src = &pb->sources[pb->nsource++ % CT__PF_PB_SOURCES];
        src->uuid = pb->uuid;
        src->ts = pb->ts;
        src->fid = pb->next_fid++;
        pb->hevlen = (size_t)(ct__pb_fixed64(pb->ev + pb->evlen, TE_FLOW_IDS, src->fid) - pb->ev);
        memcpy(pb->hev, pb->ev, pb->hevlen);
        memcpy(pb->hin, pb->in, pb->inlen);
        pb->hinlen = pb->inlen;
        pb->hts = pb->ts;
        pb->huuid = pb->uuid;
        pb->hflags =
            SEQ_NEEDS_INCREMENTAL_STATE | (pb->cleared ? SEQ_INCREMENTAL_STATE_CLEARED : 0);
        pb->held = 1;
        pb->inlen = 0;
        pb->cleared = 0;
}

void ct__pf_pb_end(struct ct__pf *pf)
{
        struct ct__pf_pb *pb = pf->pb;
        uint8_t end[32], *p = end;

        if (!pb->open)
                return;
        pb->open = 0;
        if (pb->type == TYPE_INSTANT && ct__pb_is_own(pb, pb->uuid) &&
            pb->evlen + 16 <= CT__PF_PB_EV) {
                ct__pb_hold_marker(pf);
                return;
        }
        ct__pb_packet(pf, 1, pb->ts, 1, PKT_TRACK_EVENT, pb->ev, pb->evlen);
        if (pb->type != TYPE_SLICE_BEGIN)
                return;
        p = ct__pb_uint(p, TE_TYPE, TYPE_SLICE_END);
        p = ct__pb_uint(p, TE_TRACK_UUID, pb->uuid);
        ct__pb_packet(pf, 1, pb->ts + pb->dur, 0, PKT_TRACK_EVENT, end, (size_t)(p - end));
}

void ct__pf_pb_counter(struct ct__pf *pf, uint64_t ts, uint32_t pid, const char *name,
                       const char *key, int64_t v)
{
        struct ct__pf_pb *pb = pf->pb;
        char nm[CT__PF_PB_NAME];
        size_t n = ct__pf_pb_utf8(nm, sizeof(nm), 0, name);
        struct ct__pf_key k;
        uint8_t body[48], *p = body;
        uint64_t u, parent;
        int created;

        n = ct__pf_pb_utf8(nm, sizeof(nm), n, " ");
        n = ct__pf_pb_utf8(nm, sizeof(nm), n, key);
        k.a = pid;
        k.b = ct__pb_hash(3, nm, n);
        k.c = 3;
        u = ct__pb_uuid_of(pb, k, &created);
        if (!u) {
                ct__pf_fail(pf, -ENOMEM);
                return;
        }
        if (created) {
                parent = ct__pb_proc_uuid(pf, pid, &created);
                ct__pb_track_desc(pf, u, parent, nm, 0, 0, TD_COUNTER, NULL, 0);
        }
        p = ct__pb_uint(p, TE_TYPE, TYPE_COUNTER);
        p = ct__pb_uint(p, TE_TRACK_UUID, u);
        p = ct__pb_uint(p, TE_COUNTER_VALUE, (uint64_t)v);
        ct__pb_packet(pf, 1, ts, 0, PKT_TRACK_EVENT, body, (size_t)(p - body));
}

/* One end of a v1 flow: phase 's' or 'f' (bound to the enclosing slice). */
static void ct__pb_flow_end(struct ct__pf *pf, uint64_t name_iid, char phase, uint64_t id,
                            uint64_t ts, uint32_t pid, uint32_t tid)
{
        uint8_t body[64], le[32], *p = body, *q = le;
        uint64_t u = ct__pb_event_track(pf, pid, tid);

        q = ct__pb_uint(q, LE_PHASE, (uint64_t)(unsigned char)phase);
        q = ct__pb_uint(q, LE_UNSCOPED_ID, id);
        if (phase == 'f')
                q = ct__pb_uint(q, LE_BIND_TO_ENCLOSING, 1);
        p = ct__pb_uint(p, TE_TRACK_UUID, u);
        p = ct__pb_uint(p, TE_NAME_IID, name_iid);
        p = ct__pb_bytes(p, TE_LEGACY, le, (size_t)(q - le));
        ct__pb_packet(pf, 1, ts, 1, PKT_TRACK_EVENT, body, (size_t)(p - body));
}

void ct__pf_pb_flow(struct ct__pf *pf, const char *name, uint64_t id, uint64_t s_ts, uint32_t s_pid,
                    uint32_t s_tid, uint64_t f_ts, uint32_t f_pid, uint32_t f_tid)
{
        struct ct__pf_pb *pb = pf->pb;
        int created;
        uint64_t su = ct__pb_track_uuid(pf, s_pid, s_tid, 0, &created);
        uint64_t fu = ct__pb_track_uuid(pf, f_pid, f_tid, 0, &created);
        uint64_t iid, fid = 0;
        uint32_t i;

        if (ct__pb_is_own(pb, su)) { /* from a marker there: its flow id */
                for (i = 0; i < CT__PF_PB_SOURCES; i++) {
                        struct ct__pf_pb_source *src = &pb->sources[i];
                        if (src->fid && src->uuid == su && src->ts == s_ts) {
                                fid = src->fid;
                                src->fid = 0;
                                break;
                        }
                }
        }
        if (fid && ct__pb_is_own(pb, fu) && pb->held && pb->huuid == fu && pb->hts == f_ts) {
                /* to the held marker: it ends the arrow */
                pb->hevlen =
                    (size_t)(ct__pb_fixed64(pb->hev + pb->hevlen, TE_TERMINATING_FLOW_IDS, fid) -
                             pb->hev);
                ct__pb_flush_held(pf);
                return;
        }
        /* both ends in one interning epoch: the second never interns */
        ct__pb_intern_room(pb);
        iid = ct__pb_intern(pb, IT_NAME, name, strlen(name));
        ct__pb_flow_end(pf, iid, 's', id, s_ts, s_pid, s_tid);
        ct__pb_flow_end(pf, iid, 'f', id, f_ts, f_pid, f_tid);
}
