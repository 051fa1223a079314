#!/bin/sh
# Output directory rules: an existing non-empty directory is refused (and left
# untouched) unless --force; the default is ./conctrace-traces/PROG-STAMP.
. "$CT_TEST_LIB"
ct_test_init record_output_dir

mkdir full
echo keep >full/notes.txt
"$CONCTRACE" record -o full -- "$CT_TEST_EMIT" --count 1 --tag "$TAG" 2>err.txt
rc=$?
cat err.txt
[ "$rc" -ne 0 ] || fail "an existing non-empty directory was accepted"
grep -q "Output directory is not empty" err.txt || fail "no clear message"
[ "$(ls full)" = "notes.txt" ] || fail "the refused directory was modified"

# --force records into it; a second --force replaces the first trace.
"$CONCTRACE" record -q --force -o full -- "$CT_TEST_EMIT" --count 3 --tag "$TAG-a" ||
	fail "--force record failed"
"$CONCTRACE" record -q --force -o full -- "$CT_TEST_EMIT" --count 4 --tag "$TAG-b" ||
	fail "second --force record failed"
[ -e full/notes.txt ] || fail "--force removed a file that is not a trace"
ct_bt_text full text.txt
[ -z "$(ct_vpids_of_tag text.txt "$TAG-a")" ] || fail "--force kept the earlier trace"
vpids=$(ct_vpids_of_tag text.txt "$TAG-b")
n=$(ct_count_events text.txt ct_lock:acquire $vpids)
[ "$n" -eq 4 ] || fail "expected 4 ct_lock:acquire after --force, got $n"

# An empty existing directory is fine.
mkdir empty
"$CONCTRACE" record -q -o empty -- true || fail "an empty directory was refused"

# Default directory.
"$CONCTRACE" record -q -- "$CT_TEST_EMIT" --count 1 --tag "$TAG-d" || fail "default dir record failed"
d=$(ls -d conctrace-traces/ct-test-emit-2*) || fail "no default trace directory"
[ "$(echo "$d" | grep -c .)" -eq 1 ] || fail "unexpected default directories: $d"
ct_bt_text "$d" text-d.txt
[ -n "$(ct_vpids_of_tag text-d.txt "$TAG-d")" ] || fail "default directory holds no events of ours"
echo PASS
