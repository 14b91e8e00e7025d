import { capableNetAdmin, ROOT, type Cred } from '../../netdev/cred';
import { ethMacAddr } from '../../netdev/dev-addr';
import {
  netifCarrierOff,
  netifCarrierOn,
  netifStartQueue,
  netifStopQueue,
  netifWakeQueue,
} from '../../netdev/dev-xmit';
import * as errno from '../../netdev/errno';
import { ethTypeTrans } from '../../netdev/eth';
import { FATE_DEV_DROP } from '../../netdev/fate';
import * as flags from '../../netdev/flags';
import type { NetDevice } from '../../netdev/net-device';
import { NETDEV_TX_BUSY, NETDEV_TX_OK } from '../../netdev/ops';
import { NET_DEVICE_STAT_NAMES } from '../../netdev/stats';
import type { SkBuff } from '../../skb/sk-buff';
import { NET_SKB_PAD } from '../../skb/truesize';
import { macFromKey, macKey } from '../../wire/mac';
import type { Machine } from '../machine';
import { NET_RX_DROP } from '../softnet';
import { netifReceiveSkb } from '../softnet';
import { HostMemory, type AccessWidth, type RegisterCard } from '../cards/register-card';
import { DmaAllocator } from './dma-alloc';
import { firstFrameIn, studentFrames, type DriverReport } from './oops';
import type { OpName } from './prelude';
import type { NumericFn, Sandbox, TextFn } from './sandbox';

/** Linux's CAP_NET_ADMIN, as `capable()` takes it. */
export const CAP_NET_ADMIN = 12;
/** `IFF_LIVE_ADDR_CHANGE` (enum netdev_priv_flags): the card takes a new MAC while running. */
export const IFF_LIVE_ADDR_CHANGE = 1 << 15;
export const IRQ_NONE = 0;
export const IRQ_HANDLED = 1;
/** Buffers a driver may hold before the kernel says it leaks (no NIC of the era held more). */
export const LEAK_SUSPECT = 1024;
/** Host memory for bus-master cards' DMA (descriptor rings, bounce buffers). */
export const HOST_DMA_BYTES = 4 << 20;

/** What the kernel tells the student's code: constants by their Linux names. */
export function kernelConstants(): Record<string, number> {
  const c: Record<string, number> = {
    NETDEV_TX_OK,
    NETDEV_TX_BUSY,
    IRQ_NONE,
    IRQ_HANDLED,
    NET_RX_SUCCESS: 0,
    NET_RX_DROP,
    CAP_NET_ADMIN,
    IFF_LIVE_ADDR_CHANGE,
    ETH_ALEN: 6,
    ETH_HLEN: 14,
    ETH_ZLEN: 60,
    ETH_DATA_LEN: 1500,
    ETH_FRAME_LEN: 1514,
    NET_IP_ALIGN: 2,
    NET_SKB_PAD,
    DMA_TO_DEVICE: 1,
    DMA_FROM_DEVICE: 2,
    DMA_BIDIRECTIONAL: 0,
  };
  for (const [name, v] of Object.entries(errno)) if (typeof v === 'number') c[name] = v;
  for (const [name, v] of Object.entries(flags)) if (typeof v === 'number') c[name] = v;
  return c;
}

/** Guest-side `dev.stats` fields: net_device_stats' names. */
export const STATS_FIELDS = NET_DEVICE_STAT_NAMES.join(',');

const HELD = 0;
const HANDED_UP = 1;
const FREED = 2;
const RETURNED = 3;
/** How many gone buffers are remembered to name a use after free. */
const TOMBSTONES = 4096;

interface SkbEntry {
  skb: SkBuff;
  state: number;
}

interface DmaMapping {
  skb: SkBuff;
  off: number;
  len: number;
  dir: number;
}

/**
 * The kernel side of the API a student driver runs against: the host
 * functions behind `k` (prelude.ts), the buffers the driver holds, and the
 * rules Linux holds a driver to, each caught where it is broken and told with
 * the student's line.
 */
