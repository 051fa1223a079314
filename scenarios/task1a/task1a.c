/* SPDX-License-Identifier: MIT */
/*
 * task1a — Lab week 3, Task 1A: a pipe between a parent producer and a child
 * consumer.
 *
 * The parent writes --chunks chunks of --chunk-size bytes to a pipe and times
 * each write; the child reads them. When the pipe buffer (64 KiB on Linux) is
 * full, the parent's write blocks until the (slow: --consumer-delay-ms per
 * read) child reads. In --mode broken (the lab's template) the child reads
 * once and closes its read end early: the parent's next write fails with
 * EPIPE, which it reports in red instead of dying of SIGPIPE. In --mode fixed
 * (the lab's solution) the child reads until read() returns 0 (EOF).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <conctrace/ct.h>

#include "ct_scn.h"

enum mode { MODE_BROKEN = 0, MODE_FIXED = 1 };
static const char *const mode_names[] = {"broken", "fixed", NULL};

struct opts {
        int mode;
        long chunk_size;
        long chunks;
        long consumer_delay_ms;
        long read_size;
        long block_us; /* a write slower than this blocked (the pipe was full) */
};

static int parse_opts(int argc, char **argv, struct opts *o)
{
        const struct ct_scn_opt options[] = {
            CT_SCN_TEXT("Lab week 3, Task 1A: a parent producer writes chunks to a child consumer "
                        "over a\n"
                        "pipe and times each write. The child is slow, so writes block when the "
                        "pipe is\n"
                        "full. --mode broken: the child reads once and closes early, the parent's "
                        "next\n"
                        "write fails with EPIPE (reported, not killed by SIGPIPE). --mode fixed: "
                        "the\n"
                        "child reads until EOF.\n"
                        "\n"
                        "Options:\n"),
            CT_SCN_CHOICE("mode", &o->mode, mode_names, MODE_BROKEN,
                          "the child's behaviour (default {}, the lab's template)"),
            CT_SCN_LONG("chunk-size", "BYTES", &o->chunk_size, 4096, 1, 1 << 20,
                        "bytes per write (default {})"),
            CT_SCN_LONG("chunks", "N", &o->chunks, 64, 1, 1000000, "number of writes (default {})"),
            CT_SCN_LONG("consumer-delay-ms", "MS", &o->consumer_delay_ms, 5, 0, 10000,
                        "the child sleeps MS before each read (default {})"),
            /* 0: the chunk size (set below). */
            CT_SCN_LONG("read-size", "BYTES", &o->read_size, 0, 1, 1 << 20,
                        "bytes the child asks per read (default: chunk size)"),
            CT_SCN_LONG("block-us", "US", &o->block_us, 1000, 1, 10000000,
                        "a write slower than this counts as blocked (default {})"),
            CT_SCN_VERBOSE("print every write and read"),
            CT_SCN_HELP,
            CT_SCN_TEXT("\n"
                        "Exit status: 0 when the run did what its mode teaches (fixed: every byte\n"
                        "delivered and the child exited 0; broken: the EPIPE was seen and "
                        "reported),\n"
                        "1 otherwise, 2 for bad options.\n"),
        };
        int ret = ct_scn_parse_cli(argc, argv, options, CT_SCN_N(options), 29);

        if (ret)
                return ret;
        if (o->read_size == 0)
                o->read_size = o->chunk_size;
        return 0;
}

/* The byte at stream offset off, so the child can check what it reads. */
static unsigned char pattern(uint64_t off)
{
        return (unsigned char)((off * 131u + 7u) >> 3);
}

