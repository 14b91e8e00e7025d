import { FATE_HW_FILTER, FATE_RING_FULL, FATE_RX_ERROR } from '../../../netdev/fate';
import type { EventHandler } from '../../../sim/scheduler';
import { crc32 } from '../../../wire/crc32';
import { ETH_FCS_LEN, ETH_MIN_FRAME } from '../../../wire/ethernet';
import { isBroadcastEther, isMulticastEther } from '../../../wire/mac';
import type { Machine } from '../../machine';
import { TX_ABORTED, type Phy, type PhyFrame } from '../../phy';
import { IrqLine, type AccessWidth, type RegisterCard } from '../register-card';
import { Eeprom93c46 } from './eeprom';
import * as R from './regs';

const EV_NO_CABLE = 1;

/** A received frame in the card's buffer: the words the data port gives, and its wire number. */
interface RxFrame {
  /** Status, length, then the frame's bytes (FCS stripped), as the port reads them. */
  bytes: Uint8Array;
  seq: number;
  /** Bytes of buffer memory it takes (4 for status and length, the frame rounded to words). */
  size: number;
}

/**
 * An Allied Telesis AT1700: a Fujitsu MB86965 with 32 KiB of buffer memory
 * behind a word-wide data port, as Linux's at1700.c (v1.12, Linux 1.2–2.0)
 * drives it. That driver — and so this card — has two receive modes: station
 * address and broadcast (RX_MODE 2), or everything (RX_MODE 3). It loads the
 * chip's multicast table with zeros ("accept none") and never uses it, so for
 * any multicast group it turns the receiver promiscuous and sets IFF_PROMISC
 * itself: the article's "small number of cards that can only do unicast or
 * promiscuous mode". The table (bank 1) is stored and not consulted here.
 *
 * Receive: good frames go into the buffer (status word 0x20, length word, the
 * frame without FCS); RX_MODE bit 6 reads 1 while it is empty; RX_STATUS bit 7
 * (packet ready) reads 1 while a frame waits and interrupts when RX_INTR allows. Transmit: the driver writes a
 * length word and the frame through the data port into one 4 KiB queue and
 * sends the queue with TX_START = 0x80 | n; TX_STATUS bit 7 says it went.
 * The station address comes from a 93C46 EEPROM read bit by bit (words 4–6).
 * Simplifications: no loopback, no DMA mode, no jabber/early-receive causes,
 * bad frames are dropped (never stored), and RX_MODE 0 and 1 receive nothing
 * and as 2 respectively.
 */
export class At1700Card implements RegisterCard, EventHandler {
  readonly kind = 'at1700';
  readonly space = 'io';
  readonly extent = R.AT1700_IO_EXTENT;
  readonly prom: Uint8Array;
  readonly canFilterMulticast = false;
  accepted = 0;
  rejected = 0;

  private txStatus = 0;
  private rxStatus = 0;
  private txIntr = 0;
  private rxIntr = 0;
  private txMode = 0;
  private rxMode = R.AF_NORMAL;
  private config0 = 0xda;
  private config1 = 0;
  private readonly nodeId = new Uint8Array(6);
  private readonly mcast = new Uint8Array(8);
  private readonly bank2 = new Uint8Array(8);

  private readonly rxQueue: RxFrame[] = [];
  private rxUsed = 0;
  /** Read position in the head frame's bytes. */
  private rxPos = 0;

  /** The transmit queue the driver fills, and the one on the wire (frames, each its bytes). */
  private filling: Uint8Array[] = [];
  private fillingBytes = 0;
  /** The frame being written through the port: its length word, then bytes so far. */
  private txLen = -1;
  private txBuf: Uint8Array | null = null;
  private txAt = 0;
  private sending: Uint8Array[] = [];
  private txBusy = false;
  private txGen = 0;
  private txFrameGen = 0;

  private readonly eeprom: Eeprom93c46;
  private misuse: ((message: string) => void) | null = null;
  private phy: Phy | null = null;
  private readonly irq = new IrqLine();
  private readonly handlerId: number;

