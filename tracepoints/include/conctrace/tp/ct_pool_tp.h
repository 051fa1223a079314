/* SPDX-License-Identifier: MIT */
/*
 * LTTng-UST provider ct_pool (event contract v1, see docs/tracepoints.md).
 * Names are fixed: fields may be added, never renamed.
 */
#undef LTTNG_UST_TRACEPOINT_PROVIDER
#define LTTNG_UST_TRACEPOINT_PROVIDER ct_pool

#undef LTTNG_UST_TRACEPOINT_INCLUDE
#define LTTNG_UST_TRACEPOINT_INCLUDE "conctrace/tp/ct_pool_tp.h"

#if !defined(CT_TP_CT_POOL_H) || defined(LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ)
#define CT_TP_CT_POOL_H

#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>
#include <lttng/tracepoint.h>

LTTNG_UST_TRACEPOINT_ENUM(ct_pool, pool_kind,
	LTTNG_UST_TP_ENUM_VALUES(
		lttng_ust_field_enum_value("thread", 0)
		lttng_ust_field_enum_value("process", 1)
	)
)

LTTNG_UST_TRACEPOINT_EVENT_CLASS(ct_pool, lifecycle,
	LTTNG_UST_TP_ARGS(uint64_t, pool, int32_t, workers, int, kind),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer_hex(uint64_t, pool, pool)
		lttng_ust_field_integer(int32_t, workers, workers)
		lttng_ust_field_enum(ct_pool, pool_kind, int, kind, kind)
	)
)
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(ct_pool, lifecycle, ct_pool, create,
	LTTNG_UST_TP_ARGS(uint64_t, pool, int32_t, workers, int, kind))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(ct_pool, lifecycle, ct_pool, destroy,
	LTTNG_UST_TP_ARGS(uint64_t, pool, int32_t, workers, int, kind))

LTTNG_UST_TRACEPOINT_EVENT(ct_pool, submit,
	LTTNG_UST_TP_ARGS(uint64_t, pool, uint64_t, task),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer_hex(uint64_t, pool, pool)
		lttng_ust_field_integer(uint64_t, task, task)
	)
)

/* worker: index of the worker thread or process, 0-based. */
LTTNG_UST_TRACEPOINT_EVENT_CLASS(ct_pool, task,
	LTTNG_UST_TP_ARGS(uint64_t, pool, uint64_t, task, int32_t, worker),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer_hex(uint64_t, pool, pool)
		lttng_ust_field_integer(uint64_t, task, task)
		lttng_ust_field_integer(int32_t, worker, worker)
	)
)
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(ct_pool, task, ct_pool, task_begin,
	LTTNG_UST_TP_ARGS(uint64_t, pool, uint64_t, task, int32_t, worker))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(ct_pool, task, ct_pool, task_end,
	LTTNG_UST_TP_ARGS(uint64_t, pool, uint64_t, task, int32_t, worker))

#endif /* CT_TP_CT_POOL_H */

#include <lttng/tracepoint-event.h>
