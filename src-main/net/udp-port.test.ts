import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { Lab } from '../lab/lab';
import { MS } from '../lab/sim/time';
import { formatMac } from '../lab/wire/mac';
import { parseIpv4 } from '../lab/wire/ipv4-addr';
import { runRealtime } from './realtime';
import { parsePortSpec, UdpPort } from './udp-port';

/** A plain UDP socket on loopback standing in for QEMU or GNS3: it collects what it receives. */
async function peer(): Promise<{ sock: Socket; port: number; got: Buffer[] }> {
  const sock = createSocket('udp4');
  const got: Buffer[] = [];
  sock.on('message', (m) => got.push(m));
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  return { sock, port: sock.address().port, got };
}

function send(sock: Socket, bytes: Uint8Array, port: number): Promise<void> {
  return new Promise((r) => sock.send(bytes, port, '127.0.0.1', () => r()));
}

/** An ARP request "who has `target`? tell 10.0.0.200" from 02:aa:00:00:00:01, as a real host sends it. */
function arpRequest(target: string): Uint8Array {
  const f = new Uint8Array(42);
  f.set([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0xaa, 0, 0, 0, 1, 0x08, 0x06], 0);
  f.set([0, 1, 0x08, 0x00, 6, 4, 0, 1], 14);
  f.set([0x02, 0xaa, 0, 0, 0, 1, 10, 0, 0, 200], 22);
  f.set(target.split('.').map(Number), 38);
  return f;
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function setUp() {
  const lab = new Lab({ seed: 1 });
  const h1 = lab.addHost('h1');
  lab.addInterface(h1, { model: 'perfect', ip: '10.0.0.1/24' });
  const outside = await peer();
  const port = new UdpPort(lab.segment, {
    name: 'qemu',
    local: { port: 0 },
    remote: { host: '127.0.0.1', port: outside.port },
  });
  const local = await port.open();
  cleanups.push(
    () => port.close(),
    () => outside.sock.close(),
  );
  return { lab, h1, outside, port, local };
}

describe('UdpPort', () => {
  it('listens on 127.0.0.1 unless told otherwise', async () => {
    const { local } = await setUp();
    expect(local.host).toBe('127.0.0.1');
    expect(local.port).toBeGreaterThan(0);
  });

  it('carries one frame per datagram both ways: an outside ARP request is answered over UDP', async () => {
    const { lab, h1, outside, port, local } = await setUp();
    await send(outside.sock, arpRequest('10.0.0.1'), local.port);
    // Wait for the reply (anything else h1 sends goes out too).
    const isReply = (f: Buffer) => f.readUInt16BE(12) === 0x0806 && f.readUInt16BE(20) === 2;
    const r = await runRealtime(lab, 200 * MS, {
      inputs: [port],
      until: () => outside.got.some(isReply),
    });
    expect(r.ended).toBe('until');
    expect(port.udp.datagramsIn).toBe(1);
    expect(port.port.stats.fromOutside).toBe(1);
    const reply = outside.got.find(isReply)!;
    // 60 bytes: padded to the minimum, without the FCS.
    expect(reply.length).toBe(60);
    expect(formatMac(reply, 0)).toBe('02:aa:00:00:00:01');
    expect(formatMac(reply, 6)).toBe(formatMac(h1.nics[0].dev.devAddr));
    expect(reply.readUInt16BE(12)).toBe(0x0806);
    expect(reply.readUInt16BE(20)).toBe(2); // ARP reply
    expect([...reply.subarray(28, 32)]).toEqual([10, 0, 0, 1]);
    // The lab host learnt the outside host's address from its request, as Linux does.
    expect(h1.kernel.neigh.lookup(parseIpv4('10.0.0.200')!, h1.nics[0].dev)).toBeDefined();
    await new Promise((r) => setTimeout(r, 20));
    const c = port.counters();
    expect(c.datagramsOut).toBe(outside.got.length);
    expect(c.toOutside).toBe(outside.got.length);
    expect(c.sendErrors).toBe(0);
  });

  it('counts and drops datagrams that cannot be frames', async () => {
    const { lab, outside, port, local } = await setUp();
    await send(outside.sock, new Uint8Array(13), local.port);
    await send(outside.sock, new Uint8Array(1519), local.port);
    await send(outside.sock, new Uint8Array(1518), local.port); // the longest frame taken
    await runRealtime(lab, 500 * MS, {
      inputs: [port],
      until: () => port.udp.datagramsIn === 3,
    });
    lab.run(MS);
    expect(port.port.stats).toMatchObject({ malformed: 2, fromOutside: 1 });
  });

  it('does not pass on a frame the segment corrupted: a UDP wire has no FCS to show it', async () => {
    const { lab, h1, outside, port } = await setUp();
    lab.segment.setFaults({ bitErrorRate: 1 });
    const tx = h1.kernel.udp.socket();
    tx.mcIf = h1.nics[0].dev ?? null;
    h1.kernel.udp.sendto(tx, null, 18, parseIpv4('10.0.0.255')!, 9);
    await runRealtime(lab, 50 * MS, { inputs: [port] });
    // The broadcast, and what h1 sent as it came up: all hit by a bit error, none passed on.
    expect(port.wireErrors).toBeGreaterThanOrEqual(1);
    expect(port.port.stats.toOutside).toBe(0);
    expect(outside.got).toHaveLength(0);
  });

  it('refuses a port already in use, and addresses that are not IPv4', async () => {
    const { lab, local } = await setUp();
    const clash = new UdpPort(lab.segment, {
      name: 'clash',
      local: { port: local.port },
      remote: { host: '127.0.0.1', port: 9 },
    });
    await expect(clash.open()).rejects.toThrow(/EADDRINUSE/);
    await clash.close();
    expect(
      () =>
        new UdpPort(lab.segment, {
          name: 'x',
          local: { port: 0 },
          remote: { host: 'example.org', port: 9 },
        }),
    ).toThrow(/not an IPv4 address/);
  });
});

describe('parsePortSpec', () => {
  it('reads LOCAL_PORT:REMOTE_HOST:REMOTE_PORT', () => {
    expect(parsePortSpec('7000:127.0.0.1:7001')).toEqual({
      local: 7000,
      remote: { host: '127.0.0.1', port: 7001 },
    });
    expect(parsePortSpec('7000:localhost:7001')).toMatchObject({ remote: { host: '127.0.0.1' } });
    expect(parsePortSpec('7000:127.0.0.1')).toHaveProperty('error');
    expect(parsePortSpec('0:127.0.0.1:7001')).toHaveProperty('error');
    expect(parsePortSpec('7000:127.0.0.1:70000')).toHaveProperty('error');
    expect(parsePortSpec('7000:qemu.local:7001')).toMatchObject({
      error: 'remote host "qemu.local" is not an IPv4 address',
    });
  });
});
