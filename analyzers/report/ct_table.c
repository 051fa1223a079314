/* SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L
#include "ct_table.h"
#include "ct_esc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void ct__table_err(struct ct_table *t, int err)
{
        if (!t->err) {
                t->err = err;
        }
}

void ct_report_init(struct ct_report *r)
{
        memset(r, 0, sizeof(*r));
}

static void ct__table_free(struct ct_table *t)
{
        size_t i;

        if (!t) {
                return;
        }
        for (i = 0; i < t->nrows * t->ncols; i++) {
                free(t->cells[i].s);
                free(t->cells[i].text);
        }
        for (i = 0; i < t->nnotes; i++) {
                free(t->notes[i]);
        }
        free(t->notes);
        free(t->cells);
        free(t->parent_row);
        free(t->key);
        free(t->title);
        free(t->nest_key);
        free(t);
}

void ct_report_fini(struct ct_report *r)
{
        size_t i;

        for (i = 0; i < r->ntables; i++) {
                ct__table_free(r->tables[i]);
        }
        free(r->tables);
        memset(r, 0, sizeof(*r));
}

struct ct_table *ct_report_add_table(struct ct_report *r, const char *key, const char *title,
                                     const struct ct_col *cols, size_t ncols)
{
        struct ct_table *t = calloc(1, sizeof(*t));
        struct ct_table **n;

        if (!t) {
                goto error;
        }
        t->key = strdup(key);
        t->title = strdup(title);
        t->cols = cols;
        t->ncols = ncols;
        if (!t->key || !t->title) {
                goto error;
        }
        n = realloc(r->tables, (r->ntables + 1) * sizeof(*n));
        if (!n) {
                goto error;
        }
        r->tables = n;
        r->tables[r->ntables++] = t;
        return t;
error:
        ct__table_free(t);
        r->err = -ENOMEM;
        return NULL;
}

struct ct_table *ct_report_add_child(struct ct_report *r, struct ct_table *parent, const char *key,
                                     const char *nest_key, const char *title,
                                     const struct ct_col *cols, size_t ncols)
{
        struct ct_table *t = ct_report_add_table(r, key, title, cols, ncols);

        if (!t) {
                return NULL;
        }
        t->parent = parent;
        t->nest_key = strdup(nest_key);
        if (!t->nest_key) {
                r->err = -ENOMEM;
        }
        return t;
}

struct ct_table *ct_report_find(const struct ct_report *r, const char *key)
{
        size_t i;

        for (i = 0; i < r->ntables; i++) {
                if (!strcmp(r->tables[i]->key, key)) {
                        return r->tables[i];
                }
        }
        return NULL;
}

size_t ct_table_add_child_row(struct ct_table *t, size_t parent_row)
{
        if (t->nrows == t->cap_rows) {
                size_t ncap = t->cap_rows ? t->cap_rows * 2 : 16;
                struct ct_cell *c = realloc(t->cells, ncap * t->ncols * sizeof(*c));
                size_t *p;

                if (!c) {
                        goto error;
                }
                t->cells = c;
                p = realloc(t->parent_row, ncap * sizeof(*p));
                if (!p) {
                        goto error;
                }
                t->parent_row = p;
                t->cap_rows = ncap;
        }
        memset(&t->cells[t->nrows * t->ncols], 0, t->ncols * sizeof(*t->cells));
        t->parent_row[t->nrows] = parent_row;
        return t->nrows++;
error:
        ct__table_err(t, -ENOMEM);
        return (size_t)-1;
}

size_t ct_table_add_row(struct ct_table *t)
{
        return ct_table_add_child_row(t, 0);
}

size_t ct_table_col(const struct ct_table *t, const char *name)
{
        size_t i;

        for (i = 0; i < t->ncols; i++) {
                if (!strcmp(t->cols[i].name, name)) {
                        return i;
                }
        }
        fprintf(stderr, "conctrace: broken invariant: table %s has no column %s\n", t->key, name);
        abort();
}

static struct ct_cell *ct__cell(struct ct_table *t, size_t row, const char *col)
{
        if (row >= t->nrows) {
                return NULL; /* the row failed to allocate: t->err is set */
        }
        return &t->cells[row * t->ncols + ct_table_col(t, col)];
}

void ct_table_set_int(struct ct_table *t, size_t row, const char *col, int64_t v)
{
        struct ct_cell *c = ct__cell(t, row, col);

        if (c) {
                c->set = 1;
                c->i = v;
                c->d = (double)v;
        }
}

void ct_table_set_double(struct ct_table *t, size_t row, const char *col, double v)
{
        struct ct_cell *c = ct__cell(t, row, col);

        if (c) {
                c->set = 1;
                c->d = v;
                c->i = (int64_t)v;
        }
}

void ct_table_set_str(struct ct_table *t, size_t row, const char *col, const char *s)
{
        struct ct_cell *c = ct__cell(t, row, col);
        char *d, *e = NULL;

        if (!c) {
                return;
        }
        d = strdup(s ? s : "");
        if (d && !ct_esc_is_clean(d)) {
                e = ct_esc_text_dup(d);
        }
        if (!d || (!e && !ct_esc_is_clean(d))) {
                free(d);
                ct__table_err(t, -ENOMEM);
                return;
        }
        free(c->s);
        free(c->text);
        c->s = d;
        c->text = e;
        c->set = 1;
}

void ct_table_note(struct ct_table *t, const char *fmt, ...)
{
        va_list ap;
        char *s = NULL, **n;
        int len;

        va_start(ap, fmt);
        len = vsnprintf(NULL, 0, fmt, ap);
        va_end(ap);
        if (len < 0) {
                goto error;
        }
        s = malloc((size_t)len + 1);
        if (!s) {
                goto error;
        }
        va_start(ap, fmt);
        vsnprintf(s, (size_t)len + 1, fmt, ap);
        va_end(ap);
        n = realloc(t->notes, (t->nnotes + 1) * sizeof(*n));
        if (!n) {
                goto error;
        }
        t->notes = n;
        t->notes[t->nnotes++] = s;
        return;
error:
        free(s);
        ct__table_err(t, -ENOMEM);
}

const struct ct_cell *ct_table_cell(const struct ct_table *t, size_t row, const char *col)
{
        size_t i;

        if (!t || row >= t->nrows) {
                return NULL;
        }
        for (i = 0; i < t->ncols; i++) {
                if (!strcmp(t->cols[i].name, col)) {
                        return &t->cells[row * t->ncols + i];
                }
        }
        return NULL;
}

size_t ct_table_find_row(const struct ct_table *t, const char *col, const char *s)
{
        size_t r;

        for (r = 0; t && r < t->nrows; r++) {
                const struct ct_cell *c = ct_table_cell(t, r, col);

                if (c && c->set && c->s && !strcmp(c->s, s)) {
                        return r;
                }
        }
        return (size_t)-1;
}
