#!/bin/sh
# Record a scenario, export its timeline, validate it and check that it has an
# arrow of the given kind across processes; export it in the native format
# too, decode that with protoc and compare it with the JSON.
# Usage: scenario_timeline.sh BINDIR WORKDIR NAME FLOWKIND -- PROG ARGS...
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bindir=$1 work=$2 name=$3 kind=$4
shift 5
rm -rf "$work/$name" "$work/$name.json" "$work/$name.pftrace"
mkdir -p "$work"
"$bindir/conctrace" record -o "$work/$name" -- "$bindir/$@"
"$bindir/conctrace" analyze -q "$work/$name" --perfetto "$work/$name.json" >/dev/null
test -s "$work/$name.json"
"$bindir/test_perfetto" "$bindir/ct_pf_validate" "$work/$name.json" file-flow "$kind"
"$bindir/conctrace" analyze -q "$work/$name" --perfetto "$work/$name.pftrace" >/dev/null
python3 "$here/pftrace_check.py" "$here/ct_pftrace.proto" "$work/$name.pftrace" "$work/$name.json"
