/* SPDX-License-Identifier: MIT */
/*
 * Pipes and FIFOs: pipe/pipe2, read/write/readv/writev, close, dup/dup2/dup3.
 * Ids are the pipe's inode (fstat), offsets are the bytes this process moved
 * through that pipe in that direction before the call (as the runtime keeps
 * them; a fork child starts again from 0). Every fd's kind is cached in an
 * fd table on its first use, so a call on an fd that is not a pipe costs one
 * load and a compare.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>
#include <pthread.h>
#include <stdlib.h>

#include "ct_pl_internal.h"
#include "ct_pipe_dir.h"

#define CT__PL_API __attribute__((visibility("default")))

/*
 * The bytes this process moved through each pipe, counted with or without a
 * session (so offsets stay right if tracing starts mid-run), as the runtime
 * counts them (runtime/src/ct_pipe_dir.h).
 */
struct pipe_ctr {
        uint64_t ino;               /* atomic: 0 = free slot */
        struct ct__pipe_dir dir[2]; /* [0] read, [1] written */
};

#define CTR_SLOTS 1024 /* pipes per process; more are traced without offsets */
static struct pipe_ctr ctrs[CTR_SLOTS];

static struct pipe_ctr *ctr_get(uint64_t ino)
{
        size_t i = (size_t)(ino * 0x9E3779B97F4A7C15ull) & (CTR_SLOTS - 1);

        for (size_t n = 0; n < CTR_SLOTS; n++, i = (i + 1) & (CTR_SLOTS - 1)) {
                uint64_t cur = __atomic_load_n(&ctrs[i].ino, __ATOMIC_ACQUIRE);

                if (cur == ino)
                        return &ctrs[i];
                if (cur == 0 && (__atomic_compare_exchange_n(&ctrs[i].ino, &cur, ino, 0,
                                                             __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE) ||
                                 cur == ino))
                        return &ctrs[i];
        }
        return NULL;
}

/* Ownership changes (rare), under a mutex taken with libc's own functions. */
static int real_lock(pthread_mutex_t *m)
{
        return ct__pl_real.mutex_lock(m);
}

static int real_unlock(pthread_mutex_t *m)
{
        return ct__pl_real.mutex_unlock(m);
}

static struct ct__pipe_dirs dirs = CT__PIPE_DIRS_INIT(real_lock, real_unlock);

/* Returns the offset before this transfer and adds `moved` bytes to it. */
static inline uint64_t advance(struct pipe_ctr *c, int dir, ssize_t moved)
{
        return c ? ct__pipe_dir_advance(&dirs, &c->dir[dir], moved) : 0;
}

void ct__pl_pipe_after_fork_child(void)
{
        /* Only this thread exists; the counts start again from 0, unowned. */
        ct__pipe_dirs_after_fork_child(&dirs);
        for (size_t i = 0; i < CTR_SLOTS; i++)
                memset(ctrs[i].dir, 0, sizeof(ctrs[i].dir));
}

/* fd -> 0 unknown, NOT_PIPE, or (uintptr_t)ctr | end << 1 | 1. */
#define FDTAB_SIZE 4096
#define NOT_PIPE   ((uintptr_t)2)
static uintptr_t fdtab[FDTAB_SIZE];

struct fd_ref {
        struct pipe_ctr *ctr; /* weak */
        uint64_t ino;         /* 0: not a pipe */
        int end;
};

static void fd_set_entry(int fd, uintptr_t v)
{
        if (fd >= 0 && fd < FDTAB_SIZE)
                __atomic_store_n(&fdtab[fd], v, __ATOMIC_RELEASE);
}

static uintptr_t entry_of(struct pipe_ctr *c, int end)
{
        return c ? (uintptr_t)c | ((uintptr_t)(end & 1) << 1) | 1 : NOT_PIPE;
}

