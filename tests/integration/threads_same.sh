#!/bin/sh
# The analysis thread changes nothing: every output of `conctrace analyze`
# (json, text and csv reports, both timeline formats) and of `conctrace dump`
# is byte for byte the same with CONCTRACE_THREADS=1 (consumers on the
# graph's thread) as with the default two threads (batches of events handed
# to an analysis thread), on traces of many batches: a pipe/select/fork
# program, a condvar program, a GIL process pool, and all three at once.
. "$CT_TEST_LIB"
. "$CT_INV_LIB"
ct_test_init threads_same

inv_record t1b -- task1b --children 6 --messages 400 --interval-ms 1 --handle-us 5
inv_record t2b -- task2b --items 3000 --consumers 4 --buffer-size 5 --produce-ms 0 --consume-ms 0 \
	--notify-all
inv_record pri -- primes --mode processes --gil --workers 1,2 --tasks 64 --total 400000

events=$("$CONCTRACE" analyze -q --format json t1b/trace t2b/trace pri/trace |
	grep -o '"events": *[0-9]*' | head -1 | grep -o '[0-9]*$')
echo "events in the three traces: $events"
[ "${events:-0}" -gt 20000 ] || fail "the traces are too small to fill the batches: $events events"

outputs() { # DIR TRACE...
	d=$1
	shift
	mkdir -p "$d"
	"$CONCTRACE" analyze -q --format json -o "$d/report.json" --perfetto "$d/timeline.json" "$@" ||
		fail "analyze (json) failed in $d"
	"$CONCTRACE" analyze -q --format text -o "$d/report.txt" --perfetto "$d/timeline.pftrace" "$@" ||
		fail "analyze (text) failed in $d"
	"$CONCTRACE" analyze -q --format csv -o "$d/csv" "$@" || fail "analyze (csv) failed in $d"
	"$CONCTRACE" dump "$@" >"$d/dump.txt" || fail "dump failed in $d"
}
for set in t1b t2b pri all; do
	if [ $set = all ]; then traces="t1b/trace t2b/trace pri/trace"; else traces=$set/trace; fi
	# shellcheck disable=SC2086 # traces holds separate paths
	CONCTRACE_THREADS=1 outputs one-$set $traces
	# shellcheck disable=SC2086
	CONCTRACE_THREADS=2 outputs two-$set $traces
	diff -r one-$set two-$set >diff-$set.txt || {
		head -40 diff-$set.txt
		fail "outputs differ between one and two threads: $set"
	}
	echo "$set: $(find one-$set -type f | wc -l) files identical"
done
echo PASS
