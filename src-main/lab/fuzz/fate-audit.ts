import type { Host } from '../host/host';
import type { Lab } from '../lab';
import {
  FATE_BACKLOG,
  FATE_CONSUMED,
  FATE_DELIVERED,
  FATE_DEV_DROP,
  FATE_HDR_ERROR,
  FATE_HW_FILTER,
  FATE_KEYS,
  FATE_MARTIAN,
  FATE_FORWARDED,
  FATE_NEIGH_FAILED,
  FATE_NO_ROUTE,
  FATE_NO_PROTOCOL,
  FATE_NO_SOCKET,
  FATE_NOT_FOR_HOST,
  FATE_NOT_JOINED,
  FATE_RCVBUF_FULL,
  FATE_RING_FULL,
  FATE_RX_ERROR,
} from '../netdev/fate';
import type { ExternalPort } from '../segment/external-port';

/**
 * The books on every frame of a lab: did each frame that reached a host end
 * in exactly one fate, and do the fates agree with the counters that Linux
 * keeps for the same events?
 *
 * What "reached a host" means, from counters that are each incremented in one
 * place and nowhere else:
 *
 * - `seen`: the NIC's receive calls while it was running. Every call goes
 *   through the address filter first, and the filter's verdict is counted
 *   before anything else happens: `hw.rejected + Σ hw.acceptedBy`. (A card
 *   that is down has its receiver off and sees nothing.)
 * - Independently, from the wire: the segment delivers each frame that was
 *   sent whole (not collided, not lost) to every other plugged station. Every
 *   frame sent whole was sent by the external port (`fromOutside`) or by a
 *   card (`tx_packets`), so a card that was up and plugged throughout saw
 *   `onWire − its own tx_packets` frames.
 *
 * Then Σ fates = seen per host, and over the lab Σ fates = H × injected +
 * (H − 1) × Σ tx_packets: the injected frames reach all H hosts, the hosts'
 * own frames (ARP replies, ICMP errors, echo replies, IGMP reports) the H − 1
 * others.
 *
 * A multicast datagram that several sockets of one host match is delivered to
 * each of them (a clone each) and gets a fate per socket: the fuzz labs give
 * each datagram at most one matching socket per host, so fates = frames.
 */

export interface HostAudit {
  host: string;
  /** NIC receive calls while running: filter rejects + filter accepts. */
  seen: number;
  /** Frames whole on the wire that were not this host's own. */
  onWireNotOwn: number;
  fates: number;
  /** Fates by stage (FATE_KEYS). */
  stages: Record<string, number>;
  /** Frames this host's cards put on the wire whole. */
  txPackets: number;
  /** Each disagreement between fates and counters, as text (empty when the books balance). */
  problems: string[];
}

export interface LabAudit {
  hosts: HostAudit[];
  /** Frames whole on the wire: the injected ones plus the hosts' own. */
  onWire: number;
  /** Injected frames that went on the wire whole: `onWire` less the hosts' own. */
  injectedOnWire: number;
  /**
   * Injected frames the port was told went out (`fromOutside`) that did not:
   * runts shorter than the collision window collide without their sender
   * hearing it, as on a real wire (which is why Ethernet has a minimum frame).
   */
  undetectedCollisions: number;
  hostFramesOnWire: number;
  totalFates: number;
  problems: string[];
}

function stageTotals(h: Host): Record<string, number> {
  const t = h.machine.fates.totals;
  return Object.fromEntries(FATE_KEYS.map((k, i) => [k, t[i]]));
}

/**
 * Audits one host. `wholeRun` says its cards were up and plugged from the
 * first frame on, so `seen` must equal what the wire carried; `settled` that
 * the run was let go quiet (rings, backlog and socket traffic drained), so the
 * per-stage counters must match exactly.
 */
