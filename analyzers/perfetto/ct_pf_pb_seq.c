/* SPDX-License-Identifier: MIT */
/*
 * The sequence half of the protobuf backend (see ct_pf_pb.h): UTF-8
 * cleaning, the bounded interning table, the packet sequences (their first
 * packet: defaults and ClockSnapshot; the incremental clock) and the
 * writing of one TracePacket.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ct_pf.h"
#include "ct_pf_pb.h"
#include "ct_pf_pbenc.h"

size_t ct__pf_pb_utf8(char *dst, size_t cap, size_t at, const char *s)
{
        const unsigned char *u = (const unsigned char *)s;

        if (!s || cap == 0)
                goto end;
        while (*u) {
                size_t k;

                if (*u < 0x80) { /* a run of ASCII: the common case, copied at once */
                        size_t r = 1;

                        if (at + 1 >= cap)
                                break;
                        while (u[r] && u[r] < 0x80)
                                r++;
                        if (at + r >= cap)
                                r = cap - 1 - at;
                        memcpy(dst + at, u, r);
                        at += r;
                        u += r;
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

uint64_t ct__pf_pb_hash(int type, uint64_t seq, const char *s, size_t n)
{
        uint64_t h = (0xcbf29ce484222325u ^ (uint64_t)type) + seq * 0x9e3779b97f4a7c15u;
        uint64_t w;
        size_t i = 0;

        for (; i + 8 <= n; i += 8) { /* 8 bytes at a time, then the tail */
                memcpy(&w, s + i, 8);
                h = (h ^ w) * 0x100000001b3u;
                h ^= h >> 29;
        }
        for (; i < n; i++) {
                h ^= (unsigned char)s[i];
                h *= 0x100000001b3u;
        }
        h ^= h >> 32;
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
        pb->next_fid = 1ull << 62; /* apart from the exporter's flow ids */
        return 0;
}

void ct__pf_pb_free(struct ct__pf_pb *pb)
{
        free(pb->slots);
        free(pb->arena);
        free(pb->seqs);
        pb->slots = NULL;
        pb->arena = NULL;
        pb->seqs = NULL;
        pb->nseqs = 0;
        ct__pf_map_clear(&pb->tracks, 0);
}

/* A new epoch: every sequence interns again and says so on its next packet. */
static void ct__pb_intern_reset(struct ct__pf_pb *pb)
{
        memset(pb->slots, 0, CT__PF_PB_SLOTS * sizeof(*pb->slots));
        pb->nused = 0;
        pb->alen = 0;
        pb->epoch++;
        pb->resets++;
}

/* Before a packet: room for every string it may intern, so that no reset
 * happens between two iids of one packet. */
void ct__pf_pb_intern_room(struct ct__pf_pb *pb)
{
        if (pb->nused + 32 > pb->max || pb->alen + CT__PF_PB_NAME + 8192 > CT__PF_PB_ARENA)
                ct__pb_intern_reset(pb);
}

/* The iid of s (n bytes, valid UTF-8) of kind type on sequence sid (state
 * q); a new one is added to the InternedData being built. lazy: a string
 * seen for the first time is only remembered (returns 0: the caller writes
 * it out), so that names used once (task 17) take no iid. */
uint64_t ct__pf_pb_intern(struct ct__pf_pb *pb, uint64_t sid, struct ct__pf_pb_seq *q, int type,
                          const char *s, size_t n, int lazy)
{
        static const unsigned field[IT_KINDS] = {IN_NAMES, IN_ANNOTATION_NAMES, IN_STRING_VALUES};
        uint64_t h = ct__pf_pb_hash(type, sid, s, n);
        uint32_t i = (uint32_t)h & (CT__PF_PB_SLOTS - 1);
        struct ct__pf_pb_istr *e;
        uint8_t *p, *q2;
        size_t body;

        for (;; i = (i + 1) & (CT__PF_PB_SLOTS - 1)) {
                e = &pb->slots[i];
                if (!e->hash)
                        break;
                if (e->hash == h && e->seq == sid && e->type == type && e->len == n &&
                    memcmp(pb->arena + e->off, s, n) == 0) {
                        if (e->iid)
                                return e->iid;
                        goto add; /* the second use */
                }
        }
        if (pb->inlen + n + 3 * PB_HEAD > CT__PF_PB_IN || pb->alen + n > CT__PF_PB_ARENA)
                n = 0; /* cannot happen with the room reserved; keep the packet valid */
        e->hash = h;
        e->seq = sid;
        e->type = (uint8_t)type;
        e->len = (uint32_t)n;
        e->off = (uint32_t)pb->alen;
        e->iid = 0;
        memcpy(pb->arena + pb->alen, s, n);
        pb->alen += n;
        pb->nused++;
        if (lazy)
                return 0;
add:
        e->iid = q->next_iid[type]++;
        /* field { iid, name } */
        body = 1 + ct__pb_varint_len(e->iid) + 1 + ct__pb_varint_len(e->len) + e->len;
        p = pb->in + pb->inlen;
        p = ct__pb_varint(ct__pb_tag(p, field[type], WT_LEN), body);
        q2 = ct__pb_uint(p, IE_IID, e->iid);
        q2 = ct__pb_bytes(q2, IE_NAME, pb->arena + e->off, e->len);
        pb->inlen = (size_t)(q2 - pb->in);
        return e->iid;
}

