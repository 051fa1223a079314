/*
 * ctlabq: pick figures out of conctrace's JSON outputs for docs/labs/regenerate.
 *
 * The lab guide's numbers come from `conctrace analyze --format json` reports
 * and from `--perfetto` timelines; this helper reads either with jansson so the
 * regenerate script needs neither python3 nor jq.
 *
 *   ctlabq get  FILE TABLE FILTER FIELD [FMT]      one value (exactly one row must match)
 *   ctlabq agg  FILE TABLE FILTER FIELD AGG [FMT]  count|sum|min|max|mean|nuniq|uniq over rows
 *   ctlabq rows FILE TABLE FILTER FIELD[,FIELD...] [FMT[,FMT...]]  tab-separated rows
 *
 * TABLE: a key of the top-level object (an object value is one row) (`runs`, `speedup`, `threads`, `locks`,
 *   `conds`, `pipes`, `selects`, `pools`, `traceEvents`), `.` for a top-level
 *   array; `PARENT/CHILD` iterates a nested array (`selects/fds`,
 *   `pools/per_worker`) and lets fields and filters also see the parent's keys.
 * FILTER: `-` (every row) or comma-separated `key=value` (equal), `key!=value`,
 *   `key~text` (contains), `key^text` (starts with); keys and fields may be dotted
 *   paths (`args.wait_ns`). Values compare as rendered: integers in decimal.
 * FMT: raw (default), t (time in ns shown with a unit: `857.71 ms`), ms / us / s
 *   (ns as a plain number, 2 decimals), ms1 (1 decimal), pct (ratio x 100, 1
 *   decimal), f1 / f2 / f3 (decimals), int (rounded). null prints `-`.
 *
 * CTLABQ_PIDS (environment): a space-separated list of pids; when set, rows
 * with an integer `pid` field that is not in the list are left out (a trace
 * recorded with LTTng's per-UID buffers may hold other programs' processes).
 *
 * Exit status: 0 ok, 1 no match / bad file / missing field (message on stderr),
 * 2 usage.
 */
#define _POSIX_C_SOURCE 200809L
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CT_LABQ_MAX_CONDS 16

struct ct_labq_row {
	json_t *row;    /* weak */
	json_t *parent; /* weak: NULL unless TABLE is PARENT/CHILD */
};

struct ct_labq_cond {
	char *key;   /* weak: points into the filter copy */
	char *value; /* weak */
	char op;     /* '=', '!', '~', '^' */
};

static const char *ct_labq_prog = "ctlabq";
static long long *ct_labq_pids;  /* owned: from CTLABQ_PIDS, NULL: no filter */
static size_t ct_labq_npids;

static int ct_labq_load_pids(void)
{
	const char *env = getenv("CTLABQ_PIDS");
	const char *p = env;
	char *end;

	if (!env)
		return 0;
	ct_labq_pids = calloc(strlen(env) / 2 + 1, sizeof(*ct_labq_pids));
	if (!ct_labq_pids)
		return -1;
	for (;;) {
		long long v = strtoll(p, &end, 10);

		if (end == p)
			break;
		ct_labq_pids[ct_labq_npids++] = v;
		p = end;
	}
	return 0;
}

static int ct_labq_pid_ok(json_t *row)
{
	json_t *pid = json_is_object(row) ? json_object_get(row, "pid") : NULL;
	size_t i;

	if (!ct_labq_pids || !json_is_integer(pid))
		return 1;
	for (i = 0; i < ct_labq_npids; i++)
		if (ct_labq_pids[i] == json_integer_value(pid))
			return 1;
	return 0;
}

static json_t *ct_labq_path(json_t *obj, const char *path)
{
	char buf[256];
	char *save = NULL;
	char *tok;

	if (strlen(path) >= sizeof(buf))
		return NULL;
	strcpy(buf, path);
	for (tok = strtok_r(buf, ".", &save); tok && obj;
	     tok = strtok_r(NULL, ".", &save))
		obj = json_is_object(obj) ? json_object_get(obj, tok) : NULL;
	return obj;
}

static json_t *ct_labq_field(const struct ct_labq_row *r, const char *path)
{
	json_t *v = ct_labq_path(r->row, path);

	if (!v && r->parent)
		v = ct_labq_path(r->parent, path);
	return v;
}

