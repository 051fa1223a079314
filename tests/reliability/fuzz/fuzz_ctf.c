/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target over the decoder and the driver: the input is a CTF trace made
 * from a recorded one and mutated by the fuzzer:
 *
 *   u32 LE metadata length, u32 LE first stream length, metadata bytes,
 *   first stream file bytes, second stream file bytes (the rest).
 *
 * (lengths beyond the input are cut to what is there). The files are written
 * to a scratch trace directory and read by ct_driver_run through babeltrace2
 * (src.ctf.fs -> flt.utils.muxer -> our sink), with every analysis and the
 * timeline writer as consumers. A bad trace must give an error, never a crash.
 * Seeds: tests/reliability/fuzz/corpus/ctf (make-ctf-seeds.sh).
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ct_analyses.h"
#include "ct_driver.h"
#include "ct_perfetto.h"

static char ct__fz_dir[64];
static FILE *ct__fz_null; /* owned */

static uint32_t ct__fz_le32(const uint8_t *p)
{
        return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void ct__fz_write(const char *name, const uint8_t *p, size_t n)
{
        char path[128];
        FILE *f;

        snprintf(path, sizeof(path), "%s/%s", ct__fz_dir, name);
        f = fopen(path, "wb");
        if (!f || (n && fwrite(p, 1, n, f) != n) || fclose(f) != 0) {
                abort();
        }
}

/* At exit: the scratch trace goes. */
static void ct__fz_cleanup(void)
{
        static const char *const names[] = {"metadata", "channel0_0", "channel0_1"};
        char path[128];
        size_t i;

        for (i = 0; i < 3; i++) {
                snprintf(path, sizeof(path), "%s/%s", ct__fz_dir, names[i]);
                unlink(path);
        }
        rmdir(ct__fz_dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct ct_driver_opts opts = {.quiet = true};
        struct ct_consumer *cons[64];
        struct ct_consumer pf;
        struct ct_analyses *a = NULL;
        const char *paths[1];
        size_t nc = 0, i, mlen, s1len;

        if (!ct__fz_null) {
                ct__fz_null = fopen("/dev/null", "w");
                snprintf(ct__fz_dir, sizeof(ct__fz_dir), "/tmp/ct-fuzz-ctf-%ld", (long)getpid());
                if (!ct__fz_null || (mkdir(ct__fz_dir, 0700) != 0 && access(ct__fz_dir, W_OK))) {
                        abort();
                }
                atexit(ct__fz_cleanup);
        }
        if (size < 8) {
                return 0;
        }
        mlen = ct__fz_le32(data);
        s1len = ct__fz_le32(data + 4);
        data += 8;
        size -= 8;
        if (mlen > size) {
                mlen = size;
        }
        if (s1len > size - mlen) {
                s1len = size - mlen;
        }
        ct__fz_write("metadata", data, mlen);
        ct__fz_write("channel0_0", data + mlen, s1len);
        ct__fz_write("channel0_1", data + mlen + s1len, size - mlen - s1len);

        opts.err = getenv("CT_FUZZ_VERBOSE") ? stderr : ct__fz_null;
        if (ct_analyses_create(NULL, &a) != 0 || ct_perfetto_create(NULL, "/dev/null", &pf) != 0) {
                abort();
        }
        for (i = 0; i < ct_analyses_consumer_count(a) && nc < 63; i++) {
                cons[nc++] = ct_analyses_consumer(a, i);
        }
        cons[nc++] = &pf;
        paths[0] = ct__fz_dir;
        i = (size_t)ct_driver_run(paths, 1, cons, nc, &opts, NULL);
        if (getenv("CT_FUZZ_VERBOSE")) {
                fprintf(stderr, "ct_driver_run: %d\n", (int)i);
        }
        if (i == 0) {
                (void)ct_analyses_write(a, CT_REPORT_TEXT, "/dev/null");
                (void)ct_analyses_write(a, CT_REPORT_JSON, "/dev/null");
        }
        ct_analyses_destroy(a);
        pf.destroy(pf.self);
        return 0;
}
