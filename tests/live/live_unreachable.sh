#!/bin/sh
# Relay daemon not reachable: `record --relayd` fails with a clear message,
# exit 1, the program never starts and no session is left; `analyze net://`
# of a relay daemon that does not answer fails with a clear message, exit 1,
# and writes no report.
. "$CT_TEST_LIB"
. "$CT_LIVE_LIB"
ct_test_init live_unreachable

ctrl=$(ct_pick_port)
data=$(ct_pick_port)
live=$(ct_pick_port)

"$CONCTRACE" record --relayd "tcp://127.0.0.1:$ctrl:$data" -- \
	"$CT_TEST_EMIT" --count 5 --tag "$TAG" --ready-file "$WORK/started" >rec.out 2>rec.err &
rec_pid=$!
ct_live_wait "$rec_pid" "conctrace record --relayd (unreachable)"
rc=$?
cat rec.err
[ "$rc" -eq 1 ] || fail "record with an unreachable relay daemon exited $rc (expected 1)"
grep -q "Failed to reach the relay daemon: url=tcp://127.0.0.1:$ctrl:$data: .*Connection refused" \
	rec.err || fail "no clear message naming the relay daemon and the cause"
[ ! -e "$WORK/started" ] || fail "the program ran although the relay daemon is unreachable"
out=$(lttng list 2>&1) || fail "lttng list failed: $out"
if printf '%s\n' "$out" | grep -q -- "conctrace-ct-test-emit-$rec_pid-"; then
	fail "a session was left behind: $out"
fi

# A host name that does not resolve.
ct_live_run "conctrace record --relayd (unknown host)" rec2.out rec2.err \
	"$CONCTRACE" record --relayd tcp://no-such-host.invalid -- "$CT_TEST_EMIT" --count 1
rc=$?
cat rec2.err
[ "$rc" -eq 1 ] || fail "record with an unknown relay host exited $rc (expected 1)"
grep -q "Failed to reach the relay daemon: url=tcp://no-such-host.invalid: .*unknown host" rec2.err ||
	fail "no clear message for an unknown relay host"

# The viewer side.
ct_live_run "conctrace analyze (unreachable)" an.out an.err \
	"$CONCTRACE" analyze -o report.txt "net://127.0.0.1:$live/host/$(hostname)/conctrace-x"
rc=$?
cat an.err
[ "$rc" -eq 1 ] || fail "analyze of an unreachable relay daemon exited $rc (expected 1)"
grep -q "Failed to open trace: cannot reach the live session: no relay daemon answers at net://127.0.0.1:$live (127.0.0.1:$live: Connection refused)" \
	an.err || fail "no clear message for an unreachable relay daemon"
[ ! -e report.txt ] || fail "a report was written"
[ "$(ls -A . | grep -v -e '^rec' -e '^an\.')" = "" ] || fail "files were left: $(ls -A)"

# A malformed live URL.
ct_live_run "conctrace analyze (malformed URL)" bad.out bad.err \
	"$CONCTRACE" analyze "net://127.0.0.1:$live/conctrace-x"
rc=$?
[ "$rc" -eq 1 ] || fail "analyze of a malformed URL exited $rc (expected 1)"
grep -q "not a live session URL (expected net://RELAYD\[:PORT\]/host/HOST/SESSION)" bad.err ||
	fail "no clear message for a malformed URL"
echo PASS