/* ----------------------------------------------------------- sequences */

/* TracePacketDefaults of sequence sid: the incremental clock, the track. */
static size_t ct__pb_defaults(uint8_t *buf, uint64_t sid)
{
        uint8_t ted[16], *p = buf, *t = ted;

        t = ct__pb_uint(t, TED_TRACK_UUID, sid >> 1);
        p = ct__pb_uint(p, DEF_TS_CLOCK, CLOCK_DELTA);
        p = ct__pb_bytes(p, DEF_TRACK_EVENT, ted, (size_t)(t - ted));
        return (size_t)(p - buf);
}

/* The state of sequence sid; its first use writes its first packet:
 * SEQ_INCREMENTAL_STATE_CLEARED, its defaults and its ClockSnapshot
 * (BOOTTIME 0 = clocks 64 and 65 at 0, incremental). */
struct ct__pf_pb_seq *ct__pf_pb_slot(struct ct__pf *pf, uint64_t sid)
{
        struct ct__pf_pb *pb = pf->pb;

        if (sid >= pb->nseqs) {
                size_t n = pb->nseqs ? pb->nseqs : 128;
                struct ct__pf_pb_seq *ns;

                while (n <= sid)
                        n *= 2;
                ns = sid < (1u << 30) ? realloc(pb->seqs, n * sizeof(*ns)) : NULL;
                if (!ns) {
                        ct__pf_fail(pf, -ENOMEM);
                        return &pb->spare;
                }
                memset(ns + pb->nseqs, 0, (n - pb->nseqs) * sizeof(*ns));
                pb->seqs = ns;
                pb->nseqs = n;
        }
        return &pb->seqs[sid];
}

struct ct__pf_pb_seq *ct__pf_pb_seq(struct ct__pf *pf, uint64_t sid)
{
        struct ct__pf_pb *pb = pf->pb;
        struct ct__pf_pb_seq *q = ct__pf_pb_slot(pf, sid);

        if (!q->started) {
                uint8_t body[128], cs[64], clk[32], *p = body, *c = cs, *k, *o;

                k = ct__pb_uint(clk, CLK_ID, CLOCK_BOOTTIME);
                k = ct__pb_uint(k, CLK_TIMESTAMP, 0);
                c = ct__pb_bytes(c, CS_CLOCKS, clk, (size_t)(k - clk));
                k = ct__pb_uint(clk, CLK_ID, CLOCK_DELTA);
                k = ct__pb_uint(k, CLK_TIMESTAMP, 0);
                k = ct__pb_uint(k, CLK_INCREMENTAL, 1);
                c = ct__pb_bytes(c, CS_CLOCKS, clk, (size_t)(k - clk));
                k = ct__pb_uint(clk, CLK_ID, CLOCK_DELTA2);
                k = ct__pb_uint(k, CLK_TIMESTAMP, 0);
                k = ct__pb_uint(k, CLK_INCREMENTAL, 1);
                c = ct__pb_bytes(c, CS_CLOCKS, clk, (size_t)(k - clk));
                p = ct__pb_uint(p, PKT_SEQ_ID, sid);
                p = ct__pb_uint(p, PKT_SEQ_FLAGS, SEQ_INCREMENTAL_STATE_CLEARED);
                p = ct__pb_bytes(p, PKT_DEFAULTS, clk, ct__pb_defaults(clk, sid));
                p = ct__pb_bytes(p, PKT_CLOCK_SNAPSHOT, cs, (size_t)(c - cs));
                o = (uint8_t *)ct__pf_json_room(&pf->json, (size_t)(p - body) + PB_HEAD);
                o = ct__pb_bytes(o, TRACE_PACKET, body, (size_t)(p - body));
                ct__pf_json_done(&pf->json, (char *)o);
                q->started = 1;
                q->epoch = pb->epoch;
                q->next_iid[0] = q->next_iid[1] = q->next_iid[2] = 1;
        }
        return q;
}

