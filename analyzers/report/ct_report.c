/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "ct_esc.h"
#include "ct_outfile.h"
#include "ct_report.h"
#include "ct_version.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

const char *ct_report_fmt_ns(int64_t ns, char *buf, size_t size)
{
        double v = (double)ns;
        int64_t a = ns < 0 ? (ns == INT64_MIN ? INT64_MAX : -ns) : ns;

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

/* Start (ns) of trace `trace` from the "traces" table, for relative times; 0 if unknown. */
static int64_t ct__origin(const struct ct_report *r, int64_t trace)
{
        const struct ct_table *t = ct_report_find(r, "traces");
        const struct ct_cell *tc, *fc;
        size_t i;

        for (i = 0; t && i < t->nrows; i++) {
                tc = ct_table_cell(t, i, "trace");
                fc = ct_table_cell(t, i, "first_ts");
                if (tc && fc && tc->set && fc->set && tc->i == trace) {
                        return fc->i;
                }
        }
        return 0;
}

/*
 * The text of one cell; "-" for null. The one place a cell becomes text:
 * escaping for the terminal belongs here. A CT_COL_TS cell is shown relative
 * to the start of its row's trace ("+1.25 ms").
 */
static const char *ct__cell_text(const struct ct_report *r, const struct ct_table *t, size_t row,
                                 size_t col, char *buf, size_t size)
{
        const struct ct_col *cd = &t->cols[col];
        const struct ct_cell *c = &t->cells[row * t->ncols + col];

        if (!c->set) {
                return "-";
        }
        switch (cd->type) {
        case CT_COL_STR:
                return c->text ? c->text : c->s ? c->s : "";
        case CT_COL_INT:
                if (r && (cd->flags & CT_COL_TS)) {
                        const struct ct_cell *tr = ct_table_cell(t, row, "trace");
                        char tmp[48];
                        int64_t rel;

                        /* A hostile trace's timestamps may not subtract (fuzz_events). */
                        if (!__builtin_sub_overflow(c->i, ct__origin(r, tr && tr->set ? tr->i : 0),
                                                    &rel)) {
                                ct_report_fmt_ns(rel, tmp, sizeof(tmp));
                                snprintf(buf, size, "+%s", tmp);
                                return buf;
                        }
                }
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

/* Terminal width: r->text_width, else COLUMNS, else the tty's, else 100. */
static size_t ct__text_width(const struct ct_report *r, FILE *f)
{
        const char *e = getenv("COLUMNS");
        struct winsize ws;
        long v;

        if (r->text_width) {
                return r->text_width < 40 ? 40 : r->text_width;
        }
        if (e && (v = strtol(e, NULL, 10)) >= 40 && v < 10000) {
                return (size_t)v;
        }
        if (isatty(fileno(f)) && !ioctl(fileno(f), TIOCGWINSZ, &ws) && ws.ws_col >= 40) {
                return ws.ws_col;
        }
        return 100;
}

/* Prints s in a field of w columns, abbreviated in the middle with '~' if longer. */
static void ct__put_cell(FILE *f, const char *s, size_t w, int left)
{
        size_t l = strlen(s), h;

        if (l <= w) {
                fprintf(f, left ? " %-*s" : " %*s", (int)w, s);
                return;
        }
        h = (w - 1) / 2;
        fprintf(f, " %.*s~%s", (int)h, s, s + l - (w - 1 - h));
}

/* Prints text wrapped at width: the first line after first and a space, the others after indent. */
static void ct__wrap(FILE *f, const char *first, const char *indent, const char *raw, size_t width)
{
        size_t col = strlen(first), ind = strlen(indent);
        char *text = ct_esc_text_dup(raw); /* trace strings in it: escaped (ct_esc.h) */
        const char *p = text ? text : "?";
        int bol = 0; /* at the beginning of a continuation line */

        fputs(first, f);
        while (*p) {
                const char *q = strchr(p, ' ');
                size_t wl = q ? (size_t)(q - p) : strlen(p);

                if (!bol && col > ind && col + 1 + wl > width) {
                        fprintf(f, "\n%s", indent);
                        col = ind;
                        bol = 1;
                }
                if (!bol) {
                        fputc(' ', f);
                        col++;
                }
                bol = 0;
                fwrite(p, 1, wl, f);
                col += wl;
                p += wl;
                while (*p == ' ') {
                        p++;
                }
        }
        fputc('\n', f);
        free(text);
}

static void ct__print_findings(const struct ct_report *r, const struct ct_table *t, FILE *f,
                               size_t width)
{
        size_t i;

        if (!t->nrows) {
                fprintf(f, "Findings: none (no rule of docs/analyses.md fired)\n\n");
                return;
        }
        ct_esc_fputs(t->title, f);
        fputc('\n', f);
        for (i = 0; i < t->nrows; i++) {
                const struct ct_cell *tx = ct_table_cell(t, i, "text");
                const struct ct_cell *wh = ct_table_cell(t, i, "where");
                const struct ct_cell *id = ct_table_cell(t, i, "id");
                char first[32], buf[1200];

                (void)r;
                snprintf(first, sizeof(first), "%3u.", (unsigned)(i + 1) % 1000u);
                snprintf(buf, sizeof(buf), "%s [%s]", tx && tx->s ? tx->s : "",
                         id && id->s ? id->s : "");
                ct__wrap(f, first, "     ", buf, width);
                if (wh && wh->set && wh->s && wh->s[0]) {
                        ct__wrap(f, "     look at:", "              ", wh->s, width);
                }
        }
        fprintf(f, "\n");
}

/* 1 if column c has a cell worth showing (set, non-zero, non-empty). */
static int ct__col_has_data(const struct ct_table *t, size_t c)
{
        size_t r;

        for (r = 0; r < t->nrows; r++) {
                const struct ct_cell *x = &t->cells[r * t->ncols + c];

                if (!x->set) {
                        continue;
                }
                switch (t->cols[c].type) {
                case CT_COL_STR:
                        if (x->s && x->s[0]) {
                                return 1;
                        }
                        break;
                case CT_COL_INT:
                case CT_COL_NS:
                        if (x->i) {
                                return 1;
                        }
                        break;
                default:
                        if (x->d != 0.0) {
                                return 1;
                        }
                        break;
                }
        }
        return 0;
}

static void ct__print_table(const struct ct_report *rep, const struct ct_table *t, FILE *f)
{
        size_t width = ct__text_width(rep, f);
        size_t *w = calloc(t->ncols ? t->ncols : 1, sizeof(*w));
        size_t *vis = calloc(t->ncols ? t->ncols : 1, sizeof(*vis));
        size_t *nat = calloc(t->ncols ? t->ncols : 1, sizeof(*nat));
        size_t nvis = 0, r, c, i, total, g0;
        char buf[64];

        if (!strcmp(t->key, "findings")) {
                ct__print_findings(rep, t, f, width);
                goto end;
        }
        if (!t->nrows) {
                ct_esc_fputs(t->title, f);
                fputs(": none\n\n", f);
                goto end;
        }
        ct_esc_fputs(t->title, f);
        fputc('\n', f);
        if (!w || !vis || !nat) {
                goto end;
        }
        for (c = 0; c < t->ncols; c++) {
                if ((t->cols[c].flags & CT_COL_NOTEXT) ||
                    (!rep->text_all && !ct__col_has_data(t, c))) {
                        continue;
                }
                vis[nvis++] = c;
                w[c] = strlen(t->cols[c].name);
                for (r = 0; r < t->nrows; r++) {
                        size_t l = strlen(ct__cell_text(rep, t, r, c, buf, sizeof(buf)));

                        if (l > w[c]) {
                                w[c] = l;
                        }
                }
        }
        /* too wide: shorten the widest text column, down to 12 or its name; never the first
         * (the row's name, which leads every group below) */
        for (i = 0; i < nvis; i++) {
                nat[vis[i]] = w[vis[i]];
        }
        for (;;) {
                size_t best = (size_t)-1;

                total = 1;
                for (i = 0; i < nvis; i++) {
                        total += w[vis[i]] + 1;
                }
                if (total <= width) {
                        break;
                }
                for (i = 1; i < nvis; i++) {
                        c = vis[i];
                        if (t->cols[c].type == CT_COL_STR && w[c] > 12 &&
                            w[c] > strlen(t->cols[c].name) &&
                            (best == (size_t)-1 || w[c] > w[best])) {
                                best = c;
                        }
                }
                if (best == (size_t)-1) {
                        /* shortening is not enough: groups of columns, names at most 40 wide */
                        for (i = 0; i < nvis; i++) {
                                c = vis[i];
                                w[c] = t->cols[c].type == CT_COL_STR && nat[c] > 40 ? 40 : nat[c];
                        }
                        break;
                }
                w[best]--;
        }
        /* still too wide: columns in groups that fit, each led by the first column */
        for (g0 = 0; g0 < nvis;) {
                size_t g1 = g0, used = 1 + (g0 ? w[vis[0]] + 1 : 0);

                while (g1 < nvis && (g1 == g0 || used + w[vis[g1]] + 1 <= width)) {
                        used += w[vis[g1]] + 1;
                        g1++;
                }
                for (r = (size_t)-1; r == (size_t)-1 || r < t->nrows; r++) {
                        fprintf(f, " ");
                        for (i = (g0 ? 0 : g0); i < g1; i = (i == 0 && g0) ? g0 : i + 1) {
                                int left;
                                const char *s;

                                c = vis[i];
                                left = t->cols[c].type == CT_COL_STR;
                                s = r == (size_t)-1 ? t->cols[c].name
                                                    : ct__cell_text(rep, t, r, c, buf, sizeof(buf));
                                ct__put_cell(f, s, w[c], left);
                        }
                        fprintf(f, "\n");
                }
                g0 = g1;
                if (g0 < nvis) {
                        fprintf(f, "\n");
                }
        }
        if (nvis < t->ncols && !rep->text_all) {
                size_t hidden = 0;

                for (c = 0; c < t->ncols; c++) {
                        hidden += !(t->cols[c].flags & CT_COL_NOTEXT) && !ct__col_has_data(t, c);
                }
                if (hidden) {
                        fprintf(f,
                                "  (%zu all-zero or empty column%s not shown: --all shows them)\n",
                                hidden, hidden > 1 ? "s" : "");
                }
        }
        for (r = 0; r < t->nnotes; r++) {
                ct__wrap(f, "  note:", "        ", t->notes[r], width);
        }
        fprintf(f, "\n");
end:
        free(w);
        free(vis);
        free(nat);
}

int ct_report_text_stream(const struct ct_report *r, FILE *f)
{
        size_t i;

        for (i = 0; i < r->ntables; i++) {
                ct__print_table(r, r->tables[i], f);
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
                                ct_esc_csv_fputs(cell->s ? cell->s : "", f);
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
