/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "ct_outfile.h"
#include "ct_report.h"
#include "ct_version.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *ct_report_fmt_ns(int64_t ns, char *buf, size_t size)
{
        double v = (double)ns;
        int64_t a = ns < 0 ? -ns : ns;

        if (a < 1000) {
                snprintf(buf, size, "%" PRId64 " ns", ns);
        } else if (a < 1000000) {
                snprintf(buf, size, "%.2f us", v / 1e3);
        } else if (a < 1000000000) {
                snprintf(buf, size, "%.2f ms", v / 1e6);
        } else {
                snprintf(buf, size, "%.3f s", v / 1e9);
        }
        return buf;
}

/* The text of one cell; "-" for null. */
static const char *ct__cell_text(const struct ct_col *col, const struct ct_cell *c, char *buf,
                                 size_t size)
{
        if (!c->set) {
                return "-";
        }
        switch (col->type) {
        case CT_COL_STR:
                return c->s ? c->s : "";
        case CT_COL_INT:
                snprintf(buf, size, "%" PRId64, c->i);
                return buf;
        case CT_COL_NS:
                return ct_report_fmt_ns(c->i, buf, size);
        case CT_COL_RATIO:
                snprintf(buf, size, "%.1f%%", c->d * 100.0);
                return buf;
        case CT_COL_FLOAT:
                snprintf(buf, size, "%.3f", c->d);
                return buf;
        }
        return "?";
}

static void ct__print_table(const struct ct_table *t, FILE *f)
{
        size_t *w = calloc(t->ncols ? t->ncols : 1, sizeof(*w));
        char buf[64];
        size_t r, c;

        fprintf(f, "%s\n", t->title);
        if (!w) {
                return;
        }
        for (c = 0; c < t->ncols; c++) {
                w[c] = strlen(t->cols[c].name);
        }
#define CT__SKIP(c) (t->cols[c].flags & CT_COL_NOTEXT)
        for (r = 0; r < t->nrows; r++) {
                for (c = 0; c < t->ncols; c++) {
                        size_t l = strlen(ct__cell_text(&t->cols[c], &t->cells[r * t->ncols + c],
                                                        buf, sizeof(buf)));
                        if (l > w[c]) {
                                w[c] = l;
                        }
                }
        }
        if (!t->nrows) {
                fprintf(f, "  (none)\n");
        } else {
                fprintf(f, " ");
                for (c = 0; c < t->ncols; c++) {
                        int left = t->cols[c].type == CT_COL_STR;

                        if (CT__SKIP(c)) {
                                continue;
                        }
                        fprintf(f, left ? " %-*s" : " %*s", (int)w[c], t->cols[c].name);
                }
                fprintf(f, "\n");
                for (r = 0; r < t->nrows; r++) {
                        fprintf(f, " ");
                        for (c = 0; c < t->ncols; c++) {
                                int left = t->cols[c].type == CT_COL_STR;
                                const char *s;

                                if (CT__SKIP(c)) {
                                        continue;
                                }
                                s = ct__cell_text(&t->cols[c], &t->cells[r * t->ncols + c], buf,
                                                  sizeof(buf));

                                fprintf(f, left ? " %-*s" : " %*s", (int)w[c], s);
                        }
                        fprintf(f, "\n");
                }
        }
        for (r = 0; r < t->nnotes; r++) {
                fprintf(f, "  note: %s\n", t->notes[r]);
        }
        fprintf(f, "\n");
        free(w);
#undef CT__SKIP
}

int ct_report_text_stream(const struct ct_report *r, FILE *f)
{
        size_t i;

        for (i = 0; i < r->ntables; i++) {
                ct__print_table(r->tables[i], f);
        }
        return ferror(f) ? -EIO : 0;
}

typedef int (*ct__write_fn)(const void *arg, FILE *f);

/* Writes path (or "-", standard output) with fn, whole or not at all. */
static int ct__write_whole(const char *path, ct__write_fn fn, const void *arg)
{
        struct ct_outfile o;
        FILE *f;
        int err = ct_outfile_open(&o, path);

        if (err) {
                return err;
        }
        f = ct_outfile_stream(&o);
        err = f ? fn(arg, f) : -errno;
        if (err) {
                ct_outfile_abort(&o);
                return err;
        }
        return ct_outfile_commit(&o);
}

static void ct__report_fail(const char *what, const char *path, int err)
{
        fprintf(stderr, "conctrace: Failed to write %s report: path=%s cause=%s\n", what, path,
                strerror(-err));
}

