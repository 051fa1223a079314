/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "ct_driver.h"

#include <errno.h>
#include <ftw.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <babeltrace2/babeltrace.h>

#include "ct_esc.h"
#include "ct_live.h"
#include "ct_metacheck.h"
#include "ct_sink.h"

#define CT__EPATH 512 /* an escaped path in a message (longer ones cut) */

struct ct__driver {
        const struct ct_driver_opts *opts; /* weak */
        FILE *err;                         /* weak */
        const bt_plugin *ctf;              /* owned */
        const bt_plugin *utils;            /* owned */
        bt_component_class_sink *sink_cls; /* owned */
        struct ct_sink *sink;              /* owned */
};

/* Print babeltrace2's error causes (most recent first), indented, and clear them. */
static void ct__print_causes(FILE *err)
{
        const bt_error *error = bt_current_thread_take_error();
        uint64_t n;

        if (!error)
                return;
        n = bt_error_get_cause_count(error);
        if (n)
                fprintf(err, "  caused by (babeltrace2):\n");
        for (uint64_t i = 0; i < n; i++) {
                const bt_error_cause *cause = bt_error_borrow_cause_by_index(error, i);
                const char *msg = bt_error_cause_get_message(cause);
                const char *module = bt_error_cause_get_module_name(cause);

                const char *cut =
                    module && strcmp(module, "libbabeltrace2") == 0 ? strstr(msg, ": ") : NULL;

                fputs("    [", err);
                ct_esc_fputs(module ? module : "?", err);
                fputs("] ", err);
                /*
                 * libbabeltrace2's own causes end with a long key=value dump:
                 * drop it. The message may quote the trace: escape each line.
                 */
                for (const char *p = msg ? msg : ""; *p && p != cut;) {
                        size_t len = strcspn(p, "\n");
                        char *line;

                        if (cut && cut > p && (size_t)(cut - p) < len)
                                len = (size_t)(cut - p);
                        line = strndup(p, len);
                        if (line)
                                ct_esc_fputs(line, err);
                        free(line);
                        p += len;
                        if (*p == '\n') {
                                p++;
                                if (*p && p != cut)
                                        fputs("\n      ", err);
                        }
                }
                fputc('\n', err);
        }
        bt_error_release(error);
}

/* The trace directories (holding a `metadata` file) found under a path. */
static bt_value *ct__trace_dirs; /* owned while ct__check_path runs: array of strings */
static int ct__trace_dirs_err;

static int ct__find_metadata(const char *fpath, const struct stat *sb, int typeflag,
                             struct FTW *ftwbuf)
{
        (void)sb;
        if (typeflag == FTW_F && strcmp(fpath + ftwbuf->base, "metadata") == 0) {
                char *dir = strndup(fpath, ftwbuf->base ? (size_t)ftwbuf->base - 1 : 0);

                if (!dir || bt_value_array_append_string_element(ct__trace_dirs, dir)) {
                        free(dir);
                        ct__trace_dirs_err = -ENOMEM;
                        return 1; /* stop */
                }
                free(dir);
        }
        return 0;
}

/*
 * Checks before babeltrace2 sees the path, for clear messages; on success
 * *inputs is the src.ctf.fs `inputs` array (every trace directory under path).
 */
