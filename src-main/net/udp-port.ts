import { createSocket, type Socket } from 'node:dgram';
import { isIPv4 } from 'node:net';
import type { PhyFrame } from '../lab/drivers/phy';
import { ExternalPort } from '../lab/segment/external-port';
import type { Segment } from '../lab/segment/segment';
import { ETH_FCS_LEN, ETH_ZLEN } from '../lab/wire/ethernet';
import type { RealtimeInput } from './realtime';

/** An IPv4 address and a UDP port. */
export interface UdpEndpoint {
  host: string;
  port: number;
}

export interface UdpPortOptions {
  /** The port's name on the segment (shown in reports). */
  name: string;
  /** Where to listen: `host` is 127.0.0.1 unless another address is given; port 0 picks a free one. */
  local: { host?: string; port: number };
  /** Where each frame from the segment is sent. */
  remote: UdpEndpoint;
  /** Longest frame accepted from outside, header included, FCS excluded (default 1518: MTU 1500, a VLAN tag). */
  maxFrame?: number;
}

/** The listening address when none is asked for: only this machine can reach the port. */
export const DEFAULT_BIND = '127.0.0.1';

/** Counters of the UDP side of a port (the segment side's are `port.stats`). */
export class UdpPortStats {
  /** Datagrams received (each one a frame, or malformed: see `port.stats.malformed`). */
  datagramsIn = 0;
  /** Datagrams sent to the remote address. */
  datagramsOut = 0;
  /** Sends the socket refused (no route, a full buffer, ICMP port unreachable reported back). */
  sendErrors = 0;
  /** Datagrams from an address other than the remote one: dropped, never put on the segment. */
  foreign = 0;
}

/**
 * A UDP wire has no FCS, so a frame the segment corrupted, or a runt, must
 * not leave as a good datagram: it stops here, as the MAC of a NIC in the
 * outside peer's place would have dropped it.
 */
class UdpWirePort extends ExternalPort {
  /** Frames from the segment not passed on: a bad FCS or shorter than 64 bytes on the wire. */
  wireErrors = 0;

  override receive(frame: PhyFrame): void {
    if (!frame.fcsOk || frame.len < ETH_ZLEN + ETH_FCS_LEN) {
      this.wireErrors++;
      return;
    }
    super.receive(frame);
  }
}

/**
 * An external port of a segment carried over UDP: one whole Ethernet frame
 * per datagram, destination MAC first, no FCS and no header of its own. This
 * is what QEMU's `-netdev dgram` and `-netdev socket,udp=`, GNS3's UDP links
 * and another netlab's port speak. Datagrams received from the remote address
 * are put on the segment as frames from an outside station (from anywhere else
 * they are counted as `foreign` and dropped); frames on the
 * segment are sent to the remote address. Malformed datagrams (under 14
 * bytes, over `maxFrame`) are counted and dropped by the port.
 *
 * The lab must run in real time while the port is open: pass the port to
 * `runRealtime` as an input, which puts each datagram on the wire at the
 * simulated time of its arrival.
 */
export class UdpPort implements RealtimeInput {
  /** The station on the segment: its `stats` count both directions. */
  readonly port: UdpWirePort;
  readonly udp = new UdpPortStats();
  private readonly socket: Socket;
  private readonly remote: UdpEndpoint;
  private readonly bindHost: string;
  private readonly bindPort: number;
  private bound: UdpEndpoint | null = null;
  private closed = false;
  /** The real-time run this port feeds, if any (see realtime.ts). */
  private clock: { stamp(): number; wake(): void } | null = null;
  /** Datagrams that arrived, each with the simulated time of its arrival, waiting for the lab to get there. */
  private readonly inbox: { bytes: Uint8Array; at: number }[] = [];

