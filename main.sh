#!/usr/bin/env bash
# Set-up command 1: install what is missing, build, then run every lab scenario
# with `conctrace run` (time it untraced, record, analyze, export the Perfetto
# timeline) and one CPU-bound `conctrace sweep` (threads vs threads+GIL vs
# processes). Times and speedups come from untraced runs; the traced times
# stand beside them with traced / untraced, the measured probe effect
# (docs/workflows.md, "Which number is which").
# Outputs: ./out/<name>/ (trace/, report.txt, report.json, timeline.pftrace
# and timeline.json, timings.tsv, untraced.json) and
# ./out/sweep-scaling-cpu/ (speedup table, speedup.svg, speedup.png); the last
# lines say where they are. Re-running replaces them (--force).
set -uo pipefail
. "$(dirname "$0")/cmake/bootstrap.sh"
cd "$CT_TOP"

ct_install_deps || exit 1
ct_build build || exit 1

conctrace=$CT_TOP/build/bin/conctrace
out=$CT_TOP/out
mkdir -p "$out"
start=$SECONDS

# name | scenario and its options (defaults, plus the variants worth comparing)
runs=(
	"task1a-broken|task1a --mode broken"
	"task1a-fixed|task1a --mode fixed"
	"task1b|task1b"
	"task1b-chatty|task1b --chatty 20 --handle-us 500"
	"task2a|task2a"
	"task2a-gil|task2a --gil"
	"task2b|task2b"
	"task2b-notify-all|task2b --notify-all"
	"primes-threads|primes --mode threads"
	"primes-threads-gil|primes --mode threads --gil"
	"primes-processes|primes --mode processes"
	"scaling-cpu|scaling --workload cpu"
	"scaling-io|scaling --workload io"
	"sharedlist|sharedlist"
)

failed=()
for r in "${runs[@]}"; do
	name=${r%%|*}
	cmd=${r#*|}
	ct_say "conctrace run $cmd"
	# shellcheck disable=SC2086
	if ! "$conctrace" run $cmd --repeat 3 -o "$out/$name" --force; then
		echo "main.sh: $name: conctrace run $cmd failed (see above)" >&2
		failed+=("$name")
	fi
done

# The week-2 report's CPU-bound claim, small enough for two cores: threads
# scale (C has no GIL), threads under the GIL model do not, processes do but
# pay for their start-up. Each configuration is run 5 times untraced (the table's
# times, speedups and plot) and recorded 5 times (the traced column, and the
# probe column = traced / untraced: how much tracing changed that variant).
sweep="scaling --workload cpu --tasks 8 --cpu-units 3000"
ct_say "conctrace sweep $sweep --workers 1,2,4 --models threads,threads+gil,processes --repeat 5"
# shellcheck disable=SC2086
if ! "$conctrace" sweep $sweep --workers 1,2,4 --models threads,threads+gil,processes \
	--repeat 5 -o "$out/sweep-scaling-cpu" --force; then
	echo "main.sh: the sweep failed (see above)" >&2
	failed+=("sweep-scaling-cpu")
fi

ct_say "Outputs (in $((SECONDS - start)) s)"
echo "Timelines (open in https://ui.perfetto.dev, 'Open trace file'; Perfetto's native"
echo "format, with timeline.json beside it where a browser can import it), reports next to them:"
for r in "${runs[@]}"; do
	name=${r%%|*}
	[ -f "$out/$name/timeline.pftrace" ] || continue
	printf '  %-20s %s\n' "$name" "$out/$name/timeline.pftrace"
done
if [ -f "$out/sweep-scaling-cpu/speedup.svg" ]; then
	echo "Speedup plot: $out/sweep-scaling-cpu/speedup.svg and speedup.png" \
		"(table: $out/sweep-scaling-cpu/speedup.txt)"
fi
if [ ${#failed[@]} -gt 0 ]; then
	echo "main.sh: FAILED: ${failed[*]}" >&2
	exit 1
fi
exit 0
