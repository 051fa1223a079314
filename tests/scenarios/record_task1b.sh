#!/bin/sh
# Records task1b and checks the lesson's events: the parent's select() ready
# sets name the read ends of at least three different children's pipes, every
# child's pipe reaches EOF in the parent, each child writes under its own pid.
. "$CT_TEST_LIB"
. "$CT_SCN_LIB"
ct_test_init task1b
scn_record task1b --children 4 --messages 7 --interval-ms 3 --handle-us 100
scn_mine task1b greedy 4 "children=4 messages=7 interval_ms=3 chatty=1 budget=0 handle_us=100"
scn_run_end_ok
[ "$(echo "$CHILDREN" | grep -c .)" -eq 4 ] || fail "expected 4 children, got: $CHILDREN"

# fd -> pipe (the latest ct_pipe:create with that rfd, fds are reused),
# pipe -> name; then the names of the pipes in every select ready set.
names=$(awk -v p="$MAIN" '$2 != p { next }
	$5 == "ct_pipe:create" { pipe = $6; sub("pipe=", "", pipe); fd = $7; sub("rfd=", "", fd); rpipe[fd] = pipe }
	$5 == "ct_run:name" && $7 == "kind=2" { obj = $6; sub("obj=", "", obj); n = $0; sub(/.* name="/, "", n); sub(/"$/, "", n); name[obj] = n }
	$5 == "ct_select:end" { r = $0; sub(/.* ready=\[/, "", r); sub(/\].*/, "", r)
		k = split(r, fds, ", ")
		for (i = 1; i <= k; i++) print name[rpipe[fds[i]]] }' mine.txt | sort -u)
echo "pipes seen ready: $names"
n=$(echo "$names" | grep -c '^pipe child-[0-9]*$')
[ "$n" -ge 3 ] || fail "select ready sets name $n children's pipes, expected at least 3"
n=$(awk -v p="$MAIN" '$2 == p && $5 == "ct_select:begin"' mine.txt | grep -c .)
[ "$n" -ge 4 ] || fail "expected select calls in the parent, got $n"
# EOF of every child's pipe in the parent, and each child wrote 7 messages.
n=$(awk -v p="$MAIN" '$2 == p && $5 == "ct_pipe:read_end" && / ret=0 err=0 /' mine.txt | grep -c .)
[ "$n" -eq 4 ] || fail "expected 4 EOF reads in the parent, got $n"
for c in $CHILDREN; do
	n=$(awk -v p="$c" '$2 == p && $5 == "ct_pipe:write_end" && / ret=32 err=0 /' mine.txt |
		grep -c .)
	[ "$n" -eq 7 ] || fail "child $c wrote $n messages, expected 7"
	grep -q "^[0-9]* $c $c task1b ct_run:thread_begin role=\"child-[1-4]\"\$" mine.txt ||
		fail "child $c has no thread_begin role=child-N"
	grep -q " ct_run:child_exit child=$c status=0\$" mine.txt || fail "child $c not reaped with 0"
done
echo PASS
