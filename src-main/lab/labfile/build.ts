import { REFERENCE_DRIVERS, type RegisterCardKind } from '../drivers/cards';
import type { DriverSource } from '../drivers/student/student-nic';
import type { NetDevice } from '../netdev/net-device';
import { isRegisterCard } from './schema/hosts';
import type { Host } from '../host/host';
import { Lab, type InterfaceOptions, type LabOptions, type SegmentOptions } from '../lab';
import { ROOT } from '../netdev/cred';
import { devChangeFlags, devGetFlags, devOpen, devSetMtu, devSetTxQueueLen } from '../netdev/dev';
import { netifTxFreeze, netifTxThaw } from '../netdev/dev-xmit';
import { US } from '../sim/time';
import { describeErrno } from '../netdev/errno';
import { IFF_ALLMULTI, IFF_PROMISC } from '../netdev/flags';
import type { SegmentFaults } from '../segment/segment';
import { inetRtmNewRoute } from '../kernel/fib-frontend';
import type { RouteRequest } from '../kernel/route';
import { parseIpv4, parseIpv4Prefix } from '../wire/ipv4-addr';
import { parseMac } from '../wire/mac';
import { InvalidLabSpecError } from './errors';
import { validateLabData } from './load';
import { toLabData } from './save';
import type { BridgeSpec } from './schema/bridges';
import {
  DEFAULT_PAYLOAD_SIZE,
  type InterfaceSpec,
  type LabSpec,
  type Pattern,
  type RouteSpec,
  type SegmentSpec,
} from './schema';
import type { Rate } from './units';

/**
 * Building a Lab from a spec: the segments (seed, bit rate, delay, duplex,
 * faults; one `segment:` or several named `segments:`), the hosts (CPU cost per frame, sysctls set as root) and their
 * cards (model, address, MAC, IRQ, I/O base, MTU, flags, rings, filter), each
 * brought up unless the spec says `up: false`.
 *
 * Traffic and captures are not started here: `buildLab` returns them as
 * plans, with every default applied and every name resolved to its host and
 * card. The caller must, before running the lab and in list order (so that
 * one seed gives one run): start one generator per `GeneratorPlan` (traffic/),
 * open one sink per `SinkPlan` (a UDP socket bound to its port, joined to its
 * group on its card, read at its `readRate`), and attach one capture point per
 * `CapturePlan` (capture/).
 */

/** A card of either kind (built-in or register-level) as plans name it: by its device. */
export interface CardRef {
  readonly name: string;
  readonly dev: NetDevice;
}

/** A traffic generator to start: UDP datagrams from `nic` to `dest`:`port`. */
export interface GeneratorPlan {
  name: string;
  host: Host;
  /** The card it sends from: the one `from` named, or the host's first. */
  nic: CardRef;
  /** Destination address in host order (see wire/ipv4-addr.ts), and as text. */
  dest: number;
  destText: string;
  port: number;
  pattern: Pattern;
  /** How fast; absent when only `count` was given (then: as fast as the queue takes them). */
  rate?: Rate;
  /** How many datagrams in all; absent for no limit. */
  count?: number;
  /** Payload sizes in bytes, used in turn; one entry for a fixed size. */
  sizes: number[];
  startNs: number;
  /** Infinity: until the run ends. */
  stopNs: number;
  /** On/off burst lengths (pattern onoff), 0 otherwise. */
  onNs: number;
  offNs: number;
}

/** A receiving application: a `join` entry of a host, or an entry of `sinks`. */
export interface SinkPlan {
  name: string;
  host: Host;
  /** The card that joins the group: the one named, or the host's first. */
  nic: CardRef;
  port: number;
  /** The group to join in host order, and as text; null for a sink of unicast/broadcast traffic. */
  group: number | null;
  groupText: string | null;
  /** Datagrams read per second; Infinity reads each one as it arrives. */
  readRate: number;
  origin: 'join' | 'sinks';
}

