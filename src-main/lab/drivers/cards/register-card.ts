import type { MacPort, Phy } from '../phy';

/**
 * The contract between a register-level card (the DP8390/NE2000, the 21x4x
 * Tulip) and the kernel side that runs a student's driver against it.
 *
 * Unlike the built-in models (ether-nic.ts), whose driver is written in
 * TypeScript around the hardware, a register-level card is only hardware: a
 * window of registers the driver reads and writes, an interrupt line, and for
 * bus-master cards DMA into host memory. Everything a Linux driver does (rings,
 * skbs, netif_rx) is the student's code, run through `kernel-api.ts`.
 */

/** Width of one register access in bytes: inb/outb, inw/outw, inl/outl (ioread32/iowrite32). */
export type AccessWidth = 1 | 2 | 4;

/**
 * Host memory as a bus-master card sees it: bus addresses 0..size-1. Every
 * access is bounds-checked and throws a `DmaFault` naming the address, so a
 * descriptor pointing nowhere is a clear error, never a silent corruption.
 * Words are little-endian, as on the PC the cards sat in.
 */
export interface DmaMemory {
  readonly size: number;
  read8(addr: number): number;
  write8(addr: number, value: number): void;
  read32(addr: number): number;
  write32(addr: number, value: number): void;
  /** Copies `len` bytes at bus address `addr` into `dst` at `at`. */
  readBytes(addr: number, dst: Uint8Array, at: number, len: number): void;
  /** Copies `len` bytes of `src` from `at` to bus address `addr`. */
  writeBytes(addr: number, src: Uint8Array, at: number, len: number): void;
}

/** A card's DMA touched memory outside the host's: the bus would master-abort. */
export class DmaFault extends Error {
  constructor(
    readonly addr: number,
    readonly len: number,
    readonly size: number,
  ) {
    super(
      `DMA to bus address 0x${addr.toString(16)} (+${len}) is outside host memory (0..0x${(size - 1).toString(16)})`,
    );
  }
}

/** A `DmaMemory` over one `Uint8Array`: the host memory of a machine with bus-master cards. */
export class HostMemory implements DmaMemory {
  readonly bytes: Uint8Array;
  private readonly view: DataView;

  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }

  get size(): number {
    return this.bytes.length;
  }

  private check(addr: number, len: number): void {
    if (!Number.isInteger(addr) || addr < 0 || len < 0 || addr + len > this.bytes.length) {
      throw new DmaFault(addr, len, this.bytes.length);
    }
  }

  read8(addr: number): number {
    this.check(addr, 1);
    return this.bytes[addr];
  }

  write8(addr: number, value: number): void {
    this.check(addr, 1);
    this.bytes[addr] = value;
  }

  read32(addr: number): number {
    this.check(addr, 4);
    return this.view.getUint32(addr, true);
  }

  write32(addr: number, value: number): void {
    this.check(addr, 4);
    this.view.setUint32(addr, value >>> 0, true);
  }

  readBytes(addr: number, dst: Uint8Array, at: number, len: number): void {
    this.check(addr, len);
    dst.set(this.bytes.subarray(addr, addr + len), at);
  }

  writeBytes(addr: number, src: Uint8Array, at: number, len: number): void {
    this.check(addr, len);
    this.bytes.set(src.subarray(at, at + len), addr);
  }
}

/**
 * A register-level card. It is a station of the segment like the built-in
 * NICs (`MacPort`: the segment calls `receive`, `txDone`, `carrierChanged`)
 * and is plugged in with `attach(phy)`.
 */
/**
 * A card's level-triggered interrupt line: the card sets it from its unmasked causes after
 * every register change, and the kernel's handler hears only when it rises or falls.
 */
export class IrqLine {
  private listener: ((asserted: boolean) => void) | null = null;
  private up = false;

  /** Whether the line is up now. */
  get asserted(): boolean {
    return this.up;
  }

  /** The kernel's handler (`RegisterCard.onIrq`). */
  listen(cb: (asserted: boolean) => void): void {
    this.listener = cb;
  }

  set(up: boolean): void {
    if (up === this.up) return;
    this.up = up;
    this.listener?.(up);
  }
}

export interface RegisterCard extends MacPort {
  /** The card's kind as a lab file names it in `nic:` (`ne2000`, `tulip`). */
  readonly kind: string;
  /** Whether the driver reaches the registers by port I/O (inb/outb) or memory-mapped (ioread32). */
  readonly space: 'io' | 'mmio';
  /** Bytes of register space from the base (the NE2000's 0x20, the Tulip's 0x80). */
  readonly extent: number;
  /** The station address in the card's PROM/SROM, as the driver's probe reads it. */
  readonly prom: Uint8Array;

  /** Plugs the cable into a medium (the segment's `Phy` for this station). */
  attach(phy: Phy): void;
  /** Bus-master cards only: the host memory their DMA reads and writes. */
  attachDma?(mem: DmaMemory): void;

  /** A register read at `offset` from the base. Unmapped offsets read as all ones, as on the bus. */
  read(width: AccessWidth, offset: number): number;
  /** A register write at `offset` from the base. */
  write(width: AccessWidth, offset: number, value: number): void;

  /**
   * Registers the kernel's handler for the card's interrupt line. The card
   * calls it with `true` when its line goes up (an unmasked cause became set)
   * and `false` when the driver cleared the last one: the line is level-
   * triggered, so the kernel runs the handler while it stays up.
   */
  onIrq(cb: (asserted: boolean) => void): void;
  /** Whether the line is up now. */
  readonly irqAsserted: boolean;

  /**
   * Whether the card is stopped: its receiver and transmitter off, as after
   * power-up or a reset (the DP8390's CR.STP, the Tulip's CSR6 SR/ST clear).
   */
  readonly stopped: boolean;
  /** Power-on/hardware reset (the bus's RESET line). */
  reset(): void;

  /**
   * The wire number (PhyFrame.seq) of the received frame whose bytes the
   * driver is reading now (the NE2000's remote DMA from a frame in its ring),
   * or -1: the kernel tags the buffer with it so the lab can follow the frame
   * to its socket. Optional: without it frames are followed from netif_rx on.
   */
  rxFrameSeq?(): number;
  /**
   * Bus-master cards: the wire number of the received frame the card last DMA'd into the
   * buffer at bus address `addr`, or -1. The kernel tags the skb the driver unmaps or syncs
   * from that address with it, so a frame a bus master received can be followed too.
   */
  dmaFrameSeq?(addr: number): number;
  /**
   * False for a card with no multicast filter (it takes every frame or only its
   * own and broadcast): a driver that turns it promiscuous for a multicast list
   * must set IFF_PROMISC, and the kernel checks it did.
   */
  readonly canFilterMulticast?: boolean;
  /** Whether the card's receive mode takes every frame now (the kernel's check of IFF_PROMISC). */
  readonly promiscuous?: boolean;
  /**
   * Registers the kernel's ear for misuse the datasheet forbids (a command the
   * card ignores in its state, a register changed while it must not be); the
   * kernel reports each with the student's line.
   */
  onMisuse?(cb: (message: string) => void): void;
}
