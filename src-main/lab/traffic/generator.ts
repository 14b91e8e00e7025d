import type { Host } from '../host/host';
import type { UdpSocket } from '../kernel/udp-socket';
import { ROOT } from '../netdev/cred';
import { errnoName } from '../netdev/errno';
import { Rng } from '../sim/rng';
import { SECOND } from '../sim/time';
import { formatIpv4, parseIpv4 } from '../wire/ipv4-addr';
import { PAYLOAD_HLEN, PayloadView } from './payload';
import { udpWireBits } from './wire-bits';

/**
 * - `cbr`: constant bit rate, datagrams evenly spaced from `start`.
 * - `poisson`: exponentially distributed gaps of the same mean (a Poisson
 *   process), drawn from a seeded RNG.
 * - `onoff`: bursts: `onNs` of cbr at the rate, then `offNs` of silence,
 *   repeated from `start`. The rate is the burst's; the average is
 *   rate × on / (on + off).
 */
export type GeneratorPattern = 'cbr' | 'poisson' | 'onoff';

export interface GeneratorOptions {
  /** Stamped in every payload (u16): sinks tell streams apart by it, so keep it unique in a lab. */
  id: number;
  /** For display. */
  name?: string;
  /** A multicast group, a broadcast address (the subnet's, e.g. 10.0.0.255) or a unicast address. */
  to: string | number;
  port: number;
  /** Default cbr. */
  pattern?: GeneratorPattern;
  /** Datagrams per second. Give this or `bps`. */
  pps?: number;
  /**
   * Bits per second on the Ethernet wire: preamble and SFD, the frame padded to
   * 64 bytes with its FCS, and the inter-frame gap (`udpWireBits`), so a
   * generator at the segment's bit rate sends at line rate. Each datagram is
   * followed by the time its own bits take, so with mixed sizes the bit rate
   * holds over any window, not only on average.
   */
  bps?: number;
  /** UDP payload bytes: one size, or a list sent in turn (default 18: 64-byte frames). */
  size?: number | readonly number[];
  /** At most this many datagrams are attempted (default no limit). */
  count?: number;
  /** Simulated ns of the first datagram (default now; a time already past means now). */
  start?: number;
  /** Nothing is sent at or after this simulated ns (default never). */
  stop?: number;
  /** onoff: ns of each burst. */
  onNs?: number;
  /** onoff: ns of silence after each burst. */
  offNs?: number;
  /** poisson: seed of the gaps (default: a fork of the host's RNG). */
  seed?: number;
  /** IP_MULTICAST_IF: the interface multicast leaves by (default the multicast route's). */
  dev?: string;
  /** IP_MULTICAST_TTL (default 1). */
  ttl?: number;
  /** Source port (default an ephemeral one). */
  srcPort?: number;
}

export interface GeneratorStats {
  id: number;
  name: string;
  host: string;
  to: string;
  port: number;
  /** Datagrams the kernel accepted (sendto returned their length). */
  sent: number;
  /** Payload bytes of those. */
  bytes: number;
  /** Sends tried: sent + every error. */
  attempts: number;
  /** Failed sends by errno name: EMSGSIZE, ENOBUFS (qdisc full), ENETUNREACH… */
  sendErrors: Record<string, number>;
}

const MAX_UDP_PAYLOAD = 65507;

/**
 * A traffic generator: an application on a host that sends UDP datagrams
 * through its own socket, so they take the whole transmit path (UDP, IP,
 * ARP or the multicast mapping, the qdisc, the driver). Every payload starts
 * with a netlab header (payload.ts): the generator id, a sequence number and
 * the send time.
 *
 * The sequence number is the count of datagrams sent before: a send the
 * kernel refuses (its errno is counted) does not use one up, so a sink's
 * losses are the network's and the generator's errors are its own. The
 * schedule does not depend on errors: an attempt that fails is not retried.
 *
 * One kernel timer, re-armed after each datagram, and one payload buffer
 * serve the whole run: nothing is allocated per datagram here.
 */
