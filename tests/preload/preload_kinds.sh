#!/bin/sh
# The preload library's corner cases on a plain pthread program
# (mutex_kinds.c): recursive mutexes count their outermost level only,
# error-checking mutexes fire nothing for EDEADLK/EPERM, EOWNERDEAD is an
# acquisition (its dead holder's release never comes: 1 unmatched), no bad
# release anywhere; 50 semaphores created one after another at one address
# are 50 objects in the sems analysis; and at the light level (--level light)
# uncontended acquisitions are ct_lock:summary counts with no releases.
. "$CT_TEST_LIB"
ct_test_init preload_kinds
J="python3 $CT_PRELOAD_TESTS/json_get.py"

"$CONCTRACE" record -q -o full -- "$CT_MUTEX_KINDS" kinds >out.txt || fail "record (full) failed"
same=$(sed -n 's/^sem_same_address=//p' out.txt)
"$CONCTRACE" analyze -f json -o full.json full || fail "analyze failed"
acq=$($J full.json "sorted(l['acquisitions'] for l in d['locks'])")
echo "full: acquisitions per lock $acq"
[ "$acq" = "[2, 2, 100, 100, 4000]" ] || fail "expected [2, 2, 100, 100, 4000] (cond mutex, robust, recursive, errorcheck, shared), got $acq"
bad=$($J full.json "sum(l['bad_releases'] for l in d['locks'])")
[ "$bad" -eq 0 ] || fail "$bad bad releases"
unm=$($J full.json "sum(l['unmatched'] for l in d['locks'])")
[ "$unm" -eq 1 ] || fail "expected 1 unmatched acquisition (the robust mutex's dead holder), got $unm"
nsem=$($J full.json "len([s for s in d['sems'] if s['acquisitions'] == 1 and s['posts'] == 1])")
echo "semaphores at one address: $same, sems with 1 acquisition and 1 post: $nsem"
[ "$same" -ge 2 ] || { echo "SKIP: malloc never reused the semaphore's address"; exit 77; }
[ "$nsem" -eq 50 ] || fail "expected 50 semaphores, got $nsem"

"$CONCTRACE" record -q --level light -o light -- "$CT_MUTEX_KINDS" kinds >/dev/null || fail "record (light) failed"
ct_bt_text light light.txt
rel=$(grep -c ' ct_lock:release: ' light.txt)
acqev=$(grep -c ' ct_lock:acquire: ' light.txt)
sum=$(grep -c ' ct_lock:summary: ' light.txt)
echo "light: acquire=$acqev release=$rel summary=$sum"
[ "$sum" -gt 0 ] || fail "no ct_lock:summary at the light level"
[ "$rel" -le "$acqev" ] || fail "more releases ($rel) than traced acquisitions ($acqev)"
"$CONCTRACE" analyze -f json -o light.json light || fail "analyze failed"
tot=$($J light.json "[l['acquisitions'] for l in d['locks'] if l['acquisitions'] >= 4000]")
[ "$tot" = "[4000]" ] || fail "the shared mutex's acquisitions (traced + summarized): $tot"
summ=$($J light.json "sum(l['summarized'] for l in d['locks'])")
[ "$summ" -gt 4000 ] || fail "expected most acquisitions summarized, got $summ"
bad=$($J light.json "sum(l['bad_releases'] for l in d['locks'])")
[ "$bad" -eq 0 ] || fail "$bad bad releases at the light level"
echo PASS
