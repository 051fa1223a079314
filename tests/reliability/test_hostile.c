/* SPDX-License-Identifier: MIT */
/*
 * Hostile names in a trace, through every output: the escaping module
 * (ct_esc), the text report, the csv tables, the json report, the Perfetto
 * timeline and the event dump. Names carry terminal escape sequences (clear
 * screen, retitle the window), C1 controls, bidi overrides, invalid UTF-8,
 * CSV formulas and quotes; no output may pass a control to a terminal or a
 * formula to a spreadsheet, and json keeps the names exact.
 * Usage: test_hostile NAME
 */
#define _GNU_SOURCE
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ct_analyses.h"
#include "ct_dump.h"
#include "ct_esc.h"
#include "ct_perfetto.h"

static int failures;

#define CHECK(cond)                                                                                \
        do {                                                                                       \
                if (!(cond)) {                                                                     \
                        fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);   \
                        failures++;                                                                \
                }                                                                                  \
        } while (0)

#define CHECK_STR(a, b)                                                                            \
        do {                                                                                       \
                const char *a_ = (a), *b_ = (b);                                                   \
                if (strcmp(a_, b_) != 0) {                                                         \
                        fprintf(stderr, "%s:%d: %s = \"%s\", expected \"%s\"\n", __FILE__,         \
                                __LINE__, #a, a_, b_);                                             \
                        failures++;                                                                \
                }                                                                                  \
        } while (0)

/* The example: clear the screen, retitle the window. */
#define EVIL     "evil\033[2J\033]0;pwned\007"
#define EVIL_ESC "evil\\x1b[2J\\x1b]0;pwned\\x07"
/* C1 CSI (U+009B), a right-to-left override, an invalid byte, a backslash. */
#define WEIRD                                                                                      \
        "a\xc2\x9b"                                                                                \
        "31mb\xe2\x80\xae"                                                                         \
        "c\xff"                                                                                    \
        "d\\"
#define WEIRD_ESC "a\\u{009b}31mb\\u{202e}c\\xffd\\\\"
#define FORMULA   "=HYPERLINK(\"http://x\",\"y\")"
#define PLUS      "+1,2"
#define UTF8      "w\xc3\xa9rker-1" /* plain UTF-8 passes unchanged */

static char dir[] = "/tmp/ct-hostile-XXXXXX";

static char *slurp(const char *name)
{
        char path[512];
        FILE *f;
        char *buf;
        long n;

        snprintf(path, sizeof(path), "%s/%s", dir, name);
        f = fopen(path, "rb");
        if (!f) {
                fprintf(stderr, "cannot open %s\n", path);
                exit(1);
        }
        fseek(f, 0, SEEK_END);
        n = ftell(f);
        rewind(f);
        buf = calloc(1, (size_t)n + 1);
        if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
                exit(1);
        }
        fclose(f);
        return buf;
}

/*
 * No byte a terminal acts on: C0 but newline (and the CR of CSV's CRLF), DEL,
 * C1 (as UTF-8), bidi overrides, invalid bytes.
 */
static int terminal_safe(const char *s)
{
        const unsigned char *p = (const unsigned char *)s;

        for (; *p; p++) {
                if ((*p < 0x20 && *p != '\n' && !(*p == '\r' && p[1] == '\n')) || *p == 0x7f ||
                    *p == 0xff) {
                        return 0;
                }
                if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
                        return 0;
                }
                if (*p == 0xe2 && p[1] == 0x80 && p[2] == 0xae) {
                        return 0;
                }
        }
        return 1;
}

