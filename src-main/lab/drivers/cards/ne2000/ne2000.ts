import { FATE_HW_FILTER, FATE_RING_FULL, FATE_RX_ERROR } from '../../../netdev/fate';
import type { EventHandler } from '../../../sim/scheduler';
import { crc32, hashBin64 } from '../../../wire/crc32';
import { ETH_FCS_LEN, ETH_MIN_FRAME } from '../../../wire/ethernet';
import { isBroadcastEther, isMulticastEther } from '../../../wire/mac';
import type { Machine } from '../../machine';
import { TX_ABORTED, TX_CARRIER, TX_LATE_COLLISION, type Phy, type PhyFrame } from '../../phy';
import { IrqLine, type AccessWidth, type RegisterCard } from '../register-card';
import * as R from './regs';

const EV_NO_CABLE = 1;
/** CR's remote DMA field (RD2..RD0). */
const CR_RD = 0x38;
/** CR's page select field (PS1, PS0). */
const CR_PS = 0xc0;
const MEM_START = R.NESM_START_PG * R.PAGE_SIZE;
const MEM_END = R.NESM_STOP_PG * R.PAGE_SIZE;
/** The NE2000 PROM: station address, then 0x57 0x57 ('WW') in bytes 14 and 15, ne.c's signature. */
const PROM_SIGNATURE = 0x57;

/**
 * A National Semiconductor DP8390 on an NE2000 board: three pages of 8-bit
 * registers behind CR's page select, 16 KiB of card memory the chip's local
 * DMA fills with a ring of received frames (each behind a 4-byte header:
 * status, next page, byte count), and remote DMA through the data port at
 * +0x10, which is how the host moves bytes in and out of that memory. Reading
 * the port at +0x1f resets the board.
 *
 * Behaviour follows the DP8390D datasheet as Linux's lib8390.c and ne.c use
 * it; simplifications: no loopback of transmitted frames to the receiver, no
 * "send packet" remote DMA command, and after a ring overflow the receiver
 * goes on once the driver frees pages (the chip would want the recovery
 * sequence lib8390's ei_rx_overrun performs, which stays harmless here).
 */
export class Ne2000Card implements RegisterCard, EventHandler {
  readonly kind = 'ne2000';
  readonly space = 'io';
  readonly extent = R.NE_IO_EXTENT;
  readonly prom: Uint8Array;
  /** Card memory, indexed by bus address - MEM_START. */
  readonly mem = new Uint8Array(MEM_END - MEM_START);
  /** Frames the chip's address filter let in, and turned away. */
  accepted = 0;
  rejected = 0;

  private cr = R.E8390_STOP | R.E8390_NODMA;
  private isr = R.ENISR_RESET;
  private imr = 0;
  private pstart = 0;
  private pstop = 0;
  private bnry = 0;
  private curr = 0;
  private tpsr = 0;
  private tbcr = 0;
  private rsar = 0;
  private rbcr = 0;
  private rcr = 0;
  private tcr = R.ENTXCR_LOOP & 0x02;
  private dcr = 0;
  private tsr = 0;
  private ncr = 0;
  private rsr = 0;
  private readonly cntr = new Uint8Array(3);
  private readonly par = new Uint8Array(6);
  private readonly mar = new Uint8Array(8);
  /** Wire number of the frame whose header sits at each page, -1 if none. */
  private readonly pageSeq = new Float64Array(256).fill(-1);

  /** The frame a remote read started at (its data, just past the header), -1 if none. */
  private dmaSeq = -1;
  private misuse: ((message: string) => void) | null = null;
  private phy: Phy | null = null;
  private readonly irq = new IrqLine();
  private txBusy = false;
  /** Bumped by reset, so a transmission in flight across it is not reported. */
  private txGen = 0;
  private txFrameGen = 0;
  private readonly handlerId: number;

  constructor(
    readonly machine: Machine,
    mac: Uint8Array,
    public name = 'ne2000',
  ) {
    const prom = new Uint8Array(16);
    prom.set(mac.subarray(0, 6));
    prom[14] = PROM_SIGNATURE;
    prom[15] = PROM_SIGNATURE;
    this.prom = prom;
    this.handlerId = machine.sched.register(this);
  }

