/* SPDX-License-Identifier: MIT */
/*
 * Shared logic of the workflow commands `conctrace list`, `run` and `sweep`
 * (docs/workflows.md), with no tracing and no babeltrace2 so that it is unit
 * tested on its own:
 *
 *   - the scenario table: name -> lab task -> one-line description, and how a
 *     sweep sets each scenario's worker count and models;
 *   - where the scenario programs are (next to the running conctrace);
 *   - splitting a command line into the command's own options, SCENARIO and
 *     the scenario's options;
 *   - parsing worker lists (1,2,4,8), model lists and repeat counts;
 *   - output directories built in DIR.tmp-XXXXXX and renamed into place.
 *
 * Functions return 0 or a negative errno (libuv style); parse errors write a
 * one-line reason into a caller's buffer.
 */
#ifndef CT_WORKFLOW_H
#define CT_WORKFLOW_H

#include <stdbool.h>
#include <stddef.h>

/* Worker counts: at most this many in a list, each in 1..CT_WF_MAX_WORKERS. */
#define CT_WF_MAX_COUNTS  16
#define CT_WF_MAX_WORKERS 256
#define CT_WF_MAX_REPEAT  100
#define CT_WF_MAX_MODELS  8

/* A model a sweep compares: one line of the plot. */
struct ct_wf_model {
        const char *name;    /* weak: static, as given to --models, e.g. "threads+gil" */
        const char *variant; /* weak: static, the run marker's variant to read */
        const char *args[4]; /* weak: static, scenario options selecting it (NULL-ended) */
        /*
         * Another scenario whose program this model runs (its run markers name
         * that scenario), e.g. "py-scaling" for the Python threads beside the C
         * ones in one sweep; NULL: the sweep's own scenario. Same worker option.
         */
        const char *scenario; /* weak: static */
};

/* The interpreter of the Python scenarios (Debian's, not a pyenv shim on PATH). */
#define CT_WF_PYTHON "/usr/bin/python3"

struct ct_wf_scenario {
        const char *name; /* weak: static, the program in the bin dir */
        /*
         * Python scenarios: the script, in the bin dir's python/ folder, run by
         * CT_WF_PYTHON; NULL for the C scenarios.
         */
        const char *script;      /* weak: static, e.g. "task2a.py" */
        const char *lab;         /* weak: static, e.g. "lab 004, Task 1A" */
        const char *description; /* weak: static, one line */
        /* Sweep support; NULL workers_opt: the scenario has no worker count to sweep. */
        const char *workers_opt; /* weak: static, e.g. "--num-threads" */
        /* The scenario takes a whole list (1,2,4) in one execution. */
        bool workers_list;
        /* No serial run in the scenario: the speedup baseline is the 1-worker run. */
        bool needs_one;
        /* Scenario options the sweep sets itself (refused among scenario options). */
        const char *reserved[4];                     /* weak: static, NULL-ended */
        struct ct_wf_model models[CT_WF_MAX_MODELS]; /* name NULL ends; models[0] is the default */
};

/* Every scenario, in lab order; *n receives the count. */
const struct ct_wf_scenario *ct_wf_scenarios(size_t *n);

/* The scenario called name, or NULL. */
const struct ct_wf_scenario *ct_wf_scenario_find(const char *name);

/* Writes "task1a, task1b, ..." (only those that sweep if sweepable) into buf. */
void ct_wf_scenario_names(char *buf, size_t size, bool sweepable);

/* Model called name of scenario s, or NULL. */
const struct ct_wf_model *ct_wf_model_find(const struct ct_wf_scenario *s, const char *name);

/*
 * Directory of the running executable (/proc/self/exe), where the scenario
 * programs are built. 0, -ENAMETOOLONG or the errno of readlink().
 */
int ct_wf_bin_dir(char *buf, size_t size);

/*
 * Directory of the scenario programs: the bin dir in a build tree (they are
 * built beside conctrace), else BIN/../libexec/conctrace (the installed
 * layout). 0, or an errno as ct_wf_bin_dir.
 */
int ct_wf_scenario_dir(char *buf, size_t size);

/*
 * Path of scenario s's program in the scenario dir (ct_wf_scenario_dir; a
 * Python scenario's script in its python/ folder): 0, -ENOENT (not built, or
 * no CT_WF_PYTHON: reason in why) or another errno.
 */
int ct_wf_scenario_path(const struct ct_wf_scenario *s, char *buf, size_t size, char *why,
                        size_t why_size);

