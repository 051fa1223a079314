#!/bin/sh
# Isolation keeps the whole process tree: a process pool's forked workers
# (primes --mode processes) are recorded along with their parent.
. "$CT_TEST_LIB"
ct_test_init record_process_pool
: "${CT_TEST_PRIMES:?CT_TEST_PRIMES is not set}"

"$CONCTRACE" record -o trace -- "$CT_TEST_PRIMES" --mode processes --workers 2 --tasks 4 \
	--total 20000 >out.txt 2>err.txt
rc=$?
cat err.txt
[ "$rc" -eq 0 ] || fail "conctrace record exited $rc"
grep -q "isolated: only the program's process tree is recorded" err.txt ||
	fail "the recording was not isolated"

ct_bt_text trace text.txt
parent=$(grep 'ct_run:run_begin:' text.txt | grep -F 'scenario = "primes"' |
	sed -n 's/.*{ vpid = \([0-9]*\),.*/\1/p' | sort -u)
[ "$(echo "$parent" | grep -c .)" -eq 1 ] || fail "expected one primes run_begin vpid, got: $parent"
vpids=$(sed -n 's/.*{ vpid = \([0-9]*\),.*/\1/p' text.txt | sort -u)
children=$(echo "$vpids" | grep -v -x -F "$parent" | grep -c .)
[ "$children" -eq 2 ] || fail "expected events from 2 worker processes besides $parent, got $children: $vpids"
# The workers did the work: their ct_work events are there.
for v in $vpids; do
	[ "$v" = "$parent" ] && continue
	n=$(grep -F "{ vpid = $v, " text.txt | grep -c -F " ct_work:")
	[ "$n" -gt 0 ] || fail "worker process $v has no ct_work events"
done
echo PASS
