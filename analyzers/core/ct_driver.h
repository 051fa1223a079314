/* SPDX-License-Identifier: MIT */
/*
 * The driver: one streaming pass over one or more traces, each through a
 * babeltrace2 graph `src.ctf.fs` (or `src.ctf.lttng-live` for net:// URLs)
 * -> `flt.utils.muxer` -> an in-process sink that decodes every event once and
 * hands it to every consumer. No babeltrace2 types in this header.
 *
 * Per trace: on_trace_begin, on_event in timestamp order, on_trace_end; then
 * finish once after the last trace. Nothing is buffered: memory does not grow
 * with the number of events.
 */
#ifndef CT_DRIVER_H
#define CT_DRIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "ct_consumer.h"

/* Default wait for a live session that does not exist yet. */
#define CT_DRIVER_LIVE_WAIT_MS 30000u

struct ct_driver_opts {
        bool quiet; /* no progress line and no warnings */
        FILE *err;  /* weak: where messages go; NULL = stderr */
        /*
         * net:// traces: how long to wait for the session to appear on the
         * relay daemon (0: CT_DRIVER_LIVE_WAIT_MS; the environment variable
         * CONCTRACE_LIVE_WAIT, in seconds, overrides both).
         */
        unsigned int live_wait_ms;
};

/*
 * Run the consumers over `paths[0..n)` (directories holding a CTF trace, or
 * net://RELAYD/host/HOST/SESSION), one trace after the other, then call every
 * consumer's finish. `infos_out` (may be NULL) receives n trace infos (their
 * `path` points into `paths`).
 *
 * Returns 0, or on bad input (after printing one message naming the problem
 * and babeltrace2's causes): -ENOENT (no such path, or a live session that
 * did not appear within the wait), -EINVAL (not a CTF trace, not a live
 * URL), -EIO (truncated or corrupted trace, relay daemon unreachable or lost),
 * -EPROTO (no vpid/vtid contexts); -ENOMEM; or a consumer's finish error.
 * On error no consumer's finish is called.
 */
int ct_driver_run(const char *const *paths, size_t n, struct ct_consumer *const *consumers,
                  size_t nc, const struct ct_driver_opts *opts, struct ct_trace_info *infos_out);

#endif /* CT_DRIVER_H */
