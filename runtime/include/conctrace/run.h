/* SPDX-License-Identifier: MIT */
/*
 * conctrace runtime: runs, phases, object names, thread roles and the
 * recording level.
 *
 * Every function here fires a ct_run event (see docs/tracepoints.md) and costs
 * a disabled tracepoint (about 1 ns) when no tracing session is active.
 */
#ifndef CONCTRACE_RUN_H
#define CONCTRACE_RUN_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Kinds of named objects: the values of the contract's obj_kind enum. */
enum ct_obj_kind {
        CT_OBJ_LOCK = 0,
        CT_OBJ_COND = 1,
        CT_OBJ_PIPE = 2,
        CT_OBJ_QUEUE = 3,
        CT_OBJ_POOL = 4,
        CT_OBJ_FD = 5,
        CT_OBJ_SEM = 6, /* POSIX semaphores (ct_sem, fired by the preload library) */
};

/*
 * Marks the beginning of one measured run (ct_run:run_begin). scenario and
 * variant name the run (e.g. "task1a", "threads"), workers is the degree of
 * parallelism, params is a "k=v k=v" string of the other parameters (NULL is
 * fired as ""). The strings are copied: ct_run_end() repeats them.
 * Runs do not nest: a second ct_run_begin() before ct_run_end() ends nothing
 * and replaces the remembered fields.
 */
void ct_run_begin(const char *scenario, const char *variant, int workers, const char *params);

/*
 * Ends the current run (ct_run:run_end with the fields given to
 * ct_run_begin() and status, 0 = success). Also flushes the calling thread's
 * light-level lock summaries so that they fall inside the run.
 */
void ct_run_end(int status);

/* A named phase inside a run (ct_run:phase_begin / phase_end). */
void ct_phase_begin(const char *name);
void ct_phase_end(const char *name);

/*
 * Names an object for the timelines and reports (ct_run:name). obj is the
 * object id: an address for in-process objects, an inode for pipes.
 * The ct_*_init() functions name their objects themselves.
 */
void ct_name(uint64_t obj, enum ct_obj_kind kind, const char *name);

/* Convenience: ct_name() with the object's address as id. */
#define ct_name_ptr(ptr, kind, name) ct_name((uint64_t)(uintptr_t)(ptr), (kind), (name))

/*
 * For the main thread (threads made by ct_thread_create() and children made by
 * ct_fork() do this themselves): remembers role (copied) as the calling
 * thread's role and fires ct_run:thread_begin(role). If the GIL model is on,
 * the thread takes the GIL.
 */
void ct_thread_begin(const char *role);

/*
 * Fires ct_run:thread_end(role) after flushing the calling thread's light-level
 * lock summaries (ct_lock:summary). If the thread holds the GIL it drops it.
 */
void ct_thread_end(void);

/* The calling thread's role as given to ct_thread_begin()/ct_thread_create()/
 * ct_fork(), or "" if none. The string lives as long as the thread. */
const char *ct_thread_role(void);

/* The calling thread's kernel thread id (cached gettid()). */
int ct_gettid(void);

/* Recording levels (environment variable CT_RECORD_LEVEL=full|light). */
enum ct_record_level {
        CT_RECORD_FULL = 0,  /* every event (default) */
        CT_RECORD_LIGHT = 1, /* uncontended mutex acquisitions counted in ct_lock:summary */
};

/* The level read from CT_RECORD_LEVEL at load time (or set below). */
enum ct_record_level ct_record_level(void);

/* Overrides the level; call before any thread but the main one exists. */
void ct_set_record_level(enum ct_record_level level);

/*
 * Fires ct_lock:summary for every lock the calling thread acquired on the
 * light-level fast path since its last summary, and resets the counts.
 * Called by ct_thread_end(), ct_exit(), ct_run_end() and the thread
 * trampoline; call it yourself from threads not made by ct_thread_create().
 */
void ct_flush_summaries(void);

/*
 * Sets SIGPIPE to SIG_IGN for the process so that a write to a pipe whose
 * readers are gone fails with -EPIPE instead of killing the process.
 * Returns 0 or a negative errno.
 */
int ct_ignore_sigpipe(void);

#ifdef __cplusplus
}
#endif

#endif /* CONCTRACE_RUN_H */