/* Slow path: fstat (+ fcntl for the end of a FIFO), then cached. */
static void fd_lookup(int fd, struct fd_ref *r)
{
        struct stat st;
        int fl;

        r->ctr = NULL;
        r->ino = 0;
        r->end = CT_TP_PIPE_READ;
        ct__pl_self.guard++;
        if (fstat(fd, &st) < 0 || !S_ISFIFO(st.st_mode)) {
                ct__pl_self.guard--;
                if (errno != EBADF)
                        fd_set_entry(fd, NOT_PIPE);
                return;
        }
        fl = fcntl(fd, F_GETFL);
        ct__pl_self.guard--;
        r->end = (fl >= 0 && (fl & O_ACCMODE) == O_WRONLY) ? CT_TP_PIPE_WRITE : CT_TP_PIPE_READ;
        r->ino = (uint64_t)st.st_ino;
        r->ctr = ctr_get(r->ino);
        if (r->ctr)
                fd_set_entry(fd, entry_of(r->ctr, r->end));
}

/* 1 if fd is a pipe (r filled), 0 if not. */
static inline int fd_pipe(int fd, struct fd_ref *r)
{
        uintptr_t v = (unsigned)fd < FDTAB_SIZE ? __atomic_load_n(&fdtab[fd], __ATOMIC_ACQUIRE) : 0;

        if (__builtin_expect(v == NOT_PIPE, 1))
                return 0;
        if (v) {
                r->ctr = (struct pipe_ctr *)(v & ~(uintptr_t)3);
                r->ino = r->ctr->ino;
                r->end = (int)((v >> 1) & 1);
                return 1;
        }
        fd_lookup(fd, r);
        return r->ino != 0;
}

