/* SPDX-License-Identifier: MIT */
/*
 * Every conctrace tracepoint provider (event contract v1). Include this and
 * link conctrace::tp to fire ct_* events from your own program, e.g.
 *
 *     lttng_ust_tracepoint(ct_lock, acquire, (uint64_t)(uintptr_t)&m, 0);
 */
#ifndef CONCTRACE_TP_H
#define CONCTRACE_TP_H

#include "conctrace/tp/ct_run_tp.h"
#include "conctrace/tp/ct_work_tp.h"
#include "conctrace/tp/ct_pipe_tp.h"
#include "conctrace/tp/ct_select_tp.h"
#include "conctrace/tp/ct_lock_tp.h"
#include "conctrace/tp/ct_cond_tp.h"
#include "conctrace/tp/ct_pool_tp.h"
#include "conctrace/tp/ct_queue_tp.h"
#include "conctrace/tp/ct_sem_tp.h"

/* Values of the contract's enums, as fired. */
enum ct_tp_obj_kind {
	CT_TP_OBJ_LOCK = 0,
	CT_TP_OBJ_COND = 1,
	CT_TP_OBJ_PIPE = 2,
	CT_TP_OBJ_QUEUE = 3,
	CT_TP_OBJ_POOL = 4,
	CT_TP_OBJ_FD = 5,
	CT_TP_OBJ_SEM = 6,
};
enum ct_tp_work_kind { CT_TP_WORK_COMPUTE = 0, CT_TP_WORK_IO_SIM = 1 };
enum ct_tp_pipe_end { CT_TP_PIPE_READ = 0, CT_TP_PIPE_WRITE = 1 };
enum ct_tp_pool_kind { CT_TP_POOL_THREAD = 0, CT_TP_POOL_PROCESS = 1 };

#endif /* CONCTRACE_TP_H */
