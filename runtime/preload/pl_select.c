/* SPDX-License-Identifier: MIT */
/*
 * select/pselect/poll/ppoll/epoll_wait/epoll_pwait as ct_select:begin/end
 * (the ready fds; for epoll, data.fd of each ready event, which is what
 * Python's select.epoll and most programs store there).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ct_pl_internal.h"

#define CT__PL_API __attribute__((visibility("default")))

#define REAL(type, name, args)                                                                     \
        static type(*real_##name) args;                                                            \
        static inline type(*get_##name(void)) args                                                 \
        {                                                                                          \
                if (__builtin_expect(!real_##name, 0))                                             \
                        real_##name = ct__pl_sym(#name, NULL);                                     \
                return real_##name;                                                                \
        }

REAL(int, select, (int, fd_set *, fd_set *, fd_set *, struct timeval *))
REAL(int, pselect, (int, fd_set *, fd_set *, fd_set *, const struct timespec *, const sigset_t *))
REAL(int, poll, (struct pollfd *, nfds_t, int))
REAL(int, ppoll, (struct pollfd *, nfds_t, const struct timespec *, const sigset_t *))
REAL(int, epoll_wait, (int, struct epoll_event *, int, int))
REAL(int, epoll_pwait, (int, struct epoll_event *, int, int, const sigset_t *))

static inline int enabled(void)
{
        return lttng_ust_tracepoint_enabled(ct_select, begin) ||
               lttng_ust_tracepoint_enabled(ct_select, end);
}

static void sets_count(int nfds, fd_set *r, fd_set *w, int32_t *nr, int32_t *nw)
{
        int lim = nfds < FD_SETSIZE ? nfds : FD_SETSIZE;

        *nr = *nw = 0;
        for (int fd = 0; fd < lim; fd++) {
                *nr += r && FD_ISSET(fd, r);
                *nw += w && FD_ISSET(fd, w);
        }
}

static void sets_end(int nfds, fd_set *r, fd_set *w, int32_t nr, int32_t nw, int64_t tus, int ret,
                     int err)
{
        int32_t ready[2 * FD_SETSIZE];
        uint32_t n = 0;
        int lim = nfds < FD_SETSIZE ? nfds : FD_SETSIZE;

        for (int fd = 0; ret > 0 && fd < lim; fd++) {
                if (r && FD_ISSET(fd, r))
                        ready[n++] = fd;
                if (w && FD_ISSET(fd, w))
                        ready[n++] = fd;
        }
        CT__PL_FIRE(ct_select, end, nfds, nr, nw, tus, ret, err, ready, n);
}

CT__PL_API int select(int nfds, fd_set *r, fd_set *w, fd_set *e, struct timeval *tv)
{
        int32_t nr, nw;
        int64_t tus = tv ? (int64_t)tv->tv_sec * 1000000 + tv->tv_usec : -1;
        int ret, err;

        if (__builtin_expect(!get_select(), 0))
                return (int)syscall(SYS_select, nfds, r, w, e, tv);
        if (!ct__pl_traced(CT__PL_CALLER()) || !enabled())
                return real_select(nfds, r, w, e, tv);
        sets_count(nfds, r, w, &nr, &nw);
        CT__PL_FIRE(ct_select, begin, nfds, nr, nw, tus);
        ret = real_select(nfds, r, w, e, tv);
        err = ret < 0 ? errno : 0;
        sets_end(nfds, r, w, nr, nw, tus, ret, err);
        errno = err ? err : errno;
        return ret;
}

CT__PL_API int pselect(int nfds, fd_set *r, fd_set *w, fd_set *e, const struct timespec *ts,
                       const sigset_t *mask)
{
        int32_t nr, nw;
        int64_t tus = ts ? (int64_t)ts->tv_sec * 1000000 + ts->tv_nsec / 1000 : -1;
        int ret, err;

        if (__builtin_expect(!get_pselect(), 0))
                return -1;
        if (!ct__pl_traced(CT__PL_CALLER()) || !enabled())
                return real_pselect(nfds, r, w, e, ts, mask);
        sets_count(nfds, r, w, &nr, &nw);
        CT__PL_FIRE(ct_select, begin, nfds, nr, nw, tus);
        ret = real_pselect(nfds, r, w, e, ts, mask);
        err = ret < 0 ? errno : 0;
        sets_end(nfds, r, w, nr, nw, tus, ret, err);
        errno = err ? err : errno;
        return ret;
}

static void poll_count(const struct pollfd *fds, nfds_t n, int32_t *nr, int32_t *nw)
{
        *nr = *nw = 0;
        for (nfds_t i = 0; i < n; i++) {
                *nr += (fds[i].events & POLLIN) != 0;
                *nw += (fds[i].events & POLLOUT) != 0;
        }
}

static void poll_end(const struct pollfd *fds, nfds_t n, int32_t nr, int32_t nw, int64_t tus,
                     int ret, int err)
{
        int32_t small[64], *ready = n > 64 ? malloc(n * sizeof(*ready)) : small;
        uint32_t k = 0;

        for (nfds_t i = 0; ready && ret > 0 && i < n; i++) {
                if (fds[i].revents)
                        ready[k++] = fds[i].fd;
        }
        CT__PL_FIRE(ct_select, end, (int32_t)n, nr, nw, tus, ret, err, ready ? ready : small, k);
        if (ready != small)
                free(ready);
}

CT__PL_API int poll(struct pollfd *fds, nfds_t n, int timeout_ms)
{
        int32_t nr, nw;
        int64_t tus = timeout_ms < 0 ? -1 : (int64_t)timeout_ms * 1000;
        int ret, err;

        if (__builtin_expect(!get_poll(), 0))
                return (int)syscall(SYS_poll, fds, n, timeout_ms);
        if (!ct__pl_traced(CT__PL_CALLER()) || !enabled())
                return real_poll(fds, n, timeout_ms);
        poll_count(fds, n, &nr, &nw);
        CT__PL_FIRE(ct_select, begin, (int32_t)n, nr, nw, tus);
        ret = real_poll(fds, n, timeout_ms);
        err = ret < 0 ? errno : 0;
        poll_end(fds, n, nr, nw, tus, ret, err);
        errno = err ? err : errno;
        return ret;
}

CT__PL_API int ppoll(struct pollfd *fds, nfds_t n, const struct timespec *ts, const sigset_t *mask)
{
        int32_t nr, nw;
        int64_t tus = ts ? (int64_t)ts->tv_sec * 1000000 + ts->tv_nsec / 1000 : -1;
        int ret, err;

        if (__builtin_expect(!get_ppoll(), 0))
                return -1;
        if (!ct__pl_traced(CT__PL_CALLER()) || !enabled())
                return real_ppoll(fds, n, ts, mask);
        poll_count(fds, n, &nr, &nw);
        CT__PL_FIRE(ct_select, begin, (int32_t)n, nr, nw, tus);
        ret = real_ppoll(fds, n, ts, mask);
        err = ret < 0 ? errno : 0;
        poll_end(fds, n, nr, nw, tus, ret, err);
        errno = err ? err : errno;
        return ret;
}

static int epoll_common(int epfd, struct epoll_event *evs, int max, int timeout_ms,
                        const sigset_t *mask, int pwait)
{
        int64_t tus = timeout_ms < 0 ? -1 : (int64_t)timeout_ms * 1000;
        int32_t small[64], *ready;
        uint32_t k = 0;
        int ret, err;

        CT__PL_FIRE(ct_select, begin, max, 0, 0, tus);
        ret = pwait ? real_epoll_pwait(epfd, evs, max, timeout_ms, mask)
                    : real_epoll_wait(epfd, evs, max, timeout_ms);
        err = ret < 0 ? errno : 0;
        ready = ret > 64 ? malloc((size_t)ret * sizeof(*ready)) : small;
        for (int i = 0; ready && i < ret; i++)
                ready[k++] = evs[i].data.fd;
        CT__PL_FIRE(ct_select, end, max, 0, 0, tus, ret, err, ready ? ready : small, k);
        if (ready != small)
                free(ready);
        errno = err ? err : errno;
        return ret;
}

CT__PL_API int epoll_wait(int epfd, struct epoll_event *evs, int max, int timeout_ms)
{
        if (__builtin_expect(!get_epoll_wait(), 0))
                return (int)syscall(SYS_epoll_wait, epfd, evs, max, timeout_ms);
        if (!ct__pl_traced(CT__PL_CALLER()) || !enabled())
                return real_epoll_wait(epfd, evs, max, timeout_ms);
        return epoll_common(epfd, evs, max, timeout_ms, NULL, 0);
}

CT__PL_API int epoll_pwait(int epfd, struct epoll_event *evs, int max, int timeout_ms,
                           const sigset_t *mask)
{
        if (__builtin_expect(!get_epoll_pwait(), 0))
                return -1;
        if (!ct__pl_traced(CT__PL_CALLER()) || !enabled())
                return real_epoll_pwait(epfd, evs, max, timeout_ms, mask);
        return epoll_common(epfd, evs, max, timeout_ms, mask, 1);
}
