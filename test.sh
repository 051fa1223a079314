#!/usr/bin/env bash
# Set-up command 2: install what is missing, build, and run every test.
# Runs the unit tests under AddressSanitizer+UBSan and ThreadSanitizer first,
# then the fuzz targets for a bounded time (ctest -L fuzz, clang build),
# then the whole suite (unit + lttng) in the normal build; ends with ctest's
# summary line of that last run. With CI=true warnings are errors (-Werror).
set -uo pipefail
. "$(dirname "$0")/cmake/bootstrap.sh"
cd "$CT_TOP"

ct_install_deps || exit 1
status=0
werror=OFF
# The .deb test also installs the package with apt and purges it (CI machines are fresh).
[ "${CI:-}" = true ] && export CT_TEST_DEB_INSTALL=1
[ "${CI:-}" = true ] && werror=ON

for san in address thread; do
	ct_build "build-test-$san" -DCT_WERROR=$werror -DCT_SANITIZE=$san || exit 1
	ct_say "Unit tests under CT_SANITIZE=$san"
	(cd "build-test-$san" && ctest -L unit --output-on-failure -j 2) || status=1
done

# The fuzz targets (tests/reliability/fuzz): libFuzzer needs clang; only the
# two targets are built. Each runs CT_FUZZ_SECONDS (default 60).
ct_say "Fuzzing (clang-14, ASan+UBSan): ${CT_FUZZ_SECONDS:-60} s per target"
mkdir -p build-test-fuzz &&
	CC=clang-14 cmake -S "$CT_TOP" -B build-test-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DCT_WERROR=$werror -DCT_SANITIZE=address -DCT_FUZZ=ON \
		-DCT_FUZZ_SECONDS="${CT_FUZZ_SECONDS:-60}" >build-test-fuzz/configure.log 2>&1 &&
	cmake --build build-test-fuzz -j "$(nproc)" --target fuzz_events fuzz_ctf || exit 1
(cd build-test-fuzz && ctest -L fuzz --output-on-failure) || status=1

ct_build build-test -DCT_WERROR=$werror || exit 1
ct_say "All tests (unit + lttng)"
(cd build-test && ctest --output-on-failure -j 2) || status=1
exit $status
