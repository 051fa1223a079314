/* SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L
#include "ct_pf_pb.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ct_pf.h"
#include "ct_pf_pbenc.h"

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

uint64_t ct__pf_pb_hash(int type, const char *s, size_t n)
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
        uint64_t h = ct__pf_pb_hash(type, s, n);
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

void ct__pf_pb_packet(struct ct__pf *pf, int ts_set, uint64_t ts, int needs, unsigned field,
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
        if (pb->htype == TYPE_SLICE_BEGIN) {
                uint8_t end[32], *p = end;

                p = ct__pb_uint(p, TE_TYPE, TYPE_SLICE_END);
                p = ct__pb_uint(p, TE_TRACK_UUID, pb->huuid);
                ct__pb_write(pf, 1, pb->hts + pb->hdur, 0, NULL, 0, PKT_TRACK_EVENT, end,
                             (size_t)(p - end));
        }
}

void ct__pf_pb_flush(struct ct__pf *pf)
{
        if (pf->pb)
                ct__pb_flush_held(pf);
}

/* -------------------------------------------------------------- events */

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
        uint64_t u = ct__pf_pb_event_track(pf, pid, tid);

        ct__pb_start(pf, dur ? TYPE_SLICE_BEGIN : TYPE_INSTANT, ts, dur, u, prefix, obj, suffix);
}

void ct__pf_pb_instant(struct ct__pf *pf, uint64_t ts, uint32_t pid, uint32_t tid,
                       const char *prefix, const char *obj, int global)
{
        uint64_t u = global ? ct__pf_pb_global(pf) : ct__pf_pb_event_track(pf, pid, tid);

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

/* A slice or marker on an own track: it gets a flow id (remembered by track
 * and time range) and is held until the next record. */
static void ct__pb_hold_marker(struct ct__pf *pf)
{
        struct ct__pf_pb *pb = pf->pb;
        struct ct__pf_pb_source *src;

        ct__pb_flush_held(pf);
        src = &pb->sources[pb->nsource++ % CT__PF_PB_SOURCES];
        src->uuid = pb->uuid;
        src->ts = pb->ts;
        src->dur = pb->type == TYPE_SLICE_BEGIN ? pb->dur : 0;
        src->fid = pb->next_fid++;
        pb->hevlen = (size_t)(ct__pb_fixed64(pb->ev + pb->evlen, TE_FLOW_IDS, src->fid) - pb->ev);
        memcpy(pb->hev, pb->ev, pb->hevlen);
        memcpy(pb->hin, pb->in, pb->inlen);
        pb->hinlen = pb->inlen;
        pb->hts = pb->ts;
        pb->huuid = pb->uuid;
        pb->hdur = pb->dur;
        pb->htype = pb->type;
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
        if ((pb->type == TYPE_INSTANT || pb->type == TYPE_SLICE_BEGIN) &&
            ct__pf_pb_is_own(pb, pb->uuid) && pb->evlen + 16 <= CT__PF_PB_EV) {
                ct__pb_hold_marker(pf);
                return;
        }
        ct__pf_pb_packet(pf, 1, pb->ts, 1, PKT_TRACK_EVENT, pb->ev, pb->evlen);
        if (pb->type != TYPE_SLICE_BEGIN)
                return;
        p = ct__pb_uint(p, TE_TYPE, TYPE_SLICE_END);
        p = ct__pb_uint(p, TE_TRACK_UUID, pb->uuid);
        ct__pf_pb_packet(pf, 1, pb->ts + pb->dur, 0, PKT_TRACK_EVENT, end, (size_t)(p - end));
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
        k.b = ct__pf_pb_hash(3, nm, n);
        k.c = 3;
        u = ct__pf_pb_uuid_of(pb, k, &created);
        if (!u) {
                ct__pf_fail(pf, -ENOMEM);
                return;
        }
        if (created) {
                parent = ct__pf_pb_proc_uuid(pf, pid, &created);
                ct__pf_pb_track_desc(pf, u, parent, nm, 0, 0, TD_COUNTER, NULL, 0);
        }
        p = ct__pb_uint(p, TE_TYPE, TYPE_COUNTER);
        p = ct__pb_uint(p, TE_TRACK_UUID, u);
        p = ct__pb_uint(p, TE_COUNTER_VALUE, (uint64_t)v);
        ct__pf_pb_packet(pf, 1, ts, 0, PKT_TRACK_EVENT, body, (size_t)(p - body));
}

/* One end of a v1 flow: phase 's' or 'f' (bound to the enclosing slice). */
static void ct__pb_flow_end(struct ct__pf *pf, uint64_t name_iid, char phase, uint64_t id,
                            uint64_t ts, uint32_t pid, uint32_t tid)
{
        uint8_t body[64], le[32], *p = body, *q = le;
        uint64_t u = ct__pf_pb_event_track(pf, pid, tid);

        q = ct__pb_uint(q, LE_PHASE, (uint64_t)(unsigned char)phase);
        q = ct__pb_uint(q, LE_UNSCOPED_ID, id);
        if (phase == 'f')
                q = ct__pb_uint(q, LE_BIND_TO_ENCLOSING, 1);
        p = ct__pb_uint(p, TE_TRACK_UUID, u);
        p = ct__pb_uint(p, TE_NAME_IID, name_iid);
        p = ct__pb_bytes(p, TE_LEGACY, le, (size_t)(q - le));
        ct__pf_pb_packet(pf, 1, ts, 1, PKT_TRACK_EVENT, body, (size_t)(p - body));
}

void ct__pf_pb_flow(struct ct__pf *pf, const char *name, uint64_t id, uint64_t s_ts, uint32_t s_pid,
                    uint32_t s_tid, uint64_t f_ts, uint32_t f_pid, uint32_t f_tid)
{
        struct ct__pf_pb *pb = pf->pb;
        int created;
        uint64_t su = ct__pf_pb_track_uuid(pf, s_pid, s_tid, 0, &created);
        uint64_t fu = ct__pf_pb_track_uuid(pf, f_pid, f_tid, 0, &created);
        uint64_t iid, fid = 0;
        uint32_t i;

        if (ct__pf_pb_is_own(pb, su)) { /* from an event there: the newest around s_ts */
                for (i = 1; i <= CT__PF_PB_SOURCES; i++) {
                        struct ct__pf_pb_source *src =
                            &pb->sources[(pb->nsource - i) % CT__PF_PB_SOURCES];
                        if (src->fid && src->uuid == su && src->ts <= s_ts &&
                            s_ts <= src->ts + src->dur) {
                                fid = src->fid;
                                src->fid = 0;
                                break;
                        }
                }
        }
        if (fid && ct__pf_pb_is_own(pb, fu) && pb->held && pb->huuid == fu && pb->hts == f_ts) {
                /* to the held event: it ends the arrow */
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
