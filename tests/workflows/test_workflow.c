/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of cli/ct_workflow.c: scenario table, worker/model/repeat lists,
 * argument splitting, reserved scenario options, output directories.
 * Usage: test_workflow CASE (one CTest per case).
 */
#define _GNU_SOURCE
#include "ct_workflow.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int failures;

#define CHECK(cond)                                                                                \
        do {                                                                                       \
                if (!(cond)) {                                                                     \
                        fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);   \
                        failures++;                                                                \
                }                                                                                  \
        } while (0)

static void test_scenarios(void)
{
        const char *lab[] = {"task1a",    "task1b",     "task2a",     "task2b",       "primes",
                             "scaling",   "sharedlist", "py-task1a",  "py-task1b",    "py-task2a",
                             "py-task2b", "py-primes",  "py-scaling", "py-sharedlist"};
        const struct ct_wf_scenario *s;
        char names[256];
        size_t n, i;

        s = ct_wf_scenarios(&n);
        CHECK(n == sizeof(lab) / sizeof(lab[0]));
        for (i = 0; i < n && i < sizeof(lab) / sizeof(lab[0]); i++) {
                CHECK(strcmp(s[i].name, lab[i]) == 0);
                CHECK(s[i].lab && strstr(s[i].lab, "lab 00"));
                CHECK(s[i].description && strlen(s[i].description) > 20);
                CHECK(!s[i].workers_opt || s[i].models[0].name);
                CHECK(ct_wf_scenario_find(lab[i]) == &s[i]);
        }
        CHECK(ct_wf_scenario_find("nope") == NULL);
        CHECK(ct_wf_scenario_find("") == NULL);
        CHECK(ct_wf_scenario_find(NULL) == NULL);
        ct_wf_scenario_names(names, sizeof(names), true);
        CHECK(strcmp(names, "task2a, task2b, primes, scaling, py-task2a, py-task2b, py-primes, "
                            "py-scaling") == 0);
        ct_wf_scenario_names(names, sizeof(names), false);
        CHECK(strstr(names, "task1a, task1b") == names && strstr(names, "sharedlist"));
        /* how each scenario takes its worker count */
        CHECK(strcmp(ct_wf_scenario_find("task2a")->workers_opt, "--num-threads") == 0);
        CHECK(strcmp(ct_wf_scenario_find("task2b")->workers_opt, "--consumers") == 0);
        CHECK(ct_wf_scenario_find("primes")->workers_list);
        CHECK(ct_wf_scenario_find("scaling")->workers_list);
        CHECK(!ct_wf_scenario_find("scaling")->needs_one);
        CHECK(ct_wf_scenario_find("primes")->needs_one);
        CHECK(ct_wf_scenario_find("task1b")->workers_opt == NULL);
        /* the Python programs: a script run by CT_WF_PYTHON; the C scenarios' py-* models
         * run them with the same worker option */
        for (i = 0; i < n; i++) {
                size_t k;

                CHECK((strncmp(s[i].name, "py-", 3) == 0) == (s[i].script != NULL));
                for (k = 0; k < CT_WF_MAX_MODELS && s[i].models[k].name; k++) {
                        const struct ct_wf_model *m = &s[i].models[k];
                        const struct ct_wf_scenario *o;

                        if (!m->scenario) {
                                continue;
                        }
                        o = ct_wf_scenario_find(m->scenario);
                        CHECK(o && o->script && strcmp(o->workers_opt, s[i].workers_opt) == 0);
                        CHECK(o && o->workers_list == s[i].workers_list);
                        CHECK(strncmp(m->name, "py-", 3) == 0);
                }
        }
        {
                char path[] = "/x/python/task2a.py";
                char *argv[2];

                CHECK(ct_wf_scenario_argv(ct_wf_scenario_find("py-task2a"), path, argv) == 2);
                CHECK(strcmp(argv[0], CT_WF_PYTHON) == 0 && argv[1] == path);
                CHECK(ct_wf_scenario_argv(ct_wf_scenario_find("task2a"), path, argv) == 1);
                CHECK(argv[0] == path);
        }
        CHECK(ct_wf_model_find(ct_wf_scenario_find("scaling"), "py-threads")->scenario);
}

