/* SPDX-License-Identifier: MIT */
/*
 * LTTng-UST provider ct_sem (event contract v1, see docs/tracepoints.md):
 * POSIX semaphores (sem_wait/trywait/timedwait/clockwait/post), as the
 * preload library sees them. Names are fixed: fields may be added, never renamed.
 */
#undef LTTNG_UST_TRACEPOINT_PROVIDER
#define LTTNG_UST_TRACEPOINT_PROVIDER ct_sem

#undef LTTNG_UST_TRACEPOINT_INCLUDE
#define LTTNG_UST_TRACEPOINT_INCLUDE "conctrace/tp/ct_sem_tp.h"

#if !defined(CT_TP_CT_SEM_H) || defined(LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ)
#define CT_TP_CT_SEM_H

#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>
#include <lttng/tracepoint.h>

LTTNG_UST_TRACEPOINT_EVENT_CLASS(ct_sem, sem,
	LTTNG_UST_TP_ARGS(uint64_t, sem),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer_hex(uint64_t, sem, sem)
	)
)
/* sem_trywait found the semaphore at 0: about to block. */
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(ct_sem, sem, ct_sem, request,
	LTTNG_UST_TP_ARGS(uint64_t, sem))
/* Before sem_post (so that the woken thread's acquire follows it). */
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(ct_sem, sem, ct_sem, post,
	LTTNG_UST_TP_ARGS(uint64_t, sem))

/* Decremented: contended = 1 after a request. */
LTTNG_UST_TRACEPOINT_EVENT(ct_sem, acquire,
	LTTNG_UST_TP_ARGS(uint64_t, sem, uint8_t, contended),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer_hex(uint64_t, sem, sem)
		lttng_ust_field_integer(uint8_t, contended, contended)
	)
)

/* A request ended without acquiring (timeout, EINTR): err is the errno. */
LTTNG_UST_TRACEPOINT_EVENT(ct_sem, fail,
	LTTNG_UST_TP_ARGS(uint64_t, sem, int, err),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer_hex(uint64_t, sem, sem)
		lttng_ust_field_integer(int, err, err)
	)
)

#endif /* CT_TP_CT_SEM_H */

#include <lttng/tracepoint-event.h>
