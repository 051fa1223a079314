/* SPDX-License-Identifier: MIT */
/*
 * Internal to the recorder: one recording in progress and the steps that
 * ct_rec_*.c share (not installed).
 */
#ifndef CT_REC_INTERNAL_H
#define CT_REC_INTERNAL_H

#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <sys/types.h>

#include "ct_recorder.h"

#define CT__PREFIX       "conctrace record: "
#define CT__CHANNEL_NAME "conctrace"
#define CT__EVENT_GLOB   "ct_*"
/* How long to wait for a freshly started session daemon to answer. */
#define CT__SESSIOND_WAIT_MS 15000
/* How long to wait for a freshly started relay daemon's ports. */
#define CT__RELAYD_WAIT_MS 10000
/* Live warm-up: how long its registration may take, and the relay daemon its streams. */
#define CT__WARMUP_CHILD_MS   5000
#define CT__WARMUP_STREAMS_MS 5000
/* The provider library, relative to the directory of the conctrace binary. */
#define CT__WARMUP_LIB "/../lib/libconctrace-tp.so"

extern char **environ;

_Static_assert(CT_RECORDER_PATH_MAX >= PATH_MAX, "realpath() needs PATH_MAX bytes");

/* Where the live session's data goes. */
struct ct__relay {
        char host[256]; /* relay daemon host as the session daemon reaches it */
        unsigned int ctrl_port;
        unsigned int data_port;
        unsigned int live_port;
        char out_dir[PATH_MAX]; /* its output directory when started here, else "" */
};

/* One recording in progress. */
struct ct__rec {
        const struct ct_recorder_opts *opts; /* weak */
        struct ct_recorder_result *res;      /* weak */
        char *const *argv;                   /* weak: program and its arguments */
        char prog_path[PATH_MAX];            /* argv[0] resolved through PATH */
        char prog_name[64];                  /* basename, sanitized */
        struct lttng_handle *handle;         /* owned */
        int session_created;
        int dir_created; /* trace_dir did not exist before: removed if nothing ran */
        int program_ran;
        pid_t child;
        char **env;             /* owned (array only): the program's environment until it runs */
        int report_fd;          /* child -> us: its isolation report, then an exec error; -1 */
        int go_fd;              /* us -> child: one byte releases it to exec, EOF aborts; -1 */
        struct ct__relay relay; /* --live: where the session streams to */
        char hostname[256];     /* this machine, as the relay daemon names it */
        char preload_lib[PATH_MAX]; /* LD_PRELOADed into the program, "" if none */
        char *preload_env;          /* owned: its LD_PRELOAD=... entry, or NULL */
};

/* Signal state shared with the handler (one recording at a time per process). */
extern volatile sig_atomic_t ct__sig_first;
extern volatile sig_atomic_t ct__sig_count;
extern volatile sig_atomic_t ct__child_pid;
extern unsigned int ct__run_counter;
extern int ct__warned_no_isolation;

/* ct_rec_child.c */
int ct__child_fork(struct ct__rec *rec);
void ct__child_abort(struct ct__rec *rec);
int ct__child_exec(struct ct__rec *rec);
void ct__wait_child(struct ct__rec *rec);

/* ct_rec_daemon.c */
void ct__sleep_ms(long ms);
int ct__ensure_sessiond(struct ct__rec *rec);
int ct__start_relayd(struct ct__rec *rec, struct ct__relay *r);

/* ct_rec_live.c */
int ct__parse_relayd_url(const char *url, struct ct__relay *r);
int ct__relay_prepare(struct ct__rec *rec, struct ct__relay *r);
void ct__find_relayd_copy(struct ct__rec *rec, const struct ct__relay *r, const char *hostname);
int ct__wait_viewer(struct ct__rec *rec, const struct ct__relay *r, const char *hostname);
int ct__warmup(struct ct__rec *rec);

/* ct_rec_output.c */
int ct__rm_rf(const char *path);
int ct__prepare_output(struct ct__rec *rec);

/* ct_rec_preload.c: sets rec->preload_lib (or not); < 0: do not run the program. */
int ct__preload_decide(struct ct__rec *rec);

/* ct_rec_session.c */
int ct__session_create(struct ct__rec *rec);
int ct__session_setup(struct ct__rec *rec);
int ct__session_stop(struct ct__rec *rec);
int ct__session_destroy(struct ct__rec *rec);

/* ct_recorder.c */
void ct__err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void ct__info(const struct ct__rec *rec, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
const char *ct__lttng_hint(int lttng_ret);
int ct__find_program(const char *name, char *out, size_t out_len);

#endif /* CT_REC_INTERNAL_H */
