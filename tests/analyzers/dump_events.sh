#!/bin/sh
# Records ct-test-emit (2 threads x 5 lock pairs) with conctrace record and
# checks that `conctrace dump` shows every event with its fields and contexts.
. "$CT_TEST_LIB"
ct_test_init dump_events

"$CONCTRACE" record -q -o trace -- "$CT_TEST_EMIT" --count 5 --threads 2 --tag "$TAG" \
	>rec.txt 2>&1 || { cat rec.txt; fail "conctrace record failed"; }
"$CONCTRACE" dump -q trace >dump.txt 2>err.txt || { cat err.txt; fail "conctrace dump failed"; }
[ ! -s err.txt ] || { cat err.txt; fail "dump printed on stderr"; }

# The per-UID buffers may hold other tests' programs: keep ours (by the tag).
begin=$(grep -F " ct_run:run_begin scenario=\"ct-test-emit\" variant=\"$TAG\" workers=2 params=\"count=5\"" dump.txt)
[ "$(echo "$begin" | grep -c .)" -eq 1 ] || fail "expected one run_begin of $TAG, got: $begin"
# TS VPID VTID PROCNAME: the main thread fires run_begin, so vtid = vpid.
set -- $begin
vpid=$2
[ "$3" = "$vpid" ] || fail "run_begin vtid $3 != vpid $vpid"
[ "$4" = "ct-test-emit" ] || fail "procname '$4', expected ct-test-emit"
awk -v p="$vpid" '$2 == p' dump.txt >mine.txt

n=$(grep -c -E '^[0-9]+ [0-9]+ [0-9]+ ct-test-emit ct_lock:acquire lock=0x[0-9a-f]+ contended=0$' mine.txt)
[ "$n" -eq 10 ] || fail "expected 10 ct_lock:acquire lines, got $n"
n=$(grep -c -E ' ct_lock:release lock=0x[0-9a-f]+$' mine.txt)
[ "$n" -eq 10 ] || fail "expected 10 ct_lock:release lines, got $n"
for r in emit-0 emit-1; do
	grep -q " ct_run:thread_begin role=\"$r\"\$" mine.txt || fail "no thread_begin of $r"
	grep -q " ct_run:thread_end role=\"$r\"\$" mine.txt || fail "no thread_end of $r"
done
grep -q " ct_run:run_end scenario=\"ct-test-emit\" variant=\"$TAG\" workers=2 params=\"count=5\" status=0\$" \
	mine.txt || fail "no run_end with status=0"
[ "$(grep -c . mine.txt)" -eq 26 ] || fail "expected 26 events of vpid $vpid, got $(grep -c . mine.txt)"
# Worker threads: lock events from two vtids, neither the main one.
vtids=$(grep ' ct_lock:acquire ' mine.txt | awk '{print $3}' | sort -u)
[ "$(echo "$vtids" | grep -c .)" -eq 2 ] || fail "lock events from vtids: $vtids"
echo "$vtids" | grep -qx "$vpid" && fail "lock events from the main thread"
# Timestamps never go backwards (the muxer orders them).
sort -n -c -k1,1 dump.txt || fail "timestamps out of order"
# Same events as babeltrace2 sees.
ct_bt_text trace text.txt
bt=$(grep -c -F "{ vpid = $vpid, " text.txt)
[ "$bt" -eq 26 ] || fail "babeltrace2 shows $bt events of vpid $vpid"
echo PASS
