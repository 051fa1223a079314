/* SPDX-License-Identifier: MIT */
/*
 * The conctrace recorder: one LTTng session (liblttng-ctl, no `lttng`
 * command) around one program run: options, the program, signals and the
 * run itself. See ct_recorder.h and docs/recording.md; the steps live in
 * ct_rec_*.c (output, daemon, live, session, child).
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

/* Signal state shared with the handler (one recording at a time per process). */
volatile sig_atomic_t ct__sig_first;
volatile sig_atomic_t ct__sig_count;
volatile sig_atomic_t ct__child_pid;
unsigned int ct__run_counter;
/* The "cannot isolate" warning is printed once per process (a sweep records many runs). */
int ct__warned_no_isolation;

void ct__err(const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        fputs(CT__PREFIX, stderr);
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
        va_end(ap);
}

void ct__info(const struct ct__rec *rec, const char *fmt, ...)
{
        va_list ap;

        if (rec->opts->quiet) {
                return;
        }
        va_start(ap, fmt);
        fputs(CT__PREFIX, stderr);
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
        va_end(ap);
}

/* A hint for liblttng-ctl errors that usually mean "not allowed". */
const char *ct__lttng_hint(int lttng_ret)
{
        int code = lttng_ret < 0 ? -lttng_ret : lttng_ret;

        switch (code) {
        case LTTNG_ERR_EPERM:
        case LTTNG_ERR_NOT_SUPPORTED:
                return " (run as root or as a member of the 'tracing' group)";
        case LTTNG_ERR_NO_SESSIOND:
                return " (is lttng-sessiond running? start it with: lttng-sessiond --daemonize "
                       "--no-kernel)";
        case LTTNG_ERR_CREATE_DIR_FAIL:
                return " (the session daemon could not create the output directory)";
        default:
                return "";
        }
}

/* ---------------------------------------------------------------- options */

void ct_recorder_opts_init(struct ct_recorder_opts *opts)
{
        memset(opts, 0, sizeof(*opts));
        opts->level = CT_RECORD_LEVEL_FULL;
        opts->subbuf_size = CT_RECORDER_DEFAULT_SUBBUF_SIZE;
        opts->num_subbuf = CT_RECORDER_DEFAULT_NUM_SUBBUF;
}

int ct_recorder_parse_level(const char *s, enum ct_record_level *level)
{
        if (s && strcmp(s, "full") == 0) {
                *level = CT_RECORD_LEVEL_FULL;
                return 0;
        }
        if (s && strcmp(s, "light") == 0) {
                *level = CT_RECORD_LEVEL_LIGHT;
                return 0;
        }
        return -EINVAL;
}

int ct_recorder_parse_size(const char *s, uint64_t *bytes)
{
        char *end = NULL;
        unsigned long long v;
        uint64_t mult = 1;

        if (!s || !isdigit((unsigned char)s[0])) {
                return -EINVAL;
        }
        errno = 0;
        v = strtoull(s, &end, 10);
        if (errno == ERANGE) {
                return -ERANGE;
        }
        if (end == s) {
                return -EINVAL;
        }
        switch (*end) {
        case '\0':
                break;
        case 'k':
        case 'K':
                mult = 1024ull;
                end++;
                break;
        case 'm':
        case 'M':
                mult = 1024ull * 1024;
                end++;
                break;
        case 'g':
        case 'G':
                mult = 1024ull * 1024 * 1024;
                end++;
                break;
        default:
                return -EINVAL;
        }
        if (mult > 1 && (strcmp(end, "iB") == 0 || strcmp(end, "B") == 0)) {
                end += strlen(end);
        }
        if (*end != '\0') {
                return -EINVAL;
        }
        if (v > UINT64_MAX / mult) {
                return -ERANGE;
        }
        *bytes = (uint64_t)v * mult;
        return 0;
}

static int ct__is_pow2(uint64_t v)
{
        return v != 0 && (v & (v - 1)) == 0;
}

int ct_recorder_check_buffers(uint64_t subbuf_size, uint64_t num_subbuf, const char **why)
{
        const char *reason = NULL;

        if (!ct__is_pow2(subbuf_size)) {
                reason = "subbuf-size must be a power of two (e.g. 256k, 1M, 4M)";
        } else if (subbuf_size < 4096) {
                reason = "subbuf-size must be at least 4096 bytes (one page)";
        } else if (!ct__is_pow2(num_subbuf)) {
                reason = "num-subbuf must be a power of two (e.g. 4, 8, 16)";
        } else if (num_subbuf < 2) {
                reason = "num-subbuf must be at least 2";
        } else if (subbuf_size > (1ull << 30) || num_subbuf > 1024 ||
                   subbuf_size * num_subbuf > (4ull << 30)) {
                reason = "sub-buffers too large (at most 4 GiB per CPU)";
        }
        if (why) {
                *why = reason;
        }
        return reason ? -EINVAL : 0;
}

