import type { MacPort, PhyFrame } from '../drivers/phy';
import { copyBytes } from '../wire/bytes';
import { crc32 } from '../wire/crc32';
import { ETH_FCS_LEN, ETH_HLEN, ETH_ZLEN, padAndAppendFcs } from '../wire/ethernet';
import type { Segment } from './segment';
import type { Station } from './station';

/** Frames waiting to go onto the segment; more are dropped (and counted). */
const QUEUE_LIMIT = 256;

/** Counters of an external port, both directions. */
export class ExternalPortStats {
  /** Frames from the segment handed to the outside. */
  toOutside = 0;
  /** Frames from the outside put on the segment. */
  fromOutside = 0;
  /** Datagrams from the outside too short or too long to be a frame. */
  malformed = 0;
  /** Frames from the outside dropped because the port's queue was full. */
  queueDrops = 0;
  /** Frames from the outside that could not be sent (16 collisions, no carrier). */
  txErrors = 0;
}

/**
 * A station on the segment that is not an emulated NIC: something outside
 * the lab (a QEMU VM, a GNS3 link, a real kernel's TAP, another lab) or a test
 * injecting frames. It sees every frame on the wire, like a hub port, and
 * sends what it is given with CSMA/CD like any station, so its frames collide,
 * are counted and are captured like the others.
 */
export class ExternalPort implements MacPort {
  readonly stats = new ExternalPortStats();
  /** Called with each frame from the segment (FCS stripped); the bytes are valid only during the call. */
  onFrame: ((bytes: Uint8Array, len: number) => void) | null = null;
  private readonly station: Station;
  private readonly queue: { bytes: Uint8Array; raw: boolean }[] = [];
  private busy = false;

  constructor(
    readonly name: string,
    private readonly segment: Segment,
    /** Longest frame accepted from outside, header included, FCS excluded (MTU + 14 + 4 for a VLAN tag). */
    readonly maxFrame = 1518,
  ) {
    this.station = segment.attach(this);
  }

  /**
   * A frame from outside (destination MAC first, no FCS), as one UDP datagram
   * carries it. Shorter than an Ethernet header or longer than `maxFrame`: counted
   * as malformed and dropped. Returns whether it was queued.
   */
  send(bytes: Uint8Array, len = bytes.length): boolean {
    if (len < ETH_HLEN || len > this.maxFrame) {
      this.stats.malformed++;
      return false;
    }
    return this.enqueue(bytes.slice(0, len));
  }

  /**
   * Raw wire bytes for fault injection: sent exactly as given, FCS included
   * (or not), with no padding and no length check, so runts, giants and bad
   * FCSs reach the NICs as such. Receivers check the FCS themselves.
   */
  sendRaw(bytes: Uint8Array): boolean {
    return this.enqueue(bytes.slice(), true);
  }

  /** Plug or unplug this port's cable. */
  setPlugged(plugged: boolean): void {
    this.segment.setPlugged(this.station, plugged);
  }

  receive(frame: PhyFrame): void {
    this.stats.toOutside++;
    const len = frame.len >= ETH_FCS_LEN + ETH_HLEN ? frame.len - ETH_FCS_LEN : frame.len;
    this.onFrame?.(frame.buf, len);
  }

  txDone(status: number): void {
    if (status !== 0) this.stats.txErrors++;
    else this.stats.fromOutside++;
    this.busy = false;
    this.next();
  }

  carrierChanged(): void {}

  private enqueue(bytes: Uint8Array, raw = false): boolean {
    if (this.queue.length >= QUEUE_LIMIT) {
      this.stats.queueDrops++;
      return false;
    }
    this.queue.push({ bytes, raw });
    if (!this.busy) this.next();
    return true;
  }

  private next(): void {
    const item = this.queue.shift();
    if (item === undefined) return;
    const bytes = item.bytes;
    const frame = this.station.allocFrame(
      item.raw ? bytes.length : Math.max(bytes.length, ETH_ZLEN) + ETH_FCS_LEN,
    );
    const buf = frame.buf;
    let len = Math.min(bytes.length, buf.length);
    copyBytes(buf, 0, bytes, 0, len);
    if (item.raw) {
      // As given: the FCS is good only if the bytes end with the right one.
      frame.fcsOk =
        len > ETH_FCS_LEN && readFcs(buf, len - ETH_FCS_LEN) === crc32(buf, 0, len - ETH_FCS_LEN);
    } else {
      len = padAndAppendFcs(buf, len);
    }
    frame.len = len;
    this.busy = true;
    this.station.transmit(frame);
  }
}

function readFcs(buf: Uint8Array, at: number): number {
  return (buf[at] | (buf[at + 1] << 8) | (buf[at + 2] << 16) | (buf[at + 3] << 24)) >>> 0;
}
