/* SPDX-License-Identifier: MIT */
/*
 * The event half of the protobuf backend (see ct_pf_pb.h): the staged
 * packet, counter values waiting for an event at their time, slices,
 * instants, args, counters and flows.
 */
#define _POSIX_C_SOURCE 200809L
#include "ct_pf_pb.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ct_pf.h"
#include "ct_pf_pbenc.h"

static const uint8_t ct__pb_end_body[] = {TE_TYPE << 3 | WT_VARINT, TYPE_SLICE_END};

/* Counters u[i] = v[i] (n of them) as extra counter values, the zero
 * values last: trace_processor (v58) keeps the extra values of an event up
 * to the first zero only (the later ones read as zero). */
static uint8_t *ct__pb_extras(uint8_t *p, const uint64_t *u, const int64_t *v, uint32_t n)
{
        uint32_t i;

        for (i = 0; i < n; i++)
                if (v[i])
                        p = ct__pb_uint(ct__pb_uint(p, TE_EXTRA_CTR_UUIDS, u[i]),
                                        TE_EXTRA_CTR_VALUES, (uint64_t)v[i]);
        for (i = 0; i < n; i++)
                if (!v[i])
                        p = ct__pb_uint(ct__pb_uint(p, TE_EXTRA_CTR_UUIDS, u[i]),
                                        TE_EXTRA_CTR_VALUES, 0);
        return p;
}

/* The slot of ts in pb->rts. */
static inline unsigned ct__pb_rts(uint64_t ts)
{
        return (unsigned)((ts * 0x9e3779b97f4a7c15u) >> (64 - CT__PF_PB_RTS_BITS));
}

/* Take the waiting counter values at ts (one per counter, CT__PF_PB_CTRS
 * in all with the n already in u/v); returns the new n. */
static uint32_t ct__pb_ring_take(struct ct__pf_pb *pb, uint64_t ts, uint64_t *u, int64_t *v,
                                 uint32_t n)
{
        uint32_t i, j;

        if (!pb->rts[ct__pb_rts(ts)])
                return n;
        for (i = 0; i < pb->rlen && n < CT__PF_PB_CTRS; i++) {
                struct ct__pf_pb_ctr *c = &pb->ring[(pb->rhead + i) % CT__PF_PB_RING];

                if (c->ts != ts || !c->uuid)
                        continue;
                for (j = 0; j < n && u[j] != c->uuid; j++)
                        ;
                if (j < n)
                        continue;
                u[n] = c->uuid;
                v[n++] = c->v;
                c->uuid = 0;
                pb->rts[ct__pb_rts(ts)]--;
        }
        return n;
}

/* Write the oldest waiting counter value as a TYPE_COUNTER packet, with the
 * others at its time as extra values. */
static void ct__pb_ring_write(struct ct__pf *pf)
{
        struct ct__pf_pb *pb = pf->pb;
        struct ct__pf_pb_ctr c = pb->ring[pb->rhead];
        uint64_t u[CT__PF_PB_CTRS];
        int64_t v[CT__PF_PB_CTRS];
        uint8_t body[32 + CT__PF_PB_CTRS * 24], *p;
        uint32_t n;

        pb->rhead = (pb->rhead + 1) % CT__PF_PB_RING;
        pb->rlen--;
        if (!c.uuid)
                return;
        pb->rts[ct__pb_rts(c.ts)]--;
        u[0] = c.uuid;
        v[0] = c.v;
        n = ct__pb_ring_take(pb, c.ts, u, v, 1);
        p = ct__pb_uint(body, TE_TYPE, TYPE_COUNTER);
        p = ct__pb_uint(p, TE_COUNTER_VALUE, (uint64_t)c.v);
        p = ct__pb_extras(p, u + 1, v + 1, n - 1);
        ct__pf_pb_write(pf, c.uuid << 1, ct__pf_pb_seq(pf, c.uuid << 1), c.ts, 0, NULL, 0,
                        PKT_TRACK_EVENT, body, (size_t)(p - body));
}

