import { FATE_HW_FILTER, FATE_RING_FULL, FATE_RX_ERROR, type FateLog } from '../../../netdev/fate';
import { TX_ABORTED, TX_CARRIER, TX_LATE_COLLISION, TX_OK } from '../../phy';
import type { Phy, PhyFrame } from '../../phy';
import { copyBytes } from '../../../wire/bytes';
import { crc32 } from '../../../wire/crc32';
import { ETH_FCS_LEN, ETH_MIN_FRAME, ETH_ZLEN, padAndAppendFcs } from '../../../wire/ethernet';
import { ETH_ALEN } from '../../../wire/mac';
import {
  ABNORMAL_SOURCES,
  AbnormalIntr,
  AcceptAllMulticast,
  AcceptAllPhys,
  AcceptRunt,
  BUF2_SHIFT,
  BUF_SIZE_MASK,
  CSR0,
  CSR0_DSL_MASK,
  CSR0_DSL_SHIFT,
  CSR0_SWR,
  CSR1,
  CSR2,
  CSR3,
  CSR4,
  CSR5,
  CSR5_RS_SHIFT,
  CSR5_TS_SHIFT,
  CSR5_W1C,
  CSR6,
  CSR6_FILTER_RO,
  CSR6_HO,
  CSR6_HP,
  CSR6_IF,
  CSR7,
  CSR8,
  CSR9,
  CSR12,
  DESC_BUFFER1,
  DESC_BUFFER2,
  DESC_CHAINED,
  DESC_LENGTH,
  DESC_RING_WRAP,
  DESC_SIZE,
  DESC_STATUS,
  DescOwned,
  FILTER_HASH,
  FILTER_HASH_ONLY,
  FILTER_INVERSE,
  NORMAL_SOURCES,
  NormalIntr,
  RDES0_CE,
  RDES0_DE,
  RDES0_ES,
  RDES0_FL_MASK,
  RDES0_FL_SHIFT,
  RDES0_FS,
  RDES0_LS,
  RDES0_MF,
  RDES0_TL,
  RS_STOPPED,
  RS_SUSPENDED,
  RS_WAITING,
  RxIntr,
  RxNoBuf,
  RxOn,
  SETUP_FRAME_LEN,
  SystemError,
  TDES0_CC_SHIFT,
  TDES0_EC,
  TDES0_ES,
  TDES0_LC,
  TDES0_LO,
  TDES0_NC,
  TDES0_SETUP_DONE,
  TDES0_TO,
  TDES1_AC,
  TDES1_DPD,
  TDES1_FS,
  TDES1_FT0,
  TDES1_FT1,
  TDES1_IC,
  TDES1_LS,
  TDES1_SET,
  TPLnkFail,
  TPLnkPass,
  TS_STOPPED,
  TS_SUSPENDED,
  TS_WAITING,
  TULIP_IO_SIZE,
  TX_JABBER_LEN,
  TxIntr,
  TxJabber,
  TxNoBuf,
  TxOn,
} from './csr';
import { SetupFilter } from './setup-filter';
import {
  DmaFault,
  IrqLine,
  type AccessWidth,
  type DmaMemory,
  type RegisterCard,
} from '../register-card';

/** Counters of the chip itself, for the lab's reports (not registers). */
export class TulipCounters {
  /** Frames the address filter turned away. */
  rejected = 0;
  /** Frames lost because the card owned no receive descriptor (also CSR8's MFC). */
  missed = 0;
  /** Frames dropped for a bad FCS or as runts (PB clear). */
  badFrames = 0;
  setupFrames = 0;
  txFrames = 0;
  rxFrames = 0;
}

const DEFAULT_CSR0 = 0xfe000000;
const DEFAULT_CSR6 = 0x02000000;
const CSR8_MFO = 0x10000;
/** LS10 in CSR12: the 10 Mbps link failed. */
const CSR12_LS10 = 0x4;

/**
 * A DEC 21143-style ("Tulip") bus-master Ethernet card. The driver talks to it
 * through 16 CSRs and two descriptor lists in host memory; the card moves
 * frames between the wire and the buffers those descriptors point at, writes
 * their status back and clears their OWN bit, and filters addresses as the
 * last setup frame told it (16 perfect entries, or a 512-bin hash and one
 * perfect address). As on the real chip, its DMA happens as frames arrive and
 * leave; the driver sees the results through CSR5 and the descriptors.
 *
 * The Ethernet address is read as on the 21040: write CSR9, then each read of
 * CSR9 returns the next address byte.
 */
