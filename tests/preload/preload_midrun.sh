#!/bin/sh
# A session that starts while a preloaded program holds mutexes (taken with
# no session: nothing recorded) sees no release without its acquire: the
# library releases only what it fired (docs/preload.md, "Costs"). Recorded
# with plain lttng, started between the program's READY and GO.
. "$CT_TEST_LIB"
ct_test_init preload_midrun
others() { lttng list 2>/dev/null | grep -c '\[active\]'; }
busy=$(others)
S="ct-preload-midrun-$$"
cleanup() { lttng destroy "$S" >/dev/null 2>&1; [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null; }
trap cleanup EXIT
LD_PRELOAD="$CT_PRELOAD_LIB" "$CT_MUTEX_KINDS" midrun "$WORK/ready" "$WORK/go" &
pid=$!
for i in $(seq 300); do [ -e "$WORK/ready" ] && break; sleep 0.1; done
[ -e "$WORK/ready" ] || fail "the program never became ready"
lttng create "$S" --output="$WORK/trace" >/dev/null || fail "lttng create"
lttng enable-event -u -s "$S" 'ct_*' --filter "\$ctx.vpid == $pid" >/dev/null || fail "lttng enable-event"
lttng add-context -u -s "$S" -t vpid -t vtid -t procname >/dev/null || fail "lttng add-context"
lttng start "$S" >/dev/null || fail "lttng start"
sleep 0.5
touch "$WORK/go"
wait "$pid" || fail "mutex_kinds midrun failed"
pid=
lttng stop "$S" >/dev/null || fail "lttng stop"
lttng destroy "$S" >/dev/null || fail "lttng destroy"
trap - EXIT
busy=$((busy + $(others)))
"$CONCTRACE" analyze -f json -o a.json trace || fail "analyze failed"
J="python3 $CT_PRELOAD_TESTS/json_get.py a.json"
acq=$($J "sorted(l['acquisitions'] for l in d['locks'])")
bad=$($J "sum(l['bad_releases'] for l in d['locks'])")
echo "acquisitions per lock: $acq, bad releases: $bad"
if [ "$acq" != "[10]" ] || [ "$bad" -ne 0 ]; then
	# Another session enabling ct_* in this process (per-UID buffers) fires
	# the acquisitions made before ours started.
	[ "$busy" -gt 0 ] && { echo "SKIP: other sessions were active"; exit 77; }
	fail "expected 10 acquisitions of the plain mutex and no bad release"
fi
echo PASS
