import { ethTypeTrans } from '../netdev/eth';
import { FATE_DEV_DROP, FATE_HW_FILTER, FATE_RING_FULL, FATE_RX_ERROR } from '../netdev/fate';
import {
  netifCarrierOff,
  netifCarrierOn,
  netifStartQueue,
  netifStopQueue,
  netifWakeQueue,
} from '../netdev/dev-xmit';
import { IFF_UP } from '../netdev/flags';
import type { NetDevice } from '../netdev/net-device';
import { NETDEV_TX_BUSY, NETDEV_TX_OK } from '../netdev/ops';
import { NetDeviceStats } from '../netdev/stats';
import type { EventHandler } from '../sim/scheduler';
import { PACKET_MULTICAST, type SkBuff } from '../skb/sk-buff';
import { NET_SKB_PAD } from '../skb/truesize';
import { copyBytes } from '../wire/bytes';
import { ETH_FCS_LEN, ETH_HLEN, ETH_MIN_FRAME, ETH_ZLEN, padAndAppendFcs } from '../wire/ethernet';
import { macKey } from '../wire/mac';
import type { Machine } from './machine';
import type { NicModel, PerfectFallback } from './nic-model';
import {
  RXV_IGNORE,
  RXV_REJECT,
  RXV_TAKE,
  TX_ABORTED,
  TX_CARRIER,
  TX_LATE_COLLISION,
  TX_OK,
  type MacPort,
  type Phy,
  type PhyFrame,
} from './phy';
import { HW_REJECT, RxFilter } from './rx-filter';
import { RxFilterHistory } from './rx-filter-history';
import { netifReceiveSkb } from './softnet';
import { DESC_LEN, DESC_STRIDE, DESC_TSTAMP, DESC_VERDICT, DESC_WIRE_SEQ, RxRing } from './rx-ring';
import { TxRing } from './tx-ring';

/** Room for an 802.1Q tag beyond the MTU and the Ethernet header. */
const VLAN_HLEN = 4;

const EV_POLL = 1;
const EV_NO_CABLE = 2;

/** Settings of the shared core; each has a realistic default. */
export interface NicTuning {
  /** RX descriptors (power of two, 8..4096). */
  rxRing: number;
  /** TX descriptors (power of two, 8..4096). */
  txRing: number;
  /** Frames up to this length are copied into a small buffer and the ring buffer reused (rx_copybreak). */
  copybreak: number;
  /** Interrupt moderation: at least this many ns between RX interrupts (ITR). 0 = one per frame. */
  irqInterval: number;
  /** NAPI weight: frames per poll before the poll yields the CPU. */
  napiWeight: number;
  /** Entries of the perfect model's setup frame (16 on a 21x4x): two hold broadcast and own. */
  entries: number;
  fallback: PerfectFallback;
}

export const DEFAULT_TUNING: NicTuning = {
  rxRing: 256,
  txRing: 64,
  copybreak: 256,
  irqInterval: 20_000,
  napiWeight: 64,
  entries: 16,
  fallback: 'hash',
};

/** Counters of the hardware itself, beyond net_device_stats (read with a private ioctl). */
export class NicHwStats {
  /** Rejects counted here so far; the medium may hold more (`rejected` collects them). */
  rejectedCounted = 0;
  /** Collects the rejects the medium counted for the card (see EtherNic.collectRejects). */
  collect: () => void = () => {};
  /** Frames the address filter turned away, at no cost to the host. */
  get rejected(): number {
    this.collect();
    return this.rejectedCounted;
  }
  /** Frames let in, by filter verdict (rx-filter.ts HW_*). */
  readonly acceptedBy = new Float64Array(7);
  rxInterrupts = 0;
  txInterrupts = 0;
  polls = 0;
  /**
   * Polls that used their whole NAPI weight: there was more work than one poll
   * may do, so the CPU was squeezed (softnet_stat's time_squeeze).
   */
  budgetExhausted = 0;
}

/**
 * The shared core of every NIC model: the hardware (filter, DMA into an RX
 * ring, transmit from a TX ring, interrupts) and the driver around it (open,
 * stop, hard_start_xmit, a NAPI poll on the host's CPU). Models differ only in
 * their `NicModel`: filter programming, resources and MAC policy.
 */
