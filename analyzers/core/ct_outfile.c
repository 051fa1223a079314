/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "ct_outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void ct__outfile_reset(struct ct_outfile *o)
{
        free(o->path);
        free(o->tmp);
        memset(o, 0, sizeof(*o));
        o->fd = -1;
}

/* Opens path itself: "-" (standard output) or an existing non-regular file. */
static int ct__outfile_open_in_place(struct ct_outfile *o, const char *path)
{
        o->fd = strcmp(path, "-") == 0 ? dup(STDOUT_FILENO)
                                       : open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
        return o->fd < 0 ? -errno : 0;
}

static int ct__outfile_open_tmp(struct ct_outfile *o, const char *path)
{
        mode_t um;

        if (asprintf(&o->tmp, "%s.tmp-XXXXXX", path) < 0) {
                o->tmp = NULL;
                return -ENOMEM;
        }
        o->fd = mkostemp(o->tmp, O_CLOEXEC);
        if (o->fd < 0) {
                int err = -errno;

                free(o->tmp);
                o->tmp = NULL;
                return err;
        }
        um = umask(0);
        umask(um);
        if (fchmod(o->fd, 0666 & ~um) < 0) {
                int err = -errno;

                close(o->fd);
                unlink(o->tmp);
                return err;
        }
        return 0;
}

int ct_outfile_open(struct ct_outfile *o, const char *path)
{
        struct stat st;
        int err;

        memset(o, 0, sizeof(*o));
        o->fd = -1;
        if (!path || !*path)
                return -EINVAL;
        o->path = strdup(path);
        if (!o->path)
                return -ENOMEM;
        if (strcmp(path, "-") == 0 ||
            (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)))
                err = ct__outfile_open_in_place(o, path);
        else if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
                err = -EISDIR;
        else
                err = ct__outfile_open_tmp(o, path);
        if (err < 0)
                ct__outfile_reset(o);
        return err;
}

FILE *ct_outfile_stream(struct ct_outfile *o)
{
        if (!o->f && o->fd >= 0)
                o->f = fdopen(o->fd, "w");
        return o->f;
}

int ct_outfile_commit(struct ct_outfile *o)
{
        int err = 0;

        if (o->fd < 0)
                return -EBADF;
        if (o->f && (fflush(o->f) != 0 || ferror(o->f)))
                err = -(errno ? errno : EIO);
        if (!err && o->tmp && fsync(o->fd) < 0)
                err = -errno;
        if ((o->f ? fclose(o->f) : close(o->fd)) != 0 && !err)
                err = -errno;
        o->f = NULL;
        o->fd = -1;
        if (!err && o->tmp && rename(o->tmp, o->path) < 0)
                err = -errno;
        if (err && o->tmp)
                unlink(o->tmp);
        ct__outfile_reset(o);
        return err;
}

void ct_outfile_abort(struct ct_outfile *o)
{
        if (o->fd >= 0) {
                if (o->f)
                        fclose(o->f);
                else
                        close(o->fd);
                if (o->tmp)
                        unlink(o->tmp);
        }
        ct__outfile_reset(o);
}
