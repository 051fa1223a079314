/* SPDX-License-Identifier: MIT */
/*
 * Internal to libconctrace-preload.so: the real functions, the per-thread
 * guard and the "is this call ours to trace" test shared by the wrappers.
 */
#ifndef CT_PL_INTERNAL_H
#define CT_PL_INTERNAL_H

#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <sys/types.h>

#include "conctrace/tp.h"

#define CT__PL_HIDDEN __attribute__((visibility("hidden")))
#define CT__PL_TLS    __attribute__((tls_model("initial-exec")))

/*
 * Per-thread state. `guard` > 0 while the library is firing an event (or
 * resolving symbols): every call made meanwhile, e.g. by lttng-ust itself,
 * goes straight to libc. `quiet` marks threads that are not the program's
 * (lttng-ust's listener threads, threads started before initialisation).
 */
#define CT__PL_HELD 16 /* mutexes a thread holds with their acquire fired */
#define CT__PL_SUMS 32 /* light level: locks counted per thread */
struct ct__pl_thread {
        int guard;
        int quiet;
        pid_t tid;     /* 0 until first needed; reset in a fork child */
        int begun;     /* 0: thread_begin not fired yet, 1: fired, 2: thread_end fired */
        int gil_req;   /* a GIL request fired, not yet followed by its acquire */
        int gil_fired; /* this thread's GIL acquire was fired: its release is */
        int nheld;     /* entries in held */
        char role[48]; /* as last fired in thread_begin */
        uintptr_t held[CT__PL_HELD]; /* mutexes whose acquire was fired, oldest first */
        struct {
                uint64_t lock, count;
        } sums[CT__PL_SUMS]; /* light level: uncontended acquisitions not fired */
};
extern __thread struct ct__pl_thread ct__pl_self CT__PL_TLS CT__PL_HIDDEN;

/* 1 once the real symbols are resolved and the exclusion ranges known. */
extern int ct__pl_ready CT__PL_HIDDEN;
/* 1 when the runtime (libconctrace-rt.so) is loaded too: its own events win. */
extern int ct__pl_runtime_present CT__PL_HIDDEN;

/* 1 at the light recording level (CT_RECORD_LEVEL=light, docs/runtime.md). */
extern int ct__pl_light CT__PL_HIDDEN;

/* The mutexes this thread holds whose ct_lock:acquire was fired: an unlock
 * fires ct_lock:release only for those, so an acquisition made while no
 * session recorded (or only counted, at the light level) never gets a
 * release without its acquire. The set is kept only while ct_lock events
 * are enabled; it is small (a thread rarely holds many mutexes at once): when
 * full, its oldest entry is dropped (that mutex's release is then not fired,
 * docs/preload.md). */
static inline int ct__pl_held_take(const void *m)
{
        struct ct__pl_thread *s = &ct__pl_self;

        for (int i = s->nheld - 1; i >= 0; i--) {
                if (s->held[i] == (uintptr_t)m) {
                        for (int j = i + 1; j < s->nheld; j++)
                                s->held[j - 1] = s->held[j];
                        s->nheld--;
                        return 1;
                }
        }
        return 0;
}

static inline void ct__pl_held_add(const void *m)
{
        struct ct__pl_thread *s = &ct__pl_self;

        /* Already there: a stale entry (its unlock came while no session
         * recorded); keep one. */
        for (int i = s->nheld - 1; i >= 0; i--) {
                if (s->held[i] == (uintptr_t)m)
                        return;
        }
        if (s->nheld == CT__PL_HELD) {
                for (int j = 1; j < CT__PL_HELD; j++)
                        s->held[j - 1] = s->held[j];
                s->nheld--;
        }
        s->held[s->nheld++] = (uintptr_t)m;
}

/* pl_mutex.c: light-level counts, fired as ct_lock:summary. */
void ct__pl_summary_count(uint64_t lock) CT__PL_HIDDEN;
void ct__pl_summaries_flush(void) CT__PL_HIDDEN;
void ct__pl_summaries_reset(void) CT__PL_HIDDEN;

/* Address ranges of the code whose calls are never traced: lttng-ust, the
 * provider library, the runtime. */
#define CT__PL_MAX_RANGES 16
struct ct__pl_range {
        uintptr_t lo, hi;
};
extern struct ct__pl_range ct__pl_ranges[CT__PL_MAX_RANGES] CT__PL_HIDDEN;
extern int ct__pl_nranges CT__PL_HIDDEN;
extern struct ct__pl_range ct__pl_envelope CT__PL_HIDDEN; /* [min lo, max hi) of the ranges */

static inline int ct__pl_excluded_caller(const void *ra)
{
        uintptr_t a = (uintptr_t)ra;

        /* The program's own code (PIE at 0x55..., or non-PIE low) is outside. */
        if (__builtin_expect(a < ct__pl_envelope.lo || a >= ct__pl_envelope.hi, 1))
                return 0;
        for (int i = 0; i < ct__pl_nranges; i++) {
                if (a >= ct__pl_ranges[i].lo && a < ct__pl_ranges[i].hi)
                        return 1;
        }
        return 0;
}

