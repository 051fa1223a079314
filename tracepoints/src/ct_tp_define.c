/* SPDX-License-Identifier: MIT */
/*
 * Tracepoint definitions (the lttng_ust_tracepoint structures and their
 * registration) for every ct_* provider, exported from libconctrace-tp.so so
 * that programs only include the headers (or conctrace/tp.h) and link the library.
 */
#define LTTNG_UST_TRACEPOINT_DEFINE
#include "conctrace/tp.h"
