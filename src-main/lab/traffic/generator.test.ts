import { describe, expect, it } from 'vitest';
import type { Host } from '../host/host';
import { Lab } from '../lab';
import { ROOT } from '../netdev/cred';
import { WIRE_OK } from '../segment/segment';
import { MS, SECOND, US } from '../sim/time';
import { parseIpv4 } from '../wire/ipv4-addr';
import { Generator, type GeneratorOptions } from './generator';
import { PAYLOAD_HLEN, PayloadView } from './payload';
import { udpWireBits } from './wire-bits';

const GROUP = '239.1.1.1';

/** Two hosts on a 100 Mbps half-duplex segment, with ARP and IGMP settled. */
function twoHosts(seed = 3) {
  const lab = new Lab({ seed, segment: { bitRate: 100e6, delay: 500, duplex: 'half' } });
  const h0 = lab.addHost('h0');
  const h1 = lab.addHost('h1');
  lab.addInterface(h0, { model: 'nofilter', ip: '10.0.0.1/24' });
  lab.addInterface(h1, { model: 'perfect', ip: '10.0.0.2/24' });
  lab.run(MS);
  return { lab, h0, h1 };
}

/** A plain socket on `host` that notes each datagram's netlab header: who, which, when sent. */
function recorder(host: Host, group = GROUP, port = 5000) {
  const udp = host.kernel.udp;
  const sock = udp.socket();
  udp.bind(sock, 0, port, ROOT);
  udp.addMembership(sock, parseIpv4(group)!, host.nics[0].dev);
  const header = new Uint8Array(PAYLOAD_HLEN);
  const view = new PayloadView(header);
  const sendTimes: number[] = [];
  const seqs: number[] = [];
  const lengths: number[] = [];
  sock.onDataReady = () => {
    for (let n = udp.recv(sock, header); n >= 0; n = udp.recv(sock, header)) {
      lengths.push(n);
      if (view.check(n) !== '') continue;
      sendTimes.push(view.sendTime);
      seqs.push(view.seq);
    }
  };
  return { sendTimes, seqs, lengths };
}

function end(lab: Lab): void {
  lab.teardown();
  expect(lab.pool.outstanding).toBe(0);
}

function gaps(times: number[]): number[] {
  return times.slice(1).map((t, i) => t - times[i]);
}

const base: GeneratorOptions = { id: 1, to: GROUP, port: 5000 };

