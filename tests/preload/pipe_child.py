# Task 1A-like: the parent writes NBYTES through a pipe in chunks, a forked
# child reads it all and exits with 0 if it got every byte.
import os
import sys

NBYTES = 200000
CHUNK = 4096

r, w = os.pipe()
pid = os.fork()
if pid == 0:
    os.close(w)
    got = 0
    while True:
        b = os.read(r, 65536)
        if not b:
            break
        got += len(b)
    os._exit(0 if got == NBYTES else 1)
os.close(r)
sent = 0
while sent < NBYTES:
    sent += os.write(w, b"x" * min(CHUNK, NBYTES - sent))
os.close(w)
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
