/* SPDX-License-Identifier: MIT */
/*
 * conctrace runtime: everything. Link conctrace::rt (libconctrace-rt).
 * See docs/runtime.md.
 */
#ifndef CONCTRACE_CT_H
#define CONCTRACE_CT_H

#include "conctrace/run.h"
#include "conctrace/work.h"
#include "conctrace/mutex.h"
#include "conctrace/cond.h"
#include "conctrace/pipe.h"
#include "conctrace/thread.h"
#include "conctrace/proc.h"
#include "conctrace/queue.h"
#include "conctrace/tpool.h"
#include "conctrace/ppool.h"
#include "conctrace/gil.h"

#endif /* CONCTRACE_CT_H */
