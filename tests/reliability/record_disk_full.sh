#!/bin/sh
# Fault: the output disk fills up (a 1 MiB tmpfs). conctrace record says so,
# exits 1, leaves no partial trace and no session; conctrace analyze writing
# to a full disk says so, exits 1 and leaves no partial report or timeline.
# Needs root (mount); skipped (77) otherwise.
. "$CT_TEST_LIB"
ct_test_init record_disk_full

[ "$(id -u)" -eq 0 ] || { echo "SKIP: mounting a tmpfs needs root"; exit 77; }
mkdir small
mount -t tmpfs -o size=1m ct-disk-full small || { echo "SKIP: cannot mount a tmpfs"; exit 77; }
trap 'umount "$WORK/small"' EXIT

"$CONCTRACE" record -o small/trace --subbuf-size 64k --num-subbuf 4 -- \
	"$CT_TEST_EMIT" --count 200000 --tag "$TAG" >out.txt 2>err.txt
rc=$?
cat err.txt
[ $rc -eq 1 ] || fail "record onto a full disk -> $rc, expected 1"
grep -q "the disk holding the trace is full" err.txt || fail "no disk-full message"
[ ! -e small/trace ] || { ls -R small; fail "a partial trace was left on the full disk"; }
ct_assert_no_session "$(ct_session_of err.txt)"

# The analyzer writing to a full disk.
"$CONCTRACE" record -q -o trace -- "$CT_TEST_EMIT" --count 2000 --tag "$TAG-2" 2>err.txt ||
	{ cat err.txt; fail "record failed"; }
dd if=/dev/zero of=small/fill bs=4k 2>/dev/null
"$CONCTRACE" analyze -q --format json -o small/report.json --perfetto small/timeline.json \
	trace 2>err.txt && fail "analyze onto a full disk succeeded"
cat err.txt
grep -q "No space left on device" err.txt || fail "no ENOSPC message"
left=$(ls small | grep -v '^fill$')
[ -z "$left" ] || fail "partial outputs left on the full disk: $left"
"$CONCTRACE" analyze -q --format csv -o small/csv trace 2>err.txt && fail "csv onto a full disk succeeded"
left=$(ls small | grep -v '^fill$')
[ -z "$left" ] || fail "partial csv left on the full disk: $left"
echo PASS
