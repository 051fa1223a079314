#!/bin/sh
# Untraced run timings (no session of ours, label unit): CT_RUN_TIMES makes
# the runtime append one line per run (fields, CLOCK_MONOTONIC run_begin and
# run_end readings), `conctrace analyze --run-times` turns the lines into the
# runs and speedup tables, and a malformed line is refused with its place.
. "$CT_TEST_LIB"
ct_test_init workflows_run_times

bin=$(dirname "$CONCTRACE")
CT_RUN_TIMES=$WORK/t.tsv "$bin/task2a" --n-tasks 4 --io-delay 0.001 --num-threads 2 \
	>out1.txt 2>&1 || { cat out1.txt; fail "task2a failed with CT_RUN_TIMES"; }
CT_RUN_TIMES=$WORK/t.tsv "$bin/task2a" --n-tasks 4 --io-delay 0.001 --num-threads 2 \
	>out2.txt 2>&1 || { cat out2.txt; fail "task2a failed with CT_RUN_TIMES"; }
cat t.tsv
# two executions x (serial, threads)
[ "$(grep -c "^run	task2a	serial	1	0	[0-9]*	[0-9]*	" t.tsv)" -eq 2 ] || fail "no 2 serial lines"
[ "$(grep -c "^run	task2a	threads	2	0	[0-9]*	[0-9]*	" t.tsv)" -eq 2 ] || fail "no 2 threads lines"
awk -F'\t' '$7 < $6 { bad = 1 } END { exit bad }' t.tsv || fail "a run ends before it begins"

"$CONCTRACE" analyze -q --run-times t.tsv --format json -o u.json || fail "analyze --run-times"
python3 - u.json t.tsv <<'PY' || fail "the untraced speedup table is not the medians of the lines"
import json, sys
u = json.load(open(sys.argv[1]))
lines = [l.rstrip("\n").split("\t") for l in open(sys.argv[2])]
def med(v):
    d = sorted(int(x[6]) - int(x[5]) for x in lines if x[2] == v)
    return d[len(d) // 2] if len(d) % 2 else (d[len(d) // 2 - 1] + d[len(d) // 2]) // 2
rows = {(r["variant"], r["workers"]): r for r in u["speedup"]}
s, t = rows[("serial", 1)], rows[("threads", 2)]
assert s["runs"] == 2 and t["runs"] == 2, u["speedup"]
assert s["time"] == med("serial") and t["time"] == med("threads"), (s, t)
assert t["baseline"] == "serial/1" and abs(t["speedup"] - s["time"] / t["time"]) < 1e-5, t
assert all(r["probe_ns"] == 0 for r in u["runs"]), u["runs"]
PY

printf 'run\ttask2a\tserial\tx\t0\t1\t2\t\n' >bad.tsv
"$CONCTRACE" analyze -q --run-times bad.tsv -o bad.txt >bad.out 2>&1
rc=$?
[ "$rc" -eq 1 ] && grep -q "Malformed timing line: path=bad.tsv line=1" bad.out ||
	{ cat bad.out; fail "a malformed line was not refused ($rc)"; }
[ ! -e bad.txt ] || fail "a report was written for a malformed file"
"$CONCTRACE" analyze -q --run-times no-such.tsv >none.out 2>&1
[ $? -eq 1 ] && grep -q "Failed to read timings: path=no-such.tsv" none.out ||
	{ cat none.out; fail "a missing file was not refused"; }
echo PASS
