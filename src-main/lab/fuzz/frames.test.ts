import { describe, expect, it } from 'vitest';
import { Rng } from '../sim/rng';
import { MS, SECOND, US } from '../sim/time';
import { auditLab } from './fate-audit';
import { FrameFuzzer, VIA_SEND } from './frames';
import { buildFuzzLab, type FuzzLab } from './fuzz-lab';

/** At least 100,000 frames in CI; FUZZ_FRAMES=n for a longer hunt, FUZZ_SEED=n for another stream. */
const FRAMES = Number(process.env.FUZZ_FRAMES ?? 100_000);
const SEED = Number(process.env.FUZZ_SEED ?? 10);
/** Frames injected between two looks at the lab: well under the port's queue of 256. */
const BATCH = 64;

interface Injection {
  attempted: number;
  queued: number;
  /** Raw frames shorter than the 64-byte minimum: only these can collide unheard by their sender. */
  shortRaw: number;
  /** The frames of the batch being run, for a failure message. */
  last: string[];
}

/** Injects `n` frames in batches, running the lab until the port's queue has drained after each. */
function inject(f: FuzzLab, fuzzer: FrameFuzzer, n: number, drain = true): Injection {
  const { lab, port } = f;
  const inj: Injection = { attempted: 0, queued: 0, shortRaw: 0, last: [] };
  while (inj.attempted < n) {
    inj.last.length = 0;
    for (let i = 0; i < BATCH && inj.attempted < n; i++) {
      const frame = fuzzer.next();
      inj.last.push(frame.what);
      inj.attempted++;
      const ok = frame.via === VIA_SEND ? port.send(frame.bytes) : port.sendRaw(frame.bytes);
      if (ok) inj.queued++;
      if (ok && frame.via !== VIA_SEND && frame.bytes.length < 64) inj.shortRaw++;
    }
    if (!drain) {
      lab.run(50 * US);
      continue;
    }
    try {
      // The port sends one frame at a time: run until it has sent (or given up on) all of them.
      while (port.stats.fromOutside + port.stats.txErrors < inj.queued) lab.run(100 * US);
    } catch (e) {
      throw new Error(
        `after frame ${inj.attempted} (batch: ${inj.last.join(', ')}): ${e instanceof Error ? e.stack : e}`,
      );
    }
    f.read();
  }
  return inj;
}

