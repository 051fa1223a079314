/* SPDX-License-Identifier: MIT */
/*
 * conctrace runtime: instrumented pipes and select/poll.
 *
 * A pipe's id in the trace is its inode (fstat), so both ends agree across
 * processes. Each process keeps, per pipe inode and direction, the number of
 * bytes it has written and read through the ct_pipe_* calls; the write_end and
 * read_end events carry that count from before the call as `offset`, which
 * lets analyzers match written bytes to read bytes. A child made by ct_fork()
 * starts again from 0. (Concurrent writers to one pipe in one process get
 * offsets in completion order.)
 *
 * The runtime keeps an fd -> (inode, end) table filled by ct_pipe_create();
 * other descriptors are looked up with fstat on first use and cached until
 * ct_pipe_close(). Close pipe descriptors with ct_pipe_close(), not close(),
 * or a reused fd number may be reported with a stale inode.
 *
 * Blocking calls here release the GIL while they block.
 */
#ifndef CONCTRACE_PIPE_H
#define CONCTRACE_PIPE_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/select.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * pipe(fds) then fires ct_pipe:create(inode, fds[0], fds[1]) and ct_run:name
 * (kind pipe, name; NULL: not named). Returns 0 or a negative errno.
 */
int ct_pipe_create(int fds[2], const char *name);

/* Same with pipe2() flags (O_CLOEXEC, O_NONBLOCK, ...). */
int ct_pipe_create2(int fds[2], int flags, const char *name);

/*
 * One write(2) on fd: fires ct_pipe:write_begin and write_end(ret, err,
 * offset). Returns the bytes written (possibly fewer than len), or a negative
 * errno (-EPIPE when no reader is left and SIGPIPE is ignored, -EAGAIN, -EINTR).
 */
ssize_t ct_pipe_write(int fd, const void *buf, size_t len);

/*
 * One read(2) on fd: fires ct_pipe:read_begin and read_end(ret, err, offset).
 * Returns the bytes read, 0 at EOF (no writer left), or a negative errno.
 */
ssize_t ct_pipe_read(int fd, void *buf, size_t len);

/*
 * Writes all len bytes with as many ct_pipe_write() calls as needed (retrying
 * on -EINTR). Returns len, or a negative errno (bytes written before the error
 * are lost to the caller; *written, if not NULL, receives their count).
 */
ssize_t ct_write_all(int fd, const void *buf, size_t len, size_t *written);

/*
 * Reads exactly len bytes unless EOF comes first (retrying on -EINTR).
 * Returns the bytes read (< len only at EOF), or a negative errno.
 */
ssize_t ct_read_full(int fd, void *buf, size_t len);

/* Fires ct_pipe:close(inode, fd, end) and closes fd. Returns 0 or a negative errno. */
int ct_pipe_close(int fd);

/* The pipe id (inode) of fd, 0 if fd is not a known or fstat-able pipe. */
uint64_t ct_pipe_id(int fd);

/* Bytes this process has written (dir = 1) or read (dir = 0) through the
 * ct_pipe_* calls on pipe `id` (the offset the next call would report). */
uint64_t ct_pipe_offset(uint64_t id, int dir);

/*
 * select(2) with ct_select:begin(nfds, nread, nwrite, timeout_us) and
 * ct_select:end(..., ret, err, ready fds of the read and write sets).
 * timeout NULL = none (-1). Returns the number of ready fds, 0 on timeout, or a
 * negative errno.
 */
int ct_select(int nfds, fd_set *rset, fd_set *wset, fd_set *eset, struct timeval *timeout);

/*
 * poll(2) with the same events: nfds = n, nread/nwrite = entries asking for
 * POLLIN/POLLOUT, timeout_us = timeout_ms * 1000 (-1 if negative), ready =
 * fds whose revents is non-zero. Returns like poll(2) but a negative errno on error.
 */
int ct_poll(struct pollfd *fds, nfds_t n, int timeout_ms);

#ifdef __cplusplus
}
#endif

#endif /* CONCTRACE_PIPE_H */
