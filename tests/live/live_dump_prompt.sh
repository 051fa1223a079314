#!/bin/sh
# conctrace dump net://... shows a live session's events while the traced
# program still runs: the events that arrived are written out (line by line)
# when the relay daemon has nothing more for now, not when the two-thread
# sink's batch of 1024 events or stdout's buffer fills up, nor at the end.
. "$CT_TEST_LIB"
. "$CT_LIVE_LIB"
ct_test_init live_dump_prompt

trap 'ct_live_on_exit' EXIT
trap 'exit 1' INT TERM
ct_relayd_start "$WORK/relayd-out"

# 10 lock acquire/release pairs and the run's markers (24 events), then the
# program sleeps 20 s before it exits.
ct_live_record_start --count 10 --threads 1 --tag "$TAG" --ready-file "$WORK/ready" \
	--sleep-ms 20000
echo "live URL: $url"
CONCTRACE_THREADS=2 "$CONCTRACE" dump --quiet "$url" >dump.out 2>dump.err &
dump_pid=$!

# run_end is the program's last event: it must be in dump's output while the
# program sleeps (the live session flushes its sub-buffers every second).
i=0
while [ $i -lt 150 ] && ! grep -q "ct_run:run_end" dump.out; do
	sleep 0.1
	i=$((i + 1))
done
if ! grep -q "ct_run:run_end" dump.out; then
	[ -e "$WORK/ready" ] || fail "the program did not start within 15 s"
	kill -0 "$rec_pid" 2>/dev/null || fail "the recorder ended before its program slept 20 s"
	fail "dump showed $(grep -c . dump.out) events 15 s after the viewer attached, no run_end"
fi
kill -0 "$rec_pid" 2>/dev/null || fail "the program ended before dump showed its events"
n=$(grep -c "ct_lock:acquire" dump.out)
echo "dump showed run_end after $((i / 10)).$((i % 10)) s, $n acquisitions, the program still sleeping"
[ "$n" -eq 10 ] || fail "expected the 10 acquisitions before run_end, got $n"

ct_live_wait "$rec_pid" "conctrace record --live" || fail "conctrace record --live failed"
ct_live_wait "$dump_pid" "conctrace dump $url" || fail "conctrace dump $url failed"
cat dump.err
ct_assert_no_session "$(ct_session_of rec.err)"
echo PASS
