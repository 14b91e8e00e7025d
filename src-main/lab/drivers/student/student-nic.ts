import { devClose, devOpen } from '../../netdev/dev';
import { netifCarrierOff, netifStopQueue } from '../../netdev/dev-xmit';
import { EIO, EOPNOTSUPP } from '../../netdev/errno';
import { IFF_ALLMULTI, IFF_PROMISC, IFF_UP } from '../../netdev/flags';
import type { Ifmap } from '../../netdev/ifmap';
import { NetDevice } from '../../netdev/net-device';
import { NETDEV_TX_BUSY, NETDEV_TX_OK, type IfReq, type NetDeviceOps } from '../../netdev/ops';
import { NET_DEVICE_STAT_NAMES, NetDeviceStats } from '../../netdev/stats';
import type { EventHandler } from '../../sim/scheduler';
import type { SkBuff } from '../../skb/sk-buff';
import { isValidEtherAddr, macKey } from '../../wire/mac';
import type { QuickJSHandle } from 'quickjs-emscripten-core';
import type { Machine } from '../machine';
import type { Phy } from '../phy';
import type { RegisterCard } from '../cards/register-card';
import { REGISTER_CARDS, type RegisterCardKind } from '../cards';
import {
  IRQ_HANDLED,
  IFF_LIVE_ADDR_CHANGE,
  KernelApi,
  STATS_FIELDS,
  kernelConstants,
} from './kernel-api';
import { firstFrameIn, studentFrames, type DriverReport } from './oops';
import { OP, OP_NAMES, preludeSource, type OpName } from './prelude';
import { quickJS } from './quickjs';
import { DEFAULT_LIMITS, GuestError, Sandbox, type SandboxLimits } from './sandbox';

/**
 * Work budgets in QuickJS interrupt ticks (each a fixed count of bytecode
 * branches and calls; about 0.1 ms of interpretation here). An interrupt
 * handler or NAPI poll runs with interrupts off and must be short: past its
 * budget the watchdog calls it a hard lockup. Other ops may sleep and wait, so
 * theirs is ten times larger: past it, a soft lockup.
 */
export const IRQ_TICKS = 200;
export const OP_TICKS = 2000;
/** Times the line may stay up after the handler before the kernel gives up on it ("nobody cared"). */
export const IRQ_STORM = 1000;
/** A level-triggered line still up after the handler interrupts again this much later (ns). */
const IRQ_RETRIGGER_NS = 1000;
export const NAPI_WEIGHT = 64;

const EV_IRQ = 1;
const EV_POLL = 2;

/** The student's driver: its file name (as reports name it) and its source text. */
export interface DriverSource {
  file: string;
  source: string;
}

export interface StudentNicConfig {
  card: RegisterCardKind;
  name: string;
  mac: Uint8Array;
  irq?: number;
  baseAddr?: number;
  driver: DriverSource;
  limits?: SandboxLimits;
}

/**
 * A register-level card driven by a student's driver: the NetDevice whose ops
 * are the student's, run in a sandbox, with the kernel API between them. The
 * kernel calls the ops as it calls any driver's (NetDeviceOps); interrupts
 * come from the card's line, NAPI polls from napi_schedule.
 *
 * A driver that throws, loops past its budget or breaks a rule the kernel
 * cannot let pass gets an oops: the report, with the student's file, line and
 * stack, and the device is marked broken (its interrupt freed, its queue
 * stopped, its ops answering -EIO) rather than taking the lab down.
 */
export class StudentNic implements EventHandler {
  readonly dev: NetDevice;
  readonly card: RegisterCard;
  readonly reports: DriverReport[] = [];
  /** Whether this driver was already told it went promiscuous without IFF_PROMISC. */
  private warnedPromisc = false;
  /** The oops that broke the device, or null. */
  broken: DriverReport | null = null;
  /** Called with each report as it is made (the lab's log). */
  onReport: ((r: DriverReport, nic: StudentNic) => void) | null = null;
  file: string;
  private sandbox: Sandbox;
  private api: KernelApi;
  private dispatch: QuickJSHandle | null = null;
  private readonly has = new Set<OpName>();
  private readonly handlerId: number;
  private gen = 0;
  private irqPending = false;
  private storm = 0;
  private readonly stats = new NetDeviceStats();
  /** The kernel's own counts (rx_dropped by the backlog), added to the driver's. */
  private readonly core = new NetDeviceStats();
  private source: string;
  private readonly limits: SandboxLimits;

