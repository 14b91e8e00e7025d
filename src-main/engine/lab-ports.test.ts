// A lab file's external ports in the engine: loading the lab lists them, waiting; once the user
// agrees (ports.open) they open real UDP sockets on 127.0.0.1, the lab view and the pushed stats list them with their counters, the clock runs at 1× while
// they are open, and a port that cannot listen is reported, not fatal.
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventData, EventName } from '../ipc/events';
import { ApiError } from '../ipc/protocol';
import type { PortView } from '../ipc/views';
import { Engine } from './engine';

/** A plain UDP socket on loopback standing in for a QEMU VM: it collects what it receives. */
async function peer(): Promise<{ sock: Socket; port: number; got: Buffer[] }> {
  const sock = createSocket('udp4');
  const got: Buffer[] = [];
  sock.on('message', (m) => got.push(m));
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  return { sock, port: sock.address().port, got };
}

/** A UDP port free on 127.0.0.1 just now. */
async function freePort(): Promise<number> {
  const p = await peer();
  await new Promise<void>((r) => p.sock.close(() => r()));
  return p.port;
}

/** An ARP request "who has 10.0.0.1? tell 10.0.0.200" from 02:aa:00:00:00:01. */
const ARP_REQUEST = new Uint8Array([
  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0xaa, 0, 0, 0, 1, 0x08, 0x06, 0, 1, 0x08, 0x00, 6, 4, 0,
  1, 0x02, 0xaa, 0, 0, 0, 1, 10, 0, 0, 200, 0, 0, 0, 0, 0, 0, 10, 0, 0, 1,
]);

function labText(listen: number, remote: number): string {
  return `name: outside
hosts:
  - name: h1
    interfaces: [{ name: eth0, nic: hash64, ip: 10.0.0.1/24 }]
ports:
  - { name: vm, listen: ${listen}, remote: 127.0.0.1:${remote} }
`;
}

class Fixture {
  readonly events: { event: EventName; data: unknown }[] = [];
  readonly engine = new Engine((event, data) => this.events.push({ event, data }));

