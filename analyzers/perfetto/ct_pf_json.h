/* SPDX-License-Identifier: MIT */
/*
 * The streaming JSON writer of the timeline: a 64 KiB buffer written to a
 * whole-or-nothing output file (ct_outfile: a temporary file renamed into
 * place by commit, mode 0666 & ~umask), JSON string escaping and exact
 * number formatting (integers, nanoseconds as microseconds with three
 * decimals), all without allocation.
 *
 * Errors are sticky: the first negative errno (a write error, or an
 * allocation failure reported by the exporter with ct__pf_json_fail) is kept
 * in err; after it nothing more reaches the file and commit fails with it.
 */
#ifndef CT_PF_JSON_H
#define CT_PF_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ct_outfile.h"

#define CT__PF_JSON_BUF (1u << 16)

/* Writeback of the temporary file is started every this many bytes, so the
 * final fsync of the commit does not wait for the whole timeline. */
#define CT__PF_JSON_SYNC_CHUNK (8u << 20)

struct ct__pf_json {
        struct ct_outfile file; /* owned: the temporary file until commit */
        int err;                /* first negative errno, 0 if none */
        uint64_t bytes;         /* bytes handed to the file */
        uint64_t synced;        /* bytes whose writeback was started */
        uint64_t items;         /* array elements started (ct__pf_json_item) */
        size_t blen;            /* bytes used in buf */
        void *z;                /* owned: z_stream of a gzip output, NULL plain */
        char *zout;             /* owned: deflate's output buffer */
        char buf[CT__PF_JSON_BUF];
};

/* Open the temporary file for path: 0 or a negative errno. */
int ct__pf_json_open(struct ct__pf_json *j, const char *path);

/* Compress what follows with gzip (.json.gz): 0 or -ENOMEM. */
int ct__pf_json_gzip(struct ct__pf_json *j);

/* Flush, sync, close and rename into place: 0 or the first error (then
 * nothing is left behind). */
int ct__pf_json_commit(struct ct__pf_json *j);

/* Close and remove the temporary file (nothing after a commit). */
void ct__pf_json_discard(struct ct__pf_json *j);

/* Record err (negative errno) unless an earlier error is recorded. */
void ct__pf_json_fail(struct ct__pf_json *j, int err);

/* Write the buffer out (empty it): called when it lacks room. */
void ct__pf_json_flush(struct ct__pf_json *j);

/* The slow path of ct__pf_json_raw: n may exceed the room left. */
void ct__pf_json_raw_slow(struct ct__pf_json *j, const char *s, size_t n);

/*
 * The hot path is inline: every record is a handful of short literals and
 * numbers, so each append is a bounds check and a copy into buf.
 * ct__pf_json_room(j, n) (n <= CT__PF_JSON_BUF) flushes if fewer than n bytes
 * are free and returns where to write; the caller writes at most n bytes
 * and ends with ct__pf_json_done(j, end).
 */
static inline char *ct__pf_json_room(struct ct__pf_json *j, size_t n)
{
        if (CT__PF_JSON_BUF - j->blen < n)
                ct__pf_json_flush(j);
        return j->buf + j->blen;
}

static inline void ct__pf_json_done(struct ct__pf_json *j, char *end)
{
        j->blen = (size_t)(end - j->buf);
}

/* Decimal digits of v, at p (at most 20): returns the end. */
static inline char *ct__pf_put_u64(char *p, uint64_t v)
{
        static const char pairs[201] = "00010203040506070809"
                                       "10111213141516171819"
                                       "20212223242526272829"
                                       "30313233343536373839"
                                       "40414243444546474849"
                                       "50515253545556575859"
                                       "60616263646566676869"
                                       "70717273747576777879"
                                       "80818283848586878889"
                                       "90919293949596979899";
        /* clang-format off */
        static const uint64_t pow10[20] = {
            1u, 10u, 100u, 1000u, 10000u, 100000u, 1000000u, 10000000u, 100000000u,
            1000000000u, 10000000000u, 100000000000u, 1000000000000u, 10000000000000u,
            100000000000000u, 1000000000000000u, 10000000000000000u, 100000000000000000u,
            1000000000000000000u, 10000000000000000000u};
        /* clang-format on */
        /* digits: floor(log10) from the bit length (bits * 1233 / 4096 is
         * log10(2) * bits rounded down), corrected by one comparison */
        unsigned bits = 64u - (unsigned)__builtin_clzll(v | 1u);
        unsigned l = (bits * 1233u) >> 12;
        unsigned n = l + 1u - ((v | 1u) < pow10[l]);
        char *end, *t;

        end = t = p + n;
        while (v >= 100) {
                unsigned d = (unsigned)(v % 100) * 2;
                v /= 100;
                *--t = pairs[d + 1];
                *--t = pairs[d];
        }
        if (v >= 10) {
                *--t = pairs[v * 2 + 1];
                *--t = pairs[v * 2];
        } else {
                *--t = (char)('0' + v);
        }
        return end;
}

