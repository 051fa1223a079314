/* SPDX-License-Identifier: MIT */
#include "ct_esc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
 * Length of the valid UTF-8 sequence at s (2..4) with its code point in *cp,
 * or 0 if s does not start one (overlong forms, surrogates and code points
 * above U+10FFFF are invalid).
 */
static size_t ct__utf8_seq(const unsigned char *s, uint32_t *cp)
{
        size_t n, i;
        uint32_t c;

        if (s[0] >= 0xc2 && s[0] <= 0xdf) {
                n = 2;
                c = s[0] & 0x1fu;
        } else if (s[0] >= 0xe0 && s[0] <= 0xef) {
                n = 3;
                c = s[0] & 0x0fu;
        } else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
                n = 4;
                c = s[0] & 0x07u;
        } else {
                return 0;
        }
        for (i = 1; i < n; i++) {
                if ((s[i] & 0xc0u) != 0x80u) {
                        return 0; /* also stops at the terminating NUL */
                }
                c = (c << 6) | (s[i] & 0x3fu);
        }
        if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) || c > 0x10ffff ||
            (c >= 0xd800 && c <= 0xdfff)) {
                return 0;
        }
        *cp = c;
        return n;
}

/* Code points that a terminal or an editor acts on instead of showing. */
static int ct__cp_unsafe(uint32_t c)
{
        return (c >= 0x80 && c <= 0x9f) || c == 0x2028 || c == 0x2029 ||
               (c >= 0x200e && c <= 0x200f) || (c >= 0x202a && c <= 0x202e) ||
               (c >= 0x2066 && c <= 0x2069) || c == 0x061c || c == 0xfeff;
}

/*
 * The escape of the character at s: its bytes in out (up to 11 + NUL), the
 * number of input bytes it consumes in *used.
 */
static size_t ct__esc_one(const unsigned char *s, char *out, size_t *used)
{
        static const char hex[] = "0123456789abcdef";
        uint32_t cp;
        size_t n;

        *used = 1;
        if (*s == '\\') {
                memcpy(out, "\\\\", 2);
                return 2;
        }
        if (*s >= 0x20 && *s < 0x7f) {
                out[0] = (char)*s;
                return 1;
        }
        if (*s == '\n' || *s == '\t' || *s == '\r') {
                out[0] = '\\';
                out[1] = *s == '\n' ? 'n' : *s == '\t' ? 't' : 'r';
                return 2;
        }
        if (*s >= 0x80) {
                n = ct__utf8_seq(s, &cp);
                if (n) {
                        *used = n;
                        if (!ct__cp_unsafe(cp)) {
                                memcpy(out, s, n);
                                return n;
                        }
                        return (size_t)snprintf(out, 12, "\\u{%04x}", (unsigned)cp);
                }
        }
        out[0] = '\\';
        out[1] = 'x';
        out[2] = hex[*s >> 4];
        out[3] = hex[*s & 0xf];
        return 4;
}

int ct_esc_is_clean(const char *s)
{
        const unsigned char *p = (const unsigned char *)s;
        uint32_t cp;
        size_t n;

        if (!s) {
                return 1;
        }
        while (*p) {
                if (*p >= 0x20 && *p < 0x7f && *p != '\\') {
                        p++;
                        continue;
                }
                if (*p < 0x80) {
                        return 0;
                }
                n = ct__utf8_seq(p, &cp);
                if (!n || ct__cp_unsafe(cp)) {
                        return 0;
                }
                p += n;
        }
        return 1;
}

size_t ct_esc_text(char *dst, size_t size, const char *s)
{
        const unsigned char *p = (const unsigned char *)(s ? s : "");
        size_t len = 0, at = 0, used, n;
        int full = 0;
        char one[16];

        while (*p) {
                n = ct__esc_one(p, one, &used);
                p += used;
                if (!full && at + n < size) {
                        memcpy(dst + at, one, n);
                        at += n;
                } else {
                        full = 1;
                }
                len += n;
        }
        if (size) {
                dst[at] = '\0';
        }
        return len;
}

char *ct_esc_text_dup(const char *s)
{
        size_t n = ct_esc_text(NULL, 0, s);
        char *d = malloc(n + 1);

        if (d) {
                ct_esc_text(d, n + 1, s);
        }
        return d;
}

const char *ct_esc(const char *s, char *buf, size_t size)
{
        size_t n;

        if (!size) {
                return buf;
        }
        n = ct_esc_text(buf, size, s);
        if (n >= size && size >= 4) {
                size_t at = strlen(buf);

                /* Room for "...": drop whole characters until it fits. */
                while (at + 4 > size && at > 0) {
                        at--;
                        while (at > 0 && ((unsigned char)buf[at] & 0xc0u) == 0x80u) {
                                at--;
                        }
                }
                memcpy(buf + at, "...", 4);
        }
        return buf;
}

int ct_esc_fputs(const char *s, FILE *f)
{
        const unsigned char *p = (const unsigned char *)(s ? s : "");
        size_t used, n;
        char one[16];

        if (ct_esc_is_clean(s)) {
                return fputs(s ? s : "", f) == EOF ? EOF : 0;
        }
        while (*p) {
                n = ct__esc_one(p, one, &used);
                p += used;
                if (fwrite(one, 1, n, f) != n) {
                        return EOF;
                }
        }
        return 0;
}

int ct_esc_csv_fputs(const char *s, FILE *f)
{
        char *e = ct_esc_text_dup(s);
        const char *p;
        int formula, quote, rc = 0;

        if (!e) {
                return EOF;
        }
        formula = strchr("=+-@", e[0]) != NULL && e[0] != '\0';
        quote = formula || strpbrk(e, ",\"") != NULL;
        if (quote && fputc('"', f) == EOF) {
                rc = EOF;
        }
        if (formula && fputc('\'', f) == EOF) {
                rc = EOF;
        }
        for (p = e; *p && !rc; p++) {
                if ((*p == '"' && fputc('"', f) == EOF) || fputc(*p, f) == EOF) {
                        rc = EOF;
                }
        }
        if (quote && !rc && fputc('"', f) == EOF) {
                rc = EOF;
        }
        free(e);
        return rc;
}
