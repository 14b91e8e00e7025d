import { Lab } from '../src-main/lab/lab';
import { ROOT } from '../src-main/lab/netdev/cred';
import { SECOND } from '../src-main/lab/sim/time';
import { parseIpv4 } from '../src-main/lab/wire/ipv4-addr';
import type { NicModelName } from '../src-main/lab/drivers/nic-model';

export interface MulticastParams {
  hosts: number;
  bitRate: number;
  seconds: number;
  model: NicModelName;
}

export interface MulticastResult {
  wallSeconds: number;
  simSeconds: number;
  framesOnWire: number;
  socketDeliveries: number;
  datagramsRead: number;
  rcvbufErrors: number;
  peakBuffers: number;
  outstandingAfterTeardown: number;
}

const GROUP = parseIpv4('239.1.1.1')!;
const PORT = 5000;
const PAYLOAD = 18;

/**
 * The full stack under a line-rate flood: one host sends 18-byte UDP datagrams
 * to 239.1.1.1 (64-byte frames) at line rate through its socket, IP and driver;
 * every other host has joined the group with a socket whose reader takes each
 * datagram as soon as it is queued.
 */
export function runMulticast(p: MulticastParams, atEnd?: () => void): MulticastResult {
  const lab = new Lab({ seed: 9, segment: { bitRate: p.bitRate, delay: 500, duplex: 'half' } });
  const hosts = Array.from({ length: p.hosts }, (_, i) => lab.addHost(`h${i}`));
  hosts.forEach((h, i) =>
    lab.addInterface(h, {
      model: i === 0 ? 'nofilter' : p.model,
      ip: `10.0.0.${i + 1}/24`,
      txRing: 256,
    }),
  );
  const sockets = hosts.slice(1).map((h) => {
    const udp = h.kernel.udp;
    const s = udp.socket();
    udp.bind(s, 0, PORT, ROOT);
    udp.addMembership(s, GROUP, null);
    s.onDataReady = (sock) => {
      while (udp.recv(sock) >= 0);
    };
    return s;
  });
  lab.run(SECOND / 100); // IGMP reports, ARP announcements
  const sender = hosts[0].kernel;
  const tx = sender.udp.socket();
  // 64 bytes + 8 preamble + 12 gap = 672 bit times per frame at line rate.
  const interval = (672 * SECOND) / p.bitRate;
  const timer = sender.timers.setup(() => {
    sender.udp.sendto(tx, null, PAYLOAD, GROUP, PORT);
    sender.timers.mod(timer, lab.now + interval);
  });
  sender.timers.mod(timer, lab.now);
  const wireBefore = lab.segment.stats.frames;
  const start = performance.now();
  lab.run(p.seconds * SECOND);
  const wallSeconds = (performance.now() - start) / 1000;
  atEnd?.();
  sender.timers.del(timer);
  const result: MulticastResult = {
    wallSeconds,
    simSeconds: p.seconds,
    framesOnWire: lab.segment.stats.frames - wireBefore,
    socketDeliveries: sockets.reduce((n, s) => n + s.queued, 0),
    datagramsRead: sockets.reduce((n, s) => n + s.read, 0),
    rcvbufErrors: hosts.reduce((n, h) => n + h.kernel.mib.udp.RcvbufErrors, 0),
    peakBuffers: lab.pool.peakOutstanding,
    outstandingAfterTeardown: 0,
  };
  lab.run(SECOND / 100);
  lab.teardown();
  result.outstandingAfterTeardown = lab.pool.outstanding;
  return result;
}