/* The staged packet, written now (and the end of an own slice marker). */
static void ct__pb_flush_held(struct ct__pf *pf)
{
        struct ct__pf_pb *pb = pf->pb;
        struct ct__pf_pb_seq *q;

        if (!pb->held)
                return;
        pb->held = 0;
        q = ct__pf_pb_seq(pf, pb->hsid);
        pb->hevlen =
            (size_t)(ct__pb_extras(pb->hev + pb->hevlen, pb->hctr, pb->hval, pb->hnctr) - pb->hev);
        ct__pf_pb_write(pf, pb->hsid, q, pb->hts, pb->hclear, pb->hin, pb->hinlen, PKT_TRACK_EVENT,
                        pb->hev, pb->hevlen);
        if (pb->hend)
                ct__pf_pb_write(pf, pb->hsid, q, pb->hts + pb->hdur, 0, NULL, 0, PKT_TRACK_EVENT,
                                ct__pb_end_body, sizeof(ct__pb_end_body));
}

void ct__pf_pb_flush(struct ct__pf *pf)
{
        if (!pf->pb)
                return;
        ct__pb_flush_held(pf);
        while (pf->pb->rlen)
                ct__pb_ring_write(pf);
}

/* Stage the TrackEvent built in pb->ev (type type at ts on sequence sid,
 * state q) with the pending interned data, after writing what was staged.
 * The counter values waiting for an event at ts go with it. */
static void ct__pb_stage(struct ct__pf *pf, uint64_t sid, struct ct__pf_pb_seq *q, int type,
                         uint64_t ts)
{
        struct ct__pf_pb *pb = pf->pb;

        ct__pb_flush_held(pf);
        pb->hnctr = pb->rlen ? ct__pb_ring_take(pb, ts, pb->hctr, pb->hval, 0) : 0;
        memcpy(pb->hev, pb->ev, pb->evlen);
        memcpy(pb->hin, pb->in, pb->inlen);
        pb->hevlen = pb->evlen;
        pb->hinlen = pb->inlen;
        pb->hsid = sid;
        pb->hts = ts;
        pb->htype = type;
        pb->hown = 0;
        pb->hend = 0;
        pb->hclear = q->clear;
        q->clear = 0;
        pb->held = 1;
        pb->inlen = 0;
}

/* -------------------------------------------------------------- events */

