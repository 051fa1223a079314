#!/bin/sh
# Runs one of the labs' Python programs with `conctrace run` (the recorder
# preloads libconctrace-preload.so into /usr/bin/python3) and checks its lab's
# lesson in report.json (and, for the semaphores, on `conctrace dump`):
#   task1a_fixed   every byte written to the pipe read, EOF seen, no EPIPE
#   task1a_broken  EPIPE on the pipe, bytes left unread
#   task2b_notify / task2b_notify_all
#                  consumers block on a Condition waiter (a semaphore) about
#                  once per item with notify(), many more times with notify_all();
#                  the buffer's threading.Lock is the semaphore named buffer.lock
#   primes_gil     two CPU-bound Python threads: the GIL is the most contended
#                  lock, handed off between them; each worker waited for it
#   task2a         both runs marked (serial, threads) with status 0, the
#                  consumers' sleeps (io_sim) and CPU work (compute) in the threads table
#   scaling_processes  the process pool's workers are processes of their own
#                  that did the CPU work; the runs and speedup rows exist
# Usage: record_py.sh CASE
. "$CT_TEST_LIB"
case=$1
ct_test_init "py_$case"
PY=/usr/bin/python3

# prun SCENARIO ARGS...: conctrace run into ./out; report.json, dump.txt
prun() {
	"$CONCTRACE" run -q -o out "$@" >run.txt 2>run.err
	rc=$?
	cat run.txt run.err
	[ "$rc" -eq 0 ] || fail "conctrace run $* exited $rc"
	[ -s out/report.json ] || fail "no report.json"
	"$CONCTRACE" dump -q out/trace >dump.txt 2>dump.err || {
		cat dump.err >&2
		fail "conctrace dump failed"
	}
}
# pycheck EXPR...: each Python expression over r (report.json) must be true
pycheck() {
	$PY - "$@" <<'EOF' || fail "report.json check failed (above)"
import json, sys
r = json.load(open("out/report.json"))
def pipe(name):
    return next(p for p in r["pipes"] if p["pipe"] == name)
def lock(name):
    return next(l for l in r["locks"] if l["lock"] == name)
def threads(prefix):
    return [t for t in r["threads"] if t["thread"].startswith(prefix)]
def runs(variant=None):
    return [x for x in r["runs"] if variant is None or x["variant"] == variant]
bad = 0
for expr in sys.argv[1:]:
    ok = eval(expr)
    print("%s: %s" % ("ok" if ok else "FAILED", expr))
    bad += not ok
if bad:
    print("runs:", r["runs"])
    print("locks:", r["locks"][:3])
    print("pipes:", r["pipes"])
sys.exit(1 if bad else 0)
EOF
}
# sem_requests ROLE_PREFIX: blocking semaphore waits (ct_sem:request) by those threads
sem_requests() {
	awk -v pre="$1" '$5 == "ct_run:thread_begin" { r = $6; sub(/^role="/, "", r); sub(/"$/, "", r); role[$2 " " $3] = r }
		$5 == "ct_sem:request" && index(role[$2 " " $3], pre) == 1 { n++ }
		END { print n + 0 }' dump.txt
}

case $case in
task1a_fixed)
	prun py-task1a --mode fixed --chunks 40 --consumer-delay-ms 1
	pycheck 'runs("fixed")[0]["status"] == 0' \
		'pipe("pipe consumer")["bytes_written"] == 40 * 4096' \
		'pipe("pipe consumer")["bytes_read"] == pipe("pipe consumer")["bytes_written"]' \
		'pipe("pipe consumer")["unread_bytes"] == 0' \
		'pipe("pipe consumer")["eof"] == 1 and pipe("pipe consumer")["epipe"] == 0' \
		'pipe("pipe consumer")["matched"] == 40' \
		'len(threads("producer")) == 1 and len(threads("consumer")) == 1' \
		'threads("producer")[0]["process"] != threads("consumer")[0]["process"]'
	;;