  constructor(
    readonly machine: Machine,
    config: StudentNicConfig,
  ) {
    const kind = REGISTER_CARDS[config.card];
    if (!kind) throw new Error(`unknown register-level card '${config.card}'`);
    if (!isValidEtherAddr(config.mac)) throw new Error(`${config.name}: not a usable MAC address`);
    this.file = config.driver.file;
    this.source = config.driver.source;
    this.card = kind.make(machine, config.mac, config.name);
    this.dev = new NetDevice(config.name, this.ops());
    this.dev.priv = this;
    this.dev.irq = config.irq ?? machine.assignIrq(kind.irqs);
    this.dev.baseAddr = config.baseAddr ?? kind.ioBases[0];
    this.dev.maxMtu = 1500;
    // Born with carrier on (no __LINK_STATE_NOCARRIER): a card without link status, whose
    // driver never calls netif_carrier_off, is RUNNING whenever it is up, as on Linux.
    this.dev.carrier = true;
    this.dev.carrierChanges = 0;
    this.handlerId = machine.sched.register(this);
    this.limits = config.limits ?? DEFAULT_LIMITS;
    this.sandbox = new Sandbox(quickJS(), this.limits);
    this.api = this.newApi();
    this.card.onIrq((up) => {
      if (up) this.raiseIrq();
    });
    this.card.onMisuse?.((message) => this.api.warn('card misuse', message));
    this.load();
    this.probe(config.mac);
  }

  private newApi(): KernelApi {
    return new KernelApi(
      this.machine,
      this.dev,
      this.card,
      this.sandbox,
      this.file,
      (r) => this.addReport(r),
      () => this.schedulePoll(),
    );
  }

  private probe(mac: Uint8Array): void {
    if (!this.broken && this.has.has('probe')) {
      const r = this.run('probe', [], -EIO);
      if (typeof r === 'number' && r < 0 && !this.broken)
        this.oops(this.opReport('probe', 'probe failed', `probe returned ${r}: no device`));
    } else if (!this.broken) this.dev.devAddr.set(mac);
  }

  /**
   * Loads `driver` in place of the running one, as rmmod and insmod would: the device is
   * closed (the old driver's stop), the card reset, the new module loaded in a fresh sandbox
   * and probed, and the device opened again if it was up. Reports start afresh. Returns the
   * oops that stopped the new driver loading, probing or opening, or null.
   */
  reload(driver: DriverSource): DriverReport | null {
    const dev = this.dev;
    const wasUp = (dev.flags & IFF_UP) !== 0;
    if (wasUp) devClose(dev);
    this.dispatch?.dispose();
    this.dispatch = null;
    this.sandbox.dispose();
    this.gen++;
    this.irqPending = false;
    this.storm = 0;
    this.has.clear();
    this.broken = null;
    this.warnedPromisc = false;
    this.reports.length = 0;
    if (this.api.irqRequested) this.machine.freeIrq(dev.irq, dev.name);
    for (const [, e] of this.api.held) e.skb.free();
    this.file = driver.file;
    this.source = driver.source;
    this.card.reset();
    this.sandbox = new Sandbox(quickJS(), this.limits);
    this.api = this.newApi();
    const mac = dev.devAddr.slice();
    this.load();
    this.probe(mac);
    if (wasUp && !this.broken) {
      const r = devOpen(dev);
      if (r !== 0 && !this.broken)
        this.addReport(
          this.opReport('open', 'open failed after reload', `open returned ${r}`, 'warning'),
        );
    }
    return this.broken;
  }

  get name(): string {
    return this.dev.name;
  }

