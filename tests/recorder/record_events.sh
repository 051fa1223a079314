#!/bin/sh
# Records ct-test-emit (2 threads x 50 lock pairs) and checks that babeltrace2
# reads every event with the vpid, vtid and procname contexts.
. "$CT_TEST_LIB"
ct_test_init record_events

"$CONCTRACE" record -o trace -- "$CT_TEST_EMIT" --count 50 --threads 2 --tag "$TAG" \
	>out.txt 2>err.txt
rc=$?
cat err.txt
[ "$rc" -eq 0 ] || fail "conctrace record exited $rc"
[ -d trace/ust ] || fail "no trace/ust directory"
grep -q "trace: $WORK/trace\$" err.txt || fail "trace path not printed"
grep -q "discarded events: 0\$" err.txt || fail "discarded count not printed (or not 0)"
ct_assert_no_session "$(ct_session_of err.txt)"

ct_bt_text trace text.txt
vpids=$(ct_vpids_of_tag text.txt "$TAG")
[ "$(echo "$vpids" | grep -c .)" -eq 1 ] || fail "expected one vpid for tag $TAG, got: $vpids"
n=$(ct_count_events text.txt ct_lock:acquire $vpids)
[ "$n" -eq 100 ] || fail "expected 100 ct_lock:acquire, got $n"
n=$(ct_count_events text.txt ct_lock:release $vpids)
[ "$n" -eq 100 ] || fail "expected 100 ct_lock:release, got $n"
n=$(ct_count_events text.txt ct_run:run_end $vpids)
[ "$n" -eq 1 ] || fail "expected 1 ct_run:run_end, got $n"

# Every event of ours carries the three contexts, procname included.
mine=$(grep -F "{ vpid = $vpids, " text.txt | grep -c .)
ctx=$(grep -F "{ vpid = $vpids, vtid = " text.txt | grep -c -F 'procname = "ct-test-emit" }')
[ "$mine" -eq 206 ] || fail "expected 206 events from vpid $vpids, got $mine"
[ "$ctx" -eq "$mine" ] || fail "only $ctx of $mine events have vpid/vtid/procname"
# Two worker threads: their lock events come from two vtids other than the main one.
vtids=$(grep -F " ct_lock:acquire: " text.txt | grep -F "{ vpid = $vpids, " |
	sed -n 's/.*vtid = \([0-9]*\),.*/\1/p' | sort -u | grep -c .)
[ "$vtids" -eq 2 ] || fail "expected lock events from 2 vtids, got $vtids"
echo PASS
