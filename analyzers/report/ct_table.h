/* SPDX-License-Identifier: MIT */
/*
 * Report tables: what the analyses produce and the writers (ct_report.h)
 * render as text, json or csv. A table has typed columns and rows of cells
 * (a cell may be null: "-" in text, null in json, empty in csv). A child
 * table (e.g. select_fds) is nested in json under its parent's rows.
 */
#ifndef CT_TABLE_H
#define CT_TABLE_H

#include <stddef.h>
#include <stdint.h>

enum ct_col_type {
        CT_COL_STR,   /* text */
        CT_COL_INT,   /* integer (counts, ids, timestamps) */
        CT_COL_NS,    /* integer ns; text shows a unit (1.25 ms) */
        CT_COL_RATIO, /* 0..1; text shows a percentage */
        CT_COL_FLOAT, /* e.g. speedup; text with 3 decimals */
};

#define CT_COL_NOTEXT 1u /* json and csv only: the text table shows it elsewhere */
#define CT_COL_TS 2u     /* an INT timestamp: text shows it relative to its trace's start */

struct ct_col {
        const char *name; /* weak: static; json key and csv header */
        enum ct_col_type type;
        unsigned flags; /* CT_COL_NOTEXT */
};

struct ct_cell {
        int set; /* 0: null */
        int64_t i;
        double d;
        char *s; /* owned */
};

struct ct_table {
        char *key;                 /* owned: json key, csv file name */
        char *title;               /* owned: text heading */
        const struct ct_col *cols; /* weak: static array */
        size_t ncols;
        struct ct_cell *cells; /* owned: nrows * ncols */
        size_t nrows, cap_rows;
        size_t *parent_row;      /* owned: per row, the parent's row (child tables) */
        struct ct_table *parent; /* weak: NULL for a top-level table */
        char *nest_key;          /* owned: key of the nested array in json */
        int single;              /* json: one object (row 0) instead of an array */
        char **notes;            /* owned: notes printed under the table */
        size_t nnotes;
        int err; /* first negative errno while filling */
};

struct ct_report {
        struct ct_table **tables; /* owned */
        size_t ntables;
        int err;
        /* text writer: show every column (else the all-zero/empty ones are dropped) */
        int text_all;
        /* text writer: width in columns, 0 = COLUMNS, else the tty's, else 100 */
        unsigned text_width;
};

void ct_report_init(struct ct_report *r);
void ct_report_fini(struct ct_report *r);

/* NULL on -ENOMEM (r->err set). */
struct ct_table *ct_report_add_table(struct ct_report *r, const char *key, const char *title,
                                     const struct ct_col *cols, size_t ncols);
struct ct_table *ct_report_add_child(struct ct_report *r, struct ct_table *parent, const char *key,
                                     const char *nest_key, const char *title,
                                     const struct ct_col *cols, size_t ncols);
struct ct_table *ct_report_find(const struct ct_report *r, const char *key);

/* New row, all cells null; returns its index (errors recorded in t->err). */
size_t ct_table_add_row(struct ct_table *t);
size_t ct_table_add_child_row(struct ct_table *t, size_t parent_row);
/* Column by name: aborts if the table has no such column (a programming error). */
size_t ct_table_col(const struct ct_table *t, const char *name);
void ct_table_set_int(struct ct_table *t, size_t row, const char *col, int64_t v);
void ct_table_set_str(struct ct_table *t, size_t row, const char *col, const char *s);
void ct_table_set_double(struct ct_table *t, size_t row, const char *col, double v);
void ct_table_note(struct ct_table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Lookups for tests and callers: the cell, or NULL if the column is absent. */
const struct ct_cell *ct_table_cell(const struct ct_table *t, size_t row, const char *col);
/* First row whose string column col equals s, or (size_t)-1. */
size_t ct_table_find_row(const struct ct_table *t, const char *col, const char *s);

#endif /* CT_TABLE_H */
