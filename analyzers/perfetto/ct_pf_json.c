/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "ct_pf_json.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>

#define CT__PF_Z_OUT (1u << 16)

int ct__pf_json_open(struct ct__pf_json *j, const char *path)
{
        return ct_outfile_open(&j->file, path);
}

int ct__pf_json_gzip(struct ct__pf_json *j)
{
        z_stream *z = calloc(1, sizeof(*z));

        j->zout = malloc(CT__PF_Z_OUT);
        if (!z || !j->zout) {
                free(z);
                return -ENOMEM;
        }
        /* windowBits 15 + 16: a gzip stream (header and trailer) */
        if (deflateInit2(z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
                free(z);
                return -ENOMEM;
        }
        j->z = z;
        return 0;
}

/* n bytes at s to the file. */
static void ct__pf_json_write(struct ct__pf_json *j, const char *s, size_t len)
{
        size_t off = 0;

        while (off < len && j->err == 0) {
                ssize_t n = write(j->file.fd, s + off, len - off);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        j->err = -errno;
                        break;
                }
                off += (size_t)n;
        }
}

/* The buffer through deflate (flush: Z_NO_FLUSH or Z_FINISH). */
static void ct__pf_json_deflate(struct ct__pf_json *j, int flush)
{
        z_stream *z = j->z;
        int zr;

        z->next_in = (unsigned char *)j->buf;
        z->avail_in = (unsigned)j->blen;
        do {
                z->next_out = (unsigned char *)j->zout;
                z->avail_out = CT__PF_Z_OUT;
                zr = deflate(z, flush);
                if (zr == Z_STREAM_ERROR) {
                        ct__pf_json_fail(j, -EIO);
                        return;
                }
                ct__pf_json_write(j, j->zout, CT__PF_Z_OUT - z->avail_out);
        } while (z->avail_out == 0 || (flush == Z_FINISH && zr != Z_STREAM_END));
}

void ct__pf_json_fail(struct ct__pf_json *j, int err)
{
        if (j->err == 0)
                j->err = err;
}

void ct__pf_json_flush(struct ct__pf_json *j)
{
        if (j->z)
                ct__pf_json_deflate(j, Z_NO_FLUSH);
        else
                ct__pf_json_write(j, j->buf, j->blen);
        j->bytes += j->blen;
        j->blen = 0;
#ifdef SYNC_FILE_RANGE_WRITE
        /* start writing back what is written (asynchronously, advisory: a
         * failure only leaves it to the commit's fsync) */
        if (j->file.tmp && j->err == 0 && j->bytes - j->synced >= CT__PF_JSON_SYNC_CHUNK) {
                (void)sync_file_range(j->file.fd, (off_t)j->synced, (off_t)(j->bytes - j->synced),
                                      SYNC_FILE_RANGE_WRITE);
                j->synced = j->bytes;
        }
#endif
}

static void ct__pf_json_zfree(struct ct__pf_json *j)
{
        if (j->z) {
                deflateEnd(j->z);
                free(j->z);
                j->z = NULL;
        }
        free(j->zout);
        j->zout = NULL;
}

int ct__pf_json_commit(struct ct__pf_json *j)
{
        if (j->z) {
                ct__pf_json_deflate(j, Z_FINISH);
                j->bytes += j->blen;
                j->blen = 0;
                ct__pf_json_zfree(j);
        } else {
                ct__pf_json_flush(j);
        }
        if (j->err == 0)
                j->err = ct_outfile_commit(&j->file);
        else
                ct_outfile_abort(&j->file);
        return j->err;
}

void ct__pf_json_discard(struct ct__pf_json *j)
{
        ct__pf_json_zfree(j);
        ct_outfile_abort(&j->file);
}

void ct__pf_json_raw_slow(struct ct__pf_json *j, const char *s, size_t n)
{
        while (n > 0) {
                size_t room = CT__PF_JSON_BUF - j->blen, k = n < room ? n : room;
                memcpy(j->buf + j->blen, s, k);
                j->blen += k;
                s += k;
                n -= k;
                if (j->blen == CT__PF_JSON_BUF)
                        ct__pf_json_flush(j);
        }
}

/* Length of a valid UTF-8 sequence at s (n bytes left), 0 if invalid. */
size_t ct__pf_utf8_len(const unsigned char *s, size_t n)
{
        unsigned char c = s[0];

        if (c >= 0xc2 && c <= 0xdf)
                return n >= 2 && (s[1] & 0xc0) == 0x80 ? 2 : 0;
        if (c >= 0xe0 && c <= 0xef) {
                unsigned char lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
                return n >= 3 && s[1] >= lo && s[1] <= hi && (s[2] & 0xc0) == 0x80 ? 3 : 0;
        }
        if (c >= 0xf0 && c <= 0xf4) {
                unsigned char lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
                return n >= 4 && s[1] >= lo && s[1] <= hi && (s[2] & 0xc0) == 0x80 &&
                               (s[3] & 0xc0) == 0x80
                           ? 4
                           : 0;
        }
        return 0;
}

/* Printable ASCII but quote and backslash: 0x20..0x7e minus 0x22, 0x5c. */
static inline int ct__pf_plain(unsigned char c)
{
        static const uint64_t mask[4] = {0xfffffffb00000000u, 0x7fffffffefffffffu, 0, 0};

        return (int)((mask[c >> 6] >> (c & 63)) & 1);
}

/* One control character or DEL, escaped. */
static void ct__pf_json_ctrl(struct ct__pf_json *j, unsigned char c)
{
        static const char hex[] = "0123456789abcdef";

        switch (c) {
        case '\n':
                ct__pf_json_str(j, "\\n");
                break;
        case '\t':
                ct__pf_json_str(j, "\\t");
                break;
        case '\r':
                ct__pf_json_str(j, "\\r");
                break;
        default:
                ct__pf_json_str(j, "\\u00");
                ct__pf_json_chr(j, hex[c >> 4]);
                ct__pf_json_chr(j, hex[c & 15]);
        }
}

void ct__pf_json_esc(struct ct__pf_json *j, const char *str)
{
        const unsigned char *s = (const unsigned char *)(str ? str : "");

        for (;;) {
                const unsigned char *r = s;
                size_t k = 1;

                /* fast path: a run of plain ASCII, copied as is */
                while (ct__pf_plain(*r))
                        r++;
                if (r != s) {
                        ct__pf_json_raw(j, (const char *)s, (size_t)(r - s));
                        s = r;
                }
                if (!*s)
                        return;
                if (*s == '"' || *s == '\\') {
                        ct__pf_json_chr(j, '\\');
                        ct__pf_json_chr(j, (char)*s);
                } else if (*s < 0x20 || *s == 0x7f) {
                        ct__pf_json_ctrl(j, *s);
                } else if ((k = ct__pf_utf8_len(s, strnlen((const char *)s, 4))) != 0) {
                        ct__pf_json_raw(j, (const char *)s, k);
                } else {
                        ct__pf_json_str(j, "\xef\xbf\xbd");
                        k = 1;
                }
                s += k;
        }
}

void ct__pf_json_qstr(struct ct__pf_json *j, const char *s)
{
        ct__pf_json_chr(j, '"');
        ct__pf_json_esc(j, s);
        ct__pf_json_chr(j, '"');
}
