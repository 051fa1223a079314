/* SPDX-License-Identifier: MIT */
#include "ct_metacheck.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CT__META_MAGIC 0x75d11d57u
#define CT__META_HDR   37u /* magic, uuid[16], checksum, content_size, packet_size, 5 x u8 */

static uint32_t ct__u32(const unsigned char *p, int be)
{
        return be ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
                  : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

int ct_metacheck_file(const char *path, char *why, size_t why_len)
{
        unsigned char h[CT__META_HDR];
        FILE *f = fopen(path, "rb");
        long size, off = 0;
        unsigned n = 0;
        int be, ret = 0;

        if (!f) {
                snprintf(why, why_len, "cannot open the metadata file: %s", strerror(errno));
                return -errno;
        }
        if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0) {
                ret = -EIO;
                snprintf(why, why_len, "cannot read the metadata file");
                goto end;
        }
        rewind(f);
        if (size < 4 || fread(h, 1, 4, f) != 4) {
                goto end; /* empty or tiny: babeltrace2 refuses it itself */
        }
        if (ct__u32(h, 0) == CT__META_MAGIC) {
                be = 0;
        } else if (ct__u32(h, 1) == CT__META_MAGIC) {
                be = 1;
        } else {
                goto end; /* text metadata */
        }
        while (off < size) {
                uint32_t content, packet;

                n++;
                if (size - off < (long)CT__META_HDR || fseek(f, off, SEEK_SET) != 0 ||
                    fread(h, 1, CT__META_HDR, f) != CT__META_HDR) {
                        snprintf(why, why_len,
                                 "metadata packet %u at byte %ld is cut (%ld bytes left, a "
                                 "header needs %u)",
                                 n, off, size - off, CT__META_HDR);
                        ret = -EIO;
                        goto end;
                }
                content = ct__u32(h + 24, be);
                packet = ct__u32(h + 28, be);
                if (ct__u32(h, be) != CT__META_MAGIC || packet % 8 || content % 8 ||
                    content > packet || content < CT__META_HDR * 8) {
                        snprintf(why, why_len,
                                 "metadata packet %u at byte %ld has a bad header (magic 0x%08x, "
                                 "content %u bits, packet %u bits)",
                                 n, off, (unsigned)ct__u32(h, be), (unsigned)content,
                                 (unsigned)packet);
                        ret = -EIO;
                        goto end;
                }
                if ((long)(packet / 8) > size - off) {
                        snprintf(why, why_len,
                                 "metadata packet %u at byte %ld claims %u bytes, the file has "
                                 "%ld left",
                                 n, off, (unsigned)(packet / 8), size - off);
                        ret = -EIO;
                        goto end;
                }
                off += (long)(packet / 8);
        }
end:
        fclose(f);
        return ret;
}

/* ---- the data stream files ------------------------------------------------ */

/* The metadata's TSDL text (packets unwrapped), whitespace runs as one space. */
static char *ct__meta_text(const char *path)
{
        FILE *f = fopen(path, "rb");
        unsigned char h[CT__META_HDR];
        char *raw = NULL, *t = NULL;
        size_t n = 0, i, j;
        long size;

        if (!f || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 4) {
                goto end;
        }
        rewind(f);
        raw = malloc((size_t)size + 1);
        if (!raw || fread(raw, 1, (size_t)size, f) != (size_t)size) {
                goto end;
        }
        memcpy(h, raw, 4);
        if (ct__u32(h, 0) == CT__META_MAGIC || ct__u32(h, 1) == CT__META_MAGIC) {
                int be = ct__u32(h, 1) == CT__META_MAGIC;
                long off = 0;

                /* ct_metacheck_file() checked the packets: unwrap them in place. */
                while (off + (long)CT__META_HDR <= size) {
                        uint32_t content = ct__u32((unsigned char *)raw + off + 24, be) / 8;
                        uint32_t packet = ct__u32((unsigned char *)raw + off + 28, be) / 8;

                        if (!packet || content < CT__META_HDR || off + (long)packet > size) {
                                break;
                        }
                        memmove(raw + n, raw + off + CT__META_HDR, content - CT__META_HDR);
                        n += content - CT__META_HDR;
                        off += packet;
                }
        } else {
                n = (size_t)size;
        }
        t = malloc(n + 1);
        if (!t) {
                goto end;
        }
        for (i = j = 0; i < n; i++) {
                int sp = raw[i] == ' ' || raw[i] == '\t' || raw[i] == '\n' || raw[i] == '\r';

                if (sp) {
                        if (j && t[j - 1] != ' ') {
                                t[j++] = ' ';
                        }
                } else if (raw[i]) {
                        t[j++] = raw[i];
                }
        }
        t[j] = '\0';
end:
        if (f) {
                fclose(f);
        }
        free(raw);
        return t;
}

