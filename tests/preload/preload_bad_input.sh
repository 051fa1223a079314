#!/bin/sh
# Bad input for the preload path: a clear message, the exit status
# forwarded, no session left behind, the trace kept and analysable.
. "$CT_TEST_LIB"
ct_test_init preload_bad_input
PY=/usr/bin/python3
[ -x "$PY" ] || { echo "SKIP: $PY missing"; exit 77; }

# analysable TRACE: conctrace analyze reads it.
analysable() {
	"$CONCTRACE" analyze -f json -o "$1.json" "$1" || fail "trace $1 is not analysable"
}

# Not found: 127; not executable: 126.
"$CONCTRACE" record -o t_nf -- ./no-such-program 2>err.txt
rc=$?
[ "$rc" -eq 127 ] || fail "not found: exit $rc, expected 127"
grep -q "command not found" err.txt || fail "not found: no clear message: $(cat err.txt)"
printf 'echo hi\n' >noexec.sh
"$CONCTRACE" record -o t_nx -- ./noexec.sh 2>err.txt
rc=$?
[ "$rc" -eq 126 ] || fail "not executable: exit $rc, expected 126"

# A static binary: told before it runs, then it runs (auto), exit status forwarded.
STATIC=/sbin/ldconfig
if [ -x "$STATIC" ] && file "$STATIC" 2>/dev/null | grep -q static; then
	"$CONCTRACE" record -o t_st -- "$STATIC" -p >/dev/null 2>err.txt
	rc=$?
	cat err.txt
	[ "$rc" -eq 0 ] || fail "static: exit $rc"
	grep -q "statically linked" err.txt || fail "static: no message"
	ct_assert_no_session "$(ct_session_of err.txt)"
	"$CONCTRACE" record -o t_st2 --preload on -- "$STATIC" -p >/dev/null 2>err.txt
	rc=$?
	[ "$rc" -eq 126 ] || fail "static with --preload on: exit $rc, expected 126"
	[ ! -e t_st2 ] || fail "static with --preload on: a trace directory was left"
fi

# Setuid: refused with --preload on (126, not run), warned with auto.
cp /bin/true ./suid_true && chmod 4755 ./suid_true
"$CONCTRACE" record -o t_su --preload on -- ./suid_true 2>err.txt
rc=$?
[ "$rc" -eq 126 ] || fail "setuid --preload on: exit $rc, expected 126"
grep -q "set-user-ID" err.txt || fail "setuid: no message: $(cat err.txt)"
"$CONCTRACE" record -o t_su2 -- ./suid_true 2>err.txt
rc=$?
[ "$rc" -eq 0 ] || fail "setuid auto: exit $rc"
grep -q "warning: .*set-user-ID" err.txt || fail "setuid auto: no warning"

# Killed by a signal: 128+9, trace kept.
"$CONCTRACE" record -o t_kill -- "$PY" -c 'import os, signal; os.kill(os.getpid(), signal.SIGKILL)' 2>err.txt
rc=$?
[ "$rc" -eq 137 ] || fail "killed: exit $rc, expected 137"
ct_assert_no_session "$(ct_session_of err.txt)"
analysable t_kill

# A program that closes every fd (lttng-ust's own are kept by its fd
# tracker), then runs threads: their GIL events are in the trace.
cat >closeall.py <<'PYEOF'
import os, threading
os.closerange(3, 65536)
def spin():
    x = 0
    for i in range(300000):
        x += i
ts = [threading.Thread(target=spin) for _ in range(2)]
for t in ts: t.start()
for t in ts: t.join()
PYEOF
"$CONCTRACE" record -o t_close -- "$PY" closeall.py 2>err.txt
rc=$?
cat err.txt
[ "$rc" -eq 0 ] || fail "closeall: exit $rc"
ct_assert_no_session "$(ct_session_of err.txt)"
analysable t_close
n=$(python3 "$CT_PRELOAD_TESTS/json_get.py" t_close.json "len([t for t in d['threads'] if t['role'].startswith('python3-')])")
[ "$n" -eq 2 ] || fail "closeall: expected the 2 threads after closerange, got $n"

# A program that drops LD_PRELOAD for its children: the library follows exec.
"$CONCTRACE" record -o t_env -- sh -c "LD_PRELOAD= exec env -u LD_PRELOAD $PY $CT_PRELOAD_TESTS/gil_threads.py" 2>err.txt
rc=$?
[ "$rc" -eq 0 ] || fail "LD_PRELOAD dropped: exit $rc"
analysable t_env
g=$(python3 "$CT_PRELOAD_TESTS/json_get.py" t_env.json "len([l for l in d['locks'] if l['lock'] == 'GIL'])")
[ "$g" -eq 1 ] || fail "LD_PRELOAD dropped: no GIL in the grandchild's trace"

# Thousands of children: every fork and exit counted, exit status forwarded.
cat >forks.py <<'PYEOF'
import os, sys
N = 2000
for i in range(N):
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
sys.exit(3)
PYEOF
"$CONCTRACE" record -o t_forks --subbuf-size 4M -- "$PY" forks.py 2>err.txt
rc=$?
cat err.txt
[ "$rc" -eq 3 ] || fail "forks: exit $rc, expected 3"
ct_assert_no_session "$(ct_session_of err.txt)"
analysable t_forks
ct_bt_text t_forks text.txt
f=$(grep -c ' ct_run:fork: ' text.txt)
e=$(grep -c ' ct_run:child_exit: ' text.txt)
echo "forks=$f child_exits=$e"
[ "$f" -eq 2000 ] || fail "expected 2000 forks, got $f"
[ "$e" -eq 2000 ] || fail "expected 2000 child exits, got $e"
procs=$(python3 "$CT_PRELOAD_TESTS/json_get.py" t_forks.json "len(set(t['pid'] for t in d['threads']))")
[ "$procs" -eq 2001 ] || fail "expected 2001 processes in the report, got $procs"
echo PASS
