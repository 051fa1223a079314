#!/bin/sh
# The relay daemon dies while a live session streams: `analyze net://...`
# fails with a clear message (exit 1, no report), and the recorder still
# destroys its session (no session left behind).
. "$CT_TEST_LIB"
. "$CT_LIVE_LIB"
ct_test_init live_relayd_lost

trap 'ct_live_on_exit' EXIT
trap 'exit 1' INT TERM
ct_relayd_start "$WORK/relayd-out"

ct_live_record_start --count 50 --tag "$TAG" --ready-file "$WORK/started" --sleep-ms 4000
"$CONCTRACE" analyze --quiet -o report.txt "$url" >an.out 2>an.err &
an_pid=$!

i=0
while [ ! -e "$WORK/started" ] && [ $i -lt 600 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ -e "$WORK/started" ] || fail "the program did not start"
sleep 1
kill -9 "$RELAYD_PID"
wait "$RELAYD_PID" 2>/dev/null
RELAYD_PID=

ct_live_wait "$an_pid" "conctrace analyze $url"
arc=$?
ct_live_wait "$rec_pid" "conctrace record --live"
rc=$?
cat rec.err
cat an.err
[ "$arc" -eq 1 ] || fail "analyze exited $arc when the relay daemon died (expected 1)"
grep -q "Failed to read trace: lost the live session (the relay daemon stopped or closed the connection)" \
	an.err || fail "no clear message for a lost relay daemon"
[ ! -e report.txt ] || fail "a report was written"
echo "recorder exited $rc"
ct_assert_no_session "$(ct_session_of rec.err)"
echo PASS