/* LTTng's packet header and context, as its metadata declares them. */
static const char *const ct__lttng_layout[] = {
    "typealias integer { size = 8; align = 8; signed = false; } := uint8_t;",
    "typealias integer { size = 32; align = 8; signed = false; } := uint32_t;",
    "typealias integer { size = 64; align = 8; signed = false; } := uint64_t;",
    "packet.header := struct { uint32_t magic; uint8_t uuid[16]; uint32_t stream_id; uint64_t "
    "stream_instance_id; };",
    "{ uint64_clock_monotonic_t timestamp_begin; uint64_clock_monotonic_t timestamp_end; "
    "uint64_t content_size; uint64_t packet_size;",
    "typealias integer { size = 64; align = 8; signed = false; map = clock.monotonic.value; } "
    ":= uint64_clock_monotonic_t;",
};

#define CT__PKT_MAGIC   0xc1fc1fc1u
#define CT__PKT_CONTENT 48 /* magic 4, uuid 16, stream_id 4, instance 8, ts 8 + 8 */
#define CT__PKT_SIZE    56
#define CT__PKT_MIN     64

static uint64_t ct__u64(const unsigned char *p, int be)
{
        uint64_t hi = ct__u32(p + (be ? 0 : 4), be), lo = ct__u32(p + (be ? 4 : 0), be);

        return hi << 32 | lo;
}

/* Walks one data stream file's packets. */
static int ct__check_stream(const char *path, int be, char *why, size_t why_len)
{
        FILE *f = fopen(path, "rb");
        unsigned char h[CT__PKT_MIN];
        long size, off = 0;
        unsigned n = 0;
        int ret = 0;

        if (!f || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0) {
                snprintf(why, why_len, "cannot read the stream file %s", path);
                ret = -EIO;
                goto end;
        }
        while (off < size) {
                uint64_t content, packet;

                n++;
                if (size - off < CT__PKT_MIN || fseek(f, off, SEEK_SET) != 0 ||
                    fread(h, 1, CT__PKT_MIN, f) != CT__PKT_MIN) {
                        break; /* a cut header: babeltrace2 refuses it with its causes */
                }
                content = ct__u64(h + CT__PKT_CONTENT, be);
                packet = ct__u64(h + CT__PKT_SIZE, be);
                /* Sizes past 2^62 bits turn negative in babeltrace2, which asserts. */
                if (ct__u32(h, be) != CT__PKT_MAGIC || packet % 8 || packet < CT__PKT_MIN * 8 ||
                    content > packet || packet >= (1ull << 62)) {
                        snprintf(why, why_len,
                                 "stream %s: packet %u at byte %ld has a bad header (magic "
                                 "0x%08x, content %llu bits, packet %llu bits, %ld bytes left)",
                                 path, n, off, (unsigned)ct__u32(h, be),
                                 (unsigned long long)content, (unsigned long long)packet,
                                 size - off);
                        ret = -EIO;
                        goto end;
                }
                if (packet / 8 > (uint64_t)(size - off)) {
                        break; /* a cut last packet: babeltrace2 refuses it with its causes */
                }
                off += (long)(packet / 8);
        }
end:
        if (f) {
                fclose(f);
        }
        return ret;
}

/*
 * Duplicate member names in one structure or variant of the TSDL text:
 * babeltrace2 2.0.4 aborts on them (a library precondition, found by
 * fuzz_ctf). A light scan, not a parser: scopes follow the braces; a scope
 * is a structure when the words before its '{' hold "struct" or "variant";
 * a member's name is the last identifier before its ';' (array suffixes
 * dropped). 1 and the name in dup if one is found.
 */
#define CT__SCOPES  64
#define CT__MEMBERS 256

struct ct__scope {
        int is_struct;
        const char *names[CT__MEMBERS]; /* weak: into the text, terminated by a non-identifier */
        size_t lens[CT__MEMBERS];
        size_t n;
};

static int ct__ident(char c)
{
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_';
}

static int ct__words_have(const char *b, const char *e, const char *w)
{
        size_t l = strlen(w);

        for (; b + l <= e; b++) {
                if (!strncmp(b, w, l) && (b + l == e || !ct__ident(b[l]))) {
                        return 1;
                }
        }
        return 0;
}