export class TulipCard implements RegisterCard {
  readonly kind = 'tulip';
  readonly space = 'mmio';
  readonly extent = TULIP_IO_SIZE;
  readonly prom: Uint8Array;
  readonly counters = new TulipCounters();
  readonly filter = new SetupFilter();
  private readonly csr = new Uint32Array(16);
  /** CSR5's interrupt source bits (16:0, summaries computed on read). */
  private status = 0;
  private rs = RS_STOPPED;
  private ts = TS_STOPPED;
  /** Bus address of the receive/transmit descriptor each process looks at next. */
  private rxDesc = 0;
  private txDesc = 0;
  /** A frame is on the wire; its descriptors are `txFirst`..`txLast`. */
  private txBusy = false;
  private txFirst = 0;
  private txLast = 0;
  private txLastCtl = 0;
  private missedFrames = 0;
  private romPtr = 0;
  private readonly rom = new Uint8Array(32);
  private phy: Phy | null = null;
  private mem: DmaMemory | null = null;
  private misuse: ((message: string) => void) | null = null;
  private readonly irq = new IrqLine();
  /** Assembles a multi-descriptor transmit frame. */
  private readonly txBuf = new Uint8Array(TX_JABBER_LEN + 64);
  private readonly setupBuf = new Uint8Array(SETUP_FRAME_LEN);
  /**
   * The wire number of the frame last DMA'd into the buffer at each bus address: a
   * bus master's frames reach the host through memory, not a port the kernel sees,
   * so the kernel asks here when the driver unmaps or syncs a receive buffer.
   */
  private readonly seqAt = new Map<number, number>();

  constructor(
    readonly name: string,
    /** The address burned into the card's ROM. */
    mac: Uint8Array,
    /** The host's fate log and clock, for the frames the card drops itself. */
    private readonly host: { fates: FateLog; sched: { now: number } } | null = null,
  ) {
    this.prom = mac.slice(0, ETH_ALEN);
    this.rom.set(this.prom);
    this.reset();
  }

  /** Frames the address filter let in, and turned away (the lab's per-card counts). */
  get accepted(): number {
    return this.counters.rxFrames + this.counters.missed;
  }

  get rejected(): number {
    return this.counters.rejected;
  }

  /** Gives the card its view of host memory (bus mastering). */
  attachDma(mem: DmaMemory): void {
    this.mem = mem;
  }

  /** Plugs the cable into a medium. */
  attach(phy: Phy): void {
    this.phy = phy;
  }

  /** The interrupt line: `cb(level)` whenever it rises or falls. */
  onIrq(cb: (level: boolean) => void): void {
    this.irq.listen(cb);
  }

  /** The 21x4x filters multicast itself (perfect entries or the hash): no IFF_PROMISC needed. */
  readonly canFilterMulticast = true;

  /** Where the card tells of register use its manual forbids (the kernel names the line). */
  onMisuse(cb: (message: string) => void): void {
    this.misuse = cb;
  }

  private misused(message: string): void {
    if (this.misuse) this.misuse(`${this.name}: ${message}`);
  }

  get irqAsserted(): boolean {
    return this.irq.asserted;
  }

  /** Both processes stopped: CSR6 SR and ST clear (or never set since reset). */
  get stopped(): boolean {
    return this.rs === RS_STOPPED && this.ts === TS_STOPPED;
  }

  // ---- register access --------------------------------------------------

  read(width: AccessWidth, offset: number): number {
    const i = this.csrIndex(width, offset, 'read');
    if (i < 0) return 0xffffffff; // nothing decodes it: the bus reads all ones
    switch (offset) {
      case CSR5:
        return this.csr5() >>> 0;
      case CSR6:
        return (this.csr[6] & ~CSR6_FILTER_RO) | this.filterModeBits();
      case CSR8: {
        const v = Math.min(this.missedFrames, 0xffff) | (this.missedFrames > 0xffff ? CSR8_MFO : 0);
        this.missedFrames = 0;
        return v;
      }
      case CSR9: {
        const v = this.rom[this.romPtr];
        this.romPtr = (this.romPtr + 1) % this.rom.length;
        return v;
      }
      case CSR12:
        return this.phy?.carrier ? 0 : CSR12_LS10;
      case CSR1:
      case CSR2:
        return 0xffffffff;
      default:
        return this.csr[i];
    }
  }

