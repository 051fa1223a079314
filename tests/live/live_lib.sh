# Helpers for the live tests (source after ct_test_lib.sh).

# ct_port_listening PORT: true when something listens on 127.0.0.1:PORT or
# 0.0.0.0:PORT (read from /proc/net/tcp, no ss/netstat needed).
ct_port_listening() {
	hex=$(printf '%04X' "$1")
	awk -v p=":$hex" 'NR > 1 && $4 == "0A" && substr($2, length($2) - 4) == p { f = 1 } END { exit !f }' \
		/proc/net/tcp /proc/net/tcp6 2>/dev/null
}

# ct_pick_port: a port in 20000-59999 on which nothing listens (and not
# already picked by this shell).
ct_pick_port() {
	while :; do
		p=$(( ( $(od -An -N2 -tu2 /dev/urandom) % 40000 ) + 20000 ))
		case " ${CT_PICKED:-} " in *" $p "*) continue ;; esac
		ct_port_listening "$p" && continue
		CT_PICKED="${CT_PICKED:-} $p"
		echo "$p"
		return 0
	done
}

# ct_relayd_start OUTDIR: starts this test's own lttng-relayd on 127.0.0.1
# with free ports (RELAYD_CTRL, RELAYD_DATA, RELAYD_LIVE), writing into
# OUTDIR; RELAYD_PID is its pid. The caller's trap stops it (ct_relayd_stop).
ct_relayd_start() {
	for attempt in 1 2 3 4 5; do
		RELAYD_CTRL=$(ct_pick_port)
		RELAYD_DATA=$(ct_pick_port)
		RELAYD_LIVE=$(ct_pick_port)
		lttng-relayd -C "tcp://127.0.0.1:$RELAYD_CTRL" -D "tcp://127.0.0.1:$RELAYD_DATA" \
			-L "tcp://127.0.0.1:$RELAYD_LIVE" -o "$1" >relayd.log 2>&1 &
		RELAYD_PID=$!
		i=0
		while [ $i -lt 100 ]; do
			if ct_port_listening "$RELAYD_CTRL" && ct_port_listening "$RELAYD_DATA" &&
				ct_port_listening "$RELAYD_LIVE"; then
				return 0
			fi
			kill -0 "$RELAYD_PID" 2>/dev/null || break
			sleep 0.1
			i=$((i + 1))
		done
		ct_relayd_stop
	done
	cat relayd.log >&2
	fail "cannot start lttng-relayd on 127.0.0.1"
}

# ct_relayd_stop: stops the relay daemon started by ct_relayd_start.
ct_relayd_stop() {
	if [ -n "${RELAYD_PID:-}" ]; then
		kill "$RELAYD_PID" 2>/dev/null
		i=0
		while kill -0 "$RELAYD_PID" 2>/dev/null && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -9 "$RELAYD_PID" 2>/dev/null
		wait "$RELAYD_PID" 2>/dev/null
		RELAYD_PID=
	fi
}

# ct_wait_url STDERR_FILE [PID]: the net:// URL the recorder printed (waits
# for it, up to 30 s; gives up at once when the recorder PID has exited).
ct_wait_url() {
	i=0
	while [ $i -lt 300 ]; do
		url=$(sed -n 's/.*live: conctrace analyze \(net:.*\)$/\1/p' "$1" 2>/dev/null | head -n 1)
		if [ -n "$url" ]; then
			echo "$url"
			return 0
		fi
		if [ -n "${2:-}" ] && ! kill -0 "$2" 2>/dev/null; then
			return 1
		fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# ct_live_record_start ARGS...: in the background, conctrace record --live
# into this test's relay daemon (waiting up to 60 s for a viewer) running
# ct-test-emit ARGS, its output in rec.out and rec.err; sets rec_pid and url
# (the net:// URL it printed) and fails the test when it prints none.
ct_live_record_start() {
	"$CONCTRACE" record --live --relayd "tcp://127.0.0.1:$RELAYD_CTRL:$RELAYD_DATA" \
		--live-port "$RELAYD_LIVE" --wait-viewer=60 -- "$CT_TEST_EMIT" "$@" >rec.out 2>rec.err &
	rec_pid=$!
	url=$(ct_wait_url rec.err "$rec_pid") || {
		cat rec.err
		fail "the recorder printed no net:// URL"
	}
}

# Every conctrace run of the live tests is bounded: a hang fails within
# CT_LIVE_TIMEOUT seconds with the logs and the stuck processes' stacks,
# well before ctest's own timeout.
CT_LIVE_TIMEOUT=${CT_LIVE_TIMEOUT:-90}

# ct_live_descendants PID: PID and all its descendants (from /proc).
ct_live_descendants() {
	echo "$1"
	for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
		ct_live_descendants "$c"
	done
}

# ct_live_wait PID WHAT [SECONDS]: waits for the background PID (at most
# SECONDS, default CT_LIVE_TIMEOUT) and returns its exit status. When it is
# still running then: prints what runs (and its threads' stacks when gdb is
# installed), stops it (SIGTERM, then SIGKILL 10 s later) and returns 124.
ct_live_wait() {
	limit=$(( ${3:-$CT_LIVE_TIMEOUT} * 10 ))
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt "$limit" ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if kill -0 "$1" 2>/dev/null; then
		echo "TIMEOUT: $2 (pid $1) still runs after $((limit / 10)) s; its processes:" >&2
		stuck=$(ct_live_descendants "$1")
		for p in $stuck; do
			echo "  $p: $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)" >&2
		done
		if command -v gdb >/dev/null 2>&1; then
			for p in $stuck; do
				echo "--- stacks of $p" >&2
				timeout 30 gdb -p "$p" -batch -ex 'thread apply all bt' 2>&1 |
					grep -e '^Thread' -e '^#' >&2
			done
		fi
		kill -TERM "$1" 2>/dev/null
		i=0
		while kill -0 "$1" 2>/dev/null && [ $i -lt 100 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		for p in $stuck; do
			kill -KILL "$p" 2>/dev/null
		done
		wait "$1" 2>/dev/null
		return 124
	fi
	wait "$1"
}

# ct_live_run WHAT OUT ERR CMD...: runs CMD with its stdout into file OUT and
# its stderr into file ERR, bounded like ct_live_wait; its exit status, 124
# on timeout.
ct_live_run() {
	what=$1
	out=$2
	err=$3
	shift 3
	"$@" >"$out" 2>"$err" &
	ct_live_wait $! "$what"
}

# ct_live_on_exit: the live tests' EXIT trap: on failure, the logs of the
# work directory (recorder, analyzer, relay daemon) and the relay daemon's
# sessions; then stops the relay daemon.
ct_live_on_exit() {
	rc=$?
	if [ "$rc" -ne 0 ] && [ -n "${WORK:-}" ]; then
		for f in "$WORK"/*.err "$WORK"/relayd.log; do
			[ -s "$f" ] || continue
			echo "----- ${f##*/} (last 40 lines)" >&2
			tail -n 40 "$f" >&2
		done
		if [ -n "${RELAYD_LIVE:-}" ] && [ -n "${RELAYD_PID:-}" ]; then
			echo "----- sessions of the relay daemon" >&2
			timeout 20 babeltrace2 query src.ctf.lttng-live sessions \
				-p "url=\"net://127.0.0.1:$RELAYD_LIVE\"" >&2 2>&1
		fi
	fi
	ct_relayd_stop
	exit "$rc"
}