  get stopped(): boolean {
    return (this.cr & R.E8390_STOP) !== 0;
  }

  get irqAsserted(): boolean {
    return this.irq.asserted;
  }

  attach(phy: Phy): void {
    this.phy = phy;
  }

  onIrq(cb: (asserted: boolean) => void): void {
    this.irq.listen(cb);
  }

  onMisuse(cb: (message: string) => void): void {
    this.misuse = cb;
  }

  rxFrameSeq(): number {
    return this.dmaSeq;
  }

  reset(): void {
    this.cr = R.E8390_STOP | R.E8390_NODMA;
    this.isr = R.ENISR_RESET;
    this.imr = 0;
    this.tcr = 0x02; // internal loopback until the driver says otherwise
    this.dcr = 0;
    this.rbcr = 0;
    this.txBusy = false;
    this.txGen++;
    this.updateIrq();
  }

  // ---- register window ---------------------------------------------------

  read(width: AccessWidth, offset: number): number {
    if (offset >= R.NE_DATAPORT && offset < R.NE_RESET - 7) return this.dmaRead(width);
    if (offset >= R.NE_RESET - 7 && offset <= R.NE_RESET) {
      this.reset();
      return 0;
    }
    if (offset < 0 || offset > 0x0f) return width === 1 ? 0xff : width === 2 ? 0xffff : 0xffffffff;
    return this.readReg(offset);
  }

  write(width: AccessWidth, offset: number, value: number): void {
    if (offset >= R.NE_DATAPORT && offset < R.NE_RESET - 7) this.dmaWrite(width, value);
    else if (offset >= R.NE_RESET - 7 && offset <= R.NE_RESET)
      return; // the write ends the reset pulse
    else if (offset >= 0 && offset <= 0x0f) this.writeReg(offset, value & 0xff);
  }

  private readReg(off: number): number {
    if (off === R.E8390_CMD) return this.cr;
    const page = this.cr & CR_PS;
    if (page === R.E8390_PAGE1) {
      if (off <= 6) return this.par[off - 1];
      if (off === R.EN1_CURPAG) return this.curr;
      return this.mar[off - R.EN1_MULT];
    }
    if (page === R.E8390_PAGE2) {
      switch (off) {
        case 0x01:
          return this.pstart;
        case 0x02:
          return this.pstop;
        case 0x04:
          return this.tpsr;
        case 0x0c:
          return this.rcr | 0xc0;
        case 0x0d:
          return this.tcr | 0xe0;
        case 0x0e:
          return this.dcr | 0x80;
        case 0x0f:
          return this.imr | 0x80;
        default:
          return 0xff;
      }
    }
    switch (off) {
      case R.EN0_BOUNDARY:
        return this.bnry;
      case R.EN0_TSR:
        return this.tsr;
      case R.EN0_NCR:
        return this.ncr;
      case R.EN0_ISR:
        return this.isr;
      case R.EN0_CRDALO:
        return this.rsar & 0xff;
      case R.EN0_CRDAHI:
        return this.rsar >> 8;
      case R.EN0_RSR:
        return this.rsr;
      case R.EN0_COUNTER0:
      case R.EN0_COUNTER1:
      case R.EN0_COUNTER2: {
        // Tally counters clear when read.
        const v = this.cntr[off - R.EN0_COUNTER0];
        this.cntr[off - R.EN0_COUNTER0] = 0;
        return v;
      }
      default:
        return 0xff;
    }
  }