static int ct__check_path(struct ct__driver *d, const char *path, bt_value **inputs)
{
        struct stat st;
        char epath[CT__EPATH];

        ct_esc(path, epath, sizeof(epath));

        *inputs = bt_value_array_create();
        if (!*inputs)
                return -ENOMEM;
        if (ct_live_is_url(path)) {
                struct ct_live_url url;

                if (ct_live_parse_url(path, &url)) {
                        fprintf(d->err,
                                "conctrace: Failed to open trace: not a live session URL "
                                "(expected net://RELAYD[:PORT]/host/HOST/SESSION): path=%s\n",
                                epath);
                        goto error_inval;
                }
                if (bt_value_array_append_string_element(*inputs, path))
                        goto nomem;
                return 0;
        }
        if (stat(path, &st) != 0) {
                fprintf(d->err, "conctrace: Failed to open trace: %s: path=%s\n", strerror(errno),
                        epath);
                goto error_noent;
        }
        if (!S_ISDIR(st.st_mode)) {
                fprintf(d->err,
                        "conctrace: Failed to open trace: not a CTF trace (a trace is a directory "
                        "holding a `metadata` file and data stream files): path=%s\n",
                        epath);
                goto error_inval;
        }
        ct__trace_dirs = *inputs;
        ct__trace_dirs_err = 0;
        nftw(path, ct__find_metadata, 16, FTW_PHYS);
        ct__trace_dirs = NULL;
        if (ct__trace_dirs_err)
                goto nomem;
        if (bt_value_array_get_length(*inputs) == 0) {
                fprintf(d->err,
                        "conctrace: Failed to open trace: not a CTF trace (no `metadata` file "
                        "found under the directory): path=%s\n",
                        epath);
                goto error_inval;
        }
        for (uint64_t i = 0; i < bt_value_array_get_length(*inputs); i++) {
                const char *dir = bt_value_string_get(
                    bt_value_array_borrow_element_by_index_const(*inputs, i));
                char why[512], ewhy[768];
                int err;

                err = ct_metacheck_trace(dir, why, sizeof(why));
                if (err) {
                        fprintf(d->err,
                                "conctrace: Failed to open trace: truncated or corrupted trace "
                                "(%s): path=%s\n",
                                ct_esc(why, ewhy, sizeof(ewhy)), epath);
                        BT_VALUE_PUT_REF_AND_RESET(*inputs);
                        return err == -EIO ? -EIO : -EINVAL;
                }
        }
        return 0;
nomem:
        BT_VALUE_PUT_REF_AND_RESET(*inputs);
        return -ENOMEM;
error_noent:
        BT_VALUE_PUT_REF_AND_RESET(*inputs);
        return -ENOENT;
error_inval:
        BT_VALUE_PUT_REF_AND_RESET(*inputs);
        return -EINVAL;
}

static bt_component_class_initialize_method_status
ct__sink_init(bt_self_component_sink *self, bt_self_component_sink_configuration *config,
              const bt_value *params, void *init_data)
{
        bt_self_component_set_data(bt_self_component_sink_as_self_component(self), init_data);
        return ct_sink_add_input_port(self);
}

static struct ct_sink *ct__sink_of(bt_self_component_sink *self)
{
        return bt_self_component_get_data(bt_self_component_sink_as_self_component(self));
}

static bt_component_class_sink_graph_is_configured_method_status
ct__sink_configured(bt_self_component_sink *self)
{
        return ct_sink_graph_is_configured(ct__sink_of(self), self);
}

static bt_component_class_sink_consume_method_status ct__sink_consume(bt_self_component_sink *self)
{
        return ct_sink_consume(ct__sink_of(self), self);
}

static void ct__sink_finalize(bt_self_component_sink *self)
{
        ct_sink_release_iterator(ct__sink_of(self));
}

static int ct__setup(struct ct__driver *d)
{
        if (bt_plugin_find("ctf", BT_TRUE, BT_TRUE, BT_TRUE, BT_TRUE, BT_TRUE, &d->ctf) !=
                BT_PLUGIN_FIND_STATUS_OK ||
            bt_plugin_find("utils", BT_TRUE, BT_TRUE, BT_TRUE, BT_TRUE, BT_TRUE, &d->utils) !=
                BT_PLUGIN_FIND_STATUS_OK) {
                fprintf(d->err, "conctrace: Failed to load babeltrace2's `ctf` and `utils` "
                                "plugins: is babeltrace2 installed?\n");
                ct__print_causes(d->err);
                return -ENOENT;
        }
        d->sink_cls = bt_component_class_sink_create("conctrace", ct__sink_consume);
        if (!d->sink_cls ||
            bt_component_class_sink_set_initialize_method(d->sink_cls, ct__sink_init) ||
            bt_component_class_sink_set_graph_is_configured_method(d->sink_cls,
                                                                   ct__sink_configured) ||
            bt_component_class_sink_set_finalize_method(d->sink_cls, ct__sink_finalize))
                return -ENOMEM;
        return 0;
}

/*
 * Live: babeltrace2 2.0's src.ctf.lttng-live can keep answering "again" after
 * the session is gone from the relay daemon (e.g. a trace whose metadata it
 * never received), and the graph then never ends. While it says "again"
 * without new events, the relay daemon's session list is checked once a
 * second; the session missing (or the relay daemon not answering) for
 * CT__LIVE_END_GRACE_MS ends the run.
 */
#define CT__LIVE_CHECK_MS     1000
#define CT__LIVE_END_GRACE_MS 15000