export class KernelApi {
  /** The op running now, and whether it runs in interrupt context (atomic). */
  op: OpName | '' = '';
  atomic = false;
  /** Who asked (doIoctl): capable() answers for them. */
  cred: Cred = ROOT;
  /** The request block of the doIoctl in progress, as JSON both ways. */
  ifrJson = '{}';
  /** An oops a host function caught; raised when the op returns, even if the student caught it. */
  pendingOops: DriverReport | null = null;
  irqRequested = false;
  irqDisabled = false;
  napiScheduled = false;
  napiCompleted = false;
  /** Frames handed to the stack in the current NAPI poll. */
  polled = 0;
  /** Buffers the driver holds now, by handle. */
  readonly held = new Map<number, SkbEntry>();
  private readonly gone = new Map<number, number>();
  private nextId = 1;
  private leakWarned = false;
  private readonly warnedOnce = new Set<string>();
  private mem: HostMemory | null = null;
  private dmaBlocks: DmaAllocator | null = null;
  private readonly dmaMaps = new Map<number, DmaMapping>();
  /** Lines the driver printed (printk), the newest last; at most 256. */
  readonly log: string[] = [];

  constructor(
    readonly machine: Machine,
    readonly dev: NetDevice,
    readonly card: RegisterCard,
    readonly sandbox: Sandbox,
    readonly file: string,
    private readonly report: (r: DriverReport) => void,
    /** Asked by napi_schedule: the adapter schedules the poll. */
    private readonly schedulePoll: () => void,
  ) {}

  /** A report at the student's line that called the host function now running. */
  private at(severity: DriverReport['severity'], title: string, message: string): DriverReport {
    const stack = this.sandbox.stackHere();
    const { line, column } = firstFrameIn(stack, this.file);
    return {
      severity,
      title,
      message,
      file: this.file,
      line,
      column,
      stack: studentFrames(stack, this.file),
      op: this.op,
      time: this.machine.sched.now,
    };
  }

  /** A warning, once per title and line. */
  warn(title: string, message: string): void {
    const r = this.at('warning', title, message);
    const key = `${title}@${r.line}`;
    if (this.warnedOnce.has(key)) return;
    this.warnedOnce.add(key);
    this.report(r);
  }

  /** A rule broken beyond repair: the op ends in an oops, whatever the student's try/catch does. */
  private bug(title: string, message: string): Error {
    const r = this.at('oops', title, message);
    this.pendingOops ??= r;
    return new Error(`${title}: ${message}`);
  }

  // ---- buffers -------------------------------------------------------------

  /** Gives the driver a buffer the kernel made (startXmit): a handle, held by the driver. */
  give(skb: SkBuff): number {
    const id = this.nextId++;
    this.held.set(id, { skb, state: HELD });
    return id;
  }

  /** Takes back a buffer the driver refused (NETDEV_TX_BUSY): the kernel owns it again. */
  takeBack(id: number): void {
    this.retire(id, RETURNED);
    this.sandbox.call(this.forgetFn(), [id], Infinity);
  }

  private forget: ReturnType<Sandbox['evalScript']> | null = null;
  private forgetFn() {
    this.forget ??= this.sandbox.evalScript('globalThis.__forget', '<kernel>');
    return this.forget;
  }

  private retire(id: number, state: number): void {
    this.held.delete(id);
    this.gone.set(id, state);
    if (this.gone.size > TOMBSTONES) this.gone.delete(this.gone.keys().next().value!);
  }

  /** The buffer behind handle `id`, which the driver must hold; otherwise the bug, named. */
  private skbOf(id: number, use: string): SkBuff {
    const e = this.held.get(id);
    if (e) return e.skb;
    const was = this.gone.get(id);
    if (was === HANDED_UP)
      throw this.bug(
        'use of skb after netif_rx',
        `${use} on skb#${id}, which the driver already handed to the stack: from netif_rx on the buffer is the stack's, and it may be freed by now. Read what you need before handing it up.`,
      );
    if (was === FREED)
      throw this.bug(
        'use after free of skb',
        `${use} on skb#${id}, which the driver already freed with dev_kfree_skb.`,
      );
    if (was === RETURNED)
      throw this.bug(
        'use of skb after NETDEV_TX_BUSY',
        `${use} on skb#${id}: startXmit returned NETDEV_TX_BUSY, so the kernel kept the buffer and will offer it again.`,
      );
    throw this.bug('not an skb', `${use} on skb#${id}, which the kernel never gave this driver`);
  }

