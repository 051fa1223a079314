/* SPDX-License-Identifier: MIT */
/*
 * Structure-aware fuzz target: the input is read as a program that builds a
 * random ct_event sequence (random types, a small pool of pids, tids and
 * objects so that events meet, timestamps forward, equal, backwards and huge,
 * begins without ends and ends without begins, huge counts, hostile strings,
 * several traces in a row) and feeds it to every analysis and every output:
 * the report writers (text, json, csv) and the timeline writers.
 *
 * To fuzz a new output, add it to ct__fz_outputs[] below.
 *
 * Built twice: with libFuzzer (-fsanitize=fuzzer, ctest -L fuzz), and as a
 * plain program with fuzz_replay.c that replays the regression corpus (unit).
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ct_analyses.h"
#include "ct_dump.h"
#include "ct_perfetto.h"

/* ---- the outputs fed besides the analyses -------------------------------- */

static FILE *ct__fz_null; /* owned: /dev/null for the dump */

static int ct__fz_perfetto(struct ct_consumer *c)
{
        return ct_perfetto_create(NULL, "/dev/null", c);
}

static int ct__fz_perfetto_all_holds(struct ct_consumer *c)
{
        struct ct_perfetto_opts o;

        ct_perfetto_opts_init(&o);
        o.hold = CT_PERFETTO_HOLD_ALL;
        o.hold_min_ns = 0;
        return ct_perfetto_create(&o, "/dev/null", c);
}

/* The native format with a small interning table: resets happen too. */
static int ct__fz_perfetto_proto(struct ct_consumer *c)
{
        struct ct_perfetto_opts o;

        ct_perfetto_opts_init(&o);
        o.format = CT_PERFETTO_PROTO;
        o.intern_max = 64;
        return ct_perfetto_create(&o, "/dev/null", c);
}

static int ct__fz_dump(struct ct_consumer *c)
{
        return ct_dump_create(ct__fz_null, c);
}

static const struct {
        const char *name;
        int (*create)(struct ct_consumer *c);
} ct__fz_outputs[] = {
    {"timeline.json", ct__fz_perfetto},
    {"timeline.json (every hold)", ct__fz_perfetto_all_holds},
    {"timeline.pftrace", ct__fz_perfetto_proto},
    {"dump", ct__fz_dump},
};
#define CT__FZ_NOUT (sizeof(ct__fz_outputs) / sizeof(ct__fz_outputs[0]))

/* ---- reading the input ----------------------------------------------------- */

struct ct__fz_in {
        const uint8_t *p, *end;
};

static uint8_t ct__fz_u8(struct ct__fz_in *in)
{
        return in->p < in->end ? *in->p++ : 0;
}

static uint64_t ct__fz_u64(struct ct__fz_in *in, size_t nbytes)
{
        uint64_t v = 0;
        size_t i;

        for (i = 0; i < nbytes; i++) {
                v = (v << 8) | ct__fz_u8(in);
        }
        return v;
}

/* An integer, biased to values that meet edge cases. */
static int64_t ct__fz_int(struct ct__fz_in *in)
{
        static const int64_t special[] = {0,    1,         -1,        2,         3,  4,
                                          1000, INT64_MAX, INT64_MIN, INT32_MAX, -2, 64};
        uint8_t b = ct__fz_u8(in);

        if (b < 12) {
                return special[b];
        }
        if (b < 200) {
                return b - 12; /* small */
        }
        if (b < 240) {
                return (int64_t)ct__fz_u64(in, 2);
        }
        return (int64_t)ct__fz_u64(in, 8);
}

static const char *ct__fz_str(struct ct__fz_in *in)
{
        static char long_name[600];
        static const char *pool[] = {
            "",
            "worker-1",
            "consumer-2",
            "GIL",
            "GIL.cond",
            "serial",
            "threads",
            "processes",
            "workers=4 n=1000",
            "k=v k=v",
            "evil\033[2J\033]0;pwned\007",
            "=cmd|' /C calc'!A0",
            "a,b\"c\r\nd",
            "\xff\xfe\xc3",
            "w\xc3\xa9rker \xe2\x80\xae",
            long_name,
        };
        if (!long_name[0]) {
                memset(long_name, 'n', sizeof(long_name) - 1);
        }
        return pool[ct__fz_u8(in) % (sizeof(pool) / sizeof(pool[0]))];
}

