/* SPDX-License-Identifier: MIT */
/*
 * The conctrace tracepoint provider: the probes of every ct_* provider, built
 * into one shared library (libconctrace-tp.so) that instrumented programs link.
 */
#define LTTNG_UST_TRACEPOINT_CREATE_PROBES
#include "conctrace/tp/ct_run_tp.h"
#include "conctrace/tp/ct_work_tp.h"
#include "conctrace/tp/ct_pipe_tp.h"
#include "conctrace/tp/ct_select_tp.h"
#include "conctrace/tp/ct_lock_tp.h"
#include "conctrace/tp/ct_cond_tp.h"
#include "conctrace/tp/ct_pool_tp.h"
#include "conctrace/tp/ct_queue_tp.h"
#include "conctrace/tp/ct_sem_tp.h"
