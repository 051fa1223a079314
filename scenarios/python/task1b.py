#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Task 1B (lab 004): event-based concurrency with select(). The parent forks
CHILDREN children; child i writes MESSAGES 32-byte messages to its own pipe,
one every i x INTERVAL_MS ms, then exits. The parent's event loop
(parent_event_loop) select()s over every read end still open, handles what
arrived, removes a pipe at EOF (b'') and stops when all are closed.

--chatty K makes child-1 K times faster; the default greedy loop drains a ready
pipe until it is empty, --fair takes at most --budget messages per pipe per
wakeup, so the quiet children are not starved.

Exit status: 0 every message arrived once and in order, every pipe reached EOF
and every child exited 0; 1 otherwise; 2 bad options."""
import os
import select
import struct
import sys
import time

import conctrace_marks as ct

MSG = struct.Struct("<IIq16s")  # child, seq, sent (ns), text: 32 bytes
GREEDY_READ_MSGS = 64


def child_main(o, cid, wfd, messages):
    ct.thread_role("child-%d" % cid)
    interval = o.interval_ms * cid / 1000.0
    if cid == 1:
        interval /= o.chatty
    status = 0
    try:
        for seq in range(messages):
            if interval > 0:
                time.sleep(interval)
            msg = MSG.pack(cid, seq, time.monotonic_ns(), b"hello %d" % (seq % 100000))
            os.write(wfd, msg)  # 32 bytes < PIPE_BUF: written whole
    except OSError as e:
        print("child-%d: Failed to write message: %s" % (cid, e), flush=True)
        status = 1
    os.close(wfd)
    return status


class Child:
    def __init__(self, cid, expected):
        self.cid = cid
        self.expected = expected
        self.pid = 0
        self.rfd = -1
        self.received = 0
        self.in_order = True
        self.eof = False
        self.partial = b""
        self.lat_sum = 0
        self.lat_max = 0
        self.exit_code = -1


def handle(o, c, data):
    """Handles the whole messages in c.partial + data; returns how many."""
    buf = c.partial + data
    n = len(buf) // MSG.size
    for k in range(n):
        cid, seq, sent, text = MSG.unpack_from(buf, k * MSG.size)
        lat = time.monotonic_ns() - sent
        if cid != c.cid or seq != c.received:
            c.in_order = False
        c.received += 1
        c.lat_sum += lat
        c.lat_max = max(c.lat_max, lat)
        if o.verbose:
            print("  parent: child-%d #%d \"%s\" after %.3f ms" % (cid, seq, text.rstrip(b"\0").decode(), lat / 1e6))
        if o.handle_us > 0:
            time.sleep(o.handle_us / 1e6)
    c.partial = buf[n * MSG.size :]
    return n


def read_child(o, c, max_msgs):
    """One read of at most max_msgs messages: handled count, 0 at EOF, -1 if empty."""
    want = min(max_msgs, GREEDY_READ_MSGS) * MSG.size - len(c.partial)
    try:
        data = os.read(c.rfd, want)
    except BlockingIOError:
        return -1
    if not data:
        c.eof = True
        os.close(c.rfd)
        c.rfd = -1
        if o.verbose:
            print("  parent: EOF from child-%d, removed from the set" % c.cid)
        return 0
    n = handle(o, c, data)
    return n if n > 0 else -1


def parent_event_loop(o, children):
    selects = ready_total = 0
    open_pipes = sum(1 for c in children if c.rfd >= 0)
    while open_pipes > 0:
        fds = [c.rfd for c in children if c.rfd >= 0]
        ready, _, _ = select.select(fds, [], [])
        selects += 1
        ready_total += len(ready)
        for c in children:
            if c.rfd < 0 or c.rfd not in ready:
                continue
            budget = o.budget if o.fair else GREEDY_READ_MSGS
            while True:
                r = read_child(o, c, min(budget, GREEDY_READ_MSGS))
                if r > 0 and o.fair:
                    budget -= r
                if r <= 0 or budget <= 0:
                    break
            if r == 0:
                open_pipes -= 1
    return selects, ready_total


def fork_children(o, children):
    """One pipe and one child per Child; the parent keeps the read ends."""
    for c in children:
        rfd, wfd = os.pipe()
        ct.name_pipe(rfd, "pipe child-%d" % c.cid)
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            rc = 1
            try:
                os.close(rfd)
                for other in children:  # the earlier children's read ends
                    if other.rfd >= 0:
                        os.close(other.rfd)
                rc = child_main(o, c.cid, wfd, c.expected)
            finally:
                sys.stdout.flush()
                os._exit(rc)
        os.close(wfd)  # or EOF would never come
        os.set_blocking(rfd, False)
        c.pid, c.rfd = pid, rfd


def main():
    p = ct.parser("task1b.py", __doc__)
    p.add_argument("--children", type=ct.arg_int(1, 64), default=4, metavar="N", help="child processes (default 4)")
    p.add_argument("--messages", type=ct.arg_int(1, 1000000), default=20, metavar="M", help="messages per child (default 20)")
    p.add_argument("--interval-ms", type=ct.arg_int(0, 10000), default=10, metavar="MS", help="child i writes one message every i x MS ms (default 10)")
    p.add_argument("--chatty", type=ct.arg_int(1, 10000), default=1, metavar="K", help="child-1 writes K times faster and K times as many messages (default 1)")
    p.add_argument("--fair", action="store_true", help="take at most --budget messages from one pipe per wakeup (default: greedy)")
    p.add_argument("--budget", type=ct.arg_int(1, 1000000), default=1, metavar="N", help="messages per pipe per wakeup with --fair (default 1)")
    p.add_argument("--handle-us", type=ct.arg_int(0, 1000000), default=200, metavar="US", help="the parent's simulated work per message (default 200)")
    p.add_argument("-v", "--verbose", action="store_true", help="print every message")
    o = p.parse_args()

    variant = "fair" if o.fair else "greedy"
    params = ct.params_str(children=o.children, messages=o.messages, interval_ms=o.interval_ms, chatty=o.chatty, budget=o.budget if o.fair else 0, handle_us=o.handle_us)
    print("task1b: %d children x %d messages, child i every i x %d ms%s, %s loop, %d us per message"
          % (o.children, o.messages, o.interval_ms, " (child-1 chatty)" if o.chatty > 1 else "", variant, o.handle_us), flush=True)
    ct.thread_role("parent")
    children = [Child(i + 1, o.messages * (o.chatty if i == 0 else 1)) for i in range(o.children)]
    with ct.Run("py-task1b", variant, o.children, params) as run:
        with ct.phase("fork children"):
            fork_children(o, children)
        with ct.phase("event loop"):
            selects, ready_total = parent_event_loop(o, children)
        for c in children:
            _, st = os.waitpid(c.pid, 0)
            c.exit_code = os.waitstatus_to_exitcode(st)
        ok = True
        print("task1b: %d select() wakeups, %.2f ready pipes per wakeup" % (selects, ready_total / selects if selects else 0.0))
        print("  %-9s %8s %8s %12s %12s" % ("child", "messages", "every", "latency mean", "latency max"))
        for c in children:
            every = o.interval_ms * c.cid / (o.chatty if c.cid == 1 else 1)
            mean = c.lat_sum / c.received / 1e6 if c.received else 0.0
            print("  child-%-3d %8d %6.2fms %10.3fms %10.3fms" % (c.cid, c.received, every, mean, c.lat_max / 1e6))
        for c in children:
            if c.received != c.expected or not c.in_order or not c.eof or c.partial or c.exit_code != 0:
                ct.check(False, "child-%d: %d of %d messages%s%s, exit status %d" % (c.cid, c.received, c.expected, "" if c.in_order else ", out of order", "" if c.eof else ", no EOF", c.exit_code))
                ok = False
        ok = ct.check(ok, "every message received once and in order, %d pipes at EOF, %d children reaped with status 0" % (o.children, o.children))
        run.status = 0 if ok else 1
    print("elapsed %.1f ms" % (run.elapsed * 1e3))
    return run.status


if __name__ == "__main__":
    sys.exit(main())
