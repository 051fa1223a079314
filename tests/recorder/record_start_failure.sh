#!/bin/sh
# A program that cannot start: clear message, exit 127, no session and no
# trace directory left behind.
. "$CT_TEST_LIB"
ct_test_init record_start_failure

# Not found in PATH: refused before any session exists.
"$CONCTRACE" record -o t1 -- conctrace-no-such-program-$$ 2>err1.txt
rc=$?
cat err1.txt
[ "$rc" -eq 127 ] || fail "unknown program -> $rc, expected 127"
grep -q "Failed to start program: conctrace-no-such-program-$$" err1.txt ||
	fail "no clear message for an unknown program"
[ ! -e t1 ] || fail "a trace directory was created for an unknown program"
if lttng list 2>&1 | grep -q "conctrace-conctrace-no-such-program-$$"; then
	fail "a session was left for the unknown program"
fi

# Found and executable but exec() fails (not a valid executable): the session
# was already created; it must be destroyed and the empty directory removed.
printf '\177ELF garbage' >bad-exe
chmod +x bad-exe
"$CONCTRACE" record -o t2 -- ./bad-exe 2>err2.txt
rc=$?
cat err2.txt
[ "$rc" -eq 127 ] || fail "exec failure -> $rc, expected 127"
grep -q "Failed to start program: .*bad-exe: Exec format error" err2.txt ||
	fail "no clear message for an exec failure"
session=$(ct_session_of err2.txt)
[ -n "$session" ] || fail "the recorder did not name its session"
ct_assert_no_session "$session"
[ ! -e t2 ] || fail "an empty trace directory was left behind"
echo PASS
