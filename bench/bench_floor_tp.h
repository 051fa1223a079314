/* SPDX-License-Identifier: MIT */
/*
 * bench_floor: a tiny LTTng-UST provider of the bench programs only (not the
 * conctrace contract). Its events have the payload layouts of the contract's
 * events, so their cost is LTTng-UST's own floor for an event of that size:
 *   p8  = ct_lock:request/release     (u64)
 *   p12 = ct_lock:acquire, ct_cond:signal (u64, s32)
 *   p16 = ct_queue:put/get            (u64, s64)
 *   p20 = ct_pipe:write_begin         (u64, s32, u64)
 *   p40 = ct_pipe:write_end           (u64, s32, u64, s64, s32, u64)
 */
#undef LTTNG_UST_TRACEPOINT_PROVIDER
#define LTTNG_UST_TRACEPOINT_PROVIDER bench_floor

#undef LTTNG_UST_TRACEPOINT_INCLUDE
#define LTTNG_UST_TRACEPOINT_INCLUDE "bench_floor_tp.h"

#if !defined(BENCH_FLOOR_TP_H) || defined(LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ)
#define BENCH_FLOOR_TP_H

#include <stdint.h>
#include <lttng/tracepoint.h>

LTTNG_UST_TRACEPOINT_EVENT(bench_floor, p8,
	LTTNG_UST_TP_ARGS(uint64_t, a),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer_hex(uint64_t, a, a)
	)
)

LTTNG_UST_TRACEPOINT_EVENT(bench_floor, p12,
	LTTNG_UST_TP_ARGS(uint64_t, a, int32_t, b),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer_hex(uint64_t, a, a)
		lttng_ust_field_integer(int32_t, b, b)
	)
)

LTTNG_UST_TRACEPOINT_EVENT(bench_floor, p16,
	LTTNG_UST_TP_ARGS(uint64_t, a, int64_t, b),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer_hex(uint64_t, a, a)
		lttng_ust_field_integer(int64_t, b, b)
	)
)

LTTNG_UST_TRACEPOINT_EVENT(bench_floor, p20,
	LTTNG_UST_TP_ARGS(uint64_t, a, int32_t, b, uint64_t, c),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer_hex(uint64_t, a, a)
		lttng_ust_field_integer(int32_t, b, b)
		lttng_ust_field_integer(uint64_t, c, c)
	)
)

LTTNG_UST_TRACEPOINT_EVENT(bench_floor, p40,
	LTTNG_UST_TP_ARGS(uint64_t, a, int32_t, b, uint64_t, c, int64_t, d, int32_t, e, uint64_t, f),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer_hex(uint64_t, a, a)
		lttng_ust_field_integer(int32_t, b, b)
		lttng_ust_field_integer(uint64_t, c, c)
		lttng_ust_field_integer(int64_t, d, d)
		lttng_ust_field_integer(int32_t, e, e)
		lttng_ust_field_integer(uint64_t, f, f)
	)
)

#endif /* BENCH_FLOOR_TP_H */

#include <lttng/tracepoint-event.h>
