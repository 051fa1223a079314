/* SPDX-License-Identifier: MIT */
/*
 * LTTng-UST provider ct_select (event contract v1, see docs/tracepoints.md).
 * Names are fixed: fields may be added, never renamed.
 */
#undef LTTNG_UST_TRACEPOINT_PROVIDER
#define LTTNG_UST_TRACEPOINT_PROVIDER ct_select

#undef LTTNG_UST_TRACEPOINT_INCLUDE
#define LTTNG_UST_TRACEPOINT_INCLUDE "conctrace/tp/ct_select_tp.h"

#if !defined(CT_TP_CT_SELECT_H) || defined(LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ)
#define CT_TP_CT_SELECT_H

#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>
#include <lttng/tracepoint.h>

/* select()/poll(): timeout_us = -1 means none. */
LTTNG_UST_TRACEPOINT_EVENT(ct_select, begin,
	LTTNG_UST_TP_ARGS(int32_t, nfds, int32_t, nread, int32_t, nwrite, int64_t, timeout_us),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int32_t, nfds, nfds)
		lttng_ust_field_integer(int32_t, nread, nread)
		lttng_ust_field_integer(int32_t, nwrite, nwrite)
		lttng_ust_field_integer(int64_t, timeout_us, timeout_us)
	)
)

/* ready: the descriptors that were reported ready (read and write sets). */
LTTNG_UST_TRACEPOINT_EVENT(ct_select, end,
	LTTNG_UST_TP_ARGS(int32_t, nfds, int32_t, nread, int32_t, nwrite, int64_t, timeout_us,
			  int32_t, ret, int32_t, err, const int32_t *, ready, uint32_t, ready_len),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int32_t, nfds, nfds)
		lttng_ust_field_integer(int32_t, nread, nread)
		lttng_ust_field_integer(int32_t, nwrite, nwrite)
		lttng_ust_field_integer(int64_t, timeout_us, timeout_us)
		lttng_ust_field_integer(int32_t, ret, ret)
		lttng_ust_field_integer(int32_t, err, err)
		lttng_ust_field_sequence(int32_t, ready, ready, uint32_t, ready_len)
	)
)

#endif /* CT_TP_CT_SELECT_H */

#include <lttng/tracepoint-event.h>
