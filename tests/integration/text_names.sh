#!/bin/sh
# Records task2a with the GIL model and checks that the text report names the
# program's locks and condition variables by their ct_run:name names
# (queue.mutex, GIL, queue.not_full), never by a hex id. The queue holds one
# task, so the producer waits on queue.not_full (the queue signals a condvar
# only when someone waits: queue.not_empty may have no row).
. "$CT_TEST_LIB"
. "$CT_INV_LIB"
ct_test_init text_names
params="n_tasks=6 io_delay=0.003 compute_size=200 queue_size=1 gil=1"
inv_record . -- task2a --n-tasks 6 --io-delay 0.003 --num-threads 2 --compute-size 200 --gil \
	--queue-size 1
inv_check . task2a "$params" discarded runs=2 locks=2
main=$(cat pid) || fail "no pid file"
"$CONCTRACE" analyze -q trace -o report.txt 2>analyze.err || {
	cat analyze.err >&2
	fail "conctrace analyze (text) failed"
}
# section TITLE: the rows of the report's section TITLE of the program.
section() {
	awk -v t="$1" 'index($0, t) == 1 { on = 1; next } on && /^$/ { on = 0 } on' report.txt |
		grep -F "task2a ($main)"
}
locks=$(section "Locks")
conds=$(section "Condition variables")
printf 'locks:\n%s\nconds:\n%s\n' "$locks" "$conds"
for n in GIL queue.mutex; do
	printf '%s\n' "$locks" | grep -q "^ *$n " || fail "lock $n is not named in the text report"
done
printf '%s\n' "$conds" | grep -q "^ *queue.not_full " ||
	fail "queue.not_full is not named in the text report"
if printf '%s\n%s\n' "$locks" "$conds" | grep -q '^ *0x[0-9a-f]'; then
	fail "an object of task2a is shown by its hex id"
fi
echo PASS