static int ct__dup_members(const char *t, char *dup, size_t dup_len)
{
        static struct ct__scope sc[CT__SCOPES];
        const char *seg = t, *p;
        int depth = 0;

        sc[0].is_struct = 0;
        sc[0].n = 0;
        for (p = t; *p; p++) {
                if (*p == '"') { /* strings (env values, names) hold no structure */
                        for (p++; *p && *p != '"'; p++) {
                                if (*p == '\\' && p[1]) {
                                        p++;
                                }
                        }
                        if (!*p) {
                                break;
                        }
                        continue;
                }
                if (*p == '{') {
                        if (depth + 1 >= CT__SCOPES) {
                                return 0; /* deeper than any real trace: babeltrace2 decides */
                        }
                        depth++;
                        sc[depth].is_struct =
                            ct__words_have(seg, p, "struct") || ct__words_have(seg, p, "variant");
                        sc[depth].n = 0;
                        seg = p + 1;
                } else if (*p == '}') {
                        if (depth > 0) {
                                depth--;
                        }
                        /* "struct { ... } name;": the member's name follows the brace */
                        seg = p + 1;
                } else if (*p == ';') {
                        const char *e = p, *b;
                        struct ct__scope *s = &sc[depth];
                        size_t i;

                        while (e > seg && (e[-1] == ' ' || e[-1] == ']')) {
                                if (e[-1] == ']') { /* drop an array suffix */
                                        while (e > seg && e[-1] != '[') {
                                                e--;
                                        }
                                        if (e > seg) {
                                                e--;
                                        }
                                } else {
                                        e--;
                                }
                        }
                        b = e;
                        while (b > seg && ct__ident(b[-1])) {
                                b--;
                        }
                        if (*b == '_' && b + 1 < e) {
                                b++; /* babeltrace2 drops one leading underscore */
                        }
                        if (s->is_struct && b < e && !memchr(seg, '=', (size_t)(p - seg))) {
                                for (i = 0; i < s->n; i++) {
                                        if (s->lens[i] == (size_t)(e - b) &&
                                            !strncmp(s->names[i], b, s->lens[i])) {
                                                snprintf(dup, dup_len, "%.*s", (int)(e - b), b);
                                                return 1;
                                        }
                                }
                                if (s->n < CT__MEMBERS) {
                                        s->names[s->n] = b;
                                        s->lens[s->n++] = (size_t)(e - b);
                                }
                        }
                        seg = p + 1;
                }
        }
        return 0;
}

int ct_metacheck_trace(const char *dir, char *why, size_t why_len)
{
        char dup[64];
        char path[4096];
        char *t;
        DIR *d = NULL;
        struct dirent *e;
        size_t i;
        int be, ret = 0;

        snprintf(path, sizeof(path), "%s/metadata", dir);
        ret = ct_metacheck_file(path, why, why_len);
        if (ret) {
                return ret;
        }
        t = ct__meta_text(path);
        if (!t) {
                snprintf(why, why_len, "cannot read the metadata");
                return -EIO;
        }
        for (i = 0; i < sizeof(ct__lttng_layout) / sizeof(ct__lttng_layout[0]); i++) {
                if (!strstr(t, ct__lttng_layout[i])) {
                        snprintf(why, why_len,
                                 "its metadata does not declare LTTng's packet layout (no `%.60s`)",
                                 ct__lttng_layout[i]);
                        ret = -EIO;
                        goto end;
                }
        }
        if (ct__dup_members(t, dup, sizeof(dup))) {
                snprintf(why, why_len,
                         "its metadata declares the member `%s` twice in one structure", dup);
                ret = -EIO;
                goto end;
        }
        if (strstr(t, "byte_order = le;") && !strstr(t, "byte_order = be;")) {
                be = 0;
        } else if (strstr(t, "byte_order = be;") && !strstr(t, "byte_order = le;")) {
                be = 1;
        } else {
                snprintf(why, why_len, "its metadata has no single byte order");
                ret = -EIO;
                goto end;
        }
        d = opendir(dir);
        while (d && (e = readdir(d)) && !ret) {
                struct stat st;

                if (e->d_name[0] == '.' || !strcmp(e->d_name, "metadata")) {
                        continue;
                }
                snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
                if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0) {
                        continue; /* index/, empty streams: babeltrace2 skips them */
                }
                ret = ct__check_stream(path, be, why, why_len);
        }
end:
        if (d) {
                closedir(d);
        }
        free(t);
        return ret;
}