/*
 * The command line that runs scenario s, whose program is at path (from
 * ct_wf_scenario_path): argv[0] = path, or CT_WF_PYTHON and path for a
 * Python scenario. Writes at most 2 entries; returns how many.
 */
size_t ct_wf_scenario_argv(const struct ct_wf_scenario *s, char *path, char **argv);

/* An option of the command itself (the rest goes to the scenario). */
struct ct_wf_opt {
        const char *long_name; /* weak: static, without "--" */
        char short_name;       /* 0: none */
        bool has_arg;
        int id; /* passed to the callback */
};

/* Called per own option; returns 0, or a usage error (the callback printed it). */
typedef int (*ct_wf_opt_cb)(void *ctx, int id, const char *value);

struct ct_wf_args {
        const char *scenario; /* weak: points into argv; NULL if none was given */
        char **scn_argv;      /* owned (the array; strings are argv's): scenario options */
        size_t scn_argc;
        bool help; /* -h/--help seen (before any "--") */
};

/*
 * Splits argv[1..argc) (argv[0] is the command) into own options (reported to
 * cb), SCENARIO (the first word that is not an own option or its value) and
 * the scenario's options (everything else after SCENARIO, and everything after
 * "--"). Own options are recognised anywhere before "--", as --name, --name=V,
 * --name V, -x V, -xV. An unknown option before SCENARIO is an error.
 * Returns 0, -EINVAL (reason in why) or cb's error (-ECANCELED), or -ENOMEM.
 * Free with ct_wf_args_fini.
 */
int ct_wf_split_args(int argc, char **argv, const struct ct_wf_opt *opts, size_t nopts,
                     ct_wf_opt_cb cb, void *ctx, struct ct_wf_args *out, char *why,
                     size_t why_size);
void ct_wf_args_fini(struct ct_wf_args *a);

/*
 * "1,2,4,8" -> ascending counts. Refuses an empty list, empty items, non
 * numbers, 0, counts above CT_WF_MAX_WORKERS, duplicates and more than
 * CT_WF_MAX_COUNTS counts: -EINVAL with the reason in why.
 */
int ct_wf_parse_workers(const char *s, long *out, size_t *n, char *why, size_t why_size);

/* "threads,processes" -> the scenario's models, in the given order; -EINVAL + why. */
int ct_wf_parse_models(const struct ct_wf_scenario *sc, const char *s,
                       const struct ct_wf_model **out, size_t *n, char *why, size_t why_size);

/* "3" -> 3, in 1..CT_WF_MAX_REPEAT; -EINVAL + why. */
int ct_wf_parse_repeat(const char *s, long *out, char *why, size_t why_size);

/*
 * The scenario option among args that the sweep sets itself (exact, --opt=V
 * or an unambiguous abbreviation of at least 3 letters), or NULL.
 */
const char *ct_wf_reserved_arg(const struct ct_wf_scenario *sc, char *const *args, size_t n);

/* An output directory built in a temporary sibling and renamed at the end. */
struct ct_wf_outdir {
        char *final;  /* owned: DIR as it will be */
        char *tmp;    /* owned: DIR.tmp-XXXXXX while building, NULL once committed */
        bool replace; /* DIR exists (empty, or --force): replaced on commit */
};

/*
 * Prepares DIR (dir, or ./conctrace-runs/<default_name>-YYYYmmdd-HHMMSS[-N]
 * when dir is NULL): refuses an existing non-empty DIR unless force, and with
 * force one that does not look like conctrace output (none of trace/,
 * report.json, speedup.csv, traces/); creates its parents and the temporary
 * directory. 0, or -EEXIST / -ENOTDIR / -EPERM / an errno with the reason in why.
 */
int ct_wf_outdir_prepare(struct ct_wf_outdir *o, const char *dir, bool force,
                         const char *default_name, char *why, size_t why_size);

/* Renames the temporary directory to DIR (replacing the old one). 0 or -errno + why. */
int ct_wf_outdir_commit(struct ct_wf_outdir *o, char *why, size_t why_size);

/* Removes the temporary directory if still there, frees the paths. */
void ct_wf_outdir_fini(struct ct_wf_outdir *o);

/* rm -rf path (no symlink followed). 0 or the first -errno. */
int ct_wf_rmtree(const char *path);

/* Finds an executable in PATH (e.g. "gnuplot"): 0 and its path in buf, or -ENOENT. */
int ct_wf_find_program(const char *name, char *buf, size_t size);

/* Local time as YYYYmmdd-HHMMSS. */
void ct_wf_stamp(char *buf, size_t size);

#endif /* CT_WORKFLOW_H */
