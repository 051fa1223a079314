/* SPDX-License-Identifier: MIT */
/*
 * Recorder: --live (the relay daemon chosen, its copy of the trace, the
 * viewer awaited, the warm-up registration).
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

/* ---------------------------------------------------------------- live */

/* Parses [tcp|net|tcp4|net4]://HOST[:CTRL[:DATA]][/] or HOST[:CTRL[:DATA]]. */
int ct__parse_relayd_url(const char *url, struct ct__relay *r)
{
        static const char *const schemes[] = {"tcp://", "net://", "tcp4://", "net4://"};
        const char *p = url;
        const char *colon;
        size_t hlen;
        size_t i;

        for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
                if (strncmp(url, schemes[i], strlen(schemes[i])) == 0) {
                        p = url + strlen(schemes[i]);
                        break;
                }
        }
        if (strstr(p, "://")) {
                return -EINVAL; /* another scheme (tcp6, file, ...) */
        }
        colon = strchr(p, ':');
        hlen = colon ? (size_t)(colon - p) : strcspn(p, "/");
        if (hlen == 0 || hlen >= sizeof(r->host)) {
                return -EINVAL;
        }
        memcpy(r->host, p, hlen);
        r->host[hlen] = '\0';
        r->ctrl_port = CT_RECORDER_RELAYD_CTRL_PORT;
        r->data_port = CT_RECORDER_RELAYD_DATA_PORT;
        for (i = 0; colon && i < 2; i++) {
                char *end = NULL;
                unsigned long v = strtoul(colon + 1, &end, 10);

                if (end == colon + 1 || v == 0 || v > 65535) {
                        return -EINVAL;
                }
                if (i == 0) {
                        r->ctrl_port = (unsigned int)v;
                } else {
                        r->data_port = (unsigned int)v;
                }
                colon = *end == ':' ? end : NULL;
                if (!colon && *end != '\0' && strcmp(end, "/") != 0) {
                        return -EINVAL;
                }
        }
        if (colon) {
                return -EINVAL; /* a third port */
        }
        if (!strchr(r->host, '.') && strcmp(r->host, "localhost") != 0 &&
            isdigit((unsigned char)r->host[0]) &&
            strspn(r->host, "0123456789") == strlen(r->host)) {
                return -EINVAL; /* "5342": a port without a host */
        }
        return 0;
}

/* A TCP port on 127.0.0.1 that is free right now (the kernel's choice), or 0. */
static unsigned int ct__free_port(void)
{
        struct sockaddr_in sa;
        socklen_t len = sizeof(sa);
        unsigned int port = 0;
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

        if (fd < 0) {
                return 0;
        }
        memset(&sa, 0, sizeof(sa));
        sa.sin_family = AF_INET;
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
            getsockname(fd, (struct sockaddr *)&sa, &len) == 0) {
                port = ntohs(sa.sin_port);
        }
        close(fd);
        return port;
}

/*
 * Chooses the relay daemon: the one given (checked to answer), else the one
 * on 127.0.0.1's default ports, else a new one (default ports if free, else
 * free ones; with -o DIR always a new one, writing into DIR).
 */
