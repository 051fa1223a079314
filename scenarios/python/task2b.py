#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Task 2B (lab 004): coordinating threads with threading.Condition.

A bounded buffer (a list of at most BUFFER_SIZE items) shared by one producer
and CONSUMERS consumers. The producer waits while the buffer is full, the
consumers while it is empty, each re-checking its condition after every wake-up
(`while not condition: wait()`); one None sentinel per consumer stops them.
Two Conditions over one lock (buffer.not_empty and buffer.not_full, as
queue.Queue does) rather than the lab's single Condition: with one condition
shared by a producer and several consumers, notify() can wake a consumer where
the producer was meant and every thread can end up asleep.

  default        notify() after each put and get
  --notify-all   notify_all(): every waiting consumer wakes for one item, all
                 but one find the buffer empty and wait again (re-waits)
  --busy-wait    no wait(): poll the buffer under the lock (release, re-take,
                 check again), burning CPU (and, in CPython, the GIL)

Exit status: 0 every item consumed exactly once and every consumer stopped by
its sentinel, 1 otherwise, 2 bad options."""
import sys
import threading
import time

import conctrace_marks as ct


class Shared:
    def __init__(self, o):
        self.o = o
        self.buffer = []
        self.lock = threading.Lock()
        self.not_empty = threading.Condition(self.lock)
        self.not_full = threading.Condition(self.lock)
        self.consumed = [0] * o.items
        self.wakeups = {"consumer": 0, "producer": 0}
        self.rewaits = {"consumer": 0, "producer": 0}
        self.polls = {"consumer": 0, "producer": 0}
        self.cpu = {"consumer": 0.0, "producer": 0.0}
        self.sentinels = 0
        self.stat_lock = threading.Lock()


def wait_for(s, cond, ready, who):
    """`while not ready(): cond.wait()` (or poll with --busy-wait); lock held."""
    first = True
    while not ready():
        if s.o.busy_wait:
            s.polls[who] += 1
            s.lock.release()
            s.lock.acquire()
            continue
        if not first:
            s.rewaits[who] += 1  # woken, found the predicate false: wait again
        cond.wait()
        s.wakeups[who] += 1
        first = False


def notify(s, cond):
    if s.o.busy_wait:
        return
    if s.o.notify_all:
        cond.notify_all()
    else:
        cond.notify()


def put(s, item):
    with s.lock:
        wait_for(s, s.not_full, lambda: len(s.buffer) < s.o.buffer_size, "producer")
        s.buffer.append(item)
        notify(s, s.not_empty)


def producer(s):
    ct.thread_role()
    t0 = time.thread_time()
    for i in range(s.o.items):
        ct.io_sim(s.o.produce_ms / 1000.0)  # make the item
        put(s, i)
        if s.o.verbose:
            print("  producer: put %d" % i, flush=True)
    for _ in range(s.o.consumers):
        put(s, None)
    s.cpu["producer"] += time.thread_time() - t0


def consumer(s):
    ct.thread_role()
    t0 = time.thread_time()
    while True:
        with s.lock:
            wait_for(s, s.not_empty, lambda: len(s.buffer) > 0, "consumer")
            item = s.buffer.pop(0)
            notify(s, s.not_full)
        if item is None:
            with s.stat_lock:
                s.sentinels += 1
            break
        s.consumed[item] += 1
        if s.o.verbose:
            print("  %s: got %d" % (threading.current_thread().name, item), flush=True)
        ct.io_sim(s.o.consume_ms / 1000.0)  # use the item
    with s.stat_lock:
        s.cpu["consumer"] += time.thread_time() - t0


def main():
    p = ct.parser("task2b.py", __doc__)
    p.add_argument("--items", type=ct.arg_int(1, 10000000), default=50, metavar="N", help="items produced (default 50)")
    p.add_argument("--consumers", type=ct.arg_int(1, 256), default=3, metavar="N", help="consumer threads (default 3)")
    p.add_argument("--buffer-size", type=ct.arg_int(1, 1000000), default=5, metavar="N", help="buffer capacity (default 5)")
    p.add_argument("--produce-ms", type=ct.arg_float(0.0, 10000.0), default=2.0, metavar="MS", help="producer's simulated work per item (default 2)")
    p.add_argument("--consume-ms", type=ct.arg_float(0.0, 10000.0), default=1.0, metavar="MS", help="consumer's simulated work per item (default 1)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--notify-all", action="store_true", help="notify_all() instead of notify()")
    g.add_argument("--busy-wait", action="store_true", help="poll under the lock instead of wait()")
    p.add_argument("-v", "--verbose", action="store_true", help="print every item")
    o = p.parse_args()

    variant = "busy_wait" if o.busy_wait else "notify_all" if o.notify_all else "notify"
    params = ct.params_str(items=o.items, buffer_size=o.buffer_size, produce_ms="%g" % o.produce_ms, consume_ms="%g" % o.consume_ms)
    print("task2b: %d items, %d consumers, buffer of %d, %s" % (o.items, o.consumers, o.buffer_size, variant), flush=True)
    threading.current_thread().name = "main"
    ct.thread_role("main")
    s = Shared(o)
    with ct.Run("py-task2b", variant, o.consumers, params) as run:
        ct.name_lock(s.lock, "buffer.lock")
        ct.name_cond(s.not_empty, "buffer.not_empty")
        ct.name_cond(s.not_full, "buffer.not_full")
        threads = [threading.Thread(target=producer, args=(s,), name="producer")]
        threads += [threading.Thread(target=consumer, args=(s,), name="consumer-%d" % (i + 1)) for i in range(o.consumers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wrong = sum(1 for n in s.consumed if n != 1)
        if o.busy_wait:
            print("task2b: busy-wait: consumers polled an empty buffer %d times, producer a full one %d times" % (s.polls["consumer"], s.polls["producer"]))
        else:
            print("task2b: consumers woke %d times for %d items (%d re-waits: woken with nothing to do); producer woke %d times (%d re-waits)"
                  % (s.wakeups["consumer"], o.items, s.rewaits["consumer"], s.wakeups["producer"], s.rewaits["producer"]))
        ok = ct.check(wrong == 0, "%d items consumed exactly once (%d wrong)" % (o.items, wrong))
        ok &= ct.check(s.sentinels == o.consumers, "%d consumers stopped by their sentinel" % o.consumers)
        run.status = 0 if ok else 1
    print("task2b: consumer CPU time %.3f ms, producer %.3f ms, over %.3f ms elapsed" % (s.cpu["consumer"] * 1e3, s.cpu["producer"] * 1e3, run.elapsed * 1e3))
    print("elapsed %.1f ms" % (run.elapsed * 1e3))
    return run.status


if __name__ == "__main__":
    sys.exit(main())
