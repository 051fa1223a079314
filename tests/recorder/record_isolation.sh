#!/bin/sh
# record_isolation.sh MODE: while `conctrace record` records program A, an
# instrumented program B runs outside the recording (started directly, not
# under the recorder) at the same time.
#   isolated   (default): the trace has A's events and none of B's
#   no_isolate (--no-isolate): B's events land in the trace too (so the
#              isolated check can fail)
#   fallback   (the recorder runs without CAP_SYS_ADMIN, via setpriv): a
#              warning, once, and the recording goes on without isolation
#   live       (--live -o DIR: its own relay daemon, stopped at the end): as
#              isolated, checked on the relay daemon's on-disk copy
# A is `sh -c` running ct-test-emit, then waiting until B has finished, so the
# two overlap whatever the machine's speed.
. "$CT_TEST_LIB"
mode=${1:-isolated}
ct_test_init "record_isolation_$mode"

set --
wrap=
case $mode in
isolated) ;;
no_isolate) set -- --no-isolate ;;
live) set -- --live ;;
fallback)
	command -v setpriv >/dev/null 2>&1 || {
		echo "SKIP: setpriv not found"
		exit 77
	}
	wrap="setpriv --bounding-set=-sys_admin --inh-caps=-sys_admin"
	;;
*) fail "unknown mode $mode" ;;
esac

# Program A: emits, says so, waits (at most 60 s) for B to be done.
prog_a="\"$CT_TEST_EMIT\" --count 20 --tag $TAG-A --ready-file a.ready || exit 1
i=0
while [ ! -e b.done ] && [ \$i -lt 600 ]; do sleep 0.1; i=\$((i + 1)); done
[ -e b.done ]"

# shellcheck disable=SC2086 # $wrap is a command prefix (or nothing)
# --preload off: the check below wants ct-test-emit's events only, not those
# the preload library would fire for the shell around it (tests/preload).
$wrap "$CONCTRACE" record --preload off "$@" -o trace -- sh -c "$prog_a" >out.txt 2>err.txt &
rec_pid=$!

i=0
while [ ! -e a.ready ] && [ $i -lt 600 ]; do
	kill -0 "$rec_pid" 2>/dev/null || break
	sleep 0.1
	i=$((i + 1))
done
[ -e a.ready ] || {
	touch b.done
	wait "$rec_pid"
	cat err.txt
	fail "program A did not start under the recorder"
}
# Program B: the same instrumented program, outside the recording.
"$CT_TEST_EMIT" --count 30 --tag "$TAG-B" &
b_pid=$!
wait "$b_pid" || fail "program B failed"
touch b.done
wait "$rec_pid"
rc=$?
cat err.txt
[ "$rc" -eq 0 ] || fail "conctrace record exited $rc"
ct_assert_no_session "$(ct_session_of err.txt)"

trace=trace
if [ "$mode" = live ]; then
	relayd=$(sed -n 's/.*stop it with: kill \([0-9]*\)$/\1/p' err.txt)
	[ -n "$relayd" ] && kill "$relayd"
	trace=$(sed -n 's/^conctrace record: trace: //p' err.txt)
	[ -d "$trace" ] || fail "no on-disk copy of the live trace: '$trace'"
	mode=isolated
fi
ct_bt_text "$trace" text.txt
a_vpids=$(ct_vpids_of_tag text.txt "$TAG-A")
[ "$(echo "$a_vpids" | grep -c .)" -eq 1 ] || fail "expected one vpid for A ($TAG-A), got: $a_vpids"
n=$(ct_count_events text.txt ct_lock:acquire $a_vpids)
[ "$n" -eq 20 ] || fail "expected A's 20 ct_lock:acquire, got $n"
b_events=$(grep -c -F "{ vpid = $b_pid, " text.txt)
b_tagged=$(ct_vpids_of_tag text.txt "$TAG-B" | grep -c .)

case $mode in
isolated)
	grep -q "isolated: only the program's process tree is recorded (its own IPC namespace, ipc_ns=[0-9][0-9]*)" err.txt ||
		fail "the isolation was not reported"
	[ "$b_tagged" -eq 0 ] && [ "$b_events" -eq 0 ] ||
		fail "program B (vpid $b_pid) is in the isolated trace: $b_events events"
	# Nothing but A's process: no other program's events either.
	others=$(grep -v -c -F "{ vpid = $a_vpids, " text.txt)
	[ "$others" -eq 0 ] || {
		grep -v -F "{ vpid = $a_vpids, " text.txt | head -n 5
		fail "$others events of other processes in the isolated trace"
	}
	;;
no_isolate | fallback)
	[ "$b_tagged" -eq 1 ] || fail "program B's run_begin is not in the unisolated trace"
	n=$(ct_count_events text.txt ct_lock:acquire "$b_pid")
	[ "$n" -eq 30 ] || fail "expected B's 30 ct_lock:acquire in the unisolated trace, got $n"
	if [ "$mode" = no_isolate ]; then
		grep -q "not isolated (--no-isolate)" err.txt || fail "--no-isolate was not reported"
		! grep -q "warning" err.txt || fail "unexpected warning with --no-isolate"
	else
		n=$(grep -c "warning: cannot isolate the program (unshare(CLONE_NEWIPC): Operation not permitted; isolation needs CAP_SYS_ADMIN" err.txt)
		[ "$n" -eq 1 ] || fail "expected the fallback warning once, got $n"
	fi
	;;
esac
echo PASS
