#!/bin/bash
# cpack -G DEB builds conctrace_VERSION_ARCH.deb from a fresh build configured
# for /usr without custom RUNPATHs: its files are the installed layout, its
# dependencies are declared, lintian finds no error (where lintian exists),
# and the unpacked package records and analyzes a scenario. As root with
# CT_TEST_DEB_INSTALL=1 (set by ./test.sh under CI), it is also installed
# with `apt install ./conctrace_*.deb`, smoke-tested from /usr and purged.
. "$CT_TEST_LIB"
ct_test_init deb_package
: "${CT_SOURCE_DIR:?}"
B=$WORK/build

cmake -S "$CT_SOURCE_DIR" -B "$B" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=/usr \
	-DCT_INSTALL_RPATH=OFF >configure.log 2>&1 || { cat configure.log; fail "configure failed"; }
cmake --build "$B" -j "$(nproc)" >build.log 2>&1 || { tail -50 build.log; fail "build failed"; }
(cd "$B" && cpack -G DEB) >cpack.log 2>&1 || { cat cpack.log; fail "cpack -G DEB failed"; }
deb=$(ls "$B"/conctrace_*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || fail "no conctrace_*.deb in $B: $(cat cpack.log)"
echo "package: $deb"

dpkg-deb -I "$deb" >info.txt || fail "dpkg-deb -I failed"
cat info.txt
dpkg-deb -c "$deb" >files.txt || fail "dpkg-deb -c failed"
for f in ./usr/bin/conctrace ./usr/lib/libconctrace-rt.so.0 ./usr/lib/libconctrace-tp.so.0 \
	./usr/lib/babeltrace2/plugins/babeltrace-plugin-conctrace.so ./usr/libexec/conctrace/task1a \
	./usr/include/conctrace/ct.h ./usr/lib/pkgconfig/conctrace-rt.pc \
	./usr/lib/cmake/conctrace/conctrace-config.cmake ./usr/share/man/man1/conctrace-record.1.gz \
	./usr/share/bash-completion/completions/conctrace ./usr/share/doc/conctrace/copyright; do
	grep -q " $f\( \|$\)" files.txt || fail "the package lacks $f"
done
depends=$(sed -n 's/^ Depends: //p' info.txt)
for d in liblttng-ust1 liblttng-ctl0 libbabeltrace2-0 libjansson4 lttng-tools libc6; do
	printf '%s\n' "$depends" | grep -q "\b$d\b" || fail "Depends lacks $d: $depends"
done
if readelf -d "$B/bin/conctrace" | grep -q 'R\(UN\)\?PATH'; then
	fail "the packaged conctrace has a RUNPATH"
fi

if command -v lintian >/dev/null; then
	lintian --no-tag-display-limit "$deb" >lintian.txt 2>&1
	cat lintian.txt
	if grep -q '^E:' lintian.txt; then
		fail "lintian reports errors"
	fi
else
	echo "lintian: not installed, skipped"
fi

# The unpacked package works (libraries from its own usr/lib).
X=$WORK/x
dpkg -x "$deb" "$X" || fail "dpkg -x failed"
LD_LIBRARY_PATH=$X/usr/lib "$X/usr/bin/conctrace" --version || fail "unpacked conctrace --version failed"
LD_LIBRARY_PATH=$X/usr/lib "$X/usr/bin/conctrace" run task1a --mode fixed --chunks 10 \
	--consumer-delay-ms 1 -o "$WORK/run-x" >run-x.txt 2>&1 || { cat run-x.txt; fail "unpacked conctrace run failed"; }
[ -s "$WORK/run-x/report.json" ] || fail "unpacked conctrace run wrote no report"

if [ "${CT_TEST_DEB_INSTALL:-0}" = 1 ] && [ "$(id -u)" = 0 ]; then
	if dpkg-query -W -f='${Status}' conctrace 2>/dev/null | grep -q 'install ok installed'; then
		echo "apt install: a conctrace package is installed already, skipped"
	else
		trap 'DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq conctrace >/dev/null 2>&1' EXIT
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$deb" \
			>apt.log 2>&1 || { cat apt.log; fail "apt install ./$(basename "$deb") failed"; }
		/usr/bin/conctrace run task1a --mode broken -o "$WORK/run-usr" >run-usr.txt 2>&1
		rc=$?
		cat run-usr.txt
		[ -s "$WORK/run-usr/report.json" ] || fail "installed conctrace run wrote no report (rc $rc)"
		/usr/bin/conctrace analyze "$WORK/run-usr/trace" --format json -o usr.json ||
			fail "installed conctrace analyze failed"
		man -w conctrace-record >/dev/null 2>&1 || ! command -v man >/dev/null ||
			fail "man conctrace-record is not found after install"
		echo "apt install + smoke test: OK"
	fi
else
	echo "apt install: skipped (set CT_TEST_DEB_INSTALL=1 as root)"
fi
echo "deb package: OK"
