#!/bin/sh
# Discarded events on purpose: 2 x 4 KiB sub-buffers and a flood from 4
# threads. The recorder warns and suggests a size; the report and the
# timeline say how many events were lost and where; every lock hold a gap
# cuts is counted as cut; no figure is invented (no negative time, blocked
# <= lifetime, acquisitions = traced + summarized, counts add up).
. "$CT_TEST_LIB"
ct_test_init record_flood

"$CONCTRACE" record -o trace --subbuf-size 4k --num-subbuf 2 -- \
	"$CT_TEST_EMIT" --count 100000 --threads 4 --tag "$TAG" 2>err.txt
rc=$?
cat err.txt
[ "$rc" -eq 0 ] || fail "conctrace record exited $rc"
grep -q "events were discarded.*e.g. --subbuf-size 16k (now 4k x 2)" err.txt ||
	fail "the warning does not suggest a sub-buffer size"
"$CONCTRACE" analyze -q --format json -o report.json --perfetto timeline.json trace 2>an.txt ||
	{ cat an.txt; fail "analyze failed"; }
"$CONCTRACE" analyze -q trace >report.txt 2>an.txt || { cat an.txt; fail "analyze (text) failed"; }
grep -q "discarded" report.txt || fail "the text report does not mention the discarded events"
python3 - <<'PY' || fail "figures after discarded events"
import json
r = json.load(open("report.json"))
tr = r["trace"]
assert tr["discarded"] > 0 and tr["discarded_msgs"] > 0, tr
def walk(v, path=""):
    # no negative time, count or size anywhere
    if isinstance(v, dict):
        for k, x in v.items():
            walk(x, path + "." + k)
    elif isinstance(v, list):
        for x in v:
            walk(x, path)
    elif isinstance(v, (int, float)) and not isinstance(v, bool):
        key = path.rsplit(".", 1)[-1]
        if key not in ("status", "pid", "tid", "fd", "karp_flatt"):
            assert v >= 0, (path, v)
walk(r)
for t in r["threads"]:
    assert t["blocked"] <= t["lifetime"], t
cut = 0
for l in r["locks"]:
    assert l["contended"] <= l["acquisitions"], l
    if "traced" in l and "summarized" in l:
        assert l["acquisitions"] == l["traced"] + l["summarized"], l
    cut += l.get("cut", 0)
assert cut > 0, "no lock interval counted as cut although events were lost"
t = json.load(open("timeline.json"))
ev = t["traceEvents"] if isinstance(t, dict) else t
gaps = [e for e in ev if "discarded" in str(e.get("name", "")).lower()]
assert gaps, "the timeline does not show the discarded events"
print("discarded", tr["discarded"], "cut", cut, "timeline marks", len(gaps))
PY
echo PASS
