#!/bin/sh
# With no session daemon answering, the recorder starts one and says so; two
# recorders starting at once both succeed (one of them loses the race to
# start the daemon and waits for the other's).
#
# The shared daemon of this machine must not be stopped, so this runs in a
# private mount namespace where /var/run/lttng and /dev/shm are empty tmpfs:
# no daemon answers there. The daemon started inside is stopped at the end.
# Exits 77 (skipped) when unshare/mount are not permitted (not root).
. "$CT_TEST_LIB"
ct_test_init record_starts_sessiond

command -v unshare >/dev/null 2>&1 || { echo "SKIP: no unshare"; exit 77; }
export TAG
unshare -m --propagation private sh -c '
	mount -t tmpfs ct-test-lttng-run /var/run/lttng 2>/dev/null &&
		mount -t tmpfs ct-test-lttng-shm /dev/shm 2>/dev/null || exit 77
	if lttng list >/dev/null 2>&1; then
		echo "FAIL: a session daemon answers in the private namespace" >&2
		exit 1
	fi
	"$CONCTRACE" record -o t1 -- "$CT_TEST_EMIT" --count 5 --tag "$TAG-1" 2>err1.txt &
	p1=$!
	"$CONCTRACE" record -o t2 -- "$CT_TEST_EMIT" --count 7 --tag "$TAG-2" 2>err2.txt &
	p2=$!
	wait $p1
	echo $? >rc1
	wait $p2
	echo $? >rc2
	lttng list >list.txt 2>&1
	# Stop the daemon started in this namespace (and only it).
	if [ -s /var/run/lttng/lttng-sessiond.pid ]; then
		pid=$(cat /var/run/lttng/lttng-sessiond.pid)
		kill -TERM "$pid"
		i=0
		while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -0 "$pid" 2>/dev/null && { kill -KILL "$pid"; echo "FAIL: sessiond did not stop" >&2; exit 1; }
	else
		echo "FAIL: no lttng-sessiond pid file in the namespace" >&2
		exit 1
	fi
	exit 0
'
rc=$?
[ "$rc" -eq 77 ] && { echo "SKIP: cannot create a private mount namespace"; exit 77; }
cat err1.txt err2.txt
[ "$rc" -eq 0 ] || fail "namespace part failed ($rc)"
[ "$(cat rc1)" -eq 0 ] || fail "first recorder exited $(cat rc1)"
[ "$(cat rc2)" -eq 0 ] || fail "second recorder exited $(cat rc2)"
cat err1.txt err2.txt | grep -q "no LTTng session daemon answered: starting one" ||
	fail "neither recorder said it started a session daemon"
grep -q "Currently no available recording session" list.txt ||
	{ cat list.txt; fail "sessions were left behind"; }
ct_bt_text t1 text1.txt
ct_bt_text t2 text2.txt
n=$(ct_count_events text1.txt ct_lock:acquire $(ct_vpids_of_tag text1.txt "$TAG-1"))
[ "$n" -eq 5 ] || fail "first trace: expected 5 ct_lock:acquire, got $n"
n=$(ct_count_events text2.txt ct_lock:acquire $(ct_vpids_of_tag text2.txt "$TAG-2"))
[ "$n" -eq 7 ] || fail "second trace: expected 7 ct_lock:acquire, got $n"
echo PASS