static void test_workers(void)
{
        static const char *const bad[] = {
            "",   "0",   "a,b", "1,2,2", "1,,2", ",1", "1,",
            "-1", "1.5", "2x",  "257",   "1 ,2", "+2", "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17"};
        long w[CT_WF_MAX_COUNTS];
        char why[256];
        size_t n, i;

        CHECK(ct_wf_parse_workers("1,2,4,8", w, &n, why, sizeof(why)) == 0);
        CHECK(n == 4 && w[0] == 1 && w[1] == 2 && w[2] == 4 && w[3] == 8);
        CHECK(ct_wf_parse_workers("8,1,4", w, &n, why, sizeof(why)) == 0);
        CHECK(n == 3 && w[0] == 1 && w[1] == 4 && w[2] == 8);
        CHECK(ct_wf_parse_workers("256", w, &n, why, sizeof(why)) == 0 && n == 1);
        for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                why[0] = '\0';
                n = 99;
                if (ct_wf_parse_workers(bad[i], w, &n, why, sizeof(why)) != -EINVAL) {
                        fprintf(stderr, "accepted bad worker list '%s'\n", bad[i]);
                        failures++;
                }
                CHECK(n == 0);
                CHECK(strstr(why, "invalid --workers") != NULL);
        }
        ct_wf_parse_workers("0", w, &n, why, sizeof(why));
        CHECK(strstr(why, "at least 1"));
        ct_wf_parse_workers("a,b", w, &n, why, sizeof(why));
        CHECK(strstr(why, "'a' is not a worker count"));
        ct_wf_parse_workers("1,2,2", w, &n, why, sizeof(why));
        CHECK(strstr(why, "2 appears twice"));
}

static void test_models_repeat(void)
{
        const struct ct_wf_scenario *sc = ct_wf_scenario_find("scaling");
        const struct ct_wf_model *m[CT_WF_MAX_MODELS];
        char why[256];
        size_t n;
        long r;

        CHECK(ct_wf_parse_models(sc, "threads,threads+gil,processes", m, &n, why, sizeof(why)) ==
              0);
        CHECK(n == 3 && strcmp(m[1]->name, "threads+gil") == 0);
        CHECK(strcmp(m[1]->variant, "threads") == 0 && strcmp(m[2]->variant, "processes") == 0);
        CHECK(strcmp(m[1]->args[2], "--gil") == 0);
        CHECK(ct_wf_parse_models(sc, "threads,bogus", m, &n, why, sizeof(why)) == -EINVAL);
        CHECK(strstr(why, "unknown model 'bogus' for scaling") && strstr(why, "eventloop"));
        CHECK(ct_wf_parse_models(sc, "threads,threads", m, &n, why, sizeof(why)) == -EINVAL);
        CHECK(strstr(why, "twice"));
        CHECK(ct_wf_parse_models(sc, "", m, &n, why, sizeof(why)) == -EINVAL);
        CHECK(ct_wf_parse_models(sc, "threads,", m, &n, why, sizeof(why)) == -EINVAL);
        CHECK(ct_wf_parse_models(ct_wf_scenario_find("task2b"), "notify,notify-all,busy-wait", m,
                                 &n, why, sizeof(why)) == 0);
        CHECK(n == 3 && strcmp(m[1]->variant, "notify_all") == 0);
        CHECK(ct_wf_parse_repeat("3", &r, why, sizeof(why)) == 0 && r == 3);
        CHECK(ct_wf_parse_repeat("0", &r, why, sizeof(why)) == -EINVAL);
        CHECK(ct_wf_parse_repeat("x", &r, why, sizeof(why)) == -EINVAL);
        CHECK(ct_wf_parse_repeat("", &r, why, sizeof(why)) == -EINVAL);
        CHECK(ct_wf_parse_repeat("101", &r, why, sizeof(why)) == -EINVAL);
}

