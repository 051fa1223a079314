#!/bin/sh
# make -j2 under the preload library: the jobserver's pipe, fork/exec/wait,
# every child process in the report.
. "$CT_TEST_LIB"
ct_test_init preload_make
command -v make >/dev/null || { echo "SKIP: make not installed"; exit 77; }
cat >Makefile <<'MK'
all: a.out b.out c.out d.out
	@cat a.out b.out c.out d.out >all.out
%.out:
	@sh -c 'sleep 0.05; echo $@ >$@'
MK
"$CONCTRACE" record -o trace -- make -j2 2>err.txt
rc=$?
cat err.txt
[ "$rc" -eq 0 ] || fail "conctrace record exited $rc"
[ "$(cat all.out | wc -l)" -eq 4 ] || fail "make did not build everything"
ct_assert_no_session "$(ct_session_of err.txt)"
ct_bt_text trace text.txt
forks=$(grep -c ' ct_run:fork: ' text.txt)
exits=$(grep -c ' ct_run:child_exit: ' text.txt)
echo "forks=$forks child_exits=$exits"
[ "$forks" -ge 5 ] || fail "expected >= 5 forks (4 rules + the final one), got $forks"
[ "$exits" -ge 5 ] || fail "expected >= 5 child exits, got $exits"
grep -q ' ct_pipe:create: ' text.txt || fail "no pipe created (the jobserver's)"
grep -q ' ct_pipe:read_end: ' text.txt || fail "no pipe reads (jobserver tokens)"
"$CONCTRACE" analyze -f json -o a.json trace || fail "analyze failed"
procs=$(python3 "$CT_PRELOAD_TESTS/json_get.py" a.json "len(set(t['pid'] for t in d['threads']))")
echo "processes: $procs"
# make, 4 rule shells (each running sleep and echo), the final rule's shell and cat.
[ "$procs" -ge 10 ] || fail "expected >= 10 processes in the report, got $procs"
names=$(python3 "$CT_PRELOAD_TESTS/json_get.py" a.json "' '.join(sorted(set(t['procname'] for t in d['threads'])))")
echo "procnames: $names"
for p in make sh sleep cat; do
	case " $names " in *" $p "*) ;; *) fail "no $p process in the report: $names" ;; esac
done
echo PASS
