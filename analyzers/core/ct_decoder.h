/* SPDX-License-Identifier: MIT */
/*
 * Decoder: babeltrace2 event and discarded-events messages -> struct ct_event.
 *
 * Field indexes are resolved once per event class (a table keyed by the
 * bt_event_class pointer, built on first sight) and reused for every event of
 * that class: no name lookup, string copy or allocation per event.
 */
#ifndef CT_DECODER_H
#define CT_DECODER_H

#include <babeltrace2/babeltrace.h>

#include "ct_event.h"

struct ct_decoder;

/* 0 or -ENOMEM. */
int ct_decoder_create(struct ct_decoder **out);
void ct_decoder_destroy(struct ct_decoder *dec);

/* Forget every cached event class (before another graph/trace). */
void ct_decoder_reset(struct ct_decoder *dec);

/*
 * Decode an event message into `ev` (every member its type lists; strings and
 * `ready` are weak: valid until the next call or until the message is put).
 * *slots (if slots is not NULL) gets the mask of the members written (see
 * CT_EVENT_SLOT). Returns 0, -ENOMEM, or -EPROTO when a contract event lacks
 * the vpid/vtid contexts (ev->ev_name then names it).
 */
int ct_decoder_decode_event(struct ct_decoder *dec, const bt_message *msg, struct ct_event *ev,
                            uint64_t *slots);

/*
 * A stream-beginning message: 0, or -EPROTO when the stream's class lacks the
 * vpid/vtid common contexts (checked before any event is handed out).
 */
int ct_decoder_check_stream(const bt_message *msg);

/* Decode a discarded-events message into a CT_EV_DISCARDED event; *slots as
 * for ct_decoder_decode_event. */
void ct_decoder_decode_discarded(const bt_message *msg, struct ct_event *ev, uint64_t *slots);

#endif /* CT_DECODER_H */
