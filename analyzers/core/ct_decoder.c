/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "ct_decoder.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ct_fields.h"

/* How the decoder reads one field: its kind, signedness and presence, resolved. */
enum ct__field_op {
        CT__OP_UINT,       /* unsigned integer -> uint64_t member */
        CT__OP_SINT,       /* signed integer -> uint64_t member (two's complement) */
        CT__OP_STR,        /* string -> const char * member */
        CT__OP_SEQ,        /* integer sequence -> ready / ready_len */
        CT__OP_ABSENT_INT, /* a field this trace's provider version lacks: neutral values */
        CT__OP_ABSENT_STR,
        CT__OP_ABSENT_SEQ,
};

/* One payload field of an event class, resolved. */
struct ct__field_slot {
        int32_t index;     /* member index in the payload structure, -1 if absent */
        uint16_t offset;   /* in struct ct_event */
        uint8_t kind;      /* enum ct_field_kind */
        uint8_t is_signed; /* integer (or sequence element) is signed */
        uint8_t op;        /* enum ct__field_op, from the above */
};

/* What we know about one event class. */
struct ct__class_entry {
        const bt_event_class *cls; /* weak: the key; NULL = empty slot */
        char *name;                /* owned: a copy of the class's name, so events
                                    * keep it after their graph is gone */
        enum ct_ev_type type;
        int32_t vpid_index; /* in the common context structure, -1 if absent */
        int32_t vtid_index;
        int32_t procname_index;
        uint8_t vpid_signed;
        uint8_t vtid_signed;
        uint8_t has_clock; /* the stream class has a default clock */
        uint8_t nfields;
        uint8_t foreign; /* ct_fields_foreign: ignored unless its status (err) is 0 */
        uint64_t slots;  /* the members of struct ct_event a decode writes */
        struct ct__field_slot fields[CT_FIELDS_MAX];
};

struct ct_decoder {
        struct ct__class_entry *table; /* owned: open addressing, power-of-two size */
        size_t cap;
        size_t used;
        struct ct__class_entry *last; /* weak: the last entry looked up */
        int64_t *ready;               /* owned: select end's ready fds */
        uint32_t ready_cap;
};

int ct_decoder_create(struct ct_decoder **out)
{
        struct ct_decoder *dec = calloc(1, sizeof(*dec));

        if (!dec)
                goto error;
        dec->cap = 64;
        dec->table = calloc(dec->cap, sizeof(*dec->table));
        if (!dec->table)
                goto error;
        *out = dec;
        return 0;
error:
        ct_decoder_destroy(dec);
        return -ENOMEM;
}

static void ct__free_names(struct ct_decoder *dec)
{
        for (size_t i = 0; i < dec->cap; i++)
                free(dec->table[i].name);
}

void ct_decoder_destroy(struct ct_decoder *dec)
{
        if (!dec)
                return;
        if (dec->table)
                ct__free_names(dec);
        free(dec->table);
        free(dec->ready);
        free(dec);
}

void ct_decoder_reset(struct ct_decoder *dec)
{
        ct__free_names(dec);
        memset(dec->table, 0, dec->cap * sizeof(*dec->table));
        dec->used = 0;
        dec->last = NULL;
}

static size_t ct__hash(const void *p, size_t cap)
{
        uint64_t h = (uint64_t)(uintptr_t)p;

        h ^= h >> 33;
        h *= UINT64_C(0xff51afd7ed558ccd);
        h ^= h >> 33;
        return (size_t)h & (cap - 1);
}

static struct ct__class_entry *ct__slot(struct ct__class_entry *table, size_t cap,
                                        const bt_event_class *cls)
{
        size_t i = ct__hash(cls, cap);

        while (table[i].cls && table[i].cls != cls)
                i = (i + 1) & (cap - 1);
        return &table[i];
}

static int ct__grow(struct ct_decoder *dec)
{
        size_t cap = dec->cap * 2;
        struct ct__class_entry *table = calloc(cap, sizeof(*table));

        if (!table)
                return -ENOMEM;
        for (size_t i = 0; i < dec->cap; i++) {
                if (dec->table[i].cls)
                        *ct__slot(table, cap, dec->table[i].cls) = dec->table[i];
        }
        free(dec->table);
        dec->table = table;
        dec->cap = cap;
        dec->last = NULL;
        return 0;
}

