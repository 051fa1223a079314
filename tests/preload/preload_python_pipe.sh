#!/bin/sh
# Debian's python3, Task 1A-like: a parent writes through a pipe to a forked
# child (os.fork goes through LTTng-UST's fork hooks): every byte written is
# read, by byte offsets in both processes.
. "$CT_TEST_LIB"
ct_test_init preload_python_pipe
PY=/usr/bin/python3
[ -x "$PY" ] || { echo "SKIP: $PY missing"; exit 77; }
"$CONCTRACE" record -o trace -- "$PY" "$CT_PRELOAD_TESTS/pipe_child.py" 2>err.txt
rc=$?
cat err.txt
[ "$rc" -eq 0 ] || fail "conctrace record exited $rc (the child did not read every byte?)"
ct_assert_no_session "$(ct_session_of err.txt)"
"$CONCTRACE" analyze -f json -o a.json trace || fail "analyze failed"
J="python3 $CT_PRELOAD_TESTS/json_get.py a.json"
$J "d['pipes']" | head -c 600; echo
n=$($J "len(d['pipes'])")
[ "$n" -ge 1 ] || fail "no pipe in the report"
w=$($J "sum(p.get('bytes_written', 0) for p in d['pipes'])")
r=$($J "sum(p.get('bytes_read', 0) for p in d['pipes'])")
u=$($J "sum(p.get('unread_bytes', 0) for p in d['pipes'])")
echo "written=$w read=$r unread=$u"
[ "$w" -eq 200000 ] || fail "expected 200000 bytes written, got $w"
[ "$r" -eq 200000 ] || fail "expected 200000 bytes read, got $r"
[ "$u" -eq 0 ] || fail "$u bytes unread"
procs=$($J "len(set(t['pid'] for t in d['threads']))")
[ "$procs" -eq 2 ] || fail "expected 2 processes, got $procs"
echo PASS
