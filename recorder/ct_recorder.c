/* SPDX-License-Identifier: MIT */
/*
 * The conctrace recorder: one LTTng session (liblttng-ctl, no `lttng`
 * command) around one program run. See ct_recorder.h and docs/recording.md.
 */
#define _GNU_SOURCE
#include "ct_recorder.h"

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

#define CT__PREFIX       "conctrace record: "
#define CT__CHANNEL_NAME "conctrace"
#define CT__EVENT_GLOB   "ct_*"
/* How long to wait for a freshly started session daemon to answer. */
#define CT__SESSIOND_WAIT_MS 15000
/* How long to wait for a freshly started relay daemon's ports. */
#define CT__RELAYD_WAIT_MS 10000
/* Live warm-up: how long its registration may take, and the relay daemon its streams. */
#define CT__WARMUP_CHILD_MS   5000
#define CT__WARMUP_STREAMS_MS 5000
/* The provider library, relative to the directory of the conctrace binary. */
#define CT__WARMUP_LIB "/../lib/libconctrace-tp.so"

extern char **environ;

_Static_assert(CT_RECORDER_PATH_MAX >= PATH_MAX, "realpath() needs PATH_MAX bytes");

/* Where the live session's data goes. */
struct ct__relay {
        char host[256]; /* relay daemon host as the session daemon reaches it */
        unsigned int ctrl_port;
        unsigned int data_port;
        unsigned int live_port;
        char out_dir[PATH_MAX]; /* its output directory when started here, else "" */
};

/* One recording in progress. */
struct ct__rec {
        const struct ct_recorder_opts *opts; /* weak */
        struct ct_recorder_result *res;      /* weak */
        char *const *argv;                   /* weak: program and its arguments */
        char prog_path[PATH_MAX];            /* argv[0] resolved through PATH */
        char prog_name[64];                  /* basename, sanitized */
        struct lttng_handle *handle;         /* owned */
        int session_created;
        int dir_created; /* trace_dir did not exist before: removed if nothing ran */
        int program_ran;
        pid_t child;
        char **env;             /* owned (array only): the program's environment until it runs */
        int report_fd;          /* child -> us: its isolation report, then an exec error; -1 */
        int go_fd;              /* us -> child: one byte releases it to exec, EOF aborts; -1 */
        struct ct__relay relay; /* --live: where the session streams to */
        char hostname[256];     /* this machine, as the relay daemon names it */
};

/* Signal state shared with the handler (one recording at a time per process). */
static volatile sig_atomic_t ct__sig_first;
static volatile sig_atomic_t ct__sig_count;
static volatile sig_atomic_t ct__child_pid;
static unsigned int ct__run_counter;
/* The "cannot isolate" warning is printed once per process (a sweep records many runs). */
static int ct__warned_no_isolation;

static void ct__err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void ct__err(const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        fputs(CT__PREFIX, stderr);
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
        va_end(ap);
}

static void ct__info(const struct ct__rec *rec, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void ct__info(const struct ct__rec *rec, const char *fmt, ...)
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
static const char *ct__lttng_hint(int lttng_ret)
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
static int ct__find_program(const char *name, char *out, size_t out_len)
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

/* ---------------------------------------------------------------- files */

static int ct__rm_cb(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
        (void)st;
        (void)flag;
        (void)ftw;
        return remove(path) == 0 ? 0 : -1;
}

static int ct__rm_rf(const char *path)
{
        if (nftw(path, ct__rm_cb, 16, FTW_DEPTH | FTW_PHYS) != 0 && errno != ENOENT) {
                return -errno;
        }
        return 0;
}

/* 1 if dir holds anything, 0 if empty, negative errno. */
static int ct__dir_nonempty(const char *path)
{
        DIR *d = opendir(path);
        struct dirent *de;
        int ret = 0;

        if (!d) {
                return -errno;
        }
        while ((de = readdir(d))) {
                if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0) {
                        ret = 1;
                        break;
                }
        }
        closedir(d);
        return ret;
}

