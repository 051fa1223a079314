/* SPDX-License-Identifier: MIT */
/*
 * The analysis step of `conctrace run` and `sweep` (see ct_wf_analyze.h).
 */
#define _GNU_SOURCE
#include "ct_wf_analyze.h"

#include "ct_driver.h"
#include "ct_perfetto.h"
#include "ct_report.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Create the timeline consumer for path (format from its extension). */
static int ct__wf_timeline(const struct ct_wf_analyze_opts *o, const char *path,
                           struct ct_consumer *c)
{
        struct ct_perfetto_opts popts;
        int ret;

        ct_perfetto_opts_init(&popts);
        popts.format = ct_perfetto_format_of_path(path);
        ret = ct_perfetto_create(&popts, path, c);
        if (ret < 0)
                fprintf(stderr, "%s: Failed to create timeline: %s: path=%s/%s\n", o->prefix,
                        strerror(-ret), o->dir, path);
        return ret;
}

/* Both timelines written: a JSON too big for a browser import goes. */
static void ct__wf_drop_big_json(const struct ct_wf_analyze_opts *o)
{
        struct stat sb;

        if (!o->timeline || !o->timeline_pb || stat(o->timeline, &sb) ||
            (unsigned long long)sb.st_size <= CT_WF_JSON_MAX)
                return;
        if (unlink(o->timeline) == 0)
                fprintf(stderr,
                        "%s: %s not kept: %llu MB of JSON is more than Perfetto UI imports in a "
                        "browser (about %llu MB, see docs/perfetto.md); open %s instead\n",
                        o->prefix, o->timeline, (unsigned long long)sb.st_size >> 20,
                        CT_WF_JSON_MAX >> 20, o->timeline_pb);
}

int ct_wf_analyze(const struct ct_wf_analyze_opts *o, struct ct_analyses **out,
                  struct ct_report *report)
{
        struct ct_driver_opts dopts = {.quiet = o->quiet, .err = NULL};
        struct ct_analyses *a = NULL;
        struct ct_consumer perfetto, perfetto_pb;
        bool have_perfetto = false, have_pb = false;
        struct ct_consumer **consumers = NULL;
        size_t nc = 0, i;
        int cwd = -1;
        int ret;

        *out = NULL;
        ct_report_init(report);
        cwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (cwd < 0) {
                ret = -errno;
                fprintf(stderr, "%s: Failed to open the working directory: %s\n", o->prefix,
                        strerror(errno));
                goto end;
        }
        if (chdir(o->dir)) {
                ret = -errno;
                fprintf(stderr, "%s: Failed to enter the output directory: path=%s: %s\n",
                        o->prefix, o->dir, strerror(errno));
                goto end;
        }
        ret = ct_analyses_create(NULL, &a);
        if (ret < 0) {
                fprintf(stderr, "%s: Failed to create the analyses: %s\n", o->prefix,
                        strerror(-ret));
                goto end;
        }
        if (o->timeline) {
                ret = ct__wf_timeline(o, o->timeline, &perfetto);
                if (ret < 0)
                        goto end;
                have_perfetto = true;
        }
        if (o->timeline_pb) {
                ret = ct__wf_timeline(o, o->timeline_pb, &perfetto_pb);
                if (ret < 0)
                        goto end;
                have_pb = true;
        }
        if (have_perfetto || have_pb) { /* after the analyses in the list: one draws their paths */
                ret = ct_perfetto_share_critpath(have_pb ? &perfetto_pb : &perfetto,
                                                 ct_analyses_critpath(a));
                if (ret < 0) {
                        fprintf(stderr, "%s: Failed to create timeline: %s\n", o->prefix,
                                strerror(-ret));
                        goto end;
                }
        }
        consumers = calloc(ct_analyses_consumer_count(a) + 2, sizeof(*consumers));
        if (!consumers) {
                ret = -ENOMEM;
                fprintf(stderr, "%s: out of memory\n", o->prefix);
                goto end;
        }
        for (i = 0; i < ct_analyses_consumer_count(a); i++) {
                consumers[nc++] = ct_analyses_consumer(a, i);
        }
        if (have_perfetto) {
                consumers[nc++] = &perfetto;
        }
        if (have_pb) {
                consumers[nc++] = &perfetto_pb;
        }
        ret = ct_driver_run(o->traces, o->n, consumers, nc, &dopts, NULL);
        if (ret) {
                fprintf(stderr, "%s: Failed to analyze the trace%s in %s\n", o->prefix,
                        o->n > 1 ? "s" : "", o->dir);
                goto end;
        }
        if (o->report_txt) {
                ret = ct_analyses_write(a, CT_REPORT_TEXT, o->report_txt);
                if (ret) {
                        fprintf(stderr, "%s: Failed to write the report: %s: path=%s/%s\n",
                                o->prefix, strerror(-ret), o->dir, o->report_txt);
                        goto end;
                }
        }
        if (o->report_json) {
                ret = ct_analyses_write(a, CT_REPORT_JSON, o->report_json);
                if (ret) {
                        fprintf(stderr, "%s: Failed to write the report: %s: path=%s/%s\n",
                                o->prefix, strerror(-ret), o->dir, o->report_json);
                        goto end;
                }
        }
        ct__wf_drop_big_json(o);
        ret = ct_analyses_report(a, report);
        if (ret) {
                fprintf(stderr, "%s: Failed to build the report tables: %s\n", o->prefix,
                        strerror(-ret));
                goto end;
        }
        *out = a;
        a = NULL;
end:
        free(consumers);
        if (have_perfetto) {
                perfetto.destroy(perfetto.self); /* after finish: the file stays */
        }
        if (have_pb) {
                perfetto_pb.destroy(perfetto_pb.self);
        }
        ct_analyses_destroy(a);
        if (cwd >= 0) {
                if (fchdir(cwd)) {
                        fprintf(stderr, "%s: Failed to return to the working directory: %s\n",
                                o->prefix, strerror(errno));
                        if (!ret) {
                                ret = -errno;
                        }
                }
                close(cwd);
        }
        if (ret && *out) {
                ct_analyses_destroy(*out);
                *out = NULL;
        }
        if (ret) {
                ct_report_fini(report);
                ct_report_init(report);
        }
        return ret;
}

int ct_wf_cell_int(const struct ct_table *t, size_t row, const char *col, int64_t *v)
{
        const struct ct_cell *c = t && row < t->nrows ? ct_table_cell(t, row, col) : NULL;

        if (!c || !c->set) {
                return 0;
        }
        *v = c->i;
        return 1;
}

int ct_wf_cell_double(const struct ct_table *t, size_t row, const char *col, double *v)
{
        const struct ct_cell *c = t && row < t->nrows ? ct_table_cell(t, row, col) : NULL;

        if (!c || !c->set) {
                return 0;
        }
        *v = c->d;
        return 1;
}

const char *ct_wf_cell_str(const struct ct_table *t, size_t row, const char *col)
{
        const struct ct_cell *c = t && row < t->nrows ? ct_table_cell(t, row, col) : NULL;

        return c && c->set && c->s ? c->s : "-";
}

const char *ct_wf_cell_text(const struct ct_table *t, size_t row, const char *col)
{
        const struct ct_cell *c = t && row < t->nrows ? ct_table_cell(t, row, col) : NULL;

        if (!c || !c->set || !c->s) {
                return "-";
        }
        return c->text ? c->text : c->s;
}
