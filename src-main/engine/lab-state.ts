// One loaded lab inside the engine: the running session (lab, generators, sinks), a shell per
// host, the capture view, and what the API itself holds in the lab (sockets joined to groups,
// generators it restarted). Closing it releases all of that, so no buffer is left outstanding.
import type { EtherNic } from '../lab/drivers/ether-nic';
import type { StudentNic } from '../lab/drivers/student/student-nic';
import { apiError } from '../ipc/errors';
import type { DriverReport } from '../lab/drivers/student/oops';
import type { Host } from '../lab/host/host';
import { Shell } from '../lab/host/shell/shell';
import type { UdpSocket } from '../lab/kernel/udp-socket';
import type { Lab } from '../lab/lab';
import { REFERENCE_DRIVERS } from '../lab/drivers/cards';
import { buildLab, planGenerator, referenceKey, type DriverReader } from '../lab/labfile/build';
import { isRegisterCard } from '../lab/labfile/schema/hosts';
import { formatSpecErrors } from '../lab/labfile/errors';
import { validateLabData } from '../lab/labfile/load';
import { toLabData } from '../lab/labfile/save';
import type { LabSpec } from '../lab/labfile/schema';
import { generatorOptions, LabSession } from '../lab/labfile/session';
import { Generator } from '../lab/traffic/generator';
import { Sink } from '../lab/traffic/sink';
import { formatIpv4 } from '../lab/wire/ipv4-addr';
import type { OpParsedArgs } from '../ipc/ops';
import { CaptureView } from './capture-view';
import { LabPorts } from './lab-ports';
import { SavedMark } from './saved-mark';

/** A student driver's report, with the device it came from. */
export interface DeviceReport {
  host: string;
  dev: string;
  file: string;
  card: string;
  report: DriverReport;
}

/** Reports kept between two pushes: a driver warning on every frame must not fill the worker. */
const MAX_PENDING_REPORTS = 16;

export class LabState {
  readonly session: LabSession;
  readonly shells = new Map<string, Shell>();
  readonly capture: CaptureView;
  /** The file's external ports: made here, bound by the engine (binding is asynchronous). */
  readonly ports: LabPorts;
  /** Sockets `iface.join` opened, by `host/dev/group`. */
  readonly joins = new Map<string, UdpSocket>();
  /** Applications `iface.join` started (a socket bound to a port, reading), by `host/dev/group`. */
  private readonly apps = new Map<string, Sink>();
  /** Where this lab's drivers came from: the lab's reader, the editor's reloads over it. */
  private readonly read: DriverReader | undefined;
  /** What student drivers reported since the engine last pushed it (the newest few). */
  readonly driverReports: DeviceReport[] = [];
  /** Generator ids handed out so far: a restarted generator gets a new one (a new stream). */
  private nextGeneratorId: number;

  constructor(
    /** The lab file as it stands (`generators.set` changes it: `lab.save` writes what runs). */
    public spec: LabSpec,
    /** The file it came from, without its directory ('' for a new lab). */
    readonly fileName: string,
    /** What its file holds: a new mark for a lab loaded or new, the old one for an edited lab. */
    readonly saved = new SavedMark(spec),
    /** Where its register-level cards' drivers come from (sent with the lab file). */
    readonly readDriver?: DriverReader,
    /**
     * Drivers the editor reloaded, by file name (a reference driver by its own name): a lab
     * rebuilt (Reset, an edit) runs these, not the files as they were loaded.
     */
    readonly driverEdits = new Map<string, string>(),
  ) {
    const read: DriverReader | undefined =
      readDriver &&
      ((file, card) => {
        const edited = driverEdits.get(file ?? REFERENCE_DRIVERS[card]);
        return edited === undefined
          ? readDriver(file, card)
          : { file: file ?? REFERENCE_DRIVERS[card], source: edited };
      });
    this.session = new LabSession(buildLab(spec, read));
    this.read = read;
    // Shells note each card's burnt-in MAC when created: do it before anything can change one.
    for (const host of this.session.lab.hosts) this.shells.set(host.name, new Shell(host));
    for (const host of this.session.lab.hosts)
      for (const nic of host.registerNics)
        nic.onReport = (report, n) => {
          this.driverReports.push({
            host: host.name,
            dev: n.dev.name,
            file: n.file,
            card: n.card.kind,
            report,
          });
          if (this.driverReports.length > MAX_PENDING_REPORTS) this.driverReports.shift();
        };
    this.capture = new CaptureView(this.session.lab, this.session.capture, spec.captureLimit);
    const lab = this.session.lab;
    this.ports = new LabPorts(
      (p) => (p.segment === undefined ? lab.segment : lab.segmentByName(p.segment)),
      spec.ports ?? [],
    );
    this.nextGeneratorId = this.session.generators.length;
  }