export class Generator {
  readonly id: number;
  readonly name: string;
  readonly to: number;
  readonly port: number;
  readonly pattern: GeneratorPattern;
  readonly sizes: readonly number[];
  readonly startAt: number;
  readonly stopAt: number;
  readonly count: number;
  readonly sock: UdpSocket;
  sent = 0;
  bytes = 0;
  attempts = 0;
  /** Failed sends by (positive) errno. */
  readonly sendErrors = new Map<number, number>();

  /** Datagrams or bits per second, as given. */
  private readonly rate: number;
  private readonly perBit: boolean;
  private readonly onNs: number;
  private readonly offNs: number;
  private readonly rng: Rng | null;
  private readonly payload: Uint8Array;
  /** The send timer; -1 once the run is over and has given it back. */
  private timer: number;
  private sizeIndex = 0;
  /** cbr and onoff: sends are at epoch + units / rate, units counted since the epoch. */
  private epoch: number;
  private units = 0;
  private nextAt: number;
  private running = true;

  constructor(
    readonly host: Host,
    options: GeneratorOptions,
  ) {
    const where = `generator ${options.name ?? options.id}`;
    const k = host.kernel;
    if (!Number.isInteger(options.id) || options.id < 0 || options.id > 0xffff) {
      throw new RangeError(`${where}: id ${options.id} must be an integer 0..65535`);
    }
    const to = typeof options.to === 'number' ? options.to : parseIpv4(options.to);
    if (to === null || !(to >= 0 && to <= 0xffffffff)) {
      throw new RangeError(`${where}: destination '${options.to}' is not an IPv4 address`);
    }
    if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) {
      throw new RangeError(`${where}: port ${options.port} must be 1..65535`);
    }
    if ((options.pps === undefined) === (options.bps === undefined)) {
      throw new RangeError(`${where}: give a rate in either pps or bps`);
    }
    const rate = options.pps ?? options.bps!;
    if (!(rate > 0 && rate < Infinity)) {
      throw new RangeError(`${where}: rate ${rate} must be a positive finite number`);
    }
    const sizes = typeof options.size === 'number' ? [options.size] : (options.size ?? [18]);
    if (sizes.length === 0) throw new RangeError(`${where}: the size list is empty`);
    for (const s of sizes) {
      if (!Number.isInteger(s) || s < 0 || s > MAX_UDP_PAYLOAD) {
        throw new RangeError(`${where}: size ${s} must be 0..${MAX_UDP_PAYLOAD} bytes`);
      }
    }
    const count = options.count ?? Infinity;
    if (!(count >= 0) || (count !== Infinity && !Number.isInteger(count))) {
      throw new RangeError(`${where}: count ${count} must be a whole number`);
    }
    const pattern = options.pattern ?? 'cbr';
    if (pattern !== 'cbr' && pattern !== 'poisson' && pattern !== 'onoff') {
      throw new RangeError(`${where}: pattern '${String(pattern)}' is not cbr, poisson or onoff`);
    }
    const onNs = options.onNs ?? 0;
    const offNs = options.offNs ?? 0;
    if (pattern === 'onoff' && !(onNs > 0 && offNs >= 0 && onNs + offNs < Infinity)) {
      throw new RangeError(`${where}: onoff needs onNs > 0 and offNs ≥ 0`);
    }
    const stop = options.stop ?? Infinity;
    if (!(stop >= (options.start ?? k.now))) {
      throw new RangeError(`${where}: stop ${stop} ns is before start`);
    }
    const start = Math.max(options.start ?? k.now, k.now);

    this.id = options.id;
    this.name = options.name ?? `gen${options.id}`;
    this.to = to;
    this.port = options.port;
    this.pattern = pattern;
    this.sizes = [...sizes];
    this.rate = rate;
    this.perBit = options.bps !== undefined;
    this.count = count;
    this.startAt = start;
    this.stopAt = stop;
    this.onNs = onNs;
    this.offNs = offNs;
    this.rng =
      pattern === 'poisson'
        ? options.seed !== undefined
          ? new Rng(options.seed)
          : host.machine.rng.fork()
        : null;

