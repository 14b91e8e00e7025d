// Builds the API's views (ipc/views.ts) from the live lab. Interface state is read the way a tool
// reads it, through dev_ioctl's get commands and the driver's private ioctls, so a view shows
// what ifconfig would.
import { REGISTER_CARDS, type RegisterCardKind } from '../lab/drivers/cards';
import type { EtherNic } from '../lab/drivers/ether-nic';
import { StudentNic } from '../lab/drivers/student/student-nic';
import {
  NETLAB_GET_FILTER,
  NETLAB_GET_RING,
  type FilterInfo,
  type RingInfo,
} from '../lab/drivers/private-ioctl';
import type { Host } from '../lab/host/host';
import { ROOT } from '../lab/netdev/cred';
import { devFlagsInside, devGetStats } from '../lab/netdev/dev';
import { devIoctl } from '../lab/netdev/dev-ioctl';
import { flagNames } from '../lab/netdev/flags';
import {
  SIOCGIFFLAGS,
  SIOCGIFHWADDR,
  SIOCGIFINDEX,
  SIOCGIFMAP,
  SIOCGIFMTU,
  SIOCGIFTXQLEN,
} from '../lab/netdev/ioctl';
import type { IfReq } from '../lab/netdev/ops';
import { formatBitRate, formatDuration, formatRate } from '../lab/labfile/units';
import type { HostSpec } from '../lab/labfile/schema';
import type { Generator } from '../lab/traffic/generator';
import { formatIpv4 } from '../lab/wire/ipv4-addr';
import { formatMac } from '../lab/wire/mac';
import type {
  GeneratorView,
  HostView,
  InterfaceView,
  LabView,
  RunState,
  Stats,
} from '../ipc/views';
import type { Attempt } from './attempt';
import { exerciseView } from './exercise-ops';
import { hostNetView } from './host-net';
import type { LabState } from './lab-state';

/** A card as the window lists it: a built-in model, or a register-level card a driver runs. */
type AnyNic = EtherNic | StudentNic;

/** A host's cards in the order its kernel registered them (the lab file's order). */
function cardsOf(host: Host): AnyNic[] {
  return [...host.nics, ...host.registerNics].sort((a, b) => a.dev.ifindex - b.dev.ifindex);
}

/** Runs a get ioctl as root and returns the filled request (a get cannot fail on a present device). */
function get(nic: AnyNic, cmd: number): IfReq {
  const ifr: IfReq = {};
  devIoctl(nic.dev, cmd, ifr, ROOT);
  return ifr;
}

export function interfaceView(state: LabState, host: Host, nic: AnyNic): InterfaceView {
  const dev = nic.dev;
  const k = host.kernel;
  const map = get(nic, SIOCGIFMAP).map ?? {
    memStart: 0,
    memEnd: 0,
    baseAddr: 0,
    irq: 0,
    dma: 0,
    port: 0,
  };
  const hwaddr = get(nic, SIOCGIFHWADDR).hwaddr;
  const filter = get(nic, NETLAB_GET_FILTER).data as FilterInfo | undefined;
  const ring = get(nic, NETLAB_GET_RING).data as RingInfo | undefined;
  const stats = devGetStats(dev);
  const inDev = k.inDev(dev);
  const prefix = `${host.name}/${dev.name}/`;
  return {
    host: host.name,
    name: dev.name,
    ifindex: get(nic, SIOCGIFINDEX).ifindex ?? dev.ifindex,
    flags: flagNames(get(nic, SIOCGIFFLAGS).flags ?? 0),
    devFlags: flagNames(devFlagsInside(dev)),
    mac: hwaddr ? formatMac(hwaddr) : dev.macText,
    mtu: get(nic, SIOCGIFMTU).mtu ?? dev.mtu,
    txQueueLen: get(nic, SIOCGIFTXQLEN).qlen ?? dev.txQueueLen,
    map: { ...map },
    addresses: inDev.addrs.map((a) => `${formatIpv4(a.local)}/${a.prefixLen}`),
    segment: host.cableOf(nic)?.segment.name ?? null,
    mcList: [...dev.mc].map((m) => ({
      mac: formatMac(m.addr),
      users: m.refcount,
      static: m.globalUse,
    })),
    groups: inDev.mcList.map((m) => ({ group: formatIpv4(m.group), users: m.users })),
    joined: [...state.joins.keys(), ...state.appKeys()]
      .filter((key) => key.startsWith(prefix))
      .map((key) => key.slice(prefix.length)),
    model: nic instanceof StudentNic ? nic.card.kind : nic.model.name,
    modelDescription:
      nic instanceof StudentNic
        ? `${REGISTER_CARDS[nic.card.kind as RegisterCardKind].description} (${nic.file})`
        : nic.model.description,
    filter: filter ? { ...filter, accepted: { ...filter.accepted } } : null,
    ring: ring ? { ...ring } : null,
    stats: stats ? { ...stats } : null,
  };
}

