#!/bin/sh
# conctrace record --live --relayd ... while conctrace analyze net://... reads
# the session as it arrives: the live report must agree with the report of
# the relay daemon's on-disk copy of the same session.
. "$CT_TEST_LIB"
. "$CT_LIVE_LIB"
ct_test_init live_record

trap 'ct_live_on_exit' EXIT
trap 'exit 1' INT TERM
ct_relayd_start "$WORK/relayd-out"
echo "relayd pid $RELAYD_PID ports $RELAYD_CTRL/$RELAYD_DATA/$RELAYD_LIVE"

# The recorder waits for the live viewer before starting the program, so the
# viewer (which attaches at the session's current position) sees every event.
ct_live_record_start --count 200 --threads 3 --tag "$TAG"
echo "live URL: $url"
case "$url" in
"net://127.0.0.1:$RELAYD_LIVE/host/$(hostname)/conctrace-ct-test-emit-"*) ;;
*) fail "unexpected live URL: $url" ;;
esac

ct_live_run "conctrace analyze $url" analyze.out analyze.err \
	"$CONCTRACE" analyze --quiet --format csv -o live "$url"
arc=$?
ct_live_wait "$rec_pid" "conctrace record --live"
rc=$?
cat rec.err
cat analyze.err
[ "$rc" -eq 0 ] || fail "conctrace record --live exited $rc"
[ "$arc" -eq 0 ] || fail "conctrace analyze $url exited $arc"
grep -q "a live viewer is attached: starting the program" rec.err ||
	fail "the recorder did not see the viewer"
ct_assert_no_session "$(ct_session_of rec.err)"

