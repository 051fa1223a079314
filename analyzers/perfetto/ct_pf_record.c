/* SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L
#include "ct_pf_record.h"

#include <stdio.h>
#include <string.h>

#include "ct_pf.h"
#include "ct_pf_pb.h"

static void ct__pf_rec_begin(struct ct__pf *pf, const char *ph, uint64_t ts, uint32_t pid,
                             uint32_t tid)
{
        struct ct__pf_json *j = &pf->json;
        size_t phn = strlen(ph);
        char *p;

        if (phn > 16) { /* not a phase of the format: no fast path */
                ct__pf_json_item(j);
                ct__pf_json_str(j, "\n{\"ph\":\"");
                ct__pf_json_str(j, ph);
                p = ct__pf_json_room(j, 80);
        } else {
                p = ct__pf_json_room(j, 96);
                if (j->items++)
                        *p++ = ',';
                p = CT__PF_PUT_LIT(p, "\n{\"ph\":\"");
                while (*ph)
                        *p++ = *ph++;
        }
        /* 7 + 24 + 8 + 10 + 8 + 10 bytes at most; the pid/tid part is the
         * one of the previous record most of the time: copied, not formatted */
        p = CT__PF_PUT_LIT(p, "\",\"ts\":");
        p = ct__pf_put_us(p, ts);
        if (!pf->pt_len || pf->pt_pid != pid || pf->pt_tid != tid) {
                char *q = pf->pt;

                q = CT__PF_PUT_LIT(q, ",\"pid\":");
                q = ct__pf_put_u64(q, pid);
                q = CT__PF_PUT_LIT(q, ",\"tid\":");
                q = ct__pf_put_u64(q, tid);
                pf->pt_len = (uint8_t)(q - pf->pt);
                pf->pt_pid = pid;
                pf->pt_tid = tid;
        }
        memcpy(p, pf->pt, sizeof(pf->pt));
        ct__pf_json_done(j, p + pf->pt_len);
}

static void ct__pf_rec_name(struct ct__pf *pf, const char *prefix, const char *obj)
{
        ct__pf_json_str(&pf->json, ",\"name\":\"");
        ct__pf_json_esc(&pf->json, prefix);
        if (obj)
                ct__pf_json_esc(&pf->json, obj);
        ct__pf_json_chr(&pf->json, '"');
}

/* ,"args":{"key": or ,"key": */
static void ct__pf_rec_key(struct ct__pf *pf, int *first, const char *key)
{
        ct__pf_json_str(&pf->json, *first ? ",\"args\":{\"" : ",\"");
        *first = 0;
        ct__pf_json_str(&pf->json, key);
        ct__pf_json_str(&pf->json, "\":");
}

/* The key and room for a number after it in one step, or NULL for a key too
 * long for that (then the key is written and the caller appends as usual). */
static char *ct__pf_rec_key_num(struct ct__pf *pf, int *first, const char *key)
{
        size_t kn = strlen(key);
        char *p;

        if (kn > 256) {
                ct__pf_rec_key(pf, first, key);
                return NULL;
        }
        p = ct__pf_json_room(&pf->json, kn + 12 + 21);
        if (*first)
                p = CT__PF_PUT_LIT(p, ",\"args\":{\"");
        else
                p = CT__PF_PUT_LIT(p, ",\"");
        *first = 0;
        while (*key)
                *p++ = *key++;
        return CT__PF_PUT_LIT(p, "\":");
}

void ct__pf_rec_arg_i(struct ct__pf *pf, int *first, const char *key, int64_t v)
{
        char *p;

        if (pf->pb) {
                *first = 0;
                ct__pf_pb_arg_i(pf, key, v);
                return;
        }
        p = ct__pf_rec_key_num(pf, first, key);

        if (!p) {
                ct__pf_json_i64(&pf->json, v);
                return;
        }
        if (v < 0) {
                *p++ = '-';
                p = ct__pf_put_u64(p, (uint64_t)0 - (uint64_t)v);
        } else {
                p = ct__pf_put_u64(p, (uint64_t)v);
        }
        ct__pf_json_done(&pf->json, p);
}

