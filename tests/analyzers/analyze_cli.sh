#!/bin/sh
# conctrace analyze on a recorded trace: text, json and csv reports and the
# Perfetto timeline in one pass; bad inputs exit 1 and leave no output file;
# usage errors exit 2.
. "$CT_TEST_LIB"
ct_test_init analyze_cli

"$CONCTRACE" record -q -o trace -- "$CT_TEST_EMIT" --count 100 --threads 2 --tag "$TAG" \
	>rec.txt 2>&1 || { cat rec.txt; fail "conctrace record failed"; }

"$CONCTRACE" analyze -q trace >report.txt 2>err.txt || { cat err.txt; fail "analyze (text) failed"; }
[ -s report.txt ] || fail "empty text report"
"$CONCTRACE" analyze -q --format json -o report.json --perfetto timeline.json trace 2>err.txt ||
	{ cat err.txt; fail "analyze (json + perfetto) failed"; }
[ -s report.json ] || fail "no json report"
[ -s timeline.json ] || fail "no timeline"
for k in trace runs speedup threads locks conds pipes selects pools; do
	grep -q "\"$k\"" report.json || fail "json report lacks \"$k\""
done
ls report.json.* timeline.json.* 2>/dev/null && fail "temporary files left behind"
"$CONCTRACE" analyze -q --format csv -o csvdir trace 2>err.txt || { cat err.txt; fail "analyze (csv) failed"; }
[ "$(ls csvdir/*.csv | grep -c .)" -ge 1 ] || fail "no csv files"

# Bad input: exit 1, a message, no output file (report or timeline).
mkdir empty
cp -r trace trunc
f=$(find trunc -type f ! -name metadata ! -path '*/index/*' -size +0 | head -n 1)
truncate -s $(($(wc -c <"$f") / 2 + 777)) "$f"
# Recorded with plain lttng, without the vpid/vtid contexts.
s="ct-an-novpid-$$"
lttng create "$s" --output="$WORK/novpid" >lttng.txt 2>&1 || { cat lttng.txt; fail "lttng create"; }
lttng enable-event -s "$s" -u 'ct_*' >>lttng.txt 2>&1 &&
	lttng start "$s" >>lttng.txt 2>&1 || { lttng destroy "$s"; cat lttng.txt; fail "lttng setup"; }
"$CT_TEST_EMIT" --count 3 --threads 1 --tag "$TAG" >/dev/null
lttng stop "$s" >>lttng.txt 2>&1
lttng destroy "$s" >>lttng.txt 2>&1
for bad in "$WORK/nope:No such file or directory" "empty:not a CTF trace" \
	"trunc:truncated or corrupted trace" "novpid:trace lacks the vpid/vtid contexts"; do
	p=${bad%%:*}
	msg=${bad#*:}
	"$CONCTRACE" analyze -q --format json -o bad.json --perfetto bad-timeline.json "$p" \
		>out.txt 2>err.txt
	rc=$?
	[ "$rc" -eq 1 ] || { cat err.txt; fail "analyze $p exited $rc, expected 1"; }
	grep -q -- "$msg" err.txt || { cat err.txt; fail "analyze $p: no '$msg'"; }
	[ ! -s out.txt ] || fail "analyze $p printed a report"
	ls bad.json* bad-timeline.json* 2>/dev/null && fail "analyze $p left an output file"
	# Also when the bad trace comes after a good one.
	"$CONCTRACE" analyze -q -o bad.txt trace "$p" >out.txt 2>err.txt
	[ $? -eq 1 ] || fail "analyze trace $p did not exit 1"
	ls bad.txt* 2>/dev/null && fail "analyze trace $p left an output file"
done

# Usage errors: exit 2.
for args in "" "--format xml trace" "--format csv trace" "--bogus trace"; do
	# shellcheck disable=SC2086
	"$CONCTRACE" analyze $args >out.txt 2>err.txt
	rc=$?
	[ "$rc" -eq 2 ] || { cat err.txt; fail "analyze $args exited $rc, expected 2"; }
done
"$CONCTRACE" analyze --help | grep -q "Usage: conctrace analyze" || fail "no --help"
echo PASS
