#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Hacker's edition (lab 004): ThreadPool + prime finder, and the
multiprocessing challenge.

Counts the primes below TOTAL by trial division, split into TASKS equal ranges
submitted to a pool of WORKERS: a small hand-written ThreadPool (--mode
threads, the lab's hacker_primes_threadpool.py: worker threads take tasks from
a queue.Queue) or a multiprocessing.Pool (--mode processes, the challenge).
Threads do not speed this CPU-bound work up (the GIL); processes do, up to the
cores. The count is checked against a sieve.

Exit status: 0 the counts are right, 1 otherwise, 2 bad options."""
import multiprocessing
import queue
import sys
import threading

import conctrace_marks as ct


def is_prime(n):
    if n < 2:
        return False
    if n % 2 == 0:
        return n == 2
    f = 3
    while f * f <= n:
        if n % f == 0:
            return False
        f += 2
    return True


def count_range(lo_hi):
    """One task: the primes in [lo, hi), marked as one compute unit."""
    lo, hi = lo_hi
    ct.work_begin(ct.WORK_COMPUTE, 1)
    n = sum(1 for k in range(lo, hi) if is_prime(k))
    ct.work_end(ct.WORK_COMPUTE, 1)
    return n


def sieve_count(total):
    if total < 3:
        return 0
    flags = bytearray([1]) * total
    flags[0:2] = b"\0\0"
    for i in range(2, int(total ** 0.5) + 1):
        if flags[i]:
            flags[i * i :: i] = bytes(len(range(i * i, total, i)))
    return sum(flags)


class ThreadPool:
    """The lab's small thread pool: WORKERS threads taking (fn, arg, slot)
    from one queue.Queue; None stops a worker."""

    def __init__(self, workers):
        self.tasks = queue.Queue()
        ct.name_lock(self.tasks.mutex, "pool.queue.mutex")
        ct.name_cond(self.tasks.not_empty, "pool.queue.not_empty")
        self.threads = [threading.Thread(target=self._worker, name="worker-%d" % i) for i in range(workers)]
        for t in self.threads:
            t.start()

    def _worker(self):
        ct.thread_role()
        while True:
            item = self.tasks.get()
            if item is None:
                break
            fn, arg, results, slot = item
            results[slot] = fn(arg)

    def map(self, fn, args):
        results = [None] * len(args)
        for slot, arg in enumerate(args):
            self.tasks.put((fn, arg, results, slot))
        return results

    def close(self):
        for _ in self.threads:
            self.tasks.put(None)
        for t in self.threads:
            t.join()


def _proc_init():
    ident = multiprocessing.current_process()._identity  # pylint: disable=protected-access
    ct.thread_role("worker-%d" % (ident[0] - 1 if ident else 0))


def run_threads(workers, ranges):
    pool = ThreadPool(workers)
    results = pool.map(count_range, ranges)
    pool.close()
    return sum(results)


def run_processes(workers, ranges):
    # fork (Linux's default in 3.11): the workers keep the preload library
    # and its tracing, as a forked C child does.
    ctx = multiprocessing.get_context("fork")
    with ct.phase("start pool"):
        pool = ctx.Pool(processes=workers, initializer=_proc_init)
    with pool:
        with ct.phase("map"):
            results = pool.map(count_range, ranges, chunksize=1)
    return sum(results)


def main():
    p = ct.parser("primes.py", __doc__)
    p.add_argument("--total", type=ct.arg_int(2, 10 ** 9), default=200000, metavar="N", help="search the numbers below N (default 200000)")
    p.add_argument("--tasks", type=ct.arg_int(1, 100000), default=8, metavar="N", help="ranges submitted to the pool (default 8)")
    p.add_argument("--workers", type=ct.arg_int_list(1, 256), default=[4], metavar="N[,N...]", help="pool size; a list (1,2,4,8) runs each as its own run (default 4)")
    p.add_argument("--mode", type=ct.arg_choice("threads", "processes"), metavar="threads|processes", default="threads", help="thread pool or process pool (default threads)")
    p.add_argument("--switch-interval-us", type=ct.arg_int(1, 10 ** 7), default=5000, metavar="US", help="CPython's GIL switch interval, sys.setswitchinterval (default 5000, CPython's own)")
    p.add_argument("-v", "--verbose", action="store_true", help="print every task's count")
    o = p.parse_args()
    sys.setswitchinterval(o.switch_interval_us / 1e6)

    step = -(-o.total // o.tasks)
    ranges = [(lo, min(lo + step, o.total)) for lo in range(0, o.total, step)]
    params = ct.params_str(total=o.total, tasks=o.tasks)
    threading.current_thread().name = "main"
    ct.thread_role("main")
    expected = sieve_count(o.total)
    ok = True
    times = []
    for w in o.workers:
        with ct.Run("py-primes", o.mode, w, params) as run:
            found = (run_threads if o.mode == "threads" else run_processes)(w, ranges)
            good = found == expected
            run.status = 0 if good else 1
        times.append((w, run.elapsed))
        unit = ("thread" if o.mode == "threads" else "process") + ("" if w == 1 else ("s" if o.mode == "threads" else "es"))
        print("primes: found %d primes below %d in %.3f s with %d %s (%d tasks)" % (found, o.total, run.elapsed, w, unit, len(ranges)), flush=True)
        ok &= ct.check(good, "%d primes below %d (expected %d)" % (found, o.total, expected))
    if len(times) > 1:
        print("  %8s %12s %8s" % ("workers", "elapsed", "speedup"))
        base = times[0][1] if times[0][0] == 1 else None
        for w, t in times:
            print("  %8d %10.3fms %7s" % (w, t * 1e3, "%.2fx" % (base / t) if base else "-"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
