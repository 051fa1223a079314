/* SPDX-License-Identifier: MIT */
/*
 * Processes: fork through LTTng-UST's fork hooks (so a child that does not
 * exec keeps tracing), exec* and posix_spawn* with this library kept in
 * LD_PRELOAD of the new image (even if the program dropped it from the
 * environment it passes), wait/waitpid/wait4 as ct_run:join_* + child_exit.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ct_pl_internal.h"

#define CT__PL_API __attribute__((visibility("default")))

/* Exported by liblttng-ust.so (Debian does not install <lttng/ust-fork.h>). */
void lttng_ust_before_fork(sigset_t *save_sigset);
void lttng_ust_after_fork_parent(sigset_t *restore_sigset);
void lttng_ust_after_fork_child(sigset_t *restore_sigset);

extern char **environ;

#define REAL(type, name, args)                                                                     \
        static type(*real_##name) args;                                                            \
        static inline type(*get_##name(void)) args                                                 \
        {                                                                                          \
                if (__builtin_expect(!real_##name, 0))                                             \
                        real_##name = ct__pl_sym(#name, NULL);                                     \
                return real_##name;                                                                \
        }

REAL(pid_t, fork, (void))
REAL(int, execve, (const char *, char *const[], char *const[]))
REAL(int, execvpe, (const char *, char *const[], char *const[]))
REAL(int, posix_spawn,
     (pid_t *, const char *, const posix_spawn_file_actions_t *, const posix_spawnattr_t *,
      char *const[], char *const[]))
REAL(int, posix_spawnp,
     (pid_t *, const char *, const posix_spawn_file_actions_t *, const posix_spawnattr_t *,
      char *const[], char *const[]))
REAL(pid_t, waitpid, (pid_t, int *, int))
REAL(pid_t, wait4, (pid_t, int *, int, struct rusage *))

CT__PL_API pid_t fork(void)
{
        sigset_t set;
        pid_t pid;
        int err, traced;
        char role[32];

        if (__builtin_expect(!get_fork(), 0) || !ct__pl_ready)
                return real_fork ? real_fork() : -1;
        traced = ct__pl_traced(CT__PL_CALLER());
        lttng_ust_before_fork(&set);
        pid = real_fork();
        if (pid == 0) {
                lttng_ust_after_fork_child(&set);
                ct__pl_self.tid = 0;
                ct__pl_pipe_after_fork_child();
                ct__pl_thread_after_fork_child();
                if (traced) {
                        ct__pl_default_role(role, sizeof(role));
                        ct__pl_thread_begin(role);
                } else {
                        ct__pl_self.begun = 0; /* thread_begin before its first event */
                        ct__pl_self.role[0] = 0;
                }
                return 0;
        }
        err = errno;
        lttng_ust_after_fork_parent(&set);
        if (pid > 0 && traced)
                CT__PL_FIRE(ct_run, fork, (int32_t)pid);
        errno = err;
        return pid;
}

/* envp with this library in LD_PRELOAD: envp itself if it is there, else a
 * new array (malloc'ed, with one new string) that the caller frees. */
static char **env_keep(char *const envp[], char **added)
{
        const char *self = ct__pl_self_path;
        size_t n = 0, slen = strlen(self);
        char **out;
        int at = -1;

        *added = NULL;
        if (!self[0])
                return (char **)envp;
        for (; envp && envp[n]; n++) {
                if (strncmp(envp[n], "LD_PRELOAD=", 11) == 0) {
                        at = (int)n;
                        if (strstr(envp[n] + 11, self))
                                return (char **)envp;
                }
        }
        out = malloc((n + 2) * sizeof(*out));
        if (!out)
                return (char **)envp;
        if (at >= 0) {
                const char *old = envp[at] + 11;

                *added = malloc(11 + slen + 1 + strlen(old) + 1);
                if (*added) {
                        strcpy(*added, "LD_PRELOAD=");
                        strcat(*added, self);
                        if (old[0]) {
                                strcat(*added, ":");
                                strcat(*added, old);
                        }
                }
        } else {
                *added = malloc(11 + slen + 1);
                if (*added) {
                        strcpy(*added, "LD_PRELOAD=");
                        strcat(*added, self);
                }
        }
        if (!*added) {
                free(out);
                return (char **)envp;
        }
        for (size_t i = 0; i < n; i++)
                out[i] = (int)i == at ? *added : envp[i];
        if (at < 0)
                out[n++] = *added;
        out[n] = NULL;
        return out;
}

static void env_free(char **env, char *const envp[], char *added)
{
        if (env != (char **)envp)
                free(env);
        free(added);
}

CT__PL_API int execve(const char *path, char *const argv[], char *const envp[])
{
        char *added, **env;
        int ret, err;

        if (__builtin_expect(!get_execve(), 0))
                return -1;
        env = env_keep(envp, &added);
        ret = real_execve(path, argv, env);
        err = errno;
        env_free(env, envp, added);
        errno = err;
        return ret;
}

CT__PL_API int execvpe(const char *file, char *const argv[], char *const envp[])
{
        char *added, **env;
        int ret, err;

        if (__builtin_expect(!get_execvpe(), 0))
                return -1;
        env = env_keep(envp, &added);
        ret = real_execvpe(file, argv, env);
        err = errno;
        env_free(env, envp, added);
        errno = err;
        return ret;
}

CT__PL_API int execv(const char *path, char *const argv[])
{
        return execve(path, argv, environ);
}

CT__PL_API int execvp(const char *file, char *const argv[])
{
        return execvpe(file, argv, environ);
}

/* execl/execlp/execle: the arguments into an array, then the above. */
#define ARGS_COLLECT(first, ap, argv, want_env, envp_out)                                          \
        do {                                                                                       \
                size_t n_ = 1;                                                                     \
                va_list cp_;                                                                       \
                va_copy(cp_, ap);                                                                  \
                while (va_arg(cp_, char *))                                                        \
                        n_++;                                                                      \
                va_end(cp_);                                                                       \
                argv = alloca((n_ + 1) * sizeof(char *));                                          \
                argv[0] = (char *)(first);                                                         \
                for (size_t i_ = 1; i_ <= n_; i_++)                                                \
                        argv[i_] = va_arg(ap, char *);                                             \
                if (want_env)                                                                      \
                        *(envp_out) = va_arg(ap, char **);                                         \
        } while (0)

CT__PL_API int execl(const char *path, const char *arg, ...)
{
        va_list ap;
        char **argv, **envp = NULL;

        va_start(ap, arg);
        ARGS_COLLECT(arg, ap, argv, 0, &envp);
        va_end(ap);
        return execve(path, argv, environ);
}

CT__PL_API int execlp(const char *file, const char *arg, ...)
{
        va_list ap;
        char **argv, **envp = NULL;

        va_start(ap, arg);
        ARGS_COLLECT(arg, ap, argv, 0, &envp);
        va_end(ap);
        return execvpe(file, argv, environ);
}

CT__PL_API int execle(const char *path, const char *arg, ...)
{
        va_list ap;
        char **argv, **envp = NULL;

        va_start(ap, arg);
        ARGS_COLLECT(arg, ap, argv, 1, &envp);
        va_end(ap);
        return execve(path, argv, envp);
}

static int spawn(int p, pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa,
                 const posix_spawnattr_t *attr, char *const argv[], char *const envp[],
                 const void *ra)
{
        char *added, **env;
        pid_t child = 0;
        int ret;

        env = env_keep(envp, &added);
        ret = p ? real_posix_spawnp(&child, path, fa, attr, argv, env)
                : real_posix_spawn(&child, path, fa, attr, argv, env);
        env_free(env, envp, added);
        if (ret == 0 && ct__pl_traced(ra))
                CT__PL_FIRE(ct_run, fork, (int32_t)child);
        if (pid)
                *pid = child;
        return ret;
}

CT__PL_API int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa,
                           const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
        if (__builtin_expect(!get_posix_spawn(), 0))
                return ENOSYS;
        return spawn(0, pid, path, fa, attr, argv, envp, CT__PL_CALLER());
}

CT__PL_API int posix_spawnp(pid_t *pid, const char *file, const posix_spawn_file_actions_t *fa,
                            const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
        if (__builtin_expect(!get_posix_spawnp(), 0))
                return ENOSYS;
        return spawn(1, pid, file, fa, attr, argv, envp, CT__PL_CALLER());
}

/* A blocking wait is a join; a WNOHANG poll only reports the child it reaped. */
static pid_t wait_common(pid_t pid, int *status, int opts, struct rusage *ru, const void *ra)
{
        int st = 0, err, traced = ct__pl_traced(ra), block = !(opts & WNOHANG);
        pid_t ret;

        if (traced && block)
                CT__PL_FIRE(ct_run, join_begin, (int64_t)pid, 0);
        ret = ru ? real_wait4(pid, &st, opts, ru) : real_waitpid(pid, &st, opts);
        err = errno;
        if (traced && block)
                CT__PL_FIRE(ct_run, join_end, (int64_t)(ret > 0 ? ret : pid), st);
        if (traced && ret > 0 && (WIFEXITED(st) || WIFSIGNALED(st)))
                CT__PL_FIRE(ct_run, child_exit, (int32_t)ret, st);
        if (status && ret > 0)
                *status = st;
        errno = err;
        return ret;
}

CT__PL_API pid_t waitpid(pid_t pid, int *status, int opts)
{
        if (__builtin_expect(!get_waitpid(), 0) || !get_wait4())
                return -1;
        return wait_common(pid, status, opts, NULL, CT__PL_CALLER());
}

CT__PL_API pid_t wait(int *status)
{
        if (__builtin_expect(!get_waitpid(), 0) || !get_wait4())
                return -1;
        return wait_common(-1, status, 0, NULL, CT__PL_CALLER());
}

CT__PL_API pid_t wait4(pid_t pid, int *status, int opts, struct rusage *ru)
{
        struct rusage dummy;

        if (__builtin_expect(!get_waitpid(), 0) || !get_wait4())
                return -1;
        return wait_common(pid, status, opts, ru ? ru : &dummy, CT__PL_CALLER());
}