  private freeSkb(id: number): void {
    const e = this.held.get(id);
    if (!e) {
      const was = this.gone.get(id);
      if (was === FREED)
        throw this.bug(
          'double free of skb',
          `dev_kfree_skb on skb#${id}, which was already freed: a buffer is freed once, by whoever owns it last.`,
        );
      if (was === HANDED_UP)
        throw this.bug(
          'free of skb after netif_rx',
          `dev_kfree_skb on skb#${id}, which the driver handed to the stack: the stack frees it now, so this would be a double free.`,
        );
      this.skbOf(id, 'dev_kfree_skb');
      return;
    }
    this.retire(id, FREED);
    e.skb.free();
  }

  /** Handing a buffer up (netif_rx, netif_receive_skb): the stack owns it from here. */
  private handUp(id: number, how: string): SkBuff | null {
    const skb = this.skbOf(id, how);
    this.retire(id, HANDED_UP);
    if (skb.macHeader < 0) {
      this.warn(
        'netif_rx without eth_type_trans',
        `${how} on skb#${id}, whose protocol was never set: call skb.protocol = k.eth_type_trans(skb, dev) first. The stack cannot tell what the frame carries and drops it.`,
      );
      this.machine.fates.recordSkb(skb, this.machine.sched.now, FATE_DEV_DROP);
      skb.free();
      return null;
    }
    skb.iif = this.dev.ifindex;
    skb.tstamp = this.machine.sched.now;
    return skb;
  }

  /** The driver's buffers after stop: each one a leak, told with the line that allocated it. */
  reclaimAfterStop(): void {
    if (this.held.size === 0) return;
    const ids = [...this.held.keys()];
    const site = this.siteOf(ids[0]);
    const { line, column } = firstFrameIn(site, this.file);
    this.report({
      severity: 'warning',
      title: 'skb leak',
      message: `stop returned with ${ids.length} buffer${ids.length === 1 ? '' : 's'} still held by the driver (skb#${ids.slice(0, 8).join(', skb#')}${ids.length > 8 ? ', …' : ''}); the first was allocated here. Every buffer must end in netif_rx or dev_kfree_skb, and after stop the driver holds none.`,
      file: this.file,
      line,
      column,
      stack: studentFrames(site, this.file),
      op: 'stop',
      time: this.machine.sched.now,
    });
    for (const id of ids) {
      this.held.get(id)!.skb.free();
      this.retire(id, FREED);
    }
  }

  /** Checked after each op: a driver holding ever more buffers is leaking them. */
  checkLeakGrowth(): void {
    if (this.leakWarned || this.held.size < LEAK_SUSPECT) return;
    this.leakWarned = true;
    const id = [...this.held.keys()][0];
    const site = this.siteOf(id);
    const { line, column } = firstFrameIn(site, this.file);
    this.report({
      severity: 'warning',
      title: 'skb leak',
      message: `the driver holds ${this.held.size} buffers and the number keeps growing: buffers allocated here are never handed up (netif_rx) or freed (dev_kfree_skb).`,
      file: this.file,
      line,
      column,
      stack: studentFrames(site, this.file),
      op: this.op,
      time: this.machine.sched.now,
    });
  }

  private siteFn: ReturnType<Sandbox['evalScript']> | null = null;
  private siteOf(id: number): string {
    this.siteFn ??= this.sandbox.evalScript('globalThis.__site', '<kernel>');
    const s = this.sandbox.call(this.siteFn, [id], Infinity);
    return typeof s === 'string' ? s : '';
  }

  // ---- registers -------------------------------------------------------------

  /** The card's register offset for an absolute port or address; -1 outside its window. */
  private offsetOf(port: number, what: string): number {
    const off = port - this.dev.baseAddr;
    if (Number.isInteger(off) && off >= 0 && off < this.card.extent) {
      if (!(this.dev.flags & flags.IFF_UP) && !this.inSetup()) this.touchDown();
      return off;
    }
    this.warn(
      'access outside the card',
      `${what} 0x${port.toString(16)} is outside ${this.dev.name}'s registers (0x${this.dev.baseAddr.toString(16)}..0x${(this.dev.baseAddr + this.card.extent - 1).toString(16)}): nothing answers there (reads give all ones). Use dev.base_addr plus the register's offset.`,
    );
    return -1;
  }

  private inSetup(): boolean {
    return this.op === 'probe' || this.op === 'open' || this.op === 'stop' || this.op === '';
  }

  private touchDown(): void {
    this.warn(
      'register access while the device is down',
      `${this.op} touched the card's registers while ${this.dev.name} is down (stopped): after stop the card is off and its registers are the next open's to set.`,
    );
  }

