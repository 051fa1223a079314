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

/* Live defaults: relay daemon ports (control, data, live) and live timer. */
#define CT_RECORDER_RELAYD_CTRL_PORT      5342u
#define CT_RECORDER_RELAYD_DATA_PORT      5343u
#define CT_RECORDER_RELAYD_LIVE_PORT      5344u
#define CT_RECORDER_DEFAULT_LIVE_TIMER_US 100000u

/* Default per-CPU sub-buffer geometry: 8 x 1 MiB per CPU, discard mode. */
#define CT_RECORDER_DEFAULT_SUBBUF_SIZE (1024u * 1024u)
#define CT_RECORDER_DEFAULT_NUM_SUBBUF  8u

/* Value of CT_RECORD_LEVEL in the program's environment (see design.md). */
enum ct_record_level {
        CT_RECORD_LEVEL_FULL = 0,  /* every contract event */
        CT_RECORD_LEVEL_LIGHT = 1, /* uncontended lock fast paths summarised */
};

/* --preload: LD_PRELOAD libconctrace-preload.so into the program (docs/preload.md). */
enum ct_recorder_preload {
        CT_RECORDER_PRELOAD_AUTO = 0, /* unless it links the runtime (DT_NEEDED) */
        CT_RECORDER_PRELOAD_ON = 1,   /* always (a static/setuid program is refused) */
        CT_RECORDER_PRELOAD_OFF = 2,  /* never */
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
         * --live: a live session streamed to lttng-relayd, which writes the
         * trace on its host and serves it to live viewers (conctrace analyze
         * net://...). See docs/live.md.
         */
        int live;
        /*
         * The relay daemon: [tcp|net]://HOST[:CTRLPORT[:DATAPORT]] (defaults
         * 5342, 5343) or HOST. NULL: a relay daemon on 127.0.0.1 (the one on
         * the default ports if it answers, else one started here). Implies
         * live; output_dir must then be NULL (the relay daemon decides).
         */
        const char *relayd_url; /* weak */
        /* Live (viewer) port of relayd_url's daemon, for the printed URL; 0: 5344. */
        unsigned int relayd_live_port;
        /* Live timer: how often data is flushed to the relay daemon; 0: 100 ms. */
        uint64_t live_timer_us;
        /*
         * Session name ([A-Za-z0-9._-], at most 200 characters); NULL:
         * conctrace-PROG-PID-TIME-N. A fixed name lets a live viewer be
         * started before the recording (conctrace analyze waits for it).
         */
        const char *session_name; /* weak */
        /* Start the program only once a live viewer attached, waiting up to this; 0: no wait. */
        unsigned int wait_viewer_ms;
        /*
         * 0 (default): isolate the recording. The program starts in an IPC
         * namespace of its own (unshare(CLONE_NEWIPC), inherited by every
         * process it forks or execs) and the ct_* events are filtered on
         * $ctx.ipc_ns, so only its process tree is recorded, not other
         * instrumented programs of the same user (per-UID buffers). Needs
         * CAP_SYS_ADMIN; without it the recording falls back to no isolation
         * (warned once per process on stderr).
         * 1 (--no-isolate): no namespace, no filter (for a program that must
         * share SysV IPC objects or POSIX message queues with processes
         * outside its tree).
         */
        int no_isolate;
        /* 0 (auto, default), on, off: see enum ct_recorder_preload. */
        enum ct_recorder_preload preload;
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
        /* Live: the URL a viewer reads the session from (net://RELAY:PORT/host/HOST/SESSION). */
        char live_url[CT_RECORDER_PATH_MAX];
        /* Live: a relay daemon started by this run (left running for viewers), else 0. */
        long relayd_pid;
        /*
         * 1: the program ran in its own IPC namespace and only its process
         * tree was recorded; 0: no isolation (opts.no_isolate, or it was not
         * permitted: other instrumented programs may be in the trace).
         */
        int isolated;
        /* The program's IPC namespace inode (the filter's $ctx.ipc_ns) if isolated, else 0. */
        uint64_t ipc_ns;
};

/* Defaults: full level, default sub-buffers, default output directory. */
void ct_recorder_opts_init(struct ct_recorder_opts *opts);

/* "full"/"light" -> level; -EINVAL otherwise. */
int ct_recorder_parse_level(const char *s, enum ct_record_level *level);

/* "auto"/"on"/"off" -> mode; -EINVAL otherwise. */
int ct_recorder_parse_preload(const char *s, enum ct_recorder_preload *mode);

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