/* ---- the sequence ------------------------------------------------------------ */

struct ct__fz {
        struct ct_consumer *cons[64]; /* weak */
        size_t ncons;
        uint32_t trace;
        uint64_t first_ts, last_ts, events;
};

static void ct__fz_trace_begin(struct ct__fz *f)
{
        size_t i;

        for (i = 0; i < f->ncons; i++) {
                if (f->cons[i]->on_trace_begin) {
                        f->cons[i]->on_trace_begin(f->cons[i]->self, f->trace, "fuzz");
                }
        }
        f->first_ts = f->last_ts = f->events = 0;
}

static void ct__fz_trace_end(struct ct__fz *f, uint64_t discarded)
{
        struct ct_trace_info info = {.trace = f->trace,
                                     .path = "fuzz",
                                     .events = f->events,
                                     .discarded = discarded,
                                     .discarded_msgs = discarded ? 1 : 0,
                                     .first_ts = f->first_ts,
                                     .last_ts = f->last_ts};
        size_t i;

        for (i = 0; i < f->ncons; i++) {
                if (f->cons[i]->on_trace_end) {
                        f->cons[i]->on_trace_end(f->cons[i]->self, &info);
                }
        }
}

static void ct__fz_feed(struct ct__fz *f, struct ct__fz_in *in)
{
        static const uint64_t objs[] = {0x1000,     0x2000,     0x3000, 0,
                                        UINT64_MAX, 0x1000 + 8, 12345,  0x4000};
        static const int64_t pids[] = {100, 101, 102, 1};
        uint64_t ts = 1000000000ull;
        int64_t ready[8];
        unsigned ops = 0;

        ct__fz_trace_begin(f);
        while (in->p < in->end && ops++ < 20000) {
                uint8_t op = ct__fz_u8(in);
                uint8_t who = ct__fz_u8(in);
                uint8_t when = ct__fz_u8(in);
                uint8_t what = ct__fz_u8(in);
                struct ct_event ev;
                size_t i;

                if (op == 0xff) { /* the next trace */
                        ct__fz_trace_end(f, (uint64_t)ct__fz_int(in));
                        f->trace++;
                        ct__fz_trace_begin(f);
                        continue;
                }
                memset(&ev, 0, sizeof(ev));
                ev.type = (enum ct_ev_type)(op % CT_EV__COUNT);
                ev.trace = f->trace;
                switch (when & 7) {
                case 0:
                case 1:
                case 2:
                        ts += when >> 3;
                        break;
                case 3:
                        ts += ct__fz_u64(in, 4);
                        break;
                case 4:
                        ts -= when >> 3; /* out of order */
                        break;
                case 5:
                        break; /* same timestamp */
                case 6:
                        ts = ct__fz_u64(in, 8); /* anywhere, 0 and UINT64_MAX included */
                        break;
                default:
                        ts += 1000000;
                }
                ev.ts = ts;
                ev.vpid = pids[who & 3];
                ev.vtid = (who >> 2 & 7) ? ev.vpid * 10 + (who >> 2 & 7) : ev.vpid;
                if (who & 0x80) {
                        ev.vtid = ct__fz_int(in); /* a thread of another process */
                }
                ev.procname = ct__fz_str(in);
                ev.ev_name = ct_event_type_name(ev.type);
                ev.obj = objs[what & 7];
                ev.lock = objs[what >> 3 & 7];
                ev.kind = (what & 0x40) ? ct__fz_int(in) : (what >> 3 & 7) % 6;
                ev.str = ct__fz_str(in);
                ev.variant = ct__fz_str(in);
                ev.params = ct__fz_str(in);
                ev.workers = ct__fz_int(in);
                ev.status = ct__fz_int(in);
                ev.target = (what & 0x80) ? ct__fz_int(in) : pids[what & 3];
                ev.fd = ct__fz_int(in);
                ev.rfd = ct__fz_int(in);
                ev.wfd = ct__fz_int(in);
                ev.len = (uint64_t)ct__fz_int(in);
                ev.ret = ct__fz_int(in);
                ev.err = ct__fz_int(in);
                ev.offset = (uint64_t)ct__fz_int(in);
                ev.nfds = ct__fz_int(in);
                ev.nread = ct__fz_int(in);
                ev.nwrite = ct__fz_int(in);
                ev.timeout_us = ct__fz_int(in);
                ev.ready_len = ct__fz_u8(in) % 9;
                for (i = 0; i < ev.ready_len; i++) {
                        ready[i] = ct__fz_int(in);
                }
                ev.ready = ev.ready_len ? ready : NULL;
                ev.contended = ct__fz_int(in);
                ev.timedout = ct__fz_int(in);
                ev.waiters = ct__fz_int(in);
                ev.count = (uint64_t)ct__fz_int(in);
                ev.task = (uint64_t)ct__fz_int(in);
                ev.worker = ct__fz_int(in);
                ev.depth = ct__fz_int(in);
                ev.units = (uint64_t)ct__fz_int(in);
                ev.ts_begin = ev.type == CT_EV_DISCARDED ? ts - (uint64_t)ct__fz_int(in) : 0;
                if (ev.type == CT_EV_DISCARDED) {
                        ev.vpid = ev.vtid = -1;
                }
                if (!f->events++) {
                        f->first_ts = ts;
                }
                f->last_ts = ts;
                for (i = 0; i < f->ncons; i++) {
                        if (f->cons[i]->on_event) {
                                f->cons[i]->on_event(f->cons[i]->self, &ev);
                        }
                }
        }
        ct__fz_trace_end(f, 0);
}