  private writeReg(off: number, v: number): void {
    if (off === R.E8390_CMD) return this.writeCmd(v);
    const page = this.cr & CR_PS;
    if (page === R.E8390_PAGE1) {
      if (off <= 6) this.par[off - 1] = v;
      else if (off === R.EN1_CURPAG) this.curr = v;
      else this.mar[off - R.EN1_MULT] = v;
      return;
    }
    if (page === R.E8390_PAGE2) return; // page 2 is for diagnostics: read only here
    switch (off) {
      case R.EN0_STARTPG:
        this.pstart = v;
        break;
      case R.EN0_STOPPG:
        this.pstop = v;
        break;
      case R.EN0_BOUNDARY:
        this.bnry = v;
        break;
      case R.EN0_TPSR:
        this.tpsr = v;
        break;
      case R.EN0_TCNTLO:
        this.tbcr = (this.tbcr & 0xff00) | v;
        break;
      case R.EN0_TCNTHI:
        this.tbcr = (this.tbcr & 0xff) | (v << 8);
        break;
      case R.EN0_ISR:
        // Writing a one clears that cause: the driver's acknowledgement.
        this.isr &= ~v;
        this.updateIrq();
        break;
      case R.EN0_RSARLO:
        this.rsar = (this.rsar & 0xff00) | v;
        break;
      case R.EN0_RSARHI:
        this.rsar = (this.rsar & 0xff) | (v << 8);
        break;
      case R.EN0_RCNTLO:
        this.rbcr = (this.rbcr & 0xff00) | v;
        break;
      case R.EN0_RCNTHI:
        this.rbcr = (this.rbcr & 0xff) | (v << 8);
        break;
      case R.EN0_RXCR:
        this.rcr = v & 0x3f;
        break;
      case R.EN0_TXCR:
        this.tcr = v & 0x1f;
        break;
      case R.EN0_DCFG:
        this.dcr = v & 0x7f;
        break;
      case R.EN0_IMR:
        this.imr = v & 0x7f;
        this.updateIrq();
        break;
    }
  }

  private writeCmd(v: number): void {
    const wasStopped = this.stopped;
    let rd = v & CR_RD;
    if (rd === 0) rd = this.cr & CR_RD; // RD 000 is "not allowed": keep the current mode
    if (rd === 0x18) rd = R.E8390_NODMA; // send packet: not modelled, treated as abort
    this.cr = (v & CR_PS) | rd | (v & (R.E8390_STOP | R.E8390_START));
    if (v & R.E8390_STOP) {
      this.cr = (this.cr & ~R.E8390_START) | R.E8390_STOP;
      this.isr |= R.ENISR_RESET;
    } else if (v & R.E8390_START) {
      this.cr &= ~R.E8390_STOP;
      this.isr &= ~R.ENISR_RESET;
    } else if (wasStopped) this.cr |= R.E8390_STOP;
    else this.cr |= R.E8390_START;
    if (this.txBusy) this.cr |= R.E8390_TRANS;
    if (v & CR_RD) this.dmaSeq = rd === R.E8390_RREAD ? this.frameDataAt(this.rsar) : -1;
    if (v & R.E8390_TRANS) {
      if (this.stopped)
        this.misuse?.(
          'CR.TXP given while the chip is stopped (CR.STP): the DP8390 sends nothing until it is started with CR.STA',
        );
      else if (!this.txBusy) this.startTx();
    }
    this.updateIrq();
  }

  // ---- remote DMA --------------------------------------------------------

  private dmaRead(width: AccessWidth): number {
    let v = 0;
    for (let i = 0; i < width; i++) v |= this.dmaByte(-1) << (8 * i);
    return v >>> 0;
  }

  private dmaWrite(width: AccessWidth, value: number): void {
    for (let i = 0; i < width; i++) this.dmaByte((value >>> (8 * i)) & 0xff);
  }

  /** One byte of remote DMA: read when `value` is -1, else write it. */
  private dmaByte(value: number): number {
    const mode = this.cr & CR_RD;
    const active = this.rbcr > 0 && (mode === R.E8390_RREAD || mode === R.E8390_RWRITE);
    if (!active) {
      this.misuse?.(
        `data port ${value < 0 ? 'read' : 'written'} with no remote DMA under way: set RSAR and RBCR, then CR.RD (${value < 0 ? 'E8390_RREAD' : 'E8390_RWRITE'}) first`,
      );
      return 0xff; // the port floats
    }
    const addr = this.rsar;
    let out = 0;
    if (value < 0) out = this.busRead(addr);
    else if (mode === R.E8390_RWRITE) this.busWrite(addr, value);
    // The remote DMA wraps from PSTOP back to PSTART, as the local DMA does: ne.c
    // reads a frame that wraps around the ring with one transfer.
    this.rsar =
      addr + 1 === this.pstop * R.PAGE_SIZE ? this.pstart * R.PAGE_SIZE : (addr + 1) & 0xffff;
    if (--this.rbcr === 0) {
      this.isr |= R.ENISR_RDC;
      this.updateIrq();
    }
    return out;
  }

