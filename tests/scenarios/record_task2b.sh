#!/bin/sh
# Records task2b with notify (default) or --notify-all and checks the lesson:
# with notify_all the consumers' cond wake-ups (wait_end on buffer.not_empty)
# outnumber the items (re-waits); with notify each put signals one waiter.
. "$CT_TEST_LIB"
. "$CT_SCN_LIB"
variant=$1
ct_test_init "task2b_$variant"
if [ "$variant" = notify_all ]; then
	items=31
	scn_record task2b --items $items --consumers 3 --produce-ms 2 --consume-ms 0.5 --notify-all
else
	items=29
	scn_record task2b --items $items --consumers 3 --produce-ms 2 --consume-ms 0.5
fi
scn_mine task2b "$variant" 3 "items=$items buffer_size=5 produce_ms=2 consume_ms=0.5"
scn_run_end_ok
cond=$(awk '$5 == "ct_run:name" && / name="buffer.not_empty"$/ { sub("obj=", "", $6); print $6 }' mine.txt)
[ -n "$cond" ] || fail "buffer.not_empty is not named"
grep -q ' name="buffer.lock"$' mine.txt || fail "buffer.lock is not named"
waits=$(awk -v c="$cond" '$5 == "ct_cond:wait_end" && $6 == "cond=" c' mine.txt | grep -c .)
echo "wait_end on buffer.not_empty: $waits for $items items"
if [ "$variant" = notify_all ]; then
	[ "$waits" -gt "$items" ] || fail "notify_all: $waits wake-ups for $items items, expected more"
	n=$(awk -v c="$cond" '$5 == "ct_cond:broadcast" && $6 == "cond=" c' mine.txt | grep -c .)
	[ "$n" -ge "$items" ] || fail "expected a broadcast per item, got $n"
else
	n=$(awk -v c="$cond" '$5 == "ct_cond:signal" && $6 == "cond=" c' mine.txt | grep -c .)
	[ "$n" -ge "$items" ] || fail "expected a signal per item, got $n"
	n=$(awk -v c="$cond" '$5 == "ct_cond:broadcast" && $6 == "cond=" c' mine.txt | grep -c .)
	[ "$n" -eq 0 ] || fail "notify mode broadcast $n times"
fi
for r in producer consumer-1 consumer-2 consumer-3; do
	grep -q " ct_run:thread_begin role=\"$r\"\$" mine.txt || fail "no thread $r"
done
echo PASS
