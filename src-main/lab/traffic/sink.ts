import type { Host } from '../host/host';
import type { DatagramReader } from '../kernel/udp';
import type { UdpSocket } from '../kernel/udp-socket';
import { ROOT } from '../netdev/cred';
import { describeErrno } from '../netdev/errno';
import type { NetDevice } from '../netdev/net-device';
import { SECOND } from '../sim/time';
import { getF64, getU16, getU32 } from '../wire/bytes';
import { formatIpv4, isMulticastIp, parseIpv4 } from '../wire/ipv4-addr';
import { LatencyHistogram } from './latency-histogram';
import {
  PAYLOAD_HLEN,
  PAYLOAD_MAGIC,
  PAYLOAD_OFF_ID,
  PAYLOAD_OFF_SEQ,
  PAYLOAD_OFF_TIME,
} from './payload';
import { StreamStats } from './stream-stats';

export interface SinkOptions {
  /** UDP port to bind (on every address of the host). */
  port: number;
  /** A group to join (IP_ADD_MEMBERSHIP); without one the sink takes unicast and broadcast. */
  group?: string | number;
  /** The interface to join on (default the multicast route's, as Linux does for INADDR_ANY). */
  dev?: string;
  /**
   * Datagrams per second the application can process (default Infinity: it
   * reads each datagram the moment it is queued). A slower one lets the
   * socket's queue grow until SO_RCVBUF overflows (RcvbufErrors).
   */
  readRate?: number;
  /** SO_RCVBUF in bytes (the kernel doubles it, up to rmem_max); default rmem_default. */
  rcvbuf?: number;
  /** For display. */
  name?: string;
}

export interface LatencySummary {
  min: number | null;
  mean: number | null;
  max: number | null;
  p99: number | null;
}

export interface StreamResult {
  generatorId: number;
  /** Source of the stream's first datagram, `10.0.0.1:32768`. */
  from: string;
  received: number;
  lost: number;
  duplicated: number;
  reordered: number;
  /** Lowest and highest sequence numbers seen (extended past 32 bits). */
  firstSeq: number;
  highestSeq: number;
  latencyNs: LatencySummary;
  jitterNs: number;
}

export interface SinkResults {
  name: string;
  host: string;
  /** The joined group, or null for a unicast/broadcast sink. */
  group: string | null;
  port: number;
  /** Every datagram the application read, measurable or not. */
  received: number;
  bytes: number;
  /** Datagrams read without a whole netlab header (short payloads, other senders). */
  unmeasured: number;
  lost: number;
  duplicated: number;
  reordered: number;
  /** Over every stream's datagrams; null when none was measured. */
  latencyNs: LatencySummary;
  /** The largest of the streams' jitters (the worst stream is the one to look at). */
  jitterNs: number;
  /** Per generator, in order of id. */
  streams: StreamResult[];
}

/** What a sink may be told about the generators, to count losses at the end of a stream. */
export interface SentCount {
  readonly id: number;
  readonly sent: number;
}

/**
 * A traffic sink: an application with a UDP socket bound to a port, joined to
 * a group if given, reading datagrams and measuring, for each generator that
 * sent them (by the id in the netlab header, payload.ts): received, lost,
 * duplicated, reordered, one-way latency and jitter (stream-stats.ts).
 *
 * Latency is measured when the application reads the datagram, by the
 * simulated clock, against the send time the generator stamped: it includes
 * the whole path (sender's stack and qdisc, the wire, interrupt moderation,
 * NAPI, the socket queue), as an application would see it.
 *
 * With a finite `readRate` the application is one that spends 1/readRate of a
 * second on each datagram: it blocks in recvfrom, wakes as soon as a datagram
 * is queued, reads it, and only then is busy. So an idle sink adds no latency,
 * and a flooded one reads exactly readRate per second. (UdpReader instead
 * polls once per period, which would quantise the latencies to its period.)
 *
 * The socket has SO_REUSEADDR, so several sinks may share a port, and
 * IP_MULTICAST_ALL as Linux's default: it receives every group the host
 * joined on its port, as a real listener bound to INADDR_ANY would.
 */
