#!/bin/bash
# The issue's example, recorded for real: a run tagged with terminal escape
# sequences (clear screen, retitle the window), a C1 CSI, an invalid byte
# and a CSV formula. conctrace analyze (text, csv, json), dump and the
# timeline must not pass one control byte to the terminal or a formula to a
# spreadsheet; json keeps the tag exact.
. "$CT_TEST_LIB"
ct_test_init hostile_record

evil=$'evil\033[2J\033]0;pwned\007'
tag="$evil=1+2 $TAG"
"$CONCTRACE" record -q -o trace -- "$CT_TEST_EMIT" --count 20 --threads 2 --tag "$tag" \
	>rec.txt 2>&1 || { cat rec.txt; fail "conctrace record failed"; }

# no_controls FILE: no C0 control but newline/CR, no DEL, no ESC-free C1 CSI.
no_controls() {
	if LC_ALL=C grep -q -P '[\x00-\x09\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]' "$1"; then
		LC_ALL=C grep -n -P '[\x00-\x09\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]' "$1" | cat -v >&2
		fail "$1 holds raw control characters"
	fi
}

"$CONCTRACE" analyze trace >report.txt 2>err.txt || { cat err.txt; fail "analyze failed"; }
no_controls report.txt
no_controls err.txt
grep -q -F 'evil\x1b[2J\x1b]0;pwned\x07' report.txt ||
	fail "the text report does not show the escaped tag: $(cat -v report.txt)"

"$CONCTRACE" analyze -q --format csv -o csv trace 2>err.txt || { cat err.txt; fail "csv failed"; }
for f in csv/*.csv; do no_controls "$f"; done
grep -q -F ',evil\x1b[2J\x1b]0;pwned\x07=1+2 ' csv/runs.csv ||
	fail "csv does not hold the escaped tag: $(cat -v csv/runs.csv)"

"$CONCTRACE" analyze -q --format json -o report.json --perfetto timeline.json trace 2>err.txt ||
	{ cat err.txt; fail "json failed"; }
no_controls report.json
no_controls timeline.json
python3 - "$tag" <<'PY' || fail "json lost the exact tag"
import json, sys
tag = sys.argv[1]
r = json.load(open("report.json"))
assert any(run.get("variant") == tag for run in r["runs"]), r["runs"]
t = json.load(open("timeline.json"))
PY

"$CONCTRACE" dump trace >dump.txt 2>err.txt || { cat err.txt; fail "dump failed"; }
no_controls dump.txt
grep -q -F 'evil\x1b[2J' dump.txt || fail "dump does not show the escaped tag"

# A hostile path in an error message is escaped too.
bad=$'no\033[2Jtrace'
"$CONCTRACE" analyze "$bad" >out.txt 2>err.txt && fail "analyze of a missing path succeeded"
no_controls err.txt
grep -q -F 'no\x1b[2Jtrace' err.txt || fail "the path is not shown escaped: $(cat -v err.txt)"
echo "ok"
