/* SPDX-License-Identifier: MIT */
/*
 * sharedlist — Q&A notes, question 4: "one thread adds numbers to a list, and
 * another thread removes numbers from the list", with a lock to avoid races.
 *
 * The adder appends 0 .. --count-1, sleeping --add-sleep seconds before each;
 * the remover makes --count attempts, sleeping --remove-sleep seconds before
 * each, and pops the oldest number if the list is not empty (the text's
 * `if shared_list: shared_list.pop(0)`). Both touch the list only while
 * holding `list_lock`. The program checks the list's invariant: numbers come
 * out in the order they went in, none twice, none lost (removed + left =
 * added).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <conctrace/ct.h>

#include "ct_scn.h"

struct opts {
        long count;
        double add_sleep;
        double remove_sleep;
};

struct shared {
        const struct opts *o; /* weak */
        struct ct_mutex list_lock;
        long *list; /* owned: the shared list, a FIFO of `count` slots */
        long head;  /* index of the oldest number */
        long len;   /* numbers in the list */
        long added;
        long *removed; /* owned: numbers in the order they were removed */
        long n_removed;
        long empty_tries; /* remover attempts that found the list empty */
        int error;
};

static int parse_opts(int argc, char **argv, struct opts *o)
{
        const struct ct_scn_opt options[] = {
            CT_SCN_TEXT("Q&A question 4: an adder thread and a remover thread share a list under "
                        "one\n"
                        "lock (list_lock).\n"
                        "\n"
                        "Options:\n"),
            CT_SCN_LONG("count", "N", &o->count, 10, 0, 10000000,
                        "numbers added, and removal attempts (default {})"),
            CT_SCN_DOUBLE("add-sleep", "SECONDS", &o->add_sleep, 0.1, 0, 60,
                          "the adder's sleep before each add (default {})"),
            CT_SCN_DOUBLE("remove-sleep", "SECONDS", &o->remove_sleep, 0.15, 0, 60,
                          "the remover's sleep before each attempt (default {})"),
            CT_SCN_VERBOSE("print the list after every change (as the text does)"),
            CT_SCN_HELP,
            CT_SCN_TEXT("\n"
                        "Exit status: 0 if numbers left the list in the order they entered, none "
                        "twice\n"
                        "and none lost; 1 otherwise; 2 for bad options.\n"),
        };

        return ct_scn_parse_cli(argc, argv, options, CT_SCN_N(options), 25);
}

/* Prints the list like Python does ("[1, 2]"); call with list_lock held. */
static void print_list(const struct shared *s, const char *what, long n)
{
        char buf[256];
        size_t len = 0;
        long i;

        if (!ct_scn_verbose)
                return;
        buf[0] = '\0';
        for (i = 0; i < s->len && len < sizeof(buf) - 32; i++)
                len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%ld", i ? ", " : "",
                                        s->list[(s->head + i) % s->o->count]);
        if (i < s->len)
                snprintf(buf + len, sizeof(buf) - len, ", ...");
        printf("%s %ld %s list. Current list: [%s]\n", what, n,
               strcmp(what, "Added") == 0 ? "to" : "from", buf);
}

static void sleep_s(double seconds)
{
        if (seconds > 0)
                ct_io_sim((uint64_t)(seconds * 1e6 + 0.5));
}

static void *add_numbers(void *arg)
{
        struct shared *s = arg;

        for (long i = 0; i < s->o->count; i++) {
                int ret;

                sleep_s(s->o->add_sleep);
                ret = ct_mutex_lock(&s->list_lock);
                if (ret < 0) {
                        s->error = ret;
                        break;
                }
                s->list[(s->head + s->len) % s->o->count] = i;
                s->len++;
                s->added++;
                print_list(s, "Added", i);
                ct_mutex_unlock(&s->list_lock);
        }
        return NULL;
}

