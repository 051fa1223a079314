#!/bin/sh
# The program's exit status is conctrace record's; 128+N if killed by signal
# N; the program sees CT_RECORD_LEVEL from --level.
. "$CT_TEST_LIB"
ct_test_init record_exit_status

"$CONCTRACE" record -q -o t1 -- sh -c 'exit 3'
rc=$?
[ "$rc" -eq 3 ] || fail "sh -c 'exit 3' -> $rc, expected 3"

"$CONCTRACE" record -q -o t2 -- sh -c 'kill -TERM $$'
rc=$?
[ "$rc" -eq 143 ] || fail "program killed by SIGTERM -> $rc, expected 143"

"$CONCTRACE" record -q -o t3 --level light -- sh -c 'test "$CT_RECORD_LEVEL" = light'
rc=$?
[ "$rc" -eq 0 ] || fail "--level light: CT_RECORD_LEVEL not light in the program ($rc)"

CT_RECORD_LEVEL=light "$CONCTRACE" record -q -o t4 -- sh -c 'test "$CT_RECORD_LEVEL" = full'
rc=$?
[ "$rc" -eq 0 ] || fail "default level: CT_RECORD_LEVEL not full in the program ($rc)"
echo PASS
