# Two CPU-bound threads: under CPython's GIL they take turns.
import threading


def spin(n):
    x = 0
    for i in range(n):
        x += i
    return x


threads = [threading.Thread(target=spin, args=(4000000,)) for _ in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
