/* SPDX-License-Identifier: MIT */
/*
 * LTTng-UST provider ct_queue (event contract v1, see docs/tracepoints.md).
 * Names are fixed: fields may be added, never renamed.
 */
#undef LTTNG_UST_TRACEPOINT_PROVIDER
#define LTTNG_UST_TRACEPOINT_PROVIDER ct_queue

#undef LTTNG_UST_TRACEPOINT_INCLUDE
#define LTTNG_UST_TRACEPOINT_INCLUDE "conctrace/tp/ct_queue_tp.h"

#if !defined(CT_TP_CT_QUEUE_H) || defined(LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ)
#define CT_TP_CT_QUEUE_H

#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>
#include <lttng/tracepoint.h>

/* depth: items in the queue after the operation. */
LTTNG_UST_TRACEPOINT_EVENT_CLASS(ct_queue, op,
	LTTNG_UST_TP_ARGS(uint64_t, queue, int64_t, depth),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer_hex(uint64_t, queue, queue)
		lttng_ust_field_integer(int64_t, depth, depth)
	)
)
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(ct_queue, op, ct_queue, put,
	LTTNG_UST_TP_ARGS(uint64_t, queue, int64_t, depth))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(ct_queue, op, ct_queue, get,
	LTTNG_UST_TP_ARGS(uint64_t, queue, int64_t, depth))

#endif /* CT_TP_CT_QUEUE_H */

#include <lttng/tracepoint-event.h>
