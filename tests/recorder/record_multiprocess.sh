#!/bin/sh
# The whole process tree is recorded: a shell running two ct-test-emit
# processes gives the events of both, under two vpids.
. "$CT_TEST_LIB"
ct_test_init record_multiprocess

"$CONCTRACE" record -q -o trace -- sh -c \
	"\"$CT_TEST_EMIT\" --count 20 --tag $TAG & \"$CT_TEST_EMIT\" --count 30 --tag $TAG; wait" \
	2>err.txt
rc=$?
cat err.txt
[ "$rc" -eq 0 ] || fail "conctrace record exited $rc"
[ ! -s err.txt ] || fail "--quiet printed something"
ct_bt_text trace text.txt
vpids=$(ct_vpids_of_tag text.txt "$TAG")
[ "$(echo "$vpids" | grep -c .)" -eq 2 ] || fail "expected two vpids for tag $TAG, got: $vpids"
n=$(ct_count_events text.txt ct_lock:acquire $vpids)
[ "$n" -eq 50 ] || fail "expected 50 ct_lock:acquire, got $n"
echo PASS
