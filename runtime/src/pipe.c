/* SPDX-License-Identifier: MIT */
/*
 * Instrumented pipes (id = inode, per-process byte offsets) and select/poll.
 *
 * Offsets cost no lock on the common path: every pipe this process uses has a
 * counter object (struct pipe_ctr, found by inode in a small table under a
 * mutex, only when an fd is first seen), and the fd table points each known
 * fd at its pipe's counter, so a read or write loads its fd slot and updates
 * the count of its direction with plain stores when one thread uses that
 * direction, a fetch_add when several do (see ct_pipe_dir.h). The counters
 * count whether or not a session records, so offsets stay right if tracing
 * starts mid-run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conctrace/pipe.h"
#include "conctrace/run.h"
#include "ct_internal.h"
#include "ct_pipe_dir.h"

/* A pipe this process has used. Never freed (a pointer read from the fd
 * table stays valid) and never moved; a ct_fork child zeroes it. */
struct pipe_ctr {
        uint64_t ino;               /* immutable once published */
        struct ct__pipe_dir dir[2]; /* [0] read, [1] written; own cache lines */
};

/* inode -> counter, open addressing; only for an fd's first use. */
static pthread_mutex_t ctr_mu = PTHREAD_MUTEX_INITIALIZER;
static struct pipe_ctr **ctr_slots; /* owned: array of ctr_cap entries (each owned) */
static size_t ctr_cap;              /* slots, a power of two */
static size_t ctr_used;

static struct ct__pipe_dirs dirs = CT__PIPE_DIRS_INIT(pthread_mutex_lock, pthread_mutex_unlock);

static size_t ctr_hash(uint64_t ino, size_t mask)
{
        return (size_t)(ino * 0x9E3779B97F4A7C15ull) & mask;
}

/* The counter of pipe `ino` (created if `create`), NULL if none or out of
 * memory. Call with ctr_mu held. */
static struct pipe_ctr *ctr_find(uint64_t ino, int create)
{
        struct pipe_ctr *c;
        size_t i;

        if (create && (ctr_used + 1) * 2 > ctr_cap) {
                size_t ncap = ctr_cap ? ctr_cap * 2 : 64;
                struct pipe_ctr **n = calloc(ncap, sizeof(*n));

                if (!n)
                        return NULL;
                for (size_t j = 0; j < ctr_cap; j++) {
                        if (!ctr_slots[j])
                                continue;
                        i = ctr_hash(ctr_slots[j]->ino, ncap - 1);
                        while (n[i])
                                i = (i + 1) & (ncap - 1);
                        n[i] = ctr_slots[j];
                }
                free(ctr_slots);
                ctr_slots = n;
                ctr_cap = ncap;
        }
        if (!ctr_cap)
                return NULL;
        i = ctr_hash(ino, ctr_cap - 1);
        while (ctr_slots[i] && ctr_slots[i]->ino != ino)
                i = (i + 1) & (ctr_cap - 1);
        if (ctr_slots[i] || !create)
                return ctr_slots[i];
        if (posix_memalign((void **)&c, _Alignof(struct pipe_ctr), sizeof(*c)))
                return NULL;
        memset(c, 0, sizeof(*c));
        c->ino = ino;
        ctr_slots[i] = c;
        ctr_used++;
        return c;
}

static struct pipe_ctr *ctr_get(uint64_t ino)
{
        struct pipe_ctr *c;

        pthread_mutex_lock(&ctr_mu);
        c = ctr_find(ino, 1);
        pthread_mutex_unlock(&ctr_mu);
        return c;
}

/* Returns the offset before this transfer and adds `moved` bytes to it. */
static inline uint64_t offset_advance(struct pipe_ctr *c, int dir, ssize_t moved)
{
        return c ? ct__pipe_dir_advance(&dirs, &c->dir[dir], moved) : 0;
}

void ct__pipe_after_fork_child(void)
{
        /* Only this thread exists: the lock may have been held by another one.
         * The fd table and the counters stay (same fds, same pipes); the
         * counts start again from 0, unowned. */
        pthread_mutex_init(&ctr_mu, NULL);
        ct__pipe_dirs_after_fork_child(&dirs);
        for (size_t i = 0; i < ctr_cap; i++) {
                if (ctr_slots[i])
                        memset(ctr_slots[i]->dir, 0, sizeof(ctr_slots[i]->dir));
        }
}

uint64_t ct_pipe_offset(uint64_t id, int dir)
{
        struct pipe_ctr *c;
        uint64_t v = 0;

        pthread_mutex_lock(&ctr_mu);
        c = id ? ctr_find(id, 0) : NULL;
        if (c)
                v = __atomic_load_n(&c->dir[dir ? 1 : 0].bytes, __ATOMIC_RELAXED);
        pthread_mutex_unlock(&ctr_mu);
        return v;
}

