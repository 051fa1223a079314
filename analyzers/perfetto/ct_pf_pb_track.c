/* SPDX-License-Identifier: MIT */
/*
 * The track half of the protobuf backend (see ct_pf_pb.h): uuids and
 * TrackDescriptors of processes, threads, our own tracks and the global
 * track.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ct_pf.h"
#include "ct_pf_pb.h"
#include "ct_pf_pbenc.h"

uint64_t ct__pf_pb_uuid_of(struct ct__pf_pb *pb, struct ct__pf_key k, int *created)
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

uint64_t ct__pf_pb_proc_uuid(struct ct__pf *pf, uint32_t pid, int *created)
{
        struct ct__pf_key k = {pid, 0, 2};
        uint64_t u = ct__pf_pb_uuid_of(pf->pb, k, created);

        if (!u)
                ct__pf_fail(pf, -ENOMEM);
        return u;
}

/* A TrackDescriptor: uuid, parent (0: none), name (NULL: none), rank, and
 * a process/thread/counter sub-message (sub, subn bytes) as field subf. */
void ct__pf_pb_track_desc(struct ct__pf *pf, uint64_t uuid, uint64_t parent, const char *name,
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
        ct__pf_pb_meta(pf, PKT_TRACK_DESC, body, (size_t)(p - body));
}

void ct__pf_pb_process(struct ct__pf *pf, uint32_t pid, const char *name)
{
        uint8_t sub[CT__PF_PB_NAME + 32], *p = sub;
        char nm[CT__PF_PB_NAME];
        int created;
        uint64_t u = ct__pf_pb_proc_uuid(pf, pid, &created);
        size_t n = ct__pf_pb_utf8(nm, sizeof(nm), 0, name);

        if (!u)
                return;
        p = ct__pb_uint(p, PD_PID, pid);
        p = ct__pb_bytes(p, PD_NAME, nm, n);
        ct__pf_pb_track_desc(pf, u, 0, NULL, 0, 0, TD_PROCESS, sub, (size_t)(p - sub));
}

/* The uuid of (pid, tid): a thread or own track (0 if none yet). */
uint64_t ct__pf_pb_track_uuid(struct ct__pf *pf, uint32_t pid, uint32_t tid, int make, int *created)
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
        u = ct__pf_pb_uuid_of(pb, k, created);
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
        uint64_t u = ct__pf_pb_track_uuid(pf, pid, tid, 1, &created);
        size_t n = ct__pf_pb_utf8(nm, sizeof(nm), 0, name);

        if (!u)
                return;
        p = ct__pb_uint(p, THD_PID, pid);
        p = ct__pb_uint(p, THD_TID, tid);
        p = ct__pb_bytes(p, THD_NAME, nm, n);
        ct__pf_pb_track_desc(pf, u, 0, NULL, 1, sort, TD_THREAD, sub, (size_t)(p - sub));
}

void ct__pf_pb_track(struct ct__pf *pf, uint32_t pid, uint32_t tid, const char *name, int64_t sort)
{
        int created;
        uint64_t parent = ct__pf_pb_proc_uuid(pf, pid, &created);
        uint64_t u = ct__pf_pb_track_uuid(pf, pid, tid, 1, &created);

        if (!u || !parent)
                return;
        if (created)
                ct__pf_pb_slot(pf, u << 1)->own = 1;
        ct__pf_pb_track_desc(pf, u, parent, name, 1, sort, 0, NULL, 0);
}

/* The global track of discarded-event markers, described on first use. */
uint64_t ct__pf_pb_global(struct ct__pf *pf)
{
        struct ct__pf_key k = {0, 0, 4};

        if (!ct__pf_map_get(&pf->pb->tracks, k)) {
                if (ct__pf_map_put(&pf->pb->tracks, k, (void *)(uintptr_t)CT__PF_PB_GLOBAL_ID) <
                    0) {
                        ct__pf_fail(pf, -ENOMEM);
                        return 0;
                }
                ct__pf_pb_track_desc(pf, CT__PF_PB_GLOBAL_ID, 0, "discarded events", 0, 0, 0, NULL,
                                     0);
        }
        return CT__PF_PB_GLOBAL_ID;
}

/* The uuid of the track an event goes on; an undescribed one is made a
 * thread track first (every caller describes its tracks first). */
uint64_t ct__pf_pb_event_track(struct ct__pf *pf, uint32_t pid, uint32_t tid)
{
        int created;
        uint64_t u = ct__pf_pb_track_uuid(pf, pid, tid, 0, &created);

        if (created)
                ct__pf_pb_thread(pf, pid, tid, "thread", 0);
        return u;
}

int ct__pf_pb_is_own(struct ct__pf_pb *pb, uint64_t uuid)
{
        return uuid << 1 < pb->nseqs && pb->seqs[uuid << 1].own;
}
