#!/bin/sh
# Debian's python3 (not a pyenv shim on PATH): two CPU-bound threads show
# CPython's GIL, found in _PyRuntime, as the most contended lock, with
# hand-offs, and each thread's wait for it.
. "$CT_TEST_LIB"
ct_test_init preload_python_gil
PY=/usr/bin/python3
[ -x "$PY" ] || { echo "SKIP: $PY missing"; exit 77; }
"$CONCTRACE" record -o trace -- "$PY" "$CT_PRELOAD_TESTS/gil_threads.py" 2>err.txt
rc=$?
cat err.txt
[ "$rc" -eq 0 ] || fail "conctrace record exited $rc"
ct_assert_no_session "$(ct_session_of err.txt)"
"$CONCTRACE" analyze -f json -o a.json trace || fail "analyze failed"
J="python3 $CT_PRELOAD_TESTS/json_get.py a.json"
top=$($J "max(d['locks'], key=lambda l: (l['contended'], l['wait_total']))['lock']")
[ "$top" = "GIL" ] || fail "most contended lock is '$top', not GIL"
cont=$($J "[l for l in d['locks'] if l['lock'] == 'GIL'][0]['contended']")
hand=$($J "[l for l in d['locks'] if l['lock'] == 'GIL'][0]['handoffs']")
echo "GIL contended=$cont handoffs=$hand"
[ "$cont" -ge 10 ] || fail "GIL contended only $cont times"
[ "$hand" -ge 10 ] || fail "GIL handed off only $hand times"
# Both worker threads waited for the GIL (lock blocked time > 0).
n=$($J "len([t for t in d['threads'] if t['role'].startswith('python3-') and t['lock'] > 0])")
[ "$n" -eq 2 ] || fail "expected 2 threads waiting for the GIL, got $n"
$J "[c for c in d['conds'] if c['cond'] == 'GIL.cond'][0]['waits']" >/dev/null ||
	fail "no GIL.cond"
echo PASS
