/* SPDX-License-Identifier: MIT */
/*
 * Replays fuzz inputs without the fuzzer: fuzz_replay FILE_OR_DIR... runs
 * LLVMFuzzerTestOneInput on every file (a directory: on every file in it).
 * The regression corpus (every input that once crashed, hung, leaked or made a
 * sanitizer report) and the seed corpus run this way in the unit tests.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
        FILE *f = fopen(path, "rb");
        uint8_t *buf;
        long n;

        if (!f) {
                perror(path);
                return 1;
        }
        if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0) {
                fclose(f);
                return 1;
        }
        rewind(f);
        buf = malloc((size_t)n + 1);
        if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
                free(buf);
                fclose(f);
                return 1;
        }
        fclose(f);
        LLVMFuzzerTestOneInput(buf, (size_t)n);
        free(buf);
        return 0;
}

int main(int argc, char **argv)
{
        int i, bad = 0, n = 0;

        for (i = 1; i < argc; i++) {
                struct stat st;

                if (stat(argv[i], &st) != 0) {
                        perror(argv[i]);
                        return 1;
                }
                if (S_ISDIR(st.st_mode)) {
                        DIR *d = opendir(argv[i]);
                        struct dirent *e;

                        while (d && (e = readdir(d))) {
                                char p[4096];

                                if (e->d_name[0] == '.') {
                                        continue;
                                }
                                snprintf(p, sizeof(p), "%s/%s", argv[i], e->d_name);
                                bad |= replay_file(p);
                                n++;
                        }
                        if (d) {
                                closedir(d);
                        }
                } else {
                        bad |= replay_file(argv[i]);
                        n++;
                }
        }
        printf("replayed %d inputs\n", n);
        return bad;
}