  private read(width: AccessWidth, port: number): number {
    const off = this.offsetOf(port, width === 1 ? 'inb' : width === 2 ? 'inw' : 'inl');
    if (off < 0) return width === 1 ? 0xff : width === 2 ? 0xffff : 0xffffffff;
    return this.card.read(width, off);
  }

  private write(width: AccessWidth, port: number, value: number): void {
    const off = this.offsetOf(port, width === 1 ? 'outb' : width === 2 ? 'outw' : 'outl');
    if (off < 0) return;
    const mask = width === 1 ? 0xff : width === 2 ? 0xffff : 0xffffffff;
    this.card.write(width, off, (value & mask) >>> 0);
  }

  // ---- DMA -----------------------------------------------------------------

  /** Host memory, made on first use and given to the card (bus-master cards). */
  private hostMemory(): HostMemory {
    if (!this.mem) {
      this.mem = new HostMemory(HOST_DMA_BYTES);
      // Bus address 0 stays unused: a zero pointer is a bug.
      this.dmaBlocks = new DmaAllocator(0x1000, HOST_DMA_BYTES);
      this.card.attachDma?.(this.mem);
    }
    return this.mem;
  }

  private dmaAlloc(size: number): number {
    const mem = this.hostMemory();
    const addr = size > 0 ? this.dmaBlocks!.alloc(size) : -1;
    if (addr < 0) return -errno.ENOMEM;
    mem.bytes.fill(0, addr, addr + size);
    return addr;
  }

  // ---- the host functions ------------------------------------------------------

