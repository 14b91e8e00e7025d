import { describe, expect, it } from 'vitest';
import type { Host } from '../host/host';
import { Lab } from '../lab';
import { ROOT } from '../netdev/cred';
import { MS, SECOND } from '../sim/time';
import { parseIpv4 } from '../wire/ipv4-addr';
import { Generator, type GeneratorOptions } from './generator';
import { PAYLOAD_HLEN, PayloadView } from './payload';
import { Sink } from './sink';

const GROUP = '239.1.1.1';
const G = parseIpv4(GROUP)!;

/** h0 sends, h1 (and h2) listen, on a 100 Mbps half-duplex segment with a 500 ns delay. */
function lab3(seed = 3) {
  const lab = new Lab({ seed, segment: { bitRate: 100e6, delay: 500, duplex: 'half' } });
  const [h0, h1, h2] = ['h0', 'h1', 'h2'].map((n) => lab.addHost(n));
  lab.addInterface(h0, { model: 'nofilter', ip: '10.0.0.1/24' });
  lab.addInterface(h1, { model: 'perfect', ip: '10.0.0.2/24' });
  lab.addInterface(h2, { model: 'perfect', ip: '10.0.0.3/24' });
  lab.run(MS);
  return { lab, h0, h1, h2 };
}

function end(lab: Lab): void {
  lab.teardown();
  expect(lab.pool.outstanding).toBe(0);
}

/**
 * A test's own sender: a plain socket through which it sends datagrams with
 * netlab headers it writes itself, to stage duplicates and reordering exactly.
 */
function crafter(host: Host, id: number, port = 5000, to = G) {
  const udp = host.kernel.udp;
  const sock = udp.socket();
  sock.mcIf = host.nics[0].dev;
  const buf = new Uint8Array(PAYLOAD_HLEN);
  return (...seqs: number[]) => {
    for (const seq of seqs) {
      PayloadView.write(buf, 0, id, seq, host.kernel.now);
      expect(udp.sendto(sock, buf, buf.length, to, port)).toBe(PAYLOAD_HLEN);
    }
  };
}

const cbr: GeneratorOptions = { id: 1, to: GROUP, port: 5000, pps: 10_000 };

