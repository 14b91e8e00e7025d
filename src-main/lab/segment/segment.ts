import {
  PhyFrame,
  RXV_REJECT,
  RXV_TAKE,
  TX_ABORTED,
  TX_CARRIER,
  TX_LATE_COLLISION,
  TX_OK,
  type MacPort,
} from '../drivers/phy';
import { Rng } from '../sim/rng';
import type { EventHandler, Scheduler } from '../sim/scheduler';
import { SECOND } from '../sim/time';
import { SegmentStats } from './segment-stats';
import { Station, ST_DEFER, ST_IDLE, ST_JAM, ST_TX, ST_WAIT } from './station';
import { RxVerdictCache } from './rx-verdict-cache';
import { TxGroup } from './tx-group';
import { WireLog } from './wire-log';

/** 7 bytes of preamble and the start-of-frame delimiter. */
const PREAMBLE_BITS = 64;
const IFG_BITS = 96;
/**
 * The last third of the inter-frame gap: carrier that appears then no longer
 * stops a station whose gap is ending (802.3 4.2.3.2.1), so it collides instead.
 */
const IFG_PART2_BITS = 32;
const JAM_BITS = 32;
const MAX_ATTEMPTS = 16;
const BACKOFF_LIMIT = 10;
/** Longest frame a station can put on the wire (jumbo MTU plus headers and FCS). */
const MAX_WIRE_FRAME = 16384;
/**
 * Frame buffers come in powers of two from this size up to MAX_WIRE_FRAME:
 * receivers may hold a frame for long (a full ring, a slow socket), so a
 * 64-byte frame must not pin 16 KiB.
 */
const MIN_FRAME_BUF = 256;

const EV_ATTEMPT = 1;
const EV_TX_END = 2;
const EV_JAM_END = 3;
const EV_GROUP_END = 4;
const EV_NO_CARRIER = 5;
/** Event args pack a station index with its generation. */
const ARG_STRIDE = 4096;

export type Duplex = 'half' | 'full';

export interface SegmentConfig {
  /** Bits per second: 10 Mbps, 100 Mbps or 1 Gbps. */
  bitRate: number;
  /** End-to-end propagation delay in ns. */
  delay: number;
  /** Half duplex is a shared medium with CSMA/CD; full duplex never collides. */
  duplex: Duplex;
  seed: number;
  /** Its name in the lab (`lan1`); a lab of one segment calls it `segment`. */
  name?: string;
}

/** Faults the segment injects, each drawn from its seeded RNG. */
export interface SegmentFaults {
  /** Probability that any one bit is flipped: the frame then fails every FCS check. */
  bitErrorRate: number;
  /** Probability that a frame vanishes on the wire. */
  lossRate: number;
}

/** What happened to a frame on the wire, for a tap. */
export const WIRE_OK = 0;
export const WIRE_COLLISION = 1;
export const WIRE_CORRUPTED = 2;
export const WIRE_LOST = 3;

export type WireTap = (frame: PhyFrame, outcome: number, wireLen: number) => void;

/**
 * A shared Ethernet segment (a hub or a coax cable): every station hears every
 * frame after the propagation delay. In half duplex it is a CSMA/CD medium:
 * stations defer to carrier, transmissions that overlap collide, colliders jam
 * and retry after a binary exponential backoff, and give up after 16 tries.
 */
export class Segment implements EventHandler {
  readonly stats = new SegmentStats();
  readonly stations: Station[] = [];
  /**
   * Each station's `plugged`, by index, read by `deliver` for every station and frame: in one
   * byte array it costs no visit to the stations the frame's verdict row says reject it (on a
   * segment of hundreds of cards, most of them, and each a cache miss).
   */
  private pluggedAt = new Uint8Array(8);
  /** Each station's card, by index: `deliver` reaches a taker's card without its Station. */
  private readonly macs: MacPort[] = [];
  private readonly faultRates: SegmentFaults = { bitErrorRate: 0, lossRate: 0 };
  /** See every frame on the wire, collided and corrupted ones included (captures, tests). */
  readonly taps: WireTap[] = [];
  /** Sender, times and outcome of the last frames on the wire, by frame number. */
  readonly wireLog = new WireLog();
  /** The cards' address filters' answers by destination, and the rejects they count. */
  readonly rxVerdicts = new RxVerdictCache();