/* ---------------------------------------------------------------- program */

/* Like execvp's lookup: argv[0] with a '/' is used as is, else searched in PATH. */
int ct__find_program(const char *name, char *out, size_t out_len)
{
        const char *path;
        const char *p;
        int saw_eacces = 0;

        if (name[0] == '\0') {
                return -ENOENT;
        }
        if (strchr(name, '/')) {
                if (snprintf(out, out_len, "%s", name) >= (int)out_len) {
                        return -ENAMETOOLONG;
                }
                return access(out, X_OK) == 0 ? 0 : -errno;
        }
        path = getenv("PATH");
        if (!path) {
                path = "/usr/local/bin:/usr/bin:/bin";
        }
        for (p = path;; p = strchr(p, ':') + 1) {
                const char *colon = strchr(p, ':');
                size_t len = colon ? (size_t)(colon - p) : strlen(p);
                struct stat st;

                if (len == 0) {
                        /* Empty PATH element: the current directory. */
                        if (snprintf(out, out_len, "./%s", name) >= (int)out_len) {
                                goto next;
                        }
                } else if (snprintf(out, out_len, "%.*s/%s", (int)len, p, name) >= (int)out_len) {
                        goto next;
                }
                if (stat(out, &st) == 0 && S_ISREG(st.st_mode)) {
                        if (access(out, X_OK) == 0) {
                                return 0;
                        }
                        saw_eacces = 1;
                }
        next:
                if (!colon) {
                        break;
                }
        }
        return saw_eacces ? -EACCES : -ENOENT;
}

static void ct__sanitize_name(const char *in, char *out, size_t out_len)
{
        const char *base = strrchr(in, '/');
        size_t i = 0;

        base = base ? base + 1 : in;
        for (; *base && i + 1 < out_len; base++) {
                unsigned char c = (unsigned char)*base;

                out[i++] = (isalnum(c) || c == '-' || c == '_' || c == '.') ? (char)c : '_';
        }
        out[i] = '\0';
        if (i == 0) {
                snprintf(out, out_len, "program");
        }
}

/* ---------------------------------------------------------------- signals */

static void ct__on_signal(int sig, siginfo_t *si, void *uctx)
{
        int saved_errno = errno;
        pid_t child = (pid_t)ct__child_pid;

        (void)uctx;
        ct__sig_count++;
        if (!ct__sig_first) {
                ct__sig_first = sig;
        }
        if (child > 0) {
                if (ct__sig_count > 1) {
                        /* Asked twice: the program ignores the first one. */
                        kill(child, SIGKILL);
                } else if (si->si_code != SI_KERNEL) {
                        /*
                         * Sent with kill(): forward it. A terminal's Ctrl-C
                         * (SI_KERNEL) already reached the program, which is in
                         * our foreground process group.
                         */
                        kill(child, sig);
                }
        }
        errno = saved_errno;
}

struct ct__sigsave {
        struct sigaction old_int;
        struct sigaction old_term;
};

static void ct__signals_install(struct ct__sigsave *save)
{
        struct sigaction sa;

        ct__sig_first = 0;
        ct__sig_count = 0;
        ct__child_pid = 0;
        memset(&sa, 0, sizeof(sa));
        sa.sa_sigaction = ct__on_signal;
        sa.sa_flags = SA_SIGINFO | SA_RESTART;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, &save->old_int);
        sigaction(SIGTERM, &sa, &save->old_term);
}

static void ct__signals_restore(const struct ct__sigsave *save)
{
        sigaction(SIGINT, &save->old_int, NULL);
        sigaction(SIGTERM, &save->old_term, NULL);
        ct__child_pid = 0;
}

static int ct__interrupted(struct ct__rec *rec)
{
        if (ct__sig_first) {
                ct__err("Interrupted by %s before the program started", strsignal(ct__sig_first));
                rec->res->interrupted = ct__sig_first;
                rec->res->exit_code = 128 + ct__sig_first;
                return 1;
        }
        return 0;
}

/*
 * After a step before the program runs: 1 if the recording must stop (the
 * step failed, or SIGINT/SIGTERM arrived: reported, *ret = -EINTR), else 0.
 */
