/* SPDX-License-Identifier: MIT */
/*
 * count_sink: the floor of any analyzer built on libbabeltrace2. The same
 * graph as `conctrace analyze` (src.ctf.fs -> flt.utils.muxer -> sink), with
 * a simple sink that only counts event messages.
 *
 *   count_sink TRACE_PATH...
 *
 * Each path is a CTF trace directory or a directory holding some (searched
 * recursively for `metadata` files). Prints one line:
 *
 *   events=1000000 discarded=0 traces=1 wall_ns=812345678
 */
#define _GNU_SOURCE
#include <babeltrace2/babeltrace.h>
#include <errno.h>
#include <ftw.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_util.h"

struct counts {
        uint64_t events;
        uint64_t discarded;
};

static bt_value *trace_dirs; /* owned: array of trace directories (nftw callback) */
static int nftw_failed;

static int collect_dir(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
        (void)st;
        if (type == FTW_F && strcmp(path + ftw->base, "metadata") == 0) {
                char *dir = strndup(path, (size_t)ftw->base ? (size_t)ftw->base - 1 : 0);

                if (!dir || bt_value_array_append_string_element(trace_dirs, dir)) {
                        free(dir);
                        nftw_failed = 1;
                        return 1;
                }
                free(dir);
        }
        return 0;
}

static bt_graph_simple_sink_component_consume_func_status consume(bt_message_iterator *it,
                                                                  void *data)
{
        struct counts *c = data;
        bt_message_array_const msgs;
        uint64_t n, i;

        switch (bt_message_iterator_next(it, &msgs, &n)) {
        case BT_MESSAGE_ITERATOR_NEXT_STATUS_OK:
                break;
        case BT_MESSAGE_ITERATOR_NEXT_STATUS_END:
                return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_END;
        case BT_MESSAGE_ITERATOR_NEXT_STATUS_AGAIN:
                return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_AGAIN;
        case BT_MESSAGE_ITERATOR_NEXT_STATUS_MEMORY_ERROR:
                return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_MEMORY_ERROR;
        default:
                return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_ERROR;
        }
        for (i = 0; i < n; i++) {
                const bt_message *m = msgs[i];

                switch (bt_message_get_type(m)) {
                case BT_MESSAGE_TYPE_EVENT:
                        c->events++;
                        break;
                case BT_MESSAGE_TYPE_DISCARDED_EVENTS: {
                        uint64_t k = 0;

                        if (bt_message_discarded_events_get_count(m, &k) ==
                            BT_PROPERTY_AVAILABILITY_AVAILABLE)
                                c->discarded += k;
                        break;
                }
                default:
                        break;
                }
                bt_message_put_ref(m);
        }
        return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_OK;
}

static void print_error(const char *what)
{
        const bt_error *err = bt_current_thread_take_error();

        fprintf(stderr, "count_sink: Failed to %s", what);
        if (err) {
                uint64_t i, n = bt_error_get_cause_count(err);

                for (i = 0; i < n; i++)
                        fprintf(stderr, ": %s",
                                bt_error_cause_get_message(bt_error_borrow_cause_by_index(err, i)));
                bt_error_release(err);
        }
        fputc('\n', stderr);
}