  constructor(segment: Segment, options: UdpPortOptions) {
    this.bindHost = options.local.host ?? DEFAULT_BIND;
    this.bindPort = options.local.port;
    this.remote = { host: options.remote.host, port: options.remote.port };
    checkEndpoint('local', { host: this.bindHost, port: this.bindPort }, true);
    checkEndpoint('remote', this.remote, false);
    this.port = new UdpWirePort(options.name, segment, options.maxFrame);
    this.socket = createSocket('udp4');
    this.socket.on('message', (msg, from) => {
      // Only the peer the port is cabled to may put frames on the segment: anyone else who can
      // reach the socket (another program, another machine when it listens on the network)
      // is counted and ignored.
      if (from.address !== this.remote.host || from.port !== this.remote.port) {
        this.udp.foreign++;
        return;
      }
      this.udp.datagramsIn++;
      if (this.clock === null) {
        this.port.send(msg, msg.length);
        return;
      }
      this.inbox.push({ bytes: msg, at: this.clock.stamp() });
      this.clock.wake();
    });
    // After bind, a socket error (an ICMP error reported back) must not end the process.
    this.socket.on('error', () => {
      this.udp.sendErrors++;
    });
    this.port.onFrame = (bytes, len) => this.sendFrame(bytes, len);
    // Unplugged until the socket is bound: a port that is not open sees no frames.
    this.port.setPlugged(false);
  }

  get name(): string {
    return this.port.name;
  }

  /** The address the socket is bound to (the port chosen, when 0 was asked for); null before `open`. */
  get local(): UdpEndpoint | null {
    return this.bound;
  }

  get remoteAddress(): UdpEndpoint {
    return { ...this.remote };
  }

  /** Frames from the segment not passed on (bad FCS, runts). */
  get wireErrors(): number {
    return this.port.wireErrors;
  }

  /** Binds the socket and plugs the port into the segment. Rejects with the socket's error (EADDRINUSE…). */
  open(): Promise<UdpEndpoint> {
    return new Promise((resolve, reject) => {
      const onError = (e: Error) => {
        this.socket.off('listening', onListening);
        reject(e);
      };
      const onListening = () => {
        this.socket.off('error', onError);
        const a = this.socket.address();
        this.bound = { host: a.address, port: a.port };
        this.port.setPlugged(true);
        resolve(this.bound);
      };
      this.socket.once('error', onError);
      this.socket.once('listening', onListening);
      this.socket.bind({ address: this.bindHost, port: this.bindPort, exclusive: true });
    });
  }

  /**
   * For a real-time run (RealtimeInput): while bound, datagrams wait in the
   * inbox, stamped with their arrival, for `deliver`; unbound, they go onto
   * the segment as they come (and what waits goes now).
   */
  bind(clock: { stamp(): number; wake(): void } | null): void {
    this.clock = clock;
    if (clock === null) this.deliver(Infinity);
  }

  /** Puts onto the segment the datagrams that arrived up to simulated time `ns`. */
  deliver(ns: number): void {
    let n = 0;
    while (n < this.inbox.length && this.inbox[n].at <= ns) {
      const d = this.inbox[n++];
      this.port.send(d.bytes, d.bytes.length);
    }
    if (n > 0) this.inbox.splice(0, n);
  }

  /** Unplugs the port and closes the socket. */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    this.port.setPlugged(false);
    this.port.onFrame = null;
    if (this.bound === null) {
      try {
        this.socket.close();
      } catch {
        // never bound: nothing to close
      }
      return Promise.resolve();
    }
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }

  /** Every counter of the port, for a report. */
  counters(): UdpPortCounters {
    const s = this.port.stats;
    return {
      name: this.name,
      local: this.bound
        ? `${this.bound.host}:${this.bound.port}`
        : `${this.bindHost}:${this.bindPort}`,
      remote: `${this.remote.host}:${this.remote.port}`,
      datagramsIn: this.udp.datagramsIn,
      datagramsOut: this.udp.datagramsOut,
      sendErrors: this.udp.sendErrors,
      foreign: this.udp.foreign,
      toOutside: s.toOutside,
      fromOutside: s.fromOutside,
      malformed: s.malformed,
      queueDrops: s.queueDrops,
      txErrors: s.txErrors,
      wireErrors: this.port.wireErrors,
    };
  }

  private sendFrame(bytes: Uint8Array, len: number): void {
    if (this.closed) return;
    // The segment reuses the buffer once this returns: the datagram gets its own copy.
    const copy = Buffer.from(bytes.subarray(0, len));
    this.socket.send(copy, this.remote.port, this.remote.host, (err) => {
      if (err) this.udp.sendErrors++;
      else this.udp.datagramsOut++;
    });
  }
}

