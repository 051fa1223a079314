/* SPDX-License-Identifier: MIT */
/*
 * Unit test (no trace): the contract's field table and the dump consumer on
 * scripted events, with exact expected lines.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ct_check.h"
#include "ct_dump.h"
#include "ct_fields.h"

static void test_names(void)
{
        for (int t = CT_EV_UNKNOWN + 1; t < CT_EV_DISCARDED; t++) {
                const char *name = ct_event_type_name((enum ct_ev_type)t);
                size_t n;
                const struct ct_field_spec *f = ct_fields_of((enum ct_ev_type)t, &n);

                CHECK((int)ct_event_type_from_name(name) == t, "round trip of %s", name);
                CHECK(n >= 1 && n <= CT_FIELDS_MAX, "%s has %zu fields", name, n);
                for (size_t i = 0; i < n; i++) {
                        CHECK(f[i].offset + sizeof(uint64_t) <= sizeof(struct ct_event),
                              "%s.%s offset", name, f[i].name);
                        for (size_t j = 0; j < i; j++)
                                CHECK(strcmp(f[i].name, f[j].name) != 0, "%s: duplicate %s",
                                      name, f[i].name);
                }
        }
        CHECK(ct_event_type_from_name("ct_lock:nope") == CT_EV_UNKNOWN, "unknown name");
        CHECK(ct_event_type_from_name("lttng_ust_statedump:start") == CT_EV_UNKNOWN,
              "other provider");
}

static void test_dump(void)
{
        char *buf = NULL;
        size_t len = 0;
        FILE *out = open_memstream(&buf, &len);
        struct ct_consumer c;
        struct ct_event ev;
        static const int64_t ready[] = {3, 5};
        const char *expected =
            "1000 10 11 prog ct_lock:acquire lock=0xabc contended=1\n"
            "2000 10 10 prog ct_run:run_begin scenario=\"task1a\" variant=\"thr\\\"x\" "
            "workers=4 params=\"n=1 m=2\"\n"
            "3000 10 12 - ct_select:end nfds=6 nread=2 nwrite=0 timeout_us=-1 ret=2 err=0 "
            "ready=[3,5]\n"
            "4000 10 12 prog ct_pipe:read_end pipe=0x10 fd=3 len=64 ret=0 err=0 offset=128\n"
            "5000 10 12 prog other:event\n"
            "6000 -1 -1 - discarded count=7 begin=5500\n";

        CHECK(out != NULL, "open_memstream");
        CHECK(ct_dump_create(out, &c) == 0, "ct_dump_create");

        memset(&ev, 0, sizeof(ev));
        ev.type = CT_EV_LOCK_ACQUIRE;
        ev.ts = 1000;
        ev.vpid = 10;
        ev.vtid = 11;
        ev.procname = "prog";
        ev.ev_name = "ct_lock:acquire";
        ev.obj = 0xabc;
        ev.contended = 1;
        c.on_event(c.self, &ev);

        ev.type = CT_EV_RUN_BEGIN;
        ev.ts = 2000;
        ev.vtid = 10;
        ev.ev_name = "ct_run:run_begin";
        ev.str = "task1a";
        ev.variant = "thr\"x";
        ev.workers = 4;
        ev.params = "n=1 m=2";
        c.on_event(c.self, &ev);

        ev.type = CT_EV_SELECT_END;
        ev.ts = 3000;
        ev.vtid = 12;
        ev.procname = "";
        ev.ev_name = "ct_select:end";
        ev.nfds = 6;
        ev.nread = 2;
        ev.nwrite = 0;
        ev.timeout_us = -1;
        ev.ret = 2;
        ev.err = 0;
        ev.ready = ready;
        ev.ready_len = 2;
        c.on_event(c.self, &ev);

        ev.type = CT_EV_PIPE_READ_END;
        ev.ts = 4000;
        ev.procname = "prog";
        ev.ev_name = "ct_pipe:read_end";
        ev.obj = 0x10;
        ev.fd = 3;
        ev.len = 64;
        ev.ret = 0;
        ev.offset = 128;
        c.on_event(c.self, &ev);

        ev.type = CT_EV_UNKNOWN;
        ev.ts = 5000;
        ev.ev_name = "other:event";
        c.on_event(c.self, &ev);

        memset(&ev, 0, sizeof(ev));
        ev.type = CT_EV_DISCARDED;
        ev.ts = 6000;
        ev.ts_begin = 5500;
        ev.count = 7;
        ev.vpid = ev.vtid = -1;
        ev.procname = "";
        ev.ev_name = "discarded";
        c.on_event(c.self, &ev);

        CHECK(c.finish(c.self) == 0, "finish");
        c.destroy(c.self);
        fclose(out);
        CHECK(strcmp(buf, expected) == 0, "dump output:\n%s\nexpected:\n%s", buf, expected);
        free(buf);
}

int main(void)
{
        test_names();
        test_dump();
        if (failures) {
                fprintf(stderr, "%d failure(s)\n", failures);
                return 1;
        }
        puts("PASS");
        return 0;
}
