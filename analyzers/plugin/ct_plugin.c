/* SPDX-License-Identifier: MIT */
/*
 * The `conctrace` Babeltrace 2 plugin: the analyses and the Perfetto timeline
 * as sink components, for people who build their own graphs:
 *
 *   babeltrace2 --plugin-path=BUILD/lib/babeltrace2 \
 *       -c src.ctf.fs -p 'inputs=["TRACE"]' \
 *       -c sink.conctrace.report -p 'format="json",path="report.json"'
 *
 * sink.conctrace.report   params: format ("text", "json" or "csv"; default
 *                         "text"), path (file, "-" = stdout (default); csv:
 *                         a directory, required)
 * sink.conctrace.perfetto params: path (the timeline file, required), format
 * (json or proto; default from path's extension: .pftrace -> proto)
 *
 * Both use the core's shared sink (decode once, dispatch to the consumers):
 * the same figures as `conctrace analyze`. Outputs are written when the
 * upstream ends, through a temporary file: a failed graph leaves nothing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <babeltrace2/babeltrace.h>

#include "ct_analyses.h"
#include "ct_perfetto.h"
#include "ct_sink.h"

BT_PLUGIN_MODULE();

BT_PLUGIN(conctrace);
BT_PLUGIN_DESCRIPTION("conctrace: concurrency analyses (blocking, contention, speedup) and "
                      "Perfetto timelines of conctrace traces");
BT_PLUGIN_AUTHOR("conctrace");
BT_PLUGIN_LICENSE("MIT");

struct ct__psink {
        struct ct_sink *sink;         /* owned */
        struct ct_analyses *analyses; /* owned (report) */
        struct ct_consumer perfetto;  /* owned self (perfetto) */
        bool have_perfetto;
        struct ct_consumer **consumers; /* owned array of weak consumers */
        enum ct_report_format fmt;
        char *path; /* owned */
};

static void ct__psink_destroy(struct ct__psink *ps)
{
        if (!ps)
                return;
        ct_sink_destroy(ps->sink);
        if (ps->have_perfetto)
                ps->perfetto.destroy(ps->perfetto.self);
        ct_analyses_destroy(ps->analyses);
        free(ps->consumers);
        free(ps->path);
        free(ps);
}

static struct ct__psink *ct__psink_of(bt_self_component_sink *self)
{
        return bt_self_component_get_data(bt_self_component_sink_as_self_component(self));
}

#define CT__ERR(self, ...)                                                                         \
        BT_CURRENT_THREAD_ERROR_APPEND_CAUSE_FROM_COMPONENT(                                       \
            bt_self_component_sink_as_self_component(self), __VA_ARGS__)

/* A string parameter: NULL if absent; *bad set if present but not a string. */
static const char *ct__param_str(const bt_value *params, const char *key, bool *bad)
{
        const bt_value *v;

        if (!params || !bt_value_is_map(params))
                return NULL;
        v = bt_value_map_borrow_entry_value_const(params, key);
        if (!v)
                return NULL;
        if (!bt_value_is_string(v)) {
                *bad = true;
                return NULL;
        }
        return bt_value_string_get(v);
}

static bt_component_class_initialize_method_status
ct__psink_init(bt_self_component_sink *self, const bt_value *params, bool perfetto)
{
        struct ct__psink *ps = calloc(1, sizeof(*ps));
        bool bad = false;
        const char *fmt = ct__param_str(params, "format", &bad);
        struct ct_perfetto_opts popts;
        const char *path = ct__param_str(params, "path", &bad);
        size_t nc = 0;
        int ret;

        if (!ps)
                goto nomem;
        if (bad) {
                CT__ERR(self, "Failed to create the sink: `format` and `path` must be strings");
                goto error;
        }
        ct_perfetto_opts_init(&popts);
        if (perfetto && fmt && ct_perfetto_format_parse(fmt, &popts.format)) {
                CT__ERR(self,
                        "Failed to create the sink: unknown format (json, json.gz or proto): "
                        "format=%s",
                        fmt);
                goto error;
        }
        if (perfetto && !fmt)
                popts.format = ct_perfetto_format_of_path(path);
        if (!perfetto && fmt && ct_report_format_parse(fmt, &ps->fmt)) {
                CT__ERR(self,
                        "Failed to create the sink: unknown format (text, json or csv): "
                        "format=%s",
                        fmt);
                goto error;
        }
        if (perfetto || ps->fmt == CT_REPORT_CSV) {
                if (!path || !*path || strcmp(path, "-") == 0) {
                        CT__ERR(self,
                                "Failed to create the sink: parameter `path` is required "
                                "(%s)",
                                perfetto ? "the timeline file" : "the csv directory");
                        goto error;
                }
        }
        ps->path = strdup(path ? path : "-");
        if (!ps->path)
                goto nomem;
        if (perfetto) {
                ret = ct_perfetto_create(&popts, ps->path, &ps->perfetto);
                if (ret < 0) {
                        CT__ERR(self, "Failed to create timeline: %s: path=%s", strerror(-ret),
                                ps->path);
                        goto error;
                }
                ps->have_perfetto = true;
                ps->consumers = calloc(1, sizeof(*ps->consumers));
                if (!ps->consumers)
                        goto nomem;
                ps->consumers[nc++] = &ps->perfetto;
        } else {
                ret = ct_analyses_create(NULL, &ps->analyses);
                if (ret < 0)
                        goto nomem;
                ps->consumers =
                    calloc(ct_analyses_consumer_count(ps->analyses), sizeof(*ps->consumers));
                if (!ps->consumers)
                        goto nomem;
                for (size_t i = 0; i < ct_analyses_consumer_count(ps->analyses); i++)
                        ps->consumers[nc++] = ct_analyses_consumer(ps->analyses, i);
        }
        if (ct_sink_create(ps->consumers, nc, false, &ps->sink))
                goto nomem;
        bt_self_component_set_data(bt_self_component_sink_as_self_component(self), ps);
        return ct_sink_add_input_port(self);
nomem:
        ct__psink_destroy(ps);
        return BT_COMPONENT_CLASS_INITIALIZE_METHOD_STATUS_MEMORY_ERROR;
error:
        ct__psink_destroy(ps);
        return BT_COMPONENT_CLASS_INITIALIZE_METHOD_STATUS_ERROR;
}

