#!/usr/bin/env python3
"""pftrace_check.py PROTO TIMELINE.pftrace [TIMELINE.json] [--min-resets N]

Decode a .pftrace with `protoc --decode=ct.Trace PROTO` (our subset of
Perfetto's trace format) and check it:
  - packet sequences: sequence 1 holds only TrackDescriptors; the first
    packet of every other says SEQ_INCREMENTAL_STATE_CLEARED, and every
    TrackEvent packet there SEQ_NEEDS_INCREMENTAL_STATE and relies on its
    TracePacketDefaults (track, clock); every iid a packet uses was interned
    on its sequence since the last clear; timestamps are decoded as Perfetto
    does (deltas on the incremental clock of the sequence's ClockSnapshot,
    BOOTTIME when timestamp_clock_id says so);
  - counters: TYPE_COUNTER events and extra_counter_values, on counter
    tracks, no extra value after a zero one (trace_processor v58 drops them);
  - tracks: every event is on a described track; a counter event on a
    counter track;
  - flows: every 's' has its 'f', every terminating flow id was started;
  - with TIMELINE.json (the JSON export of the same events): the same
    numbers of slices (X + i), flows, counters, counter tracks, processes and
    named threads/own tracks, and the same (name, timestamp in ns) of every
    slice and instant.
Prints a summary line; exits 1 on the first failed check."""
import collections
import json
import os
import subprocess
import sys


def fail(msg):
    print("pftrace_check: FAILED: " + msg)
    sys.exit(1)


def unescape(s):
    """A protoc text-format string body -> str (C escapes, octal bytes)."""
    out = bytearray()
    i = 0
    simple = {'n': 10, 't': 9, 'r': 13, '"': 34, "'": 39, '\\': 92, 'a': 7, 'b': 8,
              'f': 12, 'v': 11, '?': 63}
    raw = s.encode('utf-8')
    while i < len(raw):
        c = raw[i]
        if c != 92:
            out.append(c)
            i += 1
            continue
        n = chr(raw[i + 1])
        if n in simple:
            out.append(simple[n])
            i += 2
        elif n == 'x':
            j = i + 2
            while j < len(raw) and j < i + 4 and chr(raw[j]) in '0123456789abcdefABCDEF':
                j += 1
            out.append(int(raw[i + 2:j], 16))
            i = j
        else:
            j = i + 1
            while j < len(raw) and j < i + 4 and chr(raw[j]) in '01234567':
                j += 1
            out.append(int(raw[i + 1:j], 8) & 0xff)
            i = j
    return out.decode('utf-8')  # raises on invalid UTF-8: a failure


def parse(lines):
    """protoc text output -> nested dicts of lists."""
    stack = [collections.defaultdict(list)]
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if line == '}':
            stack.pop()
            continue
        if line.endswith('{'):
            d = collections.defaultdict(list)
            stack[-1][line[:-1].strip()].append(d)
            stack.append(d)
            continue
        k, v = line.split(':', 1)
        v = v.strip()
        if v.startswith('"'):
            v = unescape(v[1:-1])
        stack[-1][k].append(v)
    return stack[0]


def one(d, k, default=None):
    v = d.get(k)
    return v[0] if v else default