int main(int argc, char **argv)
{
        const bt_plugin *ctf = NULL, *utils = NULL;
        bt_graph *graph = NULL;
        bt_value *params = NULL;
        const bt_component_source *src = NULL;
        const bt_component_filter *mux = NULL;
        const bt_component_sink *sink = NULL;
        struct counts counts = {0, 0};
        uint64_t t0, i, ntraces;
        int a, ret = 1;

        if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
                fprintf(argc < 2 ? stderr : stdout,
                        "Usage: count_sink TRACE_PATH...\n"
                        "Counts the events of CTF traces through src.ctf.fs -> flt.utils.muxer -> "
                        "a counting sink.\n");
                return argc < 2 ? 2 : 0;
        }
        t0 = bench_now_ns();
        trace_dirs = bt_value_array_create();
        if (!trace_dirs)
                goto error_mem;
        for (a = 1; a < argc; a++) {
                uint64_t before = bt_value_array_get_length(trace_dirs);

                if (access(argv[a], R_OK) != 0) {
                        fprintf(stderr, "count_sink: Failed to read trace: path=%s: %s\n", argv[a],
                                strerror(errno));
                        goto end;
                }
                if (nftw(argv[a], collect_dir, 16, FTW_PHYS) != 0 || nftw_failed) {
                        fprintf(stderr, "count_sink: Failed to search for traces: path=%s\n",
                                argv[a]);
                        goto end;
                }
                if (bt_value_array_get_length(trace_dirs) == before) {
                        fprintf(stderr, "count_sink: No CTF trace (metadata file) under path=%s\n",
                                argv[a]);
                        goto end;
                }
        }
        ntraces = bt_value_array_get_length(trace_dirs);

        if (bt_plugin_find("ctf", BT_TRUE, BT_TRUE, BT_TRUE, BT_TRUE, BT_TRUE, &ctf) !=
                BT_PLUGIN_FIND_STATUS_OK ||
            bt_plugin_find("utils", BT_TRUE, BT_TRUE, BT_TRUE, BT_TRUE, BT_TRUE, &utils) !=
                BT_PLUGIN_FIND_STATUS_OK) {
                print_error("find the ctf and utils plugins");
                goto end;
        }
        graph = bt_graph_create(0);
        params = bt_value_map_create();
        if (!graph || !params || bt_value_map_insert_entry(params, "inputs", trace_dirs))
                goto error_mem;
        if (bt_graph_add_source_component(
                graph, bt_plugin_borrow_source_component_class_by_name_const(ctf, "fs"), "src",
                params, BT_LOGGING_LEVEL_WARNING, &src) != BT_GRAPH_ADD_COMPONENT_STATUS_OK ||
            bt_graph_add_filter_component(
                graph, bt_plugin_borrow_filter_component_class_by_name_const(utils, "muxer"), "mux",
                NULL, BT_LOGGING_LEVEL_WARNING, &mux) != BT_GRAPH_ADD_COMPONENT_STATUS_OK ||
            bt_graph_add_simple_sink_component(graph, "count", NULL, consume, NULL, &counts,
                                               &sink) != BT_GRAPH_ADD_COMPONENT_STATUS_OK) {
                print_error("add the graph's components");
                goto end;
        }
        for (i = 0; i < bt_component_source_get_output_port_count(src); i++) {
                uint64_t nin = bt_component_filter_get_input_port_count(mux);

                if (bt_graph_connect_ports(
                        graph, bt_component_source_borrow_output_port_by_index_const(src, i),
                        bt_component_filter_borrow_input_port_by_index_const(mux, nin - 1),
                        NULL) != BT_GRAPH_CONNECT_PORTS_STATUS_OK) {
                        print_error("connect the source to the muxer");
                        goto end;
                }
        }
        if (bt_graph_connect_ports(graph,
                                   bt_component_filter_borrow_output_port_by_name_const(mux, "out"),
                                   bt_component_sink_borrow_input_port_by_index_const(sink, 0),
                                   NULL) != BT_GRAPH_CONNECT_PORTS_STATUS_OK) {
                print_error("connect the muxer to the sink");
                goto end;
        }
        for (;;) {
                bt_graph_run_status st = bt_graph_run(graph);

                if (st == BT_GRAPH_RUN_STATUS_OK)
                        break;
                if (st == BT_GRAPH_RUN_STATUS_AGAIN) {
                        usleep(1000);
                        continue;
                }
                print_error("run the graph");
                goto end;
        }
        printf("events=%" PRIu64 " discarded=%" PRIu64 " traces=%" PRIu64 " wall_ns=%" PRIu64 "\n",
               counts.events, counts.discarded, ntraces, bench_now_ns() - t0);
        ret = 0;
        goto end;

error_mem:
        fprintf(stderr, "count_sink: Failed to build the graph: out of memory\n");
end:
        bt_graph_put_ref(graph);
        bt_value_put_ref(params);
        bt_value_put_ref(trace_dirs);
        bt_plugin_put_ref(ctf);
        bt_plugin_put_ref(utils);
        return ret;
}