describe('constant rate', () => {
  it('sends exactly rate × time datagrams over a window, evenly spaced, numbered from 0', () => {
    const { lab, h0, h1 } = twoHosts();
    const rec = recorder(h1);
    const t0 = lab.now;
    const gen = new Generator(h0, { ...base, pps: 10_000, start: t0, stop: t0 + SECOND });
    lab.run(2 * SECOND);
    expect(gen.sent).toBe(10_000);
    expect(gen.attempts).toBe(10_000);
    expect(gen.active).toBe(false);
    expect(rec.seqs).toEqual([...Array(10_000).keys()]);
    // The n-th send is at exactly t0 + n × 100 µs: no drift from adding up gaps.
    expect(rec.sendTimes[0]).toBe(t0);
    expect(rec.sendTimes[9_999]).toBe(t0 + 9_999 * 100 * US);
    expect(new Set(gaps(rec.sendTimes))).toEqual(new Set([100 * US]));
    expect(gen.stats()).toEqual({
      id: 1,
      name: 'gen1',
      host: 'h0',
      to: GROUP,
      port: 5000,
      sent: 10_000,
      bytes: 180_000,
      attempts: 10_000,
      sendErrors: {},
    });
    end(lab);
  });

  it('rounds a window that holds a fractional number of periods up: ⌈rate × time⌉', () => {
    const { lab, h0 } = twoHosts();
    const t0 = lab.now;
    const g3 = new Generator(h0, { ...base, id: 1, pps: 3_000, start: t0, stop: t0 + SECOND });
    const g7 = new Generator(h0, { ...base, id: 2, pps: 7, start: t0, stop: t0 + SECOND / 2 });
    lab.run(2 * SECOND);
    expect(g3.sent).toBe(3_000); // 1/3000 s is not a whole number of ns: still no extra send
    expect(g7.sent).toBe(4); // at 0, 1/7, 2/7, 3/7 s
    end(lab);
  });

  it('stops after `count` attempts and sends nothing before `start`', () => {
    const { lab, h0, h1 } = twoHosts();
    const rec = recorder(h1);
    const t0 = lab.now;
    const gen = new Generator(h0, { ...base, pps: 1_000, count: 25, start: t0 + 10 * MS });
    lab.run(5 * MS);
    expect(gen.sent).toBe(0);
    lab.run(SECOND);
    expect(gen.sent).toBe(25);
    expect(rec.sendTimes[0]).toBe(t0 + 10 * MS);
    expect(rec.sendTimes[24]).toBe(t0 + 34 * MS);
    // Both limits: the window closes first.
    const t1 = lab.now;
    const both = new Generator(h0, {
      ...base,
      id: 2,
      pps: 1_000,
      count: 100,
      start: t1 + 10 * MS,
      stop: t1 + 20 * MS,
    });
    lab.run(SECOND);
    expect(both.sent).toBe(10);
    end(lab);
  });

  it('converts bit/s as Ethernet bits on the wire: 672 bits per 18-byte datagram', () => {
    const { lab, h0 } = twoHosts();
    const t0 = lab.now;
    const gen = new Generator(h0, { ...base, bps: 6.72e6, start: t0, stop: t0 + SECOND });
    lab.run(2 * SECOND);
    expect(gen.sent).toBe(10_000);
    end(lab);
  });

  it('at the segment bit rate it is line rate: the wire is full and nothing queues', () => {
    const { lab, h0 } = twoHosts();
    const t0 = lab.now;
    const frames = lab.segment.stats.frames;
    const busy = lab.segment.stats.busyNs;
    const collisions = lab.segment.stats.collisions; // any before the generator starts
    const gen = new Generator(h0, { ...base, bps: 100e6, start: t0, stop: t0 + 100 * MS });
    lab.run(200 * MS);
    // 100 ms / 6.72 µs = 14,880.95: 14,881 sends.
    expect(gen.sent).toBe(14_881);
    expect(gen.stats().sendErrors).toEqual({});
    expect(lab.segment.stats.frames - frames).toBe(14_881);
    expect(lab.segment.stats.collisions).toBe(collisions);
    // Each frame holds the wire 5.76 µs (preamble + 64 bytes) of its 6.72 µs share; the rest is the gap.
    expect(lab.segment.stats.busyNs - busy).toBe(14_881 * 5_760);
    expect(h0.nics[0].dev.qdiscDrops).toBe(0);
    end(lab);
  });

  it('with mixed sizes, spaces each datagram by its own bits, so the bit rate holds exactly', () => {
    const { lab, h0, h1 } = twoHosts();
    const rec = recorder(h1);
    const t0 = lab.now;
    // Bits on the wire of the UDP frames that got through (IGMP reports are on it too, and one
    // collided with a datagram, which was sent again): preamble, frame, gap.
    let wireBits = 0;
    lab.segment.taps.push((frame, outcome, len) => {
      if (outcome === WIRE_OK && frame.buf[23] === 17) wireBits += (8 + len + 12) * 8;
    });
    const sizes = [18, 1472, 500];
    const bitsPerCycle = sizes.reduce((n, s) => n + udpWireBits(s), 0);
    const bps = bitsPerCycle * 1_000; // 1000 cycles a second
    const gen = new Generator(h0, { ...base, bps, size: sizes, start: t0, stop: t0 + SECOND });
    lab.run(2 * SECOND);
    expect(gen.sent).toBe(3_000);
    expect(rec.lengths.slice(0, 4)).toEqual([18, 1472, 500, 18]);
    expect(wireBits).toBe(bps);
    // Each datagram is followed by its own bits' time: 38.4 µs for 18 bytes, 703 µs for 1472.
    const g = gaps(rec.sendTimes);
    sizes.forEach((s, i) => expect(g[i]).toBeCloseTo((udpWireBits(s) * SECOND) / bps, 6));
    end(lab);
  });
});