static int ct__text_fn(const void *arg, FILE *f)
{
        return ct_report_text_stream(arg, f);
}

int ct_report_write_text(const struct ct_report *r, const char *path)
{
        int err = ct__write_whole(path, ct__text_fn, r);

        if (err) {
                ct__report_fail("text", path, err);
        }
        return err;
}

/* A json string of s, replacing bytes that are not valid UTF-8 with '?'. */
static json_t *ct__json_str(const char *s)
{
        json_t *j = json_string(s ? s : "");
        char *c;
        size_t i;

        if (j) {
                return j;
        }
        c = strdup(s);
        if (!c) {
                return NULL;
        }
        for (i = 0; c[i]; i++) {
                if ((unsigned char)c[i] >= 0x80) {
                        c[i] = '?';
                }
        }
        j = json_string(c);
        free(c);
        return j;
}

static json_t *ct__json_cell(const struct ct_col *col, const struct ct_cell *c)
{
        if (!c->set) {
                return json_null();
        }
        switch (col->type) {
        case CT_COL_STR:
                return ct__json_str(c->s);
        case CT_COL_INT:
        case CT_COL_NS:
                return json_integer(c->i);
        case CT_COL_RATIO:
        case CT_COL_FLOAT:
                return isfinite(c->d) ? json_real(c->d) : json_null();
        }
        return json_null();
}

static json_t *ct__json_row(const struct ct_report *r, const struct ct_table *t, size_t row)
{
        json_t *o = json_object();
        size_t c, i, k;

        if (!o) {
                return NULL;
        }
        for (c = 0; c < t->ncols; c++) {
                if (json_object_set_new(o, t->cols[c].name,
                                        ct__json_cell(&t->cols[c], &t->cells[row * t->ncols + c])) <
                    0) {
                        goto error;
                }
        }
        for (i = 0; i < r->ntables; i++) {
                const struct ct_table *ch = r->tables[i];
                json_t *a;

                if (ch->parent != t) {
                        continue;
                }
                a = json_array();
                if (!a || json_object_set_new(o, ch->nest_key, a) < 0) {
                        goto error;
                }
                for (k = 0; k < ch->nrows; k++) {
                        if (ch->parent_row[k] == row &&
                            json_array_append_new(a, ct__json_row(r, ch, k)) < 0) {
                                goto error;
                        }
                }
        }
        return o;
error:
        json_decref(o);
        return NULL;
}

/* "tool": the conctrace and library versions that made this report. */
static json_t *ct__json_tool(void)
{
        struct ct_version_info v;

        ct_version_get(&v);
        return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "name", "conctrace", "version",
                         v.version, "commit", v.commit, "lttng_ust", v.lttng_ust, "lttng_ctl",
                         v.lttng_ctl, "babeltrace2", v.babeltrace2);
}

static json_t *ct__json_report(const struct ct_report *r)
{
        json_t *root = json_object();
        size_t i, k;

        if (!root) {
                return NULL;
        }
        for (i = 0; i < r->ntables; i++) {
                const struct ct_table *t = r->tables[i];
                json_t *v;

                if (t->parent) {
                        continue;
                }
                if (t->single) {
                        size_t j;
                        json_t *notes;

                        v = t->nrows ? ct__json_row(r, t, 0) : json_object();
                        notes = json_array();
                        if (!v || !notes || json_object_set_new(v, "notes", notes) < 0) {
                                json_decref(v);
                                goto error;
                        }
                        for (j = 0; j < r->ntables; j++) {
                                for (k = 0; k < r->tables[j]->nnotes; k++) {
                                        if (json_array_append_new(
                                                notes, ct__json_str(r->tables[j]->notes[k])) < 0) {
                                                json_decref(v);
                                                goto error;
                                        }
                                }
                        }
                } else {
                        v = json_array();
                        if (!v) {
                                goto error;
                        }
                        for (k = 0; k < t->nrows; k++) {
                                if (json_array_append_new(v, ct__json_row(r, t, k)) < 0) {
                                        json_decref(v);
                                        goto error;
                                }
                        }
                }
                if (json_object_set_new(root, t->key, v) < 0) {
                        goto error;
                }
        }
        if (json_object_set_new(root, "tool", ct__json_tool()) < 0) {
                goto error;
        }
        return root;
error:
        json_decref(root);
        return NULL;
}

static int ct__json_fn(const void *arg, FILE *f)
{
        size_t flags = JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6);

        return json_dumpf(arg, f, flags) < 0 || fputc('\n', f) == EOF ? -EIO : 0;
}

