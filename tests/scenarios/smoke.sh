#!/bin/sh
# Runs one scenario untraced and checks its exit status and its summary.
# Usage: smoke.sh RC [PATTERN...] -- PROGRAM [ARGS...]
# Every PATTERN (an extended regex) must match a line of the program's
# stdout+stderr; with RC 0, no "check FAILED" line may appear.
fail() {
	echo "FAIL: $*" >&2
	exit 1
}
[ $# -ge 3 ] || fail "usage: smoke.sh RC [PATTERN...] -- PROGRAM [ARGS...]"
want=$1
shift
n=0
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
	n=$((n + 1))
	eval "pat_$n=\$1"
	shift
done
[ "${1:-}" = "--" ] || fail "no -- before the program"
shift
out=$("$@" 2>&1)
rc=$?
printf '%s\n' "$out"
[ "$rc" -eq "$want" ] || fail "$1 exited $rc, expected $want"
if [ "$want" -eq 0 ]; then
	printf '%s\n' "$out" | grep -q 'check FAILED' && fail "a self-check failed"
fi
i=1
while [ "$i" -le "$n" ]; do
	eval "pat=\$pat_$i"
	printf '%s\n' "$out" | grep -E -q -- "$pat" || fail "no line matches: $pat"
	i=$((i + 1))
done
echo PASS
