#!/bin/sh
# Records primes in process mode (tasks run under worker pids other than the
# parent's, which forked them), thread mode (tasks run on worker threads) or
# thread mode with the GIL model (gil: the worker threads queue for the lock
# named GIL, which is why threads give no speedup in the lab).
. "$CT_TEST_LIB"
. "$CT_SCN_LIB"
mode=$1
ct_test_init "primes_$mode"
gil=0
case $mode in
processes) total=30011 ;;
threads) total=30013 ;;
gil) total=300007 gil=1 mode=threads ;;
*) fail "unknown mode $mode" ;;
esac
if [ $gil -eq 1 ]; then
	scn_record primes --mode "$mode" --workers 2 --total $total --tasks 6 --gil
else
	scn_record primes --mode "$mode" --workers 2 --total $total --tasks 6
fi
scn_mine primes "$mode" 2 "total=$total tasks=6 gil=$gil"
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
if [ $gil -eq 1 ]; then
	g=$(awk '$5 == "ct_run:name" && $7 == "kind=0" && / name="GIL"$/ { sub("obj=", "", $6); print $6 }' mine.txt)
	[ -n "$g" ] || fail "the GIL lock is not named"
	# Both workers had to wait for the GIL (request = blocked on it).
	n=$(awk -v l="lock=$g" -v p="$MAIN" '$5 == "ct_lock:request" && $6 == l && $3 != p { print $3 }' \
		mine.txt | sort -u | grep -c .)
	[ "$n" -ge 2 ] || fail "$n worker threads waited for the GIL, expected 2"
	n=$(awk -v l="lock=$g" '$5 == "ct_lock:acquire" && $6 == l && $7 == "contended=1"' mine.txt | grep -c .)
	[ "$n" -ge 2 ] || fail "expected contended GIL acquisitions, got $n"
fi
# Every task is a compute work unit over its range.
[ "$(scn_count ct_work:begin ' kind=0 ')" -eq 6 ] || fail "expected 6 compute work units"
echo PASS
