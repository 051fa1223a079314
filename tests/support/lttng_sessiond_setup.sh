#!/bin/sh
# CTest fixture lttng_sessiond (setup): makes sure an LTTng session daemon
# answers, starting `lttng-sessiond --daemonize --no-kernel` if none does.
# Safe to run concurrently with another starter: it only waits for an answer.
set -u

alive() {
	lttng list >/dev/null 2>&1
}

if ! command -v lttng >/dev/null 2>&1 || ! command -v lttng-sessiond >/dev/null 2>&1; then
	echo "lttng_sessiond fixture: lttng / lttng-sessiond not found: install lttng-tools" >&2
	exit 1
fi

if alive; then
	echo "lttng_sessiond fixture: a session daemon is already running"
	exit 0
fi

echo "lttng_sessiond fixture: no session daemon answered: starting lttng-sessiond --daemonize --no-kernel"
# Another process may start one at the same time: then this one fails, and we
# wait for the other's to answer.
# Its output goes to a file: a daemon holding CTest's output pipe open would
# make CTest wait for it.
log=$(mktemp "${TMPDIR:-/tmp}/ct-sessiond-XXXXXX.log") || exit 1
if ! lttng-sessiond --daemonize --no-kernel </dev/null >"$log" 2>&1; then
	echo "lttng_sessiond fixture: lttng-sessiond failed (another one may be starting):"
	cat "$log"
fi
rm -f "$log"

i=0
while [ $i -lt 150 ]; do
	if alive; then
		echo "lttng_sessiond fixture: session daemon answers"
		exit 0
	fi
	sleep 0.1
	i=$((i + 1))
done
echo "lttng_sessiond fixture: no session daemon answers after 15 s" >&2
exit 1
