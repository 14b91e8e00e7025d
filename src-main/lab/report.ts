import type { DriverReport } from './drivers/student/oops';
import type { Host } from './host/host';
import { devFlagsInside, devGetFlags, devGetStats } from './netdev/dev';
import { FATE_KEYS } from './netdev/fate';
import { flagNames } from './netdev/flags';
import type { Segment } from './segment/segment';
import type { SinkResults } from './traffic/sink';
import { formatIpv4 } from './wire/ipv4-addr';

/** Every counter of a run, as the CLI's --json writes it. Plain data: numbers, strings, arrays. */
export interface LabReport {
  simTimeNs: number;
  hosts: Record<string, HostReport>;
  sinks: SinkResults[];
  segment: {
    frames: number;
    bytes: number;
    collisions: number;
    aborted: number;
    lost: number;
    corrupted: number;
    utilisation: number;
  };
}

export interface HostReport {
  devices: Record<string, DeviceReport>;
  snmp: { Ip: Record<string, number>; Icmp: Record<string, number>; Udp: Record<string, number> };
  softnet: { processed: number; dropped: number; timeSqueeze: number };
  cpu: { busyNs: number; wastedNs: number };
  /** UDP sockets: addresses, receive memory, and where the last datagram read lay in its buffer. */
  sockets: SocketReport[];
  fates: Record<string, number>;
}

export interface SocketReport {
  id: number;
  local: string;
  rcvbuf: number;
  rmemAlloc: number;
  queued: number;
  read: number;
  drops: number;
  lastSkb: {
    mac: number;
    network: number;
    transport: number;
    data: number;
    tail: number;
    end: number;
    truesize: number;
  };
}

export interface DeviceReport {
  ifindex: number;
  /** The flags as today's tools print them (`dev_get_flags`: PROMISC/ALLMULTI as the user asked). */
  flags: string[];
  /** `dev->promiscuity` and `dev->allmulti`: how many parties asked (the user counts once). */
  promiscuity: number;
  allmulti: number;
  /** `dev->flags` inside the kernel: PROMISC/ALLMULTI however set (a 1996 driver's own IFF_PROMISC). */
  devFlags: string[];
  mac: string;
  mtu: number;
  mcList: string[];
  stats: Record<string, number> | null;
  nic: { model: string; filterMode: string; framesIn: number; framesFiltered: number };
  /** A register-level card's driver: its file, whether an oops broke it, and what the kernel said. */
  driver?: { file: string; broken: boolean; reports: DriverReport[] };
}

/** Reads the counters of `hosts` and `segment` at simulated time `now`. */
export function labReport(
  now: number,
  hosts: readonly Host[],
  segment: Segment,
  sinks: SinkResults[] = [],
): LabReport {
  const out: LabReport = {
    simTimeNs: now,
    hosts: {},
    sinks,
    segment: {
      frames: segment.stats.frames,
      bytes: segment.stats.bytes,
      collisions: segment.stats.collisions,
      aborted: segment.stats.aborted,
      lost: segment.stats.lost,
      corrupted: segment.stats.corrupted,
      utilisation: segment.utilisation(),
    },
  };
  for (const h of hosts) out.hosts[h.name] = hostReport(h, now);
  return out;
}

function hostReport(h: Host, now: number): HostReport {
  const devices: Record<string, DeviceReport> = {};
  for (const nic of h.nics) {
    const dev = nic.dev;
    const stats = devGetStats(dev);
    devices[dev.name] = {
      ifindex: dev.ifindex,
      flags: flagNames(devGetFlags(dev)),
      promiscuity: dev.promiscuity,
      allmulti: dev.allmulti,
      devFlags: flagNames(devFlagsInside(dev)),
      mac: dev.macText,
      mtu: dev.mtu,
      mcList: dev.mc.toStrings(),
      stats: stats ? { ...stats } : null,
      nic: {
        model: nic.model.name,
        filterMode: nic.filter.mode,
        framesIn: nic.hw.acceptedBy.reduce((a, b) => a + b, 0),
        framesFiltered: nic.hw.rejected,
      },
    };
  }
  for (const nic of h.registerNics) {
    const dev = nic.dev;
    const stats = devGetStats(dev);
    devices[dev.name] = {
      ifindex: dev.ifindex,
      flags: flagNames(devGetFlags(dev)),
      promiscuity: dev.promiscuity,
      allmulti: dev.allmulti,
      devFlags: flagNames(devFlagsInside(dev)),
      mac: dev.macText,
      mtu: dev.mtu,
      mcList: dev.mc.toStrings(),
      stats: stats ? { ...stats } : null,
      nic: {
        model: nic.card.kind,
        filterMode: 'driver',
        framesIn: nic.framesIn,
        framesFiltered: nic.framesFiltered,
      },
      driver: { file: nic.file, broken: nic.broken !== null, reports: [...nic.reports] },
    };
  }
  const fates: Record<string, number> = {};
  FATE_KEYS.forEach((key, stage) => (fates[key] = h.machine.fates.total(stage)));
  const mib = h.kernel.mib;
  mib.ip.DefaultTTL = h.kernel.sysctl.get('net.ipv4.ip_default_ttl');
  return {
    devices,
    snmp: { Ip: { ...mib.ip }, Icmp: { ...mib.icmp }, Udp: { ...mib.udp } },
    softnet: {
      processed: h.machine.softnet.processed,
      dropped: h.machine.softnet.dropped,
      timeSqueeze: h.machine.softnet.timeSqueeze,
    },
    // Time spent by now, not work charged ahead: a share over an interval stays within 100 %.
    // The unwanted share is part of the busy one.
    cpu: {
      busyNs: h.machine.cpu.busyBy(now),
      wastedNs: Math.min(h.machine.cpu.wastedNs, h.machine.cpu.busyBy(now)),
    },
    sockets: h.kernel.udp.sockets.map((s) => ({
      id: s.id,
      local: `${formatIpv4(s.localAddr)}:${s.localPort}`,
      rcvbuf: s.rcvbuf,
      rmemAlloc: s.rmemAlloc,
      queued: s.queued,
      read: s.read,
      drops: s.drops,
      lastSkb: { ...s.lastSkb },
    })),
    fates,
  };
}
