/* SPDX-License-Identifier: MIT */
/*
 * A decoded conctrace event: what the core hands to every analysis and output.
 *
 * The core (ct_source) turns each babeltrace2 event message into one
 * `struct ct_event`, using field indexes cached per event class; analyses and
 * outputs never include babeltrace2 headers, so unit tests feed them scripted
 * events with exact timestamps.
 *
 * Only the members listed for an event's type are meaningful; the others hold
 * stale values from earlier events and must not be read. Strings and arrays are
 * weak: valid only during the callback that receives the event.
 */
#ifndef CT_EVENT_H
#define CT_EVENT_H

#include <stddef.h>
#include <stdint.h>

enum ct_ev_type {
	CT_EV_UNKNOWN = 0, /* an event of another provider: counted, ignored */

	/* ct_run */
	CT_EV_RUN_BEGIN,    /* str=scenario, variant, workers, params */
	CT_EV_RUN_END,      /* str=scenario, variant, workers, params, status */
	CT_EV_PHASE_BEGIN,  /* str=name */
	CT_EV_PHASE_END,    /* str=name */
	CT_EV_THREAD_BEGIN, /* str=role */
	CT_EV_THREAD_END,   /* str=role */
	CT_EV_NAME,         /* obj, kind (enum ct_obj_kind), str=name */
	CT_EV_FORK,         /* target=child pid */
	CT_EV_CHILD_EXIT,   /* target=child pid, status */
	CT_EV_JOIN_BEGIN,   /* target=tid or pid, status (0) */
	CT_EV_JOIN_END,     /* target=tid or pid, status */

	/* ct_work */
	CT_EV_WORK_BEGIN, /* kind (enum ct_work_kind), units */
	CT_EV_WORK_END,   /* kind, units */

	/* ct_pipe (obj = the pipe's inode) */
	CT_EV_PIPE_CREATE,      /* obj, rfd, wfd */
	CT_EV_PIPE_WRITE_BEGIN, /* obj, fd, len */
	CT_EV_PIPE_WRITE_END,   /* obj, fd, len, ret, err, offset */
	CT_EV_PIPE_READ_BEGIN,  /* obj, fd, len */
	CT_EV_PIPE_READ_END,    /* obj, fd, len, ret (0 = EOF), err, offset */
	CT_EV_PIPE_CLOSE,       /* obj, fd, kind (enum ct_pipe_end) */

	/* ct_select */
	CT_EV_SELECT_BEGIN, /* nfds, nread, nwrite, timeout_us (-1 = none) */
	CT_EV_SELECT_END,   /* nfds, nread, nwrite, timeout_us, ret, err, ready[ready_len] */

	/* ct_lock (obj = the lock) */
	CT_EV_LOCK_REQUEST, /* obj */
	CT_EV_LOCK_ACQUIRE, /* obj, contended */
	CT_EV_LOCK_RELEASE, /* obj */
	CT_EV_LOCK_SUMMARY, /* obj, count = untraced uncontended acquisitions */

	/* ct_cond (obj = the condvar) */
	CT_EV_COND_WAIT_BEGIN, /* obj, lock */
	CT_EV_COND_WAIT_END,   /* obj, lock, timedout */
	CT_EV_COND_SIGNAL,     /* obj, waiters */
	CT_EV_COND_BROADCAST,  /* obj, waiters */

	/* ct_pool (obj = the pool) */
	CT_EV_POOL_CREATE,     /* obj, workers, kind (enum ct_pool_kind) */
	CT_EV_POOL_DESTROY,    /* obj, workers, kind */
	CT_EV_POOL_SUBMIT,     /* obj, task */
	CT_EV_POOL_TASK_BEGIN, /* obj, task, worker */
	CT_EV_POOL_TASK_END,   /* obj, task, worker */

	/* ct_queue (obj = the queue) */
	CT_EV_QUEUE_PUT, /* obj, depth (after the operation) */
	CT_EV_QUEUE_GET, /* obj, depth */

	/* ct_sem (obj = the semaphore) */
	CT_EV_SEM_REQUEST, /* obj */
	CT_EV_SEM_ACQUIRE, /* obj, contended */
	CT_EV_SEM_FAIL,    /* obj, err */
	CT_EV_SEM_POST,    /* obj */

	/*
	 * Not fired by the runtime: babeltrace2's discarded-events message.
	 * count = events lost (0 if unknown), ts_begin..ts = the gap (ts_begin = 0
	 * if unknown), vpid = vtid = -1 (a gap is per stream, not per thread).
	 */
	CT_EV_DISCARDED,

