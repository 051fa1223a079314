#!/bin/bash
# cmake --install into a fresh prefix gives the design's layout, and a user
# needs nothing of the build tree: the installed conctrace runs its scenarios
# from libexec/, finds its libraries and plugin; a program built outside the
# source tree with pkg-config and with find_package(conctrace) is recorded and
# analyzed by the installed conctrace; man pages and `conctrace help CMD` say
# the same; bash completion offers subcommands, options and scenarios.
. "$CT_TEST_LIB"
ct_test_init install_tree
: "${CT_BUILD_DIR:?}" "${CT_SOURCE_DIR:?}"
P=$WORK/prefix

cmake --install "$CT_BUILD_DIR" --prefix "$P" >install.log 2>&1 || { cat install.log; fail "cmake --install failed"; }
for f in bin/conctrace lib/libconctrace-rt.so lib/libconctrace-tp.so lib/libconctrace-rt.so.0 \
	lib/libconctrace-tp.so.0 lib/babeltrace2/plugins/babeltrace-plugin-conctrace.so \
	libexec/conctrace/task1a libexec/conctrace/primes include/conctrace/ct.h include/conctrace/tp.h \
	lib/pkgconfig/conctrace-rt.pc lib/cmake/conctrace/conctrace-config.cmake \
	share/man/man1/conctrace.1.gz share/man/man1/conctrace-record.1.gz share/man/man1/conctrace-analyze.1.gz \
	share/man/man1/conctrace-run.1.gz share/man/man1/conctrace-sweep.1.gz share/man/man1/conctrace-dump.1.gz \
	share/man/man1/conctrace-list.1.gz share/bash-completion/completions/conctrace \
	share/doc/conctrace/README.md; do
	[ -e "$P/$f" ] || fail "installed tree lacks $f"
done
if [ -e "$CT_BUILD_DIR/lib/libconctrace-preload.so" ]; then
	[ -e "$P/lib/libconctrace-preload.so" ] ||
		fail "installed tree lacks the preload library"
fi
for l in rt tp; do
	soname=$(readelf -d "$P/lib/libconctrace-$l.so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
	[ "$soname" = "libconctrace-$l.so.0" ] || fail "libconctrace-$l.so has SONAME '$soname'"
done

C="$P/bin/conctrace"
"$C" --version >version.txt || fail "conctrace --version failed"
cat version.txt
grep -Eq '^conctrace [0-9]+\.[0-9]+\.[0-9]+ \(commit [0-9a-f+a-z]+\)' version.txt || fail "--version lacks version/commit"
grep -Eq 'LTTng-UST +[0-9]' version.txt && grep -Eq 'lttng-ctl +[0-9]' version.txt &&
	grep -Eq 'Babeltrace 2 +[0-9]' version.txt || fail "--version lacks a library version"
"$C" list >list.txt || fail "installed conctrace list failed"
grep -q 'not built' list.txt && fail "installed conctrace list says a scenario is not built: $(cat list.txt)"

# Man pages are the commands' help.
for c in record analyze run sweep dump list; do
	"$C" help "$c" >"help-$c.txt" || fail "conctrace help $c failed"
	for o in $(grep -o -- '--[a-z][a-z0-9-]*' "help-$c.txt" | sort -u); do
		grep -q -- "$(printf '%s' "$o" | sed 's/-/\\\\-/g')" <(zcat "$P/share/man/man1/conctrace-$c.1.gz") ||
			fail "conctrace-$c.1 lacks option $o"
	done
	if command -v man >/dev/null; then
		MANWIDTH=80 man -l "$P/share/man/man1/conctrace-$c.1.gz" >"man-$c.txt" 2>man.err ||
			fail "man cannot render conctrace-$c.1: $(cat man.err)"
		grep -q "SYNOPSIS" "man-$c.txt" || fail "conctrace-$c.1 has no SYNOPSIS"
	fi
done

# Bash completion: subcommands, options, scenarios.
complete_words() { # LINE...: what the completion offers for the words given
	bash -c '
		. "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_conctrace; printf "%s\n" "${COMPREPLY[@]}"' _ "$P/share/bash-completion/completions/conctrace" "$@"
}
complete_words "$C" r | grep -qx record || fail "completion does not offer 'record' for 'r'"
complete_words "$C" run ta | grep -qx task2a || fail "completion does not offer task2a after 'run'"
complete_words "$C" record --ou | grep -qx -- --output || fail "completion does not offer --output for 'record --ou'"

# The installed conctrace runs a scenario from libexec/ with no build tree.
(cd "$WORK" && env -u LD_LIBRARY_PATH "$C" run task1a --mode fixed --chunks 10 --consumer-delay-ms 1 \
	-o "$WORK/run-task1a" >run.txt 2>&1) || { cat run.txt; fail "installed conctrace run task1a failed"; }
python3 - "$WORK/run-task1a/report.json" <<'PY' || fail "installed run's report is wrong"
import json, sys
r = json.load(open(sys.argv[1]))
assert any(x["scenario"] == "task1a" and x["status"] == 0 for x in r["runs"]), r["runs"]
assert r["tool"]["name"] == "conctrace" and r["tool"]["version"], r.get("tool")
PY

# A user's program, built outside the source tree, two ways.
mkdir -p user-pc user-cmake || fail "mkdir"
cp "$CT_SOURCE_DIR/tests/install/user/user.c" user-pc/ || fail "cp"
(cd user-pc && PKG_CONFIG_PATH="$P/lib/pkgconfig" sh -c \
	'cc -o user user.c $(pkg-config --cflags --libs conctrace-rt) -Wl,-rpath,'"$P"'/lib') \
	>pc.log 2>&1 || { cat pc.log; fail "building with pkg-config conctrace-rt failed"; }
cmake -S "$CT_SOURCE_DIR/tests/install/user" -B user-cmake -DCMAKE_PREFIX_PATH="$P" \
	-DCMAKE_BUILD_RPATH="$P/lib" >cmake.log 2>&1 && cmake --build user-cmake >>cmake.log 2>&1 ||
	{ cat cmake.log; fail "building with find_package(conctrace) failed"; }
for u in user-pc/user user-cmake/user; do
	name=$(dirname "$u")
	"$C" record -o "$WORK/trace-$name" -- "./$u" >"rec-$name.txt" 2>&1 ||
		{ cat "rec-$name.txt"; fail "installed conctrace record ./$u failed"; }
	"$C" analyze "$WORK/trace-$name" --format json -o "an-$name.json" 2>"an-$name.err" ||
		{ cat "an-$name.err"; fail "installed conctrace analyze of $u failed"; }
	python3 - "an-$name.json" <<'PY' || fail "the report of $u is wrong"
import json, sys
r = json.load(open(sys.argv[1]))
assert [x for x in r["runs"] if x["scenario"] == "user" and x["workers"] == 2], r["runs"]
locks = [l for l in r["locks"] if l.get("lock") == "user.lock"]
assert locks and locks[0]["acquisitions"] >= 2000, r["locks"]
PY
done
echo "install tree: OK"