/*
 * fd -> (counter, end), packed as (uintptr_t)ctr | (end << 1) | 1 so that one
 * atomic load reads a consistent entry; 0 = unknown. Filled by
 * ct_pipe_create() and on an fd's first use (fstat + fcntl), cleared by
 * ct_pipe_close(). Descriptors >= FDTAB_SIZE are looked up at every call.
 */
#define FDTAB_SIZE 4096
static uintptr_t fdtab[FDTAB_SIZE];

/* What a call needs to know about its fd. */
struct fd_ref {
        struct pipe_ctr *ctr; /* weak: NULL if fstat failed (or out of memory) */
        uint64_t ino;         /* 0 if unknown */
        int end;              /* CT_TP_PIPE_READ or CT_TP_PIPE_WRITE */
};

static void fd_remember(int fd, struct pipe_ctr *c, int end)
{
        if (fd >= 0 && fd < FDTAB_SIZE && c)
                __atomic_store_n(&fdtab[fd], (uintptr_t)c | ((uintptr_t)(end & 1) << 1) | 1,
                                 __ATOMIC_RELEASE);
}

static void fd_forget(int fd)
{
        if (fd >= 0 && fd < FDTAB_SIZE)
                __atomic_store_n(&fdtab[fd], 0, __ATOMIC_RELAXED);
}

/* From the table only: 1 if fd is known. */
static inline int fd_cached(int fd, struct fd_ref *r)
{
        uintptr_t v;

        if ((unsigned)fd >= FDTAB_SIZE)
                return 0;
        v = __atomic_load_n(&fdtab[fd], __ATOMIC_ACQUIRE);
        if (!v)
                return 0;
        r->ctr = (struct pipe_ctr *)(v & ~(uintptr_t)3);
        r->ino = r->ctr->ino;
        r->end = (int)((v >> 1) & 1);
        return 1;
}

/* fstat + fcntl: inode and end of an fd the table does not know. */
static void fd_stat(int fd, struct fd_ref *r)
{
        struct stat st;
        int fl;

        r->ctr = NULL;
        r->ino = 0;
        r->end = CT_TP_PIPE_READ;
        if (fstat(fd, &st) < 0)
                return;
        fl = fcntl(fd, F_GETFL);
        r->end = (fl >= 0 && (fl & O_ACCMODE) == O_WRONLY) ? CT_TP_PIPE_WRITE : CT_TP_PIPE_READ;
        r->ino = (uint64_t)st.st_ino;
}

/* Inode, end and counter of fd: the table, else fstat (then cached). */
static inline void fd_ref(int fd, struct fd_ref *r)
{
        if (__builtin_expect(fd_cached(fd, r), 1))
                return;
        fd_stat(fd, r);
        if (!r->ino)
                return;
        r->ctr = ctr_get(r->ino);
        fd_remember(fd, r->ctr, r->end);
}

uint64_t ct_pipe_id(int fd)
{
        struct fd_ref r;

        fd_ref(fd, &r);
        return r.ino;
}

static int pipe_created(int fds[2], const char *name)
{
        struct pipe_ctr *c;
        struct stat st;
        uint64_t ino;
        int err;

        if (fstat(fds[0], &st) < 0) {
                err = errno;
                goto error;
        }
        ino = (uint64_t)st.st_ino;
        c = ctr_get(ino);
        if (!c) {
                err = ENOMEM;
                goto error;
        }
        fd_remember(fds[0], c, CT_TP_PIPE_READ);
        fd_remember(fds[1], c, CT_TP_PIPE_WRITE);
        lttng_ust_tracepoint(ct_pipe, create, ino, fds[0], fds[1]);
        ct_name(ino, CT_OBJ_PIPE, name);
        return 0;

error:
        close(fds[0]);
        close(fds[1]);
        return -err;
}

int ct_pipe_create(int fds[2], const char *name)
{
        if (pipe(fds) < 0)
                return -errno;
        return pipe_created(fds, name);
}

int ct_pipe_create2(int fds[2], int flags, const char *name)
{
        if (pipe2(fds, flags) < 0)
                return -errno;
        return pipe_created(fds, name);
}

ssize_t ct_pipe_write(int fd, const void *buf, size_t len)
{
        struct fd_ref r;
        int token, err = 0;
        uint64_t off;
        ssize_t ret;

        fd_ref(fd, &r);
        lttng_ust_tracepoint(ct_pipe, write_begin, r.ino, fd, len);
        token = ct__gil_block_begin();
        ret = write(fd, buf, len);
        if (ret < 0)
                err = errno;
        off = offset_advance(r.ctr, 1, ret);
        lttng_ust_tracepoint(ct_pipe, write_end, r.ino, fd, len, (int64_t)ret, err, off);
        ct__gil_block_end(token);
        return ret < 0 ? -err : ret;
}

