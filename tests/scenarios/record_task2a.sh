#!/bin/sh
# Records task2a and checks both runs (serial, threads), the named queue,
# the producer and consumer threads, queue put/get and both kinds of work.
. "$CT_TEST_LIB"
. "$CT_SCN_LIB"
ct_test_init task2a
params="n_tasks=7 io_delay=0.004 compute_size=50 queue_size=0 gil=0"
scn_record task2a --n-tasks 7 --io-delay 0.004 --num-threads 3 --compute-size 50
scn_mine task2a serial 1 "$params"
scn_run_end_ok
grep -q " ct_run:run_begin scenario=\"task2a\" variant=\"threads\" workers=3 params=\"$params\"\$" \
	mine.txt || fail "no threads run"
for r in producer consumer-1 consumer-2 consumer-3; do
	grep -q " ct_run:thread_begin role=\"$r\"\$" mine.txt || fail "no thread $r"
done
for o in queue queue.mutex queue.not_empty; do
	grep -q " ct_run:name obj=0x[0-9a-f]* kind=[0-9] name=\"$o\"\$" mine.txt || fail "$o not named"
done
# 7 tasks + 3 sentinels through the queue.
[ "$(scn_count ct_queue:put)" -eq 10 ] || fail "expected 10 ct_queue:put, got $(scn_count ct_queue:put)"
[ "$(scn_count ct_queue:get)" -eq 10 ] || fail "expected 10 ct_queue:get, got $(scn_count ct_queue:get)"
# Work units: 7 io_sim + 7 compute per run.
[ "$(scn_count ct_work:begin ' kind=1 units=4000$')" -eq 14 ] || fail "expected 14 io_sim units"
[ "$(scn_count ct_work:begin ' kind=0 units=50$')" -eq 14 ] || fail "expected 14 compute units"
# In the threaded run the consumers, not the main thread, do the work.
vt=$(awk -v p="$MAIN" '$5 == "ct_work:begin" && $3 != p { print $3 }' mine.txt | sort -u | grep -c .)
[ "$vt" -ge 2 ] || fail "work done by $vt consumer threads"
echo PASS