  readonly name: string;
  readonly bitRate: number;
  readonly delay: number;
  readonly duplex: Duplex;
  /** ns per bit. */
  readonly bitNs: number;
  readonly slotNs: number;
  private readonly ifgNs: number;
  private readonly deafNs: number;
  private readonly jamNs: number;
  private readonly rng: Rng;
  private readonly handlerId: number;
  /** Free frame buffers by size: MIN_FRAME_BUF << index. */
  private readonly freeFrames: PhyFrame[][] = [];
  /** Where a frame goes when its last holder (this medium or a receive buffer) lets go. */
  private readonly recycleFrame = (frame: PhyFrame): void => {
    this.freeFrames[31 - Math.clz32(frame.buf.length / MIN_FRAME_BUF)].push(frame);
  };
  private readonly groups: TxGroup[] = [];
  private readonly freeGroups: TxGroup[] = [];
  private readonly liveGroups: TxGroup[] = [];
  /** The group a station starting now would collide with, if any. */
  private openGroup: TxGroup | null = null;
  private readonly deferring: Station[] = [];
  private frameSeq = 0;
  /** When the medium last fell silent at every station: the last group's tail passed. */
  private idleAt = -Infinity;
  /** The lone sender of that group: it heard its own carrier stop at its `lastTxEnd`. */
  private idleSender: Station | null = null;

  constructor(
    private readonly sched: Scheduler,
    config: SegmentConfig,
  ) {
    if (!(config.bitRate > 0 && config.bitRate <= 100e9)) {
      throw new RangeError(
        `segment bit rate ${config.bitRate} bit/s is out of range (up to 100 Gbps)`,
      );
    }
    if (!(config.delay >= 0 && config.delay <= 1e6)) {
      throw new RangeError(`segment delay ${config.delay} ns is out of range (0 to 1 ms)`);
    }
    if (config.duplex !== 'half' && config.duplex !== 'full') {
      throw new RangeError(`segment duplex ${String(config.duplex)} is neither half nor full`);
    }
    this.name = config.name ?? 'segment';
    this.bitRate = config.bitRate;
    this.delay = config.delay;
    this.duplex = config.duplex;
    this.bitNs = SECOND / config.bitRate;
    // Gigabit half duplex extends the slot to 4096 bits (802.3z).
    this.slotNs = (config.bitRate >= 1e9 ? 4096 : 512) * this.bitNs;
    this.ifgNs = IFG_BITS * this.bitNs;
    this.deafNs = IFG_PART2_BITS * this.bitNs;
    this.jamNs = JAM_BITS * this.bitNs;
    this.rng = new Rng(config.seed);
    this.handlerId = sched.register(this);
  }

  /** A two-station full-duplex segment is a cable (switched Ethernet); anything else a hub. */
  get isCable(): boolean {
    return this.duplex === 'full' && this.stations.length === 2;
  }

  /** Plugs a NIC into the segment; returns the `Phy` to hand it. */
  attach(mac: MacPort): Station {
    if (this.stations.length >= ARG_STRIDE) throw new RangeError('segment: too many stations');
    const st = new Station(this.stations.length, mac, this);
    this.stations.push(st);
    this.macs.push(mac);
    if (st.index === this.pluggedAt.length) {
      const bigger = new Uint8Array(this.pluggedAt.length * 2);
      bigger.set(this.pluggedAt);
      this.pluggedAt = bigger;
    }
    this.pluggedAt[st.index] = st.plugged ? 1 : 0;
    this.rxVerdicts.resize(this.stations.length);
    return st;
  }

  /** Plugs or unplugs a station's cable; its NIC sees carrier come or go. */
  setPlugged(st: Station, plugged: boolean): void {
    if (st.plugged === plugged) return;
    st.plugged = plugged;
    this.pluggedAt[st.index] = plugged ? 1 : 0;
    st.mac.carrierChanged(plugged);
  }

  /** Time on the wire for a frame of `len` bytes (FCS included), preamble included. */
  frameNs(len: number): number {
    return (PREAMBLE_BITS + len * 8) * this.bitNs;
  }

