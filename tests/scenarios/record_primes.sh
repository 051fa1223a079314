#!/bin/sh
# Records primes in process mode (tasks run under worker pids other than the
# parent's, which forked them) or thread mode (tasks run on worker threads).
. "$CT_TEST_LIB"
. "$CT_SCN_LIB"
mode=$1
ct_test_init "primes_$mode"
if [ "$mode" = processes ]; then total=30011; else total=30013; fi
scn_record primes --mode "$mode" --workers 2 --total $total --tasks 6
scn_mine primes "$mode" 2 "total=$total tasks=6 gil=0"
scn_run_end_ok
n=$(scn_count ct_pool:submit)
[ "$n" -eq 6 ] || fail "expected 6 submits, got $n"
grep -q " ct_pool:create pool=0x[0-9a-f]* workers=2 kind=$([ "$mode" = processes ] && echo 1 || echo 0)\$" \
	mine.txt || fail "no ct_pool:create of the right kind"
grep -q ' ct_run:name obj=0x[0-9a-f]* kind=4 name="primes.pool"$' mine.txt || fail "pool not named"
[ "$(scn_count ct_pool:task_begin)" -eq 6 ] || fail "expected 6 task_begin"
[ "$(scn_count ct_pool:task_end)" -eq 6 ] || fail "expected 6 task_end"
if [ "$mode" = processes ]; then
	pids=$(awk -v p="$MAIN" '$5 == "ct_pool:task_begin" && $2 != p { print $2 }' mine.txt | sort -u)
	echo "task_begin under pids: $pids (parent $MAIN)"
	[ -n "$pids" ] || fail "no task_begin under a worker pid"
	awk -v p="$MAIN" '$5 == "ct_pool:task_begin" && $2 == p' mine.txt | grep -q . &&
		fail "a task ran in the parent"
	for p in $pids; do
		echo "$CHILDREN" | grep -q -x "$p" || fail "worker $p was not forked by the parent"
		grep -q " ct_run:child_exit child=$p status=0\$" mine.txt || fail "worker $p not reaped with 0"
	done
	# Tasks and results cross pipes.
	scn_expect_min 6 ct_pipe:write_end
	scn_expect_min 6 ct_pipe:read_end
else
	vtids=$(awk -v p="$MAIN" '$5 == "ct_pool:task_begin" && $3 != p { print $3 }' mine.txt | sort -u)
	[ -n "$vtids" ] || fail "no task_begin on a worker thread"
	grep -q ' ct_run:thread_begin role="worker-0"$' mine.txt || fail "no worker-0 thread"
fi
# Every task is a compute work unit over its range.
[ "$(scn_count ct_work:begin ' kind=0 ')" -eq 6 ] || fail "expected 6 compute work units"
echo PASS
