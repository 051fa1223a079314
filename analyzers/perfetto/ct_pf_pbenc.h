/* SPDX-License-Identifier: MIT */
/*
 * Internal to ct_pf_pb*.c: the protobuf field numbers we write (Perfetto's,
 * see tests/perfetto/ct_pftrace.proto), the inline encoders, and what the
 * packet and track halves of the backend call in each other.
 */
#ifndef CT_PF_PBENC_H
#define CT_PF_PBENC_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ct_pf_map.h"

struct ct__pf;
struct ct__pf_pb;
struct ct__pf_pb_seq;

/* Field numbers (wire type in the tag) of the messages we write. */
enum {
        TRACE_PACKET = 1,             /* Trace.packet */
        PKT_CLOCK_SNAPSHOT = 6,       /* TracePacket.clock_snapshot */
        PKT_TIMESTAMP = 8,            /* TracePacket */
        PKT_SEQ_ID = 10,              /* trusted_packet_sequence_id */
        PKT_TRACK_EVENT = 11,         /* TrackEvent */
        PKT_INTERNED = 12,            /* InternedData */
        PKT_SEQ_FLAGS = 13,           /* sequence_flags */
        PKT_TS_CLOCK = 58,            /* timestamp_clock_id */
        PKT_DEFAULTS = 59,            /* trace_packet_defaults */
        PKT_TRACK_DESC = 60,          /* TrackDescriptor */
        DEF_TS_CLOCK = 58,            /* TracePacketDefaults.timestamp_clock_id */
        DEF_TRACK_EVENT = 11,         /* track_event_defaults */
        TED_TRACK_UUID = 11,          /* TrackEventDefaults.track_uuid */
        CS_CLOCKS = 1,                /* ClockSnapshot.clocks */
        CLK_ID = 1,                   /* ClockSnapshot.Clock */
        CLK_TIMESTAMP = 2,            /* timestamp */
        CLK_INCREMENTAL = 3,          /* is_incremental */
        CLOCK_BOOTTIME = 6,           /* BUILTIN_CLOCK_BOOTTIME */
        CLOCK_DELTA = 64,             /* our sequence-scoped incremental clock */
        CLOCK_DELTA2 = 65,            /* and one for packets earlier than its last */
        TE_ANNOTATIONS = 4,           /* debug_annotations */
        TE_LEGACY = 6,                /* legacy_event */
        TE_TYPE = 9,                  /* type */
        TE_EXTRA_CTR_VALUES = 12,     /* extra_counter_values */
        TE_EXTRA_CTR_UUIDS = 31,      /* extra_counter_track_uuids */
        TE_NAME_IID = 10,             /* name_iid */
        TE_TRACK_UUID = 11,           /* track_uuid */
        TE_NAME = 23,                 /* name */
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
        DA_STRING_IID = 17,           /* string_value_iid */
        IN_NAMES = 2,                 /* InternedData.event_names */
        IN_ANNOTATION_NAMES = 3,      /* debug_annotation_names */
        IN_STRING_VALUES = 29,        /* debug_annotation_string_values */
        IE_IID = 1,                   /* EventName/DebugAnnotationName/InternedString */
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
enum { IT_NAME = 0, IT_ANN = 1, IT_STR = 2, IT_KINDS = 3 }; /* interned string kinds */

#define SEQ_ID 1u /* the sequence of the TrackDescriptors; a track's is its uuid + 1 */

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

static inline uint8_t *ct__pb_fixed64(uint8_t *p, unsigned field, uint64_t v)
{
        int i;

        p = ct__pb_tag(p, field, WT_I64);
        for (i = 0; i < 8; i++)
                *p++ = (uint8_t)(v >> (8 * i));
        return p;
}

/* Write one TracePacket of metadata (sequence 1, no time): field `field`
 * with body (n bytes). */
void ct__pf_pb_meta(struct ct__pf *pf, unsigned field, const uint8_t *body, size_t n);

/* Sequences and interning (ct_pf_pb_seq.c): room in the interning table
 * for one packet's strings (a reset when full); the iid of s (n bytes) of
 * kind type on sequence sid (state q; lazy: 0 the first time, see there);
 * the state of sequence sid (its first packet written on first use), the
 * same for a packet that interns (a clear after a reset); one TracePacket
 * on sequence sid at ts (clear: SEQ_INCREMENTAL_STATE_CLEARED and the
 * defaults again) with interned data in and field `field` = body. */
void ct__pf_pb_intern_room(struct ct__pf_pb *pb);
uint64_t ct__pf_pb_intern(struct ct__pf_pb *pb, uint64_t sid, struct ct__pf_pb_seq *q, int type,
                          const char *s, size_t n, int lazy);
struct ct__pf_pb_seq *ct__pf_pb_seq(struct ct__pf *pf, uint64_t sid);
struct ct__pf_pb_seq *ct__pf_pb_slot(struct ct__pf *pf, uint64_t sid); /* not started */
struct ct__pf_pb_seq *ct__pf_pb_seq_in(struct ct__pf *pf, uint64_t sid);
void ct__pf_pb_write(struct ct__pf *pf, uint64_t sid, struct ct__pf_pb_seq *q, uint64_t ts,
                     int clear, const uint8_t *in, size_t inlen, unsigned field,
                     const uint8_t *body, size_t n);

/* FNV-1a of type, seq and s (never 0). */
uint64_t ct__pf_pb_hash(int type, uint64_t seq, const char *s, size_t n);

/* Tracks (ct_pf_pb_track.c): the uuid of key k (*created: new); of process
 * pid's track; of track (pid, tid), made if make or absent; a
 * TrackDescriptor packet; the global track; the track of an event (an
 * undescribed one becomes a thread); whether uuid is one of our own. */
uint64_t ct__pf_pb_uuid_of(struct ct__pf_pb *pb, struct ct__pf_key k, int *created);
uint64_t ct__pf_pb_proc_uuid(struct ct__pf *pf, uint32_t pid, int *created);
uint64_t ct__pf_pb_track_uuid(struct ct__pf *pf, uint32_t pid, uint32_t tid, int make,
                              int *created);
void ct__pf_pb_track_desc(struct ct__pf *pf, uint64_t uuid, uint64_t parent, const char *name,
                          int rank_set, int64_t rank, unsigned subf, const uint8_t *sub,
                          size_t subn);
uint64_t ct__pf_pb_global(struct ct__pf *pf);
uint64_t ct__pf_pb_event_track(struct ct__pf *pf, uint32_t pid, uint32_t tid);
int ct__pf_pb_is_own(struct ct__pf_pb *pb, uint64_t uuid);

#endif /* CT_PF_PBENC_H */
