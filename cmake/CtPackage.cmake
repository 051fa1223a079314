# cpack -G DEB (run in the build directory): conctrace_VERSION_ARCH.deb for
# Debian bookworm, installing under /usr. Configure that build with
# -DCT_INSTALL_RPATH=OFF (Debian forbids custom RUNPATHs; /usr/lib is on the
# loader's default path). Shared-library dependencies come from
# dpkg-shlibdeps; the tools conctrace runs are declared by hand.
set(CPACK_PACKAGE_NAME conctrace)
set(CPACK_PACKAGE_VENDOR "conctrace")
set(CT_DEB_MAINTAINER "conctrace developers <conctrace-devel@example.org>" CACHE STRING
    "Maintainer field of the Debian package")
set(CPACK_PACKAGE_CONTACT "${CT_DEB_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "make concurrency visible and measurable with LTTng")
set(CPACK_PACKAGE_DESCRIPTION
    "conctrace records what the threads and processes of a program do with\n\
LTTng-UST, analyzes the traces with Babeltrace 2 (blocked time by cause,\n\
lock contention, critical path, speedup) and exports timelines for\n\
Perfetto UI. It ships an instrumented runtime, a preload library for\n\
unmodified programs and the scenario programs of the IPC labs.")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_GENERATOR DEB)
set(CPACK_DEB_COMPONENT_INSTALL OFF)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${PROJECT_SOURCE_DIR}/packaging/triggers)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "lttng-tools (>= 2.13), python3")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "babeltrace2, gnuplot-nox, liblttng-ust-dev, pkg-config")
include(CPack)
