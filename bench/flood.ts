import { devMcAdd } from '../src-main/lab/netdev/dev-addr';
import { SECOND } from '../src-main/lab/sim/time';
import { Rig } from '../src-main/lab/testing/rig';
import { Pktgen } from '../src-main/lab/traffic/pktgen';
import { parseMac } from '../src-main/lab/wire/mac';
import type { NicModelName } from '../src-main/lab/drivers/nic-model';

export interface FloodParams {
  hosts: number;
  bitRate: number;
  /** Simulated seconds to run. */
  seconds: number;
  /** Receiving NIC model. */
  model: NicModelName;
}

export interface FloodResult {
  wallSeconds: number;
  simSeconds: number;
  framesOnWire: number;
  nicReceiveEvents: number;
  stackDeliveries: number;
  rxMissed: number;
  events: number;
  peakBuffers: number;
  outstandingAfterTeardown: number;
}

const GROUP = parseMac('01:00:5e:01:01:01')!;

/**
 * One sender floods 64-byte multicast frames (18-byte payload) at line rate;
 * every other host has joined the group and its stack takes every frame.
 */
export function buildFlood(p: FloodParams) {
  const rig = new Rig({ bitRate: p.bitRate, delay: 500, duplex: 'half' }, 7);
  rig.record = false;
  const sender = rig.addHost('nofilter', { txRing: 256 });
  for (let i = 1; i < p.hosts; i++) {
    const h = rig.addHost(p.model);
    h.machine.cpu.perFrame = 0; // the stack is not modelled yet: measure the hardware path
    devMcAdd(h.nic.dev, GROUP);
  }
  // 64 bytes + 8 preamble + 12 gap = 672 bit times per frame at line rate.
  const interval = (672 * SECOND) / p.bitRate;
  const gen = new Pktgen(rig.sched, rig.pool, sender.nic.dev, {
    dest: GROUP,
    payload: 18 + 28, // 46 bytes after the Ethernet header: UDP/IP headers plus 18 bytes of data
    interval,
    count: Infinity,
  });
  gen.start();
  return { rig, gen };
}

/** Runs the flood; `atEnd` is called before teardown, while every buffer is still in flight. */
export function runFlood(p: FloodParams, atEnd?: () => void): FloodResult {
  const { rig, gen } = buildFlood(p);
  const start = performance.now();
  rig.run(p.seconds * SECOND);
  const wallSeconds = (performance.now() - start) / 1000;
  atEnd?.();
  gen.stop();
  let stackDeliveries = 0;
  let rxMissed = 0;
  for (const h of rig.hosts.slice(1)) {
    stackDeliveries += h.nic.stats.rx_packets;
    rxMissed += h.nic.stats.rx_missed_errors;
  }
  const result: FloodResult = {
    wallSeconds,
    simSeconds: p.seconds,
    framesOnWire: rig.segment.stats.frames,
    nicReceiveEvents: rig.segment.stats.deliveries,
    stackDeliveries,
    rxMissed,
    events: rig.sched.dispatched,
    peakBuffers: rig.pool.peakOutstanding,
    outstandingAfterTeardown: 0,
  };
  rig.run(SECOND / 100);
  rig.teardown();
  result.outstandingAfterTeardown = rig.pool.outstanding;
  return result;
}