/* Whether a call made from return address `ra` is traced. */
static inline int ct__pl_traced(const void *ra)
{
        struct ct__pl_thread *s = &ct__pl_self;

        if (__builtin_expect(!ct__pl_ready || s->guard || s->quiet, 0))
                return 0;
        return !ct__pl_excluded_caller(ra);
}

#define CT__PL_CALLER() __builtin_return_address(0)

/* Fires one event with the guard held; a thread's first event is preceded
 * by its thread_begin (the main thread's, fired from the constructor, may
 * come before lttng-ust has enabled the session's events). */
#define CT__PL_FIRE(provider, name, ...)                                                           \
        do {                                                                                       \
                if (lttng_ust_tracepoint_enabled(provider, name)) {                                \
                        if (__builtin_expect(!ct__pl_self.begun, 0) &&                             \
                            lttng_ust_tracepoint_enabled(ct_run, thread_begin))                    \
                                ct__pl_thread_begin(NULL);                                         \
                        ct__pl_self.guard++;                                                       \
                        lttng_ust_do_tracepoint(provider, name, __VA_ARGS__);                      \
                        ct__pl_self.guard--;                                                       \
                }                                                                                  \
        } while (0)

pid_t ct__pl_tid_slow(void) CT__PL_HIDDEN;
static inline pid_t ct__pl_tid(void)
{
        pid_t t = ct__pl_self.tid;

        return __builtin_expect(t != 0, 1) ? t : ct__pl_tid_slow();
}
void ct__pl_resolve(void) CT__PL_HIDDEN;
/* Returns the real symbol (dlsym RTLD_NEXT; dlvsym when version != NULL). */
void *ct__pl_sym(const char *name, const char *version) CT__PL_HIDDEN;
void ct__pl_thread_begin(const char *role) CT__PL_HIDDEN;
extern int ct__pl_tid_offset CT__PL_HIDDEN;
void ct__pl_default_role(char *out, size_t len) CT__PL_HIDDEN;
void ct__pl_name(uint64_t obj, int kind, const char *name) CT__PL_HIDDEN;
/* The path of this library (for LD_PRELOAD of exec'ed programs). */
extern char ct__pl_self_path[4096] CT__PL_HIDDEN;

/* Real functions (resolved by ct__pl_resolve). */
struct ct__pl_real {
        int (*mutex_init)(pthread_mutex_t *, const pthread_mutexattr_t *);
        int (*mutex_lock)(pthread_mutex_t *);
        int (*mutex_trylock)(pthread_mutex_t *);
        int (*mutex_timedlock)(pthread_mutex_t *, const struct timespec *);
        int (*mutex_clocklock)(pthread_mutex_t *, clockid_t, const struct timespec *);
        int (*mutex_unlock)(pthread_mutex_t *);
        int (*cond_wait)(pthread_cond_t *, pthread_mutex_t *);
        int (*cond_timedwait)(pthread_cond_t *, pthread_mutex_t *, const struct timespec *);
        int (*cond_clockwait)(pthread_cond_t *, pthread_mutex_t *, clockid_t,
                              const struct timespec *);
        int (*cond_signal)(pthread_cond_t *);
        int (*cond_broadcast)(pthread_cond_t *);
        int (*sem_wait)(sem_t *);
        int (*sem_trywait)(sem_t *);
        int (*sem_timedwait)(sem_t *, const struct timespec *);
        int (*sem_clockwait)(sem_t *, clockid_t, const struct timespec *);
        int (*sem_post)(sem_t *);
};
extern struct ct__pl_real ct__pl_real CT__PL_HIDDEN;

/* pl_gil.c: CPython's GIL inside _PyRuntime. */
void ct__pl_gil_init(void) CT__PL_HIDDEN;
/* The GIL structure's address if `p` lies inside it, else 0. */
extern uintptr_t ct__pl_gil_lo CT__PL_HIDDEN, ct__pl_gil_hi CT__PL_HIDDEN;
static inline int ct__pl_in_gil(const void *p)
{
        return (uintptr_t)p >= ct__pl_gil_lo && (uintptr_t)p < ct__pl_gil_hi;
}
int ct__pl_gil_mutex_init(pthread_mutex_t *m) CT__PL_HIDDEN;
void ct__pl_gil_mutex_unlocking(pthread_mutex_t *m) CT__PL_HIDDEN;
int ct__pl_gil_cond_wait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *abs,
                         int clock, int which) CT__PL_HIDDEN;
int ct__pl_gil_cond_wake(pthread_cond_t *c, int broadcast) CT__PL_HIDDEN;

/* pl_cond.c: threads between wait_begin and wait_end, per condvar. */
int ct__pl_waiters_add(const void *cond, int delta) CT__PL_HIDDEN;
int ct__pl_waiters_get(const void *cond) CT__PL_HIDDEN;

/* pl_pipe.c / pl_proc.c / pl_thread.c: after fork in the child. */
void ct__pl_pipe_after_fork_child(void) CT__PL_HIDDEN;
void ct__pl_thread_after_fork_child(void) CT__PL_HIDDEN;

#endif /* CT_PL_INTERNAL_H */
