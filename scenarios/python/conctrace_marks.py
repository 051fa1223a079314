# SPDX-License-Identifier: MIT
"""conctrace markers for the labs' Python programs.

The preload library (libconctrace-preload.so, which `conctrace record` and
`conctrace run` load into every program that does not link the runtime)
exports a small C API (runtime/preload/ct_preload_api.h) that fires the run,
phase, thread-role, work and name events of the contract. This module calls
it through ctypes, found in the process's global symbol scope
(ctypes.PyDLL(None): an LD_PRELOAD library is there). When the library is not
loaded every function here is a no-op, so the programs also run plainly:

    /usr/bin/python3 task2a.py             # no tracing, same output
    conctrace run py-task2a                # traced

What the library sees by itself (pthread mutexes and condvars, semaphores --
CPython's threading.Lock --, pipes, select/poll/epoll, fork, wait, sleeps as
io_sim) needs nothing from here; this module adds what only the program
knows: where a measured run begins and ends, its phases, the role of each
thread (its Python name), CPU work (compute) and names for locks and pipes.
"""
import argparse
import contextlib
import ctypes
import os
import sys
import threading
import time

WORK_COMPUTE = 0
WORK_IO_SIM = 1

# ct_run:name kinds (the contract's enum: lock, cond, pipe, queue, pool, fd, sem).
KIND_LOCK = 0
KIND_COND = 1
KIND_PIPE = 2
KIND_QUEUE = 3
KIND_POOL = 4
KIND_FD = 5
KIND_SEM = 6

# One compute unit of the Python programs: a pure-Python loop of
# PY_UNIT_ITERS steps of a linear congruential generator, calibrated so that
# one unit takes about as long in CPython 3.11 as one ct_compute() unit of the
# C scenarios (CT_COMPUTE_UNIT_ITERS = 1000 multiply-xorshift steps) on the
# machine the figures in docs/ were measured on (docs/scenarios.md, "Python
# programs": the serial CPU-bound times of scaling and py-scaling).
PY_UNIT_ITERS = 20


def _load():
    try:
        # PyDLL: the calls keep the GIL (they never block), so a marker costs
        # no GIL release and re-take (events of its own in the trace).
        lib = ctypes.PyDLL(None)
        active = lib.ct_preload_active
    except (OSError, AttributeError):
        return None
    s, i, ull = ctypes.c_char_p, ctypes.c_int, ctypes.c_ulonglong
    sigs = {
        "ct_preload_run_begin": [s, s, i, s],
        "ct_preload_run_end": [s, s, i, s, i],
        "ct_preload_phase_begin": [s],
        "ct_preload_phase_end": [s],
        "ct_preload_thread_role": [s],
        "ct_preload_work_begin": [i, ull],
        "ct_preload_work_end": [i, ull],
        "ct_preload_name": [ull, i, s],
    }
    try:
        for name, args in sigs.items():
            fn = getattr(lib, name)
            fn.argtypes = args
            fn.restype = None
    except AttributeError:
        return None
    active.argtypes = []
    active.restype = ctypes.c_int
    sem_id = getattr(lib, "ct_preload_sem_id", None)
    if sem_id is not None:
        sem_id.argtypes = [ctypes.c_void_p]
        sem_id.restype = ull
    return lib


_LIB = _load()


def loaded():
    """True when the preload library is in this process."""
    return _LIB is not None


def active():
    """True when the preload library is loaded and says it is tracing."""
    return _LIB is not None and bool(_LIB.ct_preload_active())


def _b(text):
    return str(text).encode("utf-8", "replace")


def params_str(**kv):
    """'k=v k=v' in the given order (the run markers' params)."""
    return " ".join("%s=%s" % (k, v) for k, v in kv.items())


# Untraced timing (CT_RUN_TIMES=PATH, set by `conctrace run` and `sweep` for
# their untraced executions): like the C runtime, each run_end appends one
# line "run SCENARIO VARIANT WORKERS STATUS BEGIN_NS END_NS PARAMS" (tabs),
# CLOCK_MONOTONIC readings taken where the markers fire, in one write(2).
_TIMES = os.environ.get("CT_RUN_TIMES") or None
_run_begin_ns = {}


def _one_line(text):
    return str(text).replace("\t", " ").replace("\n", " ").replace("\r", " ")


def run_begin(scenario, variant, workers, params):
    if _LIB:
        _LIB.ct_preload_run_begin(_b(scenario), _b(variant), int(workers), _b(params))
    if _TIMES:
        _run_begin_ns[(os.getpid(), scenario, variant, int(workers))] = time.monotonic_ns()