/* The same, for a packet that interns: after a reset (a new epoch) its
 * iids start again and its next packet says SEQ_INCREMENTAL_STATE_CLEARED
 * and repeats the defaults. Call after ct__pf_pb_intern_room. */
struct ct__pf_pb_seq *ct__pf_pb_seq_in(struct ct__pf *pf, uint64_t sid)
{
        struct ct__pf_pb_seq *q = ct__pf_pb_seq(pf, sid);

        if (q->epoch != pf->pb->epoch) {
                q->epoch = pf->pb->epoch;
                q->next_iid[0] = q->next_iid[1] = q->next_iid[2] = 1;
                q->clear = 1;
        }
        return q;
}

/* ------------------------------------------------------------- packets */

/* Write one TracePacket on sequence sid (state q): its time (a delta on
 * the incremental clock; when earlier than the previous one there, a delta
 * on the second incremental clock, or else BOOTTIME and the time itself),
 * sequence id and flags (SEQ_INCREMENTAL_STATE_CLEARED and the defaults
 * again if clear), interned data, then field `field` with body (n bytes). */
void ct__pf_pb_write(struct ct__pf *pf, uint64_t sid, struct ct__pf_pb_seq *q, uint64_t ts,
                     int clear, const uint8_t *in, size_t inlen, unsigned field,
                     const uint8_t *body, size_t n)
{
        uint8_t def[32];
        size_t len, dlen = clear ? ct__pb_defaults(def, sid) : 0;
        uint64_t t = ts;
        unsigned clock = 0; /* 0: the default (CLOCK_DELTA) */
        uint8_t *p;

        if (ts >= q->last) {
                t = ts - q->last;
                q->last = ts;
        } else if (ts >= q->last2) { /* earlier, but after the last such one */
                t = ts - q->last2;
                q->last2 = ts;
                clock = CLOCK_DELTA2;
        } else {
                clock = CLOCK_BOOTTIME;
        }
        len = 1 + ct__pb_varint_len(t) + (clock ? 3 : 0);
        len += 1 + ct__pb_varint_len(sid) + 2; /* sequence id, flags */
        if (dlen)
                len += 2 + 1 + dlen;
        if (inlen)
                len += 1 + ct__pb_varint_len(inlen) + inlen;
        len += ct__pb_varint_len(((uint64_t)field << 3) | WT_LEN) + ct__pb_varint_len(n) + n;
        p = (uint8_t *)ct__pf_json_room(&pf->json, len + PB_HEAD);
        p = ct__pb_varint(ct__pb_tag(p, TRACE_PACKET, WT_LEN), len);
        p = ct__pb_uint(p, PKT_TIMESTAMP, t);
        if (clock)
                p = ct__pb_uint(p, PKT_TS_CLOCK, clock);
        p = ct__pb_uint(p, PKT_SEQ_ID, sid);
        p = ct__pb_uint(p, PKT_SEQ_FLAGS,
                        SEQ_NEEDS_INCREMENTAL_STATE | (clear ? SEQ_INCREMENTAL_STATE_CLEARED : 0));
        if (dlen)
                p = ct__pb_bytes(p, PKT_DEFAULTS, def, dlen);
        if (inlen)
                p = ct__pb_bytes(p, PKT_INTERNED, in, inlen);
        p = ct__pb_bytes(p, field, body, n);
        ct__pf_json_done(&pf->json, (char *)p);
}

void ct__pf_pb_meta(struct ct__pf *pf, unsigned field, const uint8_t *body, size_t n)
{
        size_t len =
            2 + ct__pb_varint_len(((uint64_t)field << 3) | WT_LEN) + ct__pb_varint_len(n) + n;
        uint8_t *p;

        p = (uint8_t *)ct__pf_json_room(&pf->json, len + PB_HEAD);
        p = ct__pb_varint(ct__pb_tag(p, TRACE_PACKET, WT_LEN), len);
        p = ct__pb_uint(p, PKT_SEQ_ID, SEQ_ID);
        p = ct__pb_bytes(p, field, body, n);
        ct__pf_json_done(&pf->json, (char *)p);
}