struct seen {
        char log[512];
};

static int record_opt(void *ctx, int id, const char *value)
{
        struct seen *s = ctx;
        size_t len = strlen(s->log);

        snprintf(s->log + len, sizeof(s->log) - len, "%d=%s;", id, value ? value : "");
        return id == 9 ? -1 : 0;
}

static const struct ct_wf_opt opts[] = {
    {"output", 'o', true, 1}, {"force", 'f', false, 2}, {"workers", 'w', true, 3},
    {"help", 'h', false, 4},  {"fail", 0, false, 9},
};

static int split(struct ct_wf_args *a, struct seen *s, char *why, const char *const *args)
{
        char *argv[32];
        int argc = 0;

        argv[argc++] = "cmd";
        while (*args) {
                argv[argc++] = (char *)*args++;
        }
        argv[argc] = NULL;
        memset(s, 0, sizeof(*s));
        return ct_wf_split_args(argc, argv, opts, sizeof(opts) / sizeof(opts[0]), record_opt, s, a,
                                why, 256);
}

static void test_split(void)
{
        struct ct_wf_args a;
        struct seen s;
        char why[256];

        CHECK(split(&a, &s, why,
                    (const char *[]){"scaling", "--workload", "cpu", "--workers", "1,2", "-o", "d",
                                     "--tasks=4", "-f", NULL}) == 0);
        CHECK(a.scenario && strcmp(a.scenario, "scaling") == 0);
        CHECK(a.scn_argc == 3 && strcmp(a.scn_argv[0], "--workload") == 0 &&
              strcmp(a.scn_argv[1], "cpu") == 0 && strcmp(a.scn_argv[2], "--tasks=4") == 0);
        CHECK(a.scn_argv[3] == NULL);
        CHECK(strcmp(s.log, "3=1,2;1=d;2=;") == 0);
        CHECK(!a.help);
        ct_wf_args_fini(&a);

        /* own options before SCENARIO, --name=V, -xV; everything after -- is the scenario's */
        CHECK(split(&a, &s, why,
                    (const char *[]){"--output=x", "-w1,4", "task2a", "--", "-o", "--force",
                                     NULL}) == 0);
        CHECK(strcmp(a.scenario, "task2a") == 0 && a.scn_argc == 2);
        CHECK(strcmp(a.scn_argv[0], "-o") == 0 && strcmp(a.scn_argv[1], "--force") == 0);
        CHECK(strcmp(s.log, "1=x;3=1,4;") == 0);
        ct_wf_args_fini(&a);

        CHECK(split(&a, &s, why, (const char *[]){"--", "task1a", "--mode", "fixed", NULL}) == 0);
        CHECK(strcmp(a.scenario, "task1a") == 0 && a.scn_argc == 2);
        ct_wf_args_fini(&a);

        CHECK(split(&a, &s, why, (const char *[]){"task1a", "--help", NULL}) == 0 && a.help);
        ct_wf_args_fini(&a);

        CHECK(split(&a, &s, why, (const char *[]){NULL}) == 0 && a.scenario == NULL);
        ct_wf_args_fini(&a);

        CHECK(split(&a, &s, why, (const char *[]){"--mode", "fixed", "task1a", NULL}) == -EINVAL);
        CHECK(strstr(why, "unknown option '--mode'"));
        ct_wf_args_fini(&a);

        CHECK(split(&a, &s, why, (const char *[]){"task1a", "-o", NULL}) == -EINVAL);
        CHECK(strstr(why, "'-o' needs a value"));
        ct_wf_args_fini(&a);

        CHECK(split(&a, &s, why, (const char *[]){"task1a", "--force=yes", NULL}) == -EINVAL);
        CHECK(strstr(why, "takes no value"));
        ct_wf_args_fini(&a);

        CHECK(split(&a, &s, why, (const char *[]){"task1a", "--fail", NULL}) == -ECANCELED);
        ct_wf_args_fini(&a);
}

