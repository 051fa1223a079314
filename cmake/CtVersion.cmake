# Version facts for `conctrace --version` and the JSON report's "tool" object:
# the project version, the git commit of the source tree (refreshed at every
# build by cmake/CtGitCommit.cmake, "unknown" outside git) and the versions of
# LTTng-UST, lttng-ctl and Babeltrace 2 that pkg-config found at configure
# time (the libraries the build links; Babeltrace 2's is also read at run time).
set(CT_VERSION_DIR ${CMAKE_BINARY_DIR}/generated)
file(MAKE_DIRECTORY ${CT_VERSION_DIR})
configure_file(${CMAKE_CURRENT_LIST_DIR}/templates/ct_version_build.h.in
               ${CT_VERSION_DIR}/ct_version_build.h @ONLY)
add_custom_target(ct_git_commit
  COMMAND ${CMAKE_COMMAND} -DSRC=${PROJECT_SOURCE_DIR} -DOUT=${CT_VERSION_DIR}/ct_version_git.h
          -P ${CMAKE_CURRENT_LIST_DIR}/CtGitCommit.cmake
  BYPRODUCTS ${CT_VERSION_DIR}/ct_version_git.h
  COMMENT "Reading the git commit"
  VERBATIM)