void ct__pf_rec_arg_u(struct ct__pf *pf, int *first, const char *key, uint64_t v)
{
        char *p;

        if (pf->pb) {
                *first = 0;
                ct__pf_pb_arg_u(pf, key, v);
                return;
        }
        p = ct__pf_rec_key_num(pf, first, key);

        if (!p) {
                ct__pf_json_u64(&pf->json, v);
                return;
        }
        ct__pf_json_done(&pf->json, ct__pf_put_u64(p, v));
}

void ct__pf_rec_arg_s(struct ct__pf *pf, int *first, const char *key, const char *v)
{
        if (pf->pb) {
                *first = 0;
                ct__pf_pb_arg_s(pf, key, v);
                return;
        }
        ct__pf_rec_key(pf, first, key);
        ct__pf_json_qstr(&pf->json, v);
}

void ct__pf_rec_end(struct ct__pf *pf, int first)
{
        if (pf->pb) {
                ct__pf_pb_end(pf);
                return;
        }
        ct__pf_json_str(&pf->json, first ? "}" : "}}");
}

static void ct__pf_rec_meta(struct ct__pf *pf, const char *what, uint32_t pid, uint32_t tid,
                            int tid_set, const char *name, int64_t sort)
{
        struct ct__pf_json *j = &pf->json;

        ct__pf_json_item(j);
        ct__pf_json_str(j, "\n{\"ph\":\"M\",\"pid\":");
        ct__pf_json_u64(j, pid);
        if (tid_set) {
                ct__pf_json_str(j, ",\"tid\":");
                ct__pf_json_u64(j, tid);
        }
        ct__pf_json_str(j, ",\"name\":\"");
        ct__pf_json_str(j, what);
        if (name) {
                ct__pf_json_str(j, "\",\"args\":{\"name\":");
                ct__pf_json_qstr(j, name);
        } else {
                ct__pf_json_str(j, "\",\"args\":{\"sort_index\":");
                ct__pf_json_i64(j, sort);
        }
        ct__pf_json_str(j, "}}");
}

void ct__pf_rec_process(struct ct__pf *pf, uint32_t pid, const char *name)
{
        if (pf->pb)
                ct__pf_pb_process(pf, pid, name);
        else
                ct__pf_rec_meta(pf, "process_name", pid, 0, 0, name, 0);
}

void ct__pf_rec_process_sort(struct ct__pf *pf, uint32_t pid, int64_t sort)
{
        if (!pf->pb) /* the native format orders processes itself */
                ct__pf_rec_meta(pf, "process_sort_index", pid, 0, 0, NULL, sort);
}

void ct__pf_rec_track_meta(struct ct__pf *pf, uint32_t pid, uint32_t tid, const char *name,
                           int64_t sort)
{
        if (pf->pb) {
                ct__pf_pb_track(pf, pid, tid, name, sort);
                return;
        }
        ct__pf_rec_meta(pf, "thread_name", pid, tid, 1, name, 0);
        ct__pf_rec_meta(pf, "thread_sort_index", pid, tid, 1, NULL, sort);
}

void ct__pf_rec_thread_meta(struct ct__pf *pf, uint32_t pid, uint32_t tid, const char *name,
                            int64_t sort)
{
        if (pf->pb) {
                ct__pf_pb_thread(pf, pid, tid, name, sort);
                return;
        }
        ct__pf_rec_meta(pf, "thread_name", pid, tid, 1, name, 0);
        ct__pf_rec_meta(pf, "thread_sort_index", pid, tid, 1, NULL, sort);
}

void ct__pf_rec_counter(struct ct__pf *pf, uint64_t ts, uint32_t pid, uint32_t tid,
                        const char *name, const char *key, int64_t v)
{
        int first = 1;

        if (!pf->opts.counters)
                return;
        if (pf->pb) {
                ct__pf_pb_counter(pf, ts, pid, name, key, v);
                return;
        }
        ct__pf_rec_begin(pf, "C", ts, pid, tid);
        ct__pf_rec_name(pf, name, NULL);
        ct__pf_rec_arg_i(pf, &first, key, v);
        ct__pf_rec_end(pf, first);
}

void ct__pf_rec_instant(struct ct__pf *pf, uint64_t ts, uint32_t pid, uint32_t tid,
                        const char *prefix, const char *obj)
{
        if (pf->pb) {
                ct__pf_pb_instant(pf, ts, pid, tid, prefix, obj, 0);
                return;
        }
        ct__pf_rec_begin(pf, "i", ts, pid, tid);
        ct__pf_json_str(&pf->json, ",\"s\":\"t\"");
        ct__pf_rec_name(pf, prefix, obj);
}