/* The consumer, in the child process. Returns its exit status. */
static int consumer(const struct opts *o, int rfd)
{
        const uint64_t expected = (uint64_t)o->chunks * (uint64_t)o->chunk_size;
        unsigned char *buf = malloc((size_t)o->read_size);
        uint64_t total = 0;
        long reads = 0;
        int status = 1;

        if (!buf) {
                ct_scn_raw_printf("consumer: Failed to allocate the read buffer: size=%ld\n",
                                  o->read_size);
                goto end;
        }
        for (;;) {
                ssize_t n;

                if (o->consumer_delay_ms > 0)
                        ct_io_sim((uint64_t)o->consumer_delay_ms * 1000);
                n = ct_pipe_read(rfd, buf, (size_t)o->read_size);
                if (n < 0) {
                        ct_scn_raw_printf("consumer: Failed to read the pipe: err=%s\n",
                                          strerror((int)-n));
                        goto end;
                }
                if (n == 0) {
                        if (ct_scn_verbose)
                                ct_scn_raw_printf("  consumer: EOF after %ld reads, %llu bytes\n",
                                                  reads, (unsigned long long)total);
                        break;
                }
                for (ssize_t i = 0; i < n; i++) {
                        if (buf[i] != pattern(total + (uint64_t)i)) {
                                ct_scn_raw_printf("consumer: corrupt data at offset %llu\n",
                                                  (unsigned long long)(total + (uint64_t)i));
                                goto end;
                        }
                }
                total += (uint64_t)n;
                reads++;
                if (ct_scn_verbose)
                        ct_scn_raw_printf("  consumer: read %zd bytes (total %llu)\n", n,
                                          (unsigned long long)total);
                if (o->mode == MODE_BROKEN) {
                        /* The lab's template bug: one read, then close early. */
                        ct_scn_raw_printf("consumer: read once (%zd bytes), closing the read end "
                                          "early\n",
                                          n);
                        status = 0;
                        goto end;
                }
        }
        if (total != expected) {
                ct_scn_raw_printf("consumer: received %llu bytes, expected %llu\n",
                                  (unsigned long long)total, (unsigned long long)expected);
                goto end;
        }
        status = 0;
end:
        ct_pipe_close(rfd);
        free(buf);
        return status;
}

