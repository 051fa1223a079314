/* SPDX-License-Identifier: MIT */
/*
 * The protobuf backend of the record layer: Perfetto's native trace format
 * (a `Trace` of `TracePacket`s), hand-encoded into fixed buffers and written
 * through ct_pf_json's buffered output file.
 *
 *   sequences two packet sequences per track (trusted_packet_sequence_id
 *             2 * uuid for its events, 2 * uuid + 1 for its flow events,
 *             whose times come in another order) and sequence 1 for the
 *             TrackDescriptors. A track's sequence starts with a packet
 *             holding its ClockSnapshot and TracePacketDefaults
 *             (timestamp_clock_id = 64, a sequence-scoped incremental clock;
 *             track_event_defaults.track_uuid = the track), so its events
 *             carry neither a track uuid nor an absolute time: each
 *             timestamp is the delta from the previous packet's on that
 *             clock. A packet earlier than that (slices are written when they
 *             end) is a delta on a second incremental clock (65) when it is
 *             not earlier than the last one there, else says
 *             timestamp_clock_id = BOOTTIME and its absolute time.
 *             Every packet on a track's sequence says
 *             SEQ_NEEDS_INCREMENTAL_STATE (the defaults are incremental state).
 *   tracks    a TrackDescriptor per process (ProcessDescriptor), per thread
 *             (ThreadDescriptor), per own track (runs & phases, locks: a
 *             named track under its process), per counter (CounterDescriptor)
 *             and one global track for discarded-event markers; small uuids
 *             handed out in order.
 *   slices    TYPE_SLICE_BEGIN + TYPE_SLICE_END packets, written when the
 *             interval ends (the trace processor sorts packets by time); a
 *             zero-length slice is a TYPE_INSTANT. No category (the JSON
 *             has none).
 *   staging   the last TrackEvent waits in hev until the next record, so
 *             that counter values at its time (extra_counter_values) or the
 *             end of an arrow to it (own markers) can be added to it.
 *   counters  a value rides on an event at its time when there is one: the
 *             staged event, or a later one while the value is among the last
 *             CT__PF_PB_RING that wait; else it is a TYPE_COUNTER packet.
 *   flows     on thread tracks: legacy v1 flow events ('s' at the source,
 *             'f' bound to the enclosing slice at the destination), the same
 *             binding rules as the JSON's; no name (the trace processor keeps
 *             none). Our own tracks are not thread tracks, and the trace
 *             processor binds no v1 flow there: each slice or marker on them
 *             carries a fresh flow id (flow_ids, remembered for a while by
 *             track and time range) that a later arrow from it ends with
 *             terminating_flow_ids.
 *   interning event names (from their second use on a sequence: a name used
 *             once is written out), debug-annotation names and short string
 *             values get iids, per sequence; a new one goes in the
 *             InternedData of the packet that first uses it. The table is
 *             bounded: when full it is reset (a new epoch) and the next
 *             packet of each sequence that interns carries
 *             SEQ_INCREMENTAL_STATE_CLEARED and its TracePacketDefaults again.
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
#define CT__PF_PB_CTRS      8u     /* counters one packet carries (Perfetto's limit) */

struct ct__pf;

struct ct__pf_pb_istr {
        uint64_t hash; /* 0: empty slot */
        uint64_t seq;  /* track uuid of the sequence */
        uint32_t off;  /* in arena */
        uint32_t len;
        uint32_t iid;
        uint8_t type;
};

/* The state of a track's packet sequence. */
struct ct__pf_pb_seq {
        uint64_t last;        /* time of the last packet on the incremental clock */
        uint64_t last2;       /* on the second one */
        uint32_t epoch;       /* the interning epoch of its iids */
        uint32_t next_iid[3]; /* by interned string kind */
        uint8_t started;      /* its ClockSnapshot and defaults are written */
        uint8_t clear;        /* the next packet says SEQ_INCREMENTAL_STATE_CLEARED */
        uint8_t own;          /* (event sequence of) one of our own tracks */
};

/* A counter value waiting for an event at its time to carry it. */
struct ct__pf_pb_ctr {
        uint64_t ts, uuid; /* uuid 0: taken by an event */
        int64_t v;
};

#define CT__PF_PB_RING     64u /* counter values that wait */
#define CT__PF_PB_RTS_BITS 12  /* their count by time hash: most times have none */

#define CT__PF_PB_CNAME  64 /* longest counter name/key that is cached */
#define CT__PF_PB_CNAMES 64 /* counters cached */

/* A counter's uuid by the strings it was recorded with. */
struct ct__pf_pb_cname {
        uint64_t uuid; /* 0: empty */
        uint32_t pid;
        char name[CT__PF_PB_CNAME], key[CT__PF_PB_CNAME];
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
        uint32_t epoch;  /* interning epoch: resets so far */
        uint64_t resets; /* interning-table resets */

        struct ct__pf_pb_seq *seqs; /* owned: by sequence id */
        size_t nseqs;
        struct ct__pf_pb_seq spare; /* used when seqs cannot grow (the output fails) */

        struct ct__pf_pb_source sources[CT__PF_PB_SOURCES];
        uint32_t nsource;  /* next slot of sources (a ring) */
        uint64_t next_fid; /* flow ids of own-track markers (high range) */
        struct ct__pf_pb_cname cnames[CT__PF_PB_CNAMES];

        /* counter values not written yet, oldest first (a ring) */
        struct ct__pf_pb_ctr ring[CT__PF_PB_RING];
        uint32_t rhead, rlen;
        uint8_t rts[1u << CT__PF_PB_RTS_BITS]; /* waiting values by a hash of their time */

        /* the staged packet: the last TrackEvent, held until the next record
         * so that counters at its time (extra_counter_values) or the end of
         * an arrow (terminating_flow_ids, own markers) can be added to it */
        int held;
        uint64_t hts, hsid, hdur;
        int htype;  /* its TrackEvent type */
        int hown;   /* an own-track marker (its flow id is in sources) */
        int hend;   /* a TYPE_SLICE_END at hts + hdur follows it */
        int hclear; /* it says SEQ_INCREMENTAL_STATE_CLEARED */
        size_t hevlen, hinlen;
        uint32_t hnctr; /* counter values it carries (extra_counter_values) */
        uint64_t hctr[CT__PF_PB_CTRS];
        int64_t hval[CT__PF_PB_CTRS];
        uint8_t hev[CT__PF_PB_EV];
        uint8_t hin[CT__PF_PB_IN];

        /* the packet being built (between an event start and ct__pf_pb_end) */
        int open;
        int type; /* TrackEvent type; 0: counter/flow built by hand */
        uint64_t ts, dur, uuid, sid;
        struct ct__pf_pb_seq *seq; /* of sid */
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