export function auditHost(
  h: Host,
  onWire: number,
  opts: { wholeRun: boolean; settled: boolean },
): HostAudit {
  const f = h.machine.fates.totals;
  const k = h.kernel;
  const problems: string[] = [];
  const eq = (what: string, a: number, b: number) => {
    if (a !== b) problems.push(`${h.name}: ${what}: ${a} ≠ ${b}`);
  };
  let seen = 0;
  let rejected = 0;
  let rxErrors = 0;
  let missed = 0;
  let rxPackets = 0;
  let rxDropped = 0;
  let txPackets = 0;
  let pending = 0;
  for (const n of h.nics) {
    rejected += n.hw.rejected;
    seen += n.hw.rejected;
    for (const a of n.hw.acceptedBy) seen += a;
    rxErrors += n.stats.rx_length_errors + n.stats.rx_crc_errors;
    eq(
      `${n.name} rx_errors = length + crc`,
      n.stats.rx_errors,
      n.stats.rx_length_errors + n.stats.rx_crc_errors,
    );
    missed += n.stats.rx_missed_errors;
    rxPackets += n.stats.rx_packets;
    rxDropped += n.stats.rx_dropped;
    txPackets += n.stats.tx_packets;
    pending += n.rx?.pending ?? 0;
  }
  let fates = 0;
  for (const x of f) fates += x;
  // Frames still in a ring or the backlog have no fate yet.
  eq(
    'Σ fates + frames still held = frames the NICs saw',
    fates + pending + h.machine.softnet.backlog.qlen,
    seen,
  );
  const onWireNotOwn = onWire - txPackets;
  if (opts.wholeRun)
    eq('frames the NICs saw = frames on the wire not their own', seen, onWireNotOwn);
  // The hardware's part: each counter and its stage.
  eq('hardware filter fates = hw.rejected', f[FATE_HW_FILTER], rejected);
  eq('rx error fates = rx_length_errors + rx_crc_errors', f[FATE_RX_ERROR], rxErrors);
  eq('ring full fates = rx_missed_errors', f[FATE_RING_FULL], missed);
  eq('backlog fates = softnet dropped', f[FATE_BACKLOG], h.machine.softnet.dropped);
  // What the NICs let in and did not lose is what they handed up, or still hold.
  let accepted = 0;
  for (const n of h.nics) for (const a of n.hw.acceptedBy) accepted += a;
  // (A ring freed by a stop or an MTU change drops what it held, so only while settled.)
  if (opts.settled)
    eq(
      'accepted = rx errors + missed + rx_packets + ring pending',
      accepted,
      rxErrors + missed + rxPackets + pending,
    );
  // rx_dropped: backlog drops, and device drops (a frame for a device that is down, or one
  // its stopped ring or the backlog still held).
  eq('rx_dropped = backlog + device drops', rxDropped, f[FATE_BACKLOG] + f[FATE_DEV_DROP]);
  if (opts.settled) {
    const kernelFates =
      f[FATE_NOT_FOR_HOST] +
      f[FATE_NOT_JOINED] +
      f[FATE_NO_SOCKET] +
      f[FATE_RCVBUF_FULL] +
      f[FATE_DELIVERED] +
      f[FATE_CONSUMED] +
      f[FATE_HDR_ERROR] +
      f[FATE_NO_PROTOCOL] +
      f[FATE_DEV_DROP] +
      f[FATE_MARTIAN] +
      f[FATE_FORWARDED] +
      f[FATE_NEIGH_FAILED] +
      f[FATE_NO_ROUTE];
    // What came back through `lo` (an ICMP error this host sent itself, as for its own datagram
    // whose next hop never answered ARP) was processed too, but was never a wire frame: no fate.
    const lo = k.lo;
    const looped = lo.ops.getStats?.(lo)?.rx_packets ?? 0;
    const processed = h.machine.softnet.processed - looped;
    eq('rx_packets = backlog drops + softnet processed', rxPackets, f[FATE_BACKLOG] + processed);
    eq('softnet processed = kernel fates', processed, kernelFates);
    const ip = k.mib.ip;
    const udp = k.mib.udp;
    eq(
      'unknown protocol fates = unknownProtocol + Ip InUnknownProtos',
      f[FATE_NO_PROTOCOL],
      k.unknownProtocol + ip.InUnknownProtos,
    );
    eq('rcvbuf full fates = Udp RcvbufErrors', f[FATE_RCVBUF_FULL], udp.RcvbufErrors);
    // A forwarded datagram whose next hop's ARP failed moved from `forwarded` to its own fate.
    eq(
      'forwarded + neighbour failed fates = Ip ForwDatagrams',
      f[FATE_FORWARDED] + f[FATE_NEIGH_FAILED],
      ip.ForwDatagrams,
    );
    eq('no route fates = IpExt InNoRoutes', f[FATE_NO_ROUTE], k.inNoRoutes);
    eq(
      'no socket fates = Udp NoPorts + IgnoredMulti',
      f[FATE_NO_SOCKET],
      udp.NoPorts + udp.IgnoredMulti,
    );
    let queued = 0;
    for (const s of k.udp.sockets) queued += s.queued;
    // Delivered: to a UDP socket, or an echo reply to a ping socket (none in these labs).
    eq('delivered fates = datagrams queued to sockets', f[FATE_DELIVERED], queued);
    // Header errors: the counted ones, plus IGMP and ARP, which Linux counts nowhere. (Icmp
    // InErrors also counts well-formed messages refused for coming to a broadcast or a group.)
    const counted =
      ip.InHdrErrors +
      ip.ReasmFails +
      (udp.InErrors - udp.RcvbufErrors) +
      (k.mib.icmp.InErrors - k.icmp.toGroupErrors);
    if (f[FATE_HDR_ERROR] < counted)
      problems.push(`${h.name}: header error fates ${f[FATE_HDR_ERROR]} < counted ${counted}`);
    // Martians: each one input routing counts (in_martian_src, in_martian_dst) is dropped there;
    // Linux counts none of those to a group, nor ARP requests about a group or loopback address.
    const martians = k.rtStat.inMartianSrc + k.rtStat.inMartianDst;
    if (f[FATE_MARTIAN] < martians)
      problems.push(`${h.name}: martian fates ${f[FATE_MARTIAN]} < counted ${martians}`);
    eq(
      'Ip InDelivers = UDP + ICMP + IGMP receptions',
      ip.InDelivers,
      udp.NoPorts +
        udp.IgnoredMulti +
        udp.RcvbufErrors +
        queued +
        (udp.InErrors - udp.RcvbufErrors) +
        k.mib.icmp.InMsgs +
        igmpReceived(h),
    );
  }
  return {
    host: h.name,
    seen,
    onWireNotOwn,
    fates,
    stages: stageTotals(h),
    txPackets,
    problems,
  };
}