describe('latency and jitter', () => {
  it('measures the exact one-way latency of a 64-byte frame on an idle 100 Mbps segment', () => {
    const { lab, h0, h1 } = lab3();
    const sink = new Sink(h1, { port: 5000, group: GROUP });
    lab.run(2 * SECOND); // the join's two IGMPv3 reports (within 1 s) are out of the way
    const t0 = lab.now;
    // 10,000 pps: 100 µs apart, far more than the NIC's 20 µs interrupt moderation.
    const gen = new Generator(h0, { ...cbr, start: t0, stop: t0 + 100 * MS });
    lab.run(200 * MS);
    const r = sink.results([gen]);
    // The datagram leaves the stack at the instant of sendto (the lab charges no CPU to
    // transmit) onto an idle medium whose last gap has long passed, so it starts at once.
    // Preamble/SFD and the 64-byte frame: (8 + 64) × 8 = 576 bits × 10 ns = 5760 ns; the last
    // bit reaches h1 500 ns later. h1's NIC interrupts at once (its last interrupt was 100 µs
    // ago), NAPI polls at once (the CPU is idle: the 500 ns per frame is charged after the
    // frames are handed up), UDP queues the datagram and the waiting reader takes it then.
    expect(r.latencyNs).toEqual({ min: 6260, mean: 6260, max: 6260, p99: 6260 });
    // Every datagram took the same time: no jitter at all.
    expect(r.jitterNs).toBe(0);
    expect(r).toMatchObject({
      name: 'h1:5000',
      host: 'h1',
      group: GROUP,
      port: 5000,
      received: 1000,
      bytes: 18_000,
      unmeasured: 0,
      lost: 0,
      duplicated: 0,
      reordered: 0,
    });
    expect(r.streams).toEqual([
      {
        generatorId: 1,
        from: '10.0.0.1:32768',
        received: 1000,
        lost: 0,
        duplicated: 0,
        reordered: 0,
        firstSeq: 0,
        highestSeq: 999,
        latencyNs: { min: 6260, mean: 6260, max: 6260, p99: 6260 },
        jitterNs: 0,
      },
    ]);
    end(lab);
  });

  it('sees interrupt moderation once datagrams come closer than its interval', () => {
    const { lab, h0, h1 } = lab3();
    const sink = new Sink(h1, { port: 5000, group: GROUP });
    lab.run(MS);
    const t0 = lab.now;
    // 100,000 pps: 10 µs apart, half the 20 µs moderation interval.
    new Generator(h0, { ...cbr, pps: 100_000, start: t0, stop: t0 + 100 * MS });
    lab.run(200 * MS);
    const r = sink.results();
    // No datagram is faster than on an idle wire; none waits for its interrupt more than the
    // 20 µs moderation interval (the CPU, at 500 ns a frame, never holds a poll back). One that
    // lands just after a poll waits the whole interval; the next, 10 µs later, waits 10 µs and
    // shares that poll: transits alternate 26,260 and 16,260 ns.
    expect(r.latencyNs.min).toBe(6260);
    expect(r.latencyNs.max).toBe(6260 + 20_000);
    expect(r.latencyNs.p99).toBe(26_260);
    expect(r.latencyNs.mean!).toBeCloseTo(21_260, -1);
    // RFC 3550 jitter of transits alternating 10 µs apart converges to 10 µs.
    expect(r.jitterNs).toBeCloseTo(10_000, 3);
    expect(r.lost).toBe(0);
    end(lab);
  });

  it('includes the time a datagram waited in the socket for a slow application', () => {
    const { lab, h0, h1 } = lab3();
    // An application that needs 1 ms per datagram, fed 2000 a second for a second.
    const sink = new Sink(h1, { port: 5000, group: GROUP, readRate: 1000 });
    lab.run(MS);
    const t0 = lab.now;
    const gen = new Generator(h0, { ...cbr, pps: 2000, start: t0, stop: t0 + SECOND });
    lab.run(2 * SECOND); // a second more: the reader drains its queue
    const r = sink.results([gen]);
    // rmem_default holds 256 datagrams of truesize 832; the rest overflowed (RcvbufErrors).
    const drops = h1.kernel.mib.udp.RcvbufErrors;
    expect(drops).toBeGreaterThan(700);
    expect(sink.sock.receiveQueue.qlen).toBe(0);
    expect(r.received + drops).toBe(2000);
    expect(r.lost).toBe(drops);
    // Reading exactly 1000 a second, the sink falls behind until the queue is full: it read
    // 1000 during the second and the 222 queued when the stream stopped. The memory it reads
    // comes back 64 datagrams at a time (udp_rmem_release), so the queue stood between 192 and
    // 256 and the last datagram waited that many of the reader's milliseconds in the socket.
    expect(r.received).toBe(1000 + 222);
    expect(r.latencyNs.min).toBe(6260);
    expect(r.latencyNs.max).toBeGreaterThan(192 * MS);
    expect(r.latencyNs.max).toBeLessThan(257 * MS);
    end(lab);
  });
});

