#!/bin/sh
# Fault: lttng-sessiond killed during a recording. The system daemon is shared,
# so the recorder runs in a private mount namespace with empty tmpfs over
# /run/lttng and /dev/shm: it finds no daemon there, starts a private one (and
# says so), and that private daemon is the one killed. Expected: a clear error,
# exit 1, the program reaped, what was flushed kept and named incomplete (or,
# if nothing was, no trace directory), no invented count.
# Needs root and unshare (util-linux); skipped (77) otherwise. An earlier form
# ran the recorder as the user nobody, which also needs every directory above
# the build tree to be open to nobody: not so on every machine.
. "$CT_TEST_LIB"
ct_test_init record_sessiond_killed

[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root for a private mount namespace"; exit 77; }
command -v unshare >/dev/null || { echo "SKIP: no unshare"; exit 77; }
unshare --mount --propagation private true 2>/dev/null ||
	{ echo "SKIP: cannot make a private mount namespace here"; exit 77; }
[ -d /run/lttng ] || mkdir -p /run/lttng || fail "cannot create /run/lttng"

# The body runs in the namespace; $1 is this script's scratch directory.
cat >inner.sh <<'EOF'
set -u
cd "$1" || exit 1
fail() {
	echo "FAIL: $*" >&2
	[ -f err.txt ] && sed 's/^/  recorder: /' err.txt >&2
	exit 1
}
mount -t tmpfs -o size=1m,mode=0755 tmpfs /run/lttng || fail "cannot mount a tmpfs on /run/lttng"
mount -t tmpfs -o size=64m,mode=1777 tmpfs /dev/shm || fail "cannot mount a tmpfs on /dev/shm"
ns=$(readlink /proc/self/ns/mnt)

# kill_private SIGNAL: the daemons of this namespace (never the system one).
kill_private() {
	for p in $(pgrep -x 'lttng-(sessiond|consumerd)'); do
		[ "$(readlink "/proc/$p/ns/mnt" 2>/dev/null)" = "$ns" ] && kill "-$1" "$p" 2>/dev/null
	done
	return 0
}
trap 'kill_private KILL' EXIT

HOME="$1/home" "$CONCTRACE" record --no-isolate -o trace --subbuf-size 4k --num-subbuf 2 -- \
	"$CT_TEST_EMIT" --count 20000 --tag "$TAG" --ready-file ready --sleep-ms 3000 2>err.txt &
rp=$!
i=0
while [ ! -e ready ]; do
	kill -0 $rp 2>/dev/null || { wait $rp; fail "the recorder ended ($?) before the program was ready"; }
	i=$((i + 1))
	[ $i -lt 600 ] || { kill -KILL $rp; fail "the program did not start within 60 s"; }
	sleep 0.1
done
grep -q "starting one" err.txt || fail "the recorder did not start a private daemon"
killed=0
for p in $(pgrep -x lttng-sessiond); do
	if [ "$(readlink "/proc/$p/ns/mnt" 2>/dev/null)" = "$ns" ]; then
		kill -KILL "$p" && killed=$((killed + 1))
	fi
done
[ $killed -eq 1 ] || fail "found $killed private session daemons, expected 1"
wait $rp
rc=$?
cat err.txt
[ $rc -eq 1 ] || fail "sessiond killed -> $rc, expected 1"
grep -q "the session daemon is gone" err.txt || fail "no clear error"
pgrep -f -- "--tag $TAG" >/dev/null && fail "the program was not reaped"
grep -q "discarded events: 0" err.txt && fail "a discarded count was invented"
if grep -q "the trace in $1/trace is incomplete" err.txt; then
	[ -d trace ] || fail "the incomplete trace is not there"
	# Readable, or refused with a clear error: never a crash.
	"$CONCTRACE" analyze -q trace >/dev/null 2>an.txt
	r=$?
	[ $r -le 1 ] || { cat an.txt; fail "analyze of the incomplete trace -> $r"; }
else
	grep -q "no trace kept" err.txt || fail "the trace is neither named incomplete nor removed"
	[ ! -e trace ] || fail "an empty trace directory was left"
fi
echo PASS
EOF
mkdir home || fail "cannot create $WORK/home"
export CONCTRACE CT_TEST_EMIT TAG
unshare --mount --propagation private sh inner.sh "$WORK"