  write(width: AccessWidth, offset: number, value: number): void {
    const i = this.csrIndex(width, offset, 'write');
    if (i < 0) return;
    value >>>= 0;
    switch (offset) {
      case CSR0:
        if (value & CSR0_SWR) this.reset();
        else this.csr[0] = value;
        return;
      case CSR1:
        if (this.ts === TS_SUSPENDED) this.ts = TS_WAITING;
        this.runTx();
        return;
      case CSR2:
        if (this.rs === RS_SUSPENDED && this.fetchRx()) this.rs = RS_WAITING;
        return;
      case CSR3:
        // The manual allows this only while the receiver is stopped; the chip ignores it otherwise.
        if (this.rs === RS_STOPPED) this.csr[3] = this.rxDesc = value;
        else
          this.misused(
            'CSR3 written while the receiver runs (CSR6 SR set): the card ignores it; clear SR first',
          );
        return;
      case CSR4:
        if (this.ts === TS_STOPPED) this.csr[4] = this.txDesc = value;
        else
          this.misused(
            'CSR4 written while the transmitter runs (CSR6 ST set): the card ignores it; clear ST first',
          );
        return;
      case CSR5:
        this.status &= ~(value & CSR5_W1C);
        this.updateIrq();
        return;
      case CSR6:
        this.writeCsr6(value);
        return;
      case CSR7:
        this.csr[7] = value & (CSR5_W1C | NormalIntr | AbnormalIntr);
        this.updateIrq();
        return;
      case CSR9:
        this.romPtr = 0;
        return;
      default:
        this.csr[i] = value;
    }
  }

  private csrIndex(width: number, offset: number, what: string): number {
    if (width !== 4) {
      const message = `${what} of ${width} byte(s) at CSR offset 0x${offset.toString(16)}: the Tulip's CSRs are 32-bit (ioread32/iowrite32)`;
      if (!this.misuse) throw new RangeError(`${this.name}: ${message}`);
      this.misused(`${message}; nothing answers a narrower access`);
      return -1;
    }
    // CSR0..CSR15 sit at 0x00, 0x08, … 0x78; nothing else in the window answers.
    if (!Number.isInteger(offset) || offset < 0 || offset >= TULIP_IO_SIZE || offset % 8 !== 0) {
      return -1;
    }
    return offset >> 3;
  }

  /** CSR0 SWR or the bus's RESET: every register to its default, both processes stopped, the filter emptied. */
  reset(): void {
    this.csr.fill(0);
    this.csr[0] = DEFAULT_CSR0;
    this.csr[6] = DEFAULT_CSR6;
    this.status = 0;
    this.rs = RS_STOPPED;
    this.ts = TS_STOPPED;
    this.rxDesc = this.txDesc = 0;
    this.missedFrames = 0;
    this.seqAt.clear();
    this.filter.reset();
    // A frame already on the wire finishes, but its status goes nowhere.
    this.txLast = -1;
    this.updateIrq();
  }

  private writeCsr6(value: number): void {
    const was = this.csr[6];
    this.csr[6] = (value & ~CSR6_FILTER_RO) >>> 0;
    if (value & RxOn && !(was & RxOn)) {
      this.rs = RS_WAITING;
      if (!this.fetchRx()) this.suspendRx();
    } else if (!(value & RxOn)) this.rs = RS_STOPPED;
    if (value & TxOn && !(was & TxOn)) {
      this.ts = TS_WAITING;
      this.runTx();
    } else if (!(value & TxOn) && !this.txBusy) this.ts = TS_STOPPED;
    this.updateIrq();
  }

  private filterModeBits(): number {
    switch (this.filter.mode) {
      case FILTER_HASH:
        return CSR6_HP;
      case FILTER_HASH_ONLY:
        return CSR6_HP | CSR6_HO;
      case FILTER_INVERSE:
        return CSR6_IF;
      default:
        return 0;
    }
  }

  private csr5(): number {
    let v = this.status;
    if (v & NORMAL_SOURCES) v |= NormalIntr;
    if (v & ABNORMAL_SOURCES) v |= AbnormalIntr;
    return v | (this.rs << CSR5_RS_SHIFT) | (this.ts << CSR5_TS_SHIFT);
  }