/* Renders a scalar the way filters compare it; returns 0 or -1 (not a scalar). */
static int ct_labq_render(json_t *v, char *out, size_t len)
{
	if (json_is_string(v))
		snprintf(out, len, "%s", json_string_value(v));
	else if (json_is_integer(v))
		snprintf(out, len, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(out, len, "%.17g", json_real_value(v));
	else if (json_is_null(v))
		snprintf(out, len, "null");
	else if (json_is_true(v))
		snprintf(out, len, "true");
	else if (json_is_false(v))
		snprintf(out, len, "false");
	else
		return -1;
	return 0;
}

static int ct_labq_parse_filter(char *filter, struct ct_labq_cond *conds,
				size_t *n)
{
	char *save = NULL;
	char *tok;

	*n = 0;
	if (strcmp(filter, "-") == 0)
		return 0;
	for (tok = strtok_r(filter, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		char *p = strpbrk(tok, "=~^!");

		if (!p || p == tok || *n == CT_LABQ_MAX_CONDS)
			goto error;
		conds[*n].key = tok;
		if (*p == '!') {
			if (p[1] != '=')
				goto error;
			conds[*n].op = '!';
			conds[*n].value = p + 2;
		} else {
			conds[*n].op = *p;
			conds[*n].value = p + 1;
		}
		*p = '\0';
		(*n)++;
	}
	return 0;
error:
	fprintf(stderr, "%s: Failed to parse filter: condition=%s\n",
		ct_labq_prog, tok);
	return -1;
}

static int ct_labq_match(const struct ct_labq_row *r,
			 const struct ct_labq_cond *conds, size_t n)
{
	char buf[1024];
	size_t i;

	for (i = 0; i < n; i++) {
		json_t *v = ct_labq_field(r, conds[i].key);
		int hit;

		if (!v || ct_labq_render(v, buf, sizeof(buf)) < 0)
			return 0;
		switch (conds[i].op) {
		case '=':
			hit = strcmp(buf, conds[i].value) == 0;
			break;
		case '!':
			hit = strcmp(buf, conds[i].value) != 0;
			break;
		case '~':
			hit = strstr(buf, conds[i].value) != NULL;
			break;
		default:
			hit = strncmp(buf, conds[i].value,
				      strlen(conds[i].value)) == 0;
			break;
		}
		if (!hit)
			return 0;
	}
	return 1;
}

/* Collects the matching rows; returns their count or -1. */
static long ct_labq_select(json_t *root, const char *table, char *filter,
			   struct ct_labq_row **rows_out)
{
	struct ct_labq_cond conds[CT_LABQ_MAX_CONDS];
	struct ct_labq_row *rows = NULL;
	char tname[128];
	char *child = NULL;
	json_t *arr;
	size_t n_conds;
	size_t cap = 0;
	long n = 0;
	size_t i;

	if (ct_labq_parse_filter(filter, conds, &n_conds) < 0)
		goto error;
	if (strlen(table) >= sizeof(tname))
		goto bad_table;
	strcpy(tname, table);
	child = strchr(tname, '/');
	if (child)
		*child++ = '\0';
	arr = strcmp(tname, ".") == 0 ? root : json_object_get(root, tname);
	if (!json_is_array(arr) && !json_is_object(arr))
		goto bad_table;
	for (i = 0; i < (json_is_array(arr) ? json_array_size(arr) : 1); i++) {
		json_t *row = json_is_array(arr) ? json_array_get(arr, i) : arr;
		json_t *sub = child ? json_object_get(row, child) : NULL;
		size_t j;
		size_t m = child ? json_array_size(sub) : 1;

		if ((child && !json_is_array(sub)) || !ct_labq_pid_ok(row))
			continue;
		for (j = 0; j < m; j++) {
			struct ct_labq_row r;

			r.row = child ? json_array_get(sub, j) : row;
			r.parent = child ? row : NULL;
			if (!ct_labq_match(&r, conds, n_conds))
				continue;
			if ((size_t)n == cap) {
				struct ct_labq_row *bigger;

				cap = cap ? 2 * cap : 64;
				bigger = realloc(rows, cap * sizeof(*rows));
				if (!bigger)
					goto error;
				rows = bigger;
			}
			rows[n++] = r;
		}
	}
	*rows_out = rows;
	return n;
bad_table:
	fprintf(stderr, "%s: Failed to find table: table=%s (not an array or object)\n",
		ct_labq_prog, table);
error:
	free(rows);
	return -1;
}

static void ct_labq_time(double ns, char *out, size_t len)
{
	double a = fabs(ns);

	if (a >= 1e9)
		snprintf(out, len, "%.3f s", ns / 1e9);
	else if (a >= 1e6)
		snprintf(out, len, "%.2f ms", ns / 1e6);
	else if (a >= 1e3)
		snprintf(out, len, "%.2f us", ns / 1e3);
	else
		snprintf(out, len, "%.0f ns", ns);
}

/* Formats a value; returns 0 or -1 (not a number where FMT needs one). */
static int ct_labq_format(json_t *v, const char *fmt, char *out, size_t len)
{
	double d;

	if (!v)
		return -1;
	if (json_is_null(v)) {
		snprintf(out, len, "-");
		return 0;
	}
	if (strcmp(fmt, "raw") == 0)
		return ct_labq_render(v, out, len);
	if (!json_is_number(v))
		return -1;
	d = json_number_value(v);
	if (strcmp(fmt, "t") == 0)
		ct_labq_time(d, out, len);
	else if (strcmp(fmt, "ms") == 0)
		snprintf(out, len, "%.2f", d / 1e6);
	else if (strcmp(fmt, "ms1") == 0)
		snprintf(out, len, "%.1f", d / 1e6);
	else if (strcmp(fmt, "us") == 0)
		snprintf(out, len, "%.2f", d / 1e3);
	else if (strcmp(fmt, "s") == 0)
		snprintf(out, len, "%.3f", d / 1e9);
	else if (strcmp(fmt, "pct") == 0)
		snprintf(out, len, "%.1f", d * 100.0);
	else if (strcmp(fmt, "f1") == 0)
		snprintf(out, len, "%.1f", d);
	else if (strcmp(fmt, "f2") == 0)
		snprintf(out, len, "%.2f", d);
	else if (strcmp(fmt, "f3") == 0)
		snprintf(out, len, "%.3f", d);
	else if (strcmp(fmt, "int") == 0)
		snprintf(out, len, "%.0f", d);
	else
		return -1;
	return 0;
}

static int ct_labq_print(json_t *v, const char *fmt, const char *field)
{
	char buf[1024];

	if (ct_labq_format(v, fmt, buf, sizeof(buf)) < 0) {
		fprintf(stderr,
			"%s: Failed to format field: field=%s fmt=%s (%s)\n",
			ct_labq_prog, field, fmt,
			v ? "not a number" : "missing");
		return -1;
	}
	fputs(buf, stdout);
	return 0;
}

static int ct_labq_agg(struct ct_labq_row *rows, long n, const char *field,
		       const char *agg, const char *fmt)
{
	double sum = 0, min = INFINITY, max = -INFINITY;
	long i, j, counted = 0;

	if (strcmp(agg, "count") == 0) {
		printf("%ld\n", n);
		return 0;
	}
	if (strcmp(agg, "uniq") == 0 || strcmp(agg, "nuniq") == 0) {
		long distinct = 0;

		for (i = 0; i < n; i++) {
			json_t *v = ct_labq_field(&rows[i], field);
			int seen = 0;

			for (j = 0; j < i && !seen; j++)
				seen = json_equal(v, ct_labq_field(&rows[j],
								   field));
			if (seen || !v)
				continue;
			distinct++;
			if (agg[0] == 'u') {
				if (ct_labq_print(v, fmt, field) < 0)
					return -1;
				putchar('\n');
			}
		}
		if (agg[0] == 'n')
			printf("%ld\n", distinct);
		return 0;
	}
	for (i = 0; i < n; i++) {
		json_t *v = ct_labq_field(&rows[i], field);
		double d;

		if (json_is_null(v))
			continue;
		if (!json_is_number(v)) {
			fprintf(stderr,
				"%s: Failed to aggregate: field=%s (missing or "
				"not a number)\n",
				ct_labq_prog, field);
			return -1;
		}
		d = json_number_value(v);
		sum += d;
		min = d < min ? d : min;
		max = d > max ? d : max;
		counted++;
	}
	if (counted == 0 && strcmp(agg, "sum") != 0) {
		fprintf(stderr, "%s: Failed to aggregate: field=%s agg=%s (no values)\n",
			ct_labq_prog, field, agg);
		return -1;
	}
	{
		json_t *res;
		int ret;

		if (strcmp(agg, "sum") == 0)
			res = json_real(sum);
		else if (strcmp(agg, "min") == 0)
			res = json_real(min);
		else if (strcmp(agg, "max") == 0)
			res = json_real(max);
		else if (strcmp(agg, "mean") == 0)
			res = json_real(sum / (double)counted);
		else {
			fprintf(stderr, "%s: Failed to aggregate: agg=%s (unknown)\n",
				ct_labq_prog, agg);
			return -1;
		}
		if (strcmp(fmt, "raw") == 0 && res &&
		    json_real_value(res) == floor(json_real_value(res)) &&
		    fabs(json_real_value(res)) < 1e18) {
			json_t *as_int = json_integer(
				(json_int_t)json_real_value(res));

			json_decref(res);
			res = as_int;
		}
		ret = res ? ct_labq_print(res, fmt, field) : -1;
		json_decref(res);
		if (ret < 0)
			return -1;
		putchar('\n');
	}
	return 0;
}

static int ct_labq_rows(struct ct_labq_row *rows, long n, char *fields,
			char *fmts)
{
	char *names[32], *formats[32];
	char *save = NULL;
	size_t nf = 0, nfmt = 0, k;
	long i;

	for (char *t = strtok_r(fields, ",", &save); t && nf < 32;
	     t = strtok_r(NULL, ",", &save))
		names[nf++] = t;
	save = NULL;
	for (char *t = fmts ? strtok_r(fmts, ",", &save) : NULL; t && nfmt < 32;
	     t = strtok_r(NULL, ",", &save))
		formats[nfmt++] = t;
	for (i = 0; i < n; i++) {
		for (k = 0; k < nf; k++) {
			const char *f = k < nfmt ? formats[k] : "raw";

			if (k)
				putchar('\t');
			if (ct_labq_print(ct_labq_field(&rows[i], names[k]), f,
					  names[k]) < 0)
				return -1;
		}
		putchar('\n');
	}
	return 0;
}

static void ct_labq_usage(FILE *out)
{
	fprintf(out,
		"Usage: ctlabq get  FILE TABLE FILTER FIELD [FMT]\n"
		"       ctlabq agg  FILE TABLE FILTER FIELD AGG [FMT]\n"
		"       ctlabq rows FILE TABLE FILTER FIELD[,FIELD...] "
		"[FMT[,FMT...]]\n");
}

int main(int argc, char **argv)
{
	struct ct_labq_row *rows = NULL;
	json_error_t jerr;
	json_t *root = NULL;
	const char *cmd;
	long n;
	int ret = 1;

	if (argc < 6) {
		ct_labq_usage(stderr);
		return 2;
	}
	cmd = argv[1];
	if (ct_labq_load_pids() < 0) {
		fprintf(stderr, "%s: Failed to read CTLABQ_PIDS: out of memory\n",
			ct_labq_prog);
		goto end;
	}
	root = json_load_file(argv[2], 0, &jerr);
	if (!root) {
		fprintf(stderr, "%s: Failed to read JSON: path=%s cause=%s (line %d)\n",
			ct_labq_prog, argv[2], jerr.text, jerr.line);
		goto end;
	}
	n = ct_labq_select(root, argv[3], argv[4], &rows);
	if (n < 0)
		goto end;
	if (strcmp(cmd, "get") == 0) {
		if (n != 1) {
			fprintf(stderr,
				"%s: Failed to get one value: path=%s table=%s "
				"filter=%s field=%s (%ld rows match)\n",
				ct_labq_prog, argv[2], argv[3], argv[4], argv[5],
				n);
			goto end;
		}
		if (ct_labq_print(ct_labq_field(&rows[0], argv[5]),
				  argc > 6 ? argv[6] : "raw", argv[5]) < 0)
			goto end;
		putchar('\n');
	} else if (strcmp(cmd, "agg") == 0) {
		if (argc < 7) {
			ct_labq_usage(stderr);
			ret = 2;
			goto end;
		}
		if (ct_labq_agg(rows, n, argv[5], argv[6],
				argc > 7 ? argv[7] : "raw") < 0)
			goto end;
	} else if (strcmp(cmd, "rows") == 0) {
		if (ct_labq_rows(rows, n, argv[5], argc > 6 ? argv[6] : NULL) < 0)
			goto end;
	} else {
		ct_labq_usage(stderr);
		ret = 2;
		goto end;
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "%s: Failed to write output\n", ct_labq_prog);
		goto end;
	}
	ret = 0;
end:
	free(rows);
	free(ct_labq_pids);
	json_decref(root);
	return ret;
}
