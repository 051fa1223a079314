#!/bin/sh
# Records scaling (I/O workload, every model, 1 and 2 workers) and checks one
# run per (model, workers), the event loop's timer-driven select() calls, the
# thread pool's workers and the process pool's worker processes.
. "$CT_TEST_LIB"
. "$CT_SCN_LIB"
ct_test_init scaling
params="workload=io tasks=5 io_ms=3 gil=0"
scn_record scaling --workload io --workers 1,2 --tasks 5 --io-ms 3
scn_mine scaling serial 1 "$params"
scn_run_end_ok
for run in "threads 1" "threads 2" "processes 1" "processes 2" "eventloop 1" "eventloop 2"; do
	set -- $run
	grep -q " ct_run:run_begin scenario=\"scaling\" variant=\"$1\" workers=$2 params=\"$params\"\$" \
		mine.txt || fail "no run $1 with $2 workers"
done
[ "$(scn_count ct_run:run_end)" -eq 7 ] || fail "expected 7 runs"
# Event loop: select() with no fds and a timeout, in the main thread.
n=$(awk -v p="$MAIN" '$3 == p && $5 == "ct_select:begin" && $6 == "nfds=0" && $9 != "timeout_us=-1"' mine.txt | grep -c .)
[ "$n" -ge 3 ] || fail "expected timer-driven select calls, got $n"
# Process pools: 1 + 2 workers forked; io_sim units in the workers.
[ "$(echo "$CHILDREN" | grep -c .)" -eq 3 ] || fail "expected 3 worker processes, got: $CHILDREN"
n=$(awk -v p="$MAIN" '$2 != p && $5 == "ct_work:begin" && / kind=1 units=3000$/' mine.txt | grep -c .)
[ "$n" -eq 10 ] || fail "expected 10 io_sim units in worker processes, got $n"
echo PASS