/* Index of member `name` in structure field class `st` (or "_name"), -1 if absent. */
static int32_t ct__member_index(const bt_field_class *st, const char *name,
                                const bt_field_class **member_fc)
{
        uint64_t n;

        if (!st || bt_field_class_get_type(st) != BT_FIELD_CLASS_TYPE_STRUCTURE)
                return -1;
        n = bt_field_class_structure_get_member_count(st);
        for (uint64_t i = 0; i < n; i++) {
                const bt_field_class_structure_member *m =
                    bt_field_class_structure_borrow_member_by_index_const(st, i);
                const char *mname = bt_field_class_structure_member_get_name(m);

                if (mname[0] == '_')
                        mname++;
                if (strcmp(mname, name) == 0) {
                        *member_fc = bt_field_class_structure_member_borrow_field_class_const(m);
                        return (int32_t)i;
                }
        }
        return -1;
}

static bool ct__is_int(const bt_field_class *fc)
{
        return bt_field_class_type_is(bt_field_class_get_type(fc), BT_FIELD_CLASS_TYPE_INTEGER);
}

static bool ct__is_signed(const bt_field_class *fc)
{
        return bt_field_class_type_is(bt_field_class_get_type(fc),
                                      BT_FIELD_CLASS_TYPE_SIGNED_INTEGER);
}

/* 0 or -ENOMEM (e is left empty). */
static int ct__fill_entry(struct ct__class_entry *e, const bt_event_class *cls)
{
        const bt_stream_class *sc = bt_event_class_borrow_stream_class_const(cls);
        const bt_field_class *ctx =
            bt_stream_class_borrow_event_common_context_field_class_const(sc);
        const bt_field_class *payload = bt_event_class_borrow_payload_field_class_const(cls);
        const bt_field_class *fc = NULL;
        const struct ct_field_spec *spec;
        const char *name = bt_event_class_get_name(cls);
        size_t nspec;

        memset(e, 0, sizeof(*e));
        e->name = strdup(name ? name : "");
        if (!e->name)
                return -ENOMEM;
        e->cls = cls;
        e->type = ct_event_type_from_name(e->name);
        e->has_clock = bt_stream_class_borrow_default_clock_class_const(sc) != NULL;

        e->vpid_index = ct__member_index(ctx, "vpid", &fc);
        if (e->vpid_index >= 0 && !ct__is_int(fc))
                e->vpid_index = -1;
        e->vpid_signed = e->vpid_index >= 0 && ct__is_signed(fc);
        e->vtid_index = ct__member_index(ctx, "vtid", &fc);
        if (e->vtid_index >= 0 && !ct__is_int(fc))
                e->vtid_index = -1;
        e->vtid_signed = e->vtid_index >= 0 && ct__is_signed(fc);
        e->procname_index = ct__member_index(ctx, "procname", &fc);
        if (e->procname_index >= 0 && bt_field_class_get_type(fc) != BT_FIELD_CLASS_TYPE_STRING)
                e->procname_index = -1;

        spec = ct_fields_of(e->type, &nspec);
        if (e->type == CT_EV_UNKNOWN) {
                enum ct_ev_type ft;
                const struct ct_field_spec *fs = ct_fields_foreign(e->name, &ft, &nspec);

                if (fs) {
                        e->type = ft;
                        e->foreign = 1;
                        spec = fs;
                } else {
                        nspec = 0;
                }
        }
        e->nfields = (uint8_t)nspec;
        for (size_t i = 0; i < nspec; i++) {
                struct ct__field_slot *s = &e->fields[i];
                bool ok = false;

                s->offset = spec[i].offset;
                s->kind = spec[i].kind;
                s->index = ct__member_index(payload, spec[i].name, &fc);
                if (s->index < 0)
                        continue;
                switch (spec[i].kind) {
                case CT_FIELD_INT:
                case CT_FIELD_HEX:
                        ok = ct__is_int(fc);
                        s->is_signed = ok && ct__is_signed(fc);
                        break;
                case CT_FIELD_STR:
                        ok = bt_field_class_get_type(fc) == BT_FIELD_CLASS_TYPE_STRING;
                        break;
                case CT_FIELD_SEQ:
                        if (bt_field_class_type_is(bt_field_class_get_type(fc),
                                                   BT_FIELD_CLASS_TYPE_ARRAY)) {
                                const bt_field_class *elem =
                                    bt_field_class_array_borrow_element_field_class_const(fc);
                                ok = ct__is_int(elem);
                                s->is_signed = ok && ct__is_signed(elem);
                        }
                        break;
                default:
                        break;
                }
                if (!ok)
                        s->index = -1; /* a type we do not expect: treat as absent */
        }
        e->slots = CT_EVENT_HEAD_SLOTS;
        if (e->foreign)
                e->slots |= CT_EVENT_SLOT(contended);
        for (size_t i = 0; i < nspec; i++) {
                struct ct__field_slot *s = &e->fields[i];

                e->slots |= CT_EVENT_SLOT_AT(s->offset);
                if (s->kind == CT_FIELD_SEQ)
                        e->slots |= CT_EVENT_SLOT(ready) | CT_EVENT_SLOT(ready_len);
                if (s->kind == CT_FIELD_STR)
                        s->op = s->index < 0 ? CT__OP_ABSENT_STR : CT__OP_STR;
                else if (s->kind == CT_FIELD_SEQ)
                        s->op = s->index < 0 ? CT__OP_ABSENT_SEQ : CT__OP_SEQ;
                else if (s->index < 0)
                        s->op = CT__OP_ABSENT_INT;
                else
                        s->op = s->is_signed ? CT__OP_SINT : CT__OP_UINT;
        }
        return 0;
}

