#!/bin/sh
# Fault: lttng-sessiond killed during a recording. The system daemon is shared,
# so this test runs the recorder as an unprivileged user (nobody) with a HOME
# of its own: the recorder finds no daemon of that user, starts a private one
# (and says so), and that private daemon is the one killed. Expected: a clear
# error, exit 1, the program reaped, what was flushed kept and named
# incomplete (or, if nothing was, no trace directory), no invented count.
# Needs root (setpriv) and the user nobody; skipped (77) otherwise.
. "$CT_TEST_LIB"
ct_test_init record_sessiond_killed

[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root to run as nobody"; exit 77; }
id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null || { echo "SKIP: no nobody/setpriv"; exit 77; }
mkdir home && chown -R nobody "$WORK" || fail "cannot prepare $WORK"
home="$WORK/home"

# kill_private SIGNAL: the daemons whose HOME is ours (never the system one).
kill_private() {
	for p in $(pgrep -u nobody -f 'lttng-(sessiond|consumerd)'); do
		if tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null | grep -q -x "HOME=$home"; then
			kill "-$1" "$p" 2>/dev/null
		fi
	done
}
trap 'kill_private KILL' EXIT

setpriv --reuid=nobody --regid=nogroup --clear-groups env HOME="$home" \
	"$CONCTRACE" record --no-isolate -o trace --subbuf-size 4k --num-subbuf 2 -- \
	"$CT_TEST_EMIT" --count 20000 --tag "$TAG" --ready-file ready --sleep-ms 3000 2>err.txt &
rp=$!
i=0
while [ ! -e ready ]; do
	i=$((i + 1))
	[ $i -lt 600 ] || { kill -KILL $rp; fail "the program did not start within 60 s"; }
	sleep 0.1
done
grep -q "starting one" err.txt || { cat err.txt; fail "the recorder did not start a private daemon"; }
for p in $(pgrep -u nobody -x lttng-sessiond); do
	tr '\0' '\n' <"/proc/$p/environ" | grep -q -x "HOME=$home" && kill -KILL "$p"
done
wait $rp
rc=$?
cat err.txt
[ $rc -eq 1 ] || fail "sessiond killed -> $rc, expected 1"
grep -q "the session daemon is gone" err.txt || fail "no clear error"
pgrep -f -- "--tag $TAG" >/dev/null && fail "the program was not reaped"
grep -q "discarded events: 0" err.txt && fail "a discarded count was invented"
if grep -q "the trace in $WORK/trace is incomplete" err.txt; then
	[ -d trace ] || fail "the incomplete trace is not there"
	# Readable, or refused with a clear error: never a crash.
	"$CONCTRACE" analyze -q trace >/dev/null 2>an.txt
	r=$?
	[ $r -le 1 ] || { cat an.txt; fail "analyze of the incomplete trace -> $r"; }
else
	grep -q "no trace kept" err.txt || fail "the trace is neither named incomplete nor removed"
	[ ! -e trace ] || fail "an empty trace directory was left"
fi
echo PASS
