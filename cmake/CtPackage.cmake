# cpack -G DEB (run in the build directory): conctrace_VERSION_ARCH.deb for
# Debian bookworm, installing under /usr. Configure that build with
# -DCT_INSTALL_RPATH=OFF (Debian forbids custom RUNPATHs; /usr/lib is on the
# loader's default path). Shared-library dependencies come from
# dpkg-shlibdeps; the tools conctrace runs are declared by hand.
set(CPACK_PACKAGE_NAME conctrace)
set(CPACK_PACKAGE_VENDOR "conctrace")
set(CPACK_PACKAGE_CONTACT "conctrace maintainers <conctrace@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "make concurrency visible and measurable with LTTng")
set(CPACK_PACKAGE_DESCRIPTION
    "conctrace records what the threads and processes of a program do with LTTng-UST,\n\
analyzes the traces with Babeltrace 2 (blocked time by cause, lock contention,\n\
critical path, speedup) and exports timelines for Perfetto UI. It ships an\n\
instrumented runtime, a preload library for unmodified programs and the\n\
scenario programs of the IPC and concurrency labs.")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_GENERATOR DEB)
set(CPACK_DEB_COMPONENT_INSTALL OFF)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "lttng-tools (>= 2.13), python3")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "babeltrace2, gnuplot-nox, liblttng-ust-dev, pkg-config")
include(CPack)