def run_end(scenario, variant, workers, params, status):
    end_ns = time.monotonic_ns() if _TIMES else 0
    if _LIB:
        _LIB.ct_preload_run_end(_b(scenario), _b(variant), int(workers), _b(params), int(status))
    if _TIMES:
        begin = _run_begin_ns.pop((os.getpid(), scenario, variant, int(workers)), None)
        if begin is not None:
            line = "run\t%s\t%s\t%d\t%d\t%d\t%d\t%s\n" % (
                _one_line(scenario), _one_line(variant), int(workers), int(status), begin,
                end_ns, _one_line(params))
            try:
                fd = os.open(_TIMES, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o666)
                try:
                    os.write(fd, line.encode("utf-8", "replace"))
                finally:
                    os.close(fd)
            except OSError:
                pass


class Run:
    """One measured run: `with Run(...) as r: ...; r.status = 1` on failure.

    r.elapsed is the run's wall-clock time in seconds once the block ended.
    """

    def __init__(self, scenario, variant, workers, params):
        self.scenario, self.variant = scenario, variant
        self.workers, self.params = workers, params
        self.status = 0
        self.elapsed = 0.0
        self._t0 = 0.0

    def __enter__(self):
        run_begin(self.scenario, self.variant, self.workers, self.params)
        self._t0 = time.perf_counter()
        return self

    def __exit__(self, etype, evalue, tb):
        self.elapsed = time.perf_counter() - self._t0
        status = self.status if etype is None else 1
        run_end(self.scenario, self.variant, self.workers, self.params, status)
        return False


@contextlib.contextmanager
def phase(name):
    if _LIB:
        _LIB.ct_preload_phase_begin(_b(name))
    try:
        yield
    finally:
        if _LIB:
            _LIB.ct_preload_phase_end(_b(name))


def thread_role(role=None):
    """Names the calling thread (default: its Python name) in the trace."""
    if _LIB:
        if role is None:
            role = threading.current_thread().name
        _LIB.ct_preload_thread_role(_b(role))


def work_begin(kind, units):
    if _LIB:
        _LIB.ct_preload_work_begin(kind, units)


def work_end(kind, units):
    if _LIB:
        _LIB.ct_preload_work_end(kind, units)


def cpu_loop(units):
    """The CPU work itself (no marks): units x PY_UNIT_ITERS LCG steps."""
    x = 12345
    for _ in range(units * PY_UNIT_ITERS):
        x = (x * 1103515245 + 12345) & 0xFFFFFFFF
    return x


def compute(units):
    """units of pure-Python CPU work, marked as ct_work compute."""
    units = int(units)
    work_begin(WORK_COMPUTE, units)
    try:
        return cpu_loop(units)
    finally:
        work_end(WORK_COMPUTE, units)


def io_sim(seconds):
    """Simulated I/O: a sleep. The preload library itself records sleeps as
    ct_work io_sim (its nanosleep interposer), so nothing is added here."""
    time.sleep(seconds)


def name(obj_id, kind, text):
    if _LIB:
        _LIB.ct_preload_name(obj_id & 0xFFFFFFFFFFFFFFFF, kind, _b(text))


def _lock_handle(lock):
    """The PyThread_type_lock inside a _thread.lock / _thread.RLock object.

    In CPython 3.11 (non-debug, 64-bit) both objects start with PyObject_HEAD
    (16 bytes) followed by that pointer, which on Linux points at the
    sem_t the semaphore events name. Returns None where this does not hold.
    """
    if sys.implementation.name != "cpython" or sys.version_info[:2] != (3, 11):
        return None
    if hasattr(sys, "gettotalrefcount") or ctypes.sizeof(ctypes.c_void_p) != 8:
        return None
    if type(lock).__name__ not in ("lock", "RLock") or type(lock).__module__ != "_thread":
        return None
    return ctypes.c_void_p.from_address(id(lock) + 16).value


def name_lock(lock, text):
    """Names a threading.Lock/RLock (or a Condition's lock) for the trace: a
    CPython lock is a POSIX semaphore, so the name goes to its ct_sem id."""
    if not _LIB:
        return
    if isinstance(lock, threading.Condition):
        lock = lock._lock  # pylint: disable=protected-access
    handle = _lock_handle(lock)
    if handle:
        # The semaphore's id: its address and generation (docs/preload.md).
        sem_id = getattr(_LIB, "ct_preload_sem_id", None)
        name(sem_id(handle) if sem_id is not None else handle, KIND_SEM, text)


