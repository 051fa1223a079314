#!/bin/sh
# A trace recorded with plain `lttng` and LTTng's own
# liblttng-ust-pthread-wrapper.so (events lttng_ust_pthread:*, contexts added
# by hand) is analysed: its mutex events are lock events named by address.
. "$CT_TEST_LIB"
ct_test_init preload_lttng_wrapper
WRAP=
for d in /usr/lib/x86_64-linux-gnu /usr/lib64 /usr/lib /usr/local/lib; do
	[ -e "$d/liblttng-ust-pthread-wrapper.so.1" ] && WRAP="$d/liblttng-ust-pthread-wrapper.so.1" && break
done
[ -n "$WRAP" ] || { echo "SKIP: liblttng-ust-pthread-wrapper.so not installed"; exit 77; }
S="ct-plain-wrapper-$$"
cleanup() { lttng destroy "$S" >/dev/null 2>&1; }
trap cleanup EXIT
lttng create "$S" --output="$WORK/trace" >/dev/null || fail "lttng create"
lttng enable-event -u -s "$S" 'lttng_ust_pthread:*' >/dev/null || fail "lttng enable-event"
lttng add-context -u -s "$S" -t vpid -t vtid -t procname >/dev/null || fail "lttng add-context"
lttng start "$S" >/dev/null || fail "lttng start"
LD_PRELOAD="$WRAP" "$CT_MUTEX_WORKERS" 2 500 >out.txt || fail "mutex_workers failed: $(cat out.txt)"
lttng stop "$S" >/dev/null || fail "lttng stop"
lttng destroy "$S" >/dev/null || fail "lttng destroy"
trap - EXIT
"$CONCTRACE" analyze -f json -o a.json trace || fail "analyze failed"
J="python3 $CT_PRELOAD_TESTS/json_get.py a.json"
# The program's shared mutex: 2 x 500 acquisitions, every one released, waits measured.
top=$($J "max(d['locks'], key=lambda l: l['acquisitions'])")
echo "$top" | head -c 400; echo
acq=$($J "max(l['acquisitions'] for l in d['locks'])")
[ "$acq" -eq 1000 ] || fail "expected 1000 acquisitions of the shared mutex, got $acq"
bad=$($J "max(d['locks'], key=lambda l: l['acquisitions'])['bad_releases']")
[ "$bad" -eq 0 ] || fail "$bad bad releases"
name=$($J "max(d['locks'], key=lambda l: l['acquisitions'])['lock']")
case "$name" in 0x*) ;; *) fail "lock not named by address: $name" ;; esac
unk=$($J "d['trace'][0]['unknown_events']")
echo "unknown events: $unk"
echo PASS