  private raise(bits: number): void {
    this.status |= bits;
    this.updateIrq();
  }

  /** The line is high while an enabled source is set and its summary is enabled too. */
  private updateIrq(): void {
    const ie = this.csr[7];
    const pending = this.status & ie;
    const level =
      ((ie & NormalIntr) !== 0 && (pending & NORMAL_SOURCES) !== 0) ||
      ((ie & AbnormalIntr) !== 0 && (pending & ABNORMAL_SOURCES) !== 0);
    this.irq.set(level);
  }

  // ---- host memory --------------------------------------------------------

  private rd32(addr: number): number {
    if (this.mem === null) throw new DmaFault(addr, 4, 0);
    return this.mem.read32(addr);
  }

  private wr32(addr: number, v: number): void {
    if (this.mem === null) throw new DmaFault(addr, 4, 0);
    this.mem.write32(addr, v);
  }

  /** A master abort: the chip stops both processes and reports a fatal bus error. */
  private busError(): void {
    this.rs = RS_STOPPED;
    this.ts = TS_STOPPED;
    this.csr[6] &= ~(RxOn | TxOn);
    this.raise(SystemError);
  }

  /** The descriptor after `desc`: the list base after RER/TER, buffer2 if chained, else the next in the ring. */
  private nextDesc(desc: number, ctl: number, base: number): number {
    if (ctl & DESC_RING_WRAP) return base;
    if (ctl & DESC_CHAINED) return this.rd32(desc + DESC_BUFFER2);
    const dsl = (this.csr[0] >>> CSR0_DSL_SHIFT) & CSR0_DSL_MASK;
    return desc + DESC_SIZE + dsl * 4;
  }

  // ---- receive --------------------------------------------------------------

  /** Whether the card owns the receive descriptor it looks at. */
  private fetchRx(): boolean {
    try {
      return (this.rd32(this.rxDesc + DESC_STATUS) & DescOwned) !== 0;
    } catch (e) {
      if (!(e instanceof DmaFault)) throw e;
      this.busError();
      return false;
    }
  }

  private suspendRx(): void {
    this.rs = RS_SUSPENDED;
    this.raise(RxNoBuf);
  }

  receive(frame: PhyFrame): void {
    if (this.rs === RS_STOPPED) return;
    const buf = frame.buf;
    const mode = this.csr[6];
    const group = (buf[0] & 1) !== 0;
    if (
      !(mode & AcceptAllPhys) &&
      !(group && mode & AcceptAllMulticast) &&
      !this.filter.accepts(buf, 0, frame.destKey)
    ) {
      this.counters.rejected++;
      this.host?.fates.count(FATE_HW_FILTER);
      return;
    }
    const len = frame.len;
    let errors = 0;
    if (!frame.fcsOk) errors |= RDES0_CE;
    if ((len < ETH_MIN_FRAME || errors) && !(mode & AcceptRunt)) {
      this.counters.badFrames++;
      this.fate(frame.seq, FATE_RX_ERROR);
      return;
    }
    if (len > 1518) errors |= RDES0_TL;
    if (this.rs === RS_SUSPENDED) {
      // A new frame makes a suspended receiver fetch its descriptor again.
      if (!this.fetchRx()) {
        this.missed(frame.seq);
        return;
      }
      this.rs = RS_WAITING;
    }
    try {
      this.dmaFrame(buf, len, group, errors, frame.seq);
    } catch (e) {
      if (!(e instanceof DmaFault)) throw e;
      this.fate(frame.seq, FATE_RX_ERROR);
      this.busError();
    }
  }

  private missed(seq: number): void {
    this.missedFrames++;
    this.counters.missed++;
    this.fate(seq, FATE_RING_FULL);
  }

  private fate(seq: number, stage: number): void {
    this.host?.fates.record(seq, this.host.sched.now, stage);
  }

  /** The wire number of the received frame the card last wrote at bus address `addr`, or -1. */
  dmaFrameSeq(addr: number): number {
    return this.seqAt.get(addr) ?? -1;
  }

