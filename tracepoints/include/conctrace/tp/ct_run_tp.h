/* SPDX-License-Identifier: MIT */
/*
 * LTTng-UST provider ct_run (event contract v1, see docs/tracepoints.md).
 * Names are fixed: fields may be added, never renamed.
 */
#undef LTTNG_UST_TRACEPOINT_PROVIDER
#define LTTNG_UST_TRACEPOINT_PROVIDER ct_run

#undef LTTNG_UST_TRACEPOINT_INCLUDE
#define LTTNG_UST_TRACEPOINT_INCLUDE "conctrace/tp/ct_run_tp.h"

#if !defined(CT_TP_CT_RUN_H) || defined(LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ)
#define CT_TP_CT_RUN_H

#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>
#include <lttng/tracepoint.h>

LTTNG_UST_TRACEPOINT_ENUM(ct_run, obj_kind,
	LTTNG_UST_TP_ENUM_VALUES(
		lttng_ust_field_enum_value("lock", 0)
		lttng_ust_field_enum_value("cond", 1)
		lttng_ust_field_enum_value("pipe", 2)
		lttng_ust_field_enum_value("queue", 3)
		lttng_ust_field_enum_value("pool", 4)
		lttng_ust_field_enum_value("fd", 5)
		lttng_ust_field_enum_value("sem", 6)
	)
)

/* Around one measured run. */
LTTNG_UST_TRACEPOINT_EVENT(ct_run, run_begin,
	LTTNG_UST_TP_ARGS(const char *, scenario, const char *, variant, int32_t, workers,
			  const char *, params),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_string(scenario, scenario)
		lttng_ust_field_string(variant, variant)
		lttng_ust_field_integer(int32_t, workers, workers)
		lttng_ust_field_string(params, params)
	)
)

LTTNG_UST_TRACEPOINT_EVENT(ct_run, run_end,
	LTTNG_UST_TP_ARGS(const char *, scenario, const char *, variant, int32_t, workers,
			  const char *, params, int32_t, status),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_string(scenario, scenario)
		lttng_ust_field_string(variant, variant)
		lttng_ust_field_integer(int32_t, workers, workers)
		lttng_ust_field_string(params, params)
		lttng_ust_field_integer(int32_t, status, status)
	)
)

/* Named phase inside a run. */
LTTNG_UST_TRACEPOINT_EVENT_CLASS(ct_run, named,
	LTTNG_UST_TP_ARGS(const char *, name),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_string(name, name)
	)
)
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(ct_run, named, ct_run, phase_begin,
	LTTNG_UST_TP_ARGS(const char *, name))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(ct_run, named, ct_run, phase_end,
	LTTNG_UST_TP_ARGS(const char *, name))

/* First/last thing a thread or child process does. */
LTTNG_UST_TRACEPOINT_EVENT_CLASS(ct_run, thread,
	LTTNG_UST_TP_ARGS(const char *, role),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_string(role, role)
	)
)
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(ct_run, thread, ct_run, thread_begin,
	LTTNG_UST_TP_ARGS(const char *, role))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(ct_run, thread, ct_run, thread_end,
	LTTNG_UST_TP_ARGS(const char *, role))

/* Once, when an object is created. */
LTTNG_UST_TRACEPOINT_EVENT(ct_run, name,
	LTTNG_UST_TP_ARGS(uint64_t, obj, int, kind, const char *, name),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer_hex(uint64_t, obj, obj)
		lttng_ust_field_enum(ct_run, obj_kind, int, kind, kind)
		lttng_ust_field_string(name, name)
	)
)

/* In the parent. */
LTTNG_UST_TRACEPOINT_EVENT(ct_run, fork,
	LTTNG_UST_TP_ARGS(int32_t, child),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int32_t, child, child)
	)
)

LTTNG_UST_TRACEPOINT_EVENT(ct_run, child_exit,
	LTTNG_UST_TP_ARGS(int32_t, child, int32_t, status),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int32_t, child, child)
		lttng_ust_field_integer(int32_t, status, status)
	)
)

/* pthread_join / waitpid: target is a tid or a pid; status is 0 on begin. */
LTTNG_UST_TRACEPOINT_EVENT_CLASS(ct_run, join,
	LTTNG_UST_TP_ARGS(int64_t, target, int32_t, status),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int64_t, target, target)
		lttng_ust_field_integer(int32_t, status, status)
	)
)
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(ct_run, join, ct_run, join_begin,
	LTTNG_UST_TP_ARGS(int64_t, target, int32_t, status))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(ct_run, join, ct_run, join_end,
	LTTNG_UST_TP_ARGS(int64_t, target, int32_t, status))

#endif /* CT_TP_CT_RUN_H */

#include <lttng/tracepoint-event.h>
