#!/bin/sh
# Every lab scenario's default run yields the finding that is its lesson
# (docs/analyses.md, "Findings"): `conctrace run NAME` with no options (one
# untraced run, then the recording), and its report.json must hold a finding
# whose id starts with the lesson's kind and names a run (kind:runN...).
# primes's lesson depends on the cores: 4 pool threads computing in parallel
# (overlap) or, on a loaded 2-core machine, about one task at a time
# (pool_underused); one of the two holds (docs/analyses.md).
# CT_FINDINGS_PY=0 leaves out the labs' Python programs (py-*).
. "$CT_TEST_LIB"
ct_test_init findings_defaults

# lesson SCENARIO KIND[|KIND...]: conctrace run SCENARIO; a KIND:runN finding in its report
lesson() {
	"$CONCTRACE" run "$1" -q -o "$1" >"$1.out" 2>"$1.err" || {
		cat "$1.out" "$1.err"
		fail "conctrace run $1 exited non-zero"
	}
	python3 - "$1/report.json" "$2" "$1" <<'PY' || fail "$1: no $2 finding (above)"
import json, sys
r = json.load(open(sys.argv[1]))
kinds = sys.argv[2].split("|")
hits = [f for f in r["findings"] for k in kinds
        if f["id"].startswith(k + ":run") and f["run"] is not None]
for f in hits:
    print("%s: %s\n  %s" % (sys.argv[3], f["id"], f["text"]))
if not hits:
    print(sys.argv[3], "findings:", [f["id"] for f in r["findings"]])
sys.exit(0 if hits else 1)
PY
}

lesson task1a epipe
lesson task1b select_loop
lesson task2a overlap
lesson task2b idle_waiters
lesson primes 'pool_underused|overlap'
lesson scaling low_speedup
lesson sharedlist shared_lock
if [ "${CT_FINDINGS_PY:-1}" != 0 ]; then
	lesson py-task1a epipe
	lesson py-task1b select_loop
	lesson py-task2a overlap
	lesson py-task2b idle_waiters
	lesson py-primes gil
	lesson py-scaling low_speedup
	lesson py-sharedlist shared_lock
fi
echo PASS
