#!/usr/bin/env bash
# Set-up command 1: install what is missing, build, then record every lab
# scenario with conctrace, analyze each trace and export its Perfetto timeline.
# Outputs go to ./out/<scenario>/ (trace/, report.txt, report.json,
# timeline.json); the last lines say where they are.
set -uo pipefail
. "$(dirname "$0")/cmake/bootstrap.sh"
cd "$CT_TOP"

ct_install_deps || exit 1
ct_build build || exit 1

bin=$CT_TOP/build/bin
out=$CT_TOP/out
mkdir -p "$out"

# name | scenario command line
runs=(
	"task1a-fixed|task1a --mode fixed"
	"task1a-broken|task1a --mode broken"
)

failed=0
for r in "${runs[@]}"; do
	name=${r%%|*}
	cmd=${r#*|}
	dir=$out/$name
	ct_say "Recording $name: $cmd"
	rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
	# shellcheck disable=SC2086
	if ! "$bin/conctrace" record -q -o "$dir.tmp/trace" -- "$bin"/$cmd; then
		echo "main.sh: $name: the scenario or its recording failed (see above)" >&2
		failed=1
		continue
	fi
	if ! "$bin/conctrace" analyze --quiet "$dir.tmp/trace" -o "$dir.tmp/report.txt" ||
		! "$bin/conctrace" analyze --quiet "$dir.tmp/trace" --format json \
			-o "$dir.tmp/report.json" --perfetto "$dir.tmp/timeline.json"; then
		echo "main.sh: $name: analysis failed (see above)" >&2
		failed=1
		continue
	fi
	rm -rf "$dir" && mv "$dir.tmp" "$dir"
	sed -n '1,40p' "$dir/report.txt"
done

ct_say "Outputs"
for r in "${runs[@]}"; do
	name=${r%%|*}
	[ -d "$out/$name" ] || continue
	echo "  $name: trace $out/$name/trace, report $out/$name/report.txt," \
		"timeline $out/$name/timeline.json (open in https://ui.perfetto.dev)"
done
exit $failed
