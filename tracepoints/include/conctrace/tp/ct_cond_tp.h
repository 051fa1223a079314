/* SPDX-License-Identifier: MIT */
/*
 * LTTng-UST provider ct_cond (event contract v1, see docs/tracepoints.md).
 * Names are fixed: fields may be added, never renamed.
 */
#undef LTTNG_UST_TRACEPOINT_PROVIDER
#define LTTNG_UST_TRACEPOINT_PROVIDER ct_cond

#undef LTTNG_UST_TRACEPOINT_INCLUDE
#define LTTNG_UST_TRACEPOINT_INCLUDE "conctrace/tp/ct_cond_tp.h"

#if !defined(CT_TP_CT_COND_H) || defined(LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ)
#define CT_TP_CT_COND_H

#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>
#include <lttng/tracepoint.h>

LTTNG_UST_TRACEPOINT_EVENT(ct_cond, wait_begin,
	LTTNG_UST_TP_ARGS(uint64_t, cond, uint64_t, lock),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer_hex(uint64_t, cond, cond)
		lttng_ust_field_integer_hex(uint64_t, lock, lock)
	)
)

LTTNG_UST_TRACEPOINT_EVENT(ct_cond, wait_end,
	LTTNG_UST_TP_ARGS(uint64_t, cond, uint64_t, lock, int32_t, timedout),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer_hex(uint64_t, cond, cond)
		lttng_ust_field_integer_hex(uint64_t, lock, lock)
		lttng_ust_field_integer(int32_t, timedout, timedout)
	)
)

/* waiters: threads waiting on the condvar at the call. */
LTTNG_UST_TRACEPOINT_EVENT_CLASS(ct_cond, notify,
	LTTNG_UST_TP_ARGS(uint64_t, cond, int32_t, waiters),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer_hex(uint64_t, cond, cond)
		lttng_ust_field_integer(int32_t, waiters, waiters)
	)
)
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(ct_cond, notify, ct_cond, signal,
	LTTNG_UST_TP_ARGS(uint64_t, cond, int32_t, waiters))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(ct_cond, notify, ct_cond, broadcast,
	LTTNG_UST_TP_ARGS(uint64_t, cond, int32_t, waiters))

#endif /* CT_TP_CT_COND_H */

#include <lttng/tracepoint-event.h>