  /** A byte of the board's address space: the PROM (each byte twice, 16-bit board) below 0x4000, RAM above. */
  busRead(addr: number): number {
    if (addr < MEM_START) return this.prom[(addr >> 1) & 0x0f];
    if (addr < MEM_END) return this.mem[addr - MEM_START];
    return 0xff;
  }

  busWrite(addr: number, v: number): void {
    if (addr >= MEM_START && addr < MEM_END) this.mem[addr - MEM_START] = v;
  }

  private frameDataAt(addr: number): number {
    if ((addr & (R.PAGE_SIZE - 1)) !== R.RX_HDR_LEN) return -1;
    return this.pageSeq[(addr >> 8) & 0xff];
  }

  // ---- transmit ------------------------------------------------------------

  private startTx(): void {
    this.txBusy = true;
    this.cr |= R.E8390_TRANS;
    const gen = ++this.txGen;
    this.txFrameGen = gen;
    const len = this.tbcr;
    if (this.tcr & R.ENTXCR_LOOP || this.phy === null) {
      // Loopback keeps the frame off the wire; no cable means no carrier.
      const status = this.tcr & R.ENTXCR_LOOP ? -1 : TX_CARRIER;
      this.machine.sched.schedule(this.machine.sched.now, this.handlerId, EV_NO_CABLE, status);
      return;
    }
    const crc = (this.tcr & R.ENTXCR_CRC) === 0;
    const frame = this.phy.allocFrame(len + ETH_FCS_LEN);
    const buf = frame.buf;
    const base = this.tpsr * R.PAGE_SIZE;
    for (let i = 0; i < len; i++) buf[i] = this.busRead((base + i) & 0xffff);
    let wireLen = len;
    if (crc) {
      // The DP8390 does not pad: a frame under 60 bytes goes out a runt, as the driver asked.
      const fcs = crc32(buf, 0, len);
      buf[len] = fcs & 0xff;
      buf[len + 1] = (fcs >>> 8) & 0xff;
      buf[len + 2] = (fcs >>> 16) & 0xff;
      buf[len + 3] = fcs >>> 24;
      wireLen += ETH_FCS_LEN;
    }
    frame.len = wireLen;
    this.phy.transmit(frame);
  }

  handleEvent(kind: number, arg: number): void {
    if (kind === EV_NO_CABLE && this.txBusy) this.txDone(arg < 0 ? 0 : arg, 0);
  }

  txDone(status: number, collisions: number): void {
    if (!this.txBusy || this.txFrameGen !== this.txGen) return; // reset while it was on the wire
    this.txBusy = false;
    this.cr &= ~R.E8390_TRANS;
    this.ncr = Math.min(collisions, 15);
    let tsr = collisions > 0 ? R.ENTSR_COL : 0;
    if (status === TX_ABORTED) tsr |= R.ENTSR_ABT;
    else {
      tsr |= R.ENTSR_PTX;
      if (status === TX_CARRIER) tsr |= R.ENTSR_CRS;
      if (status === TX_LATE_COLLISION) tsr |= R.ENTSR_OWC;
    }
    this.tsr = tsr;
    this.isr |= status === TX_ABORTED ? R.ENISR_TX_ERR : R.ENISR_TX;
    this.updateIrq();
  }

  carrierChanged(): void {
    // The DP8390 has no link status: the driver learns of a lost carrier from TSR.CRS.
  }

  // ---- receive ---------------------------------------------------------------

