/* SPDX-License-Identifier: MIT */
/*
 * LTTng-UST provider ct_work (event contract v1, see docs/tracepoints.md).
 * Names are fixed: fields may be added, never renamed.
 */
#undef LTTNG_UST_TRACEPOINT_PROVIDER
#define LTTNG_UST_TRACEPOINT_PROVIDER ct_work

#undef LTTNG_UST_TRACEPOINT_INCLUDE
#define LTTNG_UST_TRACEPOINT_INCLUDE "conctrace/tp/ct_work_tp.h"

#if !defined(CT_TP_CT_WORK_H) || defined(LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ)
#define CT_TP_CT_WORK_H

#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>
#include <lttng/tracepoint.h>

LTTNG_UST_TRACEPOINT_ENUM(ct_work, work_kind,
	LTTNG_UST_TP_ENUM_VALUES(
		lttng_ust_field_enum_value("compute", 0)
		lttng_ust_field_enum_value("io_sim", 1)
	)
)

/* CPU work (units of a fixed loop) and simulated I/O (units in microseconds). */
LTTNG_UST_TRACEPOINT_EVENT_CLASS(ct_work, work,
	LTTNG_UST_TP_ARGS(int, kind, uint64_t, units),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_enum(ct_work, work_kind, int, kind, kind)
		lttng_ust_field_integer(uint64_t, units, units)
	)
)
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(ct_work, work, ct_work, begin,
	LTTNG_UST_TP_ARGS(int, kind, uint64_t, units))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(ct_work, work, ct_work, end,
	LTTNG_UST_TP_ARGS(int, kind, uint64_t, units))

#endif /* CT_TP_CT_WORK_H */

#include <lttng/tracepoint-event.h>