/** IGMP messages that reached igmp_rcv: there is no counter, so it is what is left of InDelivers. */
function igmpReceived(h: Host): number {
  const ip = h.kernel.mib.ip;
  const udp = h.kernel.mib.udp;
  let queued = 0;
  for (const s of h.kernel.udp.sockets) queued += s.queued;
  const udpIn =
    udp.NoPorts + udp.IgnoredMulti + udp.RcvbufErrors + queued + (udp.InErrors - udp.RcvbufErrors);
  return ip.InDelivers - udpIn - h.kernel.mib.icmp.InMsgs;
}

/** Audits every host of `lab`, with `ports` the external ports that injected frames. */
export function auditLab(
  lab: Lab,
  ports: readonly ExternalPort[],
  opts: { wholeRun: boolean; settled: boolean },
): LabAudit {
  const seg = lab.segment.stats;
  let sentByPorts = 0;
  for (const p of ports) sentByPorts += p.stats.fromOutside;
  let hostFramesOnWire = 0;
  for (const h of lab.hosts) for (const n of h.nics) hostFramesOnWire += n.stats.tx_packets;
  const onWire = seg.frames - seg.lost;
  const injectedOnWire = onWire - hostFramesOnWire;
  const hosts = lab.hosts.map((h) => auditHost(h, onWire, opts));
  const problems = hosts.flatMap((a) => a.problems);
  const undetectedCollisions = sentByPorts - injectedOnWire;
  if (opts.settled && undetectedCollisions < 0)
    problems.push(
      `frames on the wire ${onWire} > sent by the ports ${sentByPorts} + the hosts ${hostFramesOnWire}`,
    );
  let totalFates = 0;
  for (const a of hosts) totalFates += a.fates;
  if (opts.wholeRun && opts.settled) {
    const H = lab.hosts.length;
    const expected = H * injectedOnWire + (H - 1) * hostFramesOnWire;
    if (totalFates !== expected)
      problems.push(
        `Σ fates ${totalFates} ≠ ${H} hosts × ${injectedOnWire} injected + ${H - 1} × ${hostFramesOnWire} hosts' own`,
      );
  }
  return {
    hosts,
    onWire,
    injectedOnWire,
    undetectedCollisions,
    hostFramesOnWire,
    totalFates,
    problems,
  };
}
