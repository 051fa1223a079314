#!/bin/sh
# Load each scenario's timelines (timeline.json and timeline.pftrace from
# `conctrace run`) in Perfetto's own trace processor through
# shared/tools/perfetto/import-check.sh: no error or data-loss stat, and the
# same numbers of slices, flows, counters and counter tracks in both formats;
# and the .pftrace decoded with protoc matches the JSON (pftrace_check.py).
# Usage: import_check.sh BINDIR WORKDIR TOOLSDIR
# Exit 77 (ctest: skipped) when TOOLSDIR/import-check.sh is not there.
set -u
here=$(cd "$(dirname "$0")" && pwd)
bindir=$1 work=$2 tools=$3
if [ ! -x "$tools/import-check.sh" ] || [ ! -x "$tools/trace_processor_shell" ]; then
	echo "perfetto import check skipped: no $tools/import-check.sh (shared/tools/perfetto)"
	exit 77
fi
rm -rf "$work"
mkdir -p "$work"
status=0
check() { # NAME SCENARIO ARGS...
	name=$1
	shift
	if ! "$bindir/conctrace" run "$@" -q -o "$work/$name" >"$work/$name.out" 2>&1; then
		echo "FAIL $name: conctrace run $*"
		cat "$work/$name.out"
		status=1
		return
	fi
	for f in timeline.json timeline.pftrace; do
		if ! "$tools/import-check.sh" "$work/$name/$f" >"$work/$name.$f.txt" 2>&1; then
			echo "FAIL $name/$f: trace processor reported:"
			cat "$work/$name.$f.txt"
			status=1
		fi
	done
	if ! python3 "$here/pftrace_check.py" "$here/ct_pftrace.proto" "$work/$name/timeline.pftrace" \
		"$work/$name/timeline.json" >"$work/$name.check.txt" 2>&1; then
		echo "FAIL $name: protoc decode / comparison with the json:"
		cat "$work/$name.check.txt"
		status=1
	fi
	for k in slices instants flows counters counter_tracks processes_named; do
		j=$(grep "^$k," "$work/$name.timeline.json.txt" | cut -d, -f2)
		p=$(grep "^$k," "$work/$name.timeline.pftrace.txt" | cut -d, -f2)
		if [ -z "$j" ] || [ "$j" != "$p" ]; then
			echo "FAIL $name: $k: json ${j:-?}, pftrace ${p:-?}"
			status=1
		fi
	done
	echo "ok $name: $(tr '\n' ' ' <"$work/$name.timeline.pftrace.txt")"
}
check task1a task1a --mode fixed
check task1b task1b
check task2a task2a
check task2b task2b
check primes_threads primes --mode threads --total 50000
check primes_processes primes --mode processes --total 50000
check scaling scaling
check sharedlist sharedlist
exit $status
