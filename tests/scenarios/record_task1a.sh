#!/bin/sh
# Records task1a in one mode and checks the lesson's events.
# fixed:  write_begin/write_end/read_end with vpid/vtid, a read_end with ret=0
#         (EOF) in the child, ct_run:fork with the child's events under the
#         child's pid, no write error.
# broken: a write_end with err=32 (EPIPE) in the parent; the child read once.
. "$CT_TEST_LIB"
. "$CT_SCN_LIB"
mode=$1
ct_test_init "task1a_$mode"
# Parameters unique to this test, so that its run is found among other programs.
if [ "$mode" = fixed ]; then chunks=33; else chunks=35; fi
params="chunk_size=4096 chunks=$chunks consumer_delay_ms=1 read_size=4096"
scn_record task1a --mode "$mode" --chunks $chunks --consumer-delay-ms 1
scn_mine task1a "$mode" 1 "$params"
scn_run_end_ok

[ "$(echo "$CHILDREN" | grep -c .)" -eq 1 ] || fail "expected one forked child, got: $CHILDREN"
child=$CHILDREN
grep -q "^[0-9]* $MAIN $MAIN task1a ct_run:fork child=$child\$" mine.txt ||
	fail "no ct_run:fork child=$child from the parent's main thread"
grep -q "^[0-9]* $child $child task1a ct_run:thread_begin role=\"consumer\"\$" mine.txt ||
	fail "no thread_begin role=consumer under the child's pid $child"
grep -q "^[0-9]* $MAIN $MAIN task1a ct_run:thread_begin role=\"producer\"\$" mine.txt ||
	fail "no thread_begin role=producer under the parent's pid"
grep -q " ct_run:name obj=0x[0-9a-f]* kind=2 name=\"pipe consumer\"\$" mine.txt ||
	fail "the pipe is not named"
# Writes in the parent (vpid = vtid = MAIN), reads in the child.
n=$(awk -v p="$MAIN" '$2 == p && $3 == p && $5 == "ct_pipe:write_begin"' mine.txt | grep -c .)
[ "$n" -ge 1 ] || fail "no write_begin under the parent's vpid/vtid"
n=$(awk -v p="$MAIN" '$2 == p && $3 == p && $5 == "ct_pipe:write_end"' mine.txt | grep -c .)
[ "$n" -ge 1 ] || fail "no write_end under the parent's vpid/vtid"
n=$(awk -v p="$child" '$2 == p && $3 == p && $5 == "ct_pipe:read_end"' mine.txt | grep -c .)
[ "$n" -ge 1 ] || fail "no read_end under the child's vpid/vtid"
grep -q "^[0-9]* $child $child task1a ct_run:thread_end role=\"consumer\"\$" mine.txt ||
	fail "no thread_end of the consumer"
grep -q "^[0-9]* $MAIN $MAIN task1a ct_run:child_exit child=$child status=0\$" mine.txt ||
	fail "no child_exit child=$child status=0"

if [ "$mode" = fixed ]; then
	n=$(awk -v p="$MAIN" '$2 == p && $5 == "ct_pipe:write_end" && / ret=4096 err=0 /' mine.txt |
		grep -c .)
	[ "$n" -eq "$chunks" ] || fail "expected $chunks complete writes, got $n"
	awk -v p="$child" '$2 == p && $5 == "ct_pipe:read_end" && / ret=0 err=0 /' mine.txt |
		grep -q . || fail "no read_end with ret=0 (EOF) in the child"
	grep -q ' ct_pipe:write_end .* err=32 ' mine.txt && fail "EPIPE in fixed mode"
	# The child read every byte, and the offsets say so.
	last=$(awk -v p="$child" '$2 == p && $5 == "ct_pipe:read_end" && / ret=0 /' mine.txt |
		sed -n 's/.* offset=\([0-9]*\).*/\1/p' | tail -n 1)
	[ "$last" = $((chunks * 4096)) ] || fail "EOF at offset $last, expected $((chunks * 4096))"
else
	awk -v p="$MAIN" '$2 == p && $5 == "ct_pipe:write_end" && / err=32 /' mine.txt |
		grep -q . || fail "no write_end with err=32 (EPIPE) in the parent"
	n=$(awk -v p="$child" '$2 == p && $5 == "ct_pipe:read_end"' mine.txt | grep -c .)
	[ "$n" -eq 1 ] || fail "the broken child should read once, read $n times"
	grep -q "EPIPE" err.txt || fail "the parent did not report the EPIPE"
fi
echo PASS