int ct_report_write_json(const struct ct_report *r, const char *path)
{
        json_t *root = ct__json_report(r);
        int err = root ? ct__write_whole(path, ct__json_fn, root) : -ENOMEM;

        json_decref(root);
        if (err) {
                ct__report_fail("json", path, err);
        }
        return err;
}

static void ct__csv_field(FILE *f, const char *s)
{
        if (strpbrk(s, ",\"\r\n")) {
                fputc('"', f);
                for (; *s; s++) {
                        if (*s == '"') {
                                fputc('"', f);
                        }
                        fputc(*s, f);
                }
                fputc('"', f);
        } else {
                fputs(s, f);
        }
}

static int ct__csv_table(const struct ct_table *t, FILE *f)
{
        char buf[64];
        size_t r, c;

        for (c = 0; c < t->ncols; c++) {
                fprintf(f, c ? ",%s" : "%s", t->cols[c].name);
        }
        fputs("\r\n", f);
        for (r = 0; r < t->nrows; r++) {
                for (c = 0; c < t->ncols; c++) {
                        const struct ct_cell *cell = &t->cells[r * t->ncols + c];

                        if (c) {
                                fputc(',', f);
                        }
                        if (!cell->set) {
                                continue;
                        }
                        switch (t->cols[c].type) {
                        case CT_COL_STR:
                                ct__csv_field(f, cell->s ? cell->s : "");
                                break;
                        case CT_COL_INT:
                        case CT_COL_NS:
                                fprintf(f, "%" PRId64, cell->i);
                                break;
                        default:
                                snprintf(buf, sizeof(buf), "%.6g", cell->d);
                                fputs(buf, f);
                                break;
                        }
                }
                fputs("\r\n", f);
        }
        return ferror(f) ? -EIO : 0;
}

static char *ct__join(const char *dir, const char *name)
{
        char *p;

        if (asprintf(&p, "%s/%s", dir, name) < 0) {
                return NULL;
        }
        return p;
}

int ct_report_write_csv(const struct ct_report *r, const char *dir)
{
        char *tmpdir = NULL, *file = NULL, *dst = NULL;
        struct stat st;
        int err = 0, exists;
        size_t i, written = 0;

        exists = stat(dir, &st) == 0;
        if (exists && !S_ISDIR(st.st_mode)) {
                err = -ENOTDIR;
                goto end;
        }
        if (asprintf(&tmpdir, "%s.tmpXXXXXX", dir) < 0) {
                tmpdir = NULL;
                err = -ENOMEM;
                goto end;
        }
        if (!mkdtemp(tmpdir)) {
                err = -errno;
                free(tmpdir);
                tmpdir = NULL;
                goto end;
        }
        for (i = 0; i < r->ntables; i++) {
                char name[256];
                FILE *f;

                snprintf(name, sizeof(name), "%s.csv", r->tables[i]->key);
                file = ct__join(tmpdir, name);
                if (!file) {
                        err = -ENOMEM;
                        goto cleanup;
                }
                f = fopen(file, "w");
                if (!f) {
                        err = -errno;
                        goto cleanup;
                }
                written++;
                err = ct__csv_table(r->tables[i], f);
                if (fclose(f) != 0 && !err) {
                        err = -errno;
                }
                if (err) {
                        goto cleanup;
                }
                free(file);
                file = NULL;
        }
        if (!exists) {
                mode_t um = umask(0);

                umask(um);
                (void)chmod(tmpdir, 0777 & ~um);
                if (rename(tmpdir, dir) < 0) {
                        err = -errno;
                        goto cleanup;
                }
                goto end;
        }
        for (i = 0; i < r->ntables; i++) {
                char name[256];

                snprintf(name, sizeof(name), "%s.csv", r->tables[i]->key);
                free(file);
                free(dst);
                file = ct__join(tmpdir, name);
                dst = ct__join(dir, name);
                if (!file || !dst) {
                        err = -ENOMEM;
                        goto cleanup;
                }
                if (rename(file, dst) < 0) {
                        err = -errno;
                        goto cleanup;
                }
        }
        rmdir(tmpdir);
        goto end;
cleanup:
        for (i = 0; i < r->ntables && i <= written; i++) {
                char name[256];
                char *p;

                snprintf(name, sizeof(name), "%s.csv", r->tables[i]->key);
                p = ct__join(tmpdir, name);
                if (p) {
                        unlink(p);
                        free(p);
                }
        }
        rmdir(tmpdir);
end:
        if (err) {
                ct__report_fail("csv", dir, err);
        }
        free(tmpdir);
        free(file);
        free(dst);
        return err;
}
