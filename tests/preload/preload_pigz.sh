#!/bin/sh
# pigz -p 2 under the preload library: its mutexes and condvars are traced,
# every acquisition is released, its threads are there (pigz does not name
# them: roles pigz-1, pigz-2, ... from the creation order), no deadlock.
. "$CT_TEST_LIB"
ct_test_init preload_pigz
command -v pigz >/dev/null || { echo "SKIP: pigz not installed"; exit 77; }
python3 -c "
import random
r = random.Random(1)
with open('data.txt', 'w') as f:
    for i in range(200000):
        f.write('%d %s\n' % (i, ' '.join(str(r.randrange(1000)) for _ in range(8))))
"
"$CONCTRACE" record -o trace -- pigz -p 2 -k -f data.txt 2>err.txt
rc=$?
cat err.txt
[ "$rc" -eq 0 ] || fail "conctrace record exited $rc"
grep -q "preload: on" err.txt || fail "the recorder did not say it preloads"
[ -s data.txt.gz ] || fail "pigz wrote nothing"
gzip -dc data.txt.gz | cmp - data.txt || fail "pigz output differs"
ct_assert_no_session "$(ct_session_of err.txt)"
ct_bt_text trace text.txt
acq=$(grep -c ' ct_lock:acquire: ' text.txt)
rel=$(grep -c ' ct_lock:release: ' text.txt)
echo "acquire=$acq release=$rel"
[ "$acq" -gt 100 ] || fail "expected pigz's lock acquisitions, got $acq"
[ "$acq" -eq "$rel" ] || fail "acquisitions ($acq) != releases ($rel)"
grep -q ' ct_cond:wait_begin: ' text.txt || fail "no condvar waits"
"$CONCTRACE" analyze -f json -o a.json trace || fail "analyze failed"
roles=$(python3 "$CT_PRELOAD_TESTS/json_get.py" a.json "' '.join(sorted(t['role'] for t in d['threads']))")
echo "roles: $roles"
case " $roles " in *" pigz "*) ;; *) fail "main thread pigz missing: $roles" ;; esac
case " $roles " in *" pigz-1 "*) ;; *) fail "thread pigz-1 missing: $roles" ;; esac
case " $roles " in *" pigz-2 "*) ;; *) fail "thread pigz-2 missing: $roles" ;; esac
bad=$(python3 "$CT_PRELOAD_TESTS/json_get.py" a.json "sum(l['bad_releases'] for l in d['locks'])")
[ "$bad" -eq 0 ] || fail "$bad bad releases"
echo PASS
