/* SPDX-License-Identifier: MIT */
/*
 * conctrace scenarios: work units around the scenarios' own CPU loops (prime
 * search) that ct_compute() cannot express. The runtime has ct_compute()
 * (a synthetic loop) and ct_io_sim() but no begin/end pair for a caller's
 * own loop, so these fire ct_work:begin/end (kind compute) directly through
 * the provider library (conctrace::tp), and take the GIL like ct_compute()
 * does when the GIL model is on.
 */
#ifndef CT_SCN_WORK_H
#define CT_SCN_WORK_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Fires ct_work:begin(compute, units); under the GIL model makes sure the
 * calling thread holds the GIL first (it always does in threads of the
 * runtime: this only re-checks the drop request). */
void ct_scn_compute_begin(uint64_t units);

/* Fires ct_work:end(compute, units). */
void ct_scn_compute_end(uint64_t units);

#ifdef __cplusplus
}
#endif

#endif /* CT_SCN_WORK_H */
