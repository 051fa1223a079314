# CT_SANITIZE=address (address+undefined) or thread: instruments every target.
set(CT_SANITIZE "" CACHE STRING "Sanitizer build: '', 'address' (address+undefined) or 'thread'")
set_property(CACHE CT_SANITIZE PROPERTY STRINGS "" address thread)

add_library(ct_sanitize INTERFACE)
if(CT_SANITIZE STREQUAL "address")
  target_compile_options(ct_sanitize INTERFACE -fsanitize=address,undefined
                                               -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(ct_sanitize INTERFACE -fsanitize=address,undefined)
elseif(CT_SANITIZE STREQUAL "thread")
  target_compile_options(ct_sanitize INTERFACE -fsanitize=thread -fno-omit-frame-pointer)
  target_link_options(ct_sanitize INTERFACE -fsanitize=thread)
elseif(NOT CT_SANITIZE STREQUAL "")
  message(FATAL_ERROR "CT_SANITIZE must be '', 'address' or 'thread', not '${CT_SANITIZE}'")
endif()

# CT_FUZZ=ON (clang only, implies CT_SANITIZE=address): coverage
# instrumentation for libFuzzer in every target, and the fuzz targets of
# tests/reliability (ctest -L fuzz), each run for CT_FUZZ_SECONDS.
option(CT_FUZZ "Build the libFuzzer targets (clang, with CT_SANITIZE=address)" OFF)
set(CT_FUZZ_SECONDS 60 CACHE STRING "Seconds each fuzz target runs in ctest -L fuzz")
if(CT_FUZZ)
  if(NOT CMAKE_C_COMPILER_ID STREQUAL "Clang" OR NOT CT_SANITIZE STREQUAL "address")
    message(FATAL_ERROR "CT_FUZZ needs clang and CT_SANITIZE=address "
                        "(e.g. CC=clang-14 cmake -DCT_FUZZ=ON -DCT_SANITIZE=address)")
  endif()
  target_compile_options(ct_sanitize INTERFACE -fsanitize=fuzzer-no-link)
endif()

# Environment for tests whose programs fork, under CT_SANITIZE=thread:
# LTTng-UST runs listener threads, so every fork is a multi-threaded fork and
# the child restarts them (lttng_ust_after_fork_child); ThreadSanitizer refuses
# that unless told otherwise. tsan.supp: LTTng-UST's RCU publication of probes,
# reported when a session toggles events meanwhile.
set(CT_TEST_TSAN_ENV
    "TSAN_OPTIONS=die_after_fork=0 suppressions=${PROJECT_SOURCE_DIR}/tests/support/tsan.supp")