  /** Writes the frame (FCS included, as the chip does) into as many descriptors as it takes. */
  private dmaFrame(
    buf: Uint8Array,
    len: number,
    group: boolean,
    errors: number,
    seq: number,
  ): void {
    const base = this.csr[3];
    let done = 0;
    let first = true;
    for (;;) {
      const desc = this.rxDesc;
      const status = this.rd32(desc + DESC_STATUS);
      if (!(status & DescOwned)) {
        // Ran out of descriptors in mid-frame: the frame is truncated there (DE) or,
        // before its first byte, missed.
        if (first) this.missed(seq);
        else this.fate(seq, FATE_RING_FULL); // cut short: the driver drops it (RDES0 DE)
        this.suspendRx();
        return;
      }
      const ctl = this.rd32(desc + DESC_LENGTH);
      const size1 = ctl & BUF_SIZE_MASK;
      const size2 = ctl & DESC_CHAINED ? 0 : (ctl >>> BUF2_SHIFT) & BUF_SIZE_MASK;
      const n1 = Math.min(size1, len - done);
      if (n1 > 0) {
        const addr = this.rd32(desc + DESC_BUFFER1);
        this.mem!.writeBytes(addr, buf, done, n1);
        this.seqAt.set(addr, seq);
        done += n1;
      }
      const n2 = Math.min(size2, len - done);
      if (n2 > 0) {
        const addr = this.rd32(desc + DESC_BUFFER2);
        this.mem!.writeBytes(addr, buf, done, n2);
        this.seqAt.set(addr, seq);
        done += n2;
      }
      const last = done === len;
      const next = this.nextDesc(desc, ctl, base);
      let st = (first ? RDES0_FS : 0) | ((len & RDES0_FL_MASK) << RDES0_FL_SHIFT);
      if (last) {
        st |= RDES0_LS | errors | (group ? RDES0_MF : 0);
        if (errors) st |= RDES0_ES;
      } else if (!this.ownsAt(next)) {
        // The next descriptor is the host's: the frame is cut here.
        st |= RDES0_DE | RDES0_ES | RDES0_LS;
        this.fate(seq, FATE_RING_FULL);
        this.wr32(desc + DESC_STATUS, st);
        this.rxDesc = next;
        this.raise(RxIntr);
        this.suspendRx();
        return;
      }
      this.wr32(desc + DESC_STATUS, st);
      this.rxDesc = next;
      first = false;
      if (last) break;
    }
    this.counters.rxFrames++;
    this.raise(RxIntr);
    // The chip fetches the next descriptor at once: none owned means suspended (RU).
    if (!this.ownsAt(this.rxDesc)) this.suspendRx();
  }

  private ownsAt(desc: number): boolean {
    return (this.rd32(desc + DESC_STATUS) & DescOwned) !== 0;
  }

  // ---- transmit -------------------------------------------------------------

  /**
   * The transmit process: takes descriptors the card owns, in order, until it
   * finds one the host owns (suspended, TU) or a frame goes on the wire.
   */
  private runTx(): void {
    if (this.ts !== TS_WAITING || this.txBusy || !(this.csr[6] & TxOn)) return;
    try {
      this.takeTxDescriptors();
    } catch (e) {
      if (!(e instanceof DmaFault)) throw e;
      this.busError();
    }
  }

  private takeTxDescriptors(): void {
    const base = this.csr[4];
    let len = 0;
    let first = -1;
    let ctlFirst = 0;
    for (;;) {
      const desc = this.txDesc;
      const status = this.rd32(desc + DESC_STATUS);
      if (!(status & DescOwned)) {
        this.ts = TS_SUSPENDED;
        this.raise(TxNoBuf);
        return;
      }
      const ctl = this.rd32(desc + DESC_LENGTH);
      const next = this.nextDesc(desc, ctl, base);
      const size1 = ctl & BUF_SIZE_MASK;
      const size2 = ctl & DESC_CHAINED ? 0 : (ctl >>> BUF2_SHIFT) & BUF_SIZE_MASK;
      if (ctl & TDES1_SET) {
        this.loadSetupFrame(this.rd32(desc + DESC_BUFFER1), size1, ctl);
        this.wr32(desc + DESC_STATUS, TDES0_SETUP_DONE);
        this.txDesc = next;
        if (ctl & TDES1_IC) this.raise(TxIntr);
        continue;
      }
      if (first < 0 && !(ctl & TDES1_FS)) {
        // Not part of a frame (Linux's dummy descriptor before a setup frame): closed untouched.
        this.wr32(desc + DESC_STATUS, 0);
        this.txDesc = next;
        continue;
      }
      if (first < 0) {
        first = desc;
        ctlFirst = ctl;
      }
      len = this.gather(desc, DESC_BUFFER1, size1, len);
      len = this.gather(desc, DESC_BUFFER2, size2, len);
      this.txDesc = next;
      if (ctl & TDES1_LS) {
        this.sendFrame(first, desc, ctl, ctlFirst, len);
        return;
      }
    }
  }

