/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "ct_sink.h"

#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ct_batchq.h"
#include "ct_decoder.h"

/* One consumer's on_event, flattened so the event loop calls without checks. */
struct ct__dispatch {
        void (*on_event)(void *self, const struct ct_event *ev);
        void *self; /* weak */
};

_Static_assert(CT_EV__COUNT <= 64, "event types fit struct ct_consumer's event_types");

struct ct_sink {
        struct ct_consumer **consumers; /* owned array of weak consumers */
        size_t nc;
        /* owned: per event type, the consumers that see it, in order: the
         * list of type t is dispatch[t * nc ... t * nc + nd[t] - 1] */
        struct ct__dispatch *dispatch;
        size_t nd[CT_EV__COUNT];
        struct ct_decoder *dec;    /* owned */
        bt_message_iterator *iter; /* owned */
        /* owned: batches to the analysis thread; NULL: consumers are called
         * from the graph's thread, event by event */
        struct ct_batchq *q;
        struct ct_trace_info info;
        bool begun;
        struct ct_event ev; /* the event being decoded */
        int err;
        char errmsg[512];

        bool progress;
        bool progress_shown;
        uint64_t progress_last_ns; /* monotonic */
        uint64_t progress_last_events;
        uint64_t progress_start_ns;
};

static void ct__dispatch_batch(void *arg, const struct ct_batch *b);

int ct_sink_threads(void)
{
        const char *env = getenv("CONCTRACE_THREADS");
        cpu_set_t set;

        if (env && *env) {
                char *end;
                long n = strtol(env, &end, 10);

                if (*end == '\0' && n >= 1)
                        return n > 1 ? 2 : 1;
        }
        if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) < 2)
                return 1;
        return 2;
}