describe('Poisson', () => {
  function run(seed: number | undefined, labSeed = 3) {
    const { lab, h0, h1 } = twoHosts(labSeed);
    const rec = recorder(h1);
    const t0 = lab.now;
    const gen = new Generator(h0, {
      ...base,
      pattern: 'poisson',
      pps: 10_000,
      seed,
      start: t0,
      stop: t0 + SECOND,
    });
    lab.run(2 * SECOND);
    end(lab);
    return { gen, times: rec.sendTimes, t0 };
  }

  it('has exponential gaps of mean 1/rate', () => {
    const { gen, times, t0 } = run(42);
    expect(times.length).toBe(gen.sent);
    // 10,000 expected; a Poisson count's standard deviation is 100.
    expect(gen.sent).toBeGreaterThan(9_600);
    expect(gen.sent).toBeLessThan(10_400);
    expect(times[0]).toBeGreaterThan(t0); // a Poisson process has its first event after a gap too
    const g = gaps(times);
    const mean = g.reduce((a, b) => a + b, 0) / g.length;
    expect(Math.abs(mean - 100 * US) / (100 * US)).toBeLessThan(0.04);
    const sd = Math.sqrt(g.reduce((a, b) => a + (b - mean) ** 2, 0) / g.length);
    expect(sd / mean).toBeGreaterThan(0.94); // exponential: the coefficient of variation is 1
    expect(sd / mean).toBeLessThan(1.06);
    const short = g.filter((x) => x < mean).length / g.length;
    expect(short).toBeGreaterThan(0.61); // P(gap < mean) = 1 − 1/e = 0.632
    expect(short).toBeLessThan(0.655);
  });

  it('repeats itself with the same seed, and not with another', () => {
    const a = run(42);
    const b = run(42, 99); // a different lab seed does not matter when the generator has its own
    const c = run(43);
    expect(b.times).toEqual(a.times);
    expect(c.times).not.toEqual(a.times);
    // Without a seed it draws from the host's RNG: the lab's seed decides.
    expect(run(undefined, 5).times).toEqual(run(undefined, 5).times);
    expect(run(undefined, 5).times).not.toEqual(run(undefined, 6).times);
  });
});

describe('on/off bursts', () => {
  it('sends at the rate during each burst and nothing between: the duty cycle', () => {
    const { lab, h0, h1 } = twoHosts();
    const rec = recorder(h1);
    const t0 = lab.now;
    const gen = new Generator(h0, {
      ...base,
      pattern: 'onoff',
      pps: 10_000,
      onNs: MS,
      offNs: 3 * MS,
      start: t0,
      stop: t0 + SECOND,
    });
    lab.run(2 * SECOND);
    // 250 periods of 4 ms, each a 1 ms burst of 10 datagrams: 25 % of 10,000 pps.
    expect(gen.sent).toBe(2_500);
    for (const t of rec.sendTimes) expect((t - t0) % (4 * MS)).toBeLessThan(MS);
    expect(rec.sendTimes.slice(9, 12).map((t) => t - t0)).toEqual([900_000, 4_000_000, 4_100_000]);
    end(lab);
  });
});

