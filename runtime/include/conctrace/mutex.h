/* SPDX-License-Identifier: MIT */
/*
 * conctrace runtime: instrumented mutex. The lock id in the trace is the
 * address of the struct ct_mutex.
 *
 * ct_mutex_lock() first tries the lock; only when it is busy does it fire
 * ct_lock:request and block (releasing the GIL meanwhile), then it fires
 * ct_lock:acquire(contended 0 or 1). Unlock fires ct_lock:release.
 * At the light recording level, uncontended acquisitions and their releases
 * are not fired but counted (ct_lock:summary).
 */
#ifndef CONCTRACE_MUTEX_H
#define CONCTRACE_MUTEX_H

#include <pthread.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct ct_mutex {
        pthread_mutex_t mu;
        /* Set by the holder: 1 if its acquisition was traced (unlock then fires
         * ct_lock:release), 0 if it was only counted (light level). */
        int traced;
};

/* The id of a mutex in the trace. */
#define ct_mutex_id(m) ((uint64_t)(uintptr_t)(m))

/*
 * Initializes m (a normal, non-recursive mutex) and names it (ct_run:name kind
 * lock; name may be NULL: not named). Returns 0 or a negative errno.
 */
int ct_mutex_init(struct ct_mutex *m, const char *name);

/* Destroys an unlocked mutex. Returns 0 or a negative errno (-EBUSY). */
int ct_mutex_destroy(struct ct_mutex *m);

/* Locks m (see above). Returns 0 or a negative errno. */
int ct_mutex_lock(struct ct_mutex *m);

/* Tries to lock m: 0 if acquired (ct_lock:acquire contended 0), -EBUSY if not
 * (nothing fired). */
int ct_mutex_trylock(struct ct_mutex *m);

/* Unlocks m (ct_lock:release). Returns 0 or a negative errno. */
int ct_mutex_unlock(struct ct_mutex *m);

#ifdef __cplusplus
}
#endif

#endif /* CONCTRACE_MUTEX_H */