  /**
   * The sources this lab's register-level cards were built with, by the key a DriverReader
   * over a record (driverReaderOf) looks them up by: what an attempt file carries.
   */
  driverSources(): Record<string, string> {
    const out: Record<string, string> = {};
    if (!this.read) return out;
    for (const h of this.spec.hosts)
      for (const i of h.interfaces ?? []) {
        if (!isRegisterCard(i.nic)) continue;
        const file = i.driver?.file ?? null;
        out[file ?? referenceKey(i.nic)] = this.read(file, i.nic).source;
      }
    return out;
  }

  get lab(): Lab {
    return this.session.lab;
  }

  /** Whether Save would write something the lab's file does not hold. */
  get unsaved(): boolean {
    return this.saved.unsaved(this.spec);
  }

  /** The host called `name`, or an error naming the request's `host` field. */
  host(name: string, field = 'args.host'): Host {
    const host = this.lab.hosts.find((h) => h.name === name);
    if (!host) {
      const names = this.lab.hosts.map((h) => h.name).join(', ');
      throw apiError('not-found', `no host "${name}" (hosts: ${names})`, field);
    }
    return host;
  }

  /** Any card of the host, a built-in model or a register-level card (what the window lists). */
  card(hostName: string, dev: string): { host: Host; nic: EtherNic | StudentNic } {
    const host = this.host(hostName);
    const nic = host.registerNic(dev);
    return nic ? { host, nic } : this.nic(hostName, dev);
  }

  nic(hostName: string, dev: string): { host: Host; nic: EtherNic } {
    const host = this.host(hostName);
    const nic = host.nic(dev);
    if (!nic) {
      const card = host.registerNic(dev);
      if (card)
        throw apiError(
          'refused',
          `${hostName}'s ${dev} is a register-level card (${card.card.kind}) that your driver ${card.file} runs: this form works on the built-in models; use the Shell (ip link, ifconfig) and the Driver tab`,
          'args.dev',
        );
      const names = host.nics.map((n) => n.dev.name).join(', ') || 'none';
      throw apiError(
        'not-found',
        `${hostName} has no interface "${dev}" (it has ${names})`,
        'args.dev',
      );
    }
    return { host, nic };
  }

  shell(hostName: string): Shell {
    this.host(hostName);
    return this.shells.get(hostName)!;
  }

  /** The index of the generator called `name` in the lab file's list. */
  generatorIndex(name: string): number {
    const i = this.session.built.generators.findIndex((g) => g.name === name);
    if (i < 0) {
      const names = this.session.built.generators.map((g) => g.name).join(', ') || 'none';
      throw apiError('not-found', `no generator "${name}" (generators: ${names})`, 'args.name');
    }
    return i;
  }

