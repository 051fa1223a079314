#!/bin/sh
# Records sharedlist and checks that the adder and the remover both take the
# one named lock, list_lock, around every change.
. "$CT_TEST_LIB"
. "$CT_SCN_LIB"
ct_test_init sharedlist
scn_record sharedlist --count 6 --add-sleep 0.01 --remove-sleep 0.015
scn_mine sharedlist lock 2 "count=6 add_sleep=0.01 remove_sleep=0.015"
scn_run_end_ok
lock=$(awk '$5 == "ct_run:name" && / name="list_lock"$/ { sub("obj=", "", $6); print $6 }' mine.txt)
[ -n "$lock" ] || fail "list_lock is not named"
for r in adder remover; do
	tid=$(awk -v r="role=\"$r\"" '$5 == "ct_run:thread_begin" && $6 == r { print $3 }' mine.txt)
	[ -n "$tid" ] || fail "no $r thread"
	n=$(awk -v t="$tid" -v l="lock=$lock" '$3 == t && $5 == "ct_lock:acquire" && $6 == l' mine.txt | grep -c .)
	[ "$n" -eq 6 ] || fail "$r took list_lock $n times, expected 6"
	n=$(awk -v t="$tid" -v l="lock=$lock" '$3 == t && $5 == "ct_lock:release" && $6 == l' mine.txt | grep -c .)
	[ "$n" -eq 6 ] || fail "$r released list_lock $n times, expected 6"
	grep -q " ct_work:begin kind=1 units=1[05]000\$" mine.txt || fail "no sleep as io_sim"
done
echo PASS
