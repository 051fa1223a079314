#!/bin/sh
# Fault: the recorder killed with SIGKILL mid-run. The traced program dies
# with it (PR_SET_PDEATHSIG: it does not linger untraced); the session is
# left in the daemon; the next `conctrace record` finds it orphaned (its
# recorder's pid, in the session name, is gone), destroys it and says so;
# what was recorded stays on disk and is analysable.
. "$CT_TEST_LIB"
ct_test_init record_sigkill

"$CONCTRACE" record -o trace -- "$CT_TEST_EMIT" --count 25 --tag "$TAG" \
	--ready-file ready --sleep-ms 60000 2>err.txt &
pid=$!
i=0
while [ ! -e ready ]; do
	i=$((i + 1))
	[ $i -lt 600 ] || { kill -KILL $pid; fail "the program did not start within 60 s"; }
	sleep 0.1
done
session=$(ct_session_of err.txt)
[ -n "$session" ] || { cat err.txt; fail "no session name announced"; }
prog=$(pgrep -f -- "--tag $TAG" | grep -v "^$pid\$" | head -n 1)
[ -n "$prog" ] || fail "cannot find the traced program"
kill -KILL $pid
wait $pid
i=0
while kill -0 "$prog" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 50 ] || { kill -KILL "$prog"; fail "the traced program $prog outlived its recorder"; }
	sleep 0.1
done
lttng list 2>&1 | grep -q -F -- "$session" || fail "the session $session is not in the daemon"

"$CONCTRACE" record -o trace2 -- "$CT_TEST_EMIT" --count 3 --tag "$TAG-2" 2>err2.txt ||
	{ cat err2.txt; fail "the next record failed"; }
cat err2.txt
grep -q "destroyed the orphaned session $session: its recorder (pid $pid) is gone" err2.txt ||
	fail "the next record did not report the orphaned session"
ct_assert_no_session "$session"
ct_assert_no_session "$(ct_session_of err2.txt)"

# What the killed recording flushed is kept and readable.
"$CONCTRACE" analyze -q --format json -o report.json trace 2>an.txt ||
	{ cat an.txt; fail "the orphan's trace cannot be analysed"; }
echo PASS
