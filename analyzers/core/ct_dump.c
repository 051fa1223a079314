/* SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L
#include "ct_dump.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ct_esc.h"
#include "ct_fields.h"

struct ct__dump {
        FILE *out; /* weak */
};

static void ct__dump_str(FILE *out, const char *s)
{
        /* ct_esc escapes backslashes and controls; a quote is escaped here. */
        putc('"', out);
        for (const char *q; (q = strchr(s, '"')); s = q + 1) {
                char *part = strndup(s, (size_t)(q - s));

                if (part)
                        ct_esc_fputs(part, out);
                free(part);
                fputs("\\\"", out);
        }
        ct_esc_fputs(s, out);
        putc('"', out);
}

static void ct__dump_event(void *self, const struct ct_event *ev)
{
        struct ct__dump *d = self;
        FILE *out = d->out;
        const char *base = (const char *)ev;
        const struct ct_field_spec *spec;
        size_t n;

        if (ev->type == CT_EV_DISCARDED) {
                fprintf(out, "%" PRIu64 " -1 -1 - discarded count=%" PRIu64 " begin=%" PRIu64 "\n",
                        ev->ts, ev->count, ev->ts_begin);
                return;
        }
        fprintf(out, "%" PRIu64 " %" PRId64 " %" PRId64 " ", ev->ts, ev->vpid, ev->vtid);
        ct_esc_fputs(ev->procname[0] ? ev->procname : "-", out);
        putc(' ', out);
        ct_esc_fputs(ev->ev_name, out);
        spec = ct_fields_of(ev->type, &n);
        for (size_t i = 0; i < n; i++) {
                const void *p = base + spec[i].offset;
                uint64_t u;
                int64_t s;
                const char *str;

                fprintf(out, " %s=", spec[i].name);
                switch (spec[i].kind) {
                case CT_FIELD_HEX:
                        memcpy(&u, p, sizeof(u));
                        fprintf(out, "0x%" PRIx64, u);
                        break;
                case CT_FIELD_INT:
                        memcpy(&s, p, sizeof(s));
                        fprintf(out, "%" PRId64, s);
                        break;
                case CT_FIELD_STR:
                        memcpy(&str, p, sizeof(str));
                        ct__dump_str(out, str ? str : "");
                        break;
                case CT_FIELD_SEQ:
                        putc('[', out);
                        for (uint32_t k = 0; k < ev->ready_len; k++)
                                fprintf(out, k ? ",%" PRId64 : "%" PRId64, ev->ready[k]);
                        putc(']', out);
                        break;
                default:
                        abort();
                }
        }
        putc('\n', out);
}

static int ct__dump_finish(void *self)
{
        struct ct__dump *d = self;

        if (fflush(d->out) != 0 || ferror(d->out))
                return -EIO;
        return 0;
}

static void ct__dump_destroy(void *self)
{
        free(self);
}

int ct_dump_create(FILE *out, struct ct_consumer *consumer)
{
        struct ct__dump *d = calloc(1, sizeof(*d));

        if (!d)
                return -ENOMEM;
        d->out = out;
        memset(consumer, 0, sizeof(*consumer));
        consumer->name = "dump";
        consumer->self = d;
        consumer->on_event = ct__dump_event;
        consumer->finish = ct__dump_finish;
        consumer->destroy = ct__dump_destroy;
        return 0;
}
