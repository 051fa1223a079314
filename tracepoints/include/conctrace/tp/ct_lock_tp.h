/* SPDX-License-Identifier: MIT */
/*
 * LTTng-UST provider ct_lock (event contract v1, see docs/tracepoints.md).
 * Names are fixed: fields may be added, never renamed.
 */
#undef LTTNG_UST_TRACEPOINT_PROVIDER
#define LTTNG_UST_TRACEPOINT_PROVIDER ct_lock

#undef LTTNG_UST_TRACEPOINT_INCLUDE
#define LTTNG_UST_TRACEPOINT_INCLUDE "conctrace/tp/ct_lock_tp.h"

#if !defined(CT_TP_CT_LOCK_H) || defined(LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ)
#define CT_TP_CT_LOCK_H

#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>
#include <lttng/tracepoint.h>

LTTNG_UST_TRACEPOINT_EVENT_CLASS(ct_lock, lock,
	LTTNG_UST_TP_ARGS(uint64_t, lock),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer_hex(uint64_t, lock, lock)
	)
)
/* Before blocking on a mutex that trylock found busy. */
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(ct_lock, lock, ct_lock, request,
	LTTNG_UST_TP_ARGS(uint64_t, lock))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(ct_lock, lock, ct_lock, release,
	LTTNG_UST_TP_ARGS(uint64_t, lock))

LTTNG_UST_TRACEPOINT_EVENT(ct_lock, acquire,
	LTTNG_UST_TP_ARGS(uint64_t, lock, int32_t, contended),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer_hex(uint64_t, lock, lock)
		lttng_ust_field_integer(int32_t, contended, contended)
	)
)

/* Light recording level: uncontended acquisitions not traced since the last summary. */
LTTNG_UST_TRACEPOINT_EVENT(ct_lock, summary,
	LTTNG_UST_TP_ARGS(uint64_t, lock, uint64_t, acquisitions),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer_hex(uint64_t, lock, lock)
		lttng_ust_field_integer(uint64_t, acquisitions, acquisitions)
	)
)

#endif /* CT_TP_CT_LOCK_H */

#include <lttng/tracepoint-event.h>
