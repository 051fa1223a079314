/* SPDX-License-Identifier: MIT */
/*
 * The shared sink logic of the driver's in-process sink component and of the
 * Babeltrace 2 plugin's sinks: pull messages from the upstream iterator,
 * decode each event once and hand it to every consumer, keep the per-trace
 * counts (struct ct_trace_info), and show progress on a terminal.
 *
 * With two threads (ct_sink_threads()) the consumers' on_event run on the
 * analysis thread (ct_batchq.h); on_trace_begin, on_trace_end and finish run
 * on the caller's thread once every earlier event has been handed over.
 */
#ifndef CT_SINK_H
#define CT_SINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <babeltrace2/babeltrace.h>

#include "ct_consumer.h"

struct ct_sink;

/*
 * Threads a sink uses: 2 (the graph's thread decodes, an analysis thread runs
 * the consumers, batches of events between them) unless the process may run
 * on one CPU only or CONCTRACE_THREADS=1 says so: then 1, the consumers run
 * on the graph's thread. Same events, same order, same results either way.
 */
int ct_sink_threads(void);

/*
 * `consumers` is copied (the consumers themselves stay weak). progress: print
 * events read and the rate to stderr once a second (caller checks isatty).
 * 0 or -ENOMEM.
 */
int ct_sink_create(struct ct_consumer *const *consumers, size_t nc, bool progress,
                   struct ct_sink **out);
void ct_sink_destroy(struct ct_sink *sink);

/* Start a trace: resets the decoder and counts, calls every on_trace_begin. */
void ct_sink_begin_trace(struct ct_sink *sink, uint32_t trace, const char *path);
/* End the current trace: calls every on_trace_end with the counts. */
void ct_sink_end_trace(struct ct_sink *sink);
/* Call every consumer's finish; 0 or the first negative errno (and names it). */
int ct_sink_finish(struct ct_sink *sink, const char **failed_consumer);
bool ct_sink_trace_begun(const struct ct_sink *sink);

/* Counts of the current (or last) trace. */
const struct ct_trace_info *ct_sink_info(const struct ct_sink *sink);

/* The sink's own error (0 if none): -EPROTO (no vpid/vtid), -ENOMEM. */
int ct_sink_error(const struct ct_sink *sink);
/* A sentence naming the sink's own error, "" if none. */
const char *ct_sink_error_message(const struct ct_sink *sink);

/* Component methods, called by the component classes' thin wrappers. */
bt_component_class_initialize_method_status ct_sink_add_input_port(bt_self_component_sink *self);
bt_component_class_sink_graph_is_configured_method_status
ct_sink_graph_is_configured(struct ct_sink *sink, bt_self_component_sink *self);
bt_component_class_sink_consume_method_status ct_sink_consume(struct ct_sink *sink,
                                                              bt_self_component_sink *self);
/* Releases the upstream iterator (component finalization). */
void ct_sink_release_iterator(struct ct_sink *sink);
/* Clears the progress line if one was printed. */
void ct_sink_progress_done(struct ct_sink *sink);

#endif /* CT_SINK_H */