  /**
   * Adds generator `entry` to the lab file (or replaces the one of its name), checked as the file
   * would be, and starts it now. Returns its index. A bad entry changes nothing and is an error
   * naming its field (`args.rate`).
   */
  setGenerator(entry: OpParsedArgs<'generators.set'>): number {
    const data = toLabData(this.spec) as { generators?: { name?: unknown }[] };
    const list = [...(data.generators ?? [])];
    const text = Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== undefined));
    let i = list.findIndex((g) => g.name === entry.name);
    if (i < 0) i = list.push(text) - 1;
    else list[i] = text;
    const r = validateLabData({ ...data, generators: list });
    if (r.errors) {
      const own = r.errors.find((e) => e.segments[0] === 'generators' && e.segments[1] === i);
      const field = own && typeof own.segments[2] === 'string' ? `args.${own.segments[2]}` : 'args';
      throw apiError(
        'invalid-lab',
        own ? `${own.path}: ${own.message}` : formatSpecErrors(r.errors),
        field,
      );
    }
    const plan = planGenerator(this.lab, r.spec.generators![i]);
    this.spec = r.spec;
    const plans = this.session.built.generators;
    plans[i] = plan;
    this.restartGenerator(i);
    return i;
  }

  /**
   * Starts generator `i` again from now (or its start time, if later): a new Generator on the
   * same plan, with a new id (its sequence numbers start over, so sinks must see it as a new
   * stream), sending until stopped, its count is spent or its stop time (if still ahead) comes.
   * The old one's socket is closed.
   */
  restartGenerator(i: number): Generator {
    const plan = this.session.built.generators[i];
    // A generator `setGenerator` just added has no predecessor.
    const old = this.session.generators[i] as Generator | undefined;
    old?.close();
    if (this.nextGeneratorId > 0xffff)
      throw apiError('refused', 'too many generator restarts in this lab');
    const lab = this.lab;
    const gen = new Generator(
      plan.host,
      generatorOptions(lab, plan, this.nextGeneratorId++, lab.now),
    );
    // The session's list is what its report reads: the sink compares against the newest stream.
    this.session.generators[i] = gen;
    return gen;
  }

  appKeys(): IterableIterator<string> {
    return this.apps.keys();
  }

  hasApp(key: string): boolean {
    return this.apps.has(key);
  }

  /**
   * Starts an application on `host` that joins `group` on `nic`, bound to `port`, with SO_RCVBUF
   * `rcvbuf` and reading `readRate` datagrams a second: a sink of the session, as a lab file's
   * `join` entry makes, so the report counts what it received and lost. A setting the kernel
   * refuses is an error naming it.
   */
  openApp(
    key: string,
    o: {
      host: Host;
      nic: EtherNic;
      group: number;
      port: number;
      rcvbuf?: number;
      readRate?: number;
    },
  ): void {
    const groupText = formatIpv4(o.group);
    const name = `${o.host.name}:${groupText}:${o.port}`;
    let sink: Sink;
    try {
      sink = new Sink(o.host, {
        name,
        port: o.port,
        group: o.group,
        dev: o.nic.dev.name,
        readRate: o.readRate,
        rcvbuf: o.rcvbuf,
      });
    } catch (e) {
      throw apiError(
        'refused',
        (e as Error).message,
        o.rcvbuf !== undefined ? 'args.rcvbuf' : 'args.port',
      );
    }
    this.session.built.sinks.push({
      name,
      host: o.host,
      nic: o.nic,
      port: o.port,
      group: o.group,
      groupText,
      readRate: o.readRate ?? Infinity,
      origin: 'join',
    });
    this.session.sinks.push(sink);
    this.apps.set(key, sink);
  }

  /** Ends the application `openApp` started for `key` (its socket closes: it leaves the group). */
  closeApp(key: string): boolean {
    const sink = this.apps.get(key);
    if (!sink) return false;
    const i = this.session.sinks.indexOf(sink);
    this.session.sinks.splice(i, 1);
    this.session.built.sinks.splice(i, 1);
    sink.close();
    this.apps.delete(key);
    return true;
  }

  close(): void {
    // Unplugged first, so no outside frame lands on a lab being torn down.
    void this.ports.close();
    for (const shell of this.shells.values()) shell.interruptAll();
    for (const [key, sock] of this.joins) {
      const host = this.lab.hosts.find((h) => h.name === key.split('/')[0]);
      host?.kernel.udp.close(sock);
    }
    this.joins.clear();
    this.capture.close();
    this.session.close();
  }
}
