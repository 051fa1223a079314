/* SPDX-License-Identifier: MIT */
/*
 * Checks of a CTF trace's `metadata` file before babeltrace2 reads it.
 * babeltrace2 2.0.4's src.ctf.fs loops forever on a packetized metadata file
 * whose last packet claims more bytes than the file holds (found by
 * tests/reliability/fuzz/fuzz_ctf): every packet header is checked here so
 * such a trace is refused as corrupted instead of hanging the analyzer.
 */
#ifndef CT_METACHECK_H
#define CT_METACHECK_H

#include <stddef.h>

/*
 * 0 if the metadata file at path is text TSDL or well-formed packets; else
 * -EIO with the reason in why (e.g. "metadata packet 3 at byte 8192 claims
 * 4096 bytes, the file has 1428 left"), or the negative errno of reading it.
 */
int ct_metacheck_file(const char *path, char *why, size_t why_len);

/*
 * The whole trace directory: its metadata as above, declaring LTTng's packet
 * header and context (the layout conctrace reads), and every data stream
 * file a sequence of whole packets, each with the packet magic and a size
 * (at least one header; a cut last packet is left to babeltrace2, which refuses it). babeltrace2 2.0.4
 * loops forever, growing its packet index, on a packet whose size is 0.
 * 0, or -EIO with the reason in why.
 */
int ct_metacheck_trace(const char *dir, char *why, size_t why_len);

#endif /* CT_METACHECK_H */
