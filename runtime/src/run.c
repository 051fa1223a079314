/* SPDX-License-Identifier: MIT */
/*
 * Runs, phases, names, thread roles, recording level and light-level lock
 * summaries.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conctrace/run.h"
#include "ct_internal.h"

int ct__level = CT_RECORD_FULL;

/* Fields of the current run, repeated by run_end. */
static pthread_mutex_t run_mu = PTHREAD_MUTEX_INITIALIZER;
static char run_scenario[128];
static char run_variant[64];
static char run_params[512];
static int run_workers;

/*
 * Untraced timing (CT_RUN_TIMES=PATH): each ct_run_end() appends one line to
 * PATH with the run's fields and its run_begin/run_end clock readings, taken
 * with CLOCK_MONOTONIC (LTTng-UST's default trace clock) where the two
 * tracepoints are fired, so that the duration is the quantity an analysis
 * computes from a trace (run_end - run_begin). Read once, at load time.
 */
static char run_times_path[4096];
static int64_t run_begin_ns;
static pid_t run_begin_pid;

/* Per-thread light-level counters: a small open-addressing table. */
#define CT__SUMMARY_SLOTS 32
#define CT__SUMMARY_FLUSH 4096

struct ct__summary_slot {
        uint64_t lock;
        uint64_t count;
};

struct ct__self {
        int tid;
        char role[CT__ROLE_MAX];
        struct ct__summary_slot slots[CT__SUMMARY_SLOTS];
};

static __thread struct ct__self self;

static void copy_str(char *dst, size_t size, const char *src)
{
        if (!src)
                src = "";
        strncpy(dst, src, size - 1);
        dst[size - 1] = '\0';
}

__attribute__((constructor)) static void ct__init(void)
{
        const char *level = getenv("CT_RECORD_LEVEL");

        const char *times = getenv("CT_RUN_TIMES");

        if (level && strcmp(level, "light") == 0)
                ct__level = CT_RECORD_LIGHT;
        if (times && times[0] && strlen(times) < sizeof(run_times_path))
                strcpy(run_times_path, times);
        ct__gil_init_from_env();
}

static int64_t mono_ns(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Tabs and newlines would break the line format: they become spaces. */
static void one_line(char *s)
{
        for (; *s; s++)
                if (*s == '\t' || *s == '\n' || *s == '\r')
                        *s = ' ';
}

/*
 * "run\tSCENARIO\tVARIANT\tWORKERS\tSTATUS\tBEGIN_NS\tEND_NS\tPARAMS\n",
 * appended in one write(2) so that concurrent writers do not interleave.
 */
static void run_times_write(int status, int64_t end_ns)
{
        char line[1024];
        int n, fd, saved = errno;

        n = snprintf(line, sizeof(line), "run\t%s\t%s\t%d\t%d\t%lld\t%lld\t%s\n", run_scenario,
                     run_variant, run_workers, status, (long long)run_begin_ns, (long long)end_ns,
                     run_params);
        if (n <= 0 || (size_t)n >= sizeof(line))
                goto end;
        fd = open(run_times_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
        if (fd < 0)
                goto end;
        if (write(fd, line, (size_t)n) != n) {
                /* nothing to do: the reader counts the lines it finds */
        }
        close(fd);
end:
        errno = saved;
}

void ct_run_begin(const char *scenario, const char *variant, int workers, const char *params)
{
        pthread_mutex_lock(&run_mu);
        copy_str(run_scenario, sizeof(run_scenario), scenario);
        copy_str(run_variant, sizeof(run_variant), variant);
        copy_str(run_params, sizeof(run_params), params);
        run_workers = workers;
        if (run_times_path[0]) {
                one_line(run_scenario);
                one_line(run_variant);
                one_line(run_params);
                run_begin_pid = getpid();
                run_begin_ns = mono_ns();
        }
        lttng_ust_tracepoint(ct_run, run_begin, run_scenario, run_variant, run_workers, run_params);
        pthread_mutex_unlock(&run_mu);
}

void ct_run_end(int status)
{
        int64_t end_ns;

        ct_flush_summaries();
        pthread_mutex_lock(&run_mu);
        end_ns = run_times_path[0] ? mono_ns() : 0;
        lttng_ust_tracepoint(ct_run, run_end, run_scenario, run_variant, run_workers, run_params,
                             status);
        if (run_times_path[0] && run_begin_pid == getpid()) {
                run_times_write(status, end_ns);
                run_begin_pid = 0;
        }
        pthread_mutex_unlock(&run_mu);
}

void ct_phase_begin(const char *name)
{
        lttng_ust_tracepoint(ct_run, phase_begin, name ? name : "");
}

void ct_phase_end(const char *name)
{
        lttng_ust_tracepoint(ct_run, phase_end, name ? name : "");
}

void ct_name(uint64_t obj, enum ct_obj_kind kind, const char *name)
{
        if (!name)
                return;
        lttng_ust_tracepoint(ct_run, name, obj, (int)kind, name);
}

void ct__set_role(const char *role)
{
        copy_str(self.role, sizeof(self.role), role);
}

void ct__reset_tid(void)
{
        self.tid = 0;
}

void ct_thread_begin(const char *role)
{
        ct__set_role(role ? role : "main");
        lttng_ust_tracepoint(ct_run, thread_begin, self.role);
        if (ct__gil_is_on() && !ct__gil_thread_held())
                ct__gil_take();
}

void ct_thread_end(void)
{
        ct__gil_thread_exit();
        ct_flush_summaries();
        lttng_ust_tracepoint(ct_run, thread_end, self.role);
}

const char *ct_thread_role(void)
{
        return self.role;
}

int ct_gettid(void)
{
        if (!self.tid)
                self.tid = (int)gettid();
        return self.tid;
}

enum ct_record_level ct_record_level(void)
{
        return (enum ct_record_level)ct__level;
}

void ct_set_record_level(enum ct_record_level level)
{
        ct__level = (int)level;
}

static void summary_fire(struct ct__summary_slot *slot)
{
        if (slot->count)
                lttng_ust_tracepoint(ct_lock, summary, slot->lock, slot->count);
        slot->count = 0;
}

void ct__summary_count(uint64_t lock)
{
        size_t h = (size_t)((lock >> 4) * 0x9E3779B97F4A7C15ull >> 59) % CT__SUMMARY_SLOTS;
        struct ct__summary_slot *slot;

        for (size_t i = 0; i < CT__SUMMARY_SLOTS; i++) {
                slot = &self.slots[(h + i) % CT__SUMMARY_SLOTS];
                if (slot->lock == lock || slot->lock == 0)
                        goto found;
        }
        /* Table full: flush the home slot and reuse it. */
        slot = &self.slots[h];
        summary_fire(slot);
found:
        slot->lock = lock;
        if (++slot->count >= CT__SUMMARY_FLUSH)
                summary_fire(slot);
}

void ct_flush_summaries(void)
{
        for (size_t i = 0; i < CT__SUMMARY_SLOTS; i++) {
                if (self.slots[i].lock)
                        summary_fire(&self.slots[i]);
        }
}

void ct__summaries_reset(void)
{
        memset(self.slots, 0, sizeof(self.slots));
}

int ct_ignore_sigpipe(void)
{
        struct sigaction sa;

        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = SIG_IGN;
        sigemptyset(&sa.sa_mask);
        if (sigaction(SIGPIPE, &sa, NULL) < 0)
                return -errno;
        return 0;
}