  /** Puts every host function into the sandbox's `__h`. */
  install(): void {
    const n = (name: string, fn: NumericFn) => this.sandbox.defineNumeric(name, fn);
    const t = (name: string, fn: TextFn) => this.sandbox.defineText(name, fn);
    const dev = this.dev;
    const machine = this.machine;

    n('inb', (a) => this.read(1, a[0]));
    n('inw', (a) => this.read(2, a[0]));
    n('inl', (a) => this.read(4, a[0]));
    n('outb', (a) => this.write(1, a[1], a[0]));
    n('outw', (a) => this.write(2, a[1], a[0]));
    n('outl', (a) => this.write(4, a[1], a[0]));
    n('ins_skb', (a) => this.ins(a[0] as AccessWidth, a[1], a[2], a[3], a[4]));
    n('outs_skb', (a) => this.outs(a[0] as AccessWidth, a[1], a[2], a[3], a[4]));

    n('msleep', () => {
      if (this.atomic)
        throw this.bug(
          'scheduling while atomic',
          `msleep in ${this.op}: an interrupt handler or NAPI poll runs in atomic context and must not sleep. Use udelay/mdelay for short waits, or move the work out of interrupt context.`,
        );
      return undefined;
    });
    n('jiffies', () => Math.floor(machine.sched.now / 4e6)); // HZ=250
    n('disable_irq', (a) => {
      if (a[0] === dev.irq) this.irqDisabled = a[1] === 1;
      return undefined;
    });
    n('request_irq', (a) => {
      const irq = a[0];
      const ret = machine.requestIrq(irq, dev.name);
      if (ret === 0 && irq === dev.irq) this.irqRequested = true;
      return ret;
    });
    n('free_irq', (a) => {
      const irq = a[0];
      if (irq === dev.irq && !this.irqRequested) {
        this.warn(
          'free_irq of an irq not requested',
          `free_irq(${irq}) but the driver holds no handler on it: Linux warns "Trying to free already-free IRQ ${irq}".`,
        );
        return undefined;
      }
      machine.freeIrq(irq, dev.name);
      if (irq === dev.irq) this.irqRequested = false;
      return undefined;
    });
    n('capable', (a) => a[0] === CAP_NET_ADMIN && capableNetAdmin(this.cred));

    n('alloc_skb', (a) => {
      const len = a[0];
      if (!Number.isInteger(len) || len < 0 || len > 65535)
        throw this.bug('bad skb length', `netdev_alloc_skb(dev, ${len}): a length from 0 to 65535`);
      const skb = machine.skbPool.alloc(NET_SKB_PAD + len);
      skb.reserve(NET_SKB_PAD);
      skb.wireSeq = -1;
      skb.owner = null;
      const id = this.give(skb);
      return id;
    });
    n('skb_len', (a) => this.skbOf(a[0], 'skb.len').len);
    n('skb_protocol', (a) => this.skbOf(a[0], 'skb.protocol').protocol);
    n('skb_set_protocol', (a) => {
      this.skbOf(a[0], 'skb.protocol =').protocol = a[1];
      return undefined;
    });
    n('skb_reserve', (a) => {
      const skb = this.skbOf(a[0], 'skb_reserve');
      if (skb.len !== 0 || a[1] < 0 || a[1] > skb.tailroom)
        throw this.bug(
          'skb_reserve',
          `skb_reserve(skb, ${a[1]}) on a buffer with data or without that much room`,
        );
      skb.reserve(a[1]);
      return undefined;
    });
    n('skb_put', (a) => {
      const skb = this.skbOf(a[0], 'skb_put');
      const len = a[1];
      if (!Number.isInteger(len) || len < 0 || len > skb.tailroom)
        throw this.bug(
          'skb_over_panic',
          `skb_put(skb, ${len}) on skb#${a[0]} with ${skb.tailroom} bytes of tailroom: the buffer would overflow. Allocate it big enough.`,
        );
      const off = skb.len;
      skb.put(len);
      return off;
    });
    n('skb_tailroom', (a) => this.skbOf(a[0], 'skb_tailroom').tailroom);
    n('skb_get_u8', (a) => {
      const skb = this.skbOf(a[0], 'reading skb data');
      const off = a[1];
      if (!(off >= 0 && off < skb.len))
        throw this.bug(
          'skb read out of bounds',
          `byte ${off} of skb#${a[0]}, which holds ${skb.len}`,
        );
      return skb.buf[skb.data + off];
    });
    n('skb_set_u8', (a) => {
      const skb = this.skbOf(a[0], 'writing skb data');
      const off = a[1];
      if (!(off >= 0 && off < skb.len))
        throw this.bug(
          'skb write out of bounds',
          `byte ${off} of skb#${a[0]}, which holds ${skb.len}`,
        );
      skb.buf[skb.data + off] = a[2] & 0xff;
      return undefined;
    });
    n('eth_type_trans', (a) => {
      const skb = this.skbOf(a[0], 'eth_type_trans');
      if (skb.len < 14)
        throw this.bug(
          'eth_type_trans on a runt',
          `skb#${a[0]} holds ${skb.len} bytes, less than an Ethernet header`,
        );
      const proto = ethTypeTrans(skb, dev);
      return proto;
    });
    n('netif_rx', (a) => {
      const skb = this.handUp(a[0], 'netif_rx');
      if (!skb) return NET_RX_DROP;
      return machine.softnet.netifRx(skb, dev);
    });
    n('netif_receive_skb', (a) => {
      if (this.op !== 'poll')
        this.warn(
          'netif_receive_skb outside NAPI',
          `netif_receive_skb in ${this.op}: it belongs in the NAPI poll; an interrupt handler hands frames up with netif_rx.`,
        );
      const skb = this.handUp(a[0], 'netif_receive_skb');
      if (!skb) return NET_RX_DROP;
      this.polled++;
      netifReceiveSkb(machine, skb, dev);
      return 0;
    });
    n('kfree_skb', (a) => {
      this.freeSkb(a[0]);
      return undefined;
    });

    n('napi_schedule', () => {
      if (!this.napiScheduled) {
        this.napiScheduled = true;
        this.schedulePoll();
      }
      return undefined;
    });
    n('napi_complete', () => {
      if (this.op !== 'poll') {
        this.warn(
          'napi_complete outside poll',
          'napi_complete_done belongs at the end of the NAPI poll, when it did less than its budget.',
        );
        return 0;
      }
      this.napiCompleted = true;
      return 1;
    });
    n('queue', (a) => {
      switch (a[0]) {
        case 0:
          netifStartQueue(dev);
          break;
        case 1:
          netifStopQueue(dev);
          break;
        case 2:
          netifWakeQueue(dev);
          break;
        case 3:
          return dev.txQueueStopped;
        case 4:
          netifCarrierOn(dev);
          break;
        case 5:
          netifCarrierOff(dev);
          break;
        case 6:
          return (dev.flags & flags.IFF_UP) !== 0;
      }
      return undefined;
    });
    n('mc_count', () => dev.mc.count);
    n('mc_addr', (a) => {
      let i = 0;
      for (const ha of dev.mc) if (i++ === a[0]) return ha.key;
      return 0;
    });
    n('set_dev_addr', (a) => {
      dev.devAddr.set(macFromKey(a[0]));
      return undefined;
    });
    n('eth_mac_addr', (a) => {
      const liveChange = (this.privFlags & IFF_LIVE_ADDR_CHANGE) !== 0;
      return ethMacAddr(dev, macFromKey(a[0]), liveChange);
    });
    n('dev_get', (a) => {
      switch (a[0]) {
        case 0:
          return dev.irq;
        case 1:
          return dev.baseAddr;
        case 2:
          return dev.flags;
        case 3:
          return dev.mtu;
        case 4:
          return dev.memStart;
        case 5:
          return dev.memEnd;
        case 6:
          return this.privFlags;
        case 7:
          return dev.ifPort;
        case 8:
          return macKey(dev.devAddr);
        case 9:
          return dev.promiscuity;
      }
      return 0;
    });
    n('dev_set', (a) => {
      const v = a[1];
      switch (a[0]) {
        case 0:
          dev.irq = v;
          break;
        case 1:
          dev.baseAddr = v;
          break;
        case 2:
          dev.flags = v;
          break;
        case 3:
          // changeMtu's WRITE_ONCE(dev->mtu, new_mtu); an integer, as the field is.
          if (Number.isInteger(v)) dev.mtu = v;
          break;
        case 6:
          this.privFlags = v;
          break;
        case 7:
          dev.ifPort = v;
          break;
      }
      return undefined;
    });

    n('dma_alloc', (a) => this.dmaAlloc(a[0]));
    n('dma_free', (a) => {
      if (!this.dmaBlocks?.release(a[0]))
        this.warn(
          'dma_free_coherent of memory not allocated',
          `0x${a[0].toString(16)} was not returned by dma_alloc_coherent (or was freed already)`,
        );
      return undefined;
    });
    n('dma_map', (a) => {
      const skb = this.skbOf(a[0], 'dma_map_single');
      const off = a[1];
      const len = a[2];
      if (!(off >= 0 && len > 0 && skb.data + off + len <= skb.buf.length)) return -errno.EINVAL;
      const addr = this.dmaAlloc(len);
      if (addr < 0) return addr;
      // A bounce buffer (swiotlb): the card sees a copy in host memory.
      if (a[3] !== 2) this.hostMemory().writeBytes(addr, skb.buf, skb.data + off, len);
      this.dmaMaps.set(addr, { skb, off, len, dir: a[3] });
      return addr;
    });
    n('dma_unmap', (a) => {
      const m = this.dmaMaps.get(a[0]);
      if (!m) {
        this.warn(
          'dma_unmap_single of an unmapped address',
          `0x${a[0].toString(16)} was not returned by dma_map_single (or was unmapped already)`,
        );
        return undefined;
      }
      this.dmaMaps.delete(a[0]);
      if (m.dir !== 1 && !m.skb.freed) {
        this.hostMemory().readBytes(a[0], m.skb.buf, m.skb.data + m.off, m.len);
        this.tagFromDma(m.skb, a[0]);
      }
      this.dmaBlocks!.release(a[0]);
      return undefined;
    });
    // dma_sync_single_for_cpu/_for_device: the bounce buffer and the skb agree again, the
    // mapping stays (a copybreak driver reads a small frame and leaves the buffer to the card).
    n('dma_sync', (a) => {
      const m = this.dmaMaps.get(a[0]);
      const len = Math.min(a[1], m?.len ?? 0);
      if (!m || !(len >= 0)) {
        this.warn(
          'dma_sync_single of an unmapped address',
          `0x${a[0].toString(16)} was not returned by dma_map_single (or was unmapped already)`,
        );
        return undefined;
      }
      if (a[2] === 1 && m.dir !== 1) {
        this.hostMemory().readBytes(a[0], m.skb.buf, m.skb.data + m.off, len);
        this.tagFromDma(m.skb, a[0]);
      } else if (a[2] === 0 && m.dir !== 2)
        this.hostMemory().writeBytes(a[0], m.skb.buf, m.skb.data + m.off, len);
      return undefined;
    });
    n('skb_copy', (a) => {
      const dst = this.skbOf(a[0], 'skb_copy_to_linear_data');
      const src = this.skbOf(a[2], 'skb_copy_to_linear_data (its source)');
      const [dOff, sOff, len] = [a[1], a[3], a[4]];
      if (!(len >= 0 && dOff >= 0 && dst.data + dOff + len <= dst.end))
        throw this.bug(
          'copy past the end of the skb',
          `${len} bytes into skb#${a[0]} at ${dOff}: it has room for ${dst.end - dst.data - Math.max(dOff, 0)}`,
        );
      if (!(sOff >= 0 && src.data + sOff + len <= src.end))
        throw this.bug(
          'copy past the end of the skb',
          `${len} bytes from skb#${a[2]} at ${sOff}: its buffer holds ${src.end - src.data - Math.max(sOff, 0)}`,
        );
      dst.buf.set(src.buf.subarray(src.data + sOff, src.data + sOff + len), dst.data + dOff);
      if (dst.wireSeq < 0) dst.wireSeq = src.wireSeq;
      return undefined;
    });
    n('dma_read', (a) =>
      a[0] === 1 ? this.hostMemory().read8(a[1]) : this.hostMemory().read32(a[1]),
    );
    n('dma_write', (a) => {
      if (a[0] === 1) this.hostMemory().write8(a[1], a[2]);
      else this.hostMemory().write32(a[1], a[2]);
      return undefined;
    });

    t('dev_name', () => dev.name);
    t('printk', (msg) => {
      this.log.push(`${dev.name}: ${String(msg)}`);
      if (this.log.length > 256) this.log.shift();
      return undefined;
    });
    t('ifr_in', () => this.ifrJson);
    t('ifr_out', (json) => {
      this.ifrJson = String(json);
      return undefined;
    });
  }