  receive(frame: PhyFrame): void {
    if (this.stopped || this.tcr & R.ENTXCR_LOOP) return; // receiver off
    const fates = this.machine.fates;
    if (!this.accepts(frame)) {
      this.rejected++;
      fates.count(FATE_HW_FILTER);
      return;
    }
    this.accepted++;
    const now = this.machine.sched.now;
    const len = frame.len;
    if (this.rcr & R.ENRXCR_MON) {
      this.bumpCounter(2); // monitor mode: checked and counted, never stored
      fates.record(frame.seq, now, FATE_RING_FULL);
      return;
    }
    if (len < ETH_MIN_FRAME && !(this.rcr & R.ENRXCR_RUNT)) {
      fates.record(frame.seq, now, FATE_RX_ERROR);
      return;
    }
    if (!frame.fcsOk) {
      this.rsr = R.ENRSR_CRC;
      this.bumpCounter(1);
      this.isr |= R.ENISR_RX_ERR;
      this.updateIrq();
      fates.record(frame.seq, now, FATE_RX_ERROR);
      return;
    }
    const ringPages = this.pstop - this.pstart;
    const pages = Math.ceil((len + R.RX_HDR_LEN) / R.PAGE_SIZE);
    const free = ringPages > 0 ? (this.bnry - this.curr + ringPages) % ringPages : 0;
    if (ringPages <= 0 || this.curr < this.pstart || this.curr >= this.pstop || pages > free) {
      this.rsr = R.ENRSR_MPA;
      this.bumpCounter(2);
      this.isr |= R.ENISR_OVER;
      this.updateIrq();
      fates.record(frame.seq, now, FATE_RING_FULL);
      return;
    }
    const start = this.curr;
    let next = start + pages;
    if (next >= this.pstop) next -= ringPages;
    const status = R.ENRSR_RXOK | (isMulticastEther(frame.buf) ? R.ENRSR_PHY : 0);
    const count = len + R.RX_HDR_LEN;
    const hdr = start * R.PAGE_SIZE;
    this.busWrite(hdr, status);
    this.busWrite(hdr + 1, next);
    this.busWrite(hdr + 2, count & 0xff);
    this.busWrite(hdr + 3, count >> 8);
    // Local DMA: the frame (FCS included, as the chip stores it) after the header,
    // wrapping from PSTOP back to PSTART.
    let addr = hdr + R.RX_HDR_LEN;
    const stopAddr = this.pstop * R.PAGE_SIZE;
    const buf = frame.buf;
    for (let i = 0; i < len; i++) {
      if (addr >= stopAddr) addr = this.pstart * R.PAGE_SIZE;
      this.mem[addr - MEM_START] = buf[i];
      addr++;
    }
    this.pageSeq[start] = frame.seq;
    this.curr = next;
    this.rsr = status;
    this.isr |= R.ENISR_RX;
    this.updateIrq();
  }

  /** The chip's address filter: its station address, broadcast (AB), the MAR hash (AM), or PRO. */
  private accepts(frame: PhyFrame): boolean {
    const d = frame.buf;
    if (this.rcr & R.ENRXCR_PROMP) return true;
    if (isBroadcastEther(d)) return (this.rcr & R.ENRXCR_BCST) !== 0;
    if (isMulticastEther(d)) {
      if (!(this.rcr & R.ENRXCR_MULTI)) return false;
      const bin = hashBin64(d, 0);
      return (this.mar[bin >> 3] & (1 << (bin & 7))) !== 0;
    }
    const p = this.par;
    return (
      d[0] === p[0] &&
      d[1] === p[1] &&
      d[2] === p[2] &&
      d[3] === p[3] &&
      d[4] === p[4] &&
      d[5] === p[5]
    );
  }

  private bumpCounter(i: number): void {
    if (this.cntr[i] < 0xff) this.cntr[i]++;
    // A tally counter reaching half scale raises CNT so the driver reads it in time.
    if (this.cntr[i] & 0x80) {
      this.isr |= R.ENISR_COUNTERS;
      this.updateIrq();
    }
  }

  private updateIrq(): void {
    const up = (this.isr & this.imr & 0x7f) !== 0;
    this.irq.set(up);
  }
}
