#!/bin/bash
# run_fuzz.sh FUZZER NAME SEED_DIR REGRESSION_DIR OUT_DIR [SECONDS]
# Runs a libFuzzer target for a bounded time (CT_FUZZ_SECONDS in the
# environment, else SECONDS, else 60) on a working copy of its seed corpus
# (the checked-in corpus never grows), under ASan+UBSan (the fuzz build).
# Writes OUT_DIR/NAME.stats (executions, corpus size, findings) for
# docs/reliability.md; a crash, leak, timeout or sanitizer report fails the
# test and leaves its input in OUT_DIR/NAME-artifacts/ (move it into
# REGRESSION_DIR once fixed: the unit tests replay that directory).
set -u
fuzzer=$1 name=$2 seeds=$3 regress=$4 out=$5
secs=${CT_FUZZ_SECONDS:-${6:-60}}
work="$out/$name-corpus"
art="$out/$name-artifacts"
mkdir -p "$work" "$art" || exit 1
cp -n "$seeds"/* "$work"/ 2>/dev/null
log="$out/$name.log"
asan=detect_leaks=1:allocator_may_return_null=1
# Leaks inside babeltrace2's plugins unwind only slowly (no frame pointers).
[ "$name" = ctf ] && asan=$asan:fast_unwind_on_malloc=0
export ASAN_OPTIONS=${ASAN_OPTIONS:-$asan}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$(dirname "$0")/lsan.supp:print_suppressions=0}
"$fuzzer" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
	-artifact_prefix="$art/" "$work" "$regress" >"$log" 2>&1 &
fpid=$!
wait $fpid
rc=$?
# A target that crashed or timed out did not remove its scratch files.
rm -rf "/tmp/ct-fuzz-ctf-$fpid" "/tmp/ct-fuzz-csv-$fpid"
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
found=$(find "$art" -type f | grep -c .)
printf 'name=%s\nseconds=%s\nexecutions=%s\ncorpus=%s\nfindings=%s\nexit=%s\n' "$name" "$secs" \
	"${execs:-0}" "$(ls "$work" | grep -c .)" "$found" "$rc" >"$out/$name.stats"
cat "$out/$name.stats"
if [ $rc -ne 0 ] || [ "$found" -ne 0 ]; then
	tail -n 60 "$log"
	echo "FAIL: $name found $found input(s), kept in $art" >&2
	exit 1
fi
