# Helpers for the integration tests (source after $CT_TEST_LIB).
#
# Environment: CONCTRACE (the conctrace executable), CT_SCN_BIN (the folder of
# the scenario executables), CT_INV_CHECK (the ct_inv_check executable),
# CT_TEST_WORKDIR.

# inv_record DIR [RECORD_OPTIONS...] -- PROGRAM ARGS...: records the scenario
# PROGRAM into DIR/trace (it must exit 0), writes its json report
# DIR/report.json (`conctrace analyze --format json`) and DIR/dump.txt
# (`conctrace dump`).
inv_record() {
	dir=$1
	shift
	opts=
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		opts="$opts $1"
		shift
	done
	[ "${1:-}" = -- ] || fail "inv_record: -- PROGRAM expected"
	shift
	prog="$CT_SCN_BIN/$1"
	shift
	mkdir -p "$dir" || fail "cannot create $dir"
	# The program's pid goes to DIR/pid (sh execs it: same pid), so that the
	# checks pick its runs even if another copy ran meanwhile.
	# shellcheck disable=SC2086,SC2016 # opts holds separate words; $$ is sh's
	"$CONCTRACE" record -q -o "$dir/trace" $opts -- \
		sh -c 'echo $$ >"$0" && exec "$@"' "$dir/pid" "$prog" "$@" \
		>"$dir/out.txt" 2>"$dir/err.txt"
	rc=$?
	cat "$dir/out.txt" "$dir/err.txt"
	[ "$rc" -eq 0 ] || fail "conctrace record $opts -- $prog $* exited $rc"
	"$CONCTRACE" analyze -q "$dir/trace" --format json -o "$dir/report.json" 2>"$dir/analyze.err" || {
		cat "$dir/analyze.err" >&2
		fail "conctrace analyze --format json failed"
	}
	"$CONCTRACE" dump -q "$dir/trace" >"$dir/dump.txt" 2>"$dir/dump.err" || {
		cat "$dir/dump.err" >&2
		fail "conctrace dump failed"
	}
}

# inv_check DIR SCENARIO PARAMS CHECK...: runs ct_inv_check on DIR's report
# and dump (the program is the recorded pid; its runs must have these params).
inv_check() {
	dir=$1
	scenario=$2
	params=$3
	shift 3
	pid=$(cat "$dir/pid") || fail "no pid file in $dir"
	"$CT_INV_CHECK" "$dir/report.json" "$dir/dump.txt" "$scenario" "$params" "main=$pid" "$@" ||
		fail "invariants violated in $dir"
}