describe('frame fuzzing', () => {
  it(`${FRAMES} random and mutated frames: nothing throws, every frame ends in exactly one fate, no buffer is left`, () => {
    const t0 = performance.now();
    const f = buildFuzzLab(SEED);
    const { lab, port } = f;
    // A little wire noise on top: bit errors turn frames into FCS errors at every receiver.
    lab.segment.setFaults({ bitErrorRate: 1e-6 });
    const fuzzer = new FrameFuzzer(new Rng(SEED), f.targets);
    const inj = inject(f, fuzzer, FRAMES);
    // Let it go quiet: ARP retries, IGMP report timers (a v1 query's 10 s), slow CPUs.
    for (let s = 0; s < 30; s++) {
      lab.run(SECOND);
      f.read();
    }
    for (const h of lab.hosts) {
      expect(h.nics[0].rx?.pending, h.name).toBe(0);
      expect(h.machine.softnet.backlog.qlen, h.name).toBe(0);
    }
    // Every injection attempt is accounted for at the port.
    const ps = port.stats;
    expect(ps.fromOutside + ps.txErrors + ps.queueDrops + ps.malformed).toBe(inj.attempted);
    expect(inj.attempted).toBe(FRAMES);

    const audit = auditLab(lab, [port], { wholeRun: true, settled: true });
    expect(audit.problems).toEqual([]);
    // Every frame on the wire was injected or a host's; the port's count differs only by
    // runts that collided without the port hearing it.
    expect(audit.undetectedCollisions).toBeLessThanOrEqual(inj.shortRaw);
    // Each host saw every injected frame and every other host's.
    for (const a of audit.hosts) {
      expect(a.fates).toBe(a.seen);
      expect(a.seen).toBe(audit.onWire - a.txPackets);
    }
    // The fuzz reached every stage a frame can end in, and every error counter.
    const stages: Record<string, number> = {};
    for (const a of audit.hosts)
      for (const [k, v] of Object.entries(a.stages)) stages[k] = (stages[k] ?? 0) + v;
    for (const k of Object.keys(stages))
      if (k !== 'devDrop') expect(stages[k], `stage ${k}`).toBeGreaterThan(0);
    const sum = (pick: (h: (typeof lab.hosts)[number]) => number) =>
      lab.hosts.reduce((a, h) => a + pick(h), 0);
    const counters = {
      rx_length_errors: sum((h) => h.nics[0].stats.rx_length_errors),
      rx_crc_errors: sum((h) => h.nics[0].stats.rx_crc_errors),
      rx_missed_errors: sum((h) => h.nics[0].stats.rx_missed_errors),
      backlogDrops: sum((h) => h.machine.softnet.dropped),
      IpInHdrErrors: sum((h) => h.kernel.mib.ip.InHdrErrors),
      IpInAddrErrors: sum((h) => h.kernel.mib.ip.InAddrErrors),
      rtInMartianSrc: sum((h) => h.kernel.rtStat.inMartianSrc),
      rtInMartianDst: sum((h) => h.kernel.rtStat.inMartianDst),
      IpInUnknownProtos: sum((h) => h.kernel.mib.ip.InUnknownProtos),
      IpReasmFails: sum((h) => h.kernel.mib.ip.ReasmFails),
      UdpInErrors: sum((h) => h.kernel.mib.udp.InErrors),
      UdpInCsumErrors: sum((h) => h.kernel.mib.udp.InCsumErrors),
      UdpNoPorts: sum((h) => h.kernel.mib.udp.NoPorts),
      UdpRcvbufErrors: sum((h) => h.kernel.mib.udp.RcvbufErrors),
      IcmpInErrors: sum((h) => h.kernel.mib.icmp.InErrors),
      IcmpInCsumErrors: sum((h) => h.kernel.mib.icmp.InCsumErrors),
      IcmpOutDestUnreachs: sum((h) => h.kernel.mib.icmp.OutDestUnreachs),
      IcmpOutEchoReps: sum((h) => h.kernel.mib.icmp.OutEchoReps),
      arpRepliesSent: sum((h) => h.kernel.arp.repliesSent),
      igmpQueriesReceived: sum((h) => h.kernel.igmp.queriesReceived),
    };
    for (const [k, v] of Object.entries(counters)) expect(v, k).toBeGreaterThan(0);

    lab.teardown();
    expect(lab.pool.outstanding, lab.pool.report()).toBe(0);
    const after = auditLab(lab, [port], { wholeRun: true, settled: false });
    expect(after.problems).toEqual([]);

    const wall = (performance.now() - t0) / 1000;
    console.log(
      `frame fuzz: ${inj.attempted} frames injected (${audit.injectedOnWire} whole on the wire, ` +
        `${audit.undetectedCollisions} runts lost in collisions the port could not hear, ` +
        `${ps.malformed} refused by the port as malformed, ${ps.queueDrops} queue drops, ` +
        `${ps.txErrors} given up after collisions); hosts sent ${audit.hostFramesOnWire} of their own; ` +
        `${audit.totalFates} fates over ${lab.hosts.length} hosts; ${wall.toFixed(1)} s wall\n` +
        `  stages: ${JSON.stringify(stages)}\n  counters: ${JSON.stringify(counters)}\n` +
        `  kinds: ${JSON.stringify(Object.fromEntries(fuzzer.counts))}`,
    );
  }, 120_000);

  it('tearing down mid-flood (frames in rings and backlogs) still gives every frame a fate', () => {
    const f = buildFuzzLab(SEED + 1);
    const { lab, port } = f;
    const fuzzer = new FrameFuzzer(new Rng(SEED + 1), f.targets);
    // Slower still, and no draining: the slow hosts' ring and backlog are full at the teardown.
    const slow = lab.hosts.filter((h) => h.machine.cpu.perFrame > 1000);
    for (const h of slow) h.machine.cpu.perFrame = 500_000;
    inject(f, fuzzer, 4000, false);
    expect(slow.some((h) => (h.nics[0].rx?.pending ?? 0) > 0)).toBe(true);
    expect(slow.some((h) => h.machine.softnet.backlog.qlen > 0)).toBe(true);
    lab.teardown();
    expect(lab.pool.outstanding, lab.pool.report()).toBe(0);
    const audit = auditLab(lab, [port], { wholeRun: false, settled: false });
    expect(audit.problems).toEqual([]);
    // The frames the stopped cards still held were dropped as the device went down.
    const devDrops = audit.hosts.reduce((a, h) => a + h.stages.devDrop, 0);
    expect(devDrops).toBeGreaterThan(0);
    // Frames still on the wire when the cards stopped reach nobody's NIC: no fate, and none owed.
    lab.run(10 * MS);
    expect(auditLab(lab, [port], { wholeRun: false, settled: false }).problems).toEqual([]);
  });
});