static void test_reserved(void)
{
        const struct ct_wf_scenario *sc = ct_wf_scenario_find("scaling");
        char *ok[] = {"--workload", "cpu", "--tasks", "4", "-v"};
        char *r1[] = {"--workload", "cpu", "--gil"};
        char *r2[] = {"--model=threads"};
        char *r3[] = {"--work", "1"}; /* abbreviation of --workers (and --workload) */
        char *r4[] = {"--num-threads", "3"};

        CHECK(ct_wf_reserved_arg(sc, ok, 5) == NULL);
        CHECK(ct_wf_reserved_arg(sc, r1, 3) == r1[2]);
        CHECK(ct_wf_reserved_arg(sc, r2, 1) == r2[0]);
        CHECK(ct_wf_reserved_arg(sc, r3, 2) == r3[0]);
        CHECK(ct_wf_reserved_arg(ct_wf_scenario_find("task2a"), r4, 2) == r4[0]);
        CHECK(ct_wf_reserved_arg(ct_wf_scenario_find("task2a"), ok, 5) == NULL);
}

static int write_file(const char *path)
{
        FILE *f = fopen(path, "w");

        if (!f) {
                return -1;
        }
        fputs("x\n", f);
        return fclose(f);
}

static void test_outdir(void)
{
        char base[] = "/tmp/ct-wf-test-XXXXXX";
        char p[PATH_MAX], why[512];
        struct ct_wf_outdir o;
        struct stat st;

        if (!mkdtemp(base)) {
                CHECK(!"mkdtemp");
                return;
        }
        /* new DIR with missing parents */
        snprintf(p, sizeof(p), "%s/a/b/run", base);
        CHECK(ct_wf_outdir_prepare(&o, p, false, "x", why, sizeof(why)) == 0);
        CHECK(o.tmp && strncmp(o.tmp, p, strlen(p)) == 0 && strstr(o.tmp, ".tmp-"));
        CHECK(stat(o.tmp, &st) == 0 && S_ISDIR(st.st_mode));
        CHECK(access(p, F_OK) != 0); /* nothing at DIR until commit */
        snprintf(why, sizeof(why), "%s/report.json", o.tmp);
        CHECK(write_file(why) == 0);
        CHECK(ct_wf_outdir_commit(&o, why, sizeof(why)) == 0);
        CHECK(o.tmp == NULL);
        ct_wf_outdir_fini(&o);
        snprintf(why, sizeof(why), "%s/report.json", p);
        CHECK(access(why, F_OK) == 0);

        /* existing DIR: refused without force, nothing created */
        CHECK(ct_wf_outdir_prepare(&o, p, false, "x", why, sizeof(why)) == -EEXIST);
        CHECK(strstr(why, "Output directory exists") && strstr(why, "--force"));
        CHECK(o.tmp == NULL && o.final == NULL);

        /* force over an earlier output: replaced on commit, temporary removed on fini */
        CHECK(ct_wf_outdir_prepare(&o, p, true, "x", why, sizeof(why)) == 0);
        snprintf(why, sizeof(why), "%s/speedup.csv", o.tmp);
        CHECK(write_file(why) == 0);
        CHECK(ct_wf_outdir_commit(&o, why, sizeof(why)) == 0);
        ct_wf_outdir_fini(&o);
        snprintf(why, sizeof(why), "%s/speedup.csv", p);
        CHECK(access(why, F_OK) == 0);
        snprintf(why, sizeof(why), "%s/report.json", p);
        CHECK(access(why, F_OK) != 0);

        /* a failed run: fini without commit leaves DIR as it was */
        CHECK(ct_wf_outdir_prepare(&o, p, true, "x", why, sizeof(why)) == 0);
        snprintf(why, sizeof(why), "%s", o.tmp);
        ct_wf_outdir_fini(&o);
        CHECK(access(why, F_OK) != 0);
        snprintf(why, sizeof(why), "%s/speedup.csv", p);
        CHECK(access(why, F_OK) == 0);

        /* force never replaces a directory that is not conctrace output */
        snprintf(p, sizeof(p), "%s/other", base);
        CHECK(mkdir(p, 0777) == 0);
        snprintf(why, sizeof(why), "%s/notes.txt", p);
        CHECK(write_file(why) == 0);
        CHECK(ct_wf_outdir_prepare(&o, p, true, "x", why, sizeof(why)) == -EPERM);
        CHECK(strstr(why, "does not look like a conctrace"));

        /* an empty existing directory is fine; a file is not */
        snprintf(p, sizeof(p), "%s/empty", base);
        CHECK(mkdir(p, 0777) == 0);
        CHECK(ct_wf_outdir_prepare(&o, p, false, "x", why, sizeof(why)) == 0);
        CHECK(ct_wf_outdir_commit(&o, why, sizeof(why)) == 0);
        ct_wf_outdir_fini(&o);
        snprintf(p, sizeof(p), "%s/other/notes.txt", base);
        CHECK(ct_wf_outdir_prepare(&o, p, true, "x", why, sizeof(why)) == -ENOTDIR);

        /* default name under ./conctrace-runs */
        CHECK(chdir(base) == 0);
        CHECK(ct_wf_outdir_prepare(&o, NULL, false, "task1a", why, sizeof(why)) == 0);
        CHECK(strncmp(o.final, "conctrace-runs/task1a-", 22) == 0);
        ct_wf_outdir_fini(&o);

        CHECK(ct_wf_rmtree(base) == 0);
        CHECK(access(base, F_OK) != 0);
}