static void *remove_numbers(void *arg)
{
        struct shared *s = arg;

        for (long i = 0; i < s->o->count; i++) {
                int ret;

                sleep_s(s->o->remove_sleep);
                ret = ct_mutex_lock(&s->list_lock);
                if (ret < 0) {
                        s->error = ret;
                        break;
                }
                if (s->len > 0) {
                        long v = s->list[s->head];

                        s->head = (s->head + 1) % s->o->count;
                        s->len--;
                        s->removed[s->n_removed++] = v;
                        print_list(s, "Removed", v);
                } else {
                        s->empty_tries++;
                }
                ct_mutex_unlock(&s->list_lock);
        }
        return NULL;
}

int main(int argc, char **argv)
{
        struct ct_thread adder, remover;
        struct ct_scn_params params;
        struct shared s;
        struct opts o;
        int64_t t0, elapsed;
        int status = 1, ret, ok, in_order = 1, started = 0;

        ct_scn_init(argv[0]);
        ret = parse_opts(argc, argv, &o);
        if (ret)
                return ret;
        memset(&s, 0, sizeof(s));
        s.o = &o;
        s.list = calloc((size_t)o.count + 1, sizeof(long));
        s.removed = calloc((size_t)o.count + 1, sizeof(long));
        if (!s.list || !s.removed) {
                ct_scn_error("Failed to allocate the list: count=%ld", o.count);
                goto end;
        }
        ct_thread_begin("main");
        ret = ct_mutex_init(&s.list_lock, "list_lock");
        if (ret < 0) {
                ct_scn_error("Failed to initialize list_lock: err=%s", strerror(-ret));
                goto end_thread;
        }
        ct_scn_params_init(&params);
        ct_scn_params_add(&params, "count", "%ld", o.count);
        ct_scn_params_add(&params, "add_sleep", "%g", o.add_sleep);
        ct_scn_params_add(&params, "remove_sleep", "%g", o.remove_sleep);
        printf("sharedlist: adder adds %ld numbers every %gs, remover tries %ld times every %gs\n",
               o.count, o.add_sleep, o.count, o.remove_sleep);

        t0 = ct_scn_run_begin("sharedlist", "lock", 2, &params);
        ret = ct_thread_create(&adder, "adder", add_numbers, &s);
        if (ret == 0) {
                started = 1;
                ret = ct_thread_create(&remover, "remover", remove_numbers, &s);
                if (ret == 0)
                        started = 2;
        }
        if (ret < 0) {
                ct_scn_error("Failed to start a thread: err=%s", strerror(-ret));
                s.error = ret;
        }
        if (started >= 1)
                ct_thread_join(&adder, NULL);
        if (started == 2)
                ct_thread_join(&remover, NULL);
        elapsed = ct_scn_now_ns() - t0;

        for (long i = 0; i < s.n_removed; i++) {
                if (s.removed[i] != i)
                        in_order = 0;
        }
        for (long i = 0; i < s.len && in_order; i++) {
                if (s.list[(s.head + i) % o.count] != s.n_removed + i)
                        in_order = 0;
        }
        printf("sharedlist: added %ld, removed %ld, %ld removal attempts found the list empty, "
               "%ld left in the list\n",
               s.added, s.n_removed, s.empty_tries, s.len);
        ct_scn_print_elapsed("sharedlist", elapsed);
        ok = ct_scn_check(!s.error && s.added == o.count, "no error, %ld of %ld numbers added",
                          s.added, o.count);
        ok &= ct_scn_check(in_order && s.n_removed + s.len == s.added,
                           "numbers left in FIFO order, none twice, none lost (%ld removed + %ld "
                           "left = %ld added)",
                           s.n_removed, s.len, s.added);
        status = ok ? 0 : 1;
        ct_run_end(status);
        ct_mutex_destroy(&s.list_lock);
end_thread:
        ct_thread_end();
end:
        free(s.removed);
        free(s.list);
        return status;
}
