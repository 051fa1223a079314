# cmake --install BUILD --prefix P: the layout of design.md "Installed layout".
#
#   P/bin/conctrace
#   P/lib/libconctrace-{tp,rt,preload}.so.V (SONAME .so.MAJOR, dev link .so)
#   P/lib/babeltrace2/plugins/babeltrace-plugin-conctrace.so (--plugin-path)
#   P/libexec/conctrace/         the scenario programs (C), python/ (the labs' Python programs)
#   P/include/conctrace/         public headers of the runtime and the tracepoint provider
#   P/lib/pkgconfig/conctrace-rt.pc, P/lib/cmake/conctrace/ (find_package(conctrace))
#   P/share/man/man1/, P/share/bash-completion/completions/conctrace, P/share/doc/conctrace/
#
# The installed conctrace finds everything relative to itself (../lib,
# ../libexec/conctrace), as it does in the build tree (bin/ beside lib/).
# CT_INSTALL_RPATH (default ON) gives installed programs $ORIGIN-relative
# RUNPATHs so any prefix works; the Debian package turns it off (/usr/lib is
# on the loader's default path, and Debian policy forbids custom RUNPATHs).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

option(CT_INSTALL_RPATH "Give installed programs \$ORIGIN-relative RUNPATHs" ON)
set(CT_INSTALL_LIBDIR lib)
set(CT_INSTALL_LIBEXECDIR libexec/conctrace)
set(CT_INSTALL_PLUGINDIR lib/babeltrace2/plugins)
set(CT_INSTALL_CMAKEDIR lib/cmake/conctrace)
set(CT_INSTALL_DOCDIR share/doc/conctrace)

# Libraries that programs link: versioned, with SONAMEs. The preload library
# is loaded by path (LD_PRELOAD), never linked: one unversioned file.
set(ct_libs conctrace_tp conctrace_rt)
foreach(t IN LISTS ct_libs)
  set_target_properties(${t} PROPERTIES VERSION ${PROJECT_VERSION}
                                        SOVERSION ${PROJECT_VERSION_MAJOR})
endforeach()
if(TARGET conctrace_preload)
  list(APPEND ct_libs conctrace_preload)
endif()
if(CT_INSTALL_RPATH)
  set_target_properties(conctrace PROPERTIES INSTALL_RPATH "\$ORIGIN/../${CT_INSTALL_LIBDIR}")
  foreach(t IN LISTS ct_libs)
    set_target_properties(${t} PROPERTIES INSTALL_RPATH "\$ORIGIN")
  endforeach()
endif()

install(TARGETS conctrace RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
install(TARGETS conctrace_tp conctrace_rt EXPORT conctrace-targets
        LIBRARY DESTINATION ${CT_INSTALL_LIBDIR} COMPONENT runtime NAMELINK_COMPONENT dev)
if(TARGET conctrace_preload)
  install(TARGETS conctrace_preload LIBRARY DESTINATION ${CT_INSTALL_LIBDIR} COMPONENT runtime)
endif()
install(TARGETS conctrace_bt_plugin LIBRARY DESTINATION ${CT_INSTALL_PLUGINDIR}
        COMPONENT runtime)

# Scenario programs (C) and the labs' Python programs.
get_property(ct_scenarios GLOBAL PROPERTY CT_SCENARIOS)
foreach(s IN LISTS ct_scenarios)
  if(CT_INSTALL_RPATH)
    set_target_properties(${s} PROPERTIES INSTALL_RPATH "\$ORIGIN/../../${CT_INSTALL_LIBDIR}")
  endif()
  install(TARGETS ${s} RUNTIME DESTINATION ${CT_INSTALL_LIBEXECDIR} COMPONENT runtime)
endforeach()
get_property(ct_py GLOBAL PROPERTY CT_PY_SCENARIO_FILES)
if(ct_py)
  install(FILES ${ct_py} DESTINATION ${CT_INSTALL_LIBEXECDIR}/python COMPONENT runtime)
endif()

# Headers for programs instrumented against the runtime.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/runtime/include/conctrace
                  ${PROJECT_SOURCE_DIR}/tracepoints/include/conctrace
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT dev FILES_MATCHING PATTERN "*.h")
if(EXISTS ${PROJECT_SOURCE_DIR}/runtime/preload/ct_preload_api.h)
  install(FILES ${PROJECT_SOURCE_DIR}/runtime/preload/ct_preload_api.h
          DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/conctrace COMPONENT dev)
endif()

