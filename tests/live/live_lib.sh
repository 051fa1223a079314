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

# ct_wait_url STDERR_FILE: the net:// URL the recorder printed (waits for it).
ct_wait_url() {
	i=0
	while [ $i -lt 300 ]; do
		url=$(sed -n 's/.*live: conctrace analyze \(net:.*\)$/\1/p' "$1" | head -n 1)
		if [ -n "$url" ]; then
			echo "$url"
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
