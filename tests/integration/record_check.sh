#!/bin/sh
# record_check.sh NAME PARAMS CHECKS [RECORD_OPTIONS...] -- PROGRAM ARGS...
#
# Records the scenario PROGRAM with `conctrace record`, analyzes the trace
# (json report) and dumps it, then runs ct_inv_check with the checks CHECKS
# (a comma-separated list) on the runs whose params are exactly PARAMS.
. "$CT_TEST_LIB"
. "$CT_INV_LIB"
name=$1
params=$2
checks=$3
shift 3
ct_test_init "$name"
inv_record . "$@"
while [ "$1" != -- ]; do
	shift
done
scenario=$2
old_ifs=$IFS
IFS=,
# shellcheck disable=SC2086 # split the checks on commas
set -- $checks
IFS=$old_ifs
inv_check . "$scenario" "$params" "$@"
echo PASS
