#!/bin/sh
# Faults by signal: the traced program killed (status 128+N reported, trace
# kept and analysable), the recorder sent SIGTERM (143, trace kept), Ctrl-C
# twice on a program that ignores SIGINT (the second one kills it: 130).
# Never a session left behind.
. "$CT_TEST_LIB"
ct_test_init record_signals

# wait_ready FILE PID: until the program wrote FILE.
wait_ready() {
	i=0
	while [ ! -e "$1" ]; do
		i=$((i + 1))
		[ $i -lt 600 ] || { kill -KILL "$2"; fail "the program did not start within 60 s"; }
		sleep 0.1
	done
}

# 1. The program killed by SIGKILL.
"$CONCTRACE" record -o t1 -- "$CT_TEST_EMIT" --count 10 --tag "$TAG" \
	--ready-file ready1 --sleep-ms 60000 2>err1.txt &
rp=$!
wait_ready ready1 $rp
kill -KILL "$(pgrep -P $rp | head -n 1)"
wait $rp
rc=$?
cat err1.txt
[ $rc -eq 137 ] || fail "program killed by SIGKILL -> $rc, expected 137"
grep -q "program killed by signal 9" err1.txt || fail "the signal is not reported"
ct_assert_no_session "$(ct_session_of err1.txt)"
"$CONCTRACE" analyze -q --format json -o r1.json t1 2>an.txt || { cat an.txt; fail "t1 not analysable"; }
python3 - <<'PY' || fail "the killed run's figures"
import json
r = json.load(open("r1.json"))
runs = r["runs"]
assert len(runs) == 1 and runs[0]["duration"] >= 0, runs
assert all(t["lifetime"] >= 0 and t["blocked"] <= t["lifetime"] for t in r["threads"]), r["threads"]
PY

# 2. SIGTERM to the recorder: forwarded, trace kept, 143.
"$CONCTRACE" record -o t2 -- "$CT_TEST_EMIT" --count 10 --tag "$TAG-2" \
	--ready-file ready2 --sleep-ms 60000 2>err2.txt &
rp=$!
wait_ready ready2 $rp
kill -TERM $rp
wait $rp
rc=$?
cat err2.txt
[ $rc -eq 143 ] || fail "SIGTERM -> $rc, expected 143"
grep -q "interrupted by Terminated" err2.txt || fail "no interruption message"
ct_assert_no_session "$(ct_session_of err2.txt)"
"$CONCTRACE" analyze -q t2 >/dev/null 2>an.txt || { cat an.txt; fail "t2 not analysable"; }

# 3. Ctrl-C twice, the program ignoring SIGINT: the second one kills it.
"$CONCTRACE" record -o t3 -- sh -c "trap '' INT; exec '$CT_TEST_EMIT' --count 10 --tag '$TAG-3' \
	--ready-file ready3 --sleep-ms 60000" 2>err3.txt &
rp=$!
wait_ready ready3 $rp
kill -INT $rp
sleep 0.5
kill -0 $rp 2>/dev/null || fail "the recorder ended at the first SIGINT although the program ignores it"
kill -INT $rp
wait $rp
rc=$?
cat err3.txt
[ $rc -eq 130 ] || fail "Ctrl-C twice -> $rc, expected 130"
ct_assert_no_session "$(ct_session_of err3.txt)"
"$CONCTRACE" analyze -q t3 >/dev/null 2>an.txt || { cat an.txt; fail "t3 not analysable"; }
echo PASS
