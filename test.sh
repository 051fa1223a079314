#!/usr/bin/env bash
# Set-up command 2: install what is missing, build, and run every test.
# Runs the unit tests under AddressSanitizer+UBSan and ThreadSanitizer first,
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

ct_build build-test -DCT_WERROR=$werror || exit 1
ct_say "All tests (unit + lttng)"
(cd build-test && ctest --output-on-failure -j 2) || status=1
exit $status
