/* SPDX-License-Identifier: MIT */
/*
 * The dump consumer: one line per decoded event,
 *
 *     TS VPID VTID PROCNAME PROVIDER:EVENT FIELD=VALUE ...
 *
 * TS in ns from the clock's origin; object ids in hex (0x...), other integers
 * in decimal, strings double-quoted (\" and \\ escaped), `ready` as [fd,fd].
 * Events of other providers print their name and no fields; discarded-events
 * gaps print `TS -1 -1 - discarded count=N begin=TS`.
 */
#ifndef CT_DUMP_H
#define CT_DUMP_H

#include <stdio.h>

#include "ct_consumer.h"

/* out is weak (e.g. stdout). Fills *consumer. 0 or -ENOMEM. */
int ct_dump_create(FILE *out, struct ct_consumer *consumer);

#endif /* CT_DUMP_H */