struct ct__live_watch {
        struct ct__driver *d;          /* weak */
        const char *path;              /* weak */
        struct ct_live_url url;        /* the session watched */
        struct ct_live_client *client; /* owned (lazily created) */
        uint64_t events;               /* events read at the last check */
        long idle_ms;                  /* since the last check */
        long missing_ms;               /* session missing (no new events meanwhile) */
        int unreachable;               /* the relay daemon did not answer last time */
};

/* 0: keep waiting; 1: the session ended (report); -ENOTCONN: relay daemon lost. */
static int ct__live_watch_check(struct ct__live_watch *w)
{
        struct ct_live_session s;
        char why[256] = "";
        uint64_t events = ct_sink_info(w->d->sink)->events;
        int ret;

        if (events != w->events) {
                w->events = events;
                w->idle_ms = 0;
                w->missing_ms = 0;
                return 0;
        }
        w->idle_ms += 100;
        if (w->idle_ms < CT__LIVE_CHECK_MS)
                return 0;
        w->idle_ms = 0;
        if (!w->client && ct_live_client_create(&w->client))
                return 0; /* cannot check: keep babeltrace2's behaviour */
        ret = ct_live_find_session(w->client, w->url.relay, w->url.host, w->url.session, &s, why,
                                   sizeof(why));
        if (ret == -ENOMEM)
                return 0;
        if (ret == 0 && s.found) {
                w->missing_ms = 0;
                return 0;
        }
        w->unreachable = ret != 0;
        w->missing_ms += CT__LIVE_CHECK_MS;
        if (w->missing_ms < CT__LIVE_END_GRACE_MS)
                return 0;
        if (w->unreachable) {
                fprintf(w->d->err,
                        "conctrace: the relay daemon at %s has not answered for %ld s (%s)\n",
                        w->url.relay, w->missing_ms / 1000, why);
                return -ENOTCONN;
        }
        fprintf(w->d->err,
                "conctrace: warning: live session %s of host %s ended on the relay daemon %ld s "
                "ago, but babeltrace2's src.ctf.lttng-live did not end its stream; ending with "
                "the %" PRIu64 " events read: path=%s\n",
                w->url.session, w->url.host, w->missing_ms / 1000, events, w->path);
        return 1;
}

/* Runs the graph to its end; live (w not NULL): also ends when the session is gone. */
static int ct__graph_run(bt_graph *graph, struct ct__live_watch *w)
{
        for (;;) {
                bt_graph_run_status st = bt_graph_run(graph);

                switch (st) {
                case BT_GRAPH_RUN_STATUS_OK:
                        return 0;
                case BT_GRAPH_RUN_STATUS_AGAIN: {
                        struct timespec ts = {.tv_sec = 0, .tv_nsec = 100000000};
                        int wret;

                        nanosleep(&ts, NULL);
                        wret = w ? ct__live_watch_check(w) : 0;
                        if (wret == 1)
                                return 0;
                        if (wret < 0)
                                return wret;
                        continue;
                }
                case BT_GRAPH_RUN_STATUS_MEMORY_ERROR:
                        return -ENOMEM;
                default:
                        return -EIO;
                }
        }
}

/* How long to wait for a live session that does not exist yet (ms). */
static long ct__live_wait_ms(const struct ct__driver *d)
{
        const char *env = getenv("CONCTRACE_LIVE_WAIT");

        if (env && *env) {
                char *end = NULL;
                double s = strtod(env, &end);

                if (end && *end == '\0' && s >= 0 && s < 1e6)
                        return (long)(s * 1000);
        }
        return d->opts->live_wait_ms ? (long)d->opts->live_wait_ms : CT_DRIVER_LIVE_WAIT_MS;
}

/*
 * Before attaching to a live session: checks that the relay daemon answers
 * and waits (a little) for the session to appear, so that `analyze` may be
 * started before `record --live`. 0, -EIO (relay daemon unreachable),
 * -ENOENT (no such session after the wait), -ENOMEM.
 */