  private gather(desc: number, field: number, size: number, len: number): number {
    if (size === 0) return len;
    const n = Math.min(size, this.txBuf.length - len);
    if (n > 0) this.mem!.readBytes(this.rd32(desc + field), this.txBuf, len, n);
    return len + size;
  }

  private loadSetupFrame(addr: number, size: number, ctl: number): void {
    if (size < SETUP_FRAME_LEN) {
      this.misused(
        `a setup frame of ${size} bytes (TDES1 buffer 1 size): it must be 192; the card ignored it`,
      );
      return;
    }
    const mode = (ctl & TDES1_FT1 ? 2 : 0) | (ctl & TDES1_FT0 ? 1 : 0);
    this.mem!.readBytes(addr, this.setupBuf, 0, SETUP_FRAME_LEN);
    this.filter.load(this.setupBuf, 0, mode);
    this.counters.setupFrames++;
  }

  private sendFrame(first: number, last: number, ctl: number, ctlFirst: number, len: number): void {
    this.txBusy = true;
    this.txFirst = first;
    this.txLast = last;
    this.txLastCtl = ctl;
    if (len > TX_JABBER_LEN) {
      this.raise(TxJabber);
      this.finishTx(TDES0_TO | TDES0_ES);
      return;
    }
    if (this.phy === null) {
      this.finishTx(TDES0_NC | TDES0_LO | TDES0_ES);
      return;
    }
    // DPD keeps a short frame short; AC leaves the FCS to the driver.
    const padded = ctlFirst & TDES1_DPD ? len : Math.max(len, ETH_ZLEN);
    const frame = this.phy.allocFrame(padded + ETH_FCS_LEN);
    copyBytes(frame.buf, 0, this.txBuf, 0, len);
    if (ctlFirst & TDES1_AC) {
      frame.buf.fill(0, len, padded);
      frame.len = padded;
    } else if (ctlFirst & TDES1_DPD) {
      const fcs = crc32(frame.buf, 0, len);
      for (let k = 0; k < ETH_FCS_LEN; k++) frame.buf[len + k] = fcs >>> (8 * k);
      frame.len = len + ETH_FCS_LEN;
    } else frame.len = padAndAppendFcs(frame.buf, len);
    this.phy.transmit(frame);
  }

  txDone(status: number, collisions: number): void {
    let tdes0 = (Math.min(collisions, 15) & 0xf) << TDES0_CC_SHIFT;
    if (status === TX_ABORTED) tdes0 |= TDES0_EC | TDES0_ES;
    else if (status === TX_CARRIER) tdes0 |= TDES0_NC | TDES0_LO | TDES0_ES;
    else if (status === TX_LATE_COLLISION) tdes0 |= TDES0_LC | TDES0_ES;
    else if (status !== TX_OK) tdes0 |= TDES0_ES;
    this.finishTx(tdes0);
  }

  /** Closes the frame's descriptors (status in the last), then carries on with the list. */
  private finishTx(tdes0: number): void {
    this.txBusy = false;
    if (this.txLast >= 0) {
      try {
        const base = this.csr[4];
        for (let d = this.txFirst; d !== this.txLast;) {
          const ctl = this.rd32(d + DESC_LENGTH);
          this.wr32(d + DESC_STATUS, 0);
          d = this.nextDesc(d, ctl, base);
        }
        this.wr32(this.txLast + DESC_STATUS, tdes0);
      } catch (e) {
        if (!(e instanceof DmaFault)) throw e;
        this.busError();
        return;
      }
      this.counters.txFrames++;
      if (this.txLastCtl & TDES1_IC) this.raise(TxIntr);
    }
    if (!(this.csr[6] & TxOn)) this.ts = TS_STOPPED;
    else this.runTx();
  }

  carrierChanged(on: boolean): void {
    this.raise(on ? TPLnkPass : TPLnkFail);
  }
}
