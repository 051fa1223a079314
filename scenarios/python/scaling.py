#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Week 2 report (lab 003): concurrency models and worker counts.

A CPU-bound (--workload cpu: CPU_UNITS compute units of a pure-Python loop per
task) or I/O-bound (--workload io: IO_MS of time.sleep per task) workload of
TASKS tasks, run with each model and each worker count (each its own run):

  serial     the main thread does the tasks in turn (the speedup baseline)
  threads    concurrent.futures.ThreadPoolExecutor(max_workers=W)
  processes  concurrent.futures.ProcessPoolExecutor(max_workers=W) (forked;
             its start-up is inside the run)
  asyncio    one event loop, at most W tasks in flight (asyncio.Semaphore);
             the I/O wait is asyncio.sleep, CPU work runs inline

One compute unit takes about as long as one ct_compute() unit of the C
scenario `scaling` (see conctrace_marks.PY_UNIT_ITERS), so
`scaling --cpu-units U` and `scaling.py --cpu-units U` do comparable work.

Exit status: 0 every run did every task, 1 otherwise, 2 bad options."""
import argparse
import asyncio
import concurrent.futures
import multiprocessing
import sys
import threading

import conctrace_marks as ct

MODELS = ("serial", "threads", "processes", "asyncio")


def task(workload, amount, index):
    if workload == "cpu":
        ct.compute(amount)
    else:
        ct.io_sim(amount / 1000.0)
    return index


def _proc_init():
    ident = multiprocessing.current_process()._identity  # pylint: disable=protected-access
    ct.thread_role("worker-%d" % (ident[0] - 1 if ident else 0))


def _thread_init():
    t = threading.current_thread()
    t.name = t.name.replace("_", "-")  # worker_0 -> worker-0, as in the C scenarios
    ct.thread_role(t.name)


def run_serial(o, amount, _workers):
    return [task(o.workload, amount, i) for i in range(o.tasks)]


def run_threads(o, amount, workers):
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers, thread_name_prefix="worker", initializer=_thread_init) as ex:
        return list(ex.map(task, [o.workload] * o.tasks, [amount] * o.tasks, range(o.tasks)))


def run_processes(o, amount, workers):
    ctx = multiprocessing.get_context("fork")
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_proc_init) as ex:
        return list(ex.map(task, [o.workload] * o.tasks, [amount] * o.tasks, range(o.tasks)))


def run_asyncio(o, amount, workers):
    async def one(sem, index):
        async with sem:
            if o.workload == "cpu":
                ct.compute(amount)  # nothing to await: runs inline
            else:
                await asyncio.sleep(amount / 1000.0)
            return index

    async def all_tasks():
        sem = asyncio.Semaphore(workers)
        return await asyncio.gather(*(one(sem, i) for i in range(o.tasks)))

    return asyncio.run(all_tasks())


RUNNERS = {"serial": run_serial, "threads": run_threads, "processes": run_processes, "asyncio": run_asyncio}


def parse_models(text):
    if text == "all":
        return list(MODELS)
    out = []
    for m in text.split(","):
        m = "asyncio" if m == "eventloop" else m
        if m not in MODELS:
            raise argparse.ArgumentTypeError("invalid value '%s' (unknown model %s: serial, threads, processes, asyncio)" % (text, m))
        if m not in out:
            out.append(m)
    return out


def main():
    p = ct.parser("scaling.py", __doc__)
    p.add_argument("--workload", type=ct.arg_choice("cpu", "io"), metavar="cpu|io", default="cpu", help="pure loop or simulated I/O (default cpu)")
    p.add_argument("--model", type=parse_models, default=list(MODELS), metavar="LIST", help="comma list of serial, threads, processes, asyncio (eventloop: asyncio), or all (default all)")
    p.add_argument("--workers", type=ct.arg_int_list(1, 256), default=[1, 2, 4, 8], metavar="LIST", help="worker counts (default 1,2,4,8)")
    p.add_argument("--tasks", type=ct.arg_int(1, 100000), default=16, metavar="N", help="tasks per run (default 16)")
    p.add_argument("--cpu-units", type=ct.arg_int(0, 10 ** 9), default=1000, metavar="U", help="CPU work per task, compute units (default 1000)")
    p.add_argument("--io-ms", type=ct.arg_int(0, 100000), default=10, metavar="MS", help="simulated I/O per task (default 10)")
    p.add_argument("--switch-interval-us", type=ct.arg_int(1, 10 ** 7), default=5000, metavar="US", help="CPython's GIL switch interval, sys.setswitchinterval (default 5000, CPython's own)")
    p.add_argument("-v", "--verbose", action="store_true", help="print every run as it ends")
    o = p.parse_args()
    sys.setswitchinterval(o.switch_interval_us / 1e6)

    amount = o.cpu_units if o.workload == "cpu" else o.io_ms
    kv = {"workload": o.workload, "tasks": o.tasks}
    kv["cpu_units" if o.workload == "cpu" else "io_ms"] = amount
    params = ct.params_str(**kv)
    print("scaling: %s-bound workload, %d tasks of %s" % (o.workload, o.tasks, "%d compute units" % amount if o.workload == "cpu" else "%d ms of I/O" % amount), flush=True)
    threading.current_thread().name = "main"
    ct.thread_role("main")
    results = []
    ok = True
    for m in o.model:
        for w in [1] if m == "serial" else o.workers:
            with ct.Run("py-scaling", m, w, params) as run:
                done = RUNNERS[m](o, amount, w)
                good = sorted(done) == list(range(o.tasks))
                run.status = 0 if good else 1
            ok &= good
            results.append((m, w, run.elapsed))
            if o.verbose:
                print("  %s workers %d: %.3f ms" % (m, w, run.elapsed * 1e3), flush=True)
    base = next((t for m, w, t in results if m == "serial"), None)
    print("  %-10s %8s %12s %8s %10s" % ("model", "workers", "elapsed", "speedup", "efficiency"))
    for m, w, t in results:
        if base:
            print("  %-10s %8d %10.3fms %7.2fx %9.0f%%" % (m, w, t * 1e3, base / t, 100.0 * base / t / w))
        else:
            print("  %-10s %8d %10.3fms %8s %10s" % (m, w, t * 1e3, "-", "-"))
    ct.check(ok, "%d runs, every task done once in each" % len(results))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
