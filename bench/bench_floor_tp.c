/* SPDX-License-Identifier: MIT */
/* The bench_floor provider's probes, linked statically into floor_ust. */
#define LTTNG_UST_TRACEPOINT_CREATE_PROBES
#define LTTNG_UST_TRACEPOINT_DEFINE
#include "bench_floor_tp.h"
