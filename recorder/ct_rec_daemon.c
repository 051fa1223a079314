/* SPDX-License-Identifier: MIT */
/*
 * Recorder: the daemons it needs (lttng-sessiond, and lttng-relayd for
 * --live), found or started.
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

/* ---------------------------------------------------------------- daemon */

void ct__sleep_ms(long ms)
{
        struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};

        while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
        }
}

/* Makes sure an lttng-sessiond answers, starting one if needed. */
int ct__ensure_sessiond(struct ct__rec *rec)
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
int ct__start_relayd(struct ct__rec *rec, struct ct__relay *r)
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