  /** Plugs the card's cable into a medium. */
  attach(phy: Phy): void {
    this.card.attach(phy);
  }

  /** Frames the card's filter let in and turned away (for cards that count them). */
  get framesIn(): number {
    return (this.card as { accepted?: number }).accepted ?? 0;
  }

  get framesFiltered(): number {
    return (this.card as { rejected?: number }).rejected ?? 0;
  }

  /** The driver's source as loaded. */
  get sourceText(): string {
    return this.source;
  }

  /** Lines the driver printed with printk. */
  get log(): readonly string[] {
    return this.api.log;
  }

  /** Frees the interpreter (its memory lives outside JavaScript's collector). */
  dispose(): void {
    this.dispatch?.dispose();
    this.dispatch = null;
    this.api.dispose();
    this.sandbox.dispose();
  }

  private load(): void {
    try {
      this.api.install();
      this.sandbox.evalScript(
        preludeSource({
          ...kernelConstants(),
          STATS_FIELDS_JSON: STATS_FIELDS as unknown as number,
        }),
        '<kernel>',
      );
      const ns = this.sandbox.loadModule(this.source, this.file, OP_TICKS);
      const install = this.sandbox.evalScript('globalThis.__install', '<kernel>');
      const present = String(this.sandbox.call(install, [ns], OP_TICKS));
      install.dispose();
      ns.dispose();
      OP_NAMES.forEach((name, i) => present[i] === '1' && this.has.add(name));
      this.dispatch = this.sandbox.evalScript('globalThis.__dispatch', '<kernel>');
    } catch (e) {
      if (!(e instanceof GuestError)) throw e;
      const syntax = e.guestName === 'SyntaxError';
      const report = this.reportOf(e, 'load');
      if (syntax && report.line === 0) report.line = e.line;
      report.title = syntax ? 'syntax error' : `${e.guestName} while loading the module`;
      this.oops(report);
    }
  }

  // ---- calling the student's ops -------------------------------------------------

  /** Runs op `op` in the sandbox; `fallback` when the device is broken or the op oopses. */
  private run(op: OpName, args: number[], fallback: number): number | string {
    if (this.broken || this.dispatch === null) return fallback;
    const api = this.api;
    const outerOp = api.op;
    const outerAtomic = api.atomic;
    const outerOops = api.pendingOops;
    api.op = op;
    api.atomic = op === 'interrupt' || op === 'poll' || outerAtomic;
    api.pendingOops = null;
    try {
      const r = this.sandbox.call(
        this.dispatch,
        [OP[op], ...args],
        api.atomic ? IRQ_TICKS : OP_TICKS,
      );
      if (api.pendingOops) {
        this.oops(api.pendingOops);
        return fallback;
      }
      api.checkLeakGrowth();
      return r ?? 0;
    } catch (e) {
      if (!(e instanceof GuestError)) throw e;
      this.oops(api.pendingOops ?? this.reportOf(e, op));
      return fallback;
    } finally {
      api.op = outerOp;
      api.atomic = outerAtomic;
      api.pendingOops = outerOops;
    }
  }

  private reportOf(e: GuestError, op: string): DriverReport {
    const { line, column } = firstFrameIn(e.stack, this.file);
    let title = `${e.guestName} in ${op}`;
    let message = e.guestMessage;
    if (e.exhausted) {
      const atomic = op === 'interrupt' || op === 'poll';
      title = atomic ? `watchdog: hard LOCKUP in ${op}` : `watchdog: soft lockup in ${op}`;
      message = atomic
        ? `${op} ran past its budget (${IRQ_TICKS} ticks) with interrupts off: a handler must do a bounded amount of work (lib8390 serves at most MAX_SERVICE causes) and never wait for the card in a loop.`
        : `${op} ran past its budget (${OP_TICKS} ticks): an endless loop? It was stopped here.`;
    } else if (e.guestMessage === 'out of memory') {
      title = `out of memory in ${op}`;
      message = `the driver's heap passed its limit (${DEFAULT_LIMITS.memoryBytes >> 20} MiB)`;
    }
    return {
      severity: 'oops',
      title,
      message,
      file: this.file,
      line,
      column,
      stack: studentFrames(e.stack, this.file),
      op,
      time: this.machine.sched.now,
    };
  }

