/* SPDX-License-Identifier: MIT */
/*
 * A consumer of the decoded event stream: an analysis or an output (report,
 * Perfetto timeline, dump). The driver makes one streaming pass over one or
 * more traces and hands every event to every consumer in order, the way
 * uftrace's dump hangs its outputs off one loop.
 *
 * Lifecycle: the consumer's own constructor (e.g. ct_locks_create()) fills a
 * `struct ct_consumer`; then, per trace, on_trace_begin, on_event for each
 * event in timestamp order, on_trace_end; then finish once after the last
 * trace; then destroy. Callbacks may be NULL. Consumers never include
 * babeltrace2 headers.
 */
#ifndef CT_CONSUMER_H
#define CT_CONSUMER_H

#include <stdint.h>

#include "ct_event.h"

/* What the source knows about one trace when it ends (or so far). */
struct ct_trace_info {
	uint32_t trace;          /* index among the traces analyzed together */
	const char *path;        /* weak: the path or net:// URL given */
	uint64_t events;         /* event messages read */
	uint64_t unknown_events; /* of those, from providers not in the contract */
	uint64_t discarded;      /* events the tracer reported discarded */
	uint64_t discarded_msgs; /* discarded-events messages seen */
	uint64_t first_ts;       /* ns from origin of the first event (0 if none) */
	uint64_t last_ts;        /* ns from origin of the last event (0 if none) */
};

#define CT_EV_BIT(type) (UINT64_C(1) << (type))
/* The types first..last (enum order). */
#define CT_EV_BITS(first, last) ((UINT64_C(2) << (last)) - (UINT64_C(1) << (first)))

struct ct_consumer {
	const char *name; /* weak: static string, e.g. "locks" */
	void *self;       /* owned: the consumer's state, freed by destroy */

	void (*on_trace_begin)(void *self, uint32_t trace, const char *path);
	void (*on_event)(void *self, const struct ct_event *ev);
	/*
	 * 0: on_event sees every event. Else the types it is called for, one
	 * CT_EV_BIT(type) each: the sink skips the consumer for the others (it
	 * must ignore them anyway), in the same order for those it sees.
	 */
	uint64_t event_types;
	void (*on_trace_end)(void *self, const struct ct_trace_info *info);
	/* After the last trace: compute final figures. 0 or a negative errno. */
	int (*finish)(void *self);
	void (*destroy)(void *self);
};

#endif /* CT_CONSUMER_H */