int ct__relay_prepare(struct ct__rec *rec, struct ct__relay *r)
{
        const struct ct_recorder_opts *o = rec->opts;
        int ret;

        memset(r, 0, sizeof(*r));
        if (o->relayd_url) {
                if (ct__parse_relayd_url(o->relayd_url, r)) {
                        ct__err("Invalid relay daemon URL: url=%s (expected tcp://HOST[:CTRLPORT"
                                "[:DATAPORT]], e.g. tcp://192.168.1.10 or "
                                "tcp://127.0.0.1:5342:5343)",
                                o->relayd_url);
                        rec->res->exit_code = 2;
                        return -EINVAL;
                }
                r->live_port =
                    o->relayd_live_port ? o->relayd_live_port : CT_RECORDER_RELAYD_LIVE_PORT;
                ret = ct_live_tcp_probe(r->host, r->ctrl_port, 5000);
                if (ret == 0) {
                        ret = ct_live_tcp_probe(r->host, r->data_port, 5000);
                }
                if (ret) {
                        ct__err("Failed to reach the relay daemon: url=%s: %s:%u/%u: %s (start "
                                "lttng-relayd there, e.g. lttng-relayd --daemonize -C "
                                "tcp://0.0.0.0:%u -D tcp://0.0.0.0:%u -L tcp://0.0.0.0:%u, or "
                                "omit --relayd to use a local one)",
                                o->relayd_url, r->host, r->ctrl_port, r->data_port,
                                ret == -ENOENT ? "unknown host" : strerror(-ret), r->ctrl_port,
                                r->data_port, r->live_port);
                        return ret;
                }
                ct__info(rec, "streaming to the relay daemon at tcp://%s:%u:%u", r->host,
                         r->ctrl_port, r->data_port);
                return 0;
        }

        snprintf(r->host, sizeof(r->host), "127.0.0.1");
        r->ctrl_port = CT_RECORDER_RELAYD_CTRL_PORT;
        r->data_port = CT_RECORDER_RELAYD_DATA_PORT;
        r->live_port = CT_RECORDER_RELAYD_LIVE_PORT;
        if (!o->output_dir) {
                int ctrl_up = ct_live_tcp_probe(r->host, r->ctrl_port, 1000) == 0;
                int data_up = ct_live_tcp_probe(r->host, r->data_port, 1000) == 0;
                int live_up = ct_live_tcp_probe(r->host, r->live_port, 1000) == 0;

                if (ctrl_up && data_up && live_up) {
                        ct__info(rec,
                                 "using the relay daemon on 127.0.0.1 (ports %u/%u/%u); it "
                                 "writes the trace under its own output directory",
                                 r->ctrl_port, r->data_port, r->live_port);
                        return 0;
                }
                if (ctrl_up || data_up || live_up) {
                        r->ctrl_port = 0; /* default ports partly taken: choose free ones */
                }
                /* lttng's default output directory, named so that the copy can be found. */
                {
                        const char *home = getenv("LTTNG_HOME");

                        if (!home || !*home) {
                                home = getenv("HOME");
                        }
                        if (home && *home && home[0] == '/' &&
                            strlen(home) + sizeof("/lttng-traces") <= sizeof(r->out_dir)) {
                                strcpy(r->out_dir, home);
                                strcat(r->out_dir, "/lttng-traces");
                        }
                }
        } else {
                ret = ct__prepare_output(rec);
                if (ret) {
                        return ret;
                }
                snprintf(r->out_dir, sizeof(r->out_dir), "%s", rec->res->trace_dir);
                r->ctrl_port = 0; /* its own relay daemon: never the shared default ports */
        }
        if (r->ctrl_port == 0) {
                r->ctrl_port = ct__free_port();
                r->data_port = ct__free_port();
                r->live_port = ct__free_port();
                if (!r->ctrl_port || !r->data_port || !r->live_port ||
                    r->ctrl_port == r->data_port || r->data_port == r->live_port ||
                    r->ctrl_port == r->live_port) {
                        ct__err("Failed to start lttng-relayd: no free TCP ports on 127.0.0.1");
                        return -EADDRINUSE;
                }
        }
        ct__info(rec,
                 "starting a relay daemon: lttng-relayd -C tcp://127.0.0.1:%u -D "
                 "tcp://127.0.0.1:%u -L tcp://127.0.0.1:%u%s%s",
                 r->ctrl_port, r->data_port, r->live_port, r->out_dir[0] ? " -o " : "", r->out_dir);
        return ct__start_relayd(rec, r);
}

/* After the session is destroyed: the relay daemon's copy (DIR/HOSTNAME/SESSION-*). */
void ct__find_relayd_copy(struct ct__rec *rec, const struct ct__relay *r, const char *hostname)
{
        char dir[PATH_MAX];
        size_t nlen = strlen(rec->res->session_name);
        DIR *d;
        struct dirent *de;

        if (!r->out_dir[0] ||
            snprintf(dir, sizeof(dir), "%s/%s", r->out_dir, hostname) >= (int)sizeof(dir)) {
                return;
        }
        d = opendir(dir);
        if (!d) {
                return;
        }
        while ((de = readdir(d))) {
                if (strncmp(de->d_name, rec->res->session_name, nlen) == 0 &&
                    de->d_name[nlen] == '-') {
                        if (strlen(dir) + 1 + strlen(de->d_name) < sizeof(rec->res->trace_dir)) {
                                strcpy(rec->res->trace_dir, dir);
                                strcat(rec->res->trace_dir, "/");
                                strcat(rec->res->trace_dir, de->d_name);
                        }
                        break;
                }
        }
        closedir(d);
}

/* --wait-viewer: until a live viewer attached to the session (or the time is up). */
int ct__wait_viewer(struct ct__rec *rec, const struct ct__relay *r, const char *hostname)
{
        struct ct_live_client *client = NULL; /* owned */
        struct ct_live_session s;
        char relay[320];
        char why[256];
        unsigned int waited;
        int ret;

        ret = ct_live_client_create(&client);
        if (ret) {
                ct__err("warning: cannot wait for a viewer: babeltrace2's ctf plugin not found; "
                        "starting the program");
                return 0;
        }
        snprintf(relay, sizeof(relay), "net://%s:%u", r->host, r->live_port);
        ct__info(rec, "waiting up to %u s for a live viewer before starting the program",
                 (rec->opts->wait_viewer_ms + 999) / 1000);
        for (waited = 0;; waited += 100) {
                ret = ct_live_find_session(client, relay, hostname, rec->res->session_name, &s, why,
                                           sizeof(why));
                if (ret == 0 && s.clients > 0) {
                        ct__info(rec, "a live viewer is attached: starting the program");
                        break;
                }
                if (ct__sig_first) {
                        ret = -EINTR;
                        goto end;
                }
                if (waited >= rec->opts->wait_viewer_ms) {
                        ct__err("warning: no live viewer attached after %u ms%s%s: starting the "
                                "program anyway",
                                waited, ret ? ": " : "", ret ? why : "");
                        break;
                }
                ct__sleep_ms(100);
        }
        ret = 0;
end:
        ct_live_client_destroy(client);
        return ret;
}

