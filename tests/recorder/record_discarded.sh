#!/bin/sh
# Tiny sub-buffers and a burst of events: the recorder reads the channel's
# discarded-event count, prints it with a warning, and the trace stays readable.
. "$CT_TEST_LIB"
ct_test_init record_discarded

"$CONCTRACE" record -o trace --subbuf-size 4k --num-subbuf 2 -- \
	"$CT_TEST_EMIT" --count 200000 --tag "$TAG" 2>err.txt
rc=$?
cat err.txt
[ "$rc" -eq 0 ] || fail "conctrace record exited $rc"
n=$(sed -n 's/.*discarded events: \([0-9]*\)$/\1/p' err.txt)
[ -n "$n" ] || fail "discarded count not printed"
[ "$n" -gt 0 ] || fail "400000 events through 2 x 4 KiB sub-buffers discarded none"
grep -q "warning: $n events were discarded" err.txt || fail "no warning for discarded events"
ct_bt_text trace text.txt
kept=$(ct_count_events text.txt ct_lock:acquire $(ct_vpids_of_tag text.txt "$TAG"))
[ "$kept" -lt 200000 ] || fail "all events kept although $n were discarded"
echo PASS
