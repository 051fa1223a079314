#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Q&A question 4 (lab 001): one thread adds numbers to a list, another removes
them, both under one threading.Lock (list_lock). The adder appends
0 .. COUNT-1, sleeping ADD_SLEEP before each; the remover makes COUNT attempts,
sleeping REMOVE_SLEEP before each, and pops the oldest number if the list is
not empty. -v prints the list after every change, as the text's program does.

Exit status: 0 numbers left in the order they entered, none twice, none lost;
1 otherwise; 2 bad options."""
import sys
import threading

import conctrace_marks as ct

shared_list = []
list_lock = threading.Lock()
removed = []
stats = {"empty": 0, "added": 0}


def add_numbers(o):
    ct.thread_role()
    for i in range(o.count):
        ct.io_sim(o.add_sleep)  # simulate work by sleeping
        with list_lock:
            shared_list.append(i)
            stats["added"] += 1
            if o.verbose:
                print(f"Added {i} to list. Current list: {shared_list}", flush=True)


def remove_numbers(o):
    ct.thread_role()
    for _ in range(o.count):
        ct.io_sim(o.remove_sleep)
        with list_lock:
            if shared_list:
                value = shared_list.pop(0)
                removed.append(value)
                if o.verbose:
                    print(f"Removed {value} from list. Current list: {shared_list}", flush=True)
            else:
                stats["empty"] += 1


def main():
    p = ct.parser("sharedlist.py", __doc__)
    p.add_argument("--count", type=ct.arg_int(1, 10000000), default=10, metavar="N", help="numbers added, and removal attempts (default 10)")
    p.add_argument("--add-sleep", type=ct.arg_float(0.0, 60.0), default=0.1, metavar="SECONDS", help="the adder's sleep before each append (default 0.1)")
    p.add_argument("--remove-sleep", type=ct.arg_float(0.0, 60.0), default=0.15, metavar="SECONDS", help="the remover's sleep before each attempt (default 0.15)")
    p.add_argument("-v", "--verbose", action="store_true", help="print the list after every change")
    o = p.parse_args()

    params = ct.params_str(count=o.count, add_sleep="%g" % o.add_sleep, remove_sleep="%g" % o.remove_sleep)
    print("sharedlist: adder adds %d numbers every %gs, remover tries %d times every %gs" % (o.count, o.add_sleep, o.count, o.remove_sleep), flush=True)
    threading.current_thread().name = "main"
    ct.thread_role("main")
    with ct.Run("py-sharedlist", "lock", 2, params) as run:
        ct.name_lock(list_lock, "list_lock")
        add_thread = threading.Thread(target=add_numbers, args=(o,), name="adder")
        remove_thread = threading.Thread(target=remove_numbers, args=(o,), name="remover")
        add_thread.start()
        remove_thread.start()
        add_thread.join()
        remove_thread.join()
        in_order = removed == list(range(len(removed))) and shared_list == list(range(len(removed), len(removed) + len(shared_list)))
        print("sharedlist: added %d, removed %d, %d removal attempts found the list empty, %d left in the list"
              % (stats["added"], len(removed), stats["empty"], len(shared_list)))
        ok = ct.check(stats["added"] == o.count, "no error, %d of %d numbers added" % (stats["added"], o.count))
        ok &= ct.check(in_order and len(removed) + len(shared_list) == stats["added"],
                       "numbers left in FIFO order, none twice, none lost (%d removed + %d left = %d added)" % (len(removed), len(shared_list), stats["added"]))
        run.status = 0 if ok else 1
    print("Final list:", shared_list)
    print("elapsed %.1f ms" % (run.elapsed * 1e3))
    return run.status


if __name__ == "__main__":
    sys.exit(main())
