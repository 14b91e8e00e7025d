// A loaded lab's external ports (its file's `ports:`), opened in the worker as `netlab run` opens
// them: a real UDP socket each, on 127.0.0.1 unless the file names another address, carrying one
// Ethernet frame per datagram. While one is open the lab runs in real time at 1× (the Runner
// takes the open ports as its inputs), since the outside lives on the wall clock.
//
// A lab file is not trusted to open sockets by itself: its ports wait (`waiting`) until the user
// agrees (`ports.open`: the window asks, naming each address). A port that listens beyond
// loopback, or sends to a broadcast or multicast address, needs that consent given explicitly.
// Binding is asynchronous, so a port then goes `opening` and ends `open` or `failed`; a port that
// cannot listen (the address is in use, or not this machine's) is `failed` with a message naming
// it, and the lab runs on without it.
import type { Segment } from '../lab/segment/segment';
import type { PortSpec } from '../lab/labfile/schema';
import type { PortCounters, PortView } from '../ipc/views';
import { portExposure, UdpPort } from '../net/udp-port';

type PortState = PortView['state'];

interface Entry {
  spec: PortSpec;
  /** Null when the socket could not even be made (the address itself was refused). */
  port: UdpPort | null;
  state: PortState;
  error: string;
  /** The segment's name it joins ('' when that could not be said). */
  segment: string;
}

const NO_COUNTERS: PortCounters = {
  datagramsIn: 0,
  datagramsOut: 0,
  sendErrors: 0,
  foreign: 0,
  toOutside: 0,
  fromOutside: 0,
  malformed: 0,
  queueDrops: 0,
  txErrors: 0,
  wireErrors: 0,
};

export class LabPorts {
  private readonly entries: Entry[];
  private closing: Promise<void> | null = null;
  private resolveClosed: () => void = () => {};
  /** Settles when `close` is called: an `open` still binding gives up then. */
  private readonly closedSignal = new Promise<void>((resolve) => (this.resolveClosed = resolve));

  /** `segmentOf` names the segment each port joins (its `segment:`, or the lab's first). */
  constructor(segmentOf: (spec: PortSpec) => Segment, specs: readonly PortSpec[]) {
    this.entries = specs.map((spec) => {
      let segment = '';
      try {
        const on = segmentOf(spec);
        segment = on.name;
        const port = new UdpPort(on, {
          name: spec.name,
          local: spec.listen,
          remote: spec.remote,
        });
        return { spec, port, state: 'waiting', error: '', segment };
      } catch (e) {
        const error = `port ${spec.name}: ${message(e)}`;
        return { spec, port: null, state: 'failed', error, segment };
      }
    });
  }

  get count(): number {
    return this.entries.length;
  }

  /** Whether `close` was called (the lab is gone, or the engine is closing). */
  get closed(): boolean {
    return this.closing !== null;
  }

  /** The ports carrying frames now: what the Runner feeds in real time. */
  get opened(): UdpPort[] {
    return this.entries.filter((e) => e.state === 'open').map((e) => e.port!);
  }

  /** Whether the user agreed to open the ports (so a rebuilt lab opens them again). */
  agreed = false;

  /** Whether any port was agreed to and is yet to be bound. */
  get opening(): boolean {
    return this.entries.some((e) => e.state === 'opening');
  }

  /** Whether any port waits for the user's consent to open. */
  get waiting(): boolean {
    return this.entries.some((e) => e.state === 'waiting');
  }

  /** What the ports would expose beyond this machine (see portExposure), one sentence each. */
  exposure(): string[] {
    return this.entries.flatMap((e) => portExposure(e.spec.name, e.spec.listen, e.spec.remote));
  }

  /**
   * The user agreed: the waiting ports go `opening` (open() binds them). Returns the sentences of
   * exposure still to be agreed to explicitly, and opens nothing while there are any.
   */
  consent(exposed: boolean): string[] {
    const exposure = this.exposure();
    if (exposure.length > 0 && !exposed) return exposure;
    this.agreed = true;
    for (const e of this.entries) if (e.state === 'waiting') e.state = 'opening';
    return [];
  }

  /**
   * Binds every port the user agreed to open and plugs it into the segment. Never rejects: a port
   * that cannot listen is marked failed with the reason. Resolves early if the ports are closed
   * meanwhile.
   */
  async open(): Promise<void> {
    await Promise.all(
      this.entries.map(async (e) => {
        if (e.port === null || e.state !== 'opening') return;
        try {
          await Promise.race([e.port.open(), this.closedSignal]);
          if (this.closing === null) e.state = 'open';
        } catch (err) {
          if (this.closing !== null) return;
          const { host, port } = e.spec.listen;
          e.state = 'failed';
          e.error = `port ${e.spec.name}: cannot listen on ${host}:${port}: ${message(err)}`;
        }
      }),
    );
  }

  /** Sum of the socket counters: when it moves, something came or went. */
  activity(): number {
    let n = 0;
    for (const e of this.entries) {
      if (e.port === null) continue;
      const u = e.port.udp;
      n += u.datagramsIn + u.datagramsOut + u.sendErrors;
    }
    return n;
  }

  views(): PortView[] {
    return this.entries.map((e) => {
      const c = e.port?.counters();
      const listen = c?.local ?? `${e.spec.listen.host}:${e.spec.listen.port}`;
      const remote = `${e.spec.remote.host}:${e.spec.remote.port}`;
      const counters: PortCounters = c
        ? {
            datagramsIn: c.datagramsIn,
            datagramsOut: c.datagramsOut,
            sendErrors: c.sendErrors,
            foreign: c.foreign,
            toOutside: c.toOutside,
            fromOutside: c.fromOutside,
            malformed: c.malformed,
            queueDrops: c.queueDrops,
            txErrors: c.txErrors,
            wireErrors: c.wireErrors,
          }
        : { ...NO_COUNTERS };
      const exposure = portExposure(e.spec.name, e.spec.listen, e.spec.remote);
      return {
        name: e.spec.name,
        listen,
        remote,
        state: e.state,
        error: e.error,
        exposure,
        counters,
        segment: e.segment,
      };
    });
  }

  /** Unplugs every port and closes its socket; resolves once the sockets are closed (their addresses free). */
  close(): Promise<void> {
    if (this.closing !== null) return this.closing;
    this.resolveClosed();
    for (const e of this.entries) if (e.state !== 'failed') e.state = 'closed';
    this.closing = Promise.all(this.entries.map((e) => e.port?.close())).then(() => {});
    return this.closing;
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