static char ct__fz_csv[64];

/* At exit: the scratch csv directory goes. */
static void ct__fz_cleanup(void)
{
        char cmd[128];

        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", ct__fz_csv);
        if (system(cmd) != 0) {
                fprintf(stderr, "cannot remove %s\n", ct__fz_csv);
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct ct__fz_in in = {data, data + size};
        struct ct_consumer outs[CT__FZ_NOUT];
        struct ct_analyses *a = NULL;
        struct ct__fz f;
        size_t i, nout = 0;

        if (!ct__fz_null) {
                ct__fz_null = fopen("/dev/null", "w");
                snprintf(ct__fz_csv, sizeof(ct__fz_csv), "/tmp/ct-fuzz-csv-%ld", (long)getpid());
                if (!ct__fz_null) {
                        abort();
                }
                atexit(ct__fz_cleanup);
        }
        memset(&f, 0, sizeof(f));
        if (ct_analyses_create(NULL, &a) != 0) {
                abort();
        }
        for (i = 0; i < ct_analyses_consumer_count(a) && f.ncons < 64; i++) {
                f.cons[f.ncons++] = ct_analyses_consumer(a, i);
        }
        for (i = 0; i < CT__FZ_NOUT; i++) {
                if (ct__fz_outputs[i].create(&outs[nout]) != 0) {
                        abort();
                }
                f.cons[f.ncons++] = &outs[nout++];
        }
        ct__fz_feed(&f, &in);
        /* The report writers: an error is allowed (it is reported), a crash is not. */
        (void)ct_analyses_write(a, CT_REPORT_TEXT, "/dev/null");
        (void)ct_analyses_write(a, CT_REPORT_JSON, "/dev/null");
        if (size % 4 == 0) { /* csv writes a directory of files: every 4th input */
                (void)ct_analyses_write(a, CT_REPORT_CSV, ct__fz_csv);
        }
        ct_analyses_destroy(a);
        for (i = 0; i < nout; i++) {
                if (outs[i].finish) {
                        (void)outs[i].finish(outs[i].self);
                }
                outs[i].destroy(outs[i].self);
        }
        return 0;
}