/*
 * The warm-up child: loading the provider library runs liblttng-ust's
 * constructor, which registers this process with the session daemon and
 * waits until its channels and enabled events exist (the per-UID buffers and
 * the complete metadata). It fires no event.
 */
static void ct__warmup_child(const char *lib)
{
        void *h;

        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        /* liblttng-ust waits 3 s by default; the parent bounds us anyway. */
        setenv("LTTNG_UST_REGISTER_TIMEOUT", "4500", 0);
        h = dlopen(lib, RTLD_NOW | RTLD_GLOBAL);
        _exit(h ? 0 : 1);
}

/*
 * --live: makes the session's per-UID buffers and complete metadata exist
 * before a viewer can attach (docs/live.md, "warm-up"). Babeltrace 2.0's
 * lttng-live sets its trace's clock class only from the first metadata it
 * reads: a viewer attached while the relay daemon has only part of it (no
 * app registered yet) aborts on its first inactivity beacon. A failure here
 * is a warning: the recording goes on as without the warm-up.
 */
int ct__warmup(struct ct__rec *rec)
{
        struct ct_live_client *client = NULL; /* owned */
        struct ct_live_session s;
        char exe[PATH_MAX];
        char lib[PATH_MAX + sizeof(CT__WARMUP_LIB)];
        char relay[320];
        char why[256];
        char *slash;
        ssize_t n;
        pid_t pid;
        int status = 0;
        int waited;
        int ret = 0;

        n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
        if (n <= 0) {
                ct__err("warning: live warm-up skipped: cannot read /proc/self/exe: %s",
                        n < 0 ? strerror(errno) : "empty");
                goto end;
        }
        exe[n] = '\0';
        slash = strrchr(exe, '/');
        if (!slash) {
                ct__err("warning: live warm-up skipped: unexpected path of conctrace: path=%s",
                        exe);
                goto end;
        }
        *slash = '\0';
        snprintf(lib, sizeof(lib), "%s%s", exe, CT__WARMUP_LIB);
        if (access(lib, R_OK) != 0) {
                ct__err("warning: live warm-up skipped: provider library not found: path=%s (%s); "
                        "a viewer attached before the program starts may get incomplete metadata",
                        lib, strerror(errno));
                goto end;
        }

        pid = fork();
        if (pid < 0) {
                ct__err("warning: live warm-up skipped: fork: %s", strerror(errno));
                goto end;
        }
        if (pid == 0) {
                ct__warmup_child(lib);
        }
        for (waited = 0;; waited += 20) {
                pid_t w = waitpid(pid, &status, WNOHANG);

                if (w == pid || (w < 0 && errno != EINTR)) {
                        break;
                }
                if (waited >= CT__WARMUP_CHILD_MS) {
                        kill(pid, SIGKILL);
                        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
                        }
                        ct__err("warning: live warm-up: the registration with the session daemon "
                                "took more than %d ms; going on",
                                CT__WARMUP_CHILD_MS);
                        goto end;
                }
                if (ct__sig_first) {
                        kill(pid, SIGKILL);
                        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
                        }
                        ret = -EINTR;
                        goto end;
                }
                ct__sleep_ms(20);
        }
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                ct__err("warning: live warm-up: cannot load the provider library: path=%s; going "
                        "on",
                        lib);
                goto end;
        }

        /* The relay daemon lists the streams (metadata included) once they reach it. */
        if (ct_live_client_create(&client)) {
                ct__sleep_ms(500);
                goto end;
        }
        snprintf(relay, sizeof(relay), "net://%s:%u", rec->relay.host, rec->relay.live_port);
        for (waited = 0;; waited += 50) {
                if (ct_live_find_session(client, relay, rec->hostname, rec->res->session_name, &s,
                                         why, sizeof(why)) == 0 &&
                    s.found && s.streams >= 2) {
                        break;
                }
                if (ct__sig_first) {
                        ret = -EINTR;
                        goto end;
                }
                if (waited >= CT__WARMUP_STREAMS_MS) {
                        ct__err("warning: live warm-up: the relay daemon lists no streams of "
                                "session %s after %d ms; going on",
                                rec->res->session_name, waited);
                        goto end;
                }
                ct__sleep_ms(50);
        }
        /* Its metadata follows the stream announcements on the data connection. */
        ct__sleep_ms(200);
end:
        ct_live_client_destroy(client);
        return ret;
}