export function hostView(state: LabState, host: Host): HostView {
  return {
    name: host.name,
    cpuPerFrameNs: host.machine.cpu.perFrame,
    prompt: state.shells.get(host.name)?.prompt ?? '',
    interfaces: cardsOf(host).map((nic) => interfaceView(state, host, nic)),
    file: hostFileView(state.spec.hosts.find((h) => h.name === host.name)),
    net: hostNetView(host),
  };
}

/** The host's forwarding, bridges and routes as its lab file gives them (Linux's defaults filled in). */
function hostFileView(spec: HostSpec | undefined): HostView['file'] {
  return {
    ipForward: spec?.sysctl?.['net.ipv4.ip_forward'] === 1,
    bridges: (spec?.bridges ?? []).map((b) => ({
      name: b.name,
      ports: [...b.ports],
      ip: b.ip ?? null,
      // A new Linux bridge snoops (multicast_snooping 1) and is no querier (multicast_querier 0).
      mcastSnooping: b.mcastSnooping ?? true,
      querier: b.querier ?? false,
    })),
    routes: (spec?.routes ?? []).map((r) => ({
      to: r.to,
      via: r.via ?? null,
      dev: r.dev ?? null,
      metric: r.metric ?? 0,
    })),
  };
}

export function generatorView(state: LabState, index: number): GeneratorView {
  const plan = state.session.built.generators[index];
  const gen: Generator = state.session.generators[index];
  const s = gen.stats();
  return {
    index,
    name: plan.name,
    host: plan.host.name,
    dev: plan.nic.dev.name,
    to: plan.destText,
    port: plan.port,
    pattern: plan.pattern,
    rate:
      plan.rate === undefined
        ? `line rate (${formatBitRate((plan.host.cableOf(plan.nic)?.segment ?? state.lab.segment).bitRate)})`
        : formatRate(plan.rate),
    count: plan.count ?? null,
    sizes: [...plan.sizes],
    start: plan.startNs > 0 ? formatDuration(plan.startNs) : null,
    stop: plan.stopNs === Infinity ? null : formatDuration(plan.stopNs),
    on: plan.onNs > 0 ? formatDuration(plan.onNs) : null,
    off: plan.offNs > 0 ? formatDuration(plan.offNs) : null,
    active: gen.active,
    sent: s.sent,
    attempts: s.attempts,
    sendErrors: s.sendErrors,
  };
}

export function generatorViews(state: LabState): GeneratorView[] {
  return state.session.built.generators.map((_, i) => generatorView(state, i));
}

export function labView(state: LabState, run: RunState, attempt: Attempt | null): LabView {
  const lab = state.lab;
  const spec = state.spec;
  return {
    name: spec.name ?? '',
    description: spec.description ?? '',
    fileName: state.fileName,
    unsaved: state.unsaved,
    seed: spec.seed ?? 1,
    segment: {
      bitRate: lab.segment.bitRate,
      delayNs: lab.segment.delay,
      duplex: lab.segment.duplex,
    },
    segments: lab.segments.map((seg) => ({
      name: seg.name,
      bitRate: seg.bitRate,
      delayNs: seg.delay,
      duplex: seg.duplex,
      cable: seg.isCable,
      stations: lab.hosts.flatMap((h) =>
        cardsOf(h)
          .filter((n) => h.cableOf(n)?.segment === seg)
          .map((n) => `${h.name}:${n.dev.name}`),
      ),
    })),
    hosts: lab.hosts.map((h) => hostView(state, h)),
    generators: generatorViews(state),
    ports: state.ports.views(),
    capture: state.capture.state(),
    run,
    exercise: exerciseView(spec, attempt, lab.now),
  };
}

/**
 * The statistics now. `netSent`, for a push: each host's `net` view as last pushed (JSON), which
 * this updates; only the hosts whose view changed since are in `net` (a window keeps the rest).
 * Without it (a `stats.get` reply), every host's.
 */
export function statsView(state: LabState, run: RunState, netSent?: Map<string, string>): Stats {
  const net: Stats['net'] = {};
  for (const h of state.lab.hosts) {
    const view = hostNetView(h);
    if (netSent) {
      const text = JSON.stringify(view);
      if (netSent.get(h.name) === text) continue;
      netSent.set(h.name, text);
    }
    net[h.name] = view;
  }
  return {
    report: state.session.report(),
    generators: generatorViews(state),
    ports: state.ports.views(),
    capture: state.capture.state(),
    run,
    net,
  };
}