static int ct__mkdir_p(const char *path)
{
        char tmp[PATH_MAX];
        char *p;

        if (snprintf(tmp, sizeof(tmp), "%s", path) >= (int)sizeof(tmp)) {
                return -ENAMETOOLONG;
        }
        for (p = tmp + 1; *p; p++) {
                if (*p != '/') {
                        continue;
                }
                *p = '\0';
                if (mkdir(tmp, 0775) != 0 && errno != EEXIST) {
                        return -errno;
                }
                *p = '/';
        }
        if (mkdir(tmp, 0775) != 0 && errno != EEXIST) {
                return -errno;
        }
        return 0;
}

static int ct__absolute(const char *in, char *out, size_t out_len)
{
        char cwd[PATH_MAX];

        if (in[0] == '/') {
                return snprintf(out, out_len, "%s", in) >= (int)out_len ? -ENAMETOOLONG : 0;
        }
        if (!getcwd(cwd, sizeof(cwd))) {
                return -errno;
        }
        return snprintf(out, out_len, "%s/%s", cwd, in) >= (int)out_len ? -ENAMETOOLONG : 0;
}

/* Chooses, checks and creates the trace directory into rec->res->trace_dir. */
static int ct__prepare_output(struct ct__rec *rec)
{
        char want[PATH_MAX];
        char abs_path[PATH_MAX];
        struct stat st;
        int ret;

        if (rec->opts->output_dir) {
                if (rec->opts->output_dir[0] == '\0') {
                        ct__err("Failed to use output directory: path is empty");
                        return -EINVAL;
                }
                if (snprintf(want, sizeof(want), "%s", rec->opts->output_dir) >=
                    (int)sizeof(want)) {
                        ret = -ENAMETOOLONG;
                        goto name_error;
                }
        } else {
                char stamp[32];
                time_t now = time(NULL);
                struct tm tm;
                int n;

                localtime_r(&now, &tm);
                strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
                /* Default names never collide with an earlier trace: add -2, -3, ... */
                for (n = 1; n < 1000; n++) {
                        if (n == 1) {
                                snprintf(want, sizeof(want), "conctrace-traces/%s-%s",
                                         rec->prog_name, stamp);
                        } else {
                                snprintf(want, sizeof(want), "conctrace-traces/%s-%s-%d",
                                         rec->prog_name, stamp, n);
                        }
                        if (stat(want, &st) != 0 && errno == ENOENT) {
                                break;
                        }
                }
        }
        ret = ct__absolute(want, abs_path, sizeof(abs_path));
        if (ret) {
                goto name_error;
        }

        if (stat(abs_path, &st) == 0) {
                if (!S_ISDIR(st.st_mode)) {
                        ct__err("Failed to use output directory: path=%s: exists and is not a "
                                "directory",
                                abs_path);
                        return -ENOTDIR;
                }
                ret = ct__dir_nonempty(abs_path);
                if (ret < 0) {
                        ct__err("Failed to read output directory: path=%s: %s", abs_path,
                                strerror(-ret));
                        return ret;
                }
                if (ret == 1) {
                        char old_trace[PATH_MAX];

                        if (!rec->opts->force) {
                                ct__err("Output directory is not empty: path=%s (choose another "
                                        "-o DIR, or use --force to record into it)",
                                        abs_path);
                                return -EEXIST;
                        }
                        /* --force: an earlier LTTng trace there would mix with ours. */
                        if (snprintf(old_trace, sizeof(old_trace), "%s/ust", abs_path) <
                            (int)sizeof(old_trace)) {
                                ret = ct__rm_rf(old_trace);
                                if (ret) {
                                        ct__err("Failed to remove the earlier trace: path=%s: %s",
                                                old_trace, strerror(-ret));
                                        return ret;
                                }
                        }
                }
        } else if (errno == ENOENT) {
                ret = ct__mkdir_p(abs_path);
                if (ret) {
                        ct__err("Failed to create output directory: path=%s: %s", abs_path,
                                strerror(-ret));
                        return ret;
                }
                rec->dir_created = 1;
        } else {
                ret = -errno;
                ct__err("Failed to use output directory: path=%s: %s", abs_path, strerror(-ret));
                return ret;
        }
        if (access(abs_path, W_OK | X_OK) != 0) {
                ret = -errno;
                ct__err("Failed to use output directory: path=%s: %s", abs_path, strerror(-ret));
                return ret;
        }
        if (!realpath(abs_path, rec->res->trace_dir)) {
                ret = -errno;
                ct__err("Failed to resolve output directory: path=%s: %s", abs_path,
                        strerror(-ret));
                return ret;
        }
        return 0;

name_error:
        ct__err("Failed to use output directory: path=%s: %s", want, strerror(-ret));
        return ret;
}

