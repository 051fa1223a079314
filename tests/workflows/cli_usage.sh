#!/bin/sh
# conctrace list, and every usage error of run and sweep: refused with a clear
# message and exit status 2 before anything is recorded or created.
. "$CT_TEST_LIB"
ct_test_init workflows_cli_usage

expect() { # expect STATUS PATTERN -- ARGS...: status and a stdout/stderr line
	want=$1
	pat=$2
	shift 3
	"$CONCTRACE" "$@" >out.txt 2>&1
	rc=$?
	[ "$rc" -eq "$want" ] || { cat out.txt; fail "conctrace $* -> $rc, expected $want"; }
	grep -q -- "$pat" out.txt || { cat out.txt; fail "conctrace $*: no line matching '$pat'"; }
}

# list: one line per scenario with its lab task; all of them are built here.
"$CONCTRACE" list >list.txt 2>&1 || { cat list.txt; fail "conctrace list failed"; }
[ "$(grep -c . list.txt)" -eq 14 ] || { cat list.txt; fail "list: expected 14 lines"; }
for s in task1a task1b task2a task2b primes scaling sharedlist py-task1a py-task1b py-task2a \
	py-task2b py-primes py-scaling py-sharedlist; do
	grep -q "^$s  *lab 00[0-9]" list.txt || { cat list.txt; fail "list: no line for $s"; }
done
grep -q "^task2a .*Task 2A *sweep" list.txt || fail "list: task2a not marked sweep"
grep -q "^primes .*Hacker's edition" list.txt || fail "list: primes lab task"
! grep -q "not built" list.txt || fail "list: a scenario is reported not built"
expect 0 "^  list " -- --help
expect 0 "^  run " -- --help
expect 0 "^  sweep " -- --help
expect 0 "^Usage: conctrace list" -- list --help
expect 2 "unexpected argument 'x'" -- list x

# run
expect 0 "^Usage: conctrace run" -- run --help
expect 0 "^Usage: conctrace run" -- help run
expect 0 "^Usage: conctrace run" -- run task1a --help
expect 2 "no SCENARIO given" -- run
expect 2 "unknown scenario 'nope' (scenarios: task1a, task1b, task2a, task2b, primes, scaling, sharedlist" -- run nope
expect 2 "unknown option '--mode'" -- run --mode fixed task1a
expect 2 "invalid --level 'medium'" -- run task1a --level medium
expect 2 "option '-o' needs a value" -- run task1a -o
mkdir taken && echo x >taken/f
expect 1 "Output directory exists: path=taken (choose another -o DIR, or use --force" -- run task1a -o taken
expect 1 "does not look like a conctrace run" -- run task1a -o taken --force
[ "$(ls taken)" = f ] || fail "a refused directory was modified"

# sweep
expect 0 "^Usage: conctrace sweep" -- sweep --help
expect 2 "no SCENARIO given" -- sweep --workers 1,2
expect 2 "unknown scenario 'nope' (scenarios: task1a" -- sweep nope --workers 1,2
expect 2 "--workers LIST is required" -- sweep primes
expect 2 "invalid --workers '0': worker counts must be at least 1" -- sweep primes --workers 0
expect 2 "invalid --workers 'a,b': 'a' is not a worker count" -- sweep primes --workers a,b
expect 2 "invalid --workers '': expected a comma list" -- sweep primes --workers ""
expect 2 "invalid --workers '1,2,2': 2 appears twice" -- sweep primes --workers 1,2,2
expect 2 "invalid --workers '1,,4': empty item" -- sweep primes --workers 1,,4
expect 2 "invalid --workers '1,999'" -- sweep scaling --workers 1,999
expect 2 "must include 1 for task2b" -- sweep task2b --workers 2,4
expect 2 "scenario task1a has no worker count to sweep (scenarios with one: task2a, task2b, primes, scaling, py-task2a, py-task2b, py-primes, py-scaling)" -- sweep task1a --workers 1,2
expect 2 "unknown model 'bogus' for scaling" -- sweep scaling --workers 1,2 --models threads,bogus
expect 2 "'threads' appears twice" -- sweep scaling --workers 1,2 --models threads,threads
expect 2 "scenario option '--gil' is set by the sweep itself" -- sweep primes --workers 1,2 --gil
expect 2 "scenario option '--num-threads' is set by the sweep itself" -- sweep task2a --workers 1,2 -- --num-threads 3
expect 2 "invalid --repeat '0'" -- sweep primes --workers 1,2 --repeat 0
expect 1 "Output directory exists: path=taken" -- sweep primes --workers 1,2 -o taken
[ ! -e conctrace-runs ] || fail "a refused command created conctrace-runs/"
[ -z "$(ls -d taken.* 2>/dev/null)" ] || fail "a refused command left a temporary directory"
echo PASS