ssize_t ct_pipe_read(int fd, void *buf, size_t len)
{
        struct fd_ref r;
        int token, err = 0;
        uint64_t off;
        ssize_t ret;

        fd_ref(fd, &r);
        lttng_ust_tracepoint(ct_pipe, read_begin, r.ino, fd, len);
        token = ct__gil_block_begin();
        ret = read(fd, buf, len);
        if (ret < 0)
                err = errno;
        off = offset_advance(r.ctr, 0, ret);
        lttng_ust_tracepoint(ct_pipe, read_end, r.ino, fd, len, (int64_t)ret, err, off);
        ct__gil_block_end(token);
        return ret < 0 ? -err : ret;
}

ssize_t ct_write_all(int fd, const void *buf, size_t len, size_t *written)
{
        const char *p = buf;
        size_t done = 0;
        ssize_t ret = 0;

        while (done < len) {
                ret = ct_pipe_write(fd, p + done, len - done);
                if (ret == -EINTR)
                        continue;
                if (ret < 0)
                        goto end;
                done += (size_t)ret;
        }
        ret = (ssize_t)len;
end:
        if (written)
                *written = done;
        return ret;
}

ssize_t ct_read_full(int fd, void *buf, size_t len)
{
        char *p = buf;
        size_t done = 0;

        while (done < len) {
                ssize_t ret = ct_pipe_read(fd, p + done, len - done);

                if (ret == -EINTR)
                        continue;
                if (ret < 0)
                        return ret;
                if (ret == 0)
                        break;
                done += (size_t)ret;
        }
        return (ssize_t)done;
}

int ct_pipe_close(int fd)
{
        struct fd_ref r;

        if (!fd_cached(fd, &r))
                fd_stat(fd, &r); /* not cached: it is being closed */
        if (r.ino)               /* not for a descriptor that is not open */
                lttng_ust_tracepoint(ct_pipe, close, r.ino, fd, r.end);
        fd_forget(fd);
        if (close(fd) < 0)
                return -errno;
        return 0;
}

static int64_t tv_to_us(const struct timeval *tv)
{
        if (!tv)
                return -1;
        return (int64_t)tv->tv_sec * 1000000 + tv->tv_usec;
}

int ct_select(int nfds, fd_set *rset, fd_set *wset, fd_set *eset, struct timeval *timeout)
{
        int enabled = lttng_ust_tracepoint_enabled(ct_select, begin) ||
                      lttng_ust_tracepoint_enabled(ct_select, end);
        int32_t nread = 0, nwrite = 0, ready[2 * FD_SETSIZE];
        uint32_t nready = 0;
        int64_t tus = tv_to_us(timeout);
        int ret, err = 0, token, lim = nfds < FD_SETSIZE ? nfds : FD_SETSIZE;

        if (enabled) {
                for (int fd = 0; fd < lim; fd++) {
                        nread += rset && FD_ISSET(fd, rset);
                        nwrite += wset && FD_ISSET(fd, wset);
                }
                lttng_ust_tracepoint(ct_select, begin, nfds, nread, nwrite, tus);
        }
        token = ct__gil_block_begin();
        ret = select(nfds, rset, wset, eset, timeout);
        if (ret < 0)
                err = errno;
        if (enabled) {
                for (int fd = 0; ret > 0 && fd < lim; fd++) {
                        if (rset && FD_ISSET(fd, rset))
                                ready[nready++] = fd;
                        if (wset && FD_ISSET(fd, wset))
                                ready[nready++] = fd;
                }
                lttng_ust_tracepoint(ct_select, end, nfds, nread, nwrite, tus, ret, err, ready,
                                     nready);
        }
        ct__gil_block_end(token);
        return ret < 0 ? -err : ret;
}

int ct_poll(struct pollfd *fds, nfds_t n, int timeout_ms)
{
        int enabled = lttng_ust_tracepoint_enabled(ct_select, begin) ||
                      lttng_ust_tracepoint_enabled(ct_select, end);
        int32_t nread = 0, nwrite = 0, small[64], *ready = small;
        uint32_t nready = 0;
        int64_t tus = timeout_ms < 0 ? -1 : (int64_t)timeout_ms * 1000;
        int ret, err = 0, token;

        if (enabled) {
                for (nfds_t i = 0; i < n; i++) {
                        nread += (fds[i].events & POLLIN) != 0;
                        nwrite += (fds[i].events & POLLOUT) != 0;
                }
                if (n > 64)
                        ready = malloc(n * sizeof(*ready));
                lttng_ust_tracepoint(ct_select, begin, (int32_t)n, nread, nwrite, tus);
        }
        token = ct__gil_block_begin();
        ret = poll(fds, n, timeout_ms);
        if (ret < 0)
                err = errno;
        if (enabled) {
                for (nfds_t i = 0; ready && ret > 0 && i < n; i++) {
                        if (fds[i].revents)
                                ready[nready++] = fds[i].fd;
                }
                lttng_ust_tracepoint(ct_select, end, (int32_t)n, nread, nwrite, tus, ret, err,
                                     ready, nready);
                if (ready != small)
                        free(ready);
        }
        ct__gil_block_end(token);
        return ret < 0 ? -err : ret;
}