/* v in decimal with its sign, at p (at most 20 bytes): returns the end. */
static inline char *ct__pf_put_i64(char *p, int64_t v)
{
        if (v < 0) {
                *p++ = '-';
                return ct__pf_put_u64(p, (uint64_t)0 - (uint64_t)v);
        }
        return ct__pf_put_u64(p, (uint64_t)v);
}

/* ns as microseconds with exactly three decimals, at p: returns the end. */
static inline char *ct__pf_put_us(char *p, uint64_t ns)
{
        unsigned frac = (unsigned)(ns % 1000);

        p = ct__pf_put_u64(p, ns / 1000);
        p[0] = '.';
        p[1] = (char)('0' + frac / 100);
        p[2] = (char)('0' + frac / 10 % 10);
        p[3] = (char)('0' + frac % 10);
        return p + 4;
}

/* n bytes at p: returns the end. */
static inline char *ct__pf_put(char *p, const char *s, size_t n)
{
        memcpy(p, s, n);
        return p + n;
}

/* A string literal at p: returns the end. */
#define CT__PF_PUT_LIT(p, lit) ct__pf_put((p), (lit), sizeof(lit) - 1)

static inline void ct__pf_json_raw(struct ct__pf_json *j, const char *s, size_t n)
{
        if (CT__PF_JSON_BUF - j->blen < n) {
                ct__pf_json_raw_slow(j, s, n);
                return;
        }
        memcpy(j->buf + j->blen, s, n);
        j->blen += n;
}

/* s verbatim */
static inline void ct__pf_json_str(struct ct__pf_json *j, const char *s)
{
        ct__pf_json_raw(j, s, strlen(s));
}

static inline void ct__pf_json_chr(struct ct__pf_json *j, char ch)
{
        if (j->blen == CT__PF_JSON_BUF)
                ct__pf_json_flush(j);
        j->buf[j->blen++] = ch;
}

static inline void ct__pf_json_u64(struct ct__pf_json *j, uint64_t v)
{
        ct__pf_json_done(j, ct__pf_put_u64(ct__pf_json_room(j, 20), v));
}

static inline void ct__pf_json_i64(struct ct__pf_json *j, int64_t v)
{
        char *p = ct__pf_json_room(j, 21);

        if (v < 0) {
                *p++ = '-';
                p = ct__pf_put_u64(p, (uint64_t)0 - (uint64_t)v);
        } else {
                p = ct__pf_put_u64(p, (uint64_t)v);
        }
        ct__pf_json_done(j, p);
}

/* ns as microseconds with exactly three decimals: 1234 -> 1.234 */
static inline void ct__pf_json_us(struct ct__pf_json *j, uint64_t ns)
{
        ct__pf_json_done(j, ct__pf_put_us(ct__pf_json_room(j, 24), ns));
}

/*
 * String contents (no quotes), escaped: quote and backslash escaped, control
 * characters and DEL as \uXXXX (Perfetto's tokenizer rejects raw ones),
 * valid UTF-8 passed through, each invalid byte replaced by U+FFFD. NULL is
 * the empty string.
 */
void ct__pf_json_esc(struct ct__pf_json *j, const char *s);

/* Length of a valid UTF-8 sequence of 2-4 bytes at s (n bytes left), 0 if
 * invalid. */
size_t ct__pf_utf8_len(const unsigned char *s, size_t n);

/* A quoted, escaped string. */
void ct__pf_json_qstr(struct ct__pf_json *j, const char *s);

/* Start an array element: a comma before every element but the first. */
static inline void ct__pf_json_item(struct ct__pf_json *j)
{
        if (j->items++)
                ct__pf_json_chr(j, ',');
}

#endif /* CT_PF_JSON_H */
