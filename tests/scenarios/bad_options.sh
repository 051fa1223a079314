#!/bin/sh
# Every scenario: --help lists its options and exits 0; an unknown option, a
# bad value and a stray argument give a clear error on stderr, nothing on
# stdout and exit status 2.
# Usage: bad_options.sh PROGRAM OPTION_WITH_BAD_VALUE...
fail() {
	echo "FAIL: $*" >&2
	exit 1
}
prog=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift
name=$(basename "$prog")
out=$("$prog" --help 2>&1) || fail "$name --help exited $?"
printf '%s\n' "$out" | grep -q -- '--verbose' || fail "$name --help does not list --verbose"
printf '%s\n' "$out" | grep -q '^Usage: ' || fail "$name --help has no Usage line"
check_bad() {
	"$prog" "$@" >out.txt 2>err.txt
	rc=$?
	[ "$rc" -eq 2 ] || fail "$name $* exited $rc, expected 2"
	[ ! -s out.txt ] || fail "$name $* printed on stdout: $(cat out.txt)"
	grep -q "$name" err.txt || fail "$name $*: error does not name the program: $(cat err.txt)"
	cat err.txt
}
tmp=$(mktemp -d) || fail "mktemp"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || fail "cd"
check_bad --no-such-option
check_bad stray-argument
for bad in "$@"; do
	check_bad "$bad"
	grep -q "invalid value" err.txt || fail "$name $bad: no 'invalid value' message"
done
echo PASS