/** A segment's wire (by name; absent: the lab's first), or a card. */
export type CapturePlan =
  { kind: 'segment'; segment?: string } | { kind: 'device'; host: Host; nic: CardRef };

export interface BuiltLab {
  lab: Lab;
  spec: LabSpec;
  generators: GeneratorPlan[];
  sinks: SinkPlan[];
  captures: CapturePlan[];
}

/**
 * Reads a driver's source for a register-level card: `file` as the lab file
 * names it (relative to the lab file), or null for the card's reference driver
 * (resources/drivers). The lab core reads no files: the CLI and the app do.
 */
export type DriverReader = (file: string | null, card: RegisterCardKind) => DriverSource;

/** The key a reference driver is sent under (beside the lab file's own driver files). */
export const referenceKey = (card: RegisterCardKind) => `reference:${REFERENCE_DRIVERS[card]}`;

/**
 * A DriverReader over sources already read (the app's engine gets them with the lab file's
 * text): the lab file's driver files by name, the reference drivers by `referenceKey`.
 */
export function driverReaderOf(sources: Readonly<Record<string, string>>): DriverReader {
  return (file, card) => {
    const key = file ?? referenceKey(card);
    const source = Object.hasOwn(sources, key) ? sources[key] : undefined;
    if (source === undefined)
      throw new Error(
        file === null
          ? `the reference driver ${REFERENCE_DRIVERS[card]} was not found beside the app`
          : `the driver file ${file} was not read (a lab opened by its text has no folder to read it from: open it from its file)`,
      );
    return { file: file ?? REFERENCE_DRIVERS[card], source };
  };
}

/**
 * The driver files a lab file names (each relative to the lab file), and the cards whose
 * reference driver it needs: a card without a file, a driver exercise's solution (the driver
 * shown to the student and loaded by `check --solution`) and its starter (made from it).
 */
export function driverFilesOf(spec: LabSpec): { files: string[]; references: RegisterCardKind[] } {
  const files = new Set<string>();
  const references = new Set<RegisterCardKind>();
  const cardOf = (host: string, dev: string) => {
    const nic = spec.hosts
      .find((h) => h.name === host)
      ?.interfaces?.find((i) => i.name === dev)?.nic;
    return nic !== undefined && isRegisterCard(nic) ? nic : null;
  };
  for (const h of spec.hosts)
    for (const i of h.interfaces ?? []) {
      if (!isRegisterCard(i.nic)) continue;
      if (i.driver) files.add(i.driver.file);
      else references.add(i.nic);
      if (i.driver && i.driver.file === spec.exercise?.starter?.file) references.add(i.nic);
    }
  for (const d of spec.exercise?.solution?.drivers ?? []) {
    const card = cardOf(d.host, d.dev);
    if (card === null) continue; // the solution's own check names it
    if (d.file !== undefined) files.add(d.file);
    else references.add(card);
  }
  return { files: [...files], references: [...references] };
}

/** Whether building `spec` runs a driver in the sandbox (so `loadQuickJS()` must be awaited first). */
export function needsDriverSandbox(spec: LabSpec): boolean {
  return spec.hosts.some((h) => (h.interfaces ?? []).some((i) => isRegisterCard(i.nic)));
}

/**
 * Builds the lab `spec` describes. Throws InvalidLabSpecError if the spec does not validate.
 * A lab with register-level cards needs `readDriver` for their drivers' sources.
 */