describe('sequence accounting', () => {
  it('counts what the segment lost', () => {
    const { lab, h0, h1 } = lab3();
    const sink = new Sink(h1, { port: 5000, group: GROUP });
    lab.run(12 * SECOND); // IGMP's unsolicited reports are over: only the stream can be lost
    lab.segment.setFaults({ lossRate: 0.1 });
    const lostBefore = lab.segment.stats.lost;
    const t0 = lab.now;
    const gen = new Generator(h0, { ...cbr, start: t0, stop: t0 + SECOND });
    lab.run(SECOND + MS);
    const onWire = lab.segment.stats.lost - lostBefore;
    expect(onWire).toBeGreaterThan(900); // 10 % of 10,000, give or take 3 σ (95)
    expect(onWire).toBeLessThan(1100);
    const told = sink.results([gen]);
    expect(told.received).toBe(gen.sent - onWire);
    expect(told.lost).toBe(onWire);
    // Not told the sent count, the sink cannot know of losses after the last datagram it got.
    const s = sink.streams.get(1)!;
    const tail = gen.sent - 1 - s.highestSeq;
    expect(sink.results().lost).toBe(onWire - tail - s.firstSeq);
    expect(told.duplicated + told.reordered).toBe(0);
    end(lab);
  });

  it('counts a datagram sent twice as one duplicate, and no loss', () => {
    const { lab, h0, h1 } = lab3();
    const sink = new Sink(h1, { port: 5000, group: GROUP });
    lab.run(MS);
    const send = crafter(h0, 7);
    send(0, 1, 2, 2, 3); // the same bytes twice in a row
    lab.run(MS);
    send(4, 1, 5); // and an old one again, after later ones
    lab.run(MS);
    const r = sink.results();
    expect(r).toMatchObject({ received: 8, duplicated: 2, reordered: 0, lost: 0 });
    expect(r.streams[0]).toMatchObject({ generatorId: 7, firstSeq: 0, highestSeq: 5 });
    end(lab);
  });

  it('counts a datagram that arrives after a later one as reordered, and takes it out of the losses', () => {
    const { lab, h0, h1 } = lab3();
    const sink = new Sink(h1, { port: 5000, group: GROUP });
    lab.run(MS);
    const send = crafter(h0, 9);
    send(0, 1, 3, 4);
    lab.run(MS);
    expect(sink.results()).toMatchObject({ received: 4, lost: 1, reordered: 0 });
    send(2, 5);
    lab.run(MS);
    expect(sink.results()).toMatchObject({ received: 6, lost: 0, reordered: 1, duplicated: 0 });
    end(lab);
  });

  it('keeps generators apart by id, and counts a silent one as having lost everything', () => {
    const { lab, h0, h1, h2 } = lab3();
    const sink = new Sink(h1, { port: 5000, group: GROUP });
    lab.run(MS);
    const t0 = lab.now;
    const a = new Generator(h0, { ...cbr, id: 1, pps: 1000, start: t0, stop: t0 + 100 * MS });
    const b = new Generator(h2, { ...cbr, id: 2, pps: 500, start: t0, stop: t0 + 100 * MS });
    lab.run(200 * MS);
    const ghost = { id: 3, sent: 5 };
    const r = sink.results([a, b, ghost]);
    expect(r.streams.map((s) => [s.generatorId, s.from, s.received, s.lost])).toEqual([
      [1, '10.0.0.1:32768', 100, 0],
      [2, '10.0.0.3:32768', 50, 0],
    ]);
    expect(r.received).toBe(150);
    expect(r.lost).toBe(5);
    end(lab);
  });
});

describe('what a sink cannot measure', () => {
  it('counts short payloads and foreign datagrams as received but unmeasured', () => {
    const { lab, h0, h1 } = lab3();
    const sink = new Sink(h1, { port: 5000, group: GROUP });
    lab.run(MS);
    // 10 bytes carry the magic, the id and the sequence number, but not the send time.
    const gen = new Generator(h0, { ...cbr, size: 10, count: 20 });
    const other = h0.kernel.udp.socket();
    other.mcIf = h0.nics[0].dev ?? null;
    h0.kernel.udp.sendto(other, null, 30, G, 5000); // zeros: no magic
    lab.run(10 * MS);
    expect(gen.sent).toBe(20);
    const r = sink.results();
    expect(r).toMatchObject({ received: 21, bytes: 230, unmeasured: 21, lost: 0, streams: [] });
    expect(r.latencyNs).toEqual({ min: null, mean: null, max: null, p99: null });
    expect(r.jitterNs).toBe(0);
    end(lab);
  });
});