export class EtherNic implements MacPort, EventHandler {
  readonly stats = new NetDeviceStats();
  readonly hw = new NicHwStats();
  readonly filter: RxFilter;
  /** How the card listened over time, to say later why it turned a frame away. */
  readonly filterHistory = new RxFilterHistory();
  readonly tuning: NicTuning;
  dev!: NetDevice;
  rx: RxRing | null = null;
  tx: TxRing | null = null;

  private phy: Phy | null = null;
  private readonly handlerId: number;
  /** Bumped on stop, so events scheduled before it are recognised as stale. */
  private gen = 0;
  private ownKey = 0;
  private napiScheduled = false;
  /** When the last poll's work on the CPU ends: interrupts stay masked until then. */
  private pollDoneAt = 0;
  private lastIrqAt = -Infinity;
  /** The hardware is sending a frame (true until `txDone`, even across a stop). */
  private txActive = false;
  /** The frame on the wire belonged to a ring that stop() freed: ignore its completion. */
  private txOrphaned = false;
  /** Inside the interrupt handler or poll: a nested interrupt is scheduled, not run. */
  private inHandler = false;

  constructor(
    readonly machine: Machine,
    readonly model: NicModel,
    tuning: Partial<NicTuning> = {},
  ) {
    this.tuning = { ...DEFAULT_TUNING, ...tuning };
    // The setup frame's last entry is the card's own address and one more the broadcast.
    const perfectCapacity = model.name === 'perfect' ? this.tuning.entries - 2 : 0;
    this.filter = new RxFilter(perfectCapacity, model.hashBins);
    this.handlerId = machine.sched.register(this);
    this.hw.collect = () => this.collectRejects();
    machine.fates.onRead(this.hw.collect);
  }

  get name(): string {
    return this.dev.name;
  }

  get running(): boolean {
    return this.rx !== null;
  }

  /** Plugs the cable into a medium. */
  attach(phy: Phy): void {
    this.collectRejects();
    this.phy = phy;
    this.noteListening();
    if (this.running) this.carrierChanged(phy.carrier);
  }

  // ---- driver ops -------------------------------------------------------

  open(dev: NetDevice): number {
    const ret = this.machine.requestIrq(dev.irq, dev.name);
    if (ret !== 0) return ret;
    const pool = this.machine.skbPool;
    this.rx = new RxRing(`${dev.name} rx ring`, this.tuning.rxRing, this.rxBufSize(), pool);
    this.tx = new TxRing(`${dev.name} tx ring`, this.tuning.txRing);
    this.gen++;
    this.napiScheduled = false;
    this.refreshOwnKey();
    netifStartQueue(dev);
    if (this.phy?.carrier) netifCarrierOn(dev);
    else netifCarrierOff(dev);
    this.noteListening();
    return 0;
  }

  stop(dev: NetDevice): void {
    this.gen++;
    this.napiScheduled = false;
    netifStopQueue(dev);
    if (this.rx) this.releaseRx(this.rx);
    this.machine.softnet.purge(dev);
    if (this.tx && this.tx.count > 0 && this.txActive) this.txOrphaned = true;
    this.tx?.release();
    this.rx = null;
    this.tx = null;
    this.machine.freeIrq(dev.irq, dev.name);
    netifCarrierOff(dev);
    this.noteListening();
  }

  hardStartXmit(skb: SkBuff, dev: NetDevice): number {
    const tx = this.tx;
    if (tx === null) {
      this.stats.tx_dropped++;
      skb.free();
      return NETDEV_TX_OK;
    }
    if (tx.full) {
      netifStopQueue(dev);
      return NETDEV_TX_BUSY;
    }
    if (skb.len > dev.mtu + ETH_HLEN + VLAN_HLEN || skb.len < ETH_HLEN) {
      this.stats.tx_dropped++;
      skb.free();
      return NETDEV_TX_OK;
    }
    tx.push(skb);
    if (tx.full) netifStopQueue(dev);
    if (!this.txActive) this.startTx();
    return NETDEV_TX_OK;
  }