export function buildLab(spec: LabSpec, readDriver?: DriverReader): BuiltLab {
  // A spec from parseLabSpec is valid; one a program assembled may not be. Checking
  // it again (in the file's form) costs little and means nothing is half built.
  const checked = validateLabData(toLabData(spec), spec.name ?? 'lab');
  if (checked.errors) throw new InvalidLabSpecError(checked.errors);

  const lab = new Lab(labOptions(spec));
  const segSpecs = spec.segments ?? (spec.segment ? [spec.segment] : []);
  segSpecs.forEach((seg, i) => {
    const faults = seg.faults;
    if (!faults) return;
    const set: Partial<SegmentFaults> = {};
    if (faults.bitErrorRate !== undefined) set.bitErrorRate = faults.bitErrorRate;
    if (faults.lossRate !== undefined) set.lossRate = faults.lossRate;
    lab.segments[i].setFaults(set);
  });
  const boot = bootDelays(spec.seed ?? 0, spec.hosts.length);
  spec.hosts.forEach((hs, i) => {
    const host = lab.addHost(hs.name, hs.cpu?.perFrame);
    for (const [name, value] of Object.entries(hs.sysctl ?? {})) {
      expectOk(host.kernel.sysctl.set(name, value, ROOT), `${hs.name}: sysctl ${name}=${value}`);
    }
    for (const is of hs.interfaces ?? []) addInterface(lab, host, is, boot[i] > 0, readDriver);
    for (const bs of hs.bridges ?? []) addBridge(host, bs);
    for (const rs of hs.routes ?? []) addRoute(host, rs);
    if (boot[i] > 0) bootAt(host, boot[i]);
  });
  return {
    lab,
    spec,
    generators: planGenerators(lab, spec),
    sinks: planSinks(lab, spec),
    captures: (spec.captures ?? []).map((c) =>
      c.kind === 'segment'
        ? c
        : { kind: 'device', host: lab.host(c.host), nic: nicOf(lab.host(c.host), c.dev) },
    ),
  };
}

/** Boot delays are whole multiples of this, each host's its own: far apart for carrier sense. */
export const BOOT_STEP_NS = 10 * US;
/** Boot delays fall in [0, BOOT_SLOTS × BOOT_STEP_NS): 0.2 ms, too short to notice. */
const BOOT_SLOTS = 20;

/**
 * Each host's boot delay: when its cards' transmitters start. Real machines do not finish
 * booting in the same nanosecond; were every host's first frames (IGMP reports, ARP requests,
 * a generator's first datagram) sent at 0 ns, a capture would open on a pile-up of collision
 * fragments. A host's delay comes from the lab's seed and its position alone (the lab's random
 * streams are untouched), in its own slot of BOOT_STEP_NS, so no two hosts start together.
 */
export function bootDelays(seed: number, hosts: number): number[] {
  const taken = new Set<number>();
  const out: number[] = [];
  for (let i = 0; i < hosts; i++) {
    let slot = mix(mix(seed, i), i) % BOOT_SLOTS;
    // More hosts than slots share the spread in turn.
    if (taken.size < BOOT_SLOTS) while (taken.has(slot)) slot = (slot + 1) % BOOT_SLOTS;
    taken.add(slot);
    out.push(slot * BOOT_STEP_NS);
  }
  return out;
}

