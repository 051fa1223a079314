#!/bin/sh
# conctrace sweep: the speedup table from the analyses and the gnuplot plot
# (SVG with the series names, PNG), for a scenario taking a list of worker
# counts in one execution (scaling, three models) and one taking one count per
# execution (task2b, --repeat 2); an existing DIR is refused. Times and
# speedups come from the untraced runs, traced medians and probe ratios stand
# beside them.
. "$CT_TEST_LIB"
ct_test_init workflows_sweep

"$CONCTRACE" sweep scaling --workload cpu --tasks 4 --cpu-units 50 --workers 1,2 \
	--models threads,threads+gil,processes -o sw >stdout.txt 2>stderr.txt
rc=$?
cat stdout.txt stderr.txt
[ "$rc" -eq 0 ] || fail "sweep scaling -> $rc"
for f in speedup.txt speedup.csv speedup.gp speedup.svg speedup.png \
	report-threads.json report-threads+gil.json report-processes.json \
	timeline-threads.pftrace timeline-threads.json timeline-processes.pftrace; do
	[ -s "sw/$f" ] || fail "sw/$f is missing or empty"
done
[ -z "$(ls -d sw.* 2>/dev/null)" ] || fail "a temporary directory was left"
# the table: one row per model and worker count, speedups from the serial baseline
grep -q "^Speedup sweep: scaling --workload cpu --tasks 4 --cpu-units 50" stdout.txt ||
	fail "no table title"
grep -q "^  model  *workers  *runs  *time  *traced  *probe  *speedup  *efficiency  *karp-flatt  *baseline" \
	stdout.txt || fail "no table header"
for m in threads threads+gil processes; do
	grep -q "^  $m  *1  *[1-9][0-9]*  *[0-9.]* [mun]*s  *[0-9.]* [mun]*s  *[0-9.]*x  *[0-9.]*  *[0-9.]*%  *-  *serial/1 " \
		stdout.txt || fail "no 1-worker row with a speedup for $m"
	grep -q "^  $m  *2  *[1-9][0-9]*  *[0-9.]* [mun]*s  *[0-9.]* [mun]*s  *[0-9.]*x  *[0-9.]*  *[0-9.]*%  *-\{0,1\}[0-9.]*  *serial/1 " \
		stdout.txt || fail "no 2-worker row with speedup and Karp-Flatt for $m"
done
grep -q "^  plot: .*/sw/speedup.svg and .*/sw/speedup.png" stdout.txt || fail "no plot path"
[ "$(grep -c '^threads+gil,[12],' sw/speedup.csv)" -eq 2 ] || fail "speedup.csv rows"
# untraced timings beside the traced medians: header, a probe ratio per row
head -1 sw/speedup.csv | grep -q ',traced_runs,traced_time_ns,probe_ratio$' ||
	fail "speedup.csv lacks the traced and probe columns"
[ "$(grep -c ',[1-9][0-9]*,[1-9][0-9]*,[0-9.][0-9.]*$' sw/speedup.csv)" -eq 6 ] ||
	fail "speedup.csv rows lack traced time and probe ratio"
[ "$(ls sw/timings | wc -l)" -eq 3 ] || fail "expected 3 timing files: $(ls sw/timings)"
grep -q "^run	scaling	serial	1	0	[0-9]*	[0-9]*	" sw/timings/threads-r1.tsv ||
	fail "no serial run line in the untraced timings"
# the plot: series names in the SVG, PNG magic bytes
for name in threads threads+gil processes ideal Speedup Efficiency; do
	grep -q ">$name<" sw/speedup.svg || grep -q "$name" sw/speedup.svg ||
		fail "the SVG does not name '$name'"
done
grep -q "<svg" sw/speedup.svg || fail "speedup.svg is not SVG"
magic=$(head -c 8 sw/speedup.png | od -An -tx1 | tr -d ' \n')
[ "$magic" = "89504e470d0a1a0a" ] || fail "speedup.png has no PNG magic ($magic)"
# one trace per model (the worker list in one execution)
[ "$(ls sw/traces | wc -l)" -eq 3 ] || fail "expected 3 traces: $(ls sw/traces)"

# an existing DIR is refused
"$CONCTRACE" sweep scaling --workers 1,2 -o sw >again.txt 2>&1
rc=$?
[ "$rc" -eq 1 ] && grep -q "Output directory exists: path=sw" again.txt ||
	{ cat again.txt; fail "an existing sweep DIR was not refused ($rc)"; }

# one worker count per execution, repeated: task2b --consumers 1 and 2, twice each
"$CONCTRACE" sweep task2b --items 6 --produce-ms 0 --consume-ms 1 --workers 1,2 --repeat 2 \
	-q -o t2b >t2b.txt 2>&1
rc=$?
cat t2b.txt
[ "$rc" -eq 0 ] || fail "sweep task2b -> $rc"
[ "$(ls t2b/traces | wc -l)" -eq 4 ] || fail "expected 4 traces: $(ls t2b/traces)"
grep -q "^  notify  *1  *2  .* notify/1 " t2b.txt || fail "no task2b 1-consumer row of 2 runs"
grep -q "^  notify  *2  *2  .* notify/1 " t2b.txt || fail "no task2b 2-consumer row of 2 runs"
grep -q "notify" t2b/speedup.svg || fail "the task2b SVG does not name its model"
echo PASS