static uint64_t ct__mono_ns(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
        return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int ct_sink_create(struct ct_consumer *const *consumers, size_t nc, bool progress,
                   struct ct_sink **out)
{
        struct ct_sink *sink = calloc(1, sizeof(*sink));

        if (!sink)
                goto error;
        sink->consumers = calloc(nc ? nc : 1, sizeof(*sink->consumers));
        sink->dispatch = calloc((nc ? nc : 1) * CT_EV__COUNT, sizeof(*sink->dispatch));
        if (!sink->consumers || !sink->dispatch)
                goto error;
        for (size_t i = 0; i < nc; i++) {
                uint64_t types = consumers[i]->event_types;

                sink->consumers[i] = consumers[i];
                if (!consumers[i]->on_event)
                        continue;
                for (size_t t = 0; t < CT_EV__COUNT; t++) {
                        struct ct__dispatch *d = &sink->dispatch[t * nc + sink->nd[t]];

                        if (types && !(types & CT_EV_BIT(t)))
                                continue;
                        d->on_event = consumers[i]->on_event;
                        d->self = consumers[i]->self;
                        sink->nd[t]++;
                }
        }
        sink->nc = nc;
        if (ct_decoder_create(&sink->dec))
                goto error;
        if (ct_sink_threads() > 1 && ct_batchq_create(ct__dispatch_batch, sink, &sink->q))
                goto error;
        sink->progress = progress;
        *out = sink;
        return 0;
error:
        ct_sink_destroy(sink);
        return -ENOMEM;
}

void ct_sink_destroy(struct ct_sink *sink)
{
        if (!sink)
                return;
        ct_batchq_destroy(sink->q); /* first: the analysis thread uses the rest */
        ct_sink_release_iterator(sink);
        ct_decoder_destroy(sink->dec);
        free(sink->dispatch);
        free(sink->consumers);
        free(sink);
}

void ct_sink_begin_trace(struct ct_sink *sink, uint32_t trace, const char *path)
{
        if (sink->q)
                ct_batchq_drain(sink->q); /* the last trace's events use the decoder's names */
        ct_decoder_reset(sink->dec);
        memset(&sink->info, 0, sizeof(sink->info));
        sink->info.trace = trace;
        sink->info.path = path;
        memset(&sink->ev, 0, sizeof(sink->ev));
        sink->ev.trace = trace;
        sink->begun = true;
        sink->progress_start_ns = sink->progress_last_ns = ct__mono_ns();
        sink->progress_last_events = 0;
        for (size_t i = 0; i < sink->nc; i++) {
                if (sink->consumers[i]->on_trace_begin)
                        sink->consumers[i]->on_trace_begin(sink->consumers[i]->self, trace, path);
        }
}

void ct_sink_end_trace(struct ct_sink *sink)
{
        if (!sink->begun)
                return;
        if (sink->q)
                ct_batchq_drain(sink->q);
        for (size_t i = 0; i < sink->nc; i++) {
                if (sink->consumers[i]->on_trace_end)
                        sink->consumers[i]->on_trace_end(sink->consumers[i]->self, &sink->info);
        }
        sink->begun = false;
}

int ct_sink_finish(struct ct_sink *sink, const char **failed_consumer)
{
        if (sink->q)
                ct_batchq_drain(sink->q);
        for (size_t i = 0; i < sink->nc; i++) {
                int ret;

                if (!sink->consumers[i]->finish)
                        continue;
                ret = sink->consumers[i]->finish(sink->consumers[i]->self);
                if (ret) {
                        if (failed_consumer)
                                *failed_consumer = sink->consumers[i]->name;
                        return ret < 0 ? ret : -EIO;
                }
        }
        return 0;
}

bool ct_sink_trace_begun(const struct ct_sink *sink)
{
        return sink->begun;
}

const struct ct_trace_info *ct_sink_info(const struct ct_sink *sink)
{
        return &sink->info;
}

int ct_sink_error(const struct ct_sink *sink)
{
        return sink->err;
}

const char *ct_sink_error_message(const struct ct_sink *sink)
{
        return sink->errmsg;
}

bt_component_class_initialize_method_status ct_sink_add_input_port(bt_self_component_sink *self)
{
        if (bt_self_component_sink_add_input_port(self, "in", NULL, NULL) !=
            BT_SELF_COMPONENT_ADD_PORT_STATUS_OK)
                return BT_COMPONENT_CLASS_INITIALIZE_METHOD_STATUS_MEMORY_ERROR;
        return BT_COMPONENT_CLASS_INITIALIZE_METHOD_STATUS_OK;
}

bt_component_class_sink_graph_is_configured_method_status
ct_sink_graph_is_configured(struct ct_sink *sink, bt_self_component_sink *self)
{
        bt_self_component_port_input *port =
            bt_self_component_sink_borrow_input_port_by_name(self, "in");

        if (!bt_port_is_connected(bt_self_component_port_as_port(
                bt_self_component_port_input_as_self_component_port(port)))) {
                BT_CURRENT_THREAD_ERROR_APPEND_CAUSE_FROM_COMPONENT(
                    bt_self_component_sink_as_self_component(self),
                    "Failed to start the conctrace sink: its input port `in` is not connected");
                return BT_COMPONENT_CLASS_SINK_GRAPH_IS_CONFIGURED_METHOD_STATUS_ERROR;
        }
        if (bt_message_iterator_create_from_sink_component(self, port, &sink->iter) !=
            BT_MESSAGE_ITERATOR_CREATE_FROM_SINK_COMPONENT_STATUS_OK)
                return BT_COMPONENT_CLASS_SINK_GRAPH_IS_CONFIGURED_METHOD_STATUS_ERROR;
        return BT_COMPONENT_CLASS_SINK_GRAPH_IS_CONFIGURED_METHOD_STATUS_OK;
}

void ct_sink_release_iterator(struct ct_sink *sink)
{
        BT_MESSAGE_ITERATOR_PUT_REF_AND_RESET(sink->iter);
}

void ct_sink_progress_done(struct ct_sink *sink)
{
        if (sink->progress_shown) {
                fputs("\r\033[K", stderr);
                fflush(stderr);
                sink->progress_shown = false;
        }
}

static void ct__progress(struct ct_sink *sink)
{
        uint64_t now = ct__mono_ns();
        uint64_t dt = now - sink->progress_last_ns;
        double rate;

        if (dt < 1000000000u)
                return;
        rate = (double)(sink->info.events - sink->progress_last_events) * 1e9 / (double)dt;
        fprintf(stderr, "\r\033[Kconctrace: %" PRIu64 " events read (%.0f events/s)",
                sink->info.events, rate);
        fflush(stderr);
        sink->progress_shown = true;
        sink->progress_last_ns = now;
        sink->progress_last_events = sink->info.events;
}

/* Hands ev to the consumers of its type, in order. */
static inline void ct__dispatch(const struct ct_sink *sink, const struct ct_event *ev)
{
        if ((unsigned)ev->type < CT_EV__COUNT) {
                const struct ct__dispatch *d = &sink->dispatch[(size_t)ev->type * sink->nc];

                for (size_t i = 0, n = sink->nd[ev->type]; i < n; i++)
                        d[i].on_event(d[i].self, ev);
        }
}

/* The analysis thread: a batch's events, in order. */
static void ct__dispatch_batch(void *arg, const struct ct_batch *b)
{
        const struct ct_sink *sink = arg;
        struct ct_event ev;
        size_t at = 0;

        memset(&ev, 0, sizeof(ev));
        for (size_t i = 0; i < b->n; i++) {
                ct_batch_get(b, &at, &ev);
                ct__dispatch(sink, &ev);
        }
}

/* *s (when slots has it) as a copy in b's arena. */
static int ct__copy(struct ct_batch *b, uint64_t slots, uint64_t slot, const char **s)
{
        const char *c;

        if (!(slots & slot))
                return 0;
        c = ct_batch_strdup(b, *s, strlen(*s));
        if (!c)
                return -ENOMEM;
        *s = c;
        return 0;
}

/* Makes ev (going into batch b) independent of babeltrace2's objects and the
 * decoder's buffers: the strings and ready fds among its slots into b's arena. */
static int ct__detach(struct ct_batch *b, struct ct_event *ev, uint64_t slots)
{
        if (ct__copy(b, slots, CT_EVENT_SLOT(procname), &ev->procname) ||
            ct__copy(b, slots, CT_EVENT_SLOT(str), &ev->str) ||
            ct__copy(b, slots, CT_EVENT_SLOT(variant), &ev->variant) ||
            ct__copy(b, slots, CT_EVENT_SLOT(params), &ev->params))
                return -ENOMEM;
        if ((slots & CT_EVENT_SLOT(ready)) && ev->ready_len) {
                ev->ready = ct_batch_copy_i64(b, ev->ready, ev->ready_len);
                if (!ev->ready)
                        return -ENOMEM;
        }
        return 0;
}

static int ct__handle(struct ct_sink *sink, const bt_message *msg)
{
        struct ct_event *ev = &sink->ev;
        struct ct_batch *b;
        uint64_t slots;
        int ret;

        switch (bt_message_get_type(msg)) {
        case BT_MESSAGE_TYPE_EVENT:
                ret = ct_decoder_decode_event(sink->dec, msg, ev, &slots);
                if (ret)
                        return ret;
                sink->info.events++;
                if (ev->type == CT_EV_UNKNOWN)
                        sink->info.unknown_events++;
                if (ev->ts) {
                        if (!sink->info.first_ts)
                                sink->info.first_ts = ev->ts;
                        sink->info.last_ts = ev->ts;
                }
                break;
        case BT_MESSAGE_TYPE_STREAM_BEGINNING:
                ret = ct_decoder_check_stream(msg);
                if (ret)
                        sink->ev.ev_name = "stream beginning";
                return ret;
        case BT_MESSAGE_TYPE_DISCARDED_EVENTS:
                ct_decoder_decode_discarded(msg, ev, &slots);
                sink->info.discarded += ev->count;
                sink->info.discarded_msgs++;
                break;
        default:
                return 0;
        }
        if (!sink->q) {
                ct__dispatch(sink, ev);
                return 0;
        }
        b = ct_batchq_current(sink->q);
        if (ct__detach(b, ev, slots))
                return -ENOMEM;
        ct_batch_put(b, ev, slots);
        if (ct_batch_full(b))
                ct_batchq_submit(sink->q);
        return 0;
}

bt_component_class_sink_consume_method_status ct_sink_consume(struct ct_sink *sink,
                                                              bt_self_component_sink *self)
{
        bt_message_array_const msgs;
        uint64_t count = 0;
        bt_component_class_sink_consume_method_status status =
            BT_COMPONENT_CLASS_SINK_CONSUME_METHOD_STATUS_OK;

        switch (bt_message_iterator_next(sink->iter, &msgs, &count)) {
        case BT_MESSAGE_ITERATOR_NEXT_STATUS_OK:
                break;
        case BT_MESSAGE_ITERATOR_NEXT_STATUS_END:
                ct_sink_release_iterator(sink);
                return BT_COMPONENT_CLASS_SINK_CONSUME_METHOD_STATUS_END;
        case BT_MESSAGE_ITERATOR_NEXT_STATUS_AGAIN:
                /* nothing more for now (a live session): what was read is
                 * shown now, not when a batch fills up */
                if (sink->q)
                        ct_batchq_drain(sink->q);
                return BT_COMPONENT_CLASS_SINK_CONSUME_METHOD_STATUS_AGAIN;
        case BT_MESSAGE_ITERATOR_NEXT_STATUS_MEMORY_ERROR:
                return BT_COMPONENT_CLASS_SINK_CONSUME_METHOD_STATUS_MEMORY_ERROR;
        default:
                return BT_COMPONENT_CLASS_SINK_CONSUME_METHOD_STATUS_ERROR;
        }
        if (!sink->begun)
                ct_sink_begin_trace(sink, 0, "");

        for (uint64_t i = 0; i < count; i++) {
                if (status == BT_COMPONENT_CLASS_SINK_CONSUME_METHOD_STATUS_OK) {
                        int ret = ct__handle(sink, msgs[i]);

                        if (ret) {
                                sink->err = ret;
                                if (ret == -EPROTO)
                                        snprintf(sink->errmsg, sizeof(sink->errmsg),
                                                 "trace lacks the vpid/vtid contexts; record with "
                                                 "conctrace record or add them with lttng "
                                                 "add-context -u -t vpid -t vtid (at %s)",
                                                 sink->ev.ev_name);
                                else
                                        snprintf(sink->errmsg, sizeof(sink->errmsg),
                                                 "Failed to decode an event: %s", strerror(-ret));
                                BT_CURRENT_THREAD_ERROR_APPEND_CAUSE_FROM_COMPONENT(
                                    bt_self_component_sink_as_self_component(self), "%s",
                                    sink->errmsg);
                                status = BT_COMPONENT_CLASS_SINK_CONSUME_METHOD_STATUS_ERROR;
                        }
                }
                bt_message_put_ref(msgs[i]);
        }
        if (sink->progress)
                ct__progress(sink);
        return status;
}
