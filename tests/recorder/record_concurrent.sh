#!/bin/sh
# Two `conctrace record` runs at the same time, each of its own program: each
# trace has only its own program's events. Each program emits, then waits
# until the other one has emitted too (so both sessions are active while both
# programs fire), then emits again.
. "$CT_TEST_LIB"
ct_test_init record_concurrent

prog() { # prog ME OTHER: the shell command of program ME
	echo "\"$CT_TEST_EMIT\" --count 10 --tag $TAG-$1 --ready-file $1.ready || exit 1
i=0
while [ ! -e $2.ready ] && [ \$i -lt 600 ]; do sleep 0.1; i=\$((i + 1)); done
[ -e $2.ready ] || exit 1
\"$CT_TEST_EMIT\" --count 5 --tag $TAG-$1"
}

"$CONCTRACE" record --preload off -o trace1 -- sh -c "$(prog one two)" >out1.txt 2>err1.txt &
pid1=$!
"$CONCTRACE" record --preload off -o trace2 -- sh -c "$(prog two one)" >out2.txt 2>err2.txt &
pid2=$!
wait "$pid1"
rc1=$?
wait "$pid2"
rc2=$?
cat err1.txt err2.txt
[ "$rc1" -eq 0 ] || fail "first conctrace record exited $rc1"
[ "$rc2" -eq 0 ] || fail "second conctrace record exited $rc2"
ct_assert_no_session "$(ct_session_of err1.txt)"
ct_assert_no_session "$(ct_session_of err2.txt)"

for pair in "1 one two" "2 two one"; do
	set -- $pair
	ct_bt_text "trace$1" "text$1.txt"
	mine=$(ct_vpids_of_tag "text$1.txt" "$TAG-$2")
	[ "$(echo "$mine" | grep -c .)" -eq 2 ] ||
		fail "trace$1: expected two vpids of its own program ($TAG-$2), got: $mine"
	n=$(ct_count_events "text$1.txt" ct_lock:acquire $mine)
	[ "$n" -eq 15 ] || fail "trace$1: expected 15 ct_lock:acquire of its own, got $n"
	theirs=$(ct_vpids_of_tag "text$1.txt" "$TAG-$3" | grep -c .)
	[ "$theirs" -eq 0 ] || fail "trace$1 has the other recording's program ($TAG-$3)"
	total=$(grep -c . "text$1.txt")
	own=0
	for v in $mine; do
		own=$((own + $(grep -c -F "{ vpid = $v, " "text$1.txt")))
	done
	[ "$own" -eq "$total" ] || fail "trace$1: $((total - own)) of $total events are not its program's"
done
echo PASS