static void test_esc(void)
{
        char buf[64];
        char *d;

        CHECK(ct_esc_is_clean("plain name-1"));
        CHECK(ct_esc_is_clean(UTF8));
        CHECK(!ct_esc_is_clean(EVIL));
        CHECK(!ct_esc_is_clean(WEIRD));
        CHECK(!ct_esc_is_clean("\xe0\x80\x80")); /* overlong */
        CHECK(!ct_esc_is_clean("\xed\xa0\x80")); /* surrogate */
        d = ct_esc_text_dup(EVIL);
        CHECK_STR(d, EVIL_ESC);
        free(d);
        d = ct_esc_text_dup(WEIRD);
        CHECK_STR(d, WEIRD_ESC);
        free(d);
        d = ct_esc_text_dup("l1\nl2\tx\r\x7f");
        CHECK_STR(d, "l1\\nl2\\tx\\r\\x7f");
        free(d);
        d = ct_esc_text_dup("\xc3"); /* a sequence cut by the end */
        CHECK_STR(d, "\\xc3");
        free(d);
        CHECK(ct_esc_text(buf, sizeof(buf), EVIL) == strlen(EVIL_ESC));
        /* Cut for a message: never inside an escape, ends in "...". */
        CHECK_STR(ct_esc(EVIL, buf, 12), "evil\\x1b...");
        CHECK_STR(ct_esc(EVIL, buf, 8), "evil...");
        CHECK_STR(ct_esc("short", buf, 8), "short");
        CHECK(ct_esc_text(buf, 6, "\033\033") == 8 && strcmp(buf, "\\x1b") == 0);
}

static void csv_field(const char *in, const char *want)
{
        char *out = NULL;
        size_t n = 0;
        FILE *f = open_memstream(&out, &n);

        CHECK(f && ct_esc_csv_fputs(in, f) == 0);
        fclose(f);
        CHECK_STR(out, want);
        free(out);
}

