/* SPDX-License-Identifier: MIT */
/*
 * The unit tests' CHECK(cond, fmt, ...): on a false cond, prints the file,
 * line and message to stderr and counts a failure in `failures` (the test's
 * exit status follows it). Include once, in the test's one source file.
 */
#ifndef CT_CHECK_H
#define CT_CHECK_H

#include <stdio.h>

static int failures;

#define CHECK(cond, ...)                                                                           \
        do {                                                                                       \
                if (!(cond)) {                                                                     \
                        fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                       \
                        fprintf(stderr, __VA_ARGS__);                                              \
                        fputc('\n', stderr);                                                       \
                        failures++;                                                                \
                }                                                                                  \
        } while (0)

#endif /* CT_CHECK_H */
