#!/bin/sh
# Bad traces made from real recordings: a stream file cut in half, garbled
# metadata, a trace without vpid/vtid (plain lttng without those contexts),
# and an empty trace (no events). Each gets its message and exit status, and
# nothing on standard output.
. "$CT_TEST_LIB"
ct_test_init bad_traces

expect_fail() { # PATTERN CMD...
	pat=$1
	shift
	"$@" >out.txt 2>err.txt
	rc=$?
	[ "$rc" -eq 1 ] || { cat err.txt; fail "$* exited $rc, expected 1"; }
	grep -q -- "$pat" err.txt || { cat err.txt; fail "$*: no '$pat' in the message"; }
	[ ! -s out.txt ] || { head out.txt; fail "$*: printed output"; }
	cat err.txt
}

"$CONCTRACE" record -q -o good -- "$CT_TEST_EMIT" --count 2000 --threads 2 --tag "$TAG" \
	>rec.txt 2>&1 || { cat rec.txt; fail "conctrace record failed"; }
"$CONCTRACE" dump -q good >/dev/null || fail "dump of the good trace failed"

# A data stream file cut in half (plus a bit, to land inside a packet).
cp -r good trunc
f=$(find trunc -type f ! -name metadata ! -path '*/index/*' -size +0 | head -n 1)
[ -n "$f" ] || fail "no stream file in the trace"
size=$(wc -c <"$f")
truncate -s $((size / 2 + 777)) "$f"
expect_fail "truncated or corrupted trace" "$CONCTRACE" dump trunc
grep -q "caused by (babeltrace2):" err.txt || fail "babeltrace2's causes not printed"

# Garbled metadata.
cp -r good garbled
m=$(find garbled -type f -name metadata | head -n 1)
printf 'this is { not TSDL ;;;' >"$m"
expect_fail "truncated or corrupted trace" "$CONCTRACE" dump garbled

# Recorded with plain lttng, without the vpid/vtid contexts.
s="ct-novpid-$$"
lttng create "$s" --output="$WORK/novpid" >lttng.txt 2>&1 || { cat lttng.txt; fail "lttng create"; }
lttng enable-event -s "$s" -u 'ct_*' >>lttng.txt 2>&1 &&
	lttng add-context -s "$s" -u -t procname >>lttng.txt 2>&1 &&
	lttng start "$s" >>lttng.txt 2>&1 || { lttng destroy "$s"; cat lttng.txt; fail "lttng setup"; }
"$CT_TEST_EMIT" --count 3 --threads 1 --tag "$TAG" >/dev/null
lttng stop "$s" >>lttng.txt 2>&1
lttng destroy "$s" >>lttng.txt 2>&1
expect_fail "trace lacks the vpid/vtid contexts; record with conctrace record or add them with lttng add-context -u -t vpid -t vtid" \
	"$CONCTRACE" dump novpid

# An empty trace: the program registers, but no enabled event fires.
s="ct-empty-$$"
lttng create "$s" --output="$WORK/empty" >lttng.txt 2>&1 || { cat lttng.txt; fail "lttng create"; }
lttng enable-event -s "$s" -u 'ct_queue:put' >>lttng.txt 2>&1 &&
	lttng add-context -s "$s" -u -t vpid -t vtid -t procname >>lttng.txt 2>&1 &&
	lttng start "$s" >>lttng.txt 2>&1 || { lttng destroy "$s"; cat lttng.txt; fail "lttng setup"; }
"$CT_TEST_EMIT" --count 3 --threads 1 --tag "$TAG" >/dev/null
lttng stop "$s" >>lttng.txt 2>&1
lttng destroy "$s" >>lttng.txt 2>&1
if find empty -name metadata | grep -q .; then
	# Another test's program may have fired ct_queue:put into the same
	# per-UID buffers; then the trace is not empty and we skip the check.
	"$CONCTRACE" dump empty >out.txt 2>err.txt || { cat err.txt; fail "dump of an empty trace failed"; }
	if [ ! -s out.txt ]; then
		grep -q "warning: trace has no events: path=empty" err.txt ||
			{ cat err.txt; fail "no warning for an empty trace"; }
	fi
else
	expect_fail "not a CTF trace" "$CONCTRACE" dump empty
fi
echo PASS