  /** `ndo_change_mtu`: the RX buffers are sized by the MTU, so a running ring is rebuilt. */
  changeMtu(dev: NetDevice, mtu: number): number {
    dev.mtu = mtu;
    if (this.rx) {
      this.releaseRx(this.rx);
      this.rx = new RxRing(
        `${dev.name} rx ring`,
        this.tuning.rxRing,
        this.rxBufSize(),
        this.machine.skbPool,
      );
    }
    return 0;
  }

  setMulticastList(dev: NetDevice): void {
    this.model.program(dev, this.filter, this.tuning.fallback);
    this.noteListening();
  }

  /**
   * Frees the RX ring. Frames it held that the driver had not taken yet are
   * dropped (`rx_dropped`), each with its fate: they reached the host.
   */
  private releaseRx(rx: RxRing): void {
    const fates = this.machine.fates;
    const now = this.machine.sched.now;
    for (let i = 0, at = rx.clean; i < rx.pending; i++, at = (at + 1) % rx.size) {
      fates.record(rx.wireSeq(at), now, FATE_DEV_DROP, -1, this.dev.ifindex);
    }
    this.stats.rx_dropped += rx.release();
  }

  /** Called whenever the MAC address changed, so the filter matches the new one. */
  refreshOwnKey(): void {
    this.ownKey = macKey(this.dev.devAddr);
    this.noteListening();
  }

  private noteListening(): void {
    this.phy?.rxFilterChanged?.();
    const plugged = this.phy?.carrier ?? false;
    this.filterHistory.note(
      this.machine.sched.now,
      this.rx !== null,
      plugged,
      this.ownKey,
      this.filter,
    );
  }

  // ---- transmit (hardware) ---------------------------------------------

  private startTx(): void {
    const skb = this.tx?.peek();
    if (!skb) return;
    this.txActive = true;
    if (this.phy === null) {
      // No cable at all: the hardware finds no carrier.
      this.machine.sched.schedule(this.machine.sched.now, this.handlerId, EV_NO_CABLE, this.gen);
      return;
    }
    const len = skb.len;
    const frame = this.phy.allocFrame(Math.max(len, ETH_ZLEN) + ETH_FCS_LEN);
    const buf = frame.buf;
    // DMA into the frame, four bytes to a word write: a view of the buffer's bytes to copy
    // from (`copyBytes`' way) would be an object per frame.
    const view = frame.view;
    const src = skb.buf;
    let at = skb.data;
    let i = 0;
    for (; i + 4 <= len; i += 4, at += 4) {
      view.setInt32(
        i,
        src[at] | (src[at + 1] << 8) | (src[at + 2] << 16) | (src[at + 3] << 24),
        true,
      );
    }
    for (; i < len; i++, at++) buf[i] = src[at];
    frame.len = padAndAppendFcs(buf, len, view);
    frame.txSkbId = skb.id;
    this.phy.transmit(frame);
  }

  txDone(status: number, collisions: number): void {
    this.txActive = false;
    if (this.txOrphaned) {
      this.txOrphaned = false;
    } else {
      const skb = this.tx?.shift();
      if (skb) this.completeTx(skb, status, collisions);
    }
    const dev = this.dev;
    if (!(dev.flags & IFF_UP) || this.tx === null) return;
    if (this.tx.count > 0) this.startTx();
    if (dev.txQueueStopped && !this.tx.full) netifWakeQueue(dev);
  }

  private completeTx(skb: SkBuff, status: number, collisions: number): void {
    const s = this.stats;
    s.collisions += collisions;
    if (status === TX_OK) {
      s.tx_packets++;
      s.tx_bytes += skb.len;
    } else {
      s.tx_errors++;
      if (status === TX_ABORTED) s.tx_aborted_errors++;
      else if (status === TX_CARRIER) s.tx_carrier_errors++;
      else if (status === TX_LATE_COLLISION) s.tx_window_errors++;
    }
    this.hw.txInterrupts++;
    this.machine.countInterrupt(this.dev.irq);
    skb.free();
  }

  carrierChanged(on: boolean): void {
    this.noteListening();
    if (!this.running) return;
    if (on) netifCarrierOn(this.dev);
    else netifCarrierOff(this.dev);
  }

  // ---- receive (hardware) ----------------------------------------------