def _sem_id_of(lock):
    """The ct_sem id of a CPython lock's semaphore, 0 if unknown."""
    handle = _lock_handle(lock)
    sem_id = getattr(_LIB, "ct_preload_sem_id", None)
    if not handle:
        return 0
    return sem_id(handle) if sem_id is not None else handle


def name_cond(cond, text):
    """Names a threading.Condition for the trace (its ct_cond id, see
    _trace_conditions)."""
    if _LIB and _COND_TRACED:
        name(id(cond), KIND_COND, text)


def _trace_conditions():
    """threading.Condition is written in Python over locks (semaphores to the
    preload library): a wait allocates a waiter lock, releases the
    Condition's lock and blocks acquiring the waiter until notify releases
    it. So the library sees semaphores only; this wraps Condition.wait,
    notify and notify_all (queue.Queue's conditions too) to fire the
    ct_cond events around them: cond = id() of the Condition, lock = the
    ct_sem id of its lock, waiters = its waiters before a notify. Returns
    True when installed (the library loaded and exporting the calls)."""
    if not _LIB:
        return False
    fns = [getattr(_LIB, n, None) for n in
           ("ct_preload_cond_wait_begin", "ct_preload_cond_wait_end", "ct_preload_cond_notify")]
    if None in fns:
        return False
    ull, i = ctypes.c_ulonglong, ctypes.c_int
    begin, end, notify = fns
    begin.argtypes, end.argtypes, notify.argtypes = [ull, ull], [ull, ull, i], [ull, i, i]
    begin.restype = end.restype = notify.restype = None
    cls = threading.Condition
    orig_wait, orig_notify = cls.wait, cls.notify

    def wait(self, timeout=None):
        cid, lid = id(self), _sem_id_of(self._lock)  # pylint: disable=protected-access
        got = False
        begin(cid, lid)
        try:
            got = orig_wait(self, timeout)
            return got
        finally:
            end(cid, lid, int(timeout is not None and not got))

    def notify_(self, n=1):
        notify(id(self), len(self._waiters), 0)  # pylint: disable=protected-access
        orig_notify(self, n)

    def notify_all(self):
        k = len(self._waiters)  # pylint: disable=protected-access
        notify(id(self), k, 1)
        orig_notify(self, k)

    cls.wait, cls.notify, cls.notify_all = wait, notify_, notify_all
    cls.notifyAll = notify_all
    return True


_COND_TRACED = _trace_conditions()


def name_pipe(fd, text):
    """Names the pipe behind fd (its inode, the id the pipe events carry)."""
    if _LIB:
        name(os.fstat(fd).st_ino, KIND_PIPE, text)


def check(ok, what):
    """Prints 'check ok: WHAT' or 'check FAILED: WHAT'; returns ok."""
    print("check %s: %s" % ("ok" if ok else "FAILED", what), flush=True)
    return ok


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """'Usage: ' as the C scenarios print it; the description as written."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "Usage: " if prefix is None else prefix)


def parser(prog, doc):
    """The programs' argparse parser: --help prints doc (the module docstring)."""
    return argparse.ArgumentParser(prog=prog, description=doc, formatter_class=_Formatter)


# Command-line value checkers shared by the programs (argparse type=...):
# a bad value is a usage error (exit 2, message on stderr, nothing on stdout).
def arg_int(lo, hi=None):
    def parse(text):
        try:
            v = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError("invalid value '%s' (not an integer)" % text) from None
        if v < lo or (hi is not None and v > hi):
            raise argparse.ArgumentTypeError(
                "invalid value '%s' (out of range %d..%s)" % (text, lo, hi if hi is not None else "")
            )
        return v

    return parse


def arg_float(lo, hi=None):
    def parse(text):
        try:
            v = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError("invalid value '%s' (not a number)" % text) from None
        if not v >= lo or (hi is not None and v > hi):
            raise argparse.ArgumentTypeError("invalid value '%s' (out of range)" % text)
        return v

    return parse


def arg_choice(*names):
    """One of names (argparse's own choices= message is not the house style)."""

    def parse(text):
        if text not in names:
            raise argparse.ArgumentTypeError("invalid value '%s' (expected %s)" % (text, " or ".join(names)))
        return text

    return parse


def arg_int_list(lo, hi):
    """'1,2,4' -> [1, 2, 4] (ascending, no duplicates)."""

    def parse(text):
        one = arg_int(lo, hi)
        out = []
        for item in text.split(","):
            v = one(item)
            if v in out:
                raise argparse.ArgumentTypeError("invalid value '%s' (%d appears twice)" % (text, v))
            out.append(v)
        return sorted(out)

    return parse
