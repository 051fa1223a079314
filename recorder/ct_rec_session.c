/* SPDX-License-Identifier: MIT */
/*
 * Recorder: the LTTng session (created, set up with its channel, events,
 * filter and contexts, stopped, destroyed).
 */
#define _GNU_SOURCE
#include "ct_rec_internal.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>
#include <dlfcn.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <lttng/lttng.h>

#include "ct_live.h"

/* ---------------------------------------------------------------- session */

#define CT__LTTNG_CHECK(call, what)                                                                \
        do {                                                                                       \
                int ct__lret = (call);                                                             \
                if (ct__lret < 0) {                                                                \
                        ct__err("Failed to %s: session=%s: %s%s", (what), rec->res->session_name,  \
                                lttng_strerror(ct__lret), ct__lttng_hint(ct__lret));               \
                        ret = -EIO;                                                                \
                        goto end;                                                                  \
                }                                                                                  \
        } while (0)

/* Creates the session: local output, or live through the relay daemon (--live). */
int ct__session_create(struct ct__rec *rec)
{
        char url[PATH_MAX + 16];
        int ret = 0;

        if (rec->opts->session_name) {
                snprintf(rec->res->session_name, sizeof(rec->res->session_name), "%s",
                         rec->opts->session_name);
        } else {
                snprintf(rec->res->session_name, sizeof(rec->res->session_name),
                         "conctrace-%.40s-%ld-%lld-%u", rec->prog_name, (long)getpid(),
                         (long long)time(NULL), ct__run_counter++);
        }
        if (rec->opts->live || rec->opts->relayd_url) {
                const struct ct__relay *r = &rec->relay;
                uint64_t timer = rec->opts->live_timer_us ? rec->opts->live_timer_us
                                                          : CT_RECORDER_DEFAULT_LIVE_TIMER_US;

                /* Live: streamed to the relay daemon, flushed every live timer period. */
                snprintf(url, sizeof(url), "net://%s:%u:%u", r->host, r->ctrl_port, r->data_port);
                if (timer > UINT32_MAX) {
                        ct__err("Failed to create session: live timer too long: us=%" PRIu64,
                                timer);
                        return -EINVAL;
                }
                CT__LTTNG_CHECK(
                    lttng_create_session_live(rec->res->session_name, url, (unsigned int)timer),
                    "create live session");
                rec->session_created = 1;
                snprintf(rec->res->live_url, sizeof(rec->res->live_url), "net://%s:%u/host/%s/%s",
                         r->host, r->live_port, rec->hostname, rec->res->session_name);
                goto end;
        }
        if (snprintf(url, sizeof(url), "file://%s", rec->res->trace_dir) >= (int)sizeof(url)) {
                ct__err("Failed to create session: output path too long: path=%s",
                        rec->res->trace_dir);
                return -ENAMETOOLONG;
        }
        CT__LTTNG_CHECK(lttng_create_session(rec->res->session_name, url), "create session");
        rec->session_created = 1;
end:
        return ret;
}

/* UST channel, ct_* events (filtered on the program's IPC namespace if isolated), contexts, start.
 */