  /** A report on op `op` as a whole: at the line that defines it in the student's file. */
  private opReport(
    op: OpName,
    title: string,
    message: string,
    severity: DriverReport['severity'] = 'oops',
  ): DriverReport {
    const lines = this.source.split('\n');
    const re = new RegExp(`(^|[\\s{,])${op}\\s*(\\(|:|=)`);
    const i = lines.findIndex((l) => re.test(l));
    return {
      severity,
      title,
      message,
      file: this.file,
      line: i + 1,
      column: i < 0 ? 0 : lines[i].search(/\S/) + 1,
      stack: '',
      op,
      time: this.machine.sched.now,
    };
  }

  private addReport(r: DriverReport): void {
    this.reports.push(r);
    this.onReport?.(r, this);
  }

  /** The device is broken: reported, its line freed, its buffers taken back, its queue stopped. */
  private oops(r: DriverReport): void {
    if (this.broken) return;
    this.broken = r;
    this.addReport(r);
    this.gen++;
    this.api.napiScheduled = false;
    if (this.api.irqRequested) this.machine.freeIrq(this.dev.irq, this.dev.name);
    this.api.irqRequested = false;
    for (const [, e] of this.api.held) e.skb.free();
    this.api.held.clear();
    netifStopQueue(this.dev);
    netifCarrierOff(this.dev);
  }

  // ---- interrupts and NAPI -------------------------------------------------------

  private raiseIrq(): void {
    if (this.irqPending) return;
    this.irqPending = true;
    this.machine.sched.schedule(this.machine.sched.now, this.handlerId, EV_IRQ, this.gen);
  }

  private schedulePoll(): void {
    const sched = this.machine.sched;
    const at = Math.max(sched.now, this.machine.cpu.busyUntil);
    sched.schedule(at, this.handlerId, EV_POLL, this.gen);
  }

  handleEvent(kind: number, gen: number): void {
    if (kind === EV_IRQ) this.irqPending = false;
    if (gen !== this.gen || this.broken) return;
    if (kind === EV_IRQ) this.interrupt();
    else if (kind === EV_POLL) this.poll();
  }

  private interrupt(): void {
    const api = this.api;
    if (!this.card.irqAsserted || !api.irqRequested || api.irqDisabled) return;
    const machine = this.machine;
    machine.countInterrupt(this.dev.irq);
    machine.softnet.inHardIrq++;
    let r: number | string;
    try {
      r = this.run('interrupt', [this.dev.irq], 0);
    } finally {
      machine.softnet.inHardIrq--;
    }
    // irq_exit: softirq work the handler raised was scheduled for now, so it runs next.
    if (this.broken) return;
    if (!this.card.irqAsserted) {
      this.storm = 0;
      return;
    }
    // A level-triggered line still up: it interrupts again, and a handler that never
    // clears it makes the kernel disable the line, as note_interrupt does.
    if (++this.storm >= IRQ_STORM) {
      this.storm = 0;
      api.irqDisabled = true;
      this.addReport(
        this.opReport(
          'interrupt',
          `irq ${this.dev.irq}: nobody cared`,
          `the card's interrupt line stayed up after the handler ${IRQ_STORM} times in a row (it returned ${r === IRQ_HANDLED ? 'IRQ_HANDLED' : 'IRQ_NONE'}): the handler must acknowledge every cause it finds (write it back to the status register) or mask it. Disabling IRQ #${this.dev.irq}.`,
          'warning',
        ),
      );
      return;
    }
    this.irqPending = true;
    machine.sched.schedule(machine.sched.now + IRQ_RETRIGGER_NS, this.handlerId, EV_IRQ, this.gen);
  }

