#!/bin/sh
# Records task2b --busy-wait at the light level (uncontended acquisitions are
# counted in ct_lock:summary, not traced one by one) and checks that every
# acquisition of buffer.lock is counted: each poll is one (unlock, lock), each
# put and each get one, for ITEMS items and one sentinel per consumer; the
# scenario prints its polls.
. "$CT_TEST_LIB"
. "$CT_INV_LIB"
ct_test_init task2b_busy_wait_light
items=20
consumers=2
inv_record . --level light -- task2b --items $items --consumers $consumers --produce-ms 1 \
	--consume-ms 0.2 --busy-wait
polls=$(sed -n 's/.*consumers polled an empty buffer \([0-9]*\) times, producer a full one \([0-9]*\) times.*/\1 \2/p' out.txt)
[ -n "$polls" ] || fail "task2b did not print its polls"
# shellcheck disable=SC2086 # two numbers
set -- $polls
acq=$(($1 + $2 + 2 * (items + consumers)))
inv_check . task2b "items=$items buffer_size=5 produce_ms=1 consume_ms=0.2" discarded runs=1 \
	threads=4 locks=1 summarized "lock-acq=buffer.lock:$acq"
echo PASS
