#!/bin/sh
# Each lab scenario's recording yields the finding that is its lesson
# (docs/analyses.md, "Findings"), and every run's critical path adds up to
# its duration: task1a broken -> epipe (fixed -> pipe_full, no epipe);
# task2b --notify-all -> re-waits on buffer.not_empty (--busy-wait ->
# polling on buffer.lock); primes --gil -> the
# GIL; task1b with a chatty child and slow handling -> the quiet children
# starved. Every id names its run (kind:runN:...).
. "$CT_TEST_LIB"
. "$CT_INV_LIB"
ct_test_init findings_labs

# check DIR FINDING_ID_PREFIX: the report of DIR has that finding, and exact paths
check() {
	python3 - "$1/report.json" "$2" <<'PY' || fail "$1: finding $2 missing or critical path wrong"
import json, sys
r = json.load(open(sys.argv[1]))
ids = [f["id"] for f in r["findings"]]
print("findings:", ids)
ok = any(i.startswith(sys.argv[2]) for i in ids)
for p in r["critical_path"]:
    if p["status"] == "complete" and p["path_total"] != p["duration"]:
        print("run", p["run"], "path_total", p["path_total"], "!= duration", p["duration"])
        ok = False
    if p["status"] == "complete" and sum(i["ns"] for i in p["items"]) != p["duration"]:
        print("run", p["run"], "items do not add up")
        ok = False
sys.exit(0 if ok else 1)
PY
}

inv_record t1a -- task1a --mode broken
check t1a "epipe:run0:"
# fixed: the writer blocks on the full pipe, and no EPIPE
inv_record t1af -- task1a --mode fixed
check t1af "pipe_full:run0:pipe consumer"
python3 -c 'import json, sys; sys.exit(any(f["kind"] == "epipe" for f in json.load(open("t1af/report.json"))["findings"]))' ||
	fail "task1a --mode fixed: an epipe finding"
inv_record t2b -- task2b --items 30 --consumers 4 --buffer-size 5 --produce-ms 2 \
	--consume-ms 0.2 --notify-all
check t2b "rewaits:run0:buffer.not_empty"
inv_record t2bb -- task2b --busy-wait
check t2bb "polling:run0:buffer.lock"
inv_record gil -- primes --mode threads --gil --workers 2 --tasks 8 --total 200000
check gil "gil:run0:GIL"
inv_record t1b -- task1b --chatty 50 --handle-us 500
check t1b "starved_reader:run0:"
echo PASS