  /** The newest pushed view of the port, once `test` holds for it. */
  async port(test: (p: PortView) => boolean, ms = 5000): Promise<PortView> {
    const start = Date.now();
    for (;;) {
      const last = this.events.filter((e) => e.event === 'stats').pop() as
        { data: EventData<'stats'> } | undefined;
      const p = last?.data.ports[0];
      if (p && test(p)) return p;
      if (Date.now() - start > ms)
        throw new Error(`no such port state within ${ms} ms: ${JSON.stringify(p)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function fixture(): Fixture {
  const f = new Fixture();
  cleanups.push(() => f.engine.close());
  return f;
}

describe('external ports in the engine', () => {
  it('opens the file’s ports on 127.0.0.1, carries frames both ways at 1×, and counts them', async () => {
    const outside = await peer();
    cleanups.push(() => outside.sock.close());
    const listen = await freePort();
    const f = fixture();
    const view = f.engine.handle('lab.load', {
      text: labText(listen, outside.port),
      fileName: 'outside.yaml',
    });
    expect(view.ports).toEqual([
      expect.objectContaining({
        name: 'vm',
        listen: `127.0.0.1:${listen}`,
        remote: `127.0.0.1:${outside.port}`,
        state: 'waiting',
        error: '',
        exposure: [],
      }),
    ]);
    // Nothing listens until the user agrees.
    await new Promise((r) => setTimeout(r, 200));
    expect(f.engine.handle('lab.get', {}).ports[0].state).toBe('waiting');
    expect(f.engine.handle('ports.open', {})[0].state).toBe('opening');
    const open = await f.port((p) => p.state === 'open');
    expect(open.listen).toBe(`127.0.0.1:${listen}`);
    expect(f.engine.handle('run.state', {}).speed).toBe(1);

    // The lab runs in real time; other speeds are refused while the port is open.
    expect(() => f.engine.handle('run.speed', { speed: 'max' })).toThrow(
      /external ports \(vm\) are open: it runs in real time at 1×/,
    );
    let refused: unknown = null;
    try {
      f.engine.handle('run.start', { speed: 0.1 });
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).field).toBe('args.speed');
    expect(f.engine.handle('run.state', {}).running).toBe(false);
    f.engine.handle('run.start', {});
    expect(f.engine.handle('run.state', {})).toMatchObject({ running: true, speed: 1 });

    // The outside asks who has 10.0.0.1; h1 answers over UDP: a 60-byte frame, no FCS.
    outside.sock.send(ARP_REQUEST, listen, '127.0.0.1');
    const counted = await f.port((p) => p.counters.fromOutside === 1);
    expect(counted.counters).toMatchObject({
      datagramsIn: 1,
      fromOutside: 1,
      malformed: 0,
      sendErrors: 0,
    });
    expect(counted.counters.toOutside).toBeGreaterThanOrEqual(1);
    const isArpReply = (d: Buffer) => d[12] === 0x08 && d[13] === 0x06 && d[21] === 2;
    await expect.poll(() => outside.got.filter(isArpReply).length).toBe(1);
    const reply = outside.got.find(isArpReply)!;
    expect(reply.length).toBe(60);
    expect([...reply.subarray(0, 6)]).toEqual([0x02, 0xaa, 0, 0, 0, 1]);
    // Every datagram the outside got was counted out.
    await f.port((p) => p.counters.datagramsOut === outside.got.length);

    // A datagram too short to be a frame is counted, not carried.
    outside.sock.send(new Uint8Array(8), listen, '127.0.0.1');
    await f.port((p) => p.counters.malformed === 1 && p.counters.datagramsIn === 2);

    // Paused, datagrams still come in, and their counters are pushed.
    f.engine.handle('run.pause', {});
    outside.sock.send(ARP_REQUEST, listen, '127.0.0.1');
    await f.port((p) => p.counters.datagramsIn === 3);
  });

  it('re-opens the ports on the same address when the lab is rebuilt, and frees it on close', async () => {
    const listen = await freePort();
    const f = fixture();
    f.engine.handle('lab.load', { text: labText(listen, 9), fileName: 'outside.yaml' });
    f.engine.handle('ports.open', {});
    await f.port((p) => p.state === 'open');
    const n = f.events.length;
    const rebuilt = f.engine.handle('host.add', { name: 'h2', ip: '10.0.0.2/24' });
    expect(rebuilt.ports[0].state).toBe('opening');
    await f.port((p) => p.state === 'open' && f.events.length > n);
    f.engine.close();
    cleanups.pop();
    // The address is free again.
    const again = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      again.once('error', reject);
      again.bind(listen, '127.0.0.1', () => resolve());
    });
    again.close();
  });

  it('reports a port that cannot listen, and the lab runs on without it at any speed', async () => {
    const taken = await peer();
    cleanups.push(() => taken.sock.close());
    const f = fixture();
    f.engine.handle('lab.load', { text: labText(taken.port, 9), fileName: 'outside.yaml' });
    f.engine.handle('ports.open', {});
    const failed = await f.port((p) => p.state === 'failed');
    expect(failed.error).toBe(
      `port vm: cannot listen on 127.0.0.1:${taken.port}: bind EADDRINUSE 127.0.0.1:${taken.port}`,
    );
    expect(f.engine.handle('run.start', { speed: 'max' }).speed).toBe('max');
    expect(f.engine.handle('lab.get', {}).ports[0]).toMatchObject({ state: 'failed' });
  });

  it('closed while a port is still binding, it says nothing more and leaves the address free', async () => {
    const listen = await freePort();
    const f = fixture();
    f.engine.handle('lab.load', { text: labText(listen, 9), fileName: 'outside.yaml' });
    f.engine.handle('ports.open', {});
    f.engine.close();
    cleanups.pop();
    const n = f.events.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(f.events.slice(n)).toEqual([]);
    const again = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      again.once('error', reject);
      again.bind(listen, '127.0.0.1', () => resolve());
    });
    again.close();
  });

  it('takes frames only from the remote address; any other sender is counted as foreign', async () => {
    const outside = await peer();
    const stranger = await peer();
    cleanups.push(
      () => outside.sock.close(),
      () => stranger.sock.close(),
    );
    const listen = await freePort();
    const f = fixture();
    f.engine.handle('lab.load', { text: labText(listen, outside.port), fileName: 'o.yaml' });
    f.engine.handle('ports.open', {});
    await f.port((p) => p.state === 'open');
    f.engine.handle('run.start', {});
    stranger.sock.send(ARP_REQUEST, listen, '127.0.0.1');
    stranger.sock.send(ARP_REQUEST, listen, '127.0.0.1');
    outside.sock.send(ARP_REQUEST, listen, '127.0.0.1');
    await f.port(
      (q) =>
        q.counters.datagramsIn === 1 && q.counters.foreign === 2 && q.counters.fromOutside === 1,
    );
  });

  it('opens a port exposed beyond this machine only when told so explicitly', async () => {
    const listen = await freePort();
    const f = fixture();
    const text = labText(listen, 9)
      .replace(`listen: ${listen}`, `listen: 0.0.0.0:${listen}`)
      .replace('remote: 127.0.0.1:9', 'remote: 239.1.1.1:9');
    const view = f.engine.handle('lab.load', { text, fileName: 'exposed.yaml' });
    const exposure = [
      `port vm listens on 0.0.0.0:${listen}, which other machines can reach`,
      'port vm sends to 239.1.1.1:9, a multicast address',
    ];
    expect(view.ports[0]).toMatchObject({ state: 'waiting', exposure });
    let refused: unknown = null;
    try {
      f.engine.handle('ports.open', {});
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).field).toBe('args.exposed');
    expect((refused as ApiError).message).toBe(
      `not opened: ${exposure.join('; ')}. Open them with exposed: true only if you mean it`,
    );
    expect(f.engine.handle('lab.get', {}).ports[0].state).toBe('waiting');
    f.engine.handle('ports.open', { exposed: true });
    await f.port((p) => p.state === 'open' && p.listen === `0.0.0.0:${listen}`);
  });

  it('names the segment each port joins: its own `segment:`, else the lab’s first', () => {
    const f = fixture();
    const view = f.engine.handle('lab.load', {
      text: `name: two-lans
segments: [{ name: lan1 }, { name: lan2 }]
hosts:
  - name: h1
    interfaces: [{ name: eth0, nic: hash64, ip: 10.0.1.1/24, segment: lan1 }]
  - name: h2
    interfaces: [{ name: eth0, nic: hash64, ip: 10.0.2.1/24, segment: lan2 }]
ports:
  - { name: vm1, listen: 9, remote: 127.0.0.1:9 }
  - { name: vm2, listen: 10, remote: 127.0.0.1:10, segment: lan2 }
`,
      fileName: 'two-lans.yaml',
    });
    expect(view.ports.map((p) => [p.name, p.segment])).toEqual([
      ['vm1', 'lan1'],
      ['vm2', 'lan2'],
    ]);
    expect(f.engine.handle('stats.get', {}).ports.map((p) => p.segment)).toEqual(['lan1', 'lan2']);
  });

  it('lists no ports for a lab without them', () => {
    const f = fixture();
    expect(f.engine.handle('lab.new', {}).ports).toEqual([]);
    expect(f.engine.handle('stats.get', {}).ports).toEqual([]);
  });
});
