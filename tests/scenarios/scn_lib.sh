# Helpers for the scenarios' recorded tests (source after $CT_TEST_LIB).
#
# Environment: CONCTRACE (the conctrace executable), CT_SCN_BIN (the folder of
# the scenario executables), CT_TEST_LIB, CT_TEST_WORKDIR.

# scn_record SCENARIO ARGS...: records the scenario into ./trace (stdout and
# stderr in out.txt/err.txt; the scenario must exit 0) and dumps the trace
# into dump.txt with `conctrace dump`.
scn_record() {
	prog="$CT_SCN_BIN/$1"
	shift
	"$CONCTRACE" record -q -o trace -- "$prog" "$@" >out.txt 2>err.txt
	rc=$?
	cat out.txt err.txt
	[ "$rc" -eq 0 ] || fail "conctrace record -- $prog $* exited $rc"
	"$CONCTRACE" dump -q trace >dump.txt 2>dump.err || {
		cat dump.err >&2
		fail "conctrace dump failed"
	}
	grep -q ' -1 -1 - discarded ' dump.txt && fail "events were discarded"
	return 0
}

# scn_mine SCENARIO VARIANT WORKERS PARAMS: finds the one process that fired
# run_begin with exactly these fields ($MAIN) and writes mine.txt: the events
# of MAIN and of every process it forked (recursively), since the per-UID
# buffers may hold other programs' events.
scn_mine() {
	pat=" ct_run:run_begin scenario=\"$1\" variant=\"$2\" workers=$3 params=\"$4\""
	MAIN=$(awk -v s="$pat" 'length($0) >= length(s) &&
		substr($0, length($0) - length(s) + 1) == s { print $2 }' dump.txt | sort -u)
	[ -n "$MAIN" ] || fail "no run_begin $1/$2 workers=$3 params=\"$4\""
	[ "$(echo "$MAIN" | grep -c .)" -eq 1 ] || fail "several processes fired run_begin $1/$2: $MAIN"
	fam=" $MAIN "
	while :; do
		next=$(awk -v fam="$fam" 'index(fam, " " $2 " ") && $5 == "ct_run:fork" {
			sub("child=", "", $6); print $6 }' dump.txt | sort -u | tr '\n' ' ')
		new=" $MAIN $next"
		[ "$new" = "$fam" ] && break
		fam=$new
	done
	FAMILY=$fam
	awk -v fam="$fam" 'index(fam, " " $2 " ")' dump.txt >mine.txt
	CHILDREN=$(echo "$fam" | tr ' ' '\n' | grep -v -x -e "$MAIN" -e '' || true)
}

# scn_count EVENT [EXTRA_REGEX]: lines of mine.txt with that event (and regex).
scn_count() {
	awk -v ev="$1" -v re="${2:-}" '$5 == ev && (re == "" || $0 ~ re)' mine.txt | grep -c .
}

# scn_expect_min N EVENT [EXTRA_REGEX]: at least N such events.
scn_expect_min() {
	n=$(scn_count "$2" "${3:-}")
	[ "$n" -ge "$1" ] || fail "expected at least $1 $2 ${3:-}, got $n"
}

# scn_run_end_ok: every run_end of MAIN has status=0.
scn_run_end_ok() {
	n=$(scn_count ct_run:run_end)
	[ "$n" -ge 1 ] || fail "no run_end"
	bad=$(awk '$5 == "ct_run:run_end" && $NF != "status=0"' mine.txt)
	[ -z "$bad" ] || fail "run_end with a non-zero status: $bad"
}