task1a_broken)
	prun py-task1a --mode broken --chunks 40 --consumer-delay-ms 1
	pycheck 'runs("broken")[0]["status"] == 0' \
		'pipe("pipe consumer")["epipe"] >= 1' \
		'pipe("pipe consumer")["bytes_read"] == 4096' \
		'pipe("pipe consumer")["unread_bytes"] > 0'
	;;
task2b_notify | task2b_notify_all)
	items=31
	if [ "$case" = task2b_notify_all ]; then
		prun py-task2b --items $items --consumers 3 --produce-ms 2 --consume-ms 0.5 --notify-all
	else
		prun py-task2b --items $items --consumers 3 --produce-ms 2 --consume-ms 0.5
	fi
	pycheck 'runs()[0]["status"] == 0' 'len(threads("consumer-")) == 3' 'len(threads("producer")) == 1' \
		'any(s["sem"] == "buffer.lock" and s["acquisitions"] > '$items' for s in r["sems"])' \
		'all(c["unmatched"] == 0 for c in r["conds"])'
	woke=$(sed -n 's/^task2b: consumers woke \([0-9]*\) times.*/\1/p' run.txt)
	# threading.Condition waits as ct_cond waits (conctrace_marks wraps them)
	n=$($PY -c 'import json, sys
r = json.load(open(sys.argv[1]))
print(sum(c["waits"] for c in r["conds"] if c["cond"] == "buffer.not_empty"))' out/report.json)
	rw=$($PY -c 'import json, sys
r = json.load(open(sys.argv[1]))
print(sum(c["rewaits"] for c in r["conds"] if c["cond"] == "buffer.not_empty"))' out/report.json)
	echo "consumers waited on buffer.not_empty $n times, $rw re-waits (the program counted $woke wake-ups) for $items items"
	[ -n "$woke" ] || fail "no 'consumers woke' line"
	[ "$n" -eq "$woke" ] || fail "the trace has $n waits on buffer.not_empty, the program counted $woke wake-ups"
	if [ "$case" = task2b_notify_all ]; then
		[ "$n" -gt $((items + 3)) ] || fail "notify_all: $n wake-ups for $items items, expected re-waits"
		[ "$rw" -gt 0 ] || fail "notify_all: no re-waits in the conds analysis"
	else
		[ "$n" -le $((items + 3)) ] || fail "notify: $n wake-ups for $items items (+3 sentinels)"
	fi
	;;
primes_gil)
	prun py-primes --total 100000 --tasks 8 --workers 2 --mode threads
	pycheck 'runs("threads")[0]["status"] == 0' \
		'r["locks"][0]["lock"] == "GIL"' \
		'lock("GIL")["contended"] > 0 and lock("GIL")["handoffs"] > 0' \
		'len(threads("worker-")) == 2' \
		'all(t["lock"] > 0 and t["compute"] > 0 for t in threads("worker-"))'
	;;
task2a)
	prun py-task2a --n-tasks 8 --io-delay 0.01 --num-threads 4 --compute-size 200
	pycheck 'sorted(x["variant"] for x in runs()) == ["serial", "threads"]' \
		'all(x["status"] == 0 for x in runs())' \
		'len(threads("consumer-")) == 4' \
		'all(t["io_sim"] > 0 and t["compute"] > 0 for t in threads("consumer-"))' \
		'any(s["variant"] == "threads" and s["workers"] == 4 for s in r["speedup"])'
	;;
scaling_processes)
	prun py-scaling --workload cpu --model serial,processes --workers 2 --tasks 4 --cpu-units 200
	pycheck 'sorted(x["variant"] for x in runs()) == ["processes", "serial"]' \
		'all(x["status"] == 0 for x in runs())' \
		'len(set(t["process"] for t in threads("worker-"))) == 2' \
		'sum(t["compute"] for t in threads("worker-")) > 0' \
		'all(t["process"] != runs()[0]["process"] if "process" in runs()[0] else True for t in threads("worker-"))'
	;;
*) fail "unknown case $case" ;;
esac
echo PASS