int ct__session_setup(struct ct__rec *rec)
{
        static const struct {
                enum lttng_event_context_type type;
                const char *name;
        } contexts[] = {
            {LTTNG_EVENT_CONTEXT_VPID, "vpid"},
            {LTTNG_EVENT_CONTEXT_VTID, "vtid"},
            {LTTNG_EVENT_CONTEXT_PROCNAME, "procname"},
        };
        struct lttng_domain domain;
        struct lttng_channel *chan = NULL; /* owned */
        struct lttng_event *ev = NULL;     /* owned */
        char filter[64];
        size_t i;
        int ret = 0;

        memset(&domain, 0, sizeof(domain));
        domain.type = LTTNG_DOMAIN_UST;
        domain.buf_type = LTTNG_BUFFER_PER_UID;

        rec->handle = lttng_create_handle(rec->res->session_name, &domain);
        if (!rec->handle) {
                ct__err("Failed to create handle: session=%s: out of memory",
                        rec->res->session_name);
                ret = -ENOMEM;
                goto end;
        }

        chan = lttng_channel_create(&domain);
        if (!chan) {
                ct__err("Failed to create channel: out of memory");
                ret = -ENOMEM;
                goto end;
        }
        snprintf(chan->name, sizeof(chan->name), "%s", CT__CHANNEL_NAME);
        chan->attr.overwrite = 0; /* discard mode: a full buffer drops new events, counted */
        chan->attr.subbuf_size = rec->opts->subbuf_size;
        chan->attr.num_subbuf = rec->opts->num_subbuf;
        chan->attr.output = LTTNG_EVENT_MMAP;
        CT__LTTNG_CHECK(lttng_enable_channel(rec->handle, chan), "enable channel");

        ev = lttng_event_create();
        if (!ev) {
                ct__err("Failed to create event rule: out of memory");
                ret = -ENOMEM;
                goto end;
        }
        ev->type = LTTNG_EVENT_TRACEPOINT;
        snprintf(ev->name, sizeof(ev->name), "%s", CT__EVENT_GLOB);
        ev->loglevel_type = LTTNG_EVENT_LOGLEVEL_ALL;
        ev->loglevel = -1;
        if (rec->res->isolated) {
                /* Only the program's IPC namespace, i.e. its process tree, at the source. */
                snprintf(filter, sizeof(filter), "$ctx.ipc_ns == %" PRIu64, rec->res->ipc_ns);
                CT__LTTNG_CHECK(lttng_enable_event_with_exclusions(
                                    rec->handle, ev, CT__CHANNEL_NAME, filter, 0, NULL),
                                "enable events (filter on the program's IPC namespace)");
        } else {
                CT__LTTNG_CHECK(lttng_enable_event_with_exclusions(rec->handle, ev,
                                                                   CT__CHANNEL_NAME, NULL, 0, NULL),
                                "enable events");
        }

        for (i = 0; i < sizeof(contexts) / sizeof(contexts[0]); i++) {
                struct lttng_event_context ctx;
                char what[64];

                memset(&ctx, 0, sizeof(ctx));
                ctx.ctx = contexts[i].type;
                snprintf(what, sizeof(what), "add context %s", contexts[i].name);
                CT__LTTNG_CHECK(lttng_add_context(rec->handle, &ctx, NULL, CT__CHANNEL_NAME), what);
        }

        CT__LTTNG_CHECK(lttng_start_tracing(rec->res->session_name), "start tracing");
end:
        lttng_event_destroy(ev);
        if (chan) {
                lttng_channel_destroy(chan);
        }
        return ret;
}

/* Stops (waiting for the data) and reads the discarded/lost counts. */
int ct__session_stop(struct ct__rec *rec)
{
        struct lttng_channel *chans = NULL; /* owned */
        int nr;
        int i;
        int ret = 0;

        CT__LTTNG_CHECK(lttng_stop_tracing(rec->res->session_name), "stop tracing");
        nr = lttng_list_channels(rec->handle, &chans);
        if (nr < 0) {
                ct__err("Failed to list channels: session=%s: %s", rec->res->session_name,
                        lttng_strerror(nr));
                ret = -EIO;
                goto end;
        }
        for (i = 0; i < nr; i++) {
                uint64_t discarded = 0;
                uint64_t lost = 0;

                if (strcmp(chans[i].name, CT__CHANNEL_NAME) != 0) {
                        continue;
                }
                CT__LTTNG_CHECK(lttng_channel_get_discarded_event_count(&chans[i], &discarded),
                                "read the discarded event count");
                CT__LTTNG_CHECK(lttng_channel_get_lost_packet_count(&chans[i], &lost),
                                "read the lost packet count");
                rec->res->discarded_events += discarded;
                rec->res->lost_packets += lost;
        }
end:
        free(chans);
        return ret;
}

/* 1 if the session daemon has a session of that name, 0 if not, -1 if unknown. */
static int ct__session_exists(const char *name)
{
        struct lttng_session *sessions = NULL; /* owned */
        int n = lttng_list_sessions(&sessions);
        int found = 0;
        int i;

        if (n < 0) {
                return -1;
        }
        for (i = 0; i < n; i++) {
                if (strcmp(sessions[i].name, name) == 0) {
                        found = 1;
                }
        }
        free(sessions);
        return found;
}

/* Destroys the session (if created) and frees the handle; never fails silently. */
int ct__session_destroy(struct ct__rec *rec)
{
        int ret = 0;

        if (rec->handle) {
                lttng_destroy_handle(rec->handle);
                rec->handle = NULL;
        }
        if (rec->session_created) {
                int lret = lttng_destroy_session(rec->res->session_name);

                if (lret < 0 && ct__session_exists(rec->res->session_name) == 0) {
                        /* e.g. live: the relay daemon died; the daemon dropped the session. */
                        ct__err("Failed to destroy session cleanly: session=%s: %s (the session "
                                "is gone%s: its trace may be incomplete)",
                                rec->res->session_name, lttng_strerror(lret),
                                rec->res->live_url[0] ? " (was the relay daemon lost?)" : "");
                        ret = -EIO;
                } else if (lret < 0) {
                        ct__err("Failed to destroy session: session=%s: %s (remove it with: lttng "
                                "destroy %s)",
                                rec->res->session_name, lttng_strerror(lret),
                                rec->res->session_name);
                        ret = -EIO;
                }
                rec->session_created = 0;
        }
        return ret;
}