#define REAL(type, name, args)                                                                     \
        static type(*real_##name) args;                                                            \
        static inline type(*get_##name(void)) args                                                 \
        {                                                                                          \
                if (__builtin_expect(!real_##name, 0))                                             \
                        real_##name = ct__pl_sym(#name, NULL);                                     \
                return real_##name;                                                                \
        }

REAL(ssize_t, read, (int, void *, size_t))
REAL(ssize_t, write, (int, const void *, size_t))
REAL(ssize_t, readv, (int, const struct iovec *, int))
REAL(ssize_t, writev, (int, const struct iovec *, int))
REAL(int, close, (int))
REAL(int, dup, (int))
REAL(int, dup2, (int, int))
REAL(int, dup3, (int, int, int))
REAL(int, pipe, (int *))
REAL(int, pipe2, (int *, int))

static size_t iov_len(const struct iovec *iov, int n)
{
        size_t len = 0;

        for (int i = 0; i < n; i++)
                len += iov[i].iov_len;
        return len;
}

CT__PL_API ssize_t write(int fd, const void *buf, size_t len)
{
        struct fd_ref r;
        uint64_t off;
        ssize_t ret;
        int err;

        if (__builtin_expect(!get_write(), 0))
                return syscall(SYS_write, fd, buf, len);
        if (!ct__pl_traced(CT__PL_CALLER()) || !fd_pipe(fd, &r))
                return real_write(fd, buf, len);
        if (__builtin_expect(!lttng_ust_tracepoint_enabled(ct_pipe, write_begin), 1)) {
                ret = real_write(fd, buf, len);
                advance(r.ctr, 1, ret); /* offsets are kept with no session */
                return ret;
        }
        CT__PL_FIRE(ct_pipe, write_begin, r.ino, fd, len);
        ret = real_write(fd, buf, len);
        err = ret < 0 ? errno : 0;
        off = advance(r.ctr, 1, ret);
        CT__PL_FIRE(ct_pipe, write_end, r.ino, fd, len, (int64_t)ret, err, off);
        errno = err ? err : errno;
        return ret;
}

CT__PL_API ssize_t read(int fd, void *buf, size_t len)
{
        struct fd_ref r;
        uint64_t off;
        ssize_t ret;
        int err;

        if (__builtin_expect(!get_read(), 0))
                return syscall(SYS_read, fd, buf, len);
        if (!ct__pl_traced(CT__PL_CALLER()) || !fd_pipe(fd, &r))
                return real_read(fd, buf, len);
        if (__builtin_expect(!lttng_ust_tracepoint_enabled(ct_pipe, read_begin), 1)) {
                ret = real_read(fd, buf, len);
                advance(r.ctr, 0, ret); /* offsets are kept with no session */
                return ret;
        }
        CT__PL_FIRE(ct_pipe, read_begin, r.ino, fd, len);
        ret = real_read(fd, buf, len);
        err = ret < 0 ? errno : 0;
        off = advance(r.ctr, 0, ret);
        CT__PL_FIRE(ct_pipe, read_end, r.ino, fd, len, (int64_t)ret, err, off);
        errno = err ? err : errno;
        return ret;
}

CT__PL_API ssize_t writev(int fd, const struct iovec *iov, int n)
{
        struct fd_ref r;
        uint64_t off;
        ssize_t ret;
        size_t len;
        int err;

        if (__builtin_expect(!get_writev(), 0))
                return syscall(SYS_writev, fd, iov, n);
        if (!ct__pl_traced(CT__PL_CALLER()) || !fd_pipe(fd, &r))
                return real_writev(fd, iov, n);
        if (__builtin_expect(!lttng_ust_tracepoint_enabled(ct_pipe, write_begin), 1)) {
                ret = real_writev(fd, iov, n);
                advance(r.ctr, 1, ret); /* offsets are kept with no session */
                return ret;
        }
        len = iov_len(iov, n);
        CT__PL_FIRE(ct_pipe, write_begin, r.ino, fd, len);
        ret = real_writev(fd, iov, n);
        err = ret < 0 ? errno : 0;
        off = advance(r.ctr, 1, ret);
        CT__PL_FIRE(ct_pipe, write_end, r.ino, fd, len, (int64_t)ret, err, off);
        errno = err ? err : errno;
        return ret;
}

CT__PL_API ssize_t readv(int fd, const struct iovec *iov, int n)
{
        struct fd_ref r;
        uint64_t off;
        ssize_t ret;
        size_t len;
        int err;

        if (__builtin_expect(!get_readv(), 0))
                return syscall(SYS_readv, fd, iov, n);
        if (!ct__pl_traced(CT__PL_CALLER()) || !fd_pipe(fd, &r))
                return real_readv(fd, iov, n);
        if (__builtin_expect(!lttng_ust_tracepoint_enabled(ct_pipe, read_begin), 1)) {
                ret = real_readv(fd, iov, n);
                advance(r.ctr, 0, ret); /* offsets are kept with no session */
                return ret;
        }
        len = iov_len(iov, n);
        CT__PL_FIRE(ct_pipe, read_begin, r.ino, fd, len);
        ret = real_readv(fd, iov, n);
        err = ret < 0 ? errno : 0;
        off = advance(r.ctr, 0, ret);
        CT__PL_FIRE(ct_pipe, read_end, r.ino, fd, len, (int64_t)ret, err, off);
        errno = err ? err : errno;
        return ret;
}

/* lttng-ust's fd tracker (liblttng-ust-common): a program that closes every
 * fd does not close lttng-ust's sockets and shared memory. */
int lttng_ust_safe_close_fd(int fd, int (*close_cb)(int fd));
int lttng_ust_safe_closefrom_fd(int lowfd, int (*close_cb)(int lowfd));

static int close_cb(int fd)
{
        fd_set_entry(fd, 0);
        return real_close(fd);
}

CT__PL_API int close(int fd)
{
        uintptr_t v = (unsigned)fd < FDTAB_SIZE ? __atomic_load_n(&fdtab[fd], __ATOMIC_ACQUIRE) : 0;

        if (__builtin_expect(!get_close(), 0))
                return (int)syscall(SYS_close, fd);
        if (v != NOT_PIPE && ct__pl_traced(CT__PL_CALLER())) {
                struct fd_ref r;

                /* An fd never seen here is looked at only when a session records. */
                if ((v || lttng_ust_tracepoint_enabled(ct_pipe, close)) && fd_pipe(fd, &r))
                        CT__PL_FIRE(ct_pipe, close, r.ino, fd, r.end);
        }
        if (!ct__pl_ready)
                return close_cb(fd);
        return lttng_ust_safe_close_fd(fd, close_cb);
}

static int closefrom_cb(int lowfd)
{
        for (int fd = lowfd; fd < FDTAB_SIZE; fd++)
                fd_set_entry(fd, 0);
        return (int)syscall(SYS_close_range, (unsigned)lowfd, ~0u, 0);
}

CT__PL_API void closefrom(int lowfd)
{
        if (!ct__pl_ready) {
                closefrom_cb(lowfd);
                return;
        }
        lttng_ust_safe_closefrom_fd(lowfd, closefrom_cb);
}

/* close_range(2) without flags: fd by fd through lttng-ust's tracker (up to
 * the fd limit), or closefrom() for an open-ended range. */
CT__PL_API int close_range(unsigned int first, unsigned int last, int flags)
{
        struct rlimit rl;
        unsigned int lim;

        if (flags || !ct__pl_ready)
                return (int)syscall(SYS_close_range, first, last, flags);
        if (last == ~0u || last >= (unsigned)INT32_MAX) {
                closefrom((int)first);
                return 0;
        }
        lim =
            getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < last ? (unsigned)rl.rlim_cur : last;
        for (unsigned int fd = first; fd <= lim && fd <= last; fd++) {
                uintptr_t v = fd < FDTAB_SIZE ? __atomic_load_n(&fdtab[fd], __ATOMIC_ACQUIRE) : 0;

                if (v && v != NOT_PIPE && lttng_ust_tracepoint_enabled(ct_pipe, close)) {
                        struct fd_ref r;

                        if (fd_pipe((int)fd, &r))
                                CT__PL_FIRE(ct_pipe, close, r.ino, (int)fd, r.end);
                }
                lttng_ust_safe_close_fd((int)fd, close_cb);
        }
        return 0;
}

static int dup_done(int oldfd, int newfd)
{
        if (newfd >= 0 && (unsigned)oldfd < FDTAB_SIZE)
                fd_set_entry(newfd, __atomic_load_n(&fdtab[oldfd], __ATOMIC_ACQUIRE));
        else if (newfd >= 0)
                fd_set_entry(newfd, 0);
        return newfd;
}

CT__PL_API int dup(int fd)
{
        if (__builtin_expect(!get_dup(), 0))
                return (int)syscall(SYS_dup, fd);
        return dup_done(fd, real_dup(fd));
}

CT__PL_API int dup2(int fd, int fd2)
{
        if (__builtin_expect(!get_dup2(), 0))
                return (int)syscall(SYS_dup2, fd, fd2);
        if (fd == fd2)
                return real_dup2(fd, fd2);
        return dup_done(fd, real_dup2(fd, fd2));
}

CT__PL_API int dup3(int fd, int fd2, int flags)
{
        if (__builtin_expect(!get_dup3(), 0))
                return (int)syscall(SYS_dup3, fd, fd2, flags);
        return dup_done(fd, real_dup3(fd, fd2, flags));
}

static void pipe_created(int fds[2], const void *ra)
{
        struct stat st;
        struct pipe_ctr *c;

        ct__pl_self.guard++;
        if (fstat(fds[0], &st) < 0) {
                ct__pl_self.guard--;
                fd_set_entry(fds[0], 0);
                fd_set_entry(fds[1], 0);
                return;
        }
        ct__pl_self.guard--;
        c = ctr_get((uint64_t)st.st_ino);
        if (c) /* Fresh pipe: counts from 0 (an inode number may be reused). */
                memset(c->dir, 0, sizeof(c->dir));
        fd_set_entry(fds[0], c ? entry_of(c, CT_TP_PIPE_READ) : 0);
        fd_set_entry(fds[1], c ? entry_of(c, CT_TP_PIPE_WRITE) : 0);
        if (ct__pl_traced(ra))
                CT__PL_FIRE(ct_pipe, create, (uint64_t)st.st_ino, fds[0], fds[1]);
}

CT__PL_API int pipe(int fds[2])
{
        int ret;

        if (__builtin_expect(!get_pipe(), 0))
                return (int)syscall(SYS_pipe2, fds, 0);
        ret = real_pipe(fds);
        if (ret == 0)
                pipe_created(fds, CT__PL_CALLER());
        return ret;
}

CT__PL_API int pipe2(int fds[2], int flags)
{
        int ret;

        if (__builtin_expect(!get_pipe2(), 0))
                return (int)syscall(SYS_pipe2, fds, flags);
        ret = real_pipe2(fds, flags);
        if (ret == 0)
                pipe_created(fds, CT__PL_CALLER());
        return ret;
}