/* ---------------------------------------------------------------- daemon */

static void ct__sleep_ms(long ms)
{
        struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};

        while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
        }
}

/* Makes sure an lttng-sessiond answers, starting one if needed. */
static int ct__ensure_sessiond(struct ct__rec *rec)
{
        char daemon_path[PATH_MAX];
        int launcher_status = -1;
        pid_t pid;
        int waited;
        int ret;

        ret = lttng_session_daemon_alive();
        if (ret == 1) {
                return 0;
        }
        if (ret < 0) {
                ct__err("Failed to check for an LTTng session daemon: %s%s", lttng_strerror(ret),
                        ct__lttng_hint(ret));
                return -EIO;
        }

        ret = ct__find_program("lttng-sessiond", daemon_path, sizeof(daemon_path));
        if (ret) {
                /* Debian installs it in /usr/bin; also try the sbin dirs. */
                static const char *const dirs[] = {"/usr/bin",        "/usr/local/bin", "/usr/sbin",
                                                   "/usr/local/sbin", "/sbin",          "/bin"};
                size_t i;

                for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
                        snprintf(daemon_path, sizeof(daemon_path), "%s/lttng-sessiond", dirs[i]);
                        if (access(daemon_path, X_OK) == 0) {
                                ret = 0;
                                break;
                        }
                }
        }
        if (ret) {
                ct__err("No LTTng session daemon is running and lttng-sessiond was not found: "
                        "LTTng is not installed (Debian: apt-get install lttng-tools "
                        "liblttng-ust-dev)");
                return -ENOENT;
        }

        ct__info(rec, "no LTTng session daemon answered: starting one (%s --daemonize --no-kernel)",
                 daemon_path);
        pid = fork();
        if (pid < 0) {
                ret = -errno;
                ct__err("Failed to start lttng-sessiond: fork: %s", strerror(-ret));
                return ret;
        }
        if (pid == 0) {
                int devnull = open("/dev/null", O_RDWR);

                /* Its "already running" complaint (a race we handle) is noise. */
                if (devnull >= 0) {
                        dup2(devnull, STDIN_FILENO);
                        dup2(devnull, STDOUT_FILENO);
                        dup2(devnull, STDERR_FILENO);
                }
                execl(daemon_path, "lttng-sessiond", "--daemonize", "--no-kernel", (char *)NULL);
                _exit(127);
        }
        while (waitpid(pid, &launcher_status, 0) < 0) {
                if (errno != EINTR) {
                        break;
                }
        }

        /*
         * --daemonize returns once the daemon is ready, but another process
         * may have started one at the same time (ours then exits with an
         * error): either way, wait until one answers.
         */
        for (waited = 0; waited < CT__SESSIOND_WAIT_MS; waited += 50) {
                if (lttng_session_daemon_alive() == 1) {
                        return 0;
                }
                if (ct__sig_first) {
                        return -EINTR;
                }
                ct__sleep_ms(50);
        }
        ct__err("Failed to start lttng-sessiond: no answer after %d ms (launcher status=%d); "
                "try: %s --no-kernel -vvv",
                CT__SESSIOND_WAIT_MS,
                WIFEXITED(launcher_status) ? WEXITSTATUS(launcher_status) : -1, daemon_path);
        return -ETIMEDOUT;
}