# pkg-config: conctrace-rt.pc (Requires lttng-ust, as the runtime's headers do).
configure_file(${PROJECT_SOURCE_DIR}/cmake/templates/conctrace-rt.pc.in
               ${CMAKE_BINARY_DIR}/conctrace-rt.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/conctrace-rt.pc DESTINATION ${CT_INSTALL_LIBDIR}/pkgconfig
        COMPONENT dev)

# CMake package: find_package(conctrace) -> conctrace::rt, conctrace::tp.
set_target_properties(conctrace_rt PROPERTIES EXPORT_NAME rt)
set_target_properties(conctrace_tp PROPERTIES EXPORT_NAME tp)
install(EXPORT conctrace-targets NAMESPACE conctrace:: DESTINATION ${CT_INSTALL_CMAKEDIR}
        COMPONENT dev)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/templates/conctrace-config.cmake.in
                              ${CMAKE_BINARY_DIR}/conctrace-config.cmake
                              INSTALL_DESTINATION ${CT_INSTALL_CMAKEDIR})
write_basic_package_version_file(${CMAKE_BINARY_DIR}/conctrace-config-version.cmake
                                 VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${CMAKE_BINARY_DIR}/conctrace-config.cmake
              ${CMAKE_BINARY_DIR}/conctrace-config-version.cmake
        DESTINATION ${CT_INSTALL_CMAKEDIR} COMPONENT dev)

# Man pages (docs/man/*.1, one source per page; `conctrace help CMD` prints
# the same text), bash completion, docs.
set(CT_CLI_COMMANDS record analyze dump list run sweep)
set(ct_man_dir ${CMAKE_BINARY_DIR}/share/man/man1)
set(ct_man_pages ${ct_man_dir}/conctrace.1.gz)
add_custom_command(OUTPUT ${ct_man_dir}/conctrace.1 ${ct_man_dir}/conctrace.1.gz
                   COMMAND ${CMAKE_COMMAND} -E make_directory ${ct_man_dir}
                   COMMAND ${PROJECT_SOURCE_DIR}/docs/man/ct-help2man $<TARGET_FILE:conctrace>
                           > ${ct_man_dir}/conctrace.1
                   COMMAND gzip -9nkf ${ct_man_dir}/conctrace.1
                   DEPENDS conctrace ${PROJECT_SOURCE_DIR}/docs/man/ct-help2man
                   COMMENT "Man page conctrace(1)" VERBATIM)
foreach(c IN LISTS CT_CLI_COMMANDS)
  add_custom_command(OUTPUT ${ct_man_dir}/conctrace-${c}.1 ${ct_man_dir}/conctrace-${c}.1.gz
                     COMMAND ${CMAKE_COMMAND} -E make_directory ${ct_man_dir}
                     COMMAND ${PROJECT_SOURCE_DIR}/docs/man/ct-help2man $<TARGET_FILE:conctrace> ${c}
                             > ${ct_man_dir}/conctrace-${c}.1
                     COMMAND gzip -9nkf ${ct_man_dir}/conctrace-${c}.1
                     DEPENDS conctrace ${PROJECT_SOURCE_DIR}/docs/man/ct-help2man
                     COMMENT "Man page conctrace-${c}(1)" VERBATIM)
  list(APPEND ct_man_pages ${ct_man_dir}/conctrace-${c}.1.gz)
endforeach()
add_custom_target(man ALL DEPENDS ${ct_man_pages})
install(FILES ${ct_man_pages} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT runtime)
install(FILES ${PROJECT_SOURCE_DIR}/cli/completion/conctrace
        DESTINATION share/bash-completion/completions COMPONENT runtime)
file(GLOB ct_docs ${PROJECT_SOURCE_DIR}/docs/*.md)
install(FILES ${ct_docs} ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CT_INSTALL_DOCDIR}
        COMPONENT runtime)

# Debian's copyright and changelog (gzipped, as policy wants) beside the docs.
configure_file(${PROJECT_SOURCE_DIR}/packaging/changelog.in ${CMAKE_BINARY_DIR}/changelog @ONLY)
add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/changelog.gz
                   COMMAND gzip -9nkf ${CMAKE_BINARY_DIR}/changelog
                   DEPENDS ${CMAKE_BINARY_DIR}/changelog VERBATIM)
add_custom_target(ct_changelog ALL DEPENDS ${CMAKE_BINARY_DIR}/changelog.gz)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/copyright ${CMAKE_BINARY_DIR}/changelog.gz
        DESTINATION ${CT_INSTALL_DOCDIR} COMPONENT runtime)

include(CtPackage)