static struct ct__class_entry *ct__lookup(struct ct_decoder *dec, const bt_event_class *cls)
{
        struct ct__class_entry *e;

        if (dec->last && dec->last->cls == cls)
                return dec->last;
        e = ct__slot(dec->table, dec->cap, cls);
        if (!e->cls) {
                if ((dec->used + 1) * 2 > dec->cap) {
                        if (ct__grow(dec))
                                return NULL;
                        e = ct__slot(dec->table, dec->cap, cls);
                }
                if (ct__fill_entry(e, cls))
                        return NULL;
                dec->used++;
        }
        dec->last = e;
        return e;
}

static inline uint64_t ct__int_value(const bt_field *f, bool is_signed)
{
        if (is_signed)
                return (uint64_t)bt_field_integer_signed_get_value(f);
        return bt_field_integer_unsigned_get_value(f);
}

static int ct__decode_ready(struct ct_decoder *dec, const bt_field *f, bool is_signed,
                            struct ct_event *ev)
{
        uint64_t n = bt_field_array_get_length(f);

        if (n > UINT32_MAX)
                n = UINT32_MAX;
        if (n > dec->ready_cap) {
                uint32_t cap = dec->ready_cap ? dec->ready_cap : 16;
                int64_t *r;

                while (cap < n)
                        cap = cap > UINT32_MAX / 2 ? (uint32_t)n : cap * 2;
                r = realloc(dec->ready, cap * sizeof(*r));
                if (!r)
                        return -ENOMEM;
                dec->ready = r;
                dec->ready_cap = cap;
        }
        for (uint64_t i = 0; i < n; i++)
                dec->ready[i] = (int64_t)ct__int_value(
                    bt_field_array_borrow_element_field_by_index_const(f, i), is_signed);
        ev->ready = dec->ready;
        ev->ready_len = (uint32_t)n;
        return 0;
}