    const sock = k.udp.socket();
    if (options.dev !== undefined) {
      const dev = k.devByName(options.dev);
      if (!dev) throw new Error(`${where}: ${host.name} has no interface ${options.dev}`);
      sock.mcIf = dev;
    } else {
      // Linux has no multicast route of its own: like any sender, the application names its
      // interface (IP_MULTICAST_IF); without a `dev` option that is the host's first card.
      sock.mcIf = k.firstCard();
    }
    if (options.ttl !== undefined) sock.mcTtl = options.ttl;
    if (options.srcPort !== undefined) {
      const ret = k.udp.bind(sock, 0, options.srcPort, ROOT);
      if (ret < 0) {
        k.udp.close(sock);
        throw new Error(`${where}: bind to port ${options.srcPort}: ${errnoName(ret)}`);
      }
    }
    this.sock = sock;
    this.payload = new Uint8Array(Math.max(PAYLOAD_HLEN, ...this.sizes));

    this.epoch = start;
    this.nextAt = pattern === 'poisson' ? start + this.poissonGap() : start;
    this.timer = k.timers.setup(() => this.tick());
    this.armOrFinish();
  }

  /** Sending, or waiting to send. */
  get active(): boolean {
    return this.running;
  }

  /** Stops sending for good (the socket stays open until `close` or the lab's teardown). */
  stop(): void {
    this.finish();
  }

  close(): void {
    this.stop();
    this.host.kernel.udp.close(this.sock);
  }

  stats(): GeneratorStats {
    const sendErrors: Record<string, number> = {};
    for (const [errno, n] of [...this.sendErrors].sort((a, b) => a[0] - b[0])) {
      sendErrors[errnoName(errno)] = n;
    }
    return {
      id: this.id,
      name: this.name,
      host: this.host.name,
      to: formatIpv4(this.to),
      port: this.port,
      sent: this.sent,
      bytes: this.bytes,
      attempts: this.attempts,
      sendErrors,
    };
  }

  private tick(): void {
    if (!this.running) return;
    if (this.sock.closed) {
      // The lab was torn down under us.
      this.finish();
      return;
    }
    const k = this.host.kernel;
    const size = this.sizes[this.sizeIndex];
    this.sizeIndex = this.sizeIndex + 1 === this.sizes.length ? 0 : this.sizeIndex + 1;
    PayloadView.write(this.payload, 0, this.id, this.sent >>> 0, k.now);
    this.attempts++;
    const ret = k.udp.sendto(this.sock, this.payload, size, this.to, this.port);
    if (ret >= 0) {
      this.sent++;
      this.bytes += size;
    } else {
      this.sendErrors.set(-ret, (this.sendErrors.get(-ret) ?? 0) + 1);
    }
    this.advance(size);
    this.armOrFinish();
  }

  /** Moves `nextAt` past the datagram of `size` bytes just sent. */
  private advance(size: number): void {
    if (this.pattern === 'poisson') {
      this.nextAt += this.poissonGap();
      return;
    }
    // Times from a count since the epoch, not a running sum of gaps, so they do not drift:
    // the n-th datagram of a 10,000 pps stream is at exactly n × 100 µs.
    this.units += this.perBit ? udpWireBits(size) : 1;
    this.nextAt = this.epoch + (this.units * SECOND) / this.rate;
    if (this.pattern === 'onoff' && this.nextAt >= this.epoch + this.onNs) {
      this.epoch += this.onNs + this.offNs;
      this.units = 0;
      this.nextAt = this.epoch;
    }
  }

  /** The gap before the next datagram: exponential, its mean that datagram's share of the rate. */
  private poissonGap(): number {
    const units = this.perBit ? udpWireBits(this.sizes[this.sizeIndex]) : 1;
    return this.rng!.exponential((units * SECOND) / this.rate);
  }

  private armOrFinish(): void {
    if (this.attempts >= this.count || this.nextAt >= this.stopAt) {
      this.finish();
      return;
    }
    this.host.kernel.timers.mod(this.timer, this.nextAt);
  }

  /**
   * The run is over (stopped, count spent, stop time reached, socket gone):
   * the timer goes back to the kernel's table, as an owner's teardown does
   * with del_timer_sync. A restarted generator is a new Generator with a new
   * timer, so without this every restart (the UI restarts on each edit) would
   * leave a slot behind.
   */
  private finish(): void {
    this.running = false;
    this.host.kernel.timers.free(this.timer);
    this.timer = -1;
  }
}