def main():
    args = sys.argv[1:]
    min_resets = 0
    if '--min-resets' in args:
        i = args.index('--min-resets')
        min_resets = int(args[i + 1])
        del args[i:i + 2]
    proto, pftrace = args[0], args[1]
    jpath = args[2] if len(args) > 2 else None
    with open(pftrace, 'rb') as f:
        r = subprocess.run(['protoc', '--decode=ct.Trace', '-I', os.path.dirname(proto) or '.',
                            os.path.basename(proto)], stdin=f, capture_output=True)
    if r.returncode != 0:
        fail('protoc --decode: ' + r.stderr.decode(errors='replace'))
    text = r.stdout.decode('utf-8')  # protoc escapes non-UTF-8
    for line in text.splitlines():
        if line.strip()[:1].isdigit():
            fail('a field the .proto does not know: ' + line.strip())
    root = parse(text.splitlines())
    packets = root.get('packet', [])
    if not packets:
        fail('no packets')
    seqs = {}  # sequence id -> its incremental state
    resets = 0
    tracks = {}  # uuid -> kind
    procs, threads, named, counters_t = set(), set(), set(), set()
    slices, instants, counters, flows_s, flows_f = [], [], 0, {}, {}
    v2_open, v2_flows = set(), 0
    for n, p in enumerate(packets):
        flags = int(one(p, 'sequence_flags', 0))
        sid = int(one(p, 'trusted_packet_sequence_id', 0))
        if not sid:
            fail('packet %d: no sequence id' % n)
        for td in p.get('track_descriptor', []):
            u = int(one(td, 'uuid'))
            if td.get('process'):
                pr = td['process'][0]
                tracks[u] = 'process'
                procs.add(int(one(pr, 'pid')))
            elif td.get('thread'):
                th = td['thread'][0]
                tracks[u] = 'thread'
                threads.add((int(one(th, 'pid')), int(one(th, 'tid'))))
            elif 'counter' in td:
                tracks[u] = 'counter'
                counters_t.add(u)
            else:
                tracks[u] = 'named'
                if td.get('parent_uuid'):
                    named.add(u)
        if sid == 1:  # the TrackDescriptors' sequence: nothing else
            if set(p) - {'trusted_packet_sequence_id', 'track_descriptor'}:
                fail('packet %d: sequence 1 holds %s' % (n, sorted(p)))
            continue
        st = seqs.get(sid)
        if st is None:
            if not flags & 1:
                fail('packet %d: the first on sequence %d lacks SEQ_INCREMENTAL_STATE_CLEARED'
                     % (n, sid))
            st = seqs[sid] = {'clock': {}, 'last': {}}
        elif flags & 1:
            resets += 1
        if flags & 1:
            st.update(names={}, anns={}, strs={}, defaults=None)
        for d in p.get('trace_packet_defaults', []):
            ted = d.get('track_event_defaults', [{}])[0]
            st['defaults'] = (int(one(d, 'timestamp_clock_id', 0)),
                              int(one(ted, 'track_uuid', 0)))
        for idata in p.get('interned_data', []):
            for key, table, nk in (('event_names', 'names', 'name'),
                                   ('debug_annotation_names', 'anns', 'name'),
                                   ('debug_annotation_string_values', 'strs', 'str')):
                for e in idata.get(key, []):
                    iid = int(one(e, 'iid'))
                    if iid in st[table]:
                        fail('packet %d: %s iid %d interned twice' % (n, key, iid))
                    st[table][iid] = one(e, nk, '')
        for cs in p.get('clock_snapshot', []):
            boot = None
            for c in cs.get('clocks', []):
                if int(one(c, 'clock_id')) == 6:
                    boot = int(one(c, 'timestamp', 0))
            for c in cs.get('clocks', []):
                cid = int(one(c, 'clock_id'))
                if 64 <= cid < 128:
                    if boot is None:
                        fail('packet %d: clock %d without BOOTTIME in its snapshot' % (n, cid))
                    v = int(one(c, 'timestamp', 0))
                    st['clock'][cid] = (v, boot, one(c, 'is_incremental') == 'true')
                    st['last'][cid] = v
            if p.get('track_event'):
                fail('packet %d: a ClockSnapshot and a TrackEvent' % n)
        for te in p.get('track_event', []):
            if not flags & 2:
                fail('packet %d on sequence %d lacks SEQ_NEEDS_INCREMENTAL_STATE' % (n, sid))
            if st['defaults'] is None:
                fail('packet %d: sequence %d has no TracePacketDefaults' % (n, sid))
            clk = int(one(p, 'timestamp_clock_id', 0)) or st['defaults'][0]
            ts = int(one(p, 'timestamp', -1))
            if ts < 0:
                fail('packet %d: a TrackEvent without a timestamp' % n)
            if 64 <= clk < 128:
                if clk not in st['clock']:
                    fail('packet %d: clock %d has no snapshot on its sequence' % (n, clk))
                base, boot, incr = st['clock'][clk]
                if incr:
                    st['last'][clk] += ts
                    ts = st['last'][clk]
                ts = boot + ts - base
            elif clk != 6:
                fail('packet %d: timestamp clock %d' % (n, clk))
            u = int(one(te, 'track_uuid', 0)) or st['defaults'][1]
            if u not in tracks:
                fail('packet %d: event on undescribed track %d' % (n, u))
            if te.get('category_iids'):
                fail('packet %d: a category (the JSON has none)' % n)
            name = one(te, 'name')
            if te.get('name_iid'):
                iid = int(one(te, 'name_iid'))
                if iid not in st['names']:
                    fail('packet %d: name iid %d not interned' % (n, iid))
                name = st['names'][iid]
            for da in te.get('debug_annotations', []):
                if int(one(da, 'name_iid')) not in st['anns']:
                    fail('packet %d: annotation name iid not interned' % n)
                if da.get('string_value_iid') and \
                        int(one(da, 'string_value_iid')) not in st['strs']:
                    fail('packet %d: annotation string value iid not interned' % n)
            typ = one(te, 'type', None)
            for fid in te.get('flow_ids', []):
                v2_open.add(int(fid))
            for fid in te.get('terminating_flow_ids', []):
                if int(fid) not in v2_open:
                    fail('packet %d: terminating flow id %s never started' % (n, fid))
                v2_open.discard(int(fid))
                v2_flows += 1
            xu = [int(x) for x in te.get('extra_counter_track_uuids', [])]
            xv = [int(x) for x in te.get('extra_counter_values', [])]
            if len(xu) != len(xv) or len(xu) > 8 or len(set(xu)) != len(xu):
                fail('packet %d: extra counters %s = %s' % (n, xu, xv))
            for i, x in enumerate(xu):
                if tracks.get(x) != 'counter':
                    fail('packet %d: extra counter value on a %s track' % (n, tracks.get(x)))
                if xv[i] == 0 and any(xv[i:]):
                    # trace_processor v58 drops the extra values after a zero
                    fail('packet %d: an extra counter value after a zero: %s' % (n, xv))
            counters += len(xu)
            if te.get('legacy_event'):
                le = te['legacy_event'][0]
                ph = int(one(le, 'phase'))
                fid = int(one(le, 'unscoped_id'))
                if tracks[u] != 'thread':
                    fail('packet %d: a v1 flow on a %s track' % (n, tracks[u]))
                if ph == ord('s'):
                    flows_s[fid] = ts
                elif ph == ord('f'):
                    if one(le, 'bind_to_enclosing') != 'true':
                        fail('packet %d: flow end not bound to its enclosing slice' % n)
                    flows_f[fid] = ts
                continue
            if typ == 'TYPE_COUNTER':
                if tracks[u] != 'counter':
                    fail('packet %d: counter value on a %s track' % (n, tracks[u]))
                counters += 1
            elif typ in ('TYPE_SLICE_BEGIN', 'TYPE_INSTANT'):
                if name is None:
                    fail('packet %d: a slice without a name' % n)
                slices.append((name, ts))
            elif typ != 'TYPE_SLICE_END':
                fail('packet %d: event type %s' % (n, typ))
    if set(flows_s) != set(flows_f):
        fail('flow ids without both ends: %s' % sorted(set(flows_s) ^ set(flows_f))[:5])
    if resets < min_resets:
        fail('%d interning resets, wanted at least %d' % (resets, min_resets))
    nflows = len(flows_s) + v2_flows
    print('pftrace: %d packets, %d slices+instants, %d flows, %d counters, %d counter tracks, '
          '%d processes, %d threads, %d own tracks, %d interning resets' %
          (len(packets), len(slices), nflows, counters, len(counters_t), len(procs),
           len(threads), len(named), resets))
    if not jpath:
        return
    with open(jpath, encoding='utf-8') as f:
        evs = json.load(f)['traceEvents']
    jsl = [(e['name'], round(float(e['ts']) * 1000)) for e in evs if e['ph'] in ('X', 'i')]
    jflows = sum(1 for e in evs if e['ph'] == 's')
    jcount = sum(1 for e in evs if e['ph'] == 'C')
    jct = {(e['pid'], e['name'], k) for e in evs if e['ph'] == 'C' for k in e['args']}
    jprocs = {e['pid'] for e in evs if e['ph'] == 'M' and e['name'] == 'process_name'}
    jthr = {(e['pid'], e['tid']) for e in evs if e['ph'] == 'M' and e['name'] == 'thread_name'}
    checks = [('slices+instants', len(jsl), len(slices)), ('flows', jflows, nflows),
              ('counters', jcount, counters), ('counter tracks', len(jct), len(counters_t)),
              ('processes', len(jprocs), len(procs)),
              ('threads + own tracks', len(jthr), len(threads) + len(named))]
    for what, j, pb in checks:
        if j != pb:
            fail('%s: json %d, pftrace %d' % (what, j, pb))
    if sorted(jsl) != sorted(slices):
        diff = collections.Counter(jsl)
        diff.subtract(collections.Counter(slices))
        fail('slice names/timestamps differ: %s' % [k for k, v in diff.items() if v][:5])
    print('pftrace matches the json: ' + ', '.join('%s %d' % (w, j) for w, j, _ in checks))


main()
