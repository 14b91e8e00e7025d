/**
 * `npm run bench`: the lab core's throughput on the scenario issue #3 sets —
 * 8 hosts on a 100 Mbps segment, one flooding 64-byte multicast frames at line
 * rate (148,809 frames/s), each frame seen by 7 NICs. Prints a table and JSON.
 * Run with --expose-gc so heap figures are taken after a full collection.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { runFlood, type FloodParams } from './flood';
import { runMulticast } from './multicast';

interface Row {
  scenario: string;
  framesOnWirePerWallSec: number;
  nicReceiveEventsPerWallSec: number;
  stackDeliveriesPerWallSec: number;
  realtimeFactor: number;
  eventsPerWallSec: number;
  /** JS heap (objects) per buffer in flight. */
  heapBytesPerFrameInFlight: number;
  /** Heap plus ArrayBuffer backing stores (the buffers' bytes) per buffer in flight. */
  totalBytesPerFrameInFlight: number;
  peakBuffersInFlight: number;
  gcShare: number;
  rxMissed: number;
  outstandingAfterTeardown: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

function memory(): { heap: number; total: number } {
  // Backing stores of dead ArrayBuffers go only after a second full collection.
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, total: m.heapUsed + m.arrayBuffers };
}

async function measure(name: string, params: FloodParams): Promise<Row> {
  runFlood({ ...params, seconds: params.seconds / 10 }); // warm up the JIT
  let gcMs = 0;
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcMs += e.duration;
  });
  obs.observe({ entryTypes: ['gc'] });
  const before = memory();
  let during = before;
  const r = runFlood(params, () => {
    during = memory();
  });
  // GC entries reach the observer asynchronously: let them arrive before disconnecting.
  await new Promise((resolve) => setTimeout(resolve, 50));
  obs.disconnect();
  const wall = r.wallSeconds;
  return {
    scenario: name,
    framesOnWirePerWallSec: Math.round(r.framesOnWire / wall),
    nicReceiveEventsPerWallSec: Math.round(r.nicReceiveEvents / wall),
    stackDeliveriesPerWallSec: Math.round(r.stackDeliveries / wall),
    realtimeFactor: +(r.simSeconds / wall).toFixed(3),
    eventsPerWallSec: Math.round(r.events / wall),
    heapBytesPerFrameInFlight: Math.round((during.heap - before.heap) / r.peakBuffers),
    totalBytesPerFrameInFlight: Math.round((during.total - before.total) / r.peakBuffers),
    peakBuffersInFlight: r.peakBuffers,
    gcShare: +(gcMs / 1000 / wall).toFixed(4),
    rxMissed: r.rxMissed,
    outstandingAfterTeardown: r.outstandingAfterTeardown,
  };
}

const seconds = Number(process.env.BENCH_SECONDS ?? 1);
const rows = [
  await measure('8 hosts, 100 Mbps, hash64 receivers', {
    hosts: 8,
    bitRate: 100e6,
    seconds,
    model: 'hash64',
  }),
  await measure('8 hosts, 100 Mbps, perfect receivers', {
    hosts: 8,
    bitRate: 100e6,
    seconds,
    model: 'perfect',
  }),
  await measure('8 hosts, 1 Gbps, hash64 receivers', {
    hosts: 8,
    bitRate: 1e9,
    seconds: seconds / 5,
    model: 'hash64',
  }),
];
/** Issue #4: the full stack, datagrams delivered to sockets per wall second. */
async function measureMulticast(name: string, bitRate: number, secs: number) {
  runMulticast({ hosts: 8, bitRate, seconds: secs / 10, model: 'hash64' });
  let gcMs = 0;
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcMs += e.duration;
  });
  obs.observe({ entryTypes: ['gc'] });
  const r = runMulticast({ hosts: 8, bitRate, seconds: secs, model: 'hash64' });
  await new Promise((resolve) => setTimeout(resolve, 50));
  obs.disconnect();
  return {
    scenario: name,
    socketDeliveriesPerWallSec: Math.round(r.socketDeliveries / r.wallSeconds),
    framesOnWirePerWallSec: Math.round(r.framesOnWire / r.wallSeconds),
    realtimeFactor: +(r.simSeconds / r.wallSeconds).toFixed(3),
    datagramsRead: r.datagramsRead,
    rcvbufErrors: r.rcvbufErrors,
    gcShare: +(gcMs / 1000 / r.wallSeconds).toFixed(4),
    outstandingAfterTeardown: r.outstandingAfterTeardown,
  };
}

const stackRows = [
  await measureMulticast('8 hosts, 100 Mbps, UDP multicast to sockets', 100e6, seconds),
];

if (!gc) console.warn('note: run with node --expose-gc for heap figures after collection');
console.log('Lab core (drivers and segment, no kernel):');
console.table(rows);
console.log('Full stack (socket, UDP, IP, ARP/IGMP, drivers, segment):');
console.table(stackRows);
console.log(JSON.stringify({ node: process.version, core: rows, stack: stackRows }, null, 2));
