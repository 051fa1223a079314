/* SPDX-License-Identifier: MIT */
/*
 * Object names from ct_run:name (`queue.not_empty`, `GIL`), per trace; an
 * object without one is called `lock 0x7f...`, `pipe 0x1e61`.
 */
#ifndef CT_PF_NAME_H
#define CT_PF_NAME_H

#include <stddef.h>
#include <stdint.h>

#include "ct_event.h"

struct ct__pf;

/* A ct_run:name event: remember ev->str for (ev->kind, ev->obj). */
void ct__pf_name_set(struct ct__pf *pf, const struct ct_event *ev);

/* The name of obj of kind (CT_OBJ_*): its given name, or one written into
 * tmp (n bytes). Valid until the next name_set or the end of the trace. */
const char *ct__pf_name_of(struct ct__pf *pf, int kind, uint64_t obj, char *tmp, size_t n);

/* Enough for any name made up by ct__pf_name_of. */
#define CT__PF_NAME_TMP 48

#endif /* CT_PF_NAME_H */