  get faults(): Readonly<SegmentFaults> {
    return this.faultRates;
  }

  /** Sets fault rates; each is a probability in [0, 1], anything else is a RangeError. */
  setFaults(faults: Partial<SegmentFaults>): void {
    for (const [name, value] of Object.entries(faults)) {
      if (!(name in this.faultRates))
        throw new RangeError(`segment fault '${name}' does not exist`);
      if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
        throw new RangeError(`segment fault ${name} = ${value} is not a probability in [0, 1]`);
      }
    }
    Object.assign(this.faultRates, faults);
  }

  /** The number of the last frame put on the wire (0: none yet); frames are numbered from 1. */
  get lastFrameSeq(): number {
    return this.frameSeq;
  }

  /** Share of the elapsed simulated time the medium carried a signal. */
  utilisation(): number {
    return this.sched.now > 0 ? this.stats.busyNs / this.sched.now : 0;
  }

  /** A frame buffer for `len` bytes on the wire (longer ones are cut at MAX_WIRE_FRAME). */
  allocFrame(len = MAX_WIRE_FRAME): PhyFrame {
    let size = MIN_FRAME_BUF;
    let cls = 0;
    while (size < len && size < MAX_WIRE_FRAME) {
      size *= 2;
      cls++;
    }
    let free = this.freeFrames[cls];
    if (free === undefined) {
      for (let i = this.freeFrames.length; i <= cls; i++) this.freeFrames.push([]);
      free = this.freeFrames[cls];
    }
    const frame = free.pop() ?? PhyFrame.withHeadroom(size, this.recycleFrame);
    frame.reset();
    return frame;
  }

  /** A NIC hands over a frame: it goes out after the inter-frame gap, when the medium allows. */
  startTransmit(st: Station, frame: PhyFrame): void {
    if (st.frame !== null) throw new Error(`${st.mac.name}: transmit while a frame is in progress`);
    frame.addressChanged();
    st.frame = frame;
    st.attempts = 0;
    st.state = ST_WAIT;
    const gapEnd = st.lastTxEnd + this.ifgNs;
    this.post(gapEnd > this.sched.now ? gapEnd : this.sched.now, EV_ATTEMPT, st);
  }

  handleEvent(kind: number, arg: number): void {
    if (kind === EV_GROUP_END) {
      this.endGroup(this.groups[arg]);
      return;
    }
    // `arg` is a double (gen × stride + index): floor and subtract, as `%` on doubles is a call.
    const gen = Math.floor(arg / ARG_STRIDE);
    const st = this.stations[arg - gen * ARG_STRIDE];
    if (gen !== st.gen) return; // overtaken by a collision
    switch (kind) {
      case EV_ATTEMPT:
        this.attempt(st);
        break;
      case EV_TX_END:
        this.txEnd(st);
        break;
      case EV_JAM_END:
        this.jamEnd(st);
        break;
      case EV_NO_CARRIER:
        this.finish(st, TX_CARRIER);
        break;
    }
  }

  private post(at: number, kind: number, st: Station): void {
    this.sched.schedule(at, this.handlerId, kind, st.gen * ARG_STRIDE + st.index);
  }

  /**
   * Carrier sense: is another station's signal on the wire here and now? A station
   * whose gap ends now ignores carrier that arrived in the gap's last third.
   */
  private busyFor(st: Station, gapEnd: number): boolean {
    const now = this.sched.now;
    const ignoreFrom = now === gapEnd ? gapEnd - this.deafNs : Infinity;
    for (const g of this.liveGroups) {
      if (g.members.length === 1 && g.members[0] === st) continue;
      if (g.audibleFrom <= now && g.audibleFrom < ignoreFrom && now < g.audibleUntil(this.delay)) {
        return true;
      }
    }
    return false;
  }

  private attempt(st: Station): void {
    const frame = st.frame!;
    if (!st.plugged) {
      // The MAC sends into nothing and finds no carrier.
      st.state = ST_TX;
      this.post(this.sched.now + this.frameNs(frame.len), EV_NO_CARRIER, st);
      return;
    }
    if (this.duplex === 'half') {
      // Deference (802.3 4.2.3.2.1): a full gap after carrier last dropped here, then carrier sense.
      const dropAt = st === this.idleSender ? st.lastTxEnd : Math.max(st.lastTxEnd, this.idleAt);
      const gapEnd = dropAt + this.ifgNs;
      if (this.sched.now < gapEnd) {
        st.state = ST_WAIT;
        this.post(gapEnd, EV_ATTEMPT, st);
        return;
      }
      if (this.busyFor(st, gapEnd)) {
        st.state = ST_DEFER;
        this.deferring.push(st);
        return;
      }
    }
    this.begin(st, frame);
  }

  private begin(st: Station, frame: PhyFrame): void {
    const now = this.sched.now;
    const open = this.openGroup;
    // Past carrier sense, an open group still sending is one this station cannot hear yet
    // (or chose to ignore): it collides with it.
    const collides = this.duplex === 'half' && open !== null && open.active > 0;
    const g = collides ? open : this.newGroup();
    st.state = ST_TX;
    st.txStart = now;
    st.group = g;
    st.gen++;
    frame.seq = ++this.frameSeq;
    frame.startTime = now;
    this.wireLog.begin(frame.seq, now, st.index);
    g.members.push(st);
    g.active++;
    if (!collides) {
      g.firstStart = now;
      g.audibleFrom = now + this.delay;
      g.frame = frame;
      g.sender = st;
      st.detectAt = Infinity;
      if (this.duplex === 'half') this.openGroup = g;
      this.post(now + this.frameNs(frame.len), EV_TX_END, st);
      return;
    }
    // A collision: each transmitter hears the others one propagation delay after they began.
    if (!g.collided) this.stats.collisions++;
    g.collided = true;
    g.frame = null;
    const preambleNs = PREAMBLE_BITS * this.bitNs;
    for (const m of g.members) {
      if (m.group !== g) continue; // its part in the group is over
      let heard = Infinity;
      for (const o of g.members)
        if (o !== m && o.txStart + this.delay < heard) heard = o.txStart + this.delay;
      m.detectAt = heard > m.txStart ? heard : m.txStart;
      const end = m.txStart + this.frameNs(m.frame!.len);
      m.gen++;
      if (m.detectAt < end) {
        // A collision heard during the preamble is jammed after it: a 96-bit fragment at least.
        const jamFrom = Math.max(m.detectAt, m.txStart + preambleNs);
        this.post(jamFrom + this.jamNs, EV_JAM_END, m);
      } else {
        // Its frame ends before the others' signal reaches it: it never learns of the collision.
        this.post(end, EV_TX_END, m);
      }
    }
  }

  private newGroup(): TxGroup {
    let g = this.freeGroups.pop();
    if (g === undefined) {
      g = new TxGroup(this.groups.length);
      this.groups.push(g);
    }
    g.live = true;
    this.liveGroups.push(g);
    return g;
  }

  /** A transmission ended without a collision it could detect. */
  private txEnd(st: Station): void {
    const g = st.group!;
    const frame = st.frame!;
    st.frame = null;
    st.group = null;
    st.state = ST_IDLE;
    st.lastTxEnd = this.sched.now;
    if (!g.collided) {
      this.stats.frames++;
      this.stats.bytes += frame.len;
    }
    const collisions = st.attempts;
    this.memberDone(g);
    // A frame of a collided group that ended before hearing it is lost without the sender knowing.
    if (g.collided) {
      this.emit(frame, WIRE_COLLISION, frame.len);
      this.releaseFrame(frame);
    }
    st.mac.txDone(TX_OK, collisions);
  }

  private jamEnd(st: Station): void {
    const g = st.group!;
    st.group = null;
    st.state = ST_JAM;
    st.lastTxEnd = this.sched.now;
    // Bytes of the frame (then jam) that followed the preamble, as for a whole frame's wireLen.
    const bits = (this.sched.now - st.txStart) / this.bitNs - PREAMBLE_BITS;
    const sent = Math.min(st.frame!.len, Math.max(0, Math.floor(bits / 8)));
    this.emit(st.frame!, WIRE_COLLISION, sent);
    this.memberDone(g);
    st.attempts++;
    if (st.detectAt - st.txStart > this.slotNs) {
      this.stats.lateCollisions++;
      this.finish(st, TX_LATE_COLLISION);
    } else if (st.attempts >= MAX_ATTEMPTS) {
      this.stats.aborted++;
      this.finish(st, TX_ABORTED);
    } else {
      const k = st.attempts < BACKOFF_LIMIT ? st.attempts : BACKOFF_LIMIT;
      st.state = ST_WAIT;
      this.post(this.sched.now + this.rng.int(1 << k) * this.slotNs, EV_ATTEMPT, st);
    }
  }

  /** Gives the frame up and tells the NIC how it ended. */
  private finish(st: Station, status: number): void {
    const frame = st.frame!;
    st.frame = null;
    st.state = ST_IDLE;
    const collisions = st.attempts;
    this.releaseFrame(frame);
    st.mac.txDone(status, collisions);
  }

  private memberDone(g: TxGroup): void {
    if (--g.active > 0) return;
    const now = this.sched.now;
    g.endAt = now;
    this.stats.busyNs += now - g.firstStart;
    if (this.openGroup === g) this.openGroup = null;
    this.sched.schedule(now + this.delay, this.handlerId, EV_GROUP_END, g.index);
  }

  /** The group's last bit has passed every station: deliver, and wake the deferring. */
  private endGroup(g: TxGroup): void {
    this.idleAt = this.sched.now;
    this.idleSender = g.collided ? null : g.sender;
    if (!g.collided && g.frame !== null) {
      this.deliver(g.frame, g.sender!);
      this.releaseFrame(g.frame);
    }
    // Order among live groups does not matter (carrier sense asks whether any is audible).
    const live = this.liveGroups;
    const i = live.indexOf(g);
    live[i] = live[live.length - 1];
    live.pop();
    g.reset();
    this.freeGroups.push(g);
    if (this.deferring.length > 0) {
      const at = this.sched.now + this.ifgNs;
      for (const st of this.deferring) {
        st.state = ST_WAIT;
        this.post(at, EV_ATTEMPT, st);
      }
      this.deferring.length = 0;
    }
  }

  private deliver(frame: PhyFrame, sender: Station): void {
    const f = this.faultRates;
    if (f.lossRate > 0 && this.rng.chance(f.lossRate)) {
      this.stats.lost++;
      this.emit(frame, WIRE_LOST, frame.len);
      return;
    }
    let outcome = WIRE_OK;
    if (f.bitErrorRate > 0 && this.rng.chance(1 - Math.pow(1 - f.bitErrorRate, frame.len * 8))) {
      const bit = this.rng.int(frame.len * 8);
      frame.buf[bit >> 3] ^= 1 << (bit & 7);
      // Any single flipped bit fails the CRC; the destination itself may be what changed.
      frame.fcsOk = false;
      frame.addressChanged();
      this.stats.corrupted++;
      outcome = WIRE_CORRUPTED;
    }
    this.emit(frame, outcome, frame.len);
    const stations = this.stations;
    const cache = this.rxVerdicts;
    let epoch = cache.epoch;
    let v = cache.verdicts;
    let row = cache.row(frame, stations);
    const from = sender.index;
    for (let i = 0; i < stations.length; i++) {
      if (i === from || this.pluggedAt[i] === 0) continue;
      this.stats.deliveries++;
      const verdict = v[row + i];
      if (verdict === RXV_TAKE) {
        this.macs[i].receive(frame);
        // What a card did on receiving may have changed a card's filter (a join, a device stopped).
        if (cache.epoch !== epoch) {
          row = cache.row(frame, stations);
          v = cache.verdicts;
          epoch = cache.epoch;
        }
      } else if (verdict === RXV_REJECT) cache.reject(i);
    }
  }

  private emit(frame: PhyFrame, outcome: number, wireLen: number): void {
    this.wireLog.finish(frame.seq, this.sched.now, outcome, frame.destKey);
    for (let i = 0; i < this.taps.length; i++) this.taps[i](frame, outcome, wireLen);
  }

  /** The medium is done with the frame; receive buffers that read its bytes may hold it longer. */
  private releaseFrame(frame: PhyFrame): void {
    frame.release();
  }
}
