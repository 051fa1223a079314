/* SPDX-License-Identifier: MIT */
/*
 * LTTng-UST provider ct_pipe (event contract v1, see docs/tracepoints.md).
 * Names are fixed: fields may be added, never renamed.
 */
#undef LTTNG_UST_TRACEPOINT_PROVIDER
#define LTTNG_UST_TRACEPOINT_PROVIDER ct_pipe

#undef LTTNG_UST_TRACEPOINT_INCLUDE
#define LTTNG_UST_TRACEPOINT_INCLUDE "conctrace/tp/ct_pipe_tp.h"

#if !defined(CT_TP_CT_PIPE_H) || defined(LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ)
#define CT_TP_CT_PIPE_H

#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>
#include <lttng/tracepoint.h>

LTTNG_UST_TRACEPOINT_ENUM(ct_pipe, pipe_end,
	LTTNG_UST_TP_ENUM_VALUES(
		lttng_ust_field_enum_value("read", 0)
		lttng_ust_field_enum_value("write", 1)
	)
)

/* pipe(): the id is the pipe's inode, so both ends agree across processes. */
LTTNG_UST_TRACEPOINT_EVENT(ct_pipe, create,
	LTTNG_UST_TP_ARGS(uint64_t, pipe, int32_t, rfd, int32_t, wfd),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer_hex(uint64_t, pipe, pipe)
		lttng_ust_field_integer(int32_t, rfd, rfd)
		lttng_ust_field_integer(int32_t, wfd, wfd)
	)
)

LTTNG_UST_TRACEPOINT_EVENT_CLASS(ct_pipe, io_begin,
	LTTNG_UST_TP_ARGS(uint64_t, pipe, int32_t, fd, uint64_t, len),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer_hex(uint64_t, pipe, pipe)
		lttng_ust_field_integer(int32_t, fd, fd)
		lttng_ust_field_integer(uint64_t, len, len)
	)
)
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(ct_pipe, io_begin, ct_pipe, write_begin,
	LTTNG_UST_TP_ARGS(uint64_t, pipe, int32_t, fd, uint64_t, len))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(ct_pipe, io_begin, ct_pipe, read_begin,
	LTTNG_UST_TP_ARGS(uint64_t, pipe, int32_t, fd, uint64_t, len))

/* ret: bytes moved (read: 0 = EOF), -1 on error; err: errno or 0; offset: bytes this
 * process had moved through this pipe in this direction before the call. */
LTTNG_UST_TRACEPOINT_EVENT_CLASS(ct_pipe, io_end,
	LTTNG_UST_TP_ARGS(uint64_t, pipe, int32_t, fd, uint64_t, len, int64_t, ret, int32_t, err,
			  uint64_t, offset),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer_hex(uint64_t, pipe, pipe)
		lttng_ust_field_integer(int32_t, fd, fd)
		lttng_ust_field_integer(uint64_t, len, len)
		lttng_ust_field_integer(int64_t, ret, ret)
		lttng_ust_field_integer(int32_t, err, err)
		lttng_ust_field_integer(uint64_t, offset, offset)
	)
)
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(ct_pipe, io_end, ct_pipe, write_end,
	LTTNG_UST_TP_ARGS(uint64_t, pipe, int32_t, fd, uint64_t, len, int64_t, ret, int32_t, err,
			  uint64_t, offset))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(ct_pipe, io_end, ct_pipe, read_end,
	LTTNG_UST_TP_ARGS(uint64_t, pipe, int32_t, fd, uint64_t, len, int64_t, ret, int32_t, err,
			  uint64_t, offset))

LTTNG_UST_TRACEPOINT_EVENT(ct_pipe, close,
	LTTNG_UST_TP_ARGS(uint64_t, pipe, int32_t, fd, int, end),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer_hex(uint64_t, pipe, pipe)
		lttng_ust_field_integer(int32_t, fd, fd)
		lttng_ust_field_enum(ct_pipe, pipe_end, int, end, end)
	)
)

#endif /* CT_TP_CT_PIPE_H */

#include <lttng/tracepoint-event.h>