describe('the socket', () => {
  it('takes unicast and broadcast without a group', () => {
    const { lab, h0, h1, h2 } = lab3();
    const s1 = new Sink(h1, { port: 6000 });
    const s2 = new Sink(h2, { port: 6000 });
    lab.run(MS);
    const uni = new Generator(h0, { id: 1, to: '10.0.0.2', port: 6000, pps: 1000, count: 10 });
    new Generator(h0, { id: 2, to: '10.0.0.255', port: 6000, pps: 1000, count: 10 });
    lab.run(SECOND);
    expect(s1.results([uni]).streams.map((s) => [s.generatorId, s.received, s.lost])).toEqual([
      [1, 10, 0],
      [2, 10, 0],
    ]);
    expect(s2.results().received).toBe(10);
    expect(s1.results().group).toBeNull();
    end(lab);
  });

  it('joins its group on the NIC, and leaves it when closed', () => {
    const { lab, h1 } = lab3();
    const dev = h1.nics[0].dev;
    const sink = new Sink(h1, { port: 5000, group: GROUP, dev: 'eth0', rcvbuf: 4096 });
    expect(dev.mc.toStrings()).toContain('01:00:5e:01:01:01');
    expect(sink.sock.rcvbuf).toBe(8192);
    // Two sinks may share the port (SO_REUSEADDR), as multicast listeners do.
    const other = new Sink(h1, { port: 5000, group: '239.1.1.2' });
    sink.close();
    expect(dev.mc.toStrings()).not.toContain('01:00:5e:01:01:01');
    expect(sink.results().received).toBe(0);
    other.close();
    end(lab);
  });

  it('refuses bad options and names what failed', () => {
    const { lab, h1 } = lab3();
    const taken = h1.kernel.udp.socket();
    taken.mcIf = h1.nics[0].dev ?? null;
    h1.kernel.udp.bind(taken, 0, 7000, ROOT);
    expect(() => new Sink(h1, { port: 7000 })).toThrow(
      'sink h1:7000: bind to port 7000: EADDRINUSE (98): Address already in use',
    );
    expect(() => new Sink(h1, { port: 5000, group: '10.0.0.9' })).toThrow(
      "sink h1:5000: '10.0.0.9' is not a multicast group",
    );
    expect(() => new Sink(h1, { port: 0 })).toThrow('port 0 must be 1..65535');
    expect(() => new Sink(h1, { port: 5000, readRate: 0 })).toThrow('read rate 0 must be > 0');
    expect(() => new Sink(h1, { port: 5000, dev: 'eth7' })).toThrow('h1 has no interface eth7');
    // A failed sink leaves no socket behind.
    expect(h1.kernel.udp.sockets).toEqual([taken]);
    end(lab);
  });
});

describe('the kernel timer', () => {
  it('is given back when a sink closes, so reopening sinks does not grow the table', () => {
    const { lab, h0, h1 } = lab3();
    const timers = h1.kernel.timers;
    const inUse = timers.inUse;
    const gen = new Generator(h0, { id: 1, to: GROUP, port: 5000, pps: 10_000 });
    let sink = new Sink(h1, { port: 5000, group: GROUP, readRate: 2_000 });
    const slots = timers.slots;
    for (let i = 0; i < 200; i++) {
      lab.run(MS); // a slow reader: its timer is armed when it closes
      sink.close();
      sink = new Sink(h1, { port: 5000, group: GROUP, readRate: 2_000 });
    }
    lab.run(MS);
    expect(sink.results().received).toBeGreaterThan(0);
    expect(timers.inUse).toBe(inUse + 2); // the open sink's, and its group's IGMP report timer
    expect(timers.slots).toBe(slots);
    sink.close();
    gen.close();
    expect(timers.inUse).toBe(inUse);
    end(lab);
  });
});