  rxVerdict(frame: PhyFrame): number {
    if (this.rx === null) return RXV_IGNORE;
    return this.filter.classify(frame, this.ownKey) === HW_REJECT ? RXV_REJECT : RXV_TAKE;
  }

  /**
   * Adds the rejects the medium counted for this card (it skipped `receive` for
   * them) to the card's counter and the host's fate totals, as `receive` would
   * have one by one; readers of either call it first.
   */
  private collectRejects(): void {
    const n = this.phy?.takeRejects?.() ?? 0;
    if (n === 0) return;
    this.hw.rejectedCounted += n;
    this.machine.fates.count(FATE_HW_FILTER, n);
  }

  receive(frame: PhyFrame): void {
    const rx = this.rx;
    if (rx === null) return; // receiver off while the device is down
    const verdict = this.filter.classify(frame, this.ownKey);
    const fates = this.machine.fates;
    const now = this.machine.sched.now;
    if (verdict === HW_REJECT) {
      this.hw.rejectedCounted++;
      fates.count(FATE_HW_FILTER);
      return;
    }
    this.hw.acceptedBy[verdict]++;
    const s = this.stats;
    const len = frame.len;
    if (len < ETH_MIN_FRAME || len > this.dev.mtu + ETH_HLEN + VLAN_HLEN + ETH_FCS_LEN) {
      s.rx_length_errors++;
      s.rx_errors++;
      fates.record(frame.seq, now, FATE_RX_ERROR, -1, this.dev.ifindex);
      return;
    }
    if (!frame.fcsOk) {
      s.rx_crc_errors++;
      s.rx_errors++;
      fates.record(frame.seq, now, FATE_RX_ERROR, -1, this.dev.ifindex);
      return;
    }
    if (rx.full) {
      s.rx_missed_errors++;
      fates.record(frame.seq, now, FATE_RING_FULL, -1, this.dev.ifindex);
      return;
    }
    // DMA into the next descriptor's buffer, FCS stripped as drivers do, and the
    // descriptor's status written back. The buffer references the frame's bytes on
    // the wire rather than copying them (they cannot change): the same bytes, in
    // the same buffer, charged the same.
    const i = rx.fill;
    const dataLen = len - ETH_FCS_LEN;
    if (frame.backing !== null) rx.lend(i, frame);
    else {
      const slot = rx.slot(i);
      copyBytes(slot.buf, slot.data, frame.buf, 0, dataLen);
    }
    const d = rx.desc;
    const di = i * DESC_STRIDE;
    d[di + DESC_LEN] = dataLen;
    d[di + DESC_TSTAMP] = now;
    d[di + DESC_VERDICT] = verdict;
    d[di + DESC_WIRE_SEQ] = frame.seq;
    rx.fill = rx.fill + 1 === rx.size ? 0 : rx.fill + 1; // no division per frame
    rx.pending++;
    if (!this.napiScheduled) this.raiseRxInterrupt();
  }

  /** Top half: mask RX interrupts and schedule the bottom half, moderated by `irqInterval`. */
  private raiseRxInterrupt(): void {
    const sched = this.machine.sched;
    let at = sched.now;
    if (at < this.pollDoneAt) at = this.pollDoneAt;
    const earliest = this.lastIrqAt + this.tuning.irqInterval;
    if (at < earliest) at = earliest;
    this.napiScheduled = true;
    this.lastIrqAt = at;
    this.hw.rxInterrupts++;
    this.machine.countInterrupt(this.dev.irq);
    // An interrupt due now is taken now: the handler runs as the DMA completes.
    if (at === sched.now && !this.inHandler) this.handleEvent(EV_POLL, this.gen);
    else sched.schedule(at, this.handlerId, EV_POLL, this.gen);
  }

  handleEvent(kind: number, gen: number): void {
    if (gen !== this.gen) return; // scheduled before the device was stopped
    if (kind === EV_POLL) {
      this.inHandler = true;
      if (this.model.napi) this.napiPoll();
      else this.interruptHandler();
      this.inHandler = false;
    } else if (kind === EV_NO_CABLE) this.txDone(TX_CARRIER, 0);
  }