# The relay daemon's copy: HOST/SESSION-DATE under its output directory.
session=${url##*/}
[ -d "$WORK/relayd-out/$(hostname)" ] || fail "the relay daemon wrote nothing"
disk=$(ls -d "$WORK/relayd-out/$(hostname)/$session"-* 2>/dev/null | head -n 1)
[ -n "$disk" ] || fail "no on-disk copy of $session"
ct_live_run "conctrace analyze $disk" disk.out disk.err \
	"$CONCTRACE" analyze --quiet --format csv -o disk "$disk" || fail "cannot analyze $disk"
ct_live_run "conctrace dump $disk" disk.dump dump.err "$CONCTRACE" dump --quiet "$disk" ||
	fail "cannot dump $disk"

# Our program's pid, from the runs table (variant = our tag).
pid=$(awk -F, -v tag="$TAG" '$2 == "ct-test-emit" && $3 == tag { print $6 }' disk/runs.csv)
[ -n "$pid" ] || fail "no run of ct-test-emit --tag $TAG in the on-disk report"
# 3 threads x (200 acquire + 200 release + begin + end) + run_begin + run_end.
n=$(awk -v p="$pid" '$2 == p' disk.dump | grep -c .)
[ "$n" -eq 1208 ] || fail "expected 1208 events of pid $pid on disk, got $n"

# Events: the live viewer saw every event from its first one on. (Other
# instrumented programs of the user are recorded too, per-UID buffers: those
# that ran before the viewer attached are only on disk.)
live_first=$(awk -F, 'NR == 2 { print $7 }' live/traces.csv)
live_last=$(awk -F, 'NR == 2 { print $8 }' live/traces.csv)
live_events=$(awk -F, 'NR == 2 { print $3 }' live/traces.csv)
disk_last=$(awk -F, 'NR == 2 { print $8 }' disk/traces.csv)
disk_from_first=$(awk -v t="$live_first" '$1 >= t && $2 != -1' disk.dump | grep -c .)
echo "live: $live_events events from $live_first; disk: $disk_from_first events from then"
[ "$live_events" -eq "$disk_from_first" ] ||
	fail "live report has $live_events events, the on-disk copy $disk_from_first since $live_first"
[ "$live_last" = "$disk_last" ] || fail "last event: live $live_last, on disk $disk_last"
awk -F, 'NR == 2 && $5 != 0 { exit 1 }' live/traces.csv || fail "live trace has discarded events"

# Key figures: our rows of every table are identical.
for t in runs speedup threads locks; do
	awk -F, -v p="$pid" -v tag="$TAG" 'NR == 1 || index($0, "," p ",") || index($0, "," tag ",")' \
		"live/$t.csv" >"live-$t.mine"
	awk -F, -v p="$pid" -v tag="$TAG" 'NR == 1 || index($0, "," p ",") || index($0, "," tag ",")' \
		"disk/$t.csv" >"disk-$t.mine"
	[ "$(grep -c . "disk-$t.mine")" -gt 1 ] || fail "no rows of ours in disk/$t.csv"
	diff "live-$t.mine" "disk-$t.mine" >"$t.diff" || {
		cat "$t.diff"
		fail "$t table differs between the live and the on-disk report"
	}
done
threads=$(grep -c ",emit-" live-threads.mine)
[ "$threads" -eq 3 ] || fail "expected 3 emit threads in the live report, got $threads"
locks=$(($(grep -c . live-locks.mine) - 1))
[ "$locks" -eq 3 ] || fail "expected 3 locks in the live report, got $locks"

# When nothing else ran meanwhile, the whole reports agree (paths aside).
disk_first=$(awk -F, 'NR == 2 { print $7 }' disk/traces.csv)
if [ "$disk_first" = "$live_first" ]; then
	for f in disk/*.csv; do
		t=${f#disk/}
		[ "$t" = traces.csv ] && continue
		cmp -s "$f" "live/$t" || {
			diff "$f" "live/$t"
			fail "$t differs between the live and the on-disk report"
		}
	done
	echo "whole reports agree"
fi

# The viewer first: analyze waits for the named session, the recorder waits
# for the viewer; every event of the program reaches the live report.
"$CONCTRACE" analyze --quiet --format csv -o first "net://127.0.0.1:$RELAYD_LIVE/host/$(hostname)/ct-live-$TAG" \
	>first.out 2>first.err &
an_pid=$!
sleep 1
ct_live_run "conctrace record --live --session ct-live-$TAG" rec2.out rec2.err \
	"$CONCTRACE" record --relayd "tcp://127.0.0.1:$RELAYD_CTRL:$RELAYD_DATA" \
	--live-port "$RELAYD_LIVE" --session "ct-live-$TAG" --wait-viewer=60 -- \
	"$CT_TEST_EMIT" --count 50 --threads 2 --tag "$TAG-2"
rc=$?
ct_live_wait "$an_pid" "conctrace analyze (started first)"
arc=$?
cat rec2.err first.err
[ "$rc" -eq 0 ] || fail "second recording exited $rc"
[ "$arc" -eq 0 ] || fail "analyze started first exited $arc"
ct_assert_no_session "ct-live-$TAG"
pid2=$(awk -F, -v tag="$TAG-2" '$2 == "ct-test-emit" && $3 == tag { print $6 }' first/runs.csv)
[ -n "$pid2" ] || fail "the live report started first has no run of --tag $TAG-2"
acq=$(awk -F, -v p="$pid2" '$4 == p { n += $6 } END { print n + 0 }' first/locks.csv)
[ "$acq" -eq 100 ] || fail "expected 100 acquisitions of pid $pid2 in the live report, got $acq"

# The same relay daemon, a session that does not exist: a clear error, soon.
ct_live_run "conctrace analyze (no such session)" nf.out nf.err env CONCTRACE_LIVE_WAIT=1 \
	"$CONCTRACE" analyze "net://127.0.0.1:$RELAYD_LIVE/host/$(hostname)/no-such-session-$TAG"
rc=$?
cat nf.err
[ "$rc" -eq 1 ] || fail "analyze of a missing live session exited $rc"
grep -q "has no session no-such-session-$TAG" nf.err || fail "no clear message for a missing session"
[ ! -s nf.out ] || fail "a report was written for a missing session"
echo PASS
