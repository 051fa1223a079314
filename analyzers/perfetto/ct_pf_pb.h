/* SPDX-License-Identifier: MIT */
/*
 * The protobuf backend of the record layer: Perfetto's native trace format
 * (a `Trace` of `TracePacket`s on one packet sequence), hand-encoded into
 * fixed buffers and written through ct_pf_json's buffered output file.
 *
 *   tracks    a TrackDescriptor per process (ProcessDescriptor), per thread
 *             (ThreadDescriptor), per own track (runs & phases, locks: a
 *             named track under its process), per counter (CounterDescriptor)
 *             and one global track for discarded-event markers; small uuids
 *             handed out in order.
 *   slices    TYPE_SLICE_BEGIN + TYPE_SLICE_END packets, written when the
 *             interval ends (the trace processor sorts packets by time); a
 *             zero-length slice is a TYPE_INSTANT.
 *   flows     on thread tracks: legacy v1 flow events ('s' at the source,
 *             'f' bound to the enclosing slice at the destination), the same
 *             binding rules as the JSON's. Our own tracks are not thread
 *             tracks, and the trace processor binds no v1 flow there: each
 *             slice or marker on them carries a fresh flow id (flow_ids,
 *             remembered for a while by track and time range) that a later
 *             arrow from it ends with terminating_flow_ids; it is held until
 *             the next record so that an arrow to it can be added to it.
 *   interning event names, categories and debug-annotation names get iids;
 *             a new one goes in the InternedData of the packet that first
 *             uses it. The table is bounded: when full it is reset and the
 *             next packet carries SEQ_INCREMENTAL_STATE_CLEARED; every packet
 *             that uses iids carries SEQ_NEEDS_INCREMENTAL_STATE.
 *   strings   valid UTF-8 (each invalid byte becomes U+FFFD), cut at a
 *             character boundary when too long for the event buffer.
 *
 * Field numbers: see tests/perfetto/ct_pftrace.proto (from Perfetto's
 * protos/perfetto/trace/...).
 */
#ifndef CT_PF_PB_H
#define CT_PF_PB_H

#include <stddef.h>
#include <stdint.h>

#include "ct_pf_map.h"

#define CT__PF_PB_EV        8192 /* TrackEvent body being built */
#define CT__PF_PB_IN        8192 /* InternedData body being built */
#define CT__PF_PB_NAME      1024 /* longest event name */
#define CT__PF_PB_SLOTS     16384u
#define CT__PF_PB_ARENA     (1u << 20)
#define CT__PF_PB_MAX_DEF   12000u /* interned strings before a reset */
#define CT__PF_PB_GLOBAL_ID 1u     /* uuid of the discarded-events track */

struct ct__pf;

struct ct__pf_pb_istr {
        uint64_t hash; /* 0: empty slot */
        uint32_t off;  /* in arena */
        uint32_t len;
        uint32_t iid;
        uint8_t type;
};

#define CT__PF_PB_SOURCES 256 /* own-track markers that may start an arrow */

/* A marker on an own track with the flow id it carries. */
struct ct__pf_pb_source {
        uint64_t uuid, ts, dur, fid;
};

struct ct__pf_pb {
        uint64_t next_uuid;
        struct ct__pf_map tracks;                  /* (pid, tid|hash, ns) -> (void *)uuid */
        uint64_t cache_pid, cache_tid, cache_uuid; /* last thread track */

        struct ct__pf_pb_istr *slots; /* owned: CT__PF_PB_SLOTS */
        char *arena;                  /* owned: CT__PF_PB_ARENA */
        uint32_t nused, max;
        size_t alen;
        uint64_t next_iid[3];
        uint32_t cat_iid; /* the category's iid, 0: not interned yet */
        int cleared;      /* the next packet says SEQ_INCREMENTAL_STATE_CLEARED */
        uint64_t resets;  /* interning-table resets */

        struct ct__pf_map own; /* (uuid, 0, 5) -> (void *)1: our own tracks */
        struct ct__pf_pb_source sources[CT__PF_PB_SOURCES];
        uint32_t nsource;  /* next slot of sources (a ring) */
        uint64_t next_fid; /* flow ids of own-track markers (high range) */
        int held;          /* a marker packet waits in hev/hin */
        uint64_t hts, huuid, hdur;
        int htype;
        size_t hevlen, hinlen;
        unsigned hflags;
        uint8_t hev[CT__PF_PB_EV];
        uint8_t hin[CT__PF_PB_IN];

        /* the packet being built (between an event start and ct__pf_pb_end) */
        int open;
        int type; /* TrackEvent type; 0: counter/flow built by hand */
        uint64_t ts, dur, uuid;
        size_t evlen, inlen;
        uint8_t ev[CT__PF_PB_EV];
        uint8_t in[CT__PF_PB_IN];
        char name[CT__PF_PB_NAME];
};

int ct__pf_pb_init(struct ct__pf_pb *pb, uint32_t intern_max);
void ct__pf_pb_free(struct ct__pf_pb *pb);

/* Write what is held (end of the file). */
void ct__pf_pb_flush(struct ct__pf *pf);

/* Metadata: process, thread, own track (under process pid). */
void ct__pf_pb_process(struct ct__pf *pf, uint32_t pid, const char *name);
void ct__pf_pb_thread(struct ct__pf *pf, uint32_t pid, uint32_t tid, const char *name,
                      int64_t sort);
void ct__pf_pb_track(struct ct__pf *pf, uint32_t pid, uint32_t tid, const char *name, int64_t sort);

/* Start an event on (pid, tid) named prefix+obj+suffix (each may be NULL):
 * a slice [ts, ts+dur] (a zero dur is an instant) or an instant (dur
 * ignored); the global track when global. Args follow, then ct__pf_pb_end. */
void ct__pf_pb_slice(struct ct__pf *pf, uint64_t ts, uint64_t dur, uint32_t pid, uint32_t tid,
                     const char *prefix, const char *obj, const char *suffix);
void ct__pf_pb_instant(struct ct__pf *pf, uint64_t ts, uint32_t pid, uint32_t tid,
                       const char *prefix, const char *obj, int global);
void ct__pf_pb_arg_i(struct ct__pf *pf, const char *key, int64_t v);
void ct__pf_pb_arg_u(struct ct__pf *pf, const char *key, uint64_t v);
void ct__pf_pb_arg_s(struct ct__pf *pf, const char *key, const char *v);
void ct__pf_pb_end(struct ct__pf *pf);

/* Counter "<name> <key>" of process pid = v. */
void ct__pf_pb_counter(struct ct__pf *pf, uint64_t ts, uint32_t pid, const char *name,
                       const char *key, int64_t v);

/* Flow id from (s_ts, s_pid, s_tid) to (f_ts, f_pid, f_tid). */
void ct__pf_pb_flow(struct ct__pf *pf, const char *name, uint64_t id, uint64_t s_ts, uint32_t s_pid,
                    uint32_t s_tid, uint64_t f_ts, uint32_t f_pid, uint32_t f_tid);

/* Valid UTF-8 of s appended at dst[at] (cap bytes in all, NUL kept): each
 * invalid byte becomes U+FFFD, a character that does not fit is dropped.
 * Returns the new length. */
size_t ct__pf_pb_utf8(char *dst, size_t cap, size_t at, const char *s);

#endif /* CT_PF_PB_H */