static int ct__live_wait(struct ct__driver *d, const char *path)
{
        struct ct_live_url url;
        struct ct_live_client *client = NULL; /* owned */
        struct ct_live_session s;
        char why[256] = "";
        long wait_ms = ct__live_wait_ms(d);
        long waited = 0;
        int said = 0;
        int ret;
        char epath[CT__EPATH];

        ct_esc(path, epath, sizeof(epath));

        if (ct_live_parse_url(path, &url))
                return -EINVAL; /* checked before */
        ret = ct_live_client_create(&client);
        if (ret) {
                fprintf(d->err, "conctrace: Failed to load babeltrace2's `ctf` plugin: is "
                                "babeltrace2 installed?\n");
                goto end;
        }
        for (;;) {
                ret = ct_live_find_session(client, url.relay, url.host, url.session, &s, why,
                                           sizeof(why));
                if (ret && ret != -ENOMEM) {
                        fprintf(d->err,
                                "conctrace: Failed to open trace: cannot reach the live session: "
                                "no relay daemon answers at %s (%s); is lttng-relayd running "
                                "there with its live port (-L, default %d)?: path=%s\n",
                                url.relay, why, CT_LIVE_DEFAULT_PORT, epath);
                        ret = -EIO;
                        goto end;
                }
                if (ret)
                        goto end;
                if (s.found)
                        break;
                if (waited >= wait_ms) {
                        fprintf(d->err,
                                "conctrace: Failed to open trace: cannot reach the live session: "
                                "the relay daemon at %s has no session %s of host %s (waited "
                                "%ld ms; list its sessions with: babeltrace2 query "
                                "src.ctf.lttng-live sessions -p 'url=\"%s\"'): path=%s\n",
                                url.relay, url.session, url.host, waited, url.relay, epath);
                        ret = -ENOENT;
                        goto end;
                }
                if (!said && !d->opts->quiet) {
                        fprintf(d->err,
                                "conctrace: waiting up to %ld s for live session %s of host %s on "
                                "%s\n",
                                (wait_ms + 999) / 1000, url.session, url.host, url.relay);
                        said = 1;
                }
                {
                        struct timespec ts = {.tv_sec = 0, .tv_nsec = 100000000};

                        nanosleep(&ts, NULL);
                        waited += 100;
                }
        }
        ret = 0;
end:
        ct_live_client_destroy(client);
        return ret;
}

/* One trace through its own graph. */
static int ct__run_one(struct ct__driver *d, const char *path, bt_value *inputs, uint32_t index)
{
        bool live = ct_live_is_url(path);
        bt_graph *graph = NULL;
        bt_value *params = NULL;
        const bt_component_source *src = NULL;
        const bt_component_filter *mux = NULL;
        const bt_component_sink *sinkc = NULL;
        struct ct__live_watch watch = {0};
        int ret = -ENOMEM;
        char epath[CT__EPATH];

        ct_esc(path, epath, sizeof(epath));
        if (live) {
                ret = ct__live_wait(d, path);
                if (ret)
                        return ret;
                ret = -ENOMEM;
        }
        graph = bt_graph_create(0);
        params = bt_value_map_create();
        if (!graph || !params)
                goto end;
        if (bt_value_map_insert_entry(params, "inputs", inputs))
                goto end;
        if (live && bt_value_map_insert_string_entry(params, "session-not-found-action", "end"))
                goto end;

        if (bt_graph_add_source_component(graph,
                                          bt_plugin_borrow_source_component_class_by_name_const(
                                              d->ctf, live ? "lttng-live" : "fs"),
                                          "src", params, BT_LOGGING_LEVEL_NONE,
                                          &src) != BT_GRAPH_ADD_COMPONENT_STATUS_OK) {
                fprintf(d->err, "conctrace: Failed to open trace: %s: path=%s\n",
                        live ? "cannot reach the live session" : "truncated or corrupted trace",
                        epath);
                ret = -EIO;
                goto cause;
        }
        if (bt_graph_add_filter_component(
                graph, bt_plugin_borrow_filter_component_class_by_name_const(d->utils, "muxer"),
                "mux", NULL, BT_LOGGING_LEVEL_NONE, &mux) != BT_GRAPH_ADD_COMPONENT_STATUS_OK ||
            bt_graph_add_sink_component_with_initialize_method_data(
                graph, d->sink_cls, "conctrace", NULL, d->sink, BT_LOGGING_LEVEL_NONE, &sinkc) !=
                BT_GRAPH_ADD_COMPONENT_STATUS_OK) {
                fprintf(d->err, "conctrace: Failed to build the babeltrace2 graph: path=%s\n",
                        epath);
                ret = -ENOMEM;
                goto cause;
        }
        for (uint64_t i = 0; i < bt_component_source_get_output_port_count(src); i++) {
                uint64_t nin = bt_component_filter_get_input_port_count(mux);

                if (bt_graph_connect_ports(
                        graph, bt_component_source_borrow_output_port_by_index_const(src, i),
                        bt_component_filter_borrow_input_port_by_index_const(mux, nin - 1),
                        NULL) != BT_GRAPH_CONNECT_PORTS_STATUS_OK) {
                        fprintf(d->err,
                                "conctrace: Failed to connect the trace's streams: path=%s\n",
                                epath);
                        ret = -ENOMEM;
                        goto cause;
                }
        }
        if (bt_graph_connect_ports(graph,
                                   bt_component_filter_borrow_output_port_by_name_const(mux, "out"),
                                   bt_component_sink_borrow_input_port_by_name_const(sinkc, "in"),
                                   NULL) != BT_GRAPH_CONNECT_PORTS_STATUS_OK) {
                fprintf(d->err, "conctrace: Failed to connect the muxer to the sink: path=%s\n",
                        epath);
                ret = -ENOMEM;
                goto cause;
        }

        ct_sink_begin_trace(d->sink, index, path);
        if (live) {
                watch.d = d;
                watch.path = path;
                if (ct_live_parse_url(path, &watch.url))
                        abort(); /* checked before */
        }
        ret = ct__graph_run(graph, live ? &watch : NULL);
        ct_sink_progress_done(d->sink);
        if (ret) {
                if (ct_sink_error(d->sink)) {
                        ret = ct_sink_error(d->sink);
                        fprintf(d->err, "conctrace: Failed to analyze trace: %s: path=%s\n",
                                ct_sink_error_message(d->sink), epath);
                        if (ret == -EPROTO)
                                goto drop_cause; /* our message says it all */
                } else if (ret == -ENOMEM) {
                        fprintf(d->err, "conctrace: Failed to read trace: out of memory: path=%s\n",
                                epath);
                } else {
                        fprintf(d->err,
                                "conctrace: Failed to read trace: %s (after %" PRIu64
                                " events): path=%s\n",
                                live ? "lost the live session (the relay daemon stopped "
                                       "or closed the connection)"
                                     : "truncated or corrupted trace",
                                ct_sink_info(d->sink)->events, epath);
                        ret = -EIO;
                }
                goto cause;
        }
        ct_sink_end_trace(d->sink);
        if (ct_sink_info(d->sink)->events == 0 && !d->opts->quiet)
                fprintf(d->err, "conctrace: warning: trace has no events: path=%s\n", epath);
        ret = 0;
        goto end;

drop_cause:
        bt_current_thread_clear_error();
        goto end;
cause:
        ct__print_causes(d->err);
end:
        BT_VALUE_PUT_REF_AND_RESET(params);
        BT_GRAPH_PUT_REF_AND_RESET(graph);
        ct_live_client_destroy(watch.client);
        return ret;
}