static void test_bin_dir(void)
{
        char dir[PATH_MAX], prog[PATH_MAX + 64], why[512];

        CHECK(ct_wf_bin_dir(dir, sizeof(dir)) == 0);
        CHECK(dir[0] == '/' && access(dir, X_OK) == 0);
        CHECK(ct_wf_find_program("sh", prog, sizeof(prog)) == 0 && access(prog, X_OK) == 0);
        CHECK(ct_wf_find_program("ct-no-such-program", prog, sizeof(prog)) == -ENOENT);
        /* the scenarios are built in the same bin dir as this test */
        CHECK(ct_wf_scenario_path(ct_wf_scenario_find("task1a"), prog, sizeof(prog), why,
                                  sizeof(why)) == 0);
        /* and the Python ones in its python/ folder */
        CHECK(ct_wf_scenario_path(ct_wf_scenario_find("py-task2a"), prog, sizeof(prog), why,
                                  sizeof(why)) == 0);
        CHECK(strstr(prog, "/python/task2a.py") != NULL);
}

int main(int argc, char **argv)
{
        static const struct {
                const char *name;
                void (*fn)(void);
        } cases[] = {
            {"scenarios", test_scenarios},  {"workers", test_workers},
            {"models", test_models_repeat}, {"split", test_split},
            {"reserved", test_reserved},    {"outdir", test_outdir},
            {"bin_dir", test_bin_dir},
        };
        size_t i;
        int ran = 0;

        for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                if (argc < 2 || strcmp(argv[1], cases[i].name) == 0) {
                        cases[i].fn();
                        ran++;
                }
        }
        if (!ran) {
                fprintf(stderr, "unknown case: %s\n", argv[1]);
                return 2;
        }
        if (failures) {
                fprintf(stderr, "%d check(s) failed\n", failures);
                return 1;
        }
        printf("PASS\n");
        return 0;
}