	CT_EV__COUNT
};

/* Values of the contract's enums (same numbers as the tracepoint provider). */
enum ct_obj_kind {
	CT_OBJ_LOCK = 0,
	CT_OBJ_COND = 1,
	CT_OBJ_PIPE = 2,
	CT_OBJ_QUEUE = 3,
	CT_OBJ_POOL = 4,
	CT_OBJ_FD = 5,
	CT_OBJ_SEM = 6,
};
enum ct_work_kind { CT_WORK_COMPUTE = 0, CT_WORK_IO_SIM = 1 };
enum ct_pipe_end { CT_PIPE_END_READ = 0, CT_PIPE_END_WRITE = 1 };
enum ct_pool_kind { CT_POOL_THREAD = 0, CT_POOL_PROCESS = 1 };

struct ct_event {
	enum ct_ev_type type;
	uint32_t trace;       /* index of the trace among those analyzed together */
	uint64_t ts;          /* ns from the clock's origin (Unix epoch for LTTng) */
	int64_t vpid;         /* vpid context; -1 for CT_EV_DISCARDED */
	int64_t vtid;         /* vtid context; -1 for CT_EV_DISCARDED */
	const char *procname; /* weak: procname context, "" if absent */
	const char *ev_name;  /* weak: "provider:event" as in the trace */

	uint64_t obj;  /* lock, cond, pipe, queue, pool, or the named object */
	uint64_t lock; /* cond wait_begin/end: the mutex */
	int64_t kind;  /* name, work, pool create/destroy, pipe close: the enum value */

	const char *str;     /* weak: scenario (run), name (name, phase), role (thread) */
	const char *variant; /* weak: run */
	const char *params;  /* weak: run, "k=v k=v" */
	int64_t workers;     /* run, pool create/destroy */
	int64_t status;      /* run_end, child_exit, join_begin/end */
	int64_t target;      /* fork, child_exit: child pid; join: tid or pid */

	int64_t fd;      /* pipe io, pipe close */
	int64_t rfd;     /* pipe create */
	int64_t wfd;     /* pipe create */
	uint64_t len;    /* pipe io: bytes asked */
	int64_t ret;     /* pipe io end: bytes moved or -1; select end: ready count or -1 */
	int64_t err;     /* pipe io end, select end: errno or 0 */
	uint64_t offset; /* pipe io end: bytes this process had moved on this pipe before */

	int64_t nfds, nread, nwrite, timeout_us; /* select */
	const int64_t *ready;                    /* weak: select end: ready fds */
	uint32_t ready_len;                      /* select end */

	int64_t contended; /* lock acquire: 0/1 */
	int64_t timedout;  /* cond wait_end: 0/1 */
	int64_t waiters;   /* cond signal/broadcast */
	uint64_t count;    /* lock summary: acquisitions; discarded: events lost */
	uint64_t task;     /* pool submit, task_begin/end */
	int64_t worker;    /* pool task_begin/end */
	int64_t depth;     /* queue put/get */
	uint64_t units;    /* work */
	uint64_t ts_begin; /* discarded: start of the gap, 0 if unknown */
};

/*
 * An event's members as 8-byte slots, for copying only the meaningful ones:
 * CT_EVENT_SLOT(m) is the bit of the slot that holds member m, and a slot
 * mask (uint64_t) names a set of members. CT_EVENT_HEAD_SLOTS: the members
 * every event has (type and trace, ts, vpid, vtid, procname, ev_name).
 */
#define CT_EVENT_SLOTS      (sizeof(struct ct_event) / 8)
#define CT_EVENT_SLOT_AT(o) (UINT64_C(1) << ((o) / 8))
#define CT_EVENT_SLOT(m)    CT_EVENT_SLOT_AT(offsetof(struct ct_event, m))
#define CT_EVENT_HEAD_SLOTS                                                                        \
	(CT_EVENT_SLOT(type) | CT_EVENT_SLOT(trace) | CT_EVENT_SLOT(ts) | CT_EVENT_SLOT(vpid) |     \
	 CT_EVENT_SLOT(vtid) | CT_EVENT_SLOT(procname) | CT_EVENT_SLOT(ev_name))
_Static_assert(sizeof(struct ct_event) % 8 == 0 && CT_EVENT_SLOTS <= 64,
	       "struct ct_event must fit a 64-slot mask");

/* "provider:event" for a type, e.g. "ct_lock:acquire"; "?" for CT_EV_UNKNOWN. */
const char *ct_event_type_name(enum ct_ev_type type);

#endif /* CT_EVENT_H */
