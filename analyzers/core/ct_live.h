/* SPDX-License-Identifier: MIT */
/*
 * LTTng live helpers shared by the driver (conctrace analyze net://...) and
 * the recorder (conctrace record --live --wait-viewer): parse a live URL and
 * ask a relay daemon about its sessions through babeltrace2's
 * src.ctf.lttng-live `sessions` query. No babeltrace2 types in this header.
 *
 *     struct ct_live_url u;
 *     struct ct_live_client *c;
 *     struct ct_live_session s;
 *
 *     ct_live_parse_url("net://127.0.0.1:5344/host/vm/sess", &u);
 *     ct_live_client_create(&c);
 *     ret = ct_live_find_session(c, u.relay, u.host, u.session, &s, why, sizeof(why));
 *     // ret == 0: s.found, s.clients, s.streams; ret < 0: relay daemon unreachable
 *     ct_live_client_destroy(c);
 */
#ifndef CT_LIVE_H
#define CT_LIVE_H

#include <stddef.h>
#include <stdint.h>

/* The default live port of lttng-relayd (the viewers' port). */
#define CT_LIVE_DEFAULT_PORT 5344

/* A live session URL split into its parts. */
struct ct_live_url {
        char relay[320];   /* net://RDHOST[:RDPORT] (what the `sessions` query takes) */
        char host[256];    /* target host name (the traced machine) */
        char session[256]; /* session name */
};

/* 1 if s starts with net:// or net4://, else 0. */
int ct_live_is_url(const char *s);

/*
 * Splits net[4]://RDHOST[:RDPORT]/host/TGTHOST/SESSION. -EINVAL if it does
 * not have that form (or a part is empty or too long).
 */
int ct_live_parse_url(const char *url, struct ct_live_url *out);

/*
 * Opens (and closes at once) a TCP connection to host:port, within about
 * timeout_ms. 0 when something listens there, else a negative errno
 * (-ECONNREFUSED, -ETIMEDOUT, -EHOSTUNREACH, -ENOENT: unknown host name).
 */
int ct_live_tcp_probe(const char *host, unsigned int port, int timeout_ms);

/* What a relay daemon says about one session. */
struct ct_live_session {
        int found;        /* the relay daemon has a session (host, name) */
        uint64_t clients; /* live viewers attached to it */
        uint64_t streams; /* its streams, metadata included */
};

struct ct_live_client;

/* Loads babeltrace2's ctf plugin. 0, -ENOENT (plugin not found), -ENOMEM. */
int ct_live_client_create(struct ct_live_client **out);
void ct_live_client_destroy(struct ct_live_client *c);

/*
 * Asks the relay daemon at relay (net://RDHOST[:RDPORT]) for its sessions and
 * fills *out for (host, session). Returns 0 (even if not found), or when the
 * relay daemon cannot be reached a negative errno (-ECONNREFUSED, ...; or
 * -EPROTO when something listens there but does not answer the LTTng live
 * protocol) with a short reason in why; -ENOMEM.
 */
int ct_live_find_session(struct ct_live_client *c, const char *relay, const char *host,
                         const char *session, struct ct_live_session *out, char *why,
                         size_t why_len);

#endif /* CT_LIVE_H */