static bt_component_class_initialize_method_status
ct__report_init(bt_self_component_sink *self, bt_self_component_sink_configuration *config,
                const bt_value *params, void *init_data)
{
        return ct__psink_init(self, params, false);
}

static bt_component_class_initialize_method_status
ct__perfetto_init(bt_self_component_sink *self, bt_self_component_sink_configuration *config,
                  const bt_value *params, void *init_data)
{
        return ct__psink_init(self, params, true);
}

static bt_component_class_sink_graph_is_configured_method_status
ct__psink_configured(bt_self_component_sink *self)
{
        struct ct__psink *ps = ct__psink_of(self);

        ct_sink_begin_trace(ps->sink, 0, "");
        return ct_sink_graph_is_configured(ps->sink, self);
}

static bt_component_class_sink_consume_method_status ct__psink_consume(bt_self_component_sink *self)
{
        struct ct__psink *ps = ct__psink_of(self);
        bt_component_class_sink_consume_method_status st = ct_sink_consume(ps->sink, self);
        const char *failed = "?";
        int ret;

        if (st != BT_COMPONENT_CLASS_SINK_CONSUME_METHOD_STATUS_END)
                return st;
        ct_sink_end_trace(ps->sink);
        ret = ct_sink_finish(ps->sink, &failed);
        if (ret) {
                CT__ERR(self, "Failed to finish the analysis: consumer=%s: %s", failed,
                        strerror(-ret));
                return BT_COMPONENT_CLASS_SINK_CONSUME_METHOD_STATUS_ERROR;
        }
        if (ps->analyses) {
                ret = ct_analyses_write(ps->analyses, ps->fmt, ps->path);
                if (ret) {
                        CT__ERR(self, "Failed to write the report: %s: path=%s", strerror(-ret),
                                ps->path);
                        return BT_COMPONENT_CLASS_SINK_CONSUME_METHOD_STATUS_ERROR;
                }
        }
        return BT_COMPONENT_CLASS_SINK_CONSUME_METHOD_STATUS_END;
}

static void ct__psink_finalize(bt_self_component_sink *self)
{
        ct__psink_destroy(ct__psink_of(self));
}

BT_PLUGIN_SINK_COMPONENT_CLASS(report, ct__psink_consume);
BT_PLUGIN_SINK_COMPONENT_CLASS_DESCRIPTION(
    report, "conctrace report: threads, locks, condvars, pipes, select, pools, speedup");
BT_PLUGIN_SINK_COMPONENT_CLASS_HELP(report,
                                    "Parameters: format=\"text\"|\"json\"|\"csv\" (default text), "
                                    "path=FILE or \"-\" (default stdout; csv: a directory).");
BT_PLUGIN_SINK_COMPONENT_CLASS_INITIALIZE_METHOD(report, ct__report_init);
BT_PLUGIN_SINK_COMPONENT_CLASS_GRAPH_IS_CONFIGURED_METHOD(report, ct__psink_configured);
BT_PLUGIN_SINK_COMPONENT_CLASS_FINALIZE_METHOD(report, ct__psink_finalize);

BT_PLUGIN_SINK_COMPONENT_CLASS(perfetto, ct__psink_consume);
BT_PLUGIN_SINK_COMPONENT_CLASS_DESCRIPTION(
    perfetto, "conctrace timeline for Perfetto UI: Chrome JSON or native protobuf");
BT_PLUGIN_SINK_COMPONENT_CLASS_HELP(perfetto,
                                    "Parameters: path=FILE (required), "
                                    "format=\"json\"|\"json.gz\"|\"proto\" (default: proto "
                                    "if FILE ends in .pftrace, json.gz if in .gz, else json).");
BT_PLUGIN_SINK_COMPONENT_CLASS_INITIALIZE_METHOD(perfetto, ct__perfetto_init);
BT_PLUGIN_SINK_COMPONENT_CLASS_GRAPH_IS_CONFIGURED_METHOD(perfetto, ct__psink_configured);
BT_PLUGIN_SINK_COMPONENT_CLASS_FINALIZE_METHOD(perfetto, ct__psink_finalize);