export class Sink implements DatagramReader {
  readonly name: string;
  readonly port: number;
  readonly group: number | null;
  readonly readRate: number;
  readonly sock: UdpSocket;
  received = 0;
  bytes = 0;
  unmeasured = 0;
  /** Streams by generator id, in the order they first arrived. */
  readonly streams = new Map<number, StreamStats>();

  /**
   * The netlab header's fields (payload.ts) of the datagram `recv` just showed `readDatagram`;
   * `id` is -1 when it had no whole header.
   */
  private id = -1;
  private seq = 0;
  private sendTime = 0;
  /** The stream of the last datagram: a flood is one stream, so usually no Map lookup. */
  private lastStream: StreamStats | null = null;
  /** The read-rate timer; -1 once closed and given back. */
  private timer: number;
  private busy = false;
  private running = true;

  constructor(
    readonly host: Host,
    options: SinkOptions,
  ) {
    const k = host.kernel;
    const where = `sink ${options.name ?? `${host.name}:${options.port}`}`;
    if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) {
      throw new RangeError(`${where}: port ${options.port} must be 1..65535`);
    }
    let group: number | null = null;
    if (options.group !== undefined) {
      group = typeof options.group === 'number' ? options.group : parseIpv4(options.group);
      if (group === null || !isMulticastIp(group)) {
        throw new RangeError(`${where}: '${options.group}' is not a multicast group`);
      }
    }
    const readRate = options.readRate ?? Infinity;
    if (!(readRate > 0)) {
      throw new RangeError(`${where}: read rate ${readRate} must be > 0 datagrams/s`);
    }
    let dev: NetDevice | null = null;
    if (options.dev !== undefined) {
      dev = k.devByName(options.dev) ?? null;
      if (dev === null) throw new Error(`${where}: ${host.name} has no interface ${options.dev}`);
    }

    const sock = k.udp.socket();
    sock.reuseAddr = true;
    const fail = (what: string, ret: number): never => {
      k.udp.close(sock);
      throw new Error(`${where}: ${what}: ${describeErrno(ret)}`);
    };
    if (options.rcvbuf !== undefined) {
      const ret = k.udp.setRcvbuf(sock, options.rcvbuf);
      if (ret < 0) fail(`SO_RCVBUF ${options.rcvbuf}`, ret);
    }
    // The lab sets its applications up as root: privileged ports are not the lesson here.
    const ret = k.udp.bind(sock, 0, options.port, ROOT);
    if (ret < 0) fail(`bind to port ${options.port}`, ret);
    if (group !== null) {
      // A join names its interface (Linux has no multicast route to find one): the host's first
      // card unless the sink says which.
      const r = k.udp.addMembership(sock, group, dev ?? k.firstCard());
      if (r < 0) fail(`IP_ADD_MEMBERSHIP ${formatIpv4(group)}`, r);
    }

