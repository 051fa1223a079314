# Shared shell helpers for conctrace's tests (source it; POSIX sh + bash ok).
#
# Environment set by the tests' CMakeLists.txt:
#   CONCTRACE        the conctrace executable
#   CT_TEST_EMIT     the ct-test-emit executable
#   CT_TEST_WORKDIR  a scratch directory for this test folder
#   BABELTRACE2      the babeltrace2 CLI

# fail MESSAGE...: prints and exits 1.
fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# ct_test_init NAME: fresh scratch directory $WORK (cwd), unique $TAG.
ct_test_init() {
	: "${CT_TEST_WORKDIR:?CT_TEST_WORKDIR is not set}"
	WORK="$CT_TEST_WORKDIR/$1"
	TAG="$1-$$"
	rm -rf "$WORK" || fail "cannot clean $WORK"
	mkdir -p "$WORK" || fail "cannot create $WORK"
	cd "$WORK" || fail "cannot enter $WORK"
}

# ct_session_of STDERR_FILE: the session name the recorder announced.
ct_session_of() {
	sed -n 's/.*(session \(conctrace-[^,]*\),.*/\1/p' "$1" | head -n 1
}

# ct_assert_no_session NAME: no LTTng session NAME exists any more.
ct_assert_no_session() {
	[ -n "$1" ] || fail "no session name to check"
	out=$(lttng list 2>&1) || fail "lttng list failed: $out"
	if printf '%s\n' "$out" | grep -F -q -- "$1"; then
		fail "session $1 was left behind: $out"
	fi
}

# ct_bt_text TRACE_DIR OUT_FILE: babeltrace2's text dump of the trace.
ct_bt_text() {
	"${BABELTRACE2:-babeltrace2}" "$1" >"$2" 2>"$2.err" || {
		cat "$2.err" >&2
		fail "babeltrace2 cannot read $1"
	}
}

# ct_vpids_of_tag TEXT_FILE TAG: vpids of the ct-test-emit processes run with
# --tag TAG (others' programs may be traced by the same per-UID buffers).
ct_vpids_of_tag() {
	grep 'ct_run:run_begin:' "$1" | grep -F "variant = \"$2\"" |
		sed -n 's/.*{ vpid = \([0-9]*\),.*/\1/p' | sort -u
}

# ct_count_events TEXT_FILE EVENT VPID...: lines of EVENT from those vpids.
ct_count_events() {
	file=$1
	ev=$2
	shift 2
	n=0
	for vpid in "$@"; do
		c=$(grep -F " $ev: " "$file" | grep -c -F "{ vpid = $vpid, ")
		n=$((n + c))
	done
	echo "$n"
}
