/* SPDX-License-Identifier: MIT */
/*
 * Instrumented pipes (id = inode, per-process byte offsets) and select/poll.
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

/*
 * fd -> (inode, end), packed as (inode << 2) | (end << 1) | 1 so that one
 * atomic load reads a consistent entry; 0 = unknown.
 */
#define FDTAB_SIZE 4096
static uint64_t fdtab[FDTAB_SIZE];

static uint64_t fd_pack(uint64_t ino, int end)
{
        return (ino << 2) | ((uint64_t)(end & 1) << 1) | 1;
}

static void fd_remember(int fd, uint64_t ino, int end)
{
        if (fd >= 0 && fd < FDTAB_SIZE)
                __atomic_store_n(&fdtab[fd], fd_pack(ino, end), __ATOMIC_RELAXED);
}

static void fd_forget(int fd)
{
        if (fd >= 0 && fd < FDTAB_SIZE)
                __atomic_store_n(&fdtab[fd], 0, __ATOMIC_RELAXED);
}

/* Inode and end of fd (table, else fstat + fcntl, cached). 0 if unknown. */
static uint64_t fd_lookup(int fd, int *end)
{
        struct stat st;
        uint64_t v = 0;
        int fl;

        if (fd >= 0 && fd < FDTAB_SIZE)
                v = __atomic_load_n(&fdtab[fd], __ATOMIC_RELAXED);
        if (v) {
                *end = (int)((v >> 1) & 1);
                return v >> 2;
        }
        if (fstat(fd, &st) < 0) {
                *end = CT_TP_PIPE_READ;
                return 0;
        }
        fl = fcntl(fd, F_GETFL);
        *end = (fl >= 0 && (fl & O_ACCMODE) == O_WRONLY) ? CT_TP_PIPE_WRITE : CT_TP_PIPE_READ;
        fd_remember(fd, (uint64_t)st.st_ino, *end);
        return (uint64_t)st.st_ino;
}

uint64_t ct_pipe_id(int fd)
{
        int end;

        return fd_lookup(fd, &end);
}

/* Per-process byte counters keyed by (inode, direction): open addressing. */
struct offset_slot {
        uint64_t key; /* (inode << 1) | dir, 0 = free */
        uint64_t bytes;
};

static pthread_mutex_t off_mu = PTHREAD_MUTEX_INITIALIZER;
static struct offset_slot *off_slots; /* owned */
static size_t off_cap;                /* slots, a power of two */
static size_t off_used;

static struct offset_slot *offset_find(uint64_t key, int insert)
{
        size_t mask, i;

        if (insert && (off_used + 1) * 2 > off_cap) {
                size_t ncap = off_cap ? off_cap * 2 : 64;
                struct offset_slot *n = calloc(ncap, sizeof(*n));

                if (!n)
                        return NULL;
                for (size_t j = 0; j < off_cap; j++) {
                        if (!off_slots[j].key)
                                continue;
                        i = (size_t)(off_slots[j].key * 0x9E3779B97F4A7C15ull) & (ncap - 1);
                        while (n[i].key)
                                i = (i + 1) & (ncap - 1);
                        n[i] = off_slots[j];
                }
                free(off_slots);
                off_slots = n;
                off_cap = ncap;
        }
        if (!off_cap)
                return NULL;
        mask = off_cap - 1;
        i = (size_t)(key * 0x9E3779B97F4A7C15ull) & mask;
        while (off_slots[i].key && off_slots[i].key != key)
                i = (i + 1) & mask;
        if (!off_slots[i].key) {
                if (!insert)
                        return NULL;
                off_slots[i].key = key;
                off_used++;
        }
        return &off_slots[i];
}

/* Returns the offset before this transfer and adds `moved` bytes. */
static uint64_t offset_advance(uint64_t ino, int dir, int64_t moved)
{
        struct offset_slot *slot;
        uint64_t before = 0;

        if (!ino)
                return 0;
        pthread_mutex_lock(&off_mu);
        slot = offset_find((ino << 1) | (uint64_t)dir, moved > 0);
        if (slot) {
                before = slot->bytes;
                if (moved > 0)
                        slot->bytes += (uint64_t)moved;
        }
        pthread_mutex_unlock(&off_mu);
        return before;
}

uint64_t ct_pipe_offset(uint64_t id, int dir)
{
        return offset_advance(id, dir ? 1 : 0, 0);
}

void ct__pipe_after_fork_child(void)
{
        /* Only this thread exists: the lock may have been held by another one. */
        pthread_mutex_init(&off_mu, NULL);
        free(off_slots);
        off_slots = NULL;
        off_cap = 0;
        off_used = 0;
}

static int pipe_created(int fds[2], const char *name)
{
        struct stat st;
        uint64_t ino;

        if (fstat(fds[0], &st) < 0) {
                int err = errno;

                close(fds[0]);
                close(fds[1]);
                return -err;
        }
        ino = (uint64_t)st.st_ino;
        fd_remember(fds[0], ino, CT_TP_PIPE_READ);
        fd_remember(fds[1], ino, CT_TP_PIPE_WRITE);
        lttng_ust_tracepoint(ct_pipe, create, ino, fds[0], fds[1]);
        ct_name(ino, CT_OBJ_PIPE, name);
        return 0;
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
        int end, token, err = 0;
        uint64_t ino = fd_lookup(fd, &end);
        uint64_t off;
        ssize_t ret;

        lttng_ust_tracepoint(ct_pipe, write_begin, ino, fd, len);
        token = ct__gil_block_begin();
        ret = write(fd, buf, len);
        if (ret < 0)
                err = errno;
        off = offset_advance(ino, 1, ret);
        lttng_ust_tracepoint(ct_pipe, write_end, ino, fd, len, (int64_t)ret, err, off);
        ct__gil_block_end(token);
        return ret < 0 ? -err : ret;
}

ssize_t ct_pipe_read(int fd, void *buf, size_t len)
{
        int end, token, err = 0;
        uint64_t ino = fd_lookup(fd, &end);
        uint64_t off;
        ssize_t ret;

        lttng_ust_tracepoint(ct_pipe, read_begin, ino, fd, len);
        token = ct__gil_block_begin();
        ret = read(fd, buf, len);
        if (ret < 0)
                err = errno;
        off = offset_advance(ino, 0, ret);
        lttng_ust_tracepoint(ct_pipe, read_end, ino, fd, len, (int64_t)ret, err, off);
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
        int end;
        uint64_t ino = fd_lookup(fd, &end);

        if (ino) /* not for a descriptor that is not open */
                lttng_ust_tracepoint(ct_pipe, close, ino, fd, end);
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
