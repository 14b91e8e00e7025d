// Sorting the packet list: the order itself on made-up frames (addresses by bytes, numbers as
// numbers, ties in frame order, a list that grows or loses its oldest frames), then through the
// engine's own operations on a lab's capture, with and without a display filter.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CaptureRowView, CaptureState, RunState } from '../ipc/views';
import { addressKey, ListOrder, type FrameList, type SortKeys } from './capture-order';
import { Engine } from './engine';
import { engineOps, type EngineOpArgs, type EngineOpName } from './engine-ops';

interface Made {
  time: number;
  length: number;
  source: string;
  info: string;
}

function keysOf(frames: Map<number, Made>): SortKeys {
  const get = (n: number) => frames.get(n)!;
  return {
    time: (n) => get(n).time,
    length: (n) => get(n).length,
    text: (n, column) =>
      column === 'source' ? get(n).source : column === 'info' ? get(n).info : '',
    bytes: (n) => {
      // A named source stands for ff:ff:ff:ff:ff:ff; others have no bytes that matter here.
      const b = new Uint8Array(14);
      if (get(n).source === 'Broadcast') b.fill(0xff, 6, 12);
      return b;
    },
  };
}

const range = (first: number, last: number): FrameList => ({
  length: Math.max(0, last - first + 1),
  at: (i) => first + i,
});

describe('ListOrder', () => {
  const frames = new Map<number, Made>([
    [1, { time: 30, length: 60, source: '10.0.0.10', info: 'b' }],
    [2, { time: 10, length: 1514, source: '10.0.0.2', info: 'a' }],
    [3, { time: 20, length: 60, source: 'Broadcast', info: 'c' }],
    [4, { time: 10, length: 342, source: '02:00:00:00:01:01', info: 'a' }],
    [5, { time: 5, length: 98, source: '', info: 'B' }],
  ]);

  it('sorts numbers as numbers, ties in frame order; descending reverses it all', () => {
    const o = new ListOrder(keysOf(frames));
    o.set('length', false);
    expect([...o.sorted(range(1, 5), 1, 5)!]).toEqual([1, 3, 5, 4, 2]);
    o.set('length', true);
    expect([...o.sorted(range(1, 5), 1, 5)!]).toEqual([2, 4, 5, 3, 1]);
    o.set('time', false);
    expect([...o.sorted(range(1, 5), 1, 5)!]).toEqual([5, 2, 4, 3, 1]);
  });

  it('sorts addresses by type then bytes: none, Ethernet (names by their bytes), IPv4', () => {
    const o = new ListOrder(keysOf(frames));
    o.set('source', false);
    expect([...o.sorted(range(1, 5), 1, 5)!]).toEqual([5, 4, 3, 2, 1]);
    expect(
      addressKey('10.0.0.2', new Uint8Array(0), 6) < addressKey('10.0.0.10', new Uint8Array(0), 6),
    ).toBe(true);
    expect(addressKey('fe80::1', new Uint8Array(0), 6)).toBe('3fe800000000000000000000000000001');
    expect(
      addressKey('fe80::1', new Uint8Array(0), 6) > addressKey('239.1.1.1', new Uint8Array(0), 6),
    ).toBe(true);
  });

  it('sorts text by its code units, as Wireshark compares column strings', () => {
    const o = new ListOrder(keysOf(frames));
    o.set('info', false);
    expect([...o.sorted(range(1, 5), 1, 5)!]).toEqual([5, 2, 4, 1, 3]);
  });

  it('frame order needs no sort; a text column waits for its keys, read in slices', () => {
    const many = new Map<number, Made>();
    for (let n = 1; n <= 50_000; n++)
      many.set(n, { time: n, length: 60, source: `10.0.${(n * 7919) % 256}.${n % 256}`, info: '' });
    const o = new ListOrder(keysOf(many));
    expect(o.sorted(range(1, 50_000), 1, 50_000)).toBeNull();
    o.set('source', false);
    expect(o.pendingKeys(1, 50_000)).toBe(50_000);
    while (!o.readKeys(1, 50_000, 0)) expect(o.pendingKeys(1, 50_000)).toBeGreaterThan(0);
    expect(o.pendingKeys(1, 50_000)).toBe(0);
    const sorted = o.sorted(range(1, 50_000), 1, 50_000)!;
    expect(sorted.length).toBe(50_000);
    const key = (n: number) => addressKey(many.get(n)!.source, new Uint8Array(0), 6);
    let misplaced = 0;
    for (let i = 1; i < sorted.length; i++) {
      const a = key(sorted[i - 1]);
      const b = key(sorted[i]);
      if (!(a < b || (a === b && sorted[i - 1] < sorted[i]))) misplaced++;
    }
    expect(misplaced).toBe(0);
    expect(key(sorted[0])).toBe(addressKey('10.0.0.0', new Uint8Array(0), 6));
  });

  it('a list that lost its oldest frames shows the rest; one that grew is sorted again', () => {
    const o = new ListOrder(keysOf(frames));
    o.set('time', false);
    const g = o.generation;
    expect([...o.sorted(range(1, 4), 1, 4)!]).toEqual([2, 4, 3, 1]);
    expect(o.generation).toBe(g + 1);
    // Frames 1 and 2 let go of, 5 added: until the next sort, the old order without 1 and 2.
    expect([...o.sorted(range(3, 5), 3, 5)!]).toEqual([4, 3]);
    o.listChanged();
    expect([...o.sorted(range(3, 5), 3, 5)!]).toEqual([5, 4, 3]);
  });
});

