#!/bin/sh
# The Babeltrace 2 plugin: sink.conctrace.report gives the same json report as
# `conctrace analyze`, sink.conctrace.perfetto writes a timeline, and a bad
# parameter fails the graph without leaving a file.
. "$CT_TEST_LIB"
ct_test_init plugin_report
: "${CT_BT_PLUGIN_DIR:?CT_BT_PLUGIN_DIR is not set}"

"$CONCTRACE" record -q -o trace -- "$CT_TEST_EMIT" --count 100 --threads 2 --tag "$TAG" \
	>rec.txt 2>&1 || { cat rec.txt; fail "conctrace record failed"; }

# The plugin is found and lists its sinks.
"$BABELTRACE2" --plugin-path="$CT_BT_PLUGIN_DIR" list-plugins >plugins.txt 2>&1 ||
	{ cat plugins.txt; fail "babeltrace2 list-plugins failed"; }
grep -q "sink.conctrace.report" plugins.txt || fail "sink.conctrace.report not listed"
grep -q "sink.conctrace.perfetto" plugins.txt || fail "sink.conctrace.perfetto not listed"

# src.ctf.fs wants the directories that hold a metadata file.
inputs=$(find "$WORK/trace" -name metadata -exec dirname {} \; | sed 's/.*/"&"/' | paste -s -d, -)
[ -n "$inputs" ] || fail "no metadata under the trace"

"$CONCTRACE" analyze -q --format json -o cli.json trace 2>err.txt || { cat err.txt; fail "analyze failed"; }
"$BABELTRACE2" --plugin-path="$CT_BT_PLUGIN_DIR" -c src.ctf.fs -p "inputs=[$inputs]" \
	-c sink.conctrace.report -p 'format="json",path="plugin.json"' >bt.txt 2>&1 ||
	{ cat bt.txt; fail "babeltrace2 with sink.conctrace.report failed"; }
[ -s plugin.json ] || fail "the plugin wrote no report"
# The trace path is unknown to a sink inside someone else's graph: compare the rest.
sed 's/"path": *"[^"]*"//g' cli.json >cli.cmp
sed 's/"path": *"[^"]*"//g' plugin.json >plugin.cmp
cmp -s cli.cmp plugin.cmp || { diff cli.cmp plugin.cmp | head -40; fail "plugin report differs from conctrace analyze"; }

"$BABELTRACE2" --plugin-path="$CT_BT_PLUGIN_DIR" -c src.ctf.fs -p "inputs=[$inputs]" \
	-c sink.conctrace.perfetto -p 'path="timeline.json"' >bt.txt 2>&1 ||
	{ cat bt.txt; fail "babeltrace2 with sink.conctrace.perfetto failed"; }
[ -s timeline.json ] || fail "the plugin wrote no timeline"
"$BABELTRACE2" --plugin-path="$CT_BT_PLUGIN_DIR" -c src.ctf.fs -p "inputs=[$inputs]" \
	-c sink.conctrace.perfetto -p 'path="timeline.bin",format="proto"' >bt.txt 2>&1 ||
	{ cat bt.txt; fail "babeltrace2 with sink.conctrace.perfetto format=proto failed"; }
[ -s timeline.bin ] || fail "the plugin wrote no native timeline"
"$CONCTRACE" analyze -q trace --perfetto cli.pftrace >/dev/null || fail "analyze --perfetto .pftrace failed"
cmp -s timeline.bin cli.pftrace || fail "the plugin's native timeline differs from conctrace analyze's"
"$BABELTRACE2" --plugin-path="$CT_BT_PLUGIN_DIR" -c src.ctf.fs -p "inputs=[$inputs]" \
	-c sink.conctrace.perfetto -p 'path="x.pftrace",format="xml"' >bt.txt 2>&1 &&
	fail "timeline format=xml was accepted"
[ ! -e x.pftrace ] || fail "a refused timeline format left a file"

# A bad parameter: the graph fails and leaves nothing.
"$BABELTRACE2" --plugin-path="$CT_BT_PLUGIN_DIR" -c src.ctf.fs -p "inputs=[$inputs]" \
	-c sink.conctrace.report -p 'format="xml",path="bad.json"' >bt.txt 2>&1 &&
	fail "format=xml was accepted"
grep -q "unknown format" bt.txt || { cat bt.txt; fail "no 'unknown format' message"; }
ls bad.json* 2>/dev/null && fail "bad.json left behind"
echo PASS