describe('destinations and errors', () => {
  it('reaches a unicast address (through ARP) and the subnet broadcast', () => {
    const { lab, h0, h1 } = twoHosts();
    const udp = h1.kernel.udp;
    const sock = udp.socket();
    udp.bind(sock, 0, 6000, ROOT);
    const uni = new Generator(h0, { id: 1, to: '10.0.0.2', port: 6000, pps: 1000, count: 10 });
    const bcast = new Generator(h0, { id: 2, to: '10.0.0.255', port: 6000, pps: 1000, count: 10 });
    lab.run(SECOND);
    expect(uni.sent + bcast.sent).toBe(20);
    expect(sock.queued).toBe(20);
    end(lab);
  });

  it('counts refused sends by errno and does not use up sequence numbers on them', () => {
    const { lab, h0, h1 } = twoHosts();
    const rec = recorder(h1);
    // 1473 + 8 + 20 > the 1500-byte MTU: with IP_PMTUDISC_DO no fragmentation, EMSGSIZE.
    const big = new Generator(h0, { ...base, size: [18, 1473], pps: 1000, count: 10 });
    big.sock.pmtudisc = 'do';
    const nowhere = new Generator(h0, { ...base, id: 2, to: '192.168.7.7', pps: 1000, count: 3 });
    // 255.255.255.255 needs a route, and this host has none beyond its subnet.
    const limited = new Generator(h0, { ...base, id: 3, to: '255.255.255.255', pps: 10, count: 1 });
    lab.run(SECOND);
    expect(big.stats()).toMatchObject({ sent: 5, attempts: 10, sendErrors: { EMSGSIZE: 5 } });
    expect(rec.seqs).toEqual([0, 1, 2, 3, 4]);
    expect(nowhere.stats().sendErrors).toEqual({ ENETUNREACH: 3 });
    expect(limited.stats().sendErrors).toEqual({ ENETUNREACH: 1 });
    end(lab);
  });

  it('sends datagrams over the MTU in fragments by default (IP_PMTUDISC_WANT)', () => {
    const { lab, h0, h1 } = twoHosts();
    const rec = recorder(h1);
    const big = new Generator(h0, { ...base, size: [18, 1473], pps: 1000, count: 10 });
    lab.run(SECOND);
    expect(big.stats()).toMatchObject({ sent: 10, attempts: 10, sendErrors: {} });
    expect(rec.seqs).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Five datagrams of 1473 bytes, two fragments each (1480 + 1 bytes of UDP).
    expect(h0.kernel.mib.ip).toMatchObject({ FragOKs: 5, FragCreates: 10 });
    end(lab);
  });

  it('gets ENOBUFS when it outruns the wire and the qdisc fills', () => {
    const { lab, h0 } = twoHosts();
    h0.nics[0].dev.txQueueLen = 10;
    const t0 = lab.now;
    const gen = new Generator(h0, { ...base, bps: 200e6, start: t0, stop: t0 + 10 * MS });
    lab.run(100 * MS);
    const errs = gen.sendErrors.get(105) ?? 0; // ENOBUFS
    expect(gen.attempts).toBe(2_977); // ⌈10 ms / 3.36 µs⌉
    expect(errs).toBeGreaterThan(1_300);
    expect(gen.sent + errs).toBe(gen.attempts);
    expect(h0.nics[0].dev.qdiscDrops).toBe(errs);
    expect(h0.kernel.mib.udp.SndbufErrors).toBe(errs);
    end(lab);
  });

  it('refuses bad options with a message that names the generator', () => {
    const { lab, h0 } = twoHosts();
    const bad = (o: Partial<GeneratorOptions>) => () =>
      new Generator(h0, { ...base, pps: 10, name: 'g', ...o } as GeneratorOptions);
    expect(bad({ bps: 10 })).toThrow('generator g: give a rate in either pps or bps');
    expect(bad({ pps: undefined })).toThrow('either pps or bps');
    expect(bad({ pps: 0 })).toThrow('rate 0 must be a positive finite number');
    expect(bad({ id: 70_000 })).toThrow('id 70000 must be an integer 0..65535');
    expect(bad({ to: '239.1.1' })).toThrow("destination '239.1.1' is not an IPv4 address");
    expect(bad({ port: 0 })).toThrow('port 0 must be 1..65535');
    expect(bad({ size: [] })).toThrow('size list is empty');
    expect(bad({ size: 70_000 })).toThrow('size 70000 must be 0..65507 bytes');
    expect(bad({ count: 1.5 })).toThrow('count 1.5 must be a whole number');
    expect(bad({ pattern: 'onoff' })).toThrow('onoff needs onNs > 0');
    expect(bad({ start: 10, stop: 5 })).toThrow('stop 5 ns is before start');
    expect(bad({ dev: 'eth9' })).toThrow('h0 has no interface eth9');
    end(lab);
  });

  it('stops when the lab is torn down under it', () => {
    const { lab, h0 } = twoHosts();
    const gen = new Generator(h0, { ...base, pps: 1000 });
    lab.run(10 * MS);
    end(lab);
    const sent = gen.sent;
    lab.run(10 * MS);
    expect(gen.sent).toBe(sent);
    expect(gen.active).toBe(false);
    expect(lab.pool.outstanding).toBe(0);
  });
});

describe('the kernel timer', () => {
  it('is given back when a generator ends, so restarting one on every edit does not grow the table', () => {
    const { lab, h0 } = twoHosts();
    const timers = h0.kernel.timers;
    const inUse = timers.inUse;
    // As the engine restarts a generator after each edit: close the old one, start a new one.
    let gen = new Generator(h0, { ...base, pps: 10_000 });
    const slots = timers.slots;
    for (let i = 0; i < 500; i++) {
      lab.run(MS);
      gen.close();
      gen = new Generator(h0, { ...base, id: 2 + i, pps: 10_000 });
    }
    lab.run(MS);
    expect(gen.sent).toBe(11); // the last one sends as the first did: at 0, 100 µs, … 1 ms
    expect(timers.inUse).toBe(inUse + 1);
    expect(timers.slots).toBe(slots);
    // Stopped by the API, or over by its count or its stop time: each gives its timer back.
    gen.stop();
    const counted = new Generator(h0, { ...base, id: 600, pps: 10_000, count: 5 });
    const timed = new Generator(h0, { ...base, id: 601, pps: 10_000, stop: lab.now + MS });
    lab.run(10 * MS);
    expect([counted.sent, counted.active, timed.sent, timed.active]).toEqual([5, false, 10, false]);
    expect(timers.inUse).toBe(inUse);
    gen.close();
    counted.close();
    timed.close();
    expect(timers.inUse).toBe(inUse);
    end(lab);
  });
});
