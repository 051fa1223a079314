/* SPDX-License-Identifier: MIT */
/*
 * Escaping of untrusted strings: every string read from a trace (names,
 * roles, procnames, params, paths) goes through here before it reaches a
 * terminal, a text report or a CSV file.
 *
 * Text (terminal, text report, messages): printable ASCII and valid UTF-8 pass
 * unchanged; a backslash becomes "\\"; control characters (C0 and DEL) become
 * "\n", "\t", "\r" or "\xNN"; C1 controls and the Unicode characters that
 * reorder or break lines (U+2028/9, bidi overrides and isolates) become
 * "\u{XXXX}"; every byte that is not part of valid UTF-8 becomes "\xNN".
 * The result holds no byte a terminal interprets as a control.
 *
 * CSV: the text escaping, then a leading '=', '+', '-' or '@' (a formula in
 * a spreadsheet) is neutralised with a leading apostrophe, then RFC 4180
 * quoting (double quotes when the field holds ',' '"' or a quote was needed,
 * inner quotes doubled).
 *
 * JSON needs none of this: jansson escapes control characters, and the
 * report replaces invalid UTF-8 (ct_report.c).
 */
#ifndef CT_ESC_H
#define CT_ESC_H

#include <stddef.h>
#include <stdio.h>

/* 1 if s needs no text escaping (NULL counts as clean). */
int ct_esc_is_clean(const char *s);

/*
 * Writes the text escaping of s into dst (at most size bytes, always
 * terminated if size > 0; a cut never splits an escape sequence) and returns
 * the length the whole escaped string has, as snprintf does.
 */
size_t ct_esc_text(char *dst, size_t size, const char *s);

/* The escaped copy (malloc'd), or NULL on -ENOMEM. */
char *ct_esc_text_dup(const char *s);

/* For messages: the escaping of s in buf (cut to size, ending in "..."); returns buf. */
const char *ct_esc(const char *s, char *buf, size_t size);

/* Writes the text escaping of s to f. 0 or EOF. */
int ct_esc_fputs(const char *s, FILE *f);

/* Writes s as one CSV field (escaped, formula-neutralised, RFC 4180 quoted). 0 or EOF. */
int ct_esc_csv_fputs(const char *s, FILE *f);

#endif /* CT_ESC_H */
