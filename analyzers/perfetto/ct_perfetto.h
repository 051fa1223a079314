/* SPDX-License-Identifier: MIT */
/*
 * Perfetto timeline output: a consumer that writes the decoded event stream
 * as a Chrome JSON trace-event file or a Perfetto protobuf trace (same
 * content) that Perfetto UI (ui.perfetto.dev) opens with no import errors.
 * See docs/perfetto.md for what the timeline shows.
 *
 * Streaming: the writer buffers its output and keeps state only for live
 * threads, processes and objects and in-flight intervals and flows; memory
 * does not grow with the number of events. It writes `out_path.tmp-XXXXXX`
 * and renames it to `out_path` in finish(); on any failure (or destroy()
 * without a successful finish()) the temporary file is removed, so a failed
 * export leaves no partial output.
 *
 * Usage (the driver does this for `conctrace analyze TRACE --perfetto OUT`):
 *
 *     struct ct_perfetto_opts opts;
 *     struct ct_consumer c;
 *     ct_perfetto_opts_init(&opts);
 *     int ret = ct_perfetto_create(&opts, "out.json", &c);
 *     if (ret < 0) ... "Failed to create timeline: path=... (strerror(-ret))"
 *     ... per trace: c.on_trace_begin, c.on_event..., c.on_trace_end ...
 *     ret = c.finish(c.self);  // 0 or negative errno: file renamed into place
 *     c.destroy(c.self);
 */
#ifndef CT_PERFETTO_H
#define CT_PERFETTO_H

#include <stdint.h>

#include "ct_consumer.h"

/* Which lock hold intervals (acquire -> release) become slices. */
enum ct_perfetto_hold {
        /*
         * Default: a hold becomes a slice when it matters to someone: its
         * acquire was contended, another thread waited for the lock during it,
         * or it lasted at least hold_min_ns. Short uncontended holds (tight
         * loops) would otherwise swamp the timeline and the file.
         */
        CT_PERFETTO_HOLD_AUTO = 0,
        CT_PERFETTO_HOLD_NONE = 1, /* no hold slices */
        CT_PERFETTO_HOLD_ALL = 2,  /* every traced hold */
};

/* The file format of the timeline. */
enum ct_perfetto_format {
        CT_PERFETTO_JSON = 0,    /* Chrome JSON trace events (.json) */
        CT_PERFETTO_PROTO = 1,   /* Perfetto's native protobuf trace (.pftrace) */
        CT_PERFETTO_JSON_GZ = 2, /* Chrome JSON, gzip-compressed (.json.gz) */
};

struct ct_perfetto_opts {
        enum ct_perfetto_hold hold;     /* lock hold slices, see above */
        uint64_t hold_min_ns;           /* AUTO: holds at least this long are shown */
        int counters;                   /* nonzero: emit counter tracks (default 1) */
        enum ct_perfetto_format format; /* default JSON */
        uint32_t intern_max; /* PROTO: interned strings before a table reset (0: default) */
};

/* Fill opts with the defaults: HOLD_AUTO, hold_min_ns = 10000, counters on,
 * JSON. */
void ct_perfetto_opts_init(struct ct_perfetto_opts *opts);

/* "json", "json.gz" (also "gz") or "proto" (also "pftrace") -> *out: 0, or
 * -1 for anything else. */
int ct_perfetto_format_parse(const char *s, enum ct_perfetto_format *out);

/* The format a path asks for by its extension: .pftrace, .perfetto-trace,
 * .pb -> PROTO, .gz -> JSON_GZ, anything else JSON. */
enum ct_perfetto_format ct_perfetto_format_of_path(const char *path);

/*
 * Create a timeline writer for out_path and fill *out with its consumer
 * callbacks (out->self is owned by the consumer: call out->destroy).
 * opts may be NULL (defaults). Opens the output now (ct_outfile: a temporary
 * file next to out_path; a device or FIFO is written in place; "-" is standard
 * output), so an unwritable directory fails here. Returns 0 or a negative errno
 * (-EINVAL for a NULL or empty path, -EISDIR for a directory, -ENOMEM, or the
 * errno of creating the temporary file).
 *
 * out->finish writes the end of the file, closes and renames it; it returns
 * 0 or a negative errno (a write error seen at any point, e.g. -ENOSPC).
 */
int ct_perfetto_create(const struct ct_perfetto_opts *opts, const char *out_path,
                       struct ct_consumer *out);

/*
 * Draw the critical paths from `critpath`, the critical-path engine of
 * analyses fed every event before this timeline (ct_analyses_critpath: the
 * analyses' consumers come first in the driver's list), instead of feeding
 * an engine of the timeline's own the same events again. Same output; call
 * after ct_perfetto_create, before the first event. 0, -EBUSY if that engine
 * already draws for another timeline (this one keeps its own), -EINVAL.
 */
int ct_perfetto_share_critpath(struct ct_consumer *timeline, void *critpath);

#endif /* CT_PERFETTO_H */
