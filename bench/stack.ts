import { Capture, type CapturePoint } from '../src-main/lab/capture/capture';
import type { NicModelName } from '../src-main/lab/drivers/nic-model';
import { UdpReader } from '../src-main/lab/host/udp-reader';
import { Lab } from '../src-main/lab/lab';
import { ROOT } from '../src-main/lab/netdev/cred';
import { SECOND } from '../src-main/lab/sim/time';

/** Issue #9's scenarios: the full stack, from sending socket to receiving socket. */
export interface StackParams {
  hosts: number;
  bitRate: number;
  seconds: number;
  /** Senders (the first hosts), each to its own group; they share the line rate. */
  senders: number;
  /** Receiving NIC model (senders use nofilter). */
  model: NicModelName;
  /** Capture at every device and on the segment (P4). */
  capture: boolean;
}

export interface StackResult {
  wallSeconds: number;
  simSeconds: number;
  framesOnWire: number;
  nicReceiveEvents: number;
  socketDeliveries: number;
  datagramsRead: number;
  rcvbufErrors: number;
  capturedFrames: number;
  captureBytes: number;
  peakBuffers: number;
  outstandingAfterTeardown: number;
}

const PORT = 5000;
/** 18 bytes of UDP data: a 64-byte frame, 672 bit times with preamble and gap. */
const PAYLOAD = 18;

/**
 * Sender i sends 18-byte datagrams to 239.1.1.(i+1) through its socket at
 * 1/senders of the line rate; every other host joined one group (round robin)
 * with a socket whose reader takes each datagram as soon as it is queued.
 */
export function runStack(p: StackParams, atEnd?: () => void): StackResult {
  const lab = new Lab({ seed: 9, segment: { bitRate: p.bitRate, delay: 500, duplex: 'half' } });
  const hosts = Array.from({ length: p.hosts }, (_, i) => lab.addHost(`h${i}`));
  hosts.forEach((h, i) =>
    lab.addInterface(h, {
      model: i < p.senders ? 'nofilter' : p.model,
      ip: `10.0.${i >> 8}.${(i & 0xff) + 1}/16`,
      txRing: 256,
    }),
  );
  const group = (i: number) => (0xef010101 + i) >>> 0; // 239.1.1.(i+1)
  const readers = hosts.slice(p.senders).map((h, i) => {
    const s = h.kernel.udp.socket();
    h.kernel.udp.bind(s, 0, PORT, ROOT);
    // Joined on the card by name, as the lab files' sinks do (no multicast route to pick one).
    h.kernel.udp.addMembership(s, group(i % p.senders), h.nics[0].dev);
    return new UdpReader(h.kernel, s, Infinity);
  });
  lab.run(SECOND / 100); // IGMP reports, ARP announcements
  let capture: Capture | null = null;
  if (p.capture) {
    const points: CapturePoint[] = hosts.map((h) => ({
      kind: 'device',
      name: `${h.name}:eth0`,
      host: h,
      dev: h.nics[0].dev,
    }));
    points.push({ kind: 'segment', name: 'segment', segment: lab.segment });
    capture = new Capture(points, lab.sched);
    capture.start();
  }
  const interval = (672 * SECOND * p.senders) / p.bitRate;
  const timers: { k: (typeof hosts)[number]['kernel']; t: number }[] = [];
  for (let i = 0; i < p.senders; i++) {
    const k = hosts[i].kernel;
    const sock = k.udp.socket();
    // Linux adds no multicast route: the sender names its interface (IP_MULTICAST_IF), as the
    // lab files' generators do (without it every send failed with ENETUNREACH).
    sock.mcIf = hosts[i].nics[0].dev;
    const dst = group(i);
    const t = k.timers.setup(() => {
      k.udp.sendto(sock, null, PAYLOAD, dst, PORT);
      k.timers.mod(t, lab.now + interval);
    });
    // Senders start spread over one interval, as independent machines would.
    k.timers.mod(t, lab.now + (i * interval) / p.senders);
    timers.push({ k, t });
  }
  const wire0 = lab.segment.stats.frames;
  const deliveries0 = lab.segment.stats.deliveries;
  const start = performance.now();
  lab.run(p.seconds * SECOND);
  const wallSeconds = (performance.now() - start) / 1000;
  atEnd?.();
  for (const { k, t } of timers) k.timers.del(t);
  capture?.stop();
  const socks = readers.map((r) => r.sock);
  const result: StackResult = {
    wallSeconds,
    simSeconds: p.seconds,
    framesOnWire: lab.segment.stats.frames - wire0,
    nicReceiveEvents: lab.segment.stats.deliveries - deliveries0,
    socketDeliveries: socks.reduce((n, s) => n + s.queued, 0),
    datagramsRead: readers.reduce((n, r) => n + r.datagrams, 0),
    rcvbufErrors: hosts.reduce((n, h) => n + h.kernel.mib.udp.RcvbufErrors, 0),
    capturedFrames: capture?.store.count ?? 0,
    captureBytes: capture?.store.memoryBytes() ?? 0,
    peakBuffers: lab.pool.peakOutstanding,
    outstandingAfterTeardown: 0,
  };
  for (const r of readers) r.stop();
  lab.run(SECOND / 100);
  lab.teardown();
  result.outstandingAfterTeardown = lab.pool.outstanding;
  return result;
}