int ct_driver_run(const char *const *paths, size_t n, struct ct_consumer *const *consumers,
                  size_t nc, const struct ct_driver_opts *opts, struct ct_trace_info *infos_out)
{
        static const struct ct_driver_opts defaults = {0};
        struct ct__driver d = {.opts = opts ? opts : &defaults};
        const char *failed = "?";
        bt_value **inputs = NULL; /* owned: per path, the src `inputs` array */
        int ret;

        d.err = d.opts->err ? d.opts->err : stderr;
        inputs = calloc(n ? n : 1, sizeof(*inputs));
        if (!inputs)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                ret = ct__check_path(&d, paths[i], &inputs[i]);
                if (ret)
                        goto end;
        }
        ret = ct__setup(&d);
        if (ret)
                goto end;
        ret = ct_sink_create(consumers, nc, !d.opts->quiet && isatty(STDERR_FILENO), &d.sink);
        if (ret)
                goto end;
        for (size_t i = 0; i < n; i++) {
                ret = ct__run_one(&d, paths[i], inputs[i], (uint32_t)i);
                if (ret)
                        goto end;
                if (infos_out)
                        infos_out[i] = *ct_sink_info(d.sink);
        }
        ret = ct_sink_finish(d.sink, &failed);
        if (ret)
                fprintf(d.err, "conctrace: Failed to finish the analysis: consumer=%s: %s\n",
                        failed, strerror(-ret));
end:
        for (size_t i = 0; inputs && i < n; i++)
                BT_VALUE_PUT_REF_AND_RESET(inputs[i]);
        free(inputs);
        ct_sink_destroy(d.sink);
        BT_COMPONENT_CLASS_SINK_PUT_REF_AND_RESET(d.sink_cls);
        BT_PLUGIN_PUT_REF_AND_RESET(d.ctf);
        BT_PLUGIN_PUT_REF_AND_RESET(d.utils);
        return ret;
}
