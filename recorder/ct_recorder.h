/* SPDX-License-Identifier: MIT */
/*
 * The conctrace recorder: records one program into a CTF trace through a real
 * LTTng session driven with liblttng-ctl (see docs/recording.md).
 *
 *     struct ct_recorder_opts opts;
 *     struct ct_recorder_result res;
 *
 *     ct_recorder_opts_init(&opts);
 *     opts.output_dir = "traces/run1";
 *     ret = ct_recorder_run(&opts, (char *const[]){"./prog", "-x", NULL}, &res);
 *     // ret == 0: the program ran; res.exit_code is its status (128+sig if killed)
 *     // ret < 0 : recorder failure (message on stderr); res.exit_code is what
 *     //           `conctrace record` exits with (127: program could not start)
 *
 * ct_recorder_run() is synchronous, installs SIGINT/SIGTERM handlers while it
 * runs (forwarding them to the program) and restores the previous ones.
 */
#ifndef CT_RECORDER_H
#define CT_RECORDER_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Size of the path buffers of struct ct_recorder_result. */
#define CT_RECORDER_PATH_MAX 4096

/* Default per-CPU sub-buffer geometry: 8 x 1 MiB per CPU, discard mode. */
#define CT_RECORDER_DEFAULT_SUBBUF_SIZE (1024u * 1024u)
#define CT_RECORDER_DEFAULT_NUM_SUBBUF  8u

/* Value of CT_RECORD_LEVEL in the program's environment (see design.md). */
enum ct_record_level {
        CT_RECORD_LEVEL_FULL = 0,  /* every contract event */
        CT_RECORD_LEVEL_LIGHT = 1, /* uncontended lock fast paths summarised */
};

struct ct_recorder_opts {
        /* Trace directory; NULL: ./conctrace-traces/<prog>-<YYYYmmdd-HHMMSS>. */
        const char *output_dir; /* weak */
        /* Record into an existing non-empty output_dir (its old ust/ trace is removed). */
        int force;
        enum ct_record_level level;
        uint64_t subbuf_size; /* bytes, power of two >= 4096 */
        uint64_t num_subbuf;  /* power of two >= 2 */
        /* Only warnings and errors on stderr. */
        int quiet;
        /*
         * Issue 6 (`--live`) adds its options here (relay daemon URL, live
         * timer); ct__session_create() in ct_recorder.c is where the session
         * is then created with lttng_create_session_live() instead.
         */
};

struct ct_recorder_result {
        /* Absolute trace directory (empty if none was created). */
        char trace_dir[CT_RECORDER_PATH_MAX];
        /* Name of the LTTng session used (destroyed when ct_recorder_run returns). */
        char session_name[256];
        /* Exit code for `conctrace record`: the program's status, 128+sig if killed. */
        int exit_code;
        /* The program was killed by a signal (its number), else 0. */
        int term_signal;
        /* SIGINT/SIGTERM received by the recorder while recording (its number), else 0. */
        int interrupted;
        uint64_t discarded_events;
        uint64_t lost_packets;
};

/* Defaults: full level, default sub-buffers, default output directory. */
void ct_recorder_opts_init(struct ct_recorder_opts *opts);

/* "full"/"light" -> level; -EINVAL otherwise. */
int ct_recorder_parse_level(const char *s, enum ct_record_level *level);

/* "4096", "64k", "1M", "2MiB", "1G" (powers of 1024) -> bytes; -EINVAL/-ERANGE. */
int ct_recorder_parse_size(const char *s, uint64_t *bytes);

/*
 * Checks a sub-buffer geometry; on error returns -EINVAL and writes the
 * reason into why (e.g. "subbuf-size must be a power of two").
 */
int ct_recorder_check_buffers(uint64_t subbuf_size, uint64_t num_subbuf, const char **why);

/*
 * Records argv[0] (looked up in PATH) with arguments argv[1..] (NULL
 * terminated). Returns 0 when the program ran (even if it failed or was
 * interrupted: see result), or a negative errno when recording failed; in
 * every case no session created here is left behind and result->exit_code
 * is set.
 */
int ct_recorder_run(const struct ct_recorder_opts *opts, char *const argv[],
                    struct ct_recorder_result *result);

#ifdef __cplusplus
}
#endif

#endif /* CT_RECORDER_H */