static int ct__step_failed(struct ct__rec *rec, int *ret)
{
        if (*ret == -EINTR || (*ret == 0 && ct__sig_first)) {
                if (!ct__interrupted(rec)) {
                        ct__err("Interrupted before the program started");
                }
                *ret = -EINTR;
                return 1;
        }
        return *ret != 0;
}

/* ---------------------------------------------------------------- run */

static const char *ct__level_name(enum ct_record_level level)
{
        return level == CT_RECORD_LEVEL_LIGHT ? "light" : "full";
}

/* Non-quiet: whether only the program's process tree is recorded. */
static void ct__info_isolation(const struct ct__rec *rec)
{
        if (rec->res->isolated) {
                ct__info(rec,
                         "isolated: only the program's process tree is recorded (its own IPC "
                         "namespace, ipc_ns=%" PRIu64 ")",
                         rec->res->ipc_ns);
        } else if (rec->opts->no_isolate) {
                ct__info(rec, "not isolated (--no-isolate): the ct_* events of other "
                              "instrumented programs of the same user are recorded too");
        } else {
                ct__info(rec, "not isolated (see the warning above)");
        }
}

int ct_recorder_run(const struct ct_recorder_opts *opts, char *const argv[],
                    struct ct_recorder_result *result)
{
        struct ct__rec rec;
        struct ct__sigsave save;
        const char *why = NULL;
        int ret;
        int dret;

        memset(result, 0, sizeof(*result));
        memset(&rec, 0, sizeof(rec));
        rec.opts = opts;
        rec.res = result;
        rec.argv = argv;
        rec.report_fd = -1;
        rec.go_fd = -1;
        result->exit_code = 1;

        if (!argv || !argv[0]) {
                ct__err("Failed to start program: no program given");
                result->exit_code = 2;
                return -EINVAL;
        }
        if (ct_recorder_check_buffers(opts->subbuf_size, opts->num_subbuf, &why)) {
                ct__err("Invalid sub-buffers: subbuf-size=%" PRIu64 " num-subbuf=%" PRIu64 ": %s",
                        opts->subbuf_size, opts->num_subbuf, why);
                result->exit_code = 2;
                return -EINVAL;
        }
        if (opts->session_name &&
            (opts->session_name[0] == '\0' || strlen(opts->session_name) > 200 ||
             strspn(opts->session_name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                        "0123456789._-") != strlen(opts->session_name))) {
                ct__err("Invalid session name: name=%s (letters, digits, '.', '_', '-'; at most "
                        "200 characters)",
                        opts->session_name);
                result->exit_code = 2;
                return -EINVAL;
        }
        if (opts->relayd_url && ct__parse_relayd_url(opts->relayd_url, &rec.relay)) {
                ct__err("Invalid relay daemon URL: url=%s (expected tcp://HOST[:CTRLPORT"
                        "[:DATAPORT]], e.g. tcp://192.168.1.10 or tcp://127.0.0.1:5342:5343)",
                        opts->relayd_url);
                result->exit_code = 2;
                return -EINVAL;
        }
        ct__sanitize_name(argv[0], rec.prog_name, sizeof(rec.prog_name));

        /* An unknown program is reported before any session or directory exists. */
        ret = ct__find_program(argv[0], rec.prog_path, sizeof(rec.prog_path));
        if (ret) {
                ct__err("Failed to start program: %s: %s", argv[0],
                        ret == -ENOENT ? "command not found" : strerror(-ret));
                result->exit_code = ret == -ENOENT ? 127 : 126;
                return ret;
        }
        ret = ct__preload_decide(&rec);
        if (ret) {
                result->exit_code = 126;
                return ret;
        }

        ct__signals_install(&save);

