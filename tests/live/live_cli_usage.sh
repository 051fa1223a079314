#!/bin/sh
# Usage errors of the live options: exit 2, a message naming the problem,
# nothing created, no session daemon or relay daemon contacted.
. "$CT_TEST_LIB"
ct_test_init live_cli_usage

# usage_case EXPECTED_MESSAGE ARGS...: conctrace record ARGS exits 2 with it.
usage_case() {
	msg=$1
	shift
	"$CONCTRACE" record "$@" >out.txt 2>err.txt
	rc=$?
	[ "$rc" -eq 2 ] || {
		cat err.txt
		fail "record $* exited $rc (expected 2)"
	}
	grep -q -F -- "$msg" err.txt || {
		cat err.txt
		fail "record $*: no message '$msg'"
	}
	[ "$(ls -A | grep -v -e '^out.txt$' -e '^err.txt$')" = "" ] || fail "record $* created files"
}

usage_case "--live-port, --live-timer and --wait-viewer need --live" \
	--live-timer 50 -- "$CT_TEST_EMIT"
usage_case "--live-port, --live-timer and --wait-viewer need --live" \
	--wait-viewer -- "$CT_TEST_EMIT"
usage_case "--live-port needs --relayd" --live --live-port 6000 -- "$CT_TEST_EMIT"
usage_case "-o does not apply with --relayd" --relayd tcp://127.0.0.1 -o tr -- "$CT_TEST_EMIT"
usage_case "invalid --live-port '70000'" --relayd tcp://127.0.0.1 --live-port 70000 -- "$CT_TEST_EMIT"
usage_case "invalid --live-timer '0'" --live --live-timer 0 -- "$CT_TEST_EMIT"
usage_case "invalid --wait-viewer 'soon'" --live --wait-viewer=soon -- "$CT_TEST_EMIT"
usage_case "--relayd needs a URL" --relayd "" -- "$CT_TEST_EMIT"
usage_case "Invalid relay daemon URL: url=file:///tmp/x" --relayd file:///tmp/x -- "$CT_TEST_EMIT"
usage_case "Invalid relay daemon URL: url=tcp://127.0.0.1:1:2:3" --relayd tcp://127.0.0.1:1:2:3 \
	-- "$CT_TEST_EMIT"
usage_case "Invalid relay daemon URL: url=tcp://:5342" --relayd tcp://:5342 -- "$CT_TEST_EMIT"

"$CONCTRACE" record --help >help.txt 2>&1 || fail "record --help failed"
for opt in --live --relayd --live-port --live-timer --wait-viewer; do
	grep -q -- "$opt" help.txt || fail "record --help does not mention $opt"
done
echo PASS
