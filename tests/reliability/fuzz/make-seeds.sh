#!/bin/bash
# make-seeds.sh CT_TEST_EMIT: (re)makes the seed corpora in corpus/.
#  corpus/events: random programs for fuzz_events (fixed random seed).
#  corpus/ctf: traces recorded with lttng (4 KiB sub-buffers so a stream file
#   is one small packet) from ct-test-emit, packed as fuzz_ctf reads them.
# Needs a running lttng-sessiond; uses a session of its own.
set -eu
emit=$1
here=$(cd "$(dirname "$0")" && pwd)
python3 - "$here/corpus/events" <<'PY'
import os, random, sys
d = sys.argv[1]
os.makedirs(d, exist_ok=True)
r = random.Random(12)
for i in range(8):
    n = [64, 200, 400, 800, 1500, 3000, 300, 120][i]
    open(os.path.join(d, "seed-%d" % i), "wb").write(bytes(r.randrange(256) for _ in range(n)))
PY
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for spec in "1 5" "2 20"; do
	set -- $spec
	s="ct-fuzz-seed-$$-$1"
	lttng create "$s" --output="$tmp/$s" >/dev/null
	lttng enable-channel -s "$s" -u --subbuf-size=4096 --num-subbuf=4 c >/dev/null
	lttng add-context -s "$s" -u -c c -t vpid -t vtid -t procname >/dev/null
	lttng enable-event -s "$s" -u -c c 'ct_*' >/dev/null
	lttng start "$s" >/dev/null
	"$emit" --threads "$1" --count "$2" --tag fuzzseed >/dev/null
	lttng stop "$s" >/dev/null
	lttng destroy "$s" >/dev/null
	meta=$(find "$tmp/$s" -name metadata | head -n 1)
	d=$(dirname "$meta")
	python3 - "$d" "$here/corpus/ctf/trace-$1" <<'PY'
import os, struct, sys
d, out = sys.argv[1], sys.argv[2]
streams = sorted(f for f in os.listdir(d) if f != "metadata" and os.path.isfile(os.path.join(d, f)))
data = [open(os.path.join(d, f), "rb").read() for f in streams]
data = [x for x in data if x] or [b""]
meta = open(os.path.join(d, "metadata"), "rb").read()
s1 = data[0]
s2 = b"".join(data[1:2])
open(out, "wb").write(struct.pack("<II", len(meta), len(s1)) + meta + s1 + s2)
PY
done
ls -l "$here/corpus/ctf" "$here/corpus/events"