  /**
   * A driver without NAPI: its interrupt handler empties the ring into the
   * per-CPU backlog with `netif_rx`, at interrupt time, whatever the CPU is
   * doing; the softirq does the protocol work later. Under a flood the
   * backlog, not the ring, is where frames are lost.
   */
  private interruptHandler(): void {
    const gen = this.gen;
    const softnet = this.machine.softnet;
    while (this.rx !== null && this.rx.pending > 0 && gen === this.gen) {
      softnet.netifRx(this.takeFrame(this.rx), this.dev);
    }
    if (gen !== this.gen) return;
    this.napiScheduled = false;
    this.pollDoneAt = this.machine.sched.now;
  }

  /**
   * Bottom half: hands up to `napiWeight` frames to the stack, charging the
   * host's CPU for each. With frames left, it polls again when the CPU is free;
   * otherwise it completes and interrupts are unmasked when its work is done.
   */
  private napiPoll(): void {
    const sched = this.machine.sched;
    const cpu = this.machine.cpu;
    if (cpu.busyUntil > sched.now) {
      sched.schedule(cpu.busyUntil, this.handlerId, EV_POLL, this.gen);
      return;
    }
    this.hw.polls++;
    const gen = this.gen;
    let n = 0;
    while (
      n < this.tuning.napiWeight &&
      this.rx !== null &&
      this.rx.pending > 0 &&
      gen === this.gen
    ) {
      netifReceiveSkb(this.machine, this.takeFrame(this.rx), this.dev);
      n++;
    }
    if (gen !== this.gen) return; // the stack stopped the device while we delivered
    const done = cpu.charge(sched.now, n);
    if (this.rx !== null && this.rx.pending > 0) {
      if (n === this.tuning.napiWeight) {
        this.hw.budgetExhausted++;
        this.machine.softnet.timeSqueeze++;
      }
      sched.schedule(done, this.handlerId, EV_POLL, this.gen);
    } else {
      this.napiScheduled = false;
      this.pollDoneAt = done;
    }
  }

  /**
   * Takes the next frame out of the ring as the driver does: small frames are
   * copied into a right-sized buffer and the ring buffer reused (copybreak),
   * big ones handed up in the ring buffer and the slot refilled. Then
   * `eth_type_trans`. The caller hands the buffer on.
   */
  private takeFrame(rx: RxRing): SkBuff {
    const i = rx.clean;
    const d = rx.desc;
    const di = i * DESC_STRIDE;
    const len = d[di + DESC_LEN];
    // The slot's reference to the wire frame it read, if any, passes to the buffer handed up.
    const lender = rx.lent[i];
    if (lender !== null) rx.lent[i] = null;
    let skb: SkBuff;
    if (len <= this.tuning.copybreak) {
      // netdev_alloc_skb + skb_reserve + skb_put on a fresh buffer sized for them.
      skb = this.machine.skbPool.alloc(NET_SKB_PAD + len);
      skb.data = NET_SKB_PAD;
      skb.tail = NET_SKB_PAD + len;
      // The copy holds what the ring buffer held: a wire frame's bytes, referenced.
      if (lender !== null) skb.takeLoan(lender);
      else {
        const slot = rx.slot(i);
        copyBytes(skb.buf, NET_SKB_PAD, slot.buf, slot.data, len);
      }
    } else {
      skb = rx.takeBuffer(i);
      if (lender !== null) skb.takeLoan(lender);
      skb.tail = skb.data + len;
    }
    skb.tstamp = d[di + DESC_TSTAMP];
    skb.rxVerdict = d[di + DESC_VERDICT];
    skb.wireSeq = d[di + DESC_WIRE_SEQ];
    skb.iif = this.dev.ifindex;
    rx.clean = rx.clean + 1 === rx.size ? 0 : rx.clean + 1;
    rx.pending--;
    const s = this.stats;
    s.rx_packets++;
    s.rx_bytes += len;
    const dev = this.dev;
    ethTypeTrans(skb, dev);
    if (skb.pktType === PACKET_MULTICAST) s.multicast++;
    return skb;
  }

  private rxBufSize(): number {
    return this.dev.mtu + ETH_HLEN + VLAN_HLEN;
  }
}
