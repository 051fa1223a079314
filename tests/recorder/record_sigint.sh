#!/bin/sh
# SIGINT while recording: the program gets it, the session is stopped and
# destroyed, the trace is kept, exit status 130.
. "$CT_TEST_LIB"
ct_test_init record_sigint

"$CONCTRACE" record -o trace -- "$CT_TEST_EMIT" --count 25 --tag "$TAG" \
	--ready-file ready --sleep-ms 60000 2>err.txt &
pid=$!
i=0
while [ ! -e ready ]; do
	i=$((i + 1))
	[ $i -lt 600 ] || {
		kill -KILL $pid
		fail "the program did not start within 60 s"
	}
	sleep 0.1
done
kill -INT $pid
wait $pid
rc=$?
cat err.txt
[ "$rc" -eq 130 ] || fail "SIGINT while recording -> $rc, expected 130"
grep -q "interrupted by Interrupt" err.txt || fail "no interruption message"
grep -q "trace: $WORK/trace\$" err.txt || fail "trace path not printed"
ct_assert_no_session "$(ct_session_of err.txt)"
ct_bt_text trace text.txt
vpids=$(ct_vpids_of_tag text.txt "$TAG")
n=$(ct_count_events text.txt ct_lock:acquire $vpids)
[ "$n" -eq 25 ] || fail "expected the 25 ct_lock:acquire recorded before SIGINT, got $n"
echo PASS
