/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "ct_live.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <babeltrace2/babeltrace.h>

struct ct_live_client {
        const bt_plugin *ctf;                      /* owned */
        const bt_component_class_source *live_cls; /* weak: owned by ctf */
};

int ct_live_is_url(const char *s)
{
        return s && (strncmp(s, "net://", 6) == 0 || strncmp(s, "net4://", 7) == 0);
}

/* Copies [b, e) into out (size n); -EINVAL if empty or too long. */
static int ct__copy_part(const char *b, const char *e, char *out, size_t n)
{
        size_t len = (size_t)(e - b);

        if (len == 0 || len >= n)
                return -EINVAL;
        memcpy(out, b, len);
        out[len] = '\0';
        return 0;
}

int ct_live_parse_url(const char *url, struct ct_live_url *out)
{
        const char *p;
        const char *slash;
        const char *host_end;

        memset(out, 0, sizeof(*out));
        if (!ct_live_is_url(url))
                return -EINVAL;
        p = strstr(url, "://") + 3;
        slash = strchr(p, '/');
        if (!slash || slash == p)
                return -EINVAL;
        if (ct__copy_part(url, slash, out->relay, sizeof(out->relay)))
                return -EINVAL;
        if (strncmp(slash, "/host/", 6) != 0)
                return -EINVAL;
        p = slash + 6;
        host_end = strchr(p, '/');
        if (!host_end || ct__copy_part(p, host_end, out->host, sizeof(out->host)))
                return -EINVAL;
        p = host_end + 1;
        if (strchr(p, '/') || ct__copy_part(p, p + strlen(p), out->session, sizeof(out->session)))
                return -EINVAL;
        return 0;
}

/* One address: non-blocking connect, then poll. */
static int ct__connect_one(const struct addrinfo *ai, int timeout_ms)
{
        int fd =
            socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
        struct pollfd pfd;
        int err = 0;
        socklen_t len = sizeof(err);
        int ret;

        if (fd < 0)
                return -errno;
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
                ret = 0;
                goto end;
        }
        if (errno != EINPROGRESS) {
                ret = -errno;
                goto end;
        }
        pfd.fd = fd;
        pfd.events = POLLOUT;
        do {
                ret = poll(&pfd, 1, timeout_ms);
        } while (ret < 0 && errno == EINTR);
        if (ret == 0) {
                ret = -ETIMEDOUT;
                goto end;
        }
        if (ret < 0) {
                ret = -errno;
                goto end;
        }
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) {
                ret = -errno;
                goto end;
        }
        ret = err ? -err : 0;
end:
        close(fd);
        return ret;
}

int ct_live_tcp_probe(const char *host, unsigned int port, int timeout_ms)
{
        struct addrinfo hints;
        struct addrinfo *res = NULL; /* owned */
        char service[16];
        int ret;

        memset(&hints, 0, sizeof(hints));
        hints.ai_family = AF_UNSPEC;
        hints.ai_socktype = SOCK_STREAM;
        snprintf(service, sizeof(service), "%u", port);
        ret = getaddrinfo(host, service, &hints, &res);
        if (ret != 0)
                return ret == EAI_SYSTEM ? -errno : -ENOENT;
        ret = -ECONNREFUSED;
        for (const struct addrinfo *ai = res; ai; ai = ai->ai_next) {
                ret = ct__connect_one(ai, timeout_ms);
                if (ret == 0)
                        break;
        }
        freeaddrinfo(res);
        return ret;
}

/* net[4]://HOST[:PORT] -> host, port (IPv6 brackets removed). */
static int ct__split_relay(const char *relay, char *host, size_t host_len, unsigned int *port)
{
        const char *p = strstr(relay, "://");
        const char *end;
        const char *colon;

        if (!p)
                return -EINVAL;
        p += 3;
        *port = CT_LIVE_DEFAULT_PORT;
        if (*p == '[') {
                end = strchr(p, ']');
                if (!end)
                        return -EINVAL;
                if (ct__copy_part(p + 1, end, host, host_len))
                        return -EINVAL;
                colon = end[1] == ':' ? end + 1 : NULL;
        } else {
                colon = strchr(p, ':');
                end = colon ? colon : p + strlen(p);
                if (ct__copy_part(p, end, host, host_len))
                        return -EINVAL;
        }
        if (colon) {
                char *e = NULL;
                unsigned long v = strtoul(colon + 1, &e, 10);

                if (!e || *e != '\0' || v == 0 || v > 65535)
                        return -EINVAL;
                *port = (unsigned int)v;
        }
        return 0;
}