/* ---------------------------------------------------------------- live */

/* Parses [tcp|net|tcp4|net4]://HOST[:CTRL[:DATA]][/] or HOST[:CTRL[:DATA]]. */
static int ct__parse_relayd_url(const char *url, struct ct__relay *r)
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

/* Finds lttng-relayd in PATH or the usual directories. */
static int ct__find_relayd(char *out, size_t out_len)
{
        static const char *const dirs[] = {"/usr/bin",        "/usr/local/bin", "/usr/sbin",
                                           "/usr/local/sbin", "/sbin",          "/bin"};
        size_t i;

        if (ct__find_program("lttng-relayd", out, out_len) == 0) {
                return 0;
        }
        for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
                snprintf(out, out_len, "%s/lttng-relayd", dirs[i]);
                if (access(out, X_OK) == 0) {
                        return 0;
                }
        }
        return -ENOENT;
}

/*
 * Starts lttng-relayd on 127.0.0.1 as a daemon of its own (double fork,
 * new session: the terminal's Ctrl-C does not reach it) and waits until its
 * three ports accept connections. It is left running for live viewers.
 */
static int ct__start_relayd(struct ct__rec *rec, struct ct__relay *r)
{
        char path[PATH_MAX];
        char ctrl[64];
        char data[64];
        char live[64];
        int fds[2] = {-1, -1};
        pid_t mid;
        pid_t pid = 0;
        int status;
        int waited;
        int ret;

        ret = ct__find_relayd(path, sizeof(path));
        if (ret) {
                ct__err("Failed to start lttng-relayd: not found (Debian: apt-get install "
                        "lttng-tools), or give a running one with --relayd URL");
                return ret;
        }
        snprintf(ctrl, sizeof(ctrl), "tcp://127.0.0.1:%u", r->ctrl_port);
        snprintf(data, sizeof(data), "tcp://127.0.0.1:%u", r->data_port);
        snprintf(live, sizeof(live), "tcp://127.0.0.1:%u", r->live_port);
        if (pipe2(fds, O_CLOEXEC) != 0) {
                ret = -errno;
                ct__err("Failed to start lttng-relayd: pipe: %s", strerror(-ret));
                return ret;
        }
        fflush(NULL);
        mid = fork();
        if (mid < 0) {
                ret = -errno;
                ct__err("Failed to start lttng-relayd: fork: %s", strerror(-ret));
                goto end;
        }
        if (mid == 0) {
                pid_t grandchild;
                int devnull;

                setsid();
                grandchild = fork();
                if (grandchild != 0) {
                        if (write(fds[1], &grandchild, sizeof(grandchild)) < 0) {
                                _exit(1);
                        }
                        _exit(grandchild < 0 ? 1 : 0);
                }
                signal(SIGINT, SIG_DFL);
                signal(SIGTERM, SIG_DFL);
                devnull = open("/dev/null", O_RDWR);
                if (devnull >= 0) {
                        dup2(devnull, STDIN_FILENO);
                        dup2(devnull, STDOUT_FILENO);
                        dup2(devnull, STDERR_FILENO);
                }
                if (chdir("/") != 0) {
                        _exit(127);
                }
                if (r->out_dir[0]) {
                        execl(path, "lttng-relayd", "-C", ctrl, "-D", data, "-L", live, "-o",
                              r->out_dir, (char *)NULL);
                } else {
                        execl(path, "lttng-relayd", "-C", ctrl, "-D", data, "-L", live,
                              (char *)NULL);
                }
                _exit(127);
        }
        close(fds[1]);
        fds[1] = -1;
        while (read(fds[0], &pid, sizeof(pid)) < 0 && errno == EINTR) {
        }
        while (waitpid(mid, &status, 0) < 0 && errno == EINTR) {
        }
        if (pid <= 0) {
                ct__err("Failed to start lttng-relayd: fork failed");
                ret = -EAGAIN;
                goto end;
        }
        /* Ready when its three ports accept connections. */
        for (waited = 0; waited < CT__RELAYD_WAIT_MS; waited += 50) {
                if (ct_live_tcp_probe("127.0.0.1", r->ctrl_port, 1000) == 0 &&
                    ct_live_tcp_probe("127.0.0.1", r->data_port, 1000) == 0 &&
                    ct_live_tcp_probe("127.0.0.1", r->live_port, 1000) == 0) {
                        rec->res->relayd_pid = (long)pid;
                        ret = 0;
                        goto end;
                }
                if (kill(pid, 0) != 0) {
                        ct__err("Failed to start lttng-relayd: it exited at start (ports %u/%u/%u "
                                "taken?); try: %s -C %s -D %s -L %s -vvv",
                                r->ctrl_port, r->data_port, r->live_port, path, ctrl, data, live);
                        ret = -EIO;
                        goto end;
                }
                if (ct__sig_first) {
                        kill(pid, SIGTERM);
                        ret = -EINTR;
                        goto end;
                }
                ct__sleep_ms(50);
        }
        kill(pid, SIGTERM);
        ct__err("Failed to start lttng-relayd: its ports %u/%u/%u do not answer after %d ms; "
                "try: %s -C %s -D %s -L %s -vvv",
                r->ctrl_port, r->data_port, r->live_port, CT__RELAYD_WAIT_MS, path, ctrl, data,
                live);
        ret = -ETIMEDOUT;
end:
        if (fds[0] >= 0) {
                close(fds[0]);
        }
        if (fds[1] >= 0) {
                close(fds[1]);
        }
        return ret;
}