static void test_csv_field(void)
{
        csv_field("plain", "plain");
        csv_field(FORMULA, "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
        csv_field(PLUS, "\"'+1,2\"");
        csv_field("-2", "\"'-2\"");
        csv_field("@SUM(A1)", "\"'@SUM(A1)\"");
        csv_field("a,b", "\"a,b\"");
        csv_field("x\r\ny", "x\\r\\ny");
        csv_field(EVIL, EVIL_ESC);
        csv_field("", "");
}

/* ---- a scripted trace with hostile names through the analyses ------------ */

static struct ct_consumer *cons[16];
static size_t ncons;

static void feed(struct ct_event ev)
{
        size_t i;

        if (!ev.procname) {
                ev.procname = EVIL;
        }
        if (!ev.ev_name) {
                ev.ev_name = ct_event_type_name(ev.type);
        }
        for (i = 0; i < ncons; i++) {
                if (cons[i]->on_event) {
                        cons[i]->on_event(cons[i]->self, &ev);
                }
        }
}

static void script(void)
{
        const uint64_t t0 = 1000000000ull, L = 0x1000, L2 = 0x2000;
        size_t i;

        for (i = 0; i < ncons; i++) {
                if (cons[i]->on_trace_begin) {
                        cons[i]->on_trace_begin(cons[i]->self, 0, "/tmp/" EVIL);
                }
        }
        feed((struct ct_event){
            .type = CT_EV_THREAD_BEGIN, .ts = t0, .vpid = 10, .vtid = 10, .str = EVIL});
        feed((struct ct_event){.type = CT_EV_RUN_BEGIN,
                               .ts = t0 + 1,
                               .vpid = 10,
                               .vtid = 10,
                               .str = EVIL,
                               .variant = FORMULA,
                               .workers = 2,
                               .params = WEIRD});
        feed((struct ct_event){.type = CT_EV_NAME,
                               .ts = t0 + 2,
                               .vpid = 10,
                               .vtid = 10,
                               .obj = L,
                               .kind = CT_OBJ_LOCK,
                               .str = FORMULA});
        feed((struct ct_event){.type = CT_EV_NAME,
                               .ts = t0 + 3,
                               .vpid = 10,
                               .vtid = 10,
                               .obj = L2,
                               .kind = CT_OBJ_LOCK,
                               .str = WEIRD});
        feed((struct ct_event){
            .type = CT_EV_THREAD_BEGIN, .ts = t0 + 4, .vpid = 10, .vtid = 11, .str = PLUS});
        feed((struct ct_event){.type = CT_EV_THREAD_BEGIN,
                               .ts = t0 + 4,
                               .vpid = 10,
                               .vtid = 12,
                               .str = UTF8,
                               .procname = UTF8});
        feed((struct ct_event){
            .type = CT_EV_LOCK_ACQUIRE, .ts = t0 + 10, .vpid = 10, .vtid = 11, .obj = L});
        feed((struct ct_event){
            .type = CT_EV_LOCK_REQUEST, .ts = t0 + 20, .vpid = 10, .vtid = 10, .obj = L});
        feed((struct ct_event){
            .type = CT_EV_LOCK_RELEASE, .ts = t0 + 100, .vpid = 10, .vtid = 11, .obj = L});
        feed((struct ct_event){.type = CT_EV_LOCK_ACQUIRE,
                               .ts = t0 + 110,
                               .vpid = 10,
                               .vtid = 10,
                               .obj = L,
                               .contended = 1});
        feed((struct ct_event){
            .type = CT_EV_LOCK_RELEASE, .ts = t0 + 200, .vpid = 10, .vtid = 10, .obj = L});
        feed((struct ct_event){
            .type = CT_EV_LOCK_ACQUIRE, .ts = t0 + 210, .vpid = 10, .vtid = 12, .obj = L2});
        feed((struct ct_event){
            .type = CT_EV_LOCK_RELEASE, .ts = t0 + 220, .vpid = 10, .vtid = 12, .obj = L2});
        feed((struct ct_event){
            .type = CT_EV_PHASE_BEGIN, .ts = t0 + 230, .vpid = 10, .vtid = 10, .str = EVIL});
        feed((struct ct_event){
            .type = CT_EV_PHASE_END, .ts = t0 + 240, .vpid = 10, .vtid = 10, .str = EVIL});
        feed((struct ct_event){
            .type = CT_EV_THREAD_END, .ts = t0 + 300, .vpid = 10, .vtid = 11, .str = PLUS});
        feed((struct ct_event){.type = CT_EV_THREAD_END,
                               .ts = t0 + 300,
                               .vpid = 10,
                               .vtid = 12,
                               .str = UTF8,
                               .procname = UTF8});
        feed((struct ct_event){.type = CT_EV_RUN_END,
                               .ts = t0 + 400,
                               .vpid = 10,
                               .vtid = 10,
                               .str = EVIL,
                               .variant = FORMULA,
                               .workers = 2,
                               .params = WEIRD});
        feed((struct ct_event){
            .type = CT_EV_THREAD_END, .ts = t0 + 500, .vpid = 10, .vtid = 10, .str = EVIL});
        for (i = 0; i < ncons; i++) {
                struct ct_trace_info info = {.trace = 0,
                                             .path = "/tmp/" EVIL,
                                             .events = 19,
                                             .first_ts = t0,
                                             .last_ts = t0 + 500};

                if (cons[i]->on_trace_end) {
                        cons[i]->on_trace_end(cons[i]->self, &info);
                }
        }
}

static struct ct_analyses *analyse(void)
{
        struct ct_analyses *a;
        size_t i;

        CHECK(ct_analyses_create(NULL, &a) == 0);
        ncons = 0;
        for (i = 0; i < ct_analyses_consumer_count(a); i++) {
                cons[ncons++] = ct_analyses_consumer(a, i);
        }
        script();
        return a;
}

static void test_text(void)
{
        struct ct_analyses *a = analyse();
        char path[512];
        char *s;

        snprintf(path, sizeof(path), "%s/report.txt", dir);
        CHECK(ct_analyses_write(a, CT_REPORT_TEXT, path) == 0);
        ct_analyses_destroy(a);
        s = slurp("report.txt");
        CHECK(terminal_safe(s));
        CHECK(strstr(s, EVIL_ESC) != NULL);
        CHECK(strstr(s, WEIRD_ESC) != NULL);
        CHECK(strstr(s, UTF8) != NULL);
        if (failures) {
                fputs(s, stderr);
        }
        free(s);
}

static void test_csv(void)
{
        struct ct_analyses *a = analyse();
        char path[512];
        char *s;

        snprintf(path, sizeof(path), "%s/csv", dir);
        CHECK(ct_analyses_write(a, CT_REPORT_CSV, path) == 0);
        ct_analyses_destroy(a);
        s = slurp("csv/locks.csv");
        CHECK(terminal_safe(s));
        CHECK(strstr(s, "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"") != NULL);
        CHECK(strstr(s, ",=") == NULL);
        CHECK(strstr(s, WEIRD_ESC) != NULL);
        free(s);
        s = slurp("csv/threads.csv");
        CHECK(terminal_safe(s));
        CHECK(strstr(s, "\"'+1,2\"") != NULL);
        CHECK(strstr(s, EVIL_ESC) != NULL);
        free(s);
}

/* JSON (report, timeline): no raw C0 control or DEL; valid UTF-8 is data. */
static int json_safe(const char *s)
{
        const unsigned char *p = (const unsigned char *)s;

        for (; *p; p++) {
                if ((*p < 0x20 && *p != '\n') || *p == 0x7f || *p == 0xff) {
                        return 0;
                }
        }
        return 1;
}

/* A json string somewhere in v equal to want. */
static int json_has(json_t *v, const char *want)
{
        const char *k;
        json_t *x;
        size_t i;

        if (json_is_string(v)) {
                return strcmp(json_string_value(v), want) == 0;
        }
        if (json_is_array(v)) {
                json_array_foreach(v, i, x)
                {
                        if (json_has(x, want)) {
                                return 1;
                        }
                }
        }
        if (json_is_object(v)) {
                json_object_foreach(v, k, x)
                {
                        if (json_has(x, want)) {
                                return 1;
                        }
                }
        }
        return 0;
}

static void test_json(void)
{
        struct ct_analyses *a = analyse();
        char path[512];
        json_error_t e;
        json_t *j;
        char *s;

        snprintf(path, sizeof(path), "%s/report.json", dir);
        CHECK(ct_analyses_write(a, CT_REPORT_JSON, path) == 0);
        ct_analyses_destroy(a);
        s = slurp("report.json");
        CHECK(json_safe(s));
        j = json_loads(s, 0, &e);
        CHECK(j != NULL);
        CHECK(json_has(j, EVIL));    /* exact: json escapes, it does not rewrite */
        CHECK(json_has(j, FORMULA)); /* a formula is data in json */
        CHECK(json_has(j, UTF8));
        json_decref(j);
        free(s);
}

static void test_timeline(void)
{
        struct ct_consumer pf;
        char path[512];
        json_error_t e;
        json_t *j;
        char *s;

        snprintf(path, sizeof(path), "%s/timeline.json", dir);
        CHECK(ct_perfetto_create(NULL, path, &pf) == 0);
        cons[0] = &pf;
        ncons = 1;
        script();
        CHECK(pf.finish(pf.self) == 0);
        pf.destroy(pf.self);
        s = slurp("timeline.json");
        CHECK(json_safe(s));
        j = json_loads(s, 0, &e);
        CHECK(j != NULL);
        if (!j) {
                fprintf(stderr, "timeline: %s at line %d\n", e.text, e.line);
        }
        CHECK(json_has(j, EVIL));
        json_decref(j);
        free(s);
}

static void test_dump(void)
{
        struct ct_consumer d;
        char *out = NULL;
        size_t n = 0;
        FILE *f = open_memstream(&out, &n);

        CHECK(f && ct_dump_create(f, &d) == 0);
        cons[0] = &d;
        ncons = 1;
        script();
        CHECK(d.finish(d.self) == 0);
        d.destroy(d.self);
        fclose(f);
        CHECK(terminal_safe(out));
        CHECK(strstr(out, "role=\"" EVIL_ESC "\"") != NULL);
        CHECK(strstr(out, " " EVIL_ESC " ct_run:") != NULL); /* the procname */
        CHECK(strstr(out, "\\\"http://x\\\"") != NULL);
        free(out);
}

int main(int argc, char **argv)
{
        static const struct {
                const char *name;
                void (*fn)(void);
        } tests[] = {{"esc", test_esc},  {"csv_field", test_csv_field}, {"text", test_text},
                     {"csv", test_csv},  {"json", test_json},           {"timeline", test_timeline},
                     {"dump", test_dump}};
        size_t i;
        int found = 0;
        char cmd[600];

        if (argc != 2) {
                fprintf(stderr, "usage: test_hostile NAME\n");
                return 2;
        }
        if (!mkdtemp(dir)) {
                perror("mkdtemp");
                return 1;
        }
        for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
                if (!strcmp(argv[1], tests[i].name)) {
                        tests[i].fn();
                        found = 1;
                }
        }
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
        if (system(cmd) != 0) {
                fprintf(stderr, "cannot remove %s\n", dir);
        }
        if (!found) {
                fprintf(stderr, "unknown test %s\n", argv[1]);
                return 2;
        }
        return failures ? 1 : 0;
}