/** A 32-bit integer hash of (seed, i) (splitmix32's finaliser). */
function mix(seed: number, i: number): number {
  let x = (Math.imul(seed | 0, 0x9e3779b9) + Math.imul(i + 1, 0x85ebca6b)) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * The host has booted at `delay`: its cards' transmit queues, held since they were opened, let
 * go what the host sent meanwhile (in order). The cards are up from 0 ns (a lab's state at its
 * start is as its file says); only the wire waits.
 */
function bootAt(host: Host, delay: number): void {
  // Its jiffies count from now on: timers in jiffies (the first IGMP report) tick on its clock.
  host.kernel.bootNs = delay;
  const devs = [...host.nics, ...host.registerNics].map((n) => n.dev);
  const timers = host.kernel.timers;
  const timer = timers.setup(() => {
    timers.free(timer);
    for (const dev of devs) netifTxThaw(dev);
  });
  timers.mod(timer, delay);
}

function labOptions(spec: LabSpec): LabOptions {
  const options: LabOptions = {};
  if (spec.seed !== undefined) options.seed = spec.seed;
  if (spec.segments)
    options.segments = spec.segments.map((s) => ({ name: s.name, ...segmentOptions(s) }));
  else if (spec.segment) options.segment = segmentOptions(spec.segment);
  return options;
}

function segmentOptions(seg: SegmentSpec): SegmentOptions {
  const o: SegmentOptions = {};
  if (seg.rate !== undefined) o.bitRate = seg.rate;
  if (seg.delay !== undefined) o.delay = seg.delay;
  if (seg.duplex !== undefined) o.duplex = seg.duplex;
  return o;
}

/** A validated spec cannot fail here; if the lab refuses anyway, that is a bug worth a loud error. */
function expectOk(ret: number, what: string): void {
  if (ret !== 0) throw new Error(`${what} failed: ${describeErrno(ret)}`);
}

function addInterface(
  lab: Lab,
  host: Host,
  is: InterfaceSpec,
  booting: boolean,
  readDriver: DriverReader | undefined,
): void {
  // Only the fields the spec sets: an undefined one would override the card's default.
  const options: InterfaceOptions = { name: is.name, up: false };
  if (!isRegisterCard(is.nic)) options.model = is.nic;
  if (is.segment !== undefined) options.segment = is.segment;
  if (is.ip !== undefined) options.ip = is.ip;
  if (is.mac !== undefined) options.mac = parseMac(is.mac)!;
  if (is.irq !== undefined) options.irq = is.irq;
  if (is.io !== undefined) options.baseAddr = is.io;
  if (is.rxRing !== undefined) options.rxRing = is.rxRing;
  if (is.txRing !== undefined) options.txRing = is.txRing;
  if (is.entries !== undefined) options.entries = is.entries;
  if (is.fallback !== undefined) options.fallback = is.fallback;
  if (is.napiWeight !== undefined) options.napiWeight = is.napiWeight;
  if (is.irqInterval !== undefined) options.irqInterval = is.irqInterval;
  if (is.copybreak !== undefined) options.copybreak = is.copybreak;
  let dev: NetDevice;
  if (isRegisterCard(is.nic)) {
    if (!readDriver)
      throw new Error(
        `${host.name}:${is.name}: a ${is.nic} card needs its driver's source to build`,
      );
    dev = lab.addRegisterInterface(
      host,
      is.nic,
      readDriver(is.driver?.file ?? null, is.nic),
      options,
    ).dev;
  } else dev = lab.addInterface(host, options).dev;
  if (booting) netifTxFreeze(dev);
  const where = `${host.name}:${is.name}`;
  if (is.mtu !== undefined) expectOk(devSetMtu(dev, is.mtu), `${where}: mtu ${is.mtu}`);
  if (is.txQueueLen !== undefined)
    expectOk(devSetTxQueueLen(dev, is.txQueueLen), `${where}: txqueuelen ${is.txQueueLen}`);
  // As `ifconfig eth0 promisc allmulti` would: the user's reference on each counter.
  if (is.promisc || is.allmulti) {
    let flags = devGetFlags(dev);
    if (is.promisc) flags |= IFF_PROMISC;
    if (is.allmulti) flags |= IFF_ALLMULTI;
    expectOk(devChangeFlags(dev, flags), `${where}: flags`);
  }
  if (is.up !== false) expectOk(devOpen(dev), `${where}: open`);
}

/** A `routes:` entry, as `ip route add` adds it (the checks in schema/routes.ts ran already). */
function addRoute(host: Host, rs: RouteSpec): void {
  const k = host.kernel;
  const to = rs.to === 'default' ? { addr: 0, prefix: 0 } : parseIpv4Prefix(rs.to)!;
  const req: RouteRequest = { dst: to.addr, prefixLen: to.prefix };
  if (rs.via !== undefined) req.gateway = parseIpv4(rs.via)!;
  if (rs.dev !== undefined) req.dev = k.devByName(rs.dev);
  if (rs.metric !== undefined) req.metric = rs.metric;
  const ack = inetRtmNewRoute(k, req, ROOT);
  expectOk(ack.err, `${host.name}: route to ${rs.to}${ack.extack ? ` (${ack.extack})` : ''}`);
}

/** As `ip link add NAME type bridge`, `ip link set PORT master NAME`, the options, `up`, `ip addr add`. */
function addBridge(host: Host, bs: BridgeSpec): void {
  const k = host.kernel;
  const where = `${host.name}:${bs.name}`;
  const br = k.addBridge(bs.name);
  if (typeof br === 'number') return expectOk(br, `${where}: ip link add`);
  if (bs.mcastSnooping !== undefined) br.mcast.setSnooping(bs.mcastSnooping);
  if (bs.querier !== undefined) br.mcast.setQuerier(bs.querier);
  for (const port of bs.ports)
    expectOk(k.enslave(br, host.nic(port)!.dev), `${where}: ip link set ${port} master`);
  if (bs.up !== false) expectOk(devOpen(br.dev), `${where}: up`);
  if (bs.ip !== undefined) {
    const p = parseIpv4Prefix(bs.ip)!;
    expectOk(k.addAddress(br.dev, p.addr, p.prefix), `${where}: ip addr add ${bs.ip}`);
  }
}

function nicOf(host: Host, dev: string | undefined): CardRef {
  const cards: CardRef[] = [...host.nics, ...host.registerNics];
  const nic = dev === undefined ? cards[0] : cards.find((c) => c.dev.name === dev);
  if (!nic) throw new Error(`${host.name}: no interface ${dev ?? ''}`);
  return nic;
}

function planGenerators(lab: Lab, spec: LabSpec): GeneratorPlan[] {
  return (spec.generators ?? []).map((g) => planGenerator(lab, g));
}

/** One `generators` entry of a validated spec, planned on `lab` (the engine adds them live). */
export function planGenerator(
  lab: Lab,
  g: NonNullable<LabSpec['generators']>[number],
): GeneratorPlan {
  const host = lab.host(g.from.host);
  const plan: GeneratorPlan = {
    name: g.name,
    host,
    nic: nicOf(host, g.from.dev),
    dest: parseIpv4(g.to.ip)!,
    destText: g.to.ip,
    port: g.to.port,
    pattern: g.pattern ?? 'cbr',
    sizes:
      g.size === undefined
        ? [DEFAULT_PAYLOAD_SIZE]
        : Array.isArray(g.size)
          ? [...g.size]
          : [g.size],
    startNs: g.start ?? 0,
    stopNs: g.stop ?? Infinity,
    onNs: g.on ?? 0,
    offNs: g.off ?? 0,
  };
  if (g.rate !== undefined) plan.rate = g.rate;
  if (g.count !== undefined) plan.count = g.count;
  return plan;
}

function planSinks(lab: Lab, spec: LabSpec): SinkPlan[] {
  const plans: SinkPlan[] = [];
  const add = (
    hostName: string,
    dev: string | undefined,
    port: number,
    group: string | undefined,
    readRate: number | undefined,
    name: string | undefined,
    origin: SinkPlan['origin'],
  ) => {
    const host = lab.host(hostName);
    plans.push({
      name: name ?? `${hostName}:${group === undefined ? '' : `${group}:`}${port}`,
      host,
      nic: nicOf(host, dev),
      port,
      group: group === undefined ? null : parseIpv4(group)!,
      groupText: group ?? null,
      readRate: readRate ?? Infinity,
      origin,
    });
  };
  for (const h of spec.hosts) {
    for (const j of h.join ?? [])
      add(h.name, j.dev, j.port, j.group, j.readRate, undefined, 'join');
  }
  for (const s of spec.sinks ?? [])
    add(s.host, s.dev, s.port, s.group, s.readRate, s.name, 'sinks');
  return plans;
}
