/* SPDX-License-Identifier: MIT */
#include "ct_metacheck.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

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
