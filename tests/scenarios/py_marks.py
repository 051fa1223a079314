# SPDX-License-Identifier: MIT
"""conctrace_marks.py, the Python programs' markers: without the preload
library every call is a no-op; with it (LD_PRELOAD=LIB, when given) the
library's marker API is found through ctypes.CDLL(None).

Usage: py_marks.py SCRIPT_DIR [PRELOAD_LIB]"""
import os
import subprocess
import sys
import threading

sys.path.insert(0, sys.argv[1])
import conctrace_marks as ct  # noqa: E402

want_loaded = os.environ.get("CT_PY_MARKS_LOADED") == "1"
assert ct.loaded() == want_loaded, "loaded() is %s, expected %s" % (ct.loaded(), want_loaded)
if not want_loaded:
    assert not ct.active()
assert ct.params_str(a=1, b="x") == "a=1 b=x"
with ct.Run("py-test", "serial", 1, "a=1") as run:
    with ct.phase("p"):
        ct.thread_role()
        assert ct.compute(10) == ct.cpu_loop(10)
        ct.io_sim(0.001)
    lock = threading.Lock()
    ct.name_lock(lock, "test_lock")
    ct.name_lock(threading.Condition(), "test_cond")
    # Condition waits are wrapped (ct_cond events) only with the library
    assert ct._COND_TRACED == want_loaded  # pylint: disable=protected-access
    cond = threading.Condition()
    ct.name_cond(cond, "test_condition")
    with cond:
        assert cond.wait(0.001) is False
        cond.notify()
        cond.notify_all()
        assert cond.wait_for(lambda: True)
    r, w = os.pipe()
    ct.name_pipe(r, "test pipe")
    os.close(r)
    os.close(w)
assert run.status == 0 and run.elapsed > 0
# the lock handle is the semaphore inside a CPython 3.11 lock object
if sys.version_info[:2] == (3, 11):
    assert ct._lock_handle(threading.Lock())  # pylint: disable=protected-access
    assert ct._lock_handle(threading.RLock())
assert ct._lock_handle(object()) is None
print("PASS (preload library %s)" % ("loaded" if ct.loaded() else "absent"))
if len(sys.argv) > 2 and not want_loaded:
    env = dict(os.environ, LD_PRELOAD=sys.argv[2], CT_PY_MARKS_LOADED="1")
    sys.exit(subprocess.call([sys.executable, __file__, sys.argv[1]], env=env))