/** A port's counters as plain data (JSON reports). */
export interface UdpPortCounters {
  name: string;
  local: string;
  remote: string;
  datagramsIn: number;
  datagramsOut: number;
  sendErrors: number;
  /** Datagrams from an address other than the remote one, dropped. */
  foreign: number;
  /** Frames from the segment handed to the outside. */
  toOutside: number;
  /** Frames from the outside that went onto the segment. */
  fromOutside: number;
  /** Datagrams too short (< 14 bytes) or too long to be a frame. */
  malformed: number;
  /** Datagrams dropped because the port's queue to the segment was full. */
  queueDrops: number;
  /** Outside frames the segment could not carry (16 collisions, no carrier). */
  txErrors: number;
  /** Segment frames not passed on: bad FCS or runts. */
  wireErrors: number;
}

function checkEndpoint(what: string, e: UdpEndpoint, zeroOk: boolean): void {
  if (!isIPv4(e.host)) throw new RangeError(`${what} address "${e.host}" is not an IPv4 address`);
  if (!Number.isInteger(e.port) || e.port < (zeroOk ? 0 : 1) || e.port > 65535)
    throw new RangeError(`${what} port ${e.port} is out of range (${zeroOk ? 0 : 1} to 65535)`);
}

/** 127.0.0.0/8: only this machine reaches an address there. */
export function isLoopback(host: string): boolean {
  return isIPv4(host) && host.split('.')[0] === '127';
}

/**
 * Why frames may not be sent to `host` without being asked for explicitly, or null for an
 * ordinary unicast address: 0.0.0.0, broadcast, multicast and the reserved class E would spray
 * the lab's frames at every machine of a network.
 */
export function nonUnicast(host: string): string | null {
  if (!isIPv4(host)) return null;
  const [a] = host.split('.').map(Number);
  if (host === '0.0.0.0') return 'the unspecified address';
  if (host === '255.255.255.255') return 'the broadcast address';
  if (a >= 224 && a <= 239) return 'a multicast address';
  if (a >= 240) return 'a reserved address';
  return null;
}

/**
 * What an external port would expose beyond this machine, each as a sentence, or [] when it
 * listens on loopback and sends to one unicast address. Such a port needs an explicit consent
 * (the CLI's --expose-ports; a box ticked in the window).
 */
export function portExposure(name: string, listen: UdpEndpoint, remote: UdpEndpoint): string[] {
  const out: string[] = [];
  if (!isLoopback(listen.host))
    out.push(
      `port ${name} listens on ${listen.host}:${listen.port}, which other machines can reach`,
    );
  const why = nonUnicast(remote.host);
  if (why !== null) out.push(`port ${name} sends to ${remote.host}:${remote.port}, ${why}`);
  return out;
}

/**
 * `7000:127.0.0.1:7001` (local port, remote host, remote port) as the CLI's
 * `--port` takes it. Returns an error message for anything else.
 */
export function parsePortSpec(
  text: string,
): { local: number; remote: UdpEndpoint } | { error: string } {
  const m = /^(\d{1,5}):([^:]+):(\d{1,5})$/.exec(text.trim());
  const bad = {
    error: `expected LOCAL_PORT:REMOTE_HOST:REMOTE_PORT such as 7000:127.0.0.1:7001, got "${text}"`,
  };
  if (!m) return bad;
  const local = Number(m[1]);
  const host = m[2] === 'localhost' ? '127.0.0.1' : m[2];
  const port = Number(m[3]);
  if (local < 1 || local > 65535)
    return { error: `local port ${local} is out of range (1 to 65535)` };
  if (port < 1 || port > 65535)
    return { error: `remote port ${port} is out of range (1 to 65535)` };
  if (!isIPv4(host)) return { error: `remote host "${m[2]}" is not an IPv4 address` };
  return { local, remote: { host, port } };
}