        ret = ct__ensure_sessiond(&rec);
        if (ct__step_failed(&rec, &ret)) {
                goto error;
        }
        if (opts->live || opts->relayd_url) {
                if (opts->relayd_url && opts->output_dir) {
                        ct__err("Failed to use output directory: with --relayd the relay daemon "
                                "writes the trace under its own output directory (drop -o)");
                        result->exit_code = 2;
                        ret = -EINVAL;
                        goto error;
                }
                if (gethostname(rec.hostname, sizeof(rec.hostname) - 1) != 0) {
                        ret = -errno;
                        ct__err("Failed to read the host name: %s", strerror(-ret));
                        goto error;
                }
                ret = ct__relay_prepare(&rec, &rec.relay);
        } else {
                ret = ct__prepare_output(&rec);
        }
        if (ct__step_failed(&rec, &ret)) {
                goto error;
        }
        ret = ct__session_create(&rec);
        if (ct__step_failed(&rec, &ret)) {
                goto error;
        }
        /* The program's process, held: its IPC namespace must be known before events are on. */
        ret = ct__child_fork(&rec);
        if (ct__step_failed(&rec, &ret)) {
                goto error;
        }
        ret = ct__session_setup(&rec);
        if (ct__step_failed(&rec, &ret)) {
                goto error;
        }
        if (result->live_url[0]) {
                /* Buffers and metadata complete before any viewer can attach. */
                ret = ct__warmup(&rec);
                if (ct__step_failed(&rec, &ret)) {
                        goto error;
                }
                ct__info(&rec,
                         "recording %s live through the relay daemon at tcp://%s:%u:%u "
                         "(session %s, level %s)",
                         argv[0], rec.relay.host, rec.relay.ctrl_port, rec.relay.data_port,
                         result->session_name, ct__level_name(opts->level));
                /* The one line a user needs, even with --quiet. */
                fprintf(stderr, CT__PREFIX "live: conctrace analyze %s\n", result->live_url);
                if (opts->wait_viewer_ms) {
                        ret = ct__wait_viewer(&rec, &rec.relay, rec.hostname);
                        if (ct__step_failed(&rec, &ret)) {
                                goto error;
                        }
                }
        } else {
                ct__info(&rec, "recording %s into %s (session %s, level %s)", argv[0],
                         result->trace_dir, result->session_name, ct__level_name(opts->level));
        }

        ct__info_isolation(&rec);

        ret = ct__child_exec(&rec);
        if (ret) {
                result->exit_code = 127;
                goto error;
        }
        ct__wait_child(&rec);
        if (ct__sig_first) {
                result->interrupted = ct__sig_first;
                result->exit_code = 128 + ct__sig_first;
        }

        ret = ct__session_stop(&rec);
        dret = ct__session_destroy(&rec);
        ct__signals_restore(&save);
        ret = ret ? ret : dret;

        if (result->live_url[0]) {
                /* The relay daemon wrote its copy on its host: name it when we know where. */
                ct__find_relayd_copy(&rec, &rec.relay, rec.hostname);
        }
        if (result->interrupted) {
                ct__err("interrupted by %s: program stopped, session destroyed, trace kept in %s",
                        strsignal(result->interrupted),
                        result->trace_dir[0] ? result->trace_dir : "the relay daemon's output");
        } else if (result->term_signal) {
                ct__info(&rec, "program killed by signal %d (%s)", result->term_signal,
                         strsignal(result->term_signal));
        }
        if (result->trace_dir[0]) {
                ct__info(&rec, "trace: %s", result->trace_dir);
        } else if (result->live_url[0]) {
                ct__info(&rec,
                         "trace: on the relay daemon's host, under its output directory "
                         "(%s/%s-YYYYmmdd-HHMMSS)",
                         rec.hostname, result->session_name);
        }
        if (result->relayd_pid) {
                ct__info(&rec,
                         "the relay daemon started here (pid %ld) keeps serving %s to live "
                         "viewers; stop it with: kill %ld",
                         result->relayd_pid, result->live_url, result->relayd_pid);
        }
        ct__info(&rec, "discarded events: %" PRIu64, result->discarded_events);
        if (result->discarded_events) {
                ct__err("warning: %" PRIu64 " events were discarded (sub-buffers full): record "
                        "again with a larger --subbuf-size or --num-subbuf",
                        result->discarded_events);
        }
        if (result->lost_packets) {
                ct__err("warning: %" PRIu64 " packets were lost", result->lost_packets);
        }
        if (ret) {
                /* The program ran, but the trace may be incomplete: say so by the status. */
                if (result->exit_code == 0) {
                        result->exit_code = 1;
                }
        }
        return ret;

error:
        ct__child_abort(&rec);
        ct__session_destroy(&rec);
        ct__signals_restore(&save);
        if (result->relayd_pid && !rec.program_ran) {
                /* Nothing was streamed: the relay daemon started here is not needed. */
                kill((pid_t)result->relayd_pid, SIGTERM);
                result->relayd_pid = 0;
        }
        if (rec.dir_created && !rec.program_ran && result->trace_dir[0]) {
                /* Nothing was recorded: leave no empty trace directory behind. */
                ct__rm_rf(result->trace_dir);
                result->trace_dir[0] = '\0';
        }
        return ret;
}