int ct_live_client_create(struct ct_live_client **out)
{
        struct ct_live_client *c = calloc(1, sizeof(*c));

        *out = NULL;
        if (!c)
                return -ENOMEM;
        if (bt_plugin_find("ctf", BT_TRUE, BT_TRUE, BT_TRUE, BT_TRUE, BT_TRUE, &c->ctf) !=
            BT_PLUGIN_FIND_STATUS_OK) {
                bt_current_thread_clear_error();
                free(c);
                return -ENOENT;
        }
        c->live_cls = bt_plugin_borrow_source_component_class_by_name_const(c->ctf, "lttng-live");
        if (!c->live_cls) {
                ct_live_client_destroy(c);
                return -ENOENT;
        }
        *out = c;
        return 0;
}

void ct_live_client_destroy(struct ct_live_client *c)
{
        if (!c)
                return;
        BT_PLUGIN_PUT_REF_AND_RESET(c->ctf);
        free(c);
}

/* babeltrace2's deepest cause (the socket error), cleared afterwards. */
static void ct__take_cause(char *why, size_t why_len)
{
        const bt_error *error = bt_current_thread_take_error();
        uint64_t n;

        if (why_len)
                snprintf(why, why_len,
                         "something listens there but does not answer the LTTng live protocol");
        if (!error)
                return;
        n = bt_error_get_cause_count(error);
        /* The plugin's own causes say more than libbabeltrace2's: take the deepest. */
        for (uint64_t i = 0; i < n && why_len; i++) {
                const bt_error_cause *cause = bt_error_borrow_cause_by_index(error, i);
                const char *module = bt_error_cause_get_module_name(cause);
                const char *msg = bt_error_cause_get_message(cause);

                if (module && strcmp(module, "libbabeltrace2") != 0)
                        snprintf(why, why_len, "%.*s", (int)strcspn(msg, "\n"), msg);
        }
        bt_error_release(error);
}

static const char *ct__map_str(const bt_value *map, const char *key)
{
        const bt_value *v = bt_value_map_borrow_entry_value_const(map, key);

        return v && bt_value_is_string(v) ? bt_value_string_get(v) : "";
}

static uint64_t ct__map_uint(const bt_value *map, const char *key)
{
        const bt_value *v = bt_value_map_borrow_entry_value_const(map, key);

        if (v && bt_value_is_unsigned_integer(v))
                return bt_value_integer_unsigned_get(v);
        if (v && bt_value_is_signed_integer(v) && bt_value_integer_signed_get(v) > 0)
                return (uint64_t)bt_value_integer_signed_get(v);
        return 0;
}

int ct_live_find_session(struct ct_live_client *c, const char *relay, const char *host,
                         const char *session, struct ct_live_session *out, char *why,
                         size_t why_len)
{
        bt_value *params = NULL;       /* owned */
        bt_query_executor *qe = NULL;  /* owned */
        const bt_value *result = NULL; /* owned */
        bt_query_executor_query_status st;
        int ret = 0;

        memset(out, 0, sizeof(*out));
        {
                char rhost[256];
                unsigned int port;

                if (ct__split_relay(relay, rhost, sizeof(rhost), &port)) {
                        snprintf(why, why_len, "bad relay daemon URL");
                        return -EINVAL;
                }
                ret = ct_live_tcp_probe(rhost, port, 5000);
                if (ret) {
                        snprintf(why, why_len, "%s:%u: %s", rhost, port,
                                 ret == -ENOENT ? "unknown host" : strerror(-ret));
                        return ret;
                }
        }
        params = bt_value_map_create();
        if (!params || bt_value_map_insert_string_entry(params, "url", relay)) {
                ret = -ENOMEM;
                goto end;
        }
        qe = bt_query_executor_create(
            bt_component_class_source_as_component_class_const(c->live_cls), "sessions", params);
        if (!qe) {
                ret = -ENOMEM;
                goto end;
        }
        st = bt_query_executor_query(qe, &result);
        if (st == BT_QUERY_EXECUTOR_QUERY_STATUS_MEMORY_ERROR) {
                ret = -ENOMEM;
                goto end;
        }
        if (st != BT_QUERY_EXECUTOR_QUERY_STATUS_OK || !result || !bt_value_is_array(result)) {
                ct__take_cause(why, why_len);
                ret = -EPROTO;
                goto end;
        }
        for (uint64_t i = 0; i < bt_value_array_get_length(result); i++) {
                const bt_value *s = bt_value_array_borrow_element_by_index_const(result, i);

                if (!bt_value_is_map(s))
                        continue;
                if (strcmp(ct__map_str(s, "session-name"), session) != 0 ||
                    strcmp(ct__map_str(s, "target-hostname"), host) != 0)
                        continue;
                out->found = 1;
                out->clients += ct__map_uint(s, "client-count");
                out->streams += ct__map_uint(s, "stream-count");
        }
end:
        bt_current_thread_clear_error();
        BT_VALUE_PUT_REF_AND_RESET(result);
        BT_QUERY_EXECUTOR_PUT_REF_AND_RESET(qe);
        BT_VALUE_PUT_REF_AND_RESET(params);
        return ret;
}
