#!/bin/sh
# conctrace run times the scenario untraced (--repeat N), records, analyzes
# and exports in one go: DIR gets timings.tsv, untraced.json, trace/,
# report.txt, report.json, timeline.json and timeline.pftrace; an existing DIR is refused unless
# --force; a failing scenario keeps its outputs and exits non-zero; options the
# scenario rejects leave nothing.
. "$CT_TEST_LIB"
ct_test_init workflows_run

"$CONCTRACE" run task1a --mode fixed --chunks 20 --consumer-delay-ms 1 --repeat 2 -o out \
	>stdout.txt 2>stderr.txt
rc=$?
cat stdout.txt stderr.txt
[ "$rc" -eq 0 ] || fail "conctrace run task1a --mode fixed -> $rc"
for f in trace report.txt report.json timeline.json timeline.pftrace timings.tsv untraced.json; do
	[ -e "out/$f" ] || fail "out/$f is missing"
done
[ -d out/trace ] || fail "out/trace is not a directory"
[ -z "$(ls -d out.* 2>/dev/null)" ] || fail "a temporary directory was left: $(ls -d out.*)"
# the report is about our run, the timeline is JSON Perfetto opens
grep -q "^Runs" out/report.txt || fail "report.txt has no Runs table"
grep -q "task1a *fixed" out/report.txt || fail "report.txt does not show the task1a fixed run"
python3 - out/report.json out/timeline.json <<'PY' || fail "report.json/timeline.json are not what they should be"
import json, sys
r = json.load(open(sys.argv[1]))
runs = [x for x in r["runs"] if x["scenario"] == "task1a" and x["variant"] == "fixed"]
assert runs and runs[0]["status"] == 0, r["runs"]
assert r["trace"]["traces"][0]["path"] == "trace", r["trace"]["traces"]
t = json.load(open(sys.argv[2]))
events = t["traceEvents"] if isinstance(t, dict) else t
assert len(events) > 10
PY
# headline figures and the path to open
grep -q "^task1a: run 2 times untraced, recorded, analyzed and exported" stdout.txt ||
	fail "no headline"
# the traced run beside the untraced median of 2 and their ratio (the probe effect)
grep -q "^  runs: *fixed *workers 1 *traced *[0-9.]* [mun]*s  ok  untraced [0-9.]* [mun]*s (median of 2)  probe [0-9.]*x$" \
	stdout.txt || fail "no runs line with traced, untraced and probe"
[ "$(grep -c "^run	task1a	fixed	1	0	[0-9]*	[0-9]*	" out/timings.tsv)" -eq 2 ] ||
	fail "timings.tsv does not hold the 2 untraced runs"
python3 - out/untraced.json <<'PY' || fail "untraced.json has no speedup row of 2 runs"
import json, sys
u = json.load(open(sys.argv[1]))
rows = [x for x in u["speedup"] if x["variant"] == "fixed" and x["workers"] == 1]
assert rows and rows[0]["runs"] == 2 and rows[0]["time"] > 0, u["speedup"]
PY
grep -q "^  most contended lock: " stdout.txt || fail "no lock line"
grep -q "^  most blocked thread: *[a-z]" stdout.txt || fail "no thread line"
grep -q "^  events: *[0-9][0-9]* read, [0-9][0-9]* discarded" stdout.txt || fail "no events line"
grep -q "^  open in Perfetto: *$WORK/out/timeline.pftrace" stdout.txt || fail "no Perfetto path"

# an existing DIR is refused and left alone
before=$(ls -l out/report.json)
"$CONCTRACE" run task1a --mode fixed -o out >again.txt 2>&1
rc=$?
cat again.txt
[ "$rc" -eq 1 ] || fail "an existing DIR was not refused (status $rc)"
grep -q "Output directory exists: path=out" again.txt || fail "no clear message"
[ "$(ls -l out/report.json)" = "$before" ] || fail "the refused DIR was modified"

# --force replaces it (the report is about the new run)
"$CONCTRACE" run task1a --mode broken -q --force -o out >force.txt 2>&1 ||
	{ cat force.txt; fail "run --force failed"; }
grep -q "task1a *broken" out/report.txt || fail "--force did not replace the report"
! grep -q "task1a *fixed" out/report.txt || fail "--force kept the earlier report"

# a scenario whose self-check fails: non-zero, said clearly, outputs kept
"$CONCTRACE" run task1a --mode broken --chunks 2 -q -o failed >failed.txt 2>&1
rc=$?
cat failed.txt
[ "$rc" -eq 1 ] || fail "a failing scenario gave status $rc, expected 1"
grep -q "SCENARIO FAILED: task1a exited with status 1" failed.txt || fail "failure not said"
[ -e failed/report.json ] && [ -e failed/timeline.json ] || fail "outputs of the failed run not kept"

# options the scenario rejects: status 2, nothing kept
"$CONCTRACE" run task1a --no-such-option -q -o rejected >rej.txt 2>&1
rc=$?
cat rej.txt
[ "$rc" -eq 2 ] || fail "rejected options gave status $rc, expected 2"
grep -q "task1a rejected its options" rej.txt || fail "no clear message"
[ -z "$(ls -d rejected* 2>/dev/null)" ] || fail "rejected run left $(ls -d rejected*)"
echo PASS
