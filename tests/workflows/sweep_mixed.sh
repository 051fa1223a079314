#!/bin/sh
# conctrace sweep with C and Python models in one picture: scaling's
# threads+gil model and its py-threads model (which runs the Python program
# py-scaling through the preload library) give one table, one csv and one
# plot; each model's report has its own scenario's runs and its own baseline.
. "$CT_TEST_LIB"
ct_test_init sweep_mixed
"$CONCTRACE" sweep scaling --workers 1,2 --workload cpu --tasks 2 --cpu-units 50 \
	--models threads+gil,py-threads -q -o out >sweep.txt 2>sweep.err
rc=$?
cat sweep.txt sweep.err
[ "$rc" -eq 0 ] || fail "conctrace sweep exited $rc"
for f in speedup.txt speedup.csv speedup.svg speedup.png report-threads+gil.json \
	report-py-threads.json; do
	[ -s "out/$f" ] || fail "no out/$f"
done
for m in threads+gil py-threads; do
	for w in 1 2; do
		grep -q "^$m,$w,1,[0-9][0-9]*,[0-9.]*," out/speedup.csv ||
			fail "speedup.csv: no timed row for $m at $w workers"
	done
done
/usr/bin/python3 - <<'PY' || fail "report checks failed"
import json
c = json.load(open("out/report-threads+gil.json"))
p = json.load(open("out/report-py-threads.json"))
assert {r["scenario"] for r in c["runs"]} == {"scaling"}, c["runs"]
assert {r["scenario"] for r in p["runs"]} == {"py-scaling"}, p["runs"]
assert all(r["status"] == 0 for r in c["runs"] + p["runs"])
assert any(l["lock"] == "GIL" for l in p["locks"]), "no CPython GIL in the Python model's report"
print("ok: each model has its own scenario's runs; CPython's GIL in py-threads")
PY
grep -q 'title "py-threads"' out/speedup.gp || fail "the plot has no py-threads line"
echo PASS