/*
 * Chooses the relay daemon: the one given (checked to answer), else the one
 * on 127.0.0.1's default ports, else a new one (default ports if free, else
 * free ones; with -o DIR always a new one, writing into DIR).
 */
static int ct__relay_prepare(struct ct__rec *rec, struct ct__relay *r)
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
static void ct__find_relayd_copy(struct ct__rec *rec, const struct ct__relay *r,
                                 const char *hostname)
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
static int ct__wait_viewer(struct ct__rec *rec, const struct ct__relay *r, const char *hostname)
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
static int ct__warmup(struct ct__rec *rec)
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
static int ct__session_create(struct ct__rec *rec)
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
static int ct__session_setup(struct ct__rec *rec)
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
static int ct__session_stop(struct ct__rec *rec)
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
static int ct__session_destroy(struct ct__rec *rec)
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

/* ---------------------------------------------------------------- child */

/* environ plus CT_RECORD_LEVEL=<level> (replacing an inherited one). */
static char **ct__child_env(const struct ct__rec *rec)
{
        static char level_full[] = "CT_RECORD_LEVEL=full";
        static char level_light[] = "CT_RECORD_LEVEL=light";
        size_t n = 0;
        size_t i;
        size_t j = 0;
        char **env;

        while (environ && environ[n]) {
                n++;
        }
        env = calloc(n + 2, sizeof(*env));
        if (!env) {
                return NULL;
        }
        for (i = 0; i < n; i++) {
                if (strncmp(environ[i], "CT_RECORD_LEVEL=", 16) != 0) {
                        env[j++] = environ[i];
                }
        }
        env[j++] = rec->opts->level == CT_RECORD_LEVEL_LIGHT ? level_light : level_full;
        env[j] = NULL;
        return env;
}

/* What the held child reports first: how its isolation went. */
struct ct__child_report {
        int err;         /* 0, or errno of the step that failed */
        int step;        /* CT__STEP_* that failed */
        uint64_t ipc_ns; /* its IPC namespace inode when err == 0 and isolating */
};

enum {
        CT__STEP_NONE = 0,
        CT__STEP_UNSHARE = 1,
        CT__STEP_NS_STAT = 2,
};

/* Reads exactly len bytes (retrying on EINTR); 1 if read, 0 on EOF/short, -errno. */
static int ct__read_full(int fd, void *buf, size_t len)
{
        size_t got = 0;

        while (got < len) {
                ssize_t n = read(fd, (char *)buf + got, len - got);

                if (n < 0 && errno == EINTR) {
                        continue;
                }
                if (n < 0) {
                        return -errno;
                }
                if (n == 0) {
                        return 0;
                }
                got += (size_t)n;
        }
        return 1;
}

