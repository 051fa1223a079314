#!/bin/sh
# Records task2b with --notify-all and with the default notify, same load:
# consumers faster than the producer, so they wait on buffer.not_empty. With
# notify_all every put wakes all the waiting consumers and all but one wait
# again: re-waits > 0; with notify one consumer wakes per put: fewer re-waits.
# Both traces must also satisfy the general invariants.
. "$CT_TEST_LIB"
. "$CT_INV_LIB"
ct_test_init task2b_rewaits
args="--consumers 4 --buffer-size 5 --produce-ms 2 --consume-ms 0.2"
common="discarded runs=1 threads=5 locks=1"

# shellcheck disable=SC2086 # args and common hold separate words
inv_record all -- task2b --items 30 $args --notify-all
# shellcheck disable=SC2086
inv_check all task2b "items=30 buffer_size=5 produce_ms=2 consume_ms=0.2" $common rewaits-min=1
all=$("$CT_INV_CHECK" all/report.json all/dump.txt task2b \
	"items=30 buffer_size=5 produce_ms=2 consume_ms=0.2" "main=$(cat all/pid)" print=conds.rewaits) ||
	fail "cannot read the re-waits"

# shellcheck disable=SC2086
inv_record one -- task2b --items 31 $args
# shellcheck disable=SC2086
inv_check one task2b "items=31 buffer_size=5 produce_ms=2 consume_ms=0.2" $common \
	rewaits-max=$((all - 1))
echo "re-waits: notify_all $all, notify $("$CT_INV_CHECK" one/report.json one/dump.txt task2b \
	"items=31 buffer_size=5 produce_ms=2 consume_ms=0.2" "main=$(cat one/pid)" print=conds.rewaits)"
echo PASS
