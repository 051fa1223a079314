/* SPDX-License-Identifier: MIT */
/* Placeholder while the writer lands: produces an empty, valid timeline. */
#define _POSIX_C_SOURCE 200809L
#include "ct_perfetto.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct ct__pf {
	char *path; /* owned */
	char *tmp;  /* owned */
	FILE *f;    /* owned */
};

void ct_perfetto_opts_init(struct ct_perfetto_opts *opts)
{
	opts->hold = CT_PERFETTO_HOLD_AUTO;
	opts->hold_min_ns = 10000;
	opts->counters = 1;
}

static int ct__pf_finish(void *self)
{
	struct ct__pf *pf = self;
	int ret = 0;

	if (!pf->f)
		return -EINVAL;
	fputs("{\"traceEvents\":[]}\n", pf->f);
	if (fclose(pf->f) != 0)
		ret = -errno;
	pf->f = NULL;
	if (ret == 0 && rename(pf->tmp, pf->path) != 0)
		ret = -errno;
	if (ret == 0) {
		free(pf->tmp);
		pf->tmp = NULL;
	}
	return ret;
}

static void ct__pf_destroy(void *self)
{
	struct ct__pf *pf = self;

	if (!pf)
		return;
	if (pf->f)
		fclose(pf->f);
	if (pf->tmp)
		unlink(pf->tmp);
	free(pf->tmp);
	free(pf->path);
	free(pf);
}

int ct_perfetto_create(const struct ct_perfetto_opts *opts, const char *out_path,
		       struct ct_consumer *out)
{
	struct ct__pf *pf;
	int fd;

	(void)opts;
	if (!out_path || !*out_path || !out)
		return -EINVAL;
	pf = calloc(1, sizeof(*pf));
	if (!pf)
		return -ENOMEM;
	pf->path = strdup(out_path);
	pf->tmp = malloc(strlen(out_path) + 16);
	if (!pf->path || !pf->tmp) {
		ct__pf_destroy(pf);
		return -ENOMEM;
	}
	sprintf(pf->tmp, "%s.tmp-XXXXXX", out_path);
	fd = mkstemp(pf->tmp);
	if (fd < 0) {
		int ret = -errno;
		free(pf->tmp);
		pf->tmp = NULL;
		ct__pf_destroy(pf);
		return ret;
	}
	pf->f = fdopen(fd, "w");
	memset(out, 0, sizeof(*out));
	out->name = "perfetto";
	out->self = pf;
	out->finish = ct__pf_finish;
	out->destroy = ct__pf_destroy;
	return 0;
}