  private poll(): void {
    const api = this.api;
    if (!api.napiScheduled) return;
    const sched = this.machine.sched;
    const cpu = this.machine.cpu;
    if (cpu.busyUntil > sched.now) {
      sched.schedule(cpu.busyUntil, this.handlerId, EV_POLL, this.gen);
      return;
    }
    api.polled = 0;
    api.napiCompleted = false;
    this.run('poll', [NAPI_WEIGHT], 0);
    if (this.broken) return;
    const done = cpu.charge(sched.now, api.polled);
    if (api.napiCompleted) api.napiScheduled = false;
    else sched.schedule(done, this.handlerId, EV_POLL, this.gen);
  }

  // ---- the NetDeviceOps the kernel calls ------------------------------------------

  private ops(): NetDeviceOps {
    return {
      open: () => this.open(),
      stop: () => this.stop(),
      hardStartXmit: (skb) => this.startXmit(skb),
      getStats: () => this.getStats(),
      setMacAddress: (_dev, addr) => this.setMacAddress(addr),
      setConfig: (_dev, map) => this.setConfig(map),
      doIoctl: (_dev, ifr, cmd, cred) => this.doIoctl(ifr, cmd, cred),
      setMulticastList: () => this.setMulticastList(),
      changeMtu: (_dev, mtu) => this.changeMtu(mtu),
    };
  }

  private open(): number {
    if (this.broken) return -EIO;
    if (!this.has.has('open')) return 0;
    this.storm = 0;
    this.api.irqDisabled = false;
    const r = Number(this.run('open', [], -EIO));
    return this.broken ? -EIO : r;
  }

  private stop(): void {
    if (this.broken) return;
    if (this.has.has('stop')) this.run('stop', [], 0);
    this.gen++;
    this.irqPending = false;
    this.api.napiScheduled = false;
    this.machine.softnet.purge(this.dev);
    if (this.broken) return;
    this.api.reclaimAfterStop();
    if (this.api.irqRequested) {
      this.addReport(
        this.opReport(
          'stop',
          'irq still requested after stop',
          `stop returned holding IRQ ${this.dev.irq}: free_irq it there, or the next open's request_irq finds the line taken.`,
          'warning',
        ),
      );
      this.machine.freeIrq(this.dev.irq, this.dev.name);
      this.api.irqRequested = false;
    }
  }

  private startXmit(skb: SkBuff): number {
    if (this.broken || !this.has.has('startXmit')) {
      this.core.tx_dropped++;
      skb.free();
      return NETDEV_TX_OK;
    }
    const id = this.api.give(skb);
    const r = this.run('startXmit', [id], NETDEV_TX_OK);
    if (this.broken) return NETDEV_TX_OK; // oops: the buffer was taken back with the others
    if (r === NETDEV_TX_BUSY) {
      if (this.api.held.has(id)) this.api.takeBack(id);
      return NETDEV_TX_BUSY;
    }
    return NETDEV_TX_OK;
  }

  private getStats(): NetDeviceStats {
    const s = this.stats;
    // What the kernel added to the last answer (the backlog's rx_dropped) is its own count.
    for (const f of NET_DEVICE_STAT_NAMES) this.core[f] += s[f] - this.lastStats[f];
    if (!this.broken) {
      const json = this.run('getStats', [], 0);
      if (typeof json === 'string') {
        const guest = JSON.parse(json) as Record<string, unknown>;
        for (const f of NET_DEVICE_STAT_NAMES) {
          const v = guest[f];
          this.guestStats[f] = typeof v === 'number' && Number.isFinite(v) ? v : 0;
        }
      }
    }
    for (const f of NET_DEVICE_STAT_NAMES) {
      s[f] = this.guestStats[f] + this.core[f];
      this.lastStats[f] = s[f];
    }
    return s;
  }

  private readonly guestStats = new NetDeviceStats();
  private readonly lastStats = new NetDeviceStats();

