/* SPDX-License-Identifier: MIT */
/*
 * An output file that appears whole or not at all.
 *
 * ct_outfile_open() opens a temporary file next to the destination;
 * ct_outfile_commit() flushes it and renames it over the destination;
 * ct_outfile_abort() removes it. A destination that exists and is not a
 * regular file (/dev/null, /dev/stdout, a FIFO) is written in place: renaming
 * over it would replace the device or FIFO with a file. "-" writes to standard
 * output. Reports and timelines use this, so a failed run never leaves a
 * partial file behind.
 */
#ifndef CT_OUTFILE_H
#define CT_OUTFILE_H

#include <stdio.h>

struct ct_outfile {
        int fd;     /* the descriptor to write to; -1 once committed or aborted */
        FILE *f;    /* owned: stream over fd, once ct_outfile_stream() made it */
        char *path; /* owned: the destination */
        char *tmp;  /* owned: the temporary file; NULL when writing in place */
};

/* 0, or a negative errno (-EISDIR for a directory). The file gets the usual
 * 0666 & ~umask mode. */
int ct_outfile_open(struct ct_outfile *o, const char *path);

/* A stdio stream over the file (made once; NULL and errno on failure). */
FILE *ct_outfile_stream(struct ct_outfile *o);

/* Flushes, syncs and closes the file, then renames it over the destination.
 * 0, or a negative errno after which nothing is left at the temporary name. */
int ct_outfile_commit(struct ct_outfile *o);

/* Closes and removes the temporary file; the destination is untouched.
 * Safe after commit (does nothing). */
void ct_outfile_abort(struct ct_outfile *o);

#endif /* CT_OUTFILE_H */