    this.name = options.name ?? `${host.name}:${options.port}`;
    this.port = options.port;
    this.group = group;
    this.readRate = readRate;
    this.sock = sock;
    this.timer = k.timers.setup(() => this.doneProcessing());
    sock.onDataReady = () => this.dataReady();
  }

  /** Stops reading and closes the socket (leaving the group); the results stay. */
  close(): void {
    this.running = false;
    this.host.kernel.timers.free(this.timer);
    this.timer = -1;
    this.host.kernel.udp.close(this.sock);
  }

  /**
   * The measurements so far. Losses after a stream's last received datagram
   * are counted only for the generators in `sent` (a Generator is one): their
   * sent counts say how far each stream went. Call it once the last datagrams
   * had time to arrive, or they count as lost.
   */
  results(sent: Iterable<SentCount> = []): SinkResults {
    const sentBy = new Map<number, number>();
    for (const g of sent) sentBy.set(g.id, g.sent);
    const all = new LatencyHistogram();
    const streams: StreamResult[] = [];
    let lost = 0;
    let duplicated = 0;
    let reordered = 0;
    let jitter = 0;
    for (const s of this.streams.values()) {
      const l = s.lost(sentBy.get(s.generatorId));
      lost += l;
      duplicated += s.duplicated;
      reordered += s.reordered;
      if (s.jitter > jitter) jitter = s.jitter;
      all.merge(s.latency);
      streams.push({
        generatorId: s.generatorId,
        from: `${formatIpv4(s.fromAddr)}:${s.fromPort}`,
        received: s.received,
        lost: l,
        duplicated: s.duplicated,
        reordered: s.reordered,
        firstSeq: s.firstSeq,
        highestSeq: s.highestSeq,
        latencyNs: summarise(s.latency),
        jitterNs: s.jitter,
      });
    }
    streams.sort((x, y) => x.generatorId - y.generatorId);
    // A generator that was expected but never heard from lost everything it sent.
    for (const [id, n] of sentBy) if (!this.streams.has(id)) lost += n;
    return {
      name: this.name,
      host: this.host.name,
      group: this.group === null ? null : formatIpv4(this.group),
      port: this.port,
      received: this.received,
      bytes: this.bytes,
      unmeasured: this.unmeasured,
      lost,
      duplicated,
      reordered,
      latencyNs: summarise(all),
      jitterNs: jitter,
      streams,
    };
  }

  /** `sk_data_ready`: the application wakes, unless it is still busy with the last datagram. */
  private dataReady(): void {
    if (!this.running || this.busy) return;
    if (this.readRate === Infinity) {
      while (this.readOne());
    } else if (this.readOne()) {
      this.busy = true;
      this.host.kernel.timers.mod(this.timer, this.host.kernel.now + SECOND / this.readRate);
    }
  }

  /** Done with a datagram: take the next one if it waits, else block in recvfrom again. */
  private doneProcessing(): void {
    this.busy = false;
    if (this.running) this.dataReady();
  }

  /** One recvfrom, its netlab header read in place (`readDatagram`), then accounted. */
  private readOne(): boolean {
    const len = this.host.kernel.udp.recv(this.sock, null, this);
    if (len < 0) return false;
    this.received++;
    this.bytes += len;
    const id = this.id;
    if (id < 0) {
      this.unmeasured++;
      return true;
    }
    let stream = this.lastStream;
    if (stream === null || stream.generatorId !== id) {
      let known = this.streams.get(id);
      if (known === undefined) {
        known = new StreamStats(id, this.sock.lastFromAddr, this.sock.lastFromPort);
        this.streams.set(id, known);
      }
      this.lastStream = stream = known;
    }
    stream.accept(this.seq, len, this.sendTime, this.host.kernel.now);
    return true;
  }

  /**
   * The datagram `readOne` takes, shown where the kernel holds it: only its netlab header's
   * fields are read, with no copy of the header first (what PayloadView.check accepts: the
   * magic and a whole header; bytes past `len` are not the datagram's).
   */
  readDatagram(buf: Uint8Array, at: number, len: number): void {
    if (len < PAYLOAD_HLEN || getU32(buf, at) !== PAYLOAD_MAGIC) {
      this.id = -1;
      return;
    }
    this.id = getU16(buf, at + PAYLOAD_OFF_ID);
    this.seq = getU32(buf, at + PAYLOAD_OFF_SEQ);
    this.sendTime = getF64(buf, at + PAYLOAD_OFF_TIME);
  }
}

function summarise(h: LatencyHistogram): LatencySummary {
  if (h.count === 0) return { min: null, mean: null, max: null, p99: null };
  return { min: h.min, mean: h.mean, max: h.max, p99: h.quantile(0.99) };
}
