#!/bin/sh
# The conctrace command's dispatch and record's option checking (no tracing:
# every case here is refused before any session daemon is contacted).
. "$CT_TEST_LIB"
ct_test_init cli_usage

expect() { # expect STATUS PATTERN -- ARGS...: status and a stdout/stderr line
	want=$1
	pat=$2
	shift 3
	"$CONCTRACE" "$@" >out.txt 2>&1
	rc=$?
	[ "$rc" -eq "$want" ] || { cat out.txt; fail "conctrace $* -> $rc, expected $want"; }
	grep -q -- "$pat" out.txt || { cat out.txt; fail "conctrace $*: no line matching '$pat'"; }
}

expect 0 "^  record " -- --help
expect 0 "^conctrace [0-9]" -- --version
expect 2 "^Usage: conctrace" --
expect 2 "unknown command 'frobnicate'" -- frobnicate
expect 2 "unknown option '--frob'" -- --frob
expect 0 "^Usage: conctrace record" -- help record
expect 2 "unknown command 'nope'" -- help nope
expect 0 "^Usage: conctrace record" -- record --help
expect 0 "--subbuf-size" -- record -h
expect 0 "--no-isolate" -- record -h
expect 2 "no program to record" -- record
expect 2 "no program to record" -- record -o x --
expect 2 "invalid --level 'medium'" -- record --level medium -- true
expect 2 "subbuf-size must be a power of two" -- record --subbuf-size 3000 -- true
expect 2 "invalid --subbuf-size '1X'" -- record --subbuf-size 1X -- true
expect 2 "num-subbuf must be a power of two" -- record --num-subbuf 3 -- true
expect 2 "num-subbuf must be at least 2" -- record --num-subbuf 1 -- true
expect 2 "unknown or incomplete option '--bogus'" -- record --bogus -- true
expect 2 "needs a value" -- record -o
expect 127 "Failed to start program: conctrace-no-such-program: command not found" \
	-- record -o never -- conctrace-no-such-program
[ ! -e never ] || fail "an output directory was created for a program that does not exist"
echo PASS