int main(int argc, char **argv)
{
        struct ct_scn_params params;
        unsigned char *chunk = NULL;
        struct opts o;
        int fds[2] = {-1, -1};
        int64_t t_begin, t_end, max_write = 0, sum_write = 0;
        long written_chunks = 0, blocked = 0, epipe_at = -1;
        uint64_t offset = 0;
        int other_error = 0, child_status = -1, status = 1, ret;
        pid_t pid;

        ct_scn_init(argv[0]);
        ret = parse_opts(argc, argv, &o);
        if (ret)
                return ret;

        /* A write to a pipe with no reader must fail with EPIPE, not kill us. */
        ret = ct_ignore_sigpipe();
        if (ret < 0) {
                ct_scn_error("Failed to ignore SIGPIPE: err=%s", strerror(-ret));
                return 1;
        }
        chunk = malloc((size_t)o.chunk_size);
        if (!chunk) {
                ct_scn_error("Failed to allocate a chunk: size=%ld", o.chunk_size);
                return 1;
        }
        ct_thread_begin("producer");
        ret = ct_pipe_create(fds, "pipe consumer");
        if (ret < 0) {
                ct_scn_error("Failed to create the pipe: err=%s", strerror(-ret));
                goto end;
        }
        ct_scn_params_init(&params);
        ct_scn_params_add(&params, "chunk_size", "%ld", o.chunk_size);
        ct_scn_params_add(&params, "chunks", "%ld", o.chunks);
        ct_scn_params_add(&params, "consumer_delay_ms", "%ld", o.consumer_delay_ms);
        ct_scn_params_add(&params, "read_size", "%ld", o.read_size);
        printf("task1a: mode %s, %ld chunks of %ld bytes, consumer delay %ld ms per read of %ld "
               "bytes\n",
               mode_names[o.mode], o.chunks, o.chunk_size, o.consumer_delay_ms, o.read_size);
        fflush(stdout);

        t_begin = ct_scn_run_begin("task1a", mode_names[o.mode], 1, &params);
        pid = ct_fork("consumer");
        if (pid < 0) {
                ct_scn_error("Failed to fork the consumer: err=%s", strerror((int)-pid));
                ct_run_end(1);
                goto end;
        }
        if (pid == 0) {
                /* Child: close the unused write end at once (reflection Q4). */
                ct_pipe_close(fds[1]);
                ct_exit(consumer(&o, fds[0]));
        }
        /* Parent: close the unused read end, or the pipe would never break. */
        ct_pipe_close(fds[0]);
        fds[0] = -1;

        for (long i = 0; i < o.chunks; i++) {
                size_t done = 0;
                int64_t t0, dt;
                ssize_t n;

                for (long k = 0; k < o.chunk_size; k++)
                        chunk[k] = pattern(offset + (uint64_t)k);
                t0 = ct_scn_now_ns();
                n = ct_write_all(fds[1], chunk, (size_t)o.chunk_size, &done);
                dt = ct_scn_now_ns() - t0;
                if (n == -EPIPE) {
                        epipe_at = i;
                        fprintf(stderr,
                                "%sBroken pipe (EPIPE) on write %ld after %.3f ms: the consumer "
                                "closed its read end early, %llu bytes were written before "
                                "it.%s\n",
                                ct_scn_red(stderr), i + 1, ct_scn_ms(dt),
                                (unsigned long long)(offset + done), ct_scn_reset(stderr));
                        break;
                }
                if (n < 0) {
                        ct_scn_error("Failed to write chunk %ld: err=%s", i + 1, strerror((int)-n));
                        other_error = 1;
                        break;
                }
                offset += (uint64_t)n;
                written_chunks++;
                sum_write += dt;
                if (dt > max_write)
                        max_write = dt;
                if (dt > o.block_us * 1000)
                        blocked++;
                ct_scn_verbose_printf("  write %ld: %ld bytes in %.3f ms%s\n", i + 1, o.chunk_size,
                                      ct_scn_ms(dt),
                                      dt > o.block_us * 1000 ? " (blocked: pipe full)" : "");
        }
        /* Closing the write end is what lets a correct reader see EOF. */
        ct_pipe_close(fds[1]);
        fds[1] = -1;

        ret = ct_waitpid(pid, &child_status, 0);
        if (ret < 0) {
                ct_scn_error("Failed to wait for the consumer: pid=%d err=%s", (int)pid,
                             strerror(-ret));
                other_error = 1;
        }
        t_end = ct_scn_now_ns();

        {
                int child_ok =
                    ret >= 0 && WIFEXITED(child_status) && WEXITSTATUS(child_status) == 0;
                int ok;

                printf("task1a: %ld of %ld writes completed, %llu bytes, %ld blocked (> %ld us), "
                       "write mean %.3f ms max %.3f ms\n",
                       written_chunks, o.chunks, (unsigned long long)offset, blocked, o.block_us,
                       written_chunks ? ct_scn_ms(sum_write) / (double)written_chunks : 0.0,
                       ct_scn_ms(max_write));
                ct_scn_print_elapsed("task1a", t_end - t_begin);
                ok = ct_scn_check(child_ok, "consumer (pid %d) reaped, exit status %d", (int)pid,
                                  WIFEXITED(child_status) ? WEXITSTATUS(child_status) : -1);
                ok &= ct_scn_check(!other_error, "no unexpected error");
                if (o.mode == MODE_FIXED) {
                        ok &= ct_scn_check(written_chunks == o.chunks && epipe_at < 0,
                                           "every chunk written (%ld of %ld), no EPIPE",
                                           written_chunks, o.chunks);
                } else {
                        ok &= ct_scn_check(
                            epipe_at >= 0,
                            "EPIPE seen in broken mode (the lesson: the child closed early)%s",
                            epipe_at >= 0 ? ""
                                          : "; all data fit in the pipe buffer: use more "
                                            "--chunks");
                        if (epipe_at >= 0)
                                printf("task1a: the fix: the child must read until read() "
                                       "returns 0 (EOF): try --mode fixed\n");
                }
                status = ok ? 0 : 1;
        }
        ct_run_end(status);
end:
        if (fds[0] >= 0)
                ct_pipe_close(fds[0]);
        if (fds[1] >= 0)
                ct_pipe_close(fds[1]);
        ct_thread_end();
        free(chunk);
        return status;
}