  /**
   * A receive buffer the driver takes back from a bus master (unmap, or sync for the CPU)
   * holds the frame the card last wrote there: the buffer becomes that frame, so the lab
   * can follow it to its socket (the card's buffers are reused, hence always overwritten).
   */
  private tagFromDma(skb: SkBuff, busAddr: number): void {
    const seq = this.card.dmaFrameSeq?.(busAddr) ?? -1;
    if (seq >= 0) skb.wireSeq = seq;
  }

  /** Lets go of the sandbox's functions it holds (before the sandbox is disposed). */
  dispose(): void {
    this.forget?.dispose();
    this.siteFn?.dispose();
    this.forget = null;
    this.siteFn = null;
  }

  /** dev->priv_flags (IFF_LIVE_ADDR_CHANGE is the one the kernel reads). */
  privFlags = 0;

  private ins(width: AccessWidth, port: number, id: number, off: number, count: number): undefined {
    const skb = this.skbOf(id, width === 2 ? 'insw' : width === 1 ? 'insb' : 'insl');
    const bytes = count * width;
    if (!(off >= 0 && count >= 0 && skb.data + off + bytes <= skb.buf.length))
      throw this.bug(
        'copy past the end of the skb',
        `${count} × ${width} bytes into skb#${id} at ${off}: the buffer has room for ${skb.buf.length - skb.data - off}`,
      );
    const reg = this.offsetOf(port, 'ins');
    const seq = this.card.rxFrameSeq?.() ?? -1;
    if (seq >= 0 && skb.wireSeq < 0) skb.wireSeq = seq;
    const buf = skb.buf;
    let at = skb.data + off;
    for (let i = 0; i < count; i++) {
      const v = reg < 0 ? 0xffffffff : this.card.read(width, reg);
      for (let b = 0; b < width; b++) buf[at++] = (v >>> (8 * b)) & 0xff;
    }
    return undefined;
  }

  private outs(
    width: AccessWidth,
    port: number,
    id: number,
    off: number,
    count: number,
  ): undefined {
    const skb = this.skbOf(id, width === 2 ? 'outsw' : width === 1 ? 'outsb' : 'outsl');
    const bytes = count * width;
    if (!(off >= 0 && count >= 0 && skb.data + off + bytes <= skb.buf.length))
      throw this.bug(
        'copy past the end of the skb',
        `${count} × ${width} bytes from skb#${id} at ${off}: the buffer holds ${skb.buf.length - skb.data - off}`,
      );
    const reg = this.offsetOf(port, 'outs');
    if (reg < 0) return undefined;
    const buf = skb.buf;
    let at = skb.data + off;
    for (let i = 0; i < count; i++) {
      let v = 0;
      for (let b = 0; b < width; b++) v |= buf[at++] << (8 * b);
      this.card.write(width, reg, v >>> 0);
    }
    return undefined;
  }
}
