#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Task 1A (lab 004): a pipe between a parent (producer) and a forked child
(consumer). The parent writes CHUNKS chunks and times each write; once the
pipe buffer is full its writes block. In broken mode (the lab's template) the
child reads once and closes its read end, so the parent's next write fails with
BrokenPipeError (EPIPE), reported in red; in fixed mode (the solution) the child
reads until os.read() returns b'' (EOF) and checks every byte.

Exit status: 0 the lesson was shown (fixed: every byte read; broken: EPIPE seen),
1 a self-check failed, 2 bad options."""
import os
import sys
import time

import conctrace_marks as ct

RED, RESET = ("\033[31m", "\033[0m") if sys.stdout.isatty() else ("", "")


def pattern(offset, size):
    """The bytes at stream offsets offset .. offset+size: byte i is i % 251."""
    start = offset % 251
    reps = (start + size) // 251 + 1
    return (bytes(range(251)) * reps)[start : start + size]


def consumer(rfd, o):
    ct.thread_role("consumer")
    got = 0
    reads = 0
    ok = True
    while True:
        time.sleep(o.consumer_delay_ms / 1000.0)
        data = os.read(rfd, o.read_size)
        reads += 1
        if not data:
            print("  consumer: EOF after %d reads, %d bytes" % (reads, got), flush=True)
            break
        if data != pattern(got, len(data)):
            print("consumer: corrupt data at offset %d" % got, flush=True)
            ok = False
        got += len(data)
        if o.mode == "broken":
            print("consumer: read once (%d bytes), closing the read end early" % len(data), flush=True)
            break
        if o.verbose:
            print("  consumer: read %d bytes (total %d)" % (len(data), got), flush=True)
    os.close(rfd)
    if o.mode == "fixed" and got != o.chunks * o.chunk_size:
        print("consumer: received %d bytes, expected %d" % (got, o.chunks * o.chunk_size), flush=True)
        ok = False
    return 0 if ok else 1


def main():
    p = ct.parser("task1a.py", __doc__)
    p.add_argument("--mode", type=ct.arg_choice("broken", "fixed"), metavar="broken|fixed", default="broken", help="the child's behaviour (default broken)")
    p.add_argument("--chunk-size", type=ct.arg_int(1, 1 << 24), default=4096, metavar="BYTES", help="bytes per write (default 4096)")
    p.add_argument("--chunks", type=ct.arg_int(1, 1000000), default=64, metavar="N", help="number of writes (default 64)")
    p.add_argument("--consumer-delay-ms", type=ct.arg_int(0, 10000), default=5, metavar="MS", help="the child's sleep before each read (default 5)")
    p.add_argument("--read-size", type=ct.arg_int(1, 1 << 24), default=0, metavar="BYTES", help="bytes the child asks per read (default: the chunk size)")
    p.add_argument("--block-us", type=ct.arg_int(0, 10 ** 9), default=1000, metavar="US", help="a write slower than this counts as blocked (default 1000)")
    p.add_argument("-v", "--verbose", action="store_true", help="print every write and read")
    o = p.parse_args()
    if not o.read_size:
        o.read_size = o.chunk_size

    params = ct.params_str(chunk_size=o.chunk_size, chunks=o.chunks, consumer_delay_ms=o.consumer_delay_ms, read_size=o.read_size)
    print("task1a: mode %s, %d chunks of %d bytes, consumer delay %d ms per read of %d bytes"
          % (o.mode, o.chunks, o.chunk_size, o.consumer_delay_ms, o.read_size), flush=True)
    ct.thread_role("producer")
    status = 0
    with ct.Run("py-task1a", o.mode, 1, params) as run:
        rfd, wfd = os.pipe()
        ct.name_pipe(rfd, "pipe consumer")
        pid = os.fork()
        if pid == 0:
            os.close(wfd)  # the child only reads
            rc = 1
            try:
                rc = consumer(rfd, o)
            finally:
                sys.stdout.flush()
                os._exit(rc)
        os.close(rfd)  # the parent only writes
        written = 0
        completed = 0
        blocked = 0
        epipe_at = 0
        for i in range(o.chunks):
            chunk = pattern(written, o.chunk_size)
            t0 = time.perf_counter()
            try:
                view = memoryview(chunk)
                while view:
                    n = os.write(wfd, view)
                    view = view[n:]
                    written += n
            except BrokenPipeError:
                epipe_at = i + 1
                print("%sBroken pipe (EPIPE) on write %d: the reader closed its end after %d bytes were written%s"
                      % (RED, epipe_at, written, RESET), flush=True)
                break
            dt = time.perf_counter() - t0
            completed += 1
            if dt * 1e6 > o.block_us:
                blocked += 1
            if o.verbose:
                print("  write %d: %d bytes in %.3f ms%s" % (i + 1, o.chunk_size, dt * 1e3, " (blocked)" if dt * 1e6 > o.block_us else ""), flush=True)
        os.close(wfd)
        _, wstatus = os.waitpid(pid, 0)
        child_rc = os.waitstatus_to_exitcode(wstatus)
        print("task1a: %d of %d writes completed, %d bytes, %d blocked (> %d us)"
              % (completed, o.chunks, written, blocked, o.block_us), flush=True)
        if o.mode == "fixed":
            ok = ct.check(completed == o.chunks and child_rc == 0, "every chunk written and read back intact by the child (exit %d)" % child_rc)
        else:
            ok = ct.check(epipe_at > 0, "EPIPE seen in broken mode%s" % ("" if epipe_at else " (all data fit in the pipe buffer: use more --chunks)"))
            if epipe_at:
                print("task1a: the fix: the child must read until read() returns b'' (EOF) (--mode fixed)")
        if not ok:
            status = 1
        run.status = status
    print("elapsed %.1f ms" % (run.elapsed * 1e3))
    return status


if __name__ == "__main__":
    sys.exit(main())
