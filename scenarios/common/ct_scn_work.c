/* SPDX-License-Identifier: MIT */
#include "ct_scn_work.h"

#include <conctrace/ct.h>
#include <conctrace/tp.h>

void ct_scn_compute_begin(uint64_t units)
{
        /* Under the model a runtime thread holds the GIL whenever it runs
         * outside a blocking call; ct_gil_check() also yields it here if
         * another thread asked, as CPython does between bytecodes. */
        ct_gil_check();
        lttng_ust_tracepoint(ct_work, begin, CT_TP_WORK_COMPUTE, units);
}

void ct_scn_compute_end(uint64_t units)
{
        lttng_ust_tracepoint(ct_work, end, CT_TP_WORK_COMPUTE, units);
}
