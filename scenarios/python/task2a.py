#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Task 2A (lab 004): concurrency with a producer-consumer queue.

N_TASKS simulated downloads: each task waits IO_DELAY seconds (time.sleep, the
simulated network wait, which releases the GIL) and then does COMPUTE_SIZE units
of pure-Python CPU work (which holds it). Two runs, as in the lab's task2A.py:
sequential (the main thread does the tasks in turn) and threaded (a producer
thread puts the tasks on a queue.Queue, NUM_THREADS consumer threads take them;
one None sentinel per consumer stops them). Both times and the speedup are
printed.

Exit status: 0 every task done exactly once in both runs, 1 otherwise, 2 bad
options."""
import queue
import sys
import threading
import time

import conctrace_marks as ct


def do_task(o, task_id, done):
    ct.io_sim(o.io_delay)  # the "download": I/O wait, the GIL is released
    ct.compute(o.compute_size)  # process the page: CPU-bound, holds the GIL
    done[task_id] += 1
    if o.verbose:
        print("  [%s] task %d done" % (threading.current_thread().name, task_id), flush=True)


def producer(o, q):
    ct.thread_role()
    for task_id in range(o.n_tasks):
        q.put(task_id)
    for _ in range(o.num_threads):
        q.put(None)  # one sentinel per consumer


def consumer(o, q, done, counts, index):
    ct.thread_role()
    while True:
        task_id = q.get()
        if task_id is None:
            q.task_done()
            break
        do_task(o, task_id, done)
        counts[index] += 1
        q.task_done()


def check_done(variant, done):
    bad = [i for i, n in enumerate(done) if n != 1]
    if bad:
        return ct.check(False, "%s: %d tasks not done exactly once (first: task %d)" % (variant, len(bad), bad[0]))
    return ct.check(True, "%s: all %d tasks done exactly once" % (variant, len(done)))


def main():
    p = ct.parser("task2a.py", __doc__)
    p.add_argument("--n-tasks", type=ct.arg_int(1, 1000000), default=16, metavar="N", help="N_TASKS: tasks (default 16)")
    p.add_argument("--io-delay", type=ct.arg_float(0.0, 60.0), default=0.05, metavar="SECONDS", help="IO_DELAY: simulated I/O wait per task (default 0.05)")
    p.add_argument("--num-threads", type=ct.arg_int(1, 256), default=4, metavar="N", help="NUM_THREADS: consumer threads (default 4)")
    p.add_argument("--compute-size", type=ct.arg_int(0, 10 ** 9), default=1000, metavar="UNITS", help="COMPUTE_SIZE: CPU work per task in compute units (default 1000)")
    p.add_argument("--queue-size", type=ct.arg_int(0, 1000000), default=0, metavar="N", help="queue bound (default 0: unbounded, like queue.Queue())")
    p.add_argument("-v", "--verbose", action="store_true", help="VERBOSE: print every task")
    o = p.parse_args()

    params = ct.params_str(n_tasks=o.n_tasks, io_delay="%g" % o.io_delay, compute_size=o.compute_size, queue_size=o.queue_size)
    print("task2a: N_TASKS=%d IO_DELAY=%gs NUM_THREADS=%d COMPUTE_SIZE=%d" % (o.n_tasks, o.io_delay, o.num_threads, o.compute_size), flush=True)
    threading.current_thread().name = "main"
    ct.thread_role("main")
    ok = True

    done = [0] * o.n_tasks
    with ct.Run("py-task2a", "serial", 1, params) as seq:
        for task_id in range(o.n_tasks):
            do_task(o, task_id, done)
        seq.status = 0 if check_done("sequential", done) else 1
    ok &= seq.status == 0

    done = [0] * o.n_tasks
    counts = [0] * o.num_threads
    with ct.Run("py-task2a", "threads", o.num_threads, params) as thr:
        q = queue.Queue(maxsize=o.queue_size)
        ct.name_lock(q.mutex, "queue.mutex")
        ct.name_cond(q.not_empty, "queue.not_empty")
        ct.name_cond(q.not_full, "queue.not_full")
        threads = [threading.Thread(target=producer, args=(o, q), name="producer")]
        threads += [threading.Thread(target=consumer, args=(o, q, done, counts, i), name="consumer-%d" % (i + 1)) for i in range(o.num_threads)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        thr.status = 0 if check_done("threaded", done) else 1
    ok &= thr.status == 0
    for i, n in enumerate(counts):
        print("  consumer-%d did %d tasks" % (i + 1, n))
    print("task2a: sequential elapsed %.3f ms" % (seq.elapsed * 1e3))
    print("task2a: threaded (%d threads) elapsed %.3f ms, speedup %.2fx" % (o.num_threads, thr.elapsed * 1e3, seq.elapsed / thr.elapsed if thr.elapsed else 0.0))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