int ct_decoder_decode_event(struct ct_decoder *dec, const bt_message *msg, struct ct_event *ev,
                            uint64_t *slots)
{
        const bt_event *event = bt_message_event_borrow_event_const(msg);
        const bt_event_class *cls = bt_event_borrow_class_const(event);
        struct ct__class_entry *e = ct__lookup(dec, cls);
        const bt_field *ctx;
        const bt_field *payload;
        char *base = (char *)ev;

        if (!e)
                return -ENOMEM;
        if (slots)
                *slots = e->slots;
        ev->type = e->type;
        ev->ev_name = e->name;
        ev->ts = 0;
        if (e->has_clock) {
                int64_t ns = 0;

                if (bt_clock_snapshot_get_ns_from_origin(
                        bt_message_event_borrow_default_clock_snapshot_const(msg), &ns) ==
                    BT_CLOCK_SNAPSHOT_GET_NS_FROM_ORIGIN_STATUS_OK)
                        ev->ts = (uint64_t)ns;
        }

        ctx = bt_event_borrow_common_context_field_const(event);
        if (e->vpid_index < 0 || e->vtid_index < 0) {
                ev->vpid = -1;
                ev->vtid = -1;
                if (e->type != CT_EV_UNKNOWN)
                        return -EPROTO;
        } else {
                ev->vpid =
                    (int64_t)ct__int_value(bt_field_structure_borrow_member_field_by_index_const(
                                               ctx, (uint64_t)e->vpid_index),
                                           e->vpid_signed);
                ev->vtid =
                    (int64_t)ct__int_value(bt_field_structure_borrow_member_field_by_index_const(
                                               ctx, (uint64_t)e->vtid_index),
                                           e->vtid_signed);
        }
        ev->procname =
            e->procname_index < 0
                ? ""
                : bt_field_string_get_value(bt_field_structure_borrow_member_field_by_index_const(
                      ctx, (uint64_t)e->procname_index));

        if (e->nfields == 0)
                return 0;
        payload = bt_event_borrow_payload_field_const(event);
        for (const struct ct__field_slot *s = e->fields, *end = s + e->nfields; s < end; s++) {
                const char *str;
                uint64_t v;

                switch (s->op) {
                case CT__OP_UINT:
                        v = bt_field_integer_unsigned_get_value(
                            bt_field_structure_borrow_member_field_by_index_const(
                                payload, (uint64_t)s->index));
                        memcpy(base + s->offset, &v, sizeof(v));
                        break;
                case CT__OP_SINT:
                        v = (uint64_t)bt_field_integer_signed_get_value(
                            bt_field_structure_borrow_member_field_by_index_const(
                                payload, (uint64_t)s->index));
                        memcpy(base + s->offset, &v, sizeof(v));
                        break;
                case CT__OP_STR:
                        str = bt_field_string_get_value(
                            bt_field_structure_borrow_member_field_by_index_const(
                                payload, (uint64_t)s->index));
                        memcpy(base + s->offset, &str, sizeof(str));
                        break;
                case CT__OP_SEQ:
                        if (ct__decode_ready(dec,
                                             bt_field_structure_borrow_member_field_by_index_const(
                                                 payload, (uint64_t)s->index),
                                             s->is_signed, ev))
                                return -ENOMEM;
                        break;
                case CT__OP_ABSENT_INT:
                        memset(base + s->offset, 0, sizeof(uint64_t));
                        break;
                case CT__OP_ABSENT_STR:
                        str = "";
                        memcpy(base + s->offset, &str, sizeof(str));
                        break;
                case CT__OP_ABSENT_SEQ:
                        ev->ready = NULL;
                        ev->ready_len = 0;
                        break;
                default:
                        abort();
                }
        }
        if (e->foreign) {
                if (ev->err != 0)
                        ev->type = CT_EV_UNKNOWN;
                ev->contended = 0;
        }
        return 0;
}

int ct_decoder_check_stream(const bt_message *msg)
{
        const bt_stream *stream = bt_message_stream_beginning_borrow_stream_const(msg);
        const bt_stream_class *sc = bt_stream_borrow_class_const(stream);
        const bt_field_class *ctx =
            bt_stream_class_borrow_event_common_context_field_class_const(sc);
        const bt_field_class *fc = NULL;

        if (ct__member_index(ctx, "vpid", &fc) < 0 || ct__member_index(ctx, "vtid", &fc) < 0)
                return -EPROTO;
        return 0;
}

void ct_decoder_decode_discarded(const bt_message *msg, struct ct_event *ev, uint64_t *slots)
{
        const bt_stream *stream = bt_message_discarded_events_borrow_stream_const(msg);
        const bt_stream_class *sc = bt_stream_borrow_class_const(stream);
        uint64_t count = 0;

        if (slots)
                *slots = CT_EVENT_HEAD_SLOTS | CT_EVENT_SLOT(ts_begin) | CT_EVENT_SLOT(count);
        ev->type = CT_EV_DISCARDED;
        ev->ev_name = ct_event_type_name(CT_EV_DISCARDED);
        ev->vpid = -1;
        ev->vtid = -1;
        ev->procname = "";
        ev->ts = 0;
        ev->ts_begin = 0;
        if (bt_message_discarded_events_get_count(msg, &count) !=
            BT_PROPERTY_AVAILABILITY_AVAILABLE)
                count = 0;
        ev->count = count;
        if (bt_stream_class_discarded_events_have_default_clock_snapshots(sc)) {
                int64_t ns = 0;

                if (bt_clock_snapshot_get_ns_from_origin(
                        bt_message_discarded_events_borrow_beginning_default_clock_snapshot_const(
                            msg),
                        &ns) == BT_CLOCK_SNAPSHOT_GET_NS_FROM_ORIGIN_STATUS_OK)
                        ev->ts_begin = (uint64_t)ns;
                if (bt_clock_snapshot_get_ns_from_origin(
                        bt_message_discarded_events_borrow_end_default_clock_snapshot_const(msg),
                        &ns) == BT_CLOCK_SNAPSHOT_GET_NS_FROM_ORIGIN_STATUS_OK)
                        ev->ts = (uint64_t)ns;
        }
}