/* In the forked child only: async-signal-safe steps, never returns. */
static void ct__child_main(const struct ct__rec *rec, char **env, int report_fd, int go_fd)
{
        struct ct__child_report report;
        struct sigaction dfl;
        struct stat st;
        char go = 0;
        int err;

        /*
         * The program gets the default SIGINT/SIGTERM actions even if ours
         * are ignored (a background job of a script): the signals we forward
         * must reach it.
         */
        memset(&dfl, 0, sizeof(dfl));
        dfl.sa_handler = SIG_DFL;
        sigemptyset(&dfl.sa_mask);
        sigaction(SIGINT, &dfl, NULL);
        sigaction(SIGTERM, &dfl, NULL);

        memset(&report, 0, sizeof(report));
        if (!rec->opts->no_isolate) {
                /* Its own IPC namespace: inherited by every descendant, whatever it runs. */
                if (unshare(CLONE_NEWIPC) != 0) {
                        report.err = errno;
                        report.step = CT__STEP_UNSHARE;
                } else if (stat("/proc/self/ns/ipc", &st) != 0) {
                        report.err = errno;
                        report.step = CT__STEP_NS_STAT;
                } else {
                        report.ipc_ns = (uint64_t)st.st_ino;
                }
        }
        if (write(report_fd, &report, sizeof(report)) != (ssize_t)sizeof(report)) {
                _exit(127);
        }
        /* Held until the session is set up and started: EOF means "do not run". */
        if (ct__read_full(go_fd, &go, 1) != 1) {
                _exit(127);
        }
        execve(rec->prog_path, rec->argv, env);
        err = errno;
        if (write(report_fd, &err, sizeof(err)) < 0) {
                /* Nothing more to do: the parent sees EOF and exit 127. */
        }
        _exit(127);
}

/*
 * Forks the program's process, held before exec: it first moves into an IPC
 * namespace of its own (unless --no-isolate) and reports the namespace inode,
 * so that the events can be filtered on it before tracing starts. The
 * program only runs once ct__child_exec() releases it; ct__child_abort()
 * makes it exit without running.
 */
static int ct__child_fork(struct ct__rec *rec)
{
        struct ct__child_report report;
        int report_fds[2] = {-1, -1};
        int go_fds[2] = {-1, -1};
        pid_t pid;
        int ret = 0;

        rec->env = ct__child_env(rec);
        if (!rec->env) {
                ct__err("Failed to start program: out of memory");
                ret = -ENOMEM;
                goto end;
        }
        if (pipe2(report_fds, O_CLOEXEC) != 0 || pipe2(go_fds, O_CLOEXEC) != 0) {
                ret = -errno;
                ct__err("Failed to start program: pipe: %s", strerror(-ret));
                goto end;
        }
        fflush(NULL);
        pid = fork();
        if (pid < 0) {
                ret = -errno;
                ct__err("Failed to start program: fork: %s", strerror(-ret));
                goto end;
        }
        if (pid == 0) {
                close(report_fds[0]);
                close(go_fds[1]);
                ct__child_main(rec, rec->env, report_fds[1], go_fds[0]);
                _exit(127); /* not reached */
        }
        rec->child = pid;
        ct__child_pid = pid;
        if (ct__sig_first) {
                /* Interrupted between the last check and the fork. */
                kill(pid, ct__sig_first);
        }
        rec->report_fd = report_fds[0];
        report_fds[0] = -1;
        rec->go_fd = go_fds[1];
        go_fds[1] = -1;
        close(report_fds[1]);
        report_fds[1] = -1;
        close(go_fds[0]);
        go_fds[0] = -1;

        ret = ct__read_full(rec->report_fd, &report, sizeof(report));
        if (ret != 1 && ct__sig_first) {
                ret = -EINTR; /* the forwarded signal ended it: reported by the caller */
                goto end;
        }
        if (ret != 1) {
                ret = ret < 0 ? ret : -ECHILD;
                ct__err("Failed to start program: the program's process exited before it could "
                        "run (%s)",
                        ret == -ECHILD ? "killed?" : strerror(-ret));
                goto end;
        }
        ret = 0;
        if (rec->opts->no_isolate) {
                goto end;
        }
        if (report.err == 0 && report.ipc_ns != 0) {
                rec->res->isolated = 1;
                rec->res->ipc_ns = report.ipc_ns;
        } else if (!ct__warned_no_isolation) {
                ct__warned_no_isolation = 1;
                ct__err("warning: cannot isolate the program (%s: %s%s): recording without "
                        "isolation, so the ct_* events of other instrumented programs of the "
                        "same user running meanwhile are recorded too (use --no-isolate to "
                        "silence this)",
                        report.step == CT__STEP_UNSHARE ? "unshare(CLONE_NEWIPC)"
                                                        : "stat(/proc/self/ns/ipc)",
                        strerror(report.err),
                        report.err == EPERM ? "; isolation needs CAP_SYS_ADMIN, e.g. root" : "");
        }
end:
        if (report_fds[0] >= 0) {
                close(report_fds[0]);
        }
        if (report_fds[1] >= 0) {
                close(report_fds[1]);
        }
        if (go_fds[0] >= 0) {
                close(go_fds[0]);
        }
        if (go_fds[1] >= 0) {
                close(go_fds[1]);
        }
        return ret;
}

