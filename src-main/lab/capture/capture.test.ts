import { describe, expect, it } from 'vitest';
import { Lab } from '../lab';
import { USER } from '../netdev/cred';
import { MS } from '../sim/time';
import { parseIpv4 } from '../wire/ipv4-addr';
import { Capture, type CapturePoint } from './capture';
import { FrameStore } from './frame-store';

const ip = (s: string) => parseIpv4(s)!;

function lab3() {
  const lab = new Lab({ seed: 2 });
  const [h0, h1, h2] = ['h0', 'h1', 'h2'].map((n) => lab.addHost(n));
  lab.addInterface(h0, { model: 'nofilter', ip: '10.0.0.1/24' });
  lab.addInterface(h1, { model: 'hash64', ip: '10.0.0.2/24' });
  lab.addInterface(h2, { model: 'perfect', ip: '10.0.0.3/24' });
  const points: CapturePoint[] = [
    { kind: 'device', name: 'h1:eth0', host: h1, dev: h1.nics[0].dev },
    { kind: 'segment', name: 'segment', segment: lab.segment },
  ];
  return { lab, h0, h1, h2, points };
}

describe('Capture', () => {
  it('sees at the device what the stack sees, with each frame’s fate, and everything on the segment', () => {
    const { lab, h0, h1, points } = lab3();
    const cap = new Capture(points, lab.sched);
    cap.start();
    const rx = h1.kernel.udp.socket();
    rx.mcIf = h1.nics[0].dev ?? null;
    h1.kernel.udp.bind(rx, 0, 5000, USER);
    h1.kernel.udp.addMembership(rx, ip('239.1.1.1'), h1.nics[0].dev);
    lab.run(10 * MS); // the join's IGMPv3 report leaves 8 ms later (2 jiffies at HZ=250)
    const tx = h0.kernel.udp.socket();
    tx.mcIf = h0.nics[0].dev ?? null;
    h0.kernel.udp.sendto(tx, null, 18, ip('239.1.1.1'), 5000);
    h0.kernel.udp.sendto(tx, null, 18, ip('239.1.1.24'), 5000); // same hash bin: let in, then dropped
    h0.kernel.udp.sendto(tx, null, 18, ip('239.1.1.2'), 5000); // filtered by the NIC: never seen at h1
    lab.run(MS);
    cap.stop();
    const dev = cap.rows(1, 1000).filter((r) => r.point === 'h1:eth0');
    const wire = cap.rows(1, 1000).filter((r) => r.point === 'segment');
    const inFrames = dev.filter((r) => r.direction === 'in');
    expect(inFrames.map((r) => r.fate).slice(-2)).toEqual([
      'delivered (socket 1)',
      'group not joined',
    ]);
    expect(dev.some((r) => r.direction === 'out' && r.fate === 'sent')).toBe(true); // h1's own IGMP report
    // The wire carried all three datagrams (plus ARP and IGMP), each 60 bytes without its FCS.
    const udpOnWire = wire.filter((r) => r.wireLength === 60 && r.fate === 'on the wire');
    expect(udpOnWire.length).toBeGreaterThanOrEqual(3);
    expect(inFrames.every((r) => r.capturedLength === 60)).toBe(true);
    // Wireshark's columns, for the datagram h1's socket got.
    const delivered = inFrames.find((r) => r.fate === 'delivered (socket 1)')!;
    expect(delivered).toMatchObject({
      source: '10.0.0.1',
      destination: '239.1.1.1',
      protocol: 'UDP',
    });
    expect(delivered.info).toMatch(/→ 5000 +Len=18/);
    // Stopped: nothing more is stored.
    const held = cap.store.count;
    h0.kernel.udp.sendto(tx, null, 18, ip('239.1.1.1'), 5000);
    lab.run(MS);
    expect(cap.store.count).toBe(held);
    lab.teardown();
    expect(lab.pool.outstanding).toBe(0);
  });

  it('applies the capture filter before storing, and honours the snap length', () => {
    const { lab, h0, h1, points } = lab3();
    const onlyBroadcast = (b: Uint8Array, at: number) => b[at] === 0xff;
    const cap = new Capture([points[1]], lab.sched, { filter: onlyBroadcast, snaplen: 20 });
    cap.start();
    const tx = h0.kernel.udp.socket();
    tx.mcIf = h0.nics[0].dev ?? null;
    const tx1 = h1.kernel.udp.socket();
    // h0 and h1 broadcast at the same instant: their frames collide, and the tap keeps the
    // fragments too.
    h0.kernel.udp.sendto(tx, null, 18, ip('10.0.0.255'), 9);
    h1.kernel.udp.sendto(tx1, null, 18, ip('10.0.0.255'), 9);
    h0.kernel.udp.sendto(tx, null, 18, ip('239.1.1.1'), 9);
    lab.run(MS);
    const rows = cap.rows(1, 100);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((r) => r.fate === 'collision')).toBe(true);
    const whole = rows.filter((r) => r.fate === 'on the wire');
    expect(whole.length).toBe(2); // the two broadcast datagrams, once through
    expect(whole.every((r) => r.capturedLength === 20 && r.wireLength === 60)).toBe(true);
    expect(cap.filtered).toBeGreaterThan(0);
    expect(() => new Capture(points, lab.sched, { snaplen: 5 })).toThrow(/snaplen 5/);
    // A record keeps its point's id in 16 bits: more points are refused, not wrapped.
    const many = Array.from({ length: 65_537 }, () => points[points.length - 1]);
    expect(() => new Capture(many, lab.sched)).toThrow(/at most 65536 capture points, not 65537/);
  });
});

describe('FrameStore', () => {
  it('packs a million frames in large buffers, within 200 MB', () => {
    const store = new FrameStore();
    const frame = new Uint8Array(64).fill(7);
    for (let i = 0; i < 1_000_000; i++) store.append(i * 6720, 0, 1, frame, 0, 64, 64, i, 0);
    expect(store.count).toBe(1_000_000);
    expect(store.data(123_456)).toEqual(frame);
    expect(store.timeOf(1_000_000)).toBe(999_999 * 6720);
    expect(store.memoryBytes()).toBeLessThan(200 * 1024 * 1024);
  });

  it('in ring mode keeps the newest frames and counts what it overwrote', () => {
    const store = new FrameStore({ maxFrames: 100, maxBytes: 0 });
    const frame = new Uint8Array(100);
    for (let i = 1; i <= 250; i++) {
      frame[0] = i & 0xff;
      store.append(i, 0, 0, frame, 0, 100, 100, i, 0);
    }
    expect([store.first, store.last, store.count, store.overwritten]).toEqual([151, 250, 100, 150]);
    expect(store.data(151)[0]).toBe(151);
    expect(() => store.data(150)).toThrow(/frame 150 is not held \(151..250\)/);
    const byBytes = new FrameStore({ maxFrames: 0, maxBytes: 1000 });
    for (let i = 1; i <= 25; i++) byBytes.append(i, 0, 0, frame, 0, 100, 100, i, 0);
    expect([byBytes.count, byBytes.bytes, byBytes.overwritten]).toEqual([10, 1000, 15]);
  });
});
