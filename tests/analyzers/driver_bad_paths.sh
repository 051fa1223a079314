#!/bin/sh
# No tracing: paths that are not traces get a clear message and exit 1;
# usage errors exit 2.
. "$CT_TEST_LIB"
ct_test_init driver_bad_paths

expect_fail() { # EXPECTED_RC PATTERN CMD...
	rc_want=$1
	pat=$2
	shift 2
	"$@" >out.txt 2>err.txt
	rc=$?
	[ "$rc" -eq "$rc_want" ] || { cat err.txt; fail "$* exited $rc, expected $rc_want"; }
	grep -q -- "$pat" err.txt || { cat err.txt; fail "$*: no '$pat' in the message"; }
	[ ! -s out.txt ] || { cat out.txt; fail "$*: printed output"; }
}

expect_fail 1 "No such file or directory: path=$WORK/nope" "$CONCTRACE" dump "$WORK/nope"
mkdir empty
expect_fail 1 "not a CTF trace (no \`metadata\` file found under the directory): path=empty" \
	"$CONCTRACE" dump empty
mkdir notrace && echo hello >notrace/file.txt
expect_fail 1 "not a CTF trace" "$CONCTRACE" dump notrace
echo hello >afile
expect_fail 1 "not a CTF trace (a trace is a directory" "$CONCTRACE" dump afile
expect_fail 2 "no TRACE given" "$CONCTRACE" dump
expect_fail 2 "bad option" "$CONCTRACE" dump --bogus empty
echo PASS