void ct__pf_rec_global_instant(struct ct__pf *pf, uint64_t ts, const char *name)
{
        if (pf->pb) {
                ct__pf_pb_instant(pf, ts, 0, 0, name, NULL, 1);
                return;
        }
        ct__pf_rec_begin(pf, "i", ts, 0, 0);
        ct__pf_json_str(&pf->json, ",\"s\":\"g\"");
        ct__pf_rec_name(pf, name, NULL);
}

void ct__pf_rec_slice(struct ct__pf *pf, uint64_t ts, uint64_t dur, uint32_t pid, uint32_t tid,
                      const char *prefix, const char *obj, const char *suffix)
{
        if (pf->pb) {
                ct__pf_pb_slice(pf, ts, dur, pid, tid, prefix, obj, suffix);
                return;
        }
        ct__pf_rec_begin(pf, "X", ts, pid, tid);
        ct__pf_json_str(&pf->json, ",\"dur\":");
        ct__pf_json_us(&pf->json, dur);
        ct__pf_json_str(&pf->json, ",\"name\":\"");
        ct__pf_json_esc(&pf->json, prefix);
        if (obj)
                ct__pf_json_esc(&pf->json, obj);
        if (suffix)
                ct__pf_json_str(&pf->json, suffix);
        ct__pf_json_chr(&pf->json, '"');
}

void ct__pf_rec_marker(struct ct__pf *pf, uint64_t ts, uint32_t pid, uint32_t tid,
                       const char *prefix, const char *obj, const char *key, int64_t v)
{
        int first = 1;

        if (pf->pb) {
                ct__pf_pb_slice(pf, ts, 0, pid, tid, prefix, obj, NULL);
                if (key)
                        ct__pf_pb_arg_i(pf, key, v);
                ct__pf_pb_end(pf);
                return;
        }
        ct__pf_rec_begin(pf, "X", ts, pid, tid);
        ct__pf_json_str(&pf->json, ",\"dur\":0.000");
        ct__pf_rec_name(pf, prefix, obj);
        if (key)
                ct__pf_rec_arg_i(pf, &first, key, v);
        ct__pf_rec_end(pf, first);
}

/* One end of a flow: ph "s" or "f", with extra (e.g. ,"bp":"e") after tid. */
static void ct__pf_rec_flow_end(struct ct__pf *pf, const char *ph, const char *extra,
                                const char *name, uint64_t id, uint64_t ts, uint32_t pid,
                                uint32_t tid)
{
        ct__pf_rec_begin(pf, ph, ts, pid, tid);
        ct__pf_json_str(&pf->json, extra);
        ct__pf_rec_name(pf, name, NULL);
        ct__pf_json_str(&pf->json, ",\"id\":");
        ct__pf_json_u64(&pf->json, id);
        ct__pf_json_chr(&pf->json, '}');
}

void ct__pf_rec_flow(struct ct__pf *pf, const char *name, uint64_t s_ts, uint32_t s_pid,
                     uint32_t s_tid, uint64_t f_ts, uint32_t f_pid, uint32_t f_tid)
{
        uint64_t id = pf->next_flow++;

        if (pf->pb) {
                ct__pf_pb_flow(pf, name, id, s_ts, s_pid, s_tid, f_ts, f_pid, f_tid);
                return;
        }
        ct__pf_rec_flow_end(pf, "s", "", name, id, s_ts, s_pid, s_tid);
        ct__pf_rec_flow_end(pf, "f", ",\"bp\":\"e\"", name, id, f_ts, f_pid, f_tid);
}

void ct__pf_rec_fds(const struct ct_event *ev, char *buf, size_t n)
{
        size_t off = 0;
        uint32_t i;

        buf[0] = 0;
        /* off + 24 < n: room for a space, 20 characters and the NUL */
        for (i = 0; ev->ready && i < ev->ready_len && off + 24 < n; i++) {
                char *p = buf + off;

                if (i)
                        *p++ = ' ';
                p = ct__pf_put_i64(p, ev->ready[i]);
                *p = 0;
                off = (size_t)(p - buf);
        }
}