static void ct__pb_start(struct ct__pf *pf, int type, uint64_t ts, uint64_t dur, uint64_t uuid,
                         const char *prefix, const char *obj, const char *suffix)
{
        struct ct__pf_pb *pb = pf->pb;
        struct ct__pf_pb_seq *q;
        uint64_t sid = uuid << 1;
        size_t n = 0;
        uint8_t *p;
        uint64_t iid;

        ct__pf_pb_intern_room(pb);
        q = ct__pf_pb_seq_in(pf, sid);
        n = ct__pf_pb_utf8(pb->name, sizeof(pb->name), n, prefix);
        n = ct__pf_pb_utf8(pb->name, sizeof(pb->name), n, obj);
        n = ct__pf_pb_utf8(pb->name, sizeof(pb->name), n, suffix);
        iid = ct__pf_pb_intern(pb, sid, q, IT_NAME, pb->name, n, 1);
        pb->open = 1;
        pb->type = type;
        pb->ts = ts;
        pb->dur = dur;
        pb->uuid = uuid;
        pb->sid = sid;
        pb->seq = q;
        p = pb->ev;
        p = ct__pb_uint(p, TE_TYPE, (uint64_t)type);
        p = iid ? ct__pb_uint(p, TE_NAME_IID, iid) : ct__pb_bytes(p, TE_NAME, pb->name, n);
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

/* The longest string value that is interned (longer ones are written out). */
#define CT__PB_STR_INTERN 128

/* One debug annotation: name iid and a value (field vf, varint v or string
 * s of n bytes: interned when short). */
static void ct__pb_arg(struct ct__pf *pf, const char *key, unsigned vf, uint64_t v, const char *s,
                       size_t n)
{
        struct ct__pf_pb *pb = pf->pb;
        uint64_t iid;
        size_t body;
        uint8_t *p;

        if (!pb->open)
                return;
        iid = ct__pf_pb_intern(pb, pb->sid, pb->seq, IT_ANN, key, strnlen(key, 128), 0);
        if (s && n <= CT__PB_STR_INTERN) {
                v = ct__pf_pb_intern(pb, pb->sid, pb->seq, IT_STR, s, n, 0);
                vf = DA_STRING_IID;
                s = NULL;
        }
        if (pb->evlen + n + 4 * PB_HEAD + 20 + CT__PF_PB_CTRS * 24 > CT__PF_PB_EV)
                return; /* cannot happen for our args; keeps the buffer bounded */
        body = 1 + ct__pb_varint_len(iid) +
               (s ? 1 + ct__pb_varint_len(n) + n
                  : ct__pb_varint_len((uint64_t)vf << 3) + ct__pb_varint_len(v));
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

void ct__pf_pb_end(struct ct__pf *pf)
{
        struct ct__pf_pb *pb = pf->pb;
        struct ct__pf_pb_source *src;

        if (!pb->open)
                return;
        pb->open = 0;
        if (pb->type == TYPE_SLICE_BEGIN && !ct__pf_pb_is_own(pb, pb->uuid)) {
                /* the begin now, the end staged */
                ct__pb_stage(pf, pb->sid, pb->seq, TYPE_SLICE_BEGIN, pb->ts);
                ct__pb_flush_held(pf);
                memcpy(pb->ev, ct__pb_end_body, sizeof(ct__pb_end_body));
                pb->evlen = sizeof(ct__pb_end_body);
                ct__pb_stage(pf, pb->sid, pb->seq, TYPE_SLICE_END, pb->ts + pb->dur);
                return;
        }
        if (!ct__pf_pb_is_own(pb, pb->uuid)) {
                ct__pb_stage(pf, pb->sid, pb->seq, pb->type, pb->ts);
                return;
        }
        /* a slice or marker on an own track: it gets a flow id (remembered
         * by track and time range) that an arrow from it can end with */
        src = &pb->sources[pb->nsource++ % CT__PF_PB_SOURCES];
        src->uuid = pb->uuid;
        src->ts = pb->ts;
        src->dur = pb->type == TYPE_SLICE_BEGIN ? pb->dur : 0;
        src->fid = pb->next_fid++;
        pb->evlen = (size_t)(ct__pb_fixed64(pb->ev + pb->evlen, TE_FLOW_IDS, src->fid) - pb->ev);
        ct__pb_stage(pf, pb->sid, pb->seq, pb->type, pb->ts);
        pb->hown = 1;
        pb->hend = pb->type == TYPE_SLICE_BEGIN;
        pb->hdur = pb->dur;
}

/* The uuid of counter "<name> <key>" of process pid (*created: new), from
 * a small cache of the last ones by their raw strings. */
static uint64_t ct__pb_counter_uuid(struct ct__pf *pf, uint32_t pid, const char *name,
                                    const char *key, char *nm, size_t *nmlen, int *created)
{
        struct ct__pf_pb *pb = pf->pb;
        size_t nn = strnlen(name, CT__PF_PB_CNAME), kn = strnlen(key, CT__PF_PB_CNAME);
        struct ct__pf_pb_cname *e = NULL;
        struct ct__pf_key k;
        size_t n;
        uint64_t u;

        *created = 0;
        if (nn < CT__PF_PB_CNAME && kn < CT__PF_PB_CNAME) {
                e = &pb->cnames[(ct__pf_pb_hash(pid, 0, name, nn) ^ kn) % CT__PF_PB_CNAMES];
                if (e->uuid && e->pid == pid && strcmp(e->name, name) == 0 &&
                    strcmp(e->key, key) == 0)
                        return e->uuid;
        }
        n = ct__pf_pb_utf8(nm, CT__PF_PB_NAME, 0, name);
        n = ct__pf_pb_utf8(nm, CT__PF_PB_NAME, n, " ");
        n = ct__pf_pb_utf8(nm, CT__PF_PB_NAME, n, key);
        *nmlen = n;
        k.a = pid;
        k.b = ct__pf_pb_hash(3, 0, nm, n);
        k.c = 3;
        u = ct__pf_pb_uuid_of(pb, k, created);
        if (u && e) {
                e->uuid = u;
                e->pid = pid;
                memcpy(e->name, name, nn + 1);
                memcpy(e->key, key, kn + 1);
        }
        return u;
}

void ct__pf_pb_counter(struct ct__pf *pf, uint64_t ts, uint32_t pid, const char *name,
                       const char *key, int64_t v)
{
        struct ct__pf_pb *pb = pf->pb;
        char nm[CT__PF_PB_NAME];
        size_t n = 0;
        struct ct__pf_pb_ctr *c;
        uint64_t u, parent;
        uint32_t i;
        int created;

        u = ct__pb_counter_uuid(pf, pid, name, key, nm, &n, &created);
        if (!u) {
                ct__pf_fail(pf, -ENOMEM);
                return;
        }
        if (created) {
                parent = ct__pf_pb_proc_uuid(pf, pid, &created);
                ct__pf_pb_track_desc(pf, u, parent, nm, 0, 0, TD_COUNTER, NULL, 0);
        }
        for (i = pb->rts[ct__pb_rts(ts)] ? 0 : pb->rlen; i < pb->rlen; i++) {
                const struct ct__pf_pb_ctr *w = &pb->ring[(pb->rhead + i) % CT__PF_PB_RING];
                if (w->uuid == u && w->ts == ts)
                        break;
        }
        if (i < pb->rlen) { /* one of this counter waits at ts: it goes first */
                while (i-- > 0)
                        ct__pb_ring_write(pf);
                ct__pb_ring_write(pf);
        } else if (pb->held && pb->hts == ts && pb->hnctr < CT__PF_PB_CTRS) {
                /* at the time of the staged event: one more counter of it */
                for (i = 0; i < pb->hnctr && pb->hctr[i] != u; i++)
                        ;
                if (i == pb->hnctr) {
                        pb->hctr[pb->hnctr] = u;
                        pb->hval[pb->hnctr++] = v;
                        return;
                }
        }
        /* it waits for an event at ts */
        (void)ct__pf_pb_seq(pf, u << 1);
        if (pb->rlen == CT__PF_PB_RING)
                ct__pb_ring_write(pf);
        c = &pb->ring[(pb->rhead + pb->rlen++) % CT__PF_PB_RING];
        c->ts = ts;
        c->uuid = u;
        c->v = v;
        pb->rts[ct__pb_rts(ts)]++;
}

/* One end of a v1 flow: phase 's' or 'f' (bound to the enclosing slice),
 * on the flow sequence of its track. */
static void ct__pb_flow_end(struct ct__pf *pf, char phase, uint64_t id, uint64_t ts, uint32_t pid,
                            uint32_t tid)
{
        uint8_t body[64], le[32], *p = body, *q = le;
        uint64_t sid = (ct__pf_pb_event_track(pf, pid, tid) << 1) | 1;
        struct ct__pf_pb_seq *s = ct__pf_pb_seq(pf, sid);

        q = ct__pb_uint(q, LE_PHASE, (uint64_t)(unsigned char)phase);
        q = ct__pb_uint(q, LE_UNSCOPED_ID, id);
        if (phase == 'f')
                q = ct__pb_uint(q, LE_BIND_TO_ENCLOSING, 1);
        p = ct__pb_bytes(p, TE_LEGACY, le, (size_t)(q - le));
        ct__pf_pb_write(pf, sid, s, ts, 0, NULL, 0, PKT_TRACK_EVENT, body, (size_t)(p - body));
}

void ct__pf_pb_flow(struct ct__pf *pf, const char *name, uint64_t id, uint64_t s_ts, uint32_t s_pid,
                    uint32_t s_tid, uint64_t f_ts, uint32_t f_pid, uint32_t f_tid)
{
        struct ct__pf_pb *pb = pf->pb;
        int created;
        uint64_t su = ct__pf_pb_track_uuid(pf, s_pid, s_tid, 0, &created);
        uint64_t fu = ct__pf_pb_track_uuid(pf, f_pid, f_tid, 0, &created);
        uint64_t fid = 0;
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
        if (fid && pb->held && pb->hown && pb->hsid == fu << 1 && pb->hts == f_ts &&
            pb->hevlen + 16 <= CT__PF_PB_EV) {
                /* to the staged marker: it ends the arrow */
                pb->hevlen =
                    (size_t)(ct__pb_fixed64(pb->hev + pb->hevlen, TE_TERMINATING_FLOW_IDS, fid) -
                             pb->hev);
                ct__pb_flush_held(pf);
                return;
        }
        ct__pb_flush_held(pf);
        (void)name; /* trace_processor keys v1 flows by id, category and name, and keeps no name */
        ct__pb_flow_end(pf, 's', id, s_ts, s_pid, s_tid);
        ct__pb_flow_end(pf, 'f', id, f_ts, f_pid, f_tid);
}
