/* SPDX-License-Identifier: MIT */
/*
 * The payload fields of each contract event: their CTF names (the
 * lttng_ust_field_* item names of the tracepoint provider) and where each lands
 * in `struct ct_event`. The decoder resolves them once per event class; the
 * dump prints them. No babeltrace2 here.
 */
#ifndef CT_FIELDS_H
#define CT_FIELDS_H

#include <stddef.h>
#include <stdint.h>

#include "ct_event.h"

enum ct_field_kind {
        CT_FIELD_INT = 0, /* 64-bit integer member (int64_t or uint64_t) */
        CT_FIELD_HEX = 1, /* same, printed in hex (object ids) */
        CT_FIELD_STR = 2, /* const char * member */
        CT_FIELD_SEQ = 3, /* sequence of integers -> ready/ready_len */
};

struct ct_field_spec {
        const char *name; /* weak: static CTF field name */
        uint16_t offset;  /* of the member in struct ct_event */
        uint8_t kind;     /* enum ct_field_kind */
};

#define CT_FIELDS_MAX 8

/* The fields of `type` (none for CT_EV_UNKNOWN and CT_EV_DISCARDED). */
const struct ct_field_spec *ct_fields_of(enum ct_ev_type type, size_t *count);

/* The event type of a "provider:event" name; CT_EV_UNKNOWN if not in the contract. */
enum ct_ev_type ct_event_type_from_name(const char *name);

/*
 * Events of other providers read as contract events (LTTng's pthread
 * wrapper): their type and fields, NULL (type CT_EV_UNKNOWN) if none. Such an
 * event whose `status` field (decoded into err) is not 0 is to be ignored.
 */
const struct ct_field_spec *ct_fields_foreign(const char *name, enum ct_ev_type *type,
                                              size_t *count);

#endif /* CT_FIELDS_H */