  private setMacAddress(addr: Uint8Array): number {
    if (this.broken) return -EIO;
    if (!this.has.has('setMacAddress')) return -EOPNOTSUPP;
    const running = (this.dev.flags & IFF_UP) !== 0;
    const r = Number(this.run('setMacAddress', [macKey(addr)], -EIO));
    if (r === 0 && running && !(this.api.privFlags & IFF_LIVE_ADDR_CHANGE))
      this.addReport(
        this.opReport(
          'setMacAddress',
          'set_mac_address on a running device',
          `setMacAddress returned 0 while ${this.dev.name} was up, but this card takes its station address (PAR0-5) only while stopped and the driver did not set IFF_LIVE_ADDR_CHANGE: return -EBUSY when the device is running, as eth_mac_addr (k.eth_mac_addr) does.`,
          'warning',
        ),
      );
    return r;
  }

  private setConfig(map: Ifmap): number {
    if (this.broken) return -EIO;
    if (!this.has.has('setConfig')) return -EOPNOTSUPP;
    return Number(
      this.run(
        'setConfig',
        [map.memStart, map.memEnd, map.baseAddr, map.irq, map.dma, map.port],
        -EIO,
      ),
    );
  }

  private doIoctl(ifr: IfReq, cmd: number, cred: { uid: number }): number {
    if (this.broken) return -EIO;
    if (!this.has.has('doIoctl')) return -EOPNOTSUPP;
    this.api.cred = cred;
    this.api.ifrJson = JSON.stringify({ data: ifr.data ?? null });
    const r = Number(this.run('doIoctl', [cmd], -EIO));
    try {
      ifr.data = (JSON.parse(this.api.ifrJson) as { data: unknown }).data;
    } catch {
      // the driver left no reply: ifr.data stays as it was
    }
    return r;
  }

  /**
   * ndo_change_mtu, after dev_set_mtu checked the range (min_mtu..max_mtu) and that the
   * device is present. Without the op the kernel sets dev->mtu itself (__netif_set_mtu);
   * with it, the driver must (WRITE_ONCE(dev->mtu, new_mtu)).
   */
  private changeMtu(mtu: number): number {
    if (this.broken) return -EIO;
    if (!this.has.has('changeMtu')) {
      this.dev.mtu = mtu;
      return 0;
    }
    const old = this.dev.mtu;
    const r = Number(this.run('changeMtu', [mtu], -EIO));
    if (r === 0 && !this.broken && this.dev.mtu === old)
      this.addReport(
        this.opReport(
          'changeMtu',
          'change_mtu left dev->mtu as it was',
          `changeMtu returned 0 for mtu ${mtu} but ${this.dev.name}'s mtu is still ${old}: the kernel leaves setting it to the driver's ndo_change_mtu (dev.mtu = mtu), so the new MTU never took effect.`,
          'warning',
        ),
      );
    return this.broken ? -EIO : r;
  }

  private setMulticastList(): void {
    if (this.broken || !this.has.has('setMulticastList')) return;
    this.run('setMulticastList', [], 0);
    const dev = this.dev;
    // The article's rule: a driver that had to turn a card without a multicast filter
    // promiscuous must say so in dev->flags, or the kernel believes the card filters.
    if (this.card.canFilterMulticast !== false || !this.card.promiscuous) return;
    if (dev.flags & IFF_PROMISC || this.warnedPromisc) return;
    // WARN_ONCE: one report per loaded driver, not one per group joined or left.
    this.warnedPromisc = true;
    const wantsMulti = dev.mc.count > 0 || (dev.flags & IFF_ALLMULTI) !== 0;
    const why = wantsMulti
      ? `for ${dev.name}'s ${dev.mc.count} multicast address${dev.mc.count === 1 ? '' : 'es'}${dev.flags & IFF_ALLMULTI ? ' and IFF_ALLMULTI' : ''}`
      : 'though no one asked for it';
    this.addReport(
      this.opReport(
        'setMulticastList',
        'promiscuous without IFF_PROMISC',
        `the driver turned the card promiscuous ${why}, and this card has no multicast filter, but dev->flags does not say so: a driver that has to go promiscuous must set the flag itself (dev.flags |= k.IFF_PROMISC), so the kernel knows the card takes every frame.`,
        'warning',
      ),
    );
  }
}