/* Reaps a held child without running the program (recording failed). */
static void ct__child_abort(struct ct__rec *rec)
{
        int status;

        if (rec->go_fd >= 0) {
                close(rec->go_fd); /* EOF: the child exits without exec */
                rec->go_fd = -1;
        }
        if (rec->report_fd >= 0) {
                close(rec->report_fd);
                rec->report_fd = -1;
        }
        if (rec->child > 0) {
                while (waitpid(rec->child, &status, 0) < 0 && errno == EINTR) {
                }
                rec->child = 0;
                ct__child_pid = 0;
        }
        free(rec->env);
        rec->env = NULL;
}

/*
 * Releases the held child: it execs the program. An exec failure comes back
 * through the close-on-exec report pipe so that it is reported here, not as
 * an exit status.
 */
static int ct__child_exec(struct ct__rec *rec)
{
        int child_errno = 0;
        char go = 1;
        ssize_t n;
        int ret = 0;

        do {
                n = write(rec->go_fd, &go, 1);
        } while (n < 0 && errno == EINTR);
        close(rec->go_fd);
        rec->go_fd = -1;
        if (n != 1) {
                ret = -errno;
                ct__err("Failed to start program: %s: the held process is gone: %s", rec->prog_path,
                        strerror(-ret));
                goto error;
        }
        ret = ct__read_full(rec->report_fd, &child_errno, sizeof(child_errno));
        close(rec->report_fd);
        rec->report_fd = -1;
        if (ret == 1) {
                ct__err("Failed to start program: %s: %s", rec->prog_path, strerror(child_errno));
                ret = -child_errno;
                goto error;
        }
        /* EOF: exec succeeded (close-on-exec). */
        rec->program_ran = 1;
        free(rec->env);
        rec->env = NULL;
        return 0;
error:
        ct__child_abort(rec);
        return ret ? ret : -EIO;
}

static void ct__wait_child(struct ct__rec *rec)
{
        int status = 0;

        while (waitpid(rec->child, &status, 0) < 0) {
                if (errno != EINTR) {
                        ct__err("Failed to wait for the program: pid=%ld: %s", (long)rec->child,
                                strerror(errno));
                        status = 1 << 8;
                        break;
                }
        }
        ct__child_pid = 0;
        rec->child = 0;
        if (WIFSIGNALED(status)) {
                rec->res->term_signal = WTERMSIG(status);
                rec->res->exit_code = 128 + WTERMSIG(status);
        } else {
                rec->res->exit_code = WEXITSTATUS(status);
        }
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