const labsDir = join(import.meta.dirname, '..', '..', 'resources', 'labs');
const labText = readFileSync(join(labsDir, 'hash-collisions.yaml'), 'utf8');

describe('capture.sort', { timeout: 30_000 }, () => {
  const engine = new Engine(() => {});
  const call = <K extends EngineOpName>(op: K, args: EngineOpArgs<K>) =>
    engineOps[op].result.parse(engine.handle(op, engineOps[op].args.parse(args) as never));
  /** The whole list as shown, a page at a time. */
  const rows = (): CaptureRowView[] => {
    const out: CaptureRowView[] = [];
    for (;;) {
      const page = call('capture.rows', { from: out.length, count: 1000 }) as {
        total: number;
        rows: CaptureRowView[];
      };
      out.push(...page.rows);
      if (page.rows.length === 0 || out.length >= page.total) return out;
    }
  };
  /** Sorts, then lets the background reading of keys finish (a request reads 10 ms' worth). */
  const sortBy = (column: string, descending = false): CaptureState => {
    let s = call('capture.sort', { column, descending } as never) as CaptureState;
    while (s.sort.pending > 0) {
      rows();
      s = (call('stats.get', {}) as { capture: CaptureState }).capture;
    }
    return s;
  };

  beforeAll(async () => {
    call('lab.load', { text: labText, fileName: 'hash-collisions.yaml' });
    call('iface.join', { host: 'h2', dev: 'eth0', group: '239.1.1.2' });
    call('generators.set', { name: 'probe', from: 'h0', to: '239.1.1.2:5000', rate: '1000pps' });
    call('run.start', { speed: 'max' });
    const start = Date.now();
    while ((call('run.state', {}) as RunState).simTimeNs < 20e6 && Date.now() - start < 20_000)
      await new Promise((r) => setTimeout(r, 20));
    call('run.pause', {});
  }, 30_000);

  it('sorts by Length as numbers, ties in frame order; again: descending; No.: frame order', () => {
    const plain = rows();
    expect(plain.length).toBeGreaterThan(20);
    const state = sortBy('length');
    expect(state.sort).toMatchObject({ column: 'length', descending: false, pending: 0 });
    const up = rows();
    expect(up.map((r) => r.no).sort((a, b) => a - b)).toEqual(plain.map((r) => r.no));
    for (let i = 1; i < up.length; i++) {
      const [a, b] = [up[i - 1], up[i]];
      expect(a.wireLength < b.wireLength || (a.wireLength === b.wireLength && a.no < b.no)).toBe(
        true,
      );
    }
    expect(new Set(up.map((r) => r.wireLength)).size).toBeGreaterThan(1);
    sortBy('length', true);
    expect(rows().map((r) => r.no)).toEqual(up.map((r) => r.no).reverse());
    sortBy('no');
    expect(rows().map((r) => r.no)).toEqual(plain.map((r) => r.no));
    sortBy('no', true);
    expect(rows().map((r) => r.no)).toEqual(plain.map((r) => r.no).reverse());
  });

  it('sorts Source by the address, composed with the display filter; finds a frame in it', () => {
    // h0's datagrams and the receivers' IGMP reports: more than one source to sort.
    call('capture.filter', { text: 'udp || igmp' });
    // Still sorted by No. descending (the test before): the filter's matches, newest first.
    const filtered = rows().map((r) => r.no);
    expect(filtered).toEqual([...filtered].sort((a, b) => b - a));
    sortBy('source');
    const sorted = rows();
    expect(sorted.map((r) => r.no).sort((a, b) => b - a)).toEqual(filtered);
    const key = (r: CaptureRowView) => addressKey(r.source, new Uint8Array(14), 6);
    for (let i = 1; i < sorted.length; i++) expect(key(sorted[i - 1]) <= key(sorted[i])).toBe(true);
    expect(new Set(sorted.map((r) => r.source)).size).toBeGreaterThan(1);
    const last = sorted[sorted.length - 1];
    expect(call('capture.position', { no: last.no })).toEqual({ index: sorted.length - 1 });
    const state = (call('stats.get', {}) as { capture: CaptureState }).capture;
    expect(state.matching).toBe(sorted.length);
    call('capture.filter', { text: '' });
    sortBy('no');
  });

  it('a cleared capture keeps its sort, as Wireshark does; a bad column is refused by name', () => {
    sortBy('info', true);
    call('capture.clear', {});
    const s = (call('stats.get', {}) as { capture: CaptureState }).capture;
    expect(s.sort).toMatchObject({ column: 'info', descending: true, pending: 0 });
    expect(rows()).toEqual([]);
    expect(() => call('capture.sort', { column: 'colour' } as never)).toThrow(/column/);
  });
});
