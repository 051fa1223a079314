/* SPDX-License-Identifier: MIT */
/* Unit test: the recorder's option parsing and checks (no tracing). */
#include "ct_recorder.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int failures;

#define CHECK(cond)                                                                                \
        do {                                                                                       \
                if (!(cond)) {                                                                     \
                        fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);   \
                        failures++;                                                                \
                }                                                                                  \
        } while (0)

static void test_sizes(void)
{
        static const struct {
                const char *in;
                int ret;
                uint64_t bytes;
        } cases[] = {
            {"4096", 0, 4096},
            {"64k", 0, 64 * 1024},
            {"64K", 0, 64 * 1024},
            {"1M", 0, 1024 * 1024},
            {"2MiB", 0, 2 * 1024 * 1024},
            {"4MB", 0, 4 * 1024 * 1024},
            {"1G", 0, 1024ull * 1024 * 1024},
            {"8", 0, 8},
            {"", -EINVAL, 0},
            {"k", -EINVAL, 0},
            {"-4k", -EINVAL, 0},
            {" 4k", -EINVAL, 0},
            {"4kk", -EINVAL, 0},
            {"4x", -EINVAL, 0},
            {"4iB", -EINVAL, 0},
            {"99999999999999999999", -ERANGE, 0},
            {"17179869184G", -ERANGE, 0},
        };
        size_t i;

        for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                uint64_t v = 12345;
                int ret = ct_recorder_parse_size(cases[i].in, &v);

                if (ret != cases[i].ret || (ret == 0 && v != cases[i].bytes)) {
                        fprintf(stderr, "parse_size(\"%s\") = %d (%llu), expected %d (%llu)\n",
                                cases[i].in, ret, (unsigned long long)v, cases[i].ret,
                                (unsigned long long)cases[i].bytes);
                        failures++;
                }
                if (ret != 0) {
                        CHECK(v == 12345); /* untouched on error */
                }
        }
        CHECK(ct_recorder_parse_size(NULL, &(uint64_t){0}) == -EINVAL);
}

static void test_levels(void)
{
        enum ct_record_level level = CT_RECORD_LEVEL_LIGHT;

        CHECK(ct_recorder_parse_level("full", &level) == 0 && level == CT_RECORD_LEVEL_FULL);
        CHECK(ct_recorder_parse_level("light", &level) == 0 && level == CT_RECORD_LEVEL_LIGHT);
        CHECK(ct_recorder_parse_level("Full", &level) == -EINVAL);
        CHECK(ct_recorder_parse_level("", &level) == -EINVAL);
        CHECK(ct_recorder_parse_level(NULL, &level) == -EINVAL);
        CHECK(level == CT_RECORD_LEVEL_LIGHT);
}

static void test_buffers(void)
{
        const char *why = NULL;
        struct ct_recorder_opts opts;

        ct_recorder_opts_init(&opts);
        CHECK(opts.level == CT_RECORD_LEVEL_FULL);
        CHECK(opts.output_dir == NULL && !opts.force && !opts.quiet);
        CHECK(ct_recorder_check_buffers(opts.subbuf_size, opts.num_subbuf, &why) == 0);
        CHECK(why == NULL);
        /* The defaults give several MiB per CPU. */
        CHECK(opts.subbuf_size * opts.num_subbuf >= 4u * 1024 * 1024);

        CHECK(ct_recorder_check_buffers(4096, 2, &why) == 0);
        CHECK(ct_recorder_check_buffers(3000, 4, &why) == -EINVAL && strstr(why, "power of two"));
        CHECK(ct_recorder_check_buffers(2048, 4, &why) == -EINVAL && strstr(why, "4096"));
        CHECK(ct_recorder_check_buffers(0, 4, &why) == -EINVAL);
        CHECK(ct_recorder_check_buffers(1 << 20, 3, &why) == -EINVAL &&
              strstr(why, "num-subbuf must be a power of two"));
        CHECK(ct_recorder_check_buffers(1 << 20, 1, &why) == -EINVAL && strstr(why, "at least 2"));
        CHECK(ct_recorder_check_buffers(1ull << 31, 4, &why) == -EINVAL);
        CHECK(ct_recorder_check_buffers(1ull << 30, 8, &why) == -EINVAL);
        CHECK(ct_recorder_check_buffers(1 << 20, 8, NULL) == 0);
}

int main(void)
{
        test_sizes();
        test_levels();
        test_buffers();
        if (failures) {
                fprintf(stderr, "%d check(s) failed\n", failures);
                return 1;
        }
        printf("PASS\n");
        return 0;
}