  constructor(
    readonly machine: Machine,
    mac: Uint8Array,
    public name = 'at1700',
  ) {
    this.prom = mac.slice(0, 6);
    const words = new Uint16Array(64);
    for (let i = 0; i < 3; i++) words[R.EE_STATION_ADDR + i] = (mac[2 * i] << 8) | mac[2 * i + 1];
    this.eeprom = new Eeprom93c46(words);
    this.handlerId = machine.sched.register(this);
  }

  get stopped(): boolean {
    return (this.config0 & R.CONFIG_0_DISABLE) !== 0 || (this.config1 & R.CONFIG_1_POWER) === 0;
  }

  get promiscuous(): boolean {
    return !this.stopped && (this.rxMode & R.AF_MASK) === R.AF_PROMISC;
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

  /** The frame the driver is reading through the data port, once past its status and length. */
  rxFrameSeq(): number {
    const head = this.rxQueue[0];
    return head && this.rxPos >= 4 ? head.seq : -1;
  }

  reset(): void {
    this.txStatus = 0;
    this.rxStatus = 0;
    this.txIntr = 0;
    this.rxIntr = 0;
    this.rxMode = R.AF_NORMAL;
    this.config0 = 0xda;
    this.config1 = 0;
    this.rxQueue.length = 0;
    this.rxUsed = 0;
    this.rxPos = 0;
    this.filling = [];
    this.fillingBytes = 0;
    this.txLen = -1;
    this.txBuf = null;
    this.sending = [];
    this.txBusy = false;
    this.txGen++;
    this.updateIrq();
  }

  // ---- register window ---------------------------------------------------

  private get bank(): number {
    return (this.config1 & R.CONFIG_1_BANK) >> 2;
  }

  read(width: AccessWidth, offset: number): number {
    if (width === 1) return this.readByte(offset);
    if (width === 2 && offset === R.DATAPORT && this.bank === 2) return this.portRead();
    let v = 0;
    for (let i = 0; i < width; i++) v |= this.readByte(offset + i) << (8 * i);
    return v >>> 0;
  }

  write(width: AccessWidth, offset: number, value: number): void {
    if (width === 2 && offset === R.DATAPORT && this.bank === 2) return this.portWrite(value);
    for (let i = 0; i < width; i++) this.writeByte(offset + i, (value >>> (8 * i)) & 0xff);
  }

  private readByte(off: number): number {
    switch (off) {
      case R.TX_STATUS:
        return this.txStatus;
      case R.RX_STATUS:
        return this.rxStat;
      case R.TX_INTR:
        return this.txIntr;
      case R.RX_INTR:
        return this.rxIntr;
      case R.TX_MODE:
        return this.txMode;
      case R.RX_MODE:
        return this.rxMode | (this.rxQueue.length === 0 ? R.RX_BUF_EMPTY : 0);
      case R.CONFIG_0:
        return this.config0;
      case R.CONFIG_1:
        return this.config1;
      case R.EEPROM_DATA:
        return this.eeprom.dataOut ? R.EE_DATA : 0;
    }
    if (off >= 8 && off < 16) {
      const bank = this.bank;
      if (bank === 0) return off < 14 ? this.nodeId[off - 8] : 0;
      if (bank === 1) return this.mcast[off - 8];
      if (off === R.DATAPORT || off === R.DATAPORT + 1) {
        this.misuse?.('the data port is word-wide: read it with inw (at1700.c: inw, insw)');
        return 0xff;
      }
      return this.bank2[off - 8];
    }
    return 0xff;
  }

  private writeByte(off: number, v: number): void {
    switch (off) {
      case R.TX_STATUS:
        this.txStatus &= ~v; // write 1s to clear
        return this.updateIrq();
      case R.RX_STATUS:
        this.rxStatus &= ~v;
        return this.updateIrq();
      case R.TX_INTR:
        this.txIntr = v;
        return this.updateIrq();
      case R.RX_INTR:
        this.rxIntr = v;
        return this.updateIrq();
      case R.TX_MODE:
        this.txMode = v;
        return;
      case R.RX_MODE:
        this.rxMode = v & ~R.RX_BUF_EMPTY;
        return;
      case R.CONFIG_0:
        this.config0 = v;
        return;
      case R.CONFIG_1:
        this.config1 = v;
        return;
      case R.EEPROM_CTRL:
        this.eeprom.control((v & R.EE_CS) !== 0, (v & R.EE_SHIFT_CLK) !== 0);
        return;
      case R.EEPROM_DATA:
        this.eeprom.dataIn = (v & R.EE_DATA) !== 0;
        return;
      case R.RESET:
        return; // resets the chip's state machines; the buffers stay
    }
    if (off < 8 || off >= 16) return;
    const bank = this.bank;
    if (bank === 0) {
      if (off < 14) this.nodeId[off - 8] = v;
      return;
    }
    if (bank === 1) {
      this.mcast[off - 8] = v;
      return;
    }
    if (off === R.TX_START) return this.txStart(v);
    if (off === R.RX_SKIP) {
      if (v & 0x04) this.skipFrame();
      return;
    }
    if (off === R.DATAPORT || off === R.DATAPORT + 1) {
      this.misuse?.('the data port is word-wide: write it with outw (at1700.c: outw, outsw)');
      return;
    }
    this.bank2[off - 8] = v;
  }

  // ---- the data port -----------------------------------------------------

  private portRead(): number {
    const head = this.rxQueue[0];
    if (!head) {
      this.misuse?.(
        'data port read with the receive buffer empty (RX_MODE bit 6 set): check RX_MODE & 0x40 before reading a frame',
      );
      return 0xffff;
    }
    const b = head.bytes;
    const v = (b[this.rxPos] ?? 0) | ((b[this.rxPos + 1] ?? 0) << 8);
    this.rxPos += 2;
    if (this.rxPos >= b.length) this.dropHead();
    return v;
  }

  private skipFrame(): void {
    if (this.rxQueue.length > 0) this.dropHead();
  }

  private dropHead(): void {
    const head = this.rxQueue.shift()!;
    this.rxUsed -= head.size;
    this.rxPos = 0;
    this.updateIrq();
  }

  private portWrite(value: number): void {
    if (this.txLen < 0) {
      const len = value & 0x7ff;
      if (this.fillingBytes + 2 + len > R.TX_QUEUE_BYTES) {
        this.misuse?.(
          `a ${len}-byte frame does not fit in the transmit queue (${R.TX_QUEUE_BYTES - this.fillingBytes} bytes left of ${R.TX_QUEUE_BYTES}): send the queue (TX_START) and wait for TX_STATUS bit 7`,
        );
        return;
      }
      this.txLen = len;
      this.txBuf = new Uint8Array(len + ETH_FCS_LEN);
      this.txAt = 0;
      return;
    }
    const buf = this.txBuf!;
    if (this.txAt < this.txLen) buf[this.txAt] = value & 0xff;
    if (this.txAt + 1 < this.txLen) buf[this.txAt + 1] = value >> 8;
    this.txAt += 2;
    if (this.txAt >= this.txLen) {
      this.filling.push(buf.subarray(0, this.txLen));
      this.fillingBytes += 2 + this.txLen + (this.txLen & 1);
      this.txLen = -1;
      this.txBuf = null;
    }
  }

  // ---- transmit ------------------------------------------------------------

  private txStart(v: number): void {
    if (!(v & 0x80)) return;
    if (this.stopped) {
      this.misuse?.(
        'TX_START written while the data-link controller is disabled (CONFIG_0 bit 7 set, or the chip powered down): nothing is sent',
      );
      return;
    }
    const n = Math.min(v & 0x7f, this.filling.length);
    if (this.txBusy) {
      this.misuse?.(
        'TX_START while the other transmit queue is still on the wire: wait for TX_STATUS bit 7 (at1700.c keeps tx_started)',
      );
      return;
    }
    this.sending = this.filling.splice(0, n);
    this.fillingBytes = 0;
    for (const f of this.filling) this.fillingBytes += 2 + f.length + (f.length & 1);
    this.sendNext();
  }

  private sendNext(): void {
    const data = this.sending.shift();
    if (!data) {
      this.txStatus |= R.TX_DONE;
      this.updateIrq();
      return;
    }
    this.txBusy = true;
    const gen = ++this.txGen;
    this.txFrameGen = gen;
    if (this.phy === null) {
      this.machine.sched.schedule(this.machine.sched.now, this.handlerId, EV_NO_CABLE, gen);
      return;
    }
    // The MB86965 pads short frames to 60 bytes and appends the FCS.
    const len = Math.max(data.length, ETH_MIN_FRAME - ETH_FCS_LEN);
    const frame = this.phy.allocFrame(len + ETH_FCS_LEN);
    const buf = frame.buf;
    buf.set(data);
    buf.fill(0, data.length, len);
    const fcs = crc32(buf, 0, len);
    buf[len] = fcs & 0xff;
    buf[len + 1] = (fcs >>> 8) & 0xff;
    buf[len + 2] = (fcs >>> 16) & 0xff;
    buf[len + 3] = fcs >>> 24;
    frame.len = len + ETH_FCS_LEN;
    this.phy.transmit(frame);
  }

  handleEvent(kind: number, gen: number): void {
    if (kind === EV_NO_CABLE && this.txBusy && gen === this.txGen) this.txDone(0);
  }

  txDone(status: number): void {
    if (!this.txBusy || this.txFrameGen !== this.txGen) return;
    this.txBusy = false;
    if (status === TX_ABORTED) this.txStatus |= R.TX_COL16;
    this.sendNext();
  }

  carrierChanged(): void {
    // No link status register: at1700.c learns nothing of the cable.
  }

  // ---- receive ---------------------------------------------------------------

  receive(frame: PhyFrame): void {
    if (this.stopped || (this.rxMode & R.AF_MASK) === 0) return; // receiver off
    const fates = this.machine.fates;
    if (!this.accepts(frame)) {
      this.rejected++;
      fates.count(FATE_HW_FILTER);
      return;
    }
    this.accepted++;
    const now = this.machine.sched.now;
    if (!frame.fcsOk || frame.len < ETH_MIN_FRAME) {
      this.rxStatus |= frame.fcsOk ? R.RX_SHORT : R.RX_CRC;
      this.updateIrq();
      fates.record(frame.seq, now, FATE_RX_ERROR);
      return;
    }
    const len = frame.len - ETH_FCS_LEN;
    const size = 4 + len + (len & 1);
    if (this.rxUsed + size > R.RX_BUFFER_BYTES) {
      this.rxStatus |= R.RX_OVERFLOW;
      this.updateIrq();
      fates.record(frame.seq, now, FATE_RING_FULL);
      return;
    }
    const bytes = new Uint8Array(size);
    bytes[0] = R.RX_GOOD;
    bytes[2] = len & 0xff;
    bytes[3] = len >> 8;
    bytes.set(frame.buf.subarray(0, len), 4);
    this.rxQueue.push({ bytes, seq: frame.seq, size });
    this.rxUsed += size;
    this.updateIrq();
  }

  /** RX_MODE's address filter: promiscuous, or the station address and broadcast. */
  private accepts(frame: PhyFrame): boolean {
    if ((this.rxMode & R.AF_MASK) === R.AF_PROMISC) return true;
    const d = frame.buf;
    if (isBroadcastEther(d)) return true;
    if (isMulticastEther(d)) return false;
    const p = this.nodeId;
    return (
      d[0] === p[0] &&
      d[1] === p[1] &&
      d[2] === p[2] &&
      d[3] === p[3] &&
      d[4] === p[4] &&
      d[5] === p[5]
    );
  }

  /** RX_STATUS: packet ready reads 1 while a frame waits in the buffer, whatever was cleared. */
  private get rxStat(): number {
    return this.rxStatus | (this.rxQueue.length > 0 ? R.RX_PKT_RDY : 0);
  }

  private updateIrq(): void {
    const up = (this.txStatus & this.txIntr) !== 0 || (this.rxStat & this.rxIntr) !== 0;
    this.irq.set(up);
  }
}
