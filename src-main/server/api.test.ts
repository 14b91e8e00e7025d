// The API through the real worker: every operation once, as a UI would send it (raw requests in,
// replies out, through ApiServer and the EngineClient's worker thread).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { EventName } from '../ipc/events';
import type { OpArgs, OpName, OpResult } from '../ipc/ops';
import type { Reply } from '../ipc/protocol';
import type { InterfaceView, Stats } from '../ipc/views';
import { interfaceViewSchema, labViewSchema } from '../ipc/views';
import { ApiServer, type Dialogs } from './api-server';
import { BuiltinLabs } from './builtin-labs';
import { EngineClient } from './client';
import { RecentFiles } from './recent-files';
import { readCapture } from '../lab/capture/format';

const labsDir = join(import.meta.dirname, '..', '..', 'resources', 'labs');

/** An API server on a real worker, with helpers to call it as a UI does. */
export class Harness {
  readonly engine: EngineClient;
  readonly server: ApiServer;
  readonly events: { event: EventName; data: unknown }[] = [];
  private nextId = 1;

  constructor(dialogs?: Dialogs, options: { requestSliceMs?: number } = {}) {
    this.engine = new EngineClient({ debug: true, ...options });
    this.server = new ApiServer({
      host: dialogs ? 'electron' : 'web',
      version: 'test',
      engine: this.engine,
      builtins: new BuiltinLabs(labsDir),
      recent: new RecentFiles(null),
      dialogs,
    });
    this.server.onEvent((event, data) => this.events.push({ event, data }));
  }

  raw(request: unknown): Promise<Reply> {
    return this.server.handle(request);
  }

  async call<K extends OpName>(op: K, args: OpArgs<K>): Promise<OpResult<K>> {
    const reply = await this.server.handle({ id: this.nextId++, op, args });
    if (!reply.ok) throw new Error(`${op}: ${reply.error.message}`);
    return reply.result as OpResult<K>;
  }

  async waitFor(event: EventName, test: (data: never) => boolean = () => true, ms = 10_000) {
    const start = Date.now();
    let seen = 0;
    while (Date.now() - start < ms) {
      for (; seen < this.events.length; seen++) {
        const e = this.events[seen];
        if (e.event === event && test(e.data as never)) return e.data;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no ${event} event within ${ms} ms`);
  }

  close(): Promise<void> {
    return this.engine.close();
  }
}

function iface(r: OpResult<'iface.up'>): InterfaceView {
  if (!r.ok) throw new Error(`refused: ${r.errno}`);
  return r.iface;
}

describe('the API through the engine worker', { timeout: 30_000 }, () => {
  let h: Harness;
  beforeAll(async () => {
    h = new Harness();
    await h.call('lab.load', { builtin: 'hash-collisions' });
  }, 30_000);
  afterAll(() => h.close());

  it('app.info says where it runs', async () => {
    expect(await h.call('app.info', {})).toEqual({ version: 'test', host: 'web', dialogs: false });
  });

  it('lab.builtins lists resources/labs', async () => {
    const list = await h.call('lab.builtins', {});
    expect(list.map((b) => b.id)).toContain('hash-collisions');
  });

  it('lab.get returns a view that matches its schema', async () => {
    const view = await h.call('lab.get', {});
    expect(labViewSchema.safeParse(view).success).toBe(true);
    expect(view.name).toBe('hash-collisions');
    expect(view.hosts.map((x) => x.name)).toEqual(['h0', 'h1', 'h2']);
    const eth0 = view.hosts[1].interfaces[0];
    expect(eth0).toMatchObject({ name: 'eth0', model: 'hash64', mac: '02:00:00:00:00:02' });
    expect(eth0.flags).toContain('UP');
    expect(eth0.addresses).toEqual(['10.0.0.2/24']);
    expect(view.generators.map((g) => g.name)).toEqual(['flood']);
    expect(view.capture.points).toEqual(['h1:eth0', 'segment']);
  });

  it('iface.get reads the interface through its ioctls', async () => {
    const v = await h.call('iface.get', { host: 'h1', dev: 'eth0' });
    expect(interfaceViewSchema.safeParse(v).success).toBe(true);
    expect(v.map).toMatchObject({ irq: 3, baseAddr: 0x300 });
    expect(v.filter?.mode).toBe('hash');
    expect(v.ring?.rxRing).toBeGreaterThan(0);
  });

  it('iface.setMac is refused with EBUSY while a down-only card is up, and works once it is down', async () => {
    expect(
      await h.call('iface.setMac', { host: 'h1', dev: 'eth0', mac: '02:00:00:00:00:99' }),
    ).toEqual({
      ok: false,
      errno: 'EBUSY',
      code: 16,
      message: 'Device or resource busy',
      ioctl: 'SIOCSIFHWADDR',
    });
    expect(iface(await h.call('iface.down', { host: 'h1', dev: 'eth0' })).flags).not.toContain(
      'UP',
    );
    expect(
      iface(await h.call('iface.setMac', { host: 'h1', dev: 'eth0', mac: '02:00:00:00:00:99' }))
        .mac,
    ).toBe('02:00:00:00:00:99');
    expect(
      iface(await h.call('iface.setMap', { host: 'h1', dev: 'eth0', irq: 5, io: 0x320 })).map,
    ).toMatchObject({
      irq: 5,
      baseAddr: 0x320,
    });
    expect(iface(await h.call('iface.up', { host: 'h1', dev: 'eth0' })).flags).toContain('UP');
  });

  it('iface.setMap is refused with EBUSY while up and EINVAL for a line the card lacks', async () => {
    expect(await h.call('iface.setMap', { host: 'h1', dev: 'eth0', irq: 9 })).toMatchObject({
      errno: 'EBUSY',
      ioctl: 'SIOCSIFMAP',
    });
    expect(
      await h.call('iface.setMap', { host: 'h1', dev: 'eth0', irq: 5, io: 0x123 }),
    ).toMatchObject({
      errno: 'EINVAL',
    });
  });

  it('changes need root: as a user they are refused with EPERM', async () => {
    expect(
      await h.call('iface.setMtu', { host: 'h1', dev: 'eth0', mtu: 1400, user: true }),
    ).toEqual({
      ok: false,
      errno: 'EPERM',
      code: 1,
      message: 'Operation not permitted',
      ioctl: 'SIOCSIFMTU',
    });
    expect(iface(await h.call('iface.setMtu', { host: 'h1', dev: 'eth0', mtu: 1400 })).mtu).toBe(
      1400,
    );
    expect(await h.call('iface.setMtu', { host: 'h1', dev: 'eth0', mtu: 9000 })).toMatchObject({
      errno: 'EINVAL',
    });
  });

  it('iface.setTxQueueLen sets txqueuelen', async () => {
    expect(
      iface(await h.call('iface.setTxQueueLen', { host: 'h1', dev: 'eth0', qlen: 50 })).txQueueLen,
    ).toBe(50);
  });

  it('iface.setFlag sets and clears PROMISC and ALLMULTI', async () => {
    const on = iface(
      await h.call('iface.setFlag', { host: 'h2', dev: 'eth0', flag: 'promisc', on: true }),
    );
    expect(on.flags).toContain('PROMISC');
    expect(on.filter?.mode).toBe('promisc');
    const off = iface(
      await h.call('iface.setFlag', { host: 'h2', dev: 'eth0', flag: 'promisc', on: false }),
    );
    expect(off.flags).not.toContain('PROMISC');
    const all = iface(
      await h.call('iface.setFlag', { host: 'h2', dev: 'eth0', flag: 'allmulti', on: true }),
    );
    expect(all.flags).toContain('ALLMULTI');
    await h.call('iface.setFlag', { host: 'h2', dev: 'eth0', flag: 'allmulti', on: false });
  });

  it('iface.addMulti and iface.delMulti go through SIOCADDMULTI/SIOCDELMULTI', async () => {
    const mac = '01:00:5e:7f:00:01';
    const added = iface(await h.call('iface.addMulti', { host: 'h2', dev: 'eth0', mac }));
    expect(added.mcList).toContainEqual({ mac, users: 1, static: true });
    expect(added.filter?.perfect).toContain(mac);
    const removed = iface(await h.call('iface.delMulti', { host: 'h2', dev: 'eth0', mac }));
    expect(removed.mcList.map((m) => m.mac)).not.toContain(mac);
    expect(await h.call('iface.delMulti', { host: 'h2', dev: 'eth0', mac })).toMatchObject({
      ok: false,
      ioctl: 'SIOCDELMULTI',
    });
  });

  it('iface.join and iface.leave join a group with a socket (the filter and IGMP follow)', async () => {
    const joined = iface(
      await h.call('iface.join', { host: 'h2', dev: 'eth0', group: '239.2.2.2' }),
    );
    expect(joined.joined).toEqual(['239.2.2.2']);
    expect(joined.groups.map((g) => g.group)).toContain('239.2.2.2');
    expect(joined.mcList.map((m) => m.mac)).toContain('01:00:5e:02:02:02');
    expect(
      await h.call('iface.join', { host: 'h2', dev: 'eth0', group: '239.2.2.2' }),
    ).toMatchObject({
      errno: 'EADDRINUSE',
    });
    const left = iface(
      await h.call('iface.leave', { host: 'h2', dev: 'eth0', group: '239.2.2.2' }),
    );
    expect(left.joined).toEqual([]);
    expect(left.groups.map((g) => g.group)).not.toContain('239.2.2.2');
    expect(
      await h.call('iface.leave', { host: 'h2', dev: 'eth0', group: '239.2.2.2' }),
    ).toMatchObject({
      errno: 'EADDRNOTAVAIL',
    });
    expect(
      await h.call('iface.join', { host: 'h2', dev: 'eth0', group: '10.0.0.9' }),
    ).toMatchObject({
      errno: 'EINVAL',
    });
  });

  it('iface.ioctl reaches the driver: any user may read, only root may set the rings', async () => {
    const r = await h.call('iface.ioctl', { host: 'h1', dev: 'eth0', cmd: 0, user: true });
    expect(r).toMatchObject({ ok: true, data: { model: 'hash64', mode: 'hash' } });
    expect(
      await h.call('iface.ioctl', {
        host: 'h1',
        dev: 'eth0',
        cmd: 2,
        data: { rxRing: 64 },
        user: true,
      }),
    ).toEqual({
      ok: false,
      errno: 'EPERM',
      code: 1,
      message: 'Operation not permitted',
      ioctl: 'SIOCDEVPRIVATE+2',
    });
    expect(
      await h.call('iface.ioctl', { host: 'h1', dev: 'eth0', cmd: 2, data: { rxRing: 64 } }),
    ).toMatchObject({
      errno: 'EBUSY',
    });
    expect(await h.call('iface.ioctl', { host: 'h1', dev: 'eth0', cmd: 9 })).toMatchObject({
      errno: 'EOPNOTSUPP',
    });
  });

  it('an unknown host or interface is an error naming the field', async () => {
    expect(await h.raw({ id: 1, op: 'iface.up', args: { host: 'h9', dev: 'eth0' } })).toEqual({
      id: 1,
      ok: false,
      error: {
        code: 'not-found',
        message: 'no host "h9" (hosts: h0, h1, h2)',
        field: 'args.host',
      },
    });
    expect(await h.raw({ id: 2, op: 'iface.up', args: { host: 'h1', dev: 'eth7' } })).toMatchObject(
      {
        ok: false,
        error: { field: 'args.dev' },
      },
    );
  });

  it('shell.exec runs a command and returns its output', async () => {
    const r = await h.call('shell.exec', { host: 'h1', line: 'ifconfig eth0' });
    expect(r.done).toBe(true);
    expect(r.exitCode).toBe(0);
    expect(r.output[0]).toMatch(/^eth0: flags=/);
    expect(r.prompt).toBe('root@h1:~# ');
    const su = await h.call('shell.exec', { host: 'h1', line: 'su user' });
    expect(su.prompt).toBe('user@h1:~$ ');
    const refused = await h.call('shell.exec', { host: 'h1', line: 'ifconfig eth0 mtu 1000' });
    expect(refused.output).toEqual(['SIOCSIFMTU: Operation not permitted']);
    await h.call('shell.exec', { host: 'h1', line: 'exit' });
  });

  it('proc.read reads a /proc file as cat prints it, without touching the shell', async () => {
    const dev = await h.call('proc.read', { host: 'h1', path: '/proc/net/dev' });
    expect(dev.text).toMatch(/^Inter-\|/);
    expect(dev.text).toContain('eth0:');
    const shown = await h.call('shell.exec', { host: 'h1', line: 'cat /proc/net/dev' });
    expect(shown.output.join('\n')).toContain(dev.text.split('\n')[0]);
    const history = await h.call('shell.exec', { host: 'h1', line: 'history' });
    expect(history.output.filter((l) => l.includes('/proc/net/dev'))).toHaveLength(1);
    const missing = await h.raw({
      id: 1,
      op: 'proc.read',
      args: { host: 'h1', path: '/proc/net/nonesuch' },
    });
    expect(missing).toMatchObject({ ok: false, error: { field: 'args.path' } });
    expect(missing.ok || missing.error.message).toMatch(/No such file or directory/);
  });

  it('shell.exec streams a running job as shell.output and shell.done events', async () => {
    const r = await h.call('shell.exec', { host: 'h0', line: 'ping -c 2 10.0.0.3' });
    expect(r.done).toBe(false);
    await h.call('run.start', { speed: 1 });
    const done = (await h.waitFor('shell.done', (d: { job: number }) => d.job === r.job)) as {
      exitCode: number;
    };
    expect(done.exitCode).toBe(0);
    const lines = h.events
      .filter((e) => e.event === 'shell.output' && (e.data as { job: number }).job === r.job)
      .flatMap((e) => (e.data as { lines: string[] }).lines);
    expect(lines.some((l) => /^64 bytes from 10\.0\.0\.3/.test(l))).toBe(true);
    expect(lines).toContain('2 packets transmitted, 2 received, 0% packet loss, time 1000ms');
    await h.call('run.pause', {});
  });

  it('shell.interrupt stops a running job (Ctrl-C)', async () => {
    const r = await h.call('shell.exec', { host: 'h0', line: 'ping 10.0.0.3' });
    expect(r.done).toBe(false);
    expect(await h.call('shell.interrupt', { host: 'h0' })).toEqual({ interrupted: 1 });
    await h.waitFor('shell.done', (d: { job: number }) => d.job === r.job);
  });

  it('run.start pushes stats about ten times a second, with the simulated time advancing', async () => {
    const before = h.events.length;
    const t0 = (await h.call('run.state', {})).simTimeNs;
    await h.call('run.start', { speed: 1 });
    await new Promise((r) => setTimeout(r, 600));
    const state = await h.call('run.pause', {});
    const stats = h.events.slice(before).filter((e) => e.event === 'stats');
    expect(stats.length).toBeGreaterThanOrEqual(3);
    expect(stats.length).toBeLessThanOrEqual(12);
    expect(state.simTimeNs).toBeGreaterThan(t0 + 100e6);
    // Real time: not much more simulated time than wall time passed.
    expect(state.simTimeNs - t0).toBeLessThan(1.2e9);
    const last = stats[stats.length - 1].data as Stats;
    expect(last.report.hosts['h1'].devices['eth0'].stats?.['rx_packets']).toBeGreaterThan(0);
  });

  it('run.speed and run.step', async () => {
    expect(await h.call('run.speed', { speed: 0.01 })).toMatchObject({
      speed: 0.01,
      running: false,
    });
    const a = await h.call('run.step', { unit: 'event' });
    expect(a.stepped).toBe(1);
    expect(a.frameEnded).toBe(false);
    const b = await h.call('run.step', { unit: 'frame' });
    expect(b.frameEnded).toBe(true);
    expect(b.events).toBeGreaterThanOrEqual(a.events);
    expect(b.running).toBe(false);
    expect((await h.call('run.state', {})).speed).toBe(0.01);
    await h.call('run.speed', { speed: 1 });
  });

  it('stats.get returns the report, the generators and the capture', async () => {
    const s = await h.call('stats.get', {});
    expect(Object.keys(s.report.hosts)).toEqual(['h0', 'h1', 'h2']);
    expect(s.generators[0].name).toBe('flood');
    expect(s.generators[0].sent).toBeGreaterThan(0);
    expect(s.capture.count).toBeGreaterThan(0);
  });

  it('generators.stop and generators.start', async () => {
    expect((await h.call('generators.list', {})).map((g) => g.name)).toEqual(['flood']);
    expect((await h.call('generators.stop', { name: 'flood' })).active).toBe(false);
    const started = await h.call('generators.start', { name: 'flood' });
    expect(started.active).toBe(true);
    expect(started.sent).toBe(0);
    expect(await h.raw({ id: 3, op: 'generators.stop', args: { name: 'fllod' } })).toMatchObject({
      ok: false,
      error: { field: 'args.name' },
    });
  });

  it("capture.rows pages the packet list, with the dissector's columns", async () => {
    const page = await h.call('capture.rows', { from: 0, count: 50 });
    expect(page.total).toBeGreaterThan(50);
    expect(page.rows).toHaveLength(50);
    expect(page.rows[0].no).toBe(1);
    const udp = page.rows.find((r) => r.protocol === 'UDP' || r.protocol === 'NETLAB');
    expect(udp).toBeDefined();
    expect(udp!.source).toBe('10.0.0.1');
    expect(udp!.destination).toBe('239.1.1.24');
    const tail = await h.call('capture.rows', { from: page.total - 1, count: 10 });
    expect(tail.rows).toHaveLength(1);
  });

  it('capture.row gives bytes and the dissection tree', async () => {
    const page = await h.call('capture.rows', { from: 0, count: 200 });
    const udp = page.rows.find((r) => r.point === 'h1:eth0')!;
    const d = await h.call('capture.row', { no: udp.no });
    expect(d.row.no).toBe(udp.no);
    expect(d.hex).toHaveLength(udp.capturedLength * 2);
    expect(d.tree.map((f) => f.name)).toContain('eth');
    expect(await h.raw({ id: 4, op: 'capture.row', args: { no: 10 ** 9 } })).toMatchObject({
      ok: false,
      error: { field: 'args.no' },
    });
  });

  it('capture.filter sets a display filter; rows then page through the matches', async () => {
    let state = await h.call('capture.filter', { text: 'point == "h1:eth0" && udp' });
    expect(state.filter).toBe('point == "h1:eth0" && udp');
    // The scan may finish in the background: wait for it.
    while (state.pending > 0) state = (await h.call('stats.get', {})).capture;
    expect(state.matching).toBeGreaterThan(0);
    expect(state.matching).toBeLessThan(state.count);
    const page = await h.call('capture.rows', { from: 0, count: 20 });
    expect(page.total).toBe(state.matching);
    expect(page.rows.every((r) => r.point === 'h1:eth0')).toBe(true);
    const bad = await h.raw({ id: 5, op: 'capture.filter', args: { text: 'udp ==' } });
    expect(bad).toMatchObject({ ok: false, error: { field: 'args.text' } });
    expect((await h.call('capture.filter', { text: '' })).filter).toBe('');
  });

  it('capture.export offers pcap downloads where there are no dialogs: one per capture point', async () => {
    const points = (await h.call('stats.get', {})).capture.points;
    expect(points).toEqual(['h1:eth0', 'segment']);
    const r = await h.call('capture.export', { format: 'pcap' });
    if (!('downloads' in r)) throw new Error('expected a download per capture point');
    expect(r.downloads.map((d) => d.fileName)).toEqual([
      'hash-collisions-h1-eth0.pcap',
      'hash-collisions-segment.pcap',
    ]);
    for (const d of r.downloads)
      expect(Buffer.from(d.base64, 'base64').readUInt32LE(0)).toBe(0xa1b2c3d4);
    // pcapng names each frame's point: one file.
    const ng = await h.call('capture.export', { format: 'pcapng' });
    if (!('download' in ng)) throw new Error('expected one download');
    expect(ng.download.fileName).toBe('hash-collisions.pcapng');
    // One point asked for (the segment's): its file alone, in either format.
    for (const format of ['pcap', 'pcapng'] as const) {
      const one = await h.call('capture.export', { format, point: 'segment' });
      if (!('download' in one)) throw new Error('expected one download');
      expect(one.download.fileName).toBe(`hash-collisions-segment.${format}`);
    }
    const missing = await h.raw({
      id: 6,
      op: 'capture.export',
      args: { format: 'pcap', point: 'lan9' },
    });
    expect(missing).toMatchObject({ ok: false, error: { field: 'args.point' } });
  });

  it('capture.export writes the displayed frames, or the selected one', async () => {
    const pcapFrames = (base64: string) => {
      // Classic pcap: a 24-byte header, then per frame 16 bytes and its captured bytes.
      const b = Buffer.from(base64, 'base64');
      let n = 0;
      for (let at = 24; at < b.length; at += 16 + b.readUInt32LE(at + 8)) n++;
      return n;
    };
    const state = await h.call('capture.filter', { text: 'arp' });
    await h.call('run.pause', {});
    const all = await h.call('capture.export', { format: 'pcap', frames: 'all' });
    const shown = await h.call('capture.export', { format: 'pcap', frames: 'displayed' });
    if (!('downloads' in all) || (!('downloads' in shown) && !('download' in shown)))
      throw new Error('expected downloads');
    const shownFiles = 'downloads' in shown ? shown.downloads : [shown.download];
    const shownCount = shownFiles.reduce((n, d) => n + pcapFrames(d.base64), 0);
    const allCount = all.downloads.reduce((n, d) => n + pcapFrames(d.base64), 0);
    const matching = (await h.call('stats.get', {})).capture.matching;
    expect(state.filter).toBe('arp');
    expect(shownCount).toBe(matching);
    expect(shownCount).toBeLessThan(allCount);
    const no = (await h.call('capture.rows', { from: 0, count: 1 })).rows[0].no;
    const one = await h.call('capture.export', { format: 'pcap', frames: 'selected', no });
    if (!('download' in one)) throw new Error('expected one download');
    expect(pcapFrames(one.download.base64)).toBe(1);
    await h.call('capture.filter', { text: '' });
  });

  it('capture.import reads a pcap back (base64, as a browser sends a picked file)', async () => {
    const r = await h.call('capture.export', { format: 'pcapng' });
    if (!('download' in r)) throw new Error('expected a download');
    const before = await h.call('capture.rows', { from: 0, count: 5 });
    const imported = await h.call('capture.import', {
      base64: r.download.base64,
      fileName: 'x.pcapng',
    });
    expect(imported).toMatchObject({ format: 'pcapng', skipped: 0, warning: '' });
    expect(imported.capture.running).toBe(false);
    const after = await h.call('capture.rows', { from: 0, count: 5 });
    expect(after.rows.map((x) => [x.point, x.fate, x.info])).toEqual(
      before.rows.map((x) => [x.point, x.fate, x.info]),
    );
    // Half a file still gives the frames before the cut, and says where it stopped.
    const half = Buffer.from(r.download.base64, 'base64').subarray(0, 3000).toString('base64');
    const cut = await h.call('capture.import', { base64: half, fileName: 'cut.pcapng' });
    expect(cut.warning).toMatch(/^cut\.pcapng: .* at byte \d+; the frames before it were read$/);
    expect(
      await h.raw({
        id: 13,
        op: 'capture.import',
        args: { base64: 'aGVsbG8=', fileName: 'hello.txt' },
      }),
    ).toMatchObject({
      ok: false,
      error: { field: 'args.fileName' },
    });
    expect(
      await h.raw({ id: 14, op: 'capture.import', args: { base64: '!!', fileName: 'x' } }),
    ).toMatchObject({
      ok: false,
      error: { field: 'args.base64' },
    });
  });

  it('capture.import keeps a real capture’s epoch times exact through rows, tree, filter and export', async () => {
    // Linux traffic captured by dumpcap (2026 epoch ns: past 2^53, so no double holds them).
    const file = readFileSync(
      join(import.meta.dirname, '..', 'lab', 'capture', 'corpus', 'files', 'netns.pcapng'),
    );
    const times = readCapture(file).packets.map(
      (p) => `${p.tsSeconds}.${String(p.tsNanos).padStart(9, '0')}`,
    );
    await h.call('capture.import', { base64: file.toString('base64'), fileName: 'netns.pcapng' });
    const page = await h.call('capture.rows', { from: 0, count: 1000 });
    expect(page.rows.map((r) => r.epoch)).toEqual(times);
    expect(page.rows[0].timeNs).toBe(0); // the Time column counts from the first frame
    const detail = await h.call('capture.row', { no: 10 });
    const frame = detail.tree[0].children;
    expect(frame.find((f) => f.name === 'frame.time_epoch')?.value).toBe(times[9]);
    await h.call('capture.filter', { text: `frame.time_epoch == ${times[9]}` });
    const hit = await h.call('capture.rows', { from: 0, count: 10 });
    expect(hit.rows.map((r) => r.no)).toEqual([10]);
    await h.call('capture.filter', { text: '' });
    for (const format of ['pcapng', 'pcap'] as const) {
      const r = await h.call('capture.export', { format });
      if (!('download' in r)) throw new Error('expected a download');
      const again = readCapture(Buffer.from(r.download.base64, 'base64')).packets;
      // pcap is written in µs (the default), truncated; pcapng in ns, exact.
      expect(again.map((p) => `${p.tsSeconds}.${String(p.tsNanos).padStart(9, '0')}`)).toEqual(
        format === 'pcapng' ? times : times.map((t) => t.slice(0, -3) + '000'),
      );
    }
  });

  it('capture.stop, capture.clear and capture.start', async () => {
    expect((await h.call('capture.stop', {})).running).toBe(false);
    expect((await h.call('capture.clear', {})).count).toBe(0);
    const s = await h.call('capture.start', { points: ['segment'] });
    expect(s).toMatchObject({ running: true, points: ['segment'], count: 0 });
    expect(
      await h.raw({ id: 6, op: 'capture.start', args: { points: ['h1:eth9'] } }),
    ).toMatchObject({
      ok: false,
      error: { field: 'args.points[0]' },
    });
  });

  it('lab.save offers the lab file as a download', async () => {
    const r = await h.call('lab.save', {});
    if (!('download' in r)) throw new Error('expected a download');
    expect(r.download.fileName).toBe('hash-collisions.yaml');
    expect(Buffer.from(r.download.base64, 'base64').toString()).toMatch(/^name: hash-collisions/);
  });

  it('a downloaded lab counts as saved only once the page says the browser has it', async () => {
    await h.call('generators.set', {
      name: 'extra',
      from: 'h0',
      to: '239.1.1.9:5000',
      rate: '10pps',
    });
    expect((await h.call('lab.get', {})).unsaved).toBe(true);
    const r = await h.call('lab.save', {});
    if (!('download' in r)) throw new Error('expected a download');
    // Sent, but the browser has not said it has the file: still unsaved.
    expect((await h.call('lab.get', {})).unsaved).toBe(true);
    expect(await h.call('lab.downloaded', { revision: r.download.revision! })).toEqual({
      unsaved: false,
    });
    expect((await h.call('lab.get', {})).unsaved).toBe(false);
  });

  it('lab.open needs dialogs', async () => {
    expect(await h.raw({ id: 7, op: 'lab.open' })).toMatchObject({
      ok: false,
      error: { field: 'op' },
    });
  });

  it("lab.load with text reports a bad file's errors with lines, and keeps the old lab", async () => {
    const r = await h.raw({
      id: 8,
      op: 'lab.load',
      args: {
        text: 'name: x\nhosts:\n  - name: h1\n    interfaces: [{ name: eth0, nic: hash65 }]\n',
        fileName: 'x.yaml',
      },
    });
    expect(r).toMatchObject({ ok: false, error: { field: 'args.text' } });
    if (r.ok) return;
    expect(r.error.message).toMatch(
      /^x\.yaml:4:\d+: hosts\[0\]\.interfaces\[0\]\.nic: expected one of/,
    );
    expect(r.error.code).toBe('invalid-lab');
    if (r.error.code !== 'invalid-lab') return;
    expect(r.error.details?.[0].line).toBe(4);
    expect((await h.call('lab.get', {})).name).toBe('hash-collisions');
  });

  it("exercise.check evaluates the exercise's checks against the lab now", async () => {
    const view = await h.call('lab.get', {});
    expect(view.exercise?.title).toBe('Hash-filter false positives');
    const r = await h.call('exercise.check', {});
    expect(r.title).toBe(view.exercise?.title);
    expect(r.results.map((c) => c.title)).toEqual(view.exercise?.checks);
    expect(r.passed).toBe(r.results.filter((c) => c.pass).length);
    for (const c of r.results) expect(typeof c.expected).toBe('string');
  });

  it('lab.new makes a one-host lab', async () => {
    const v = await h.call('lab.new', { name: 'scratch' });
    expect(v.name).toBe('scratch');
    expect(v.hosts.map((x) => x.name)).toEqual(['h0']);
    await h.waitFor('lab', (d: { name: string }) => d.name === 'scratch');
    // One quiet host: its few boot frames, then no frame is left for a frame step to end.
    let steps = 0;
    while ((await h.call('run.step', { unit: 'frame' })).frameEnded)
      expect(++steps).toBeLessThan(20);
    expect((await h.call('run.step', { unit: 'frame' })).frameEnded).toBe(false);
    expect(await h.raw({ id: 9, op: 'exercise.check' })).toMatchObject({
      ok: false,
      error: { message: 'this lab has no exercise', field: 'op' },
    });
    await h.call('lab.load', { builtin: 'hash-collisions' });
  });
});

describe('generators.set', { timeout: 30_000 }, () => {
  let h: Harness;
  beforeAll(async () => {
    h = new Harness();
    await h.call('lab.load', { builtin: 'hash-collisions' });
  }, 30_000);
  afterAll(() => h.close());

  it('adds a generator as a lab file would write it; it sends from now, and the file has it', async () => {
    await h.call('run.step', { unit: 'frame' });
    const made = await h.call('generators.set', {
      name: 'probe',
      from: 'h0',
      to: '239.1.1.1:5000',
      rate: '1000pps',
      count: 5,
      size: 32,
    });
    expect(made).toMatchObject({
      name: 'probe',
      host: 'h0',
      dev: 'eth0',
      to: '239.1.1.1',
      port: 5000,
    });
    expect(made).toMatchObject({ rate: '1000pps', active: true, sent: 0 });
    expect((await h.call('generators.list', {})).map((g) => g.name)).toEqual(['flood', 'probe']);
    await h.call('run.start', { speed: 'max' });
    await h.waitFor('stats', (s: Stats) => s.generators[1]?.sent === 5);
    await h.call('run.pause', {});
    const saved = await h.call('lab.save', {});
    if (!('download' in saved)) throw new Error('expected a download');
    expect(Buffer.from(saved.download.base64, 'base64').toString()).toMatch(/name: probe/);
  });

  it('replaces the generator of that name', async () => {
    const changed = await h.call('generators.set', {
      name: 'probe',
      from: 'h2',
      to: '10.0.0.2:7000',
      rate: '2kpps',
    });
    expect(changed).toMatchObject({
      host: 'h2',
      to: '10.0.0.2',
      port: 7000,
      rate: '2000pps',
      active: true,
    });
    expect((await h.call('generators.list', {})).map((g) => g.name)).toEqual(['flood', 'probe']);
  });

  it('refuses a bad entry, naming its field, and changes nothing', async () => {
    const bad = await h.raw({
      id: 1,
      op: 'generators.set',
      args: { name: 'probe', from: 'h0', to: '239.1.1.1:5000', rate: '10 furlongs' },
    });
    expect(bad).toMatchObject({ ok: false, error: { field: 'args.rate' } });
    const nohost = await h.raw({
      id: 2,
      op: 'generators.set',
      args: { name: 'other', from: 'h9', to: '239.1.1.1:5000', rate: '10pps' },
    });
    expect(nohost).toMatchObject({ ok: false, error: { field: 'args.from' } });
    const list = await h.call('generators.list', {});
    expect(list.map((g) => [g.name, g.rate])).toEqual([
      ['flood', '10000pps'],
      ['probe', '2000pps'],
    ]);
  });

  it('reports the whole file entry (count, sizes, start, stop), so an editor can keep it', async () => {
    const flood = (await h.call('generators.list', {}))[0];
    expect(flood).toMatchObject({ count: null, sizes: [18], start: null, stop: '1s' });
    const made = await h.call('generators.set', {
      name: 'mix',
      from: 'h0',
      to: '239.1.1.1:5000',
      rate: '100pps',
      count: 7,
      size: [18, 64, 1472],
      start: '2s',
      stop: '3s',
    });
    expect(made).toMatchObject({ count: 7, sizes: [18, 64, 1472], start: '2s', stop: '3s' });
    expect(made.active).toBe(true);
  });

  it('a restart keeps a stop time still ahead, and forgets one already past', async () => {
    const nowMs = Math.ceil((await h.call('run.state', {})).simTimeNs / 1e6);
    await h.call('generators.set', {
      name: 'brief',
      from: 'h0',
      to: '239.1.1.1:5000',
      rate: '100pps',
      stop: `${nowMs + 5}ms`,
    });
    await h.call('run.start', { speed: 'max' });
    await h.waitFor('stats', (s: Stats) => s.run.simTimeNs > (nowMs + 20) * 1e6);
    await h.call('run.pause', {});
    const brief = (await h.call('generators.list', {})).find((g) => g.name === 'brief')!;
    expect(brief.active).toBe(false);
    expect(brief.sent).toBe(1);
    // Started by hand after its stop time: it sends until stopped.
    expect(await h.call('generators.start', { name: 'brief' })).toMatchObject({ active: true });
  });
});

describe('bad requests', { timeout: 30_000 }, () => {
  let h: Harness;
  beforeAll(() => {
    h = new Harness();
  });
  afterAll(() => h.close());

  it('are rejected with the field named, and the next good request is answered', async () => {
    const bad: [unknown, string | undefined][] = [
      [{ id: 1, op: 'iface.setMtu', args: { host: 'h0', dev: 'eth0', mtu: 'big' } }, 'args.mtu'],
      [{ id: 2, op: 'iface.setMac', args: { host: 'h0', dev: 'eth0', mac: 'nope' } }, 'args.mac'],
      [{ id: 3, op: 'run.speed', args: { speed: 0 } }, 'args.speed'],
      [{ id: 4, op: 'capture.rows', args: { from: -1, count: 10 } }, 'args.from'],
      [{ id: 5, op: 'capture.rows', args: { from: 0, count: 10_000 } }, 'args.count'],
      [{ id: 6, op: 'shell.exec', args: { host: 'h0', line: 'x'.repeat(5000) } }, 'args.line'],
      [{ id: 7, op: 'no.such.op' }, 'op'],
      [{ id: 8, op: 'iface.ioctl', args: { host: 'h0', dev: 'eth0', cmd: 16 } }, 'args.cmd'],
      [{ id: 9, op: 'lab.get', args: [] }, 'args'],
      [{ id: 10, op: 'lab.load', args: { builtin: '../../etc/passwd' } }, 'args.builtin'],
      [{ id: 11, op: 'lab.load', args: { recent: 'forged' } }, 'args.recent'],
      [{ id: 12, op: 'iface.setMap', args: { host: 'h0', dev: 'eth0' } }, 'args.irq'],
      [{ op: 'lab.get' }, 'id'],
    ];
    for (const [request, field] of bad) {
      const reply = await h.raw(request);
      expect(reply.ok, JSON.stringify(request)).toBe(false);
      if (!reply.ok) expect(reply.error.field, JSON.stringify(request)).toBe(field);
    }
    expect(await h.raw({ id: 99, op: 'lab.get' })).toMatchObject({
      id: 99,
      ok: true,
      result: { name: 'untitled' },
    });
  });

  it('are rejected by the worker too, when sent to it directly', async () => {
    await expect(
      h.engine.call('iface.setMtu', { host: 'h0', dev: 'eth0', mtu: -5 }),
    ).rejects.toMatchObject({
      body: { field: 'args.mtu' },
    });
    await expect(h.engine.call('capture.write', { format: 'pcap' } as never)).rejects.toMatchObject(
      {
        body: { field: 'args.path' },
      },
    );
    expect((await h.engine.call('lab.get', {})).name).toBe('untitled');
  });
});

describe('with dialogs (the Electron host)', { timeout: 30_000 }, () => {
  let h: Harness;
  let dir: string;
  const picked: { open: string | null; save: string | null } = { open: null, save: null };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'netlab-api-'));
    h = new Harness({
      openLab: async () => picked.open,
      saveLab: async () => picked.save,
      saveCapture: async () => picked.save,
      openCapture: async () => picked.open,
    });
  });
  afterAll(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lab.open loads the chosen file; lab.save writes it back; lab.recent offers it by token', async () => {
    picked.open = join(labsDir, 'hash-collisions.yaml');
    expect(await h.call('lab.open', {})).toMatchObject({ name: 'hash-collisions' });
    picked.save = join(dir, 'copy.json');
    expect(await h.call('lab.save', { as: true, format: 'json' })).toEqual({ saved: 'copy.json' });
    expect(JSON.parse(readFileSync(picked.save, 'utf8'))).toMatchObject({
      name: 'hash-collisions',
    });
    // Save (not as) now writes to copy.json without asking.
    picked.save = null;
    expect(await h.call('lab.save', {})).toEqual({ saved: 'copy.json' });
    const recent = await h.call('lab.recent', {});
    expect(recent.map((r) => r.name)).toEqual(['copy.json', 'hash-collisions.yaml']);
    expect(JSON.stringify(recent)).not.toContain(dir);
    expect(await h.call('lab.load', { recent: recent[0].token })).toMatchObject({
      fileName: 'copy.json',
    });
  });

  it('a cancelled dialog is a result, not an error', async () => {
    picked.open = null;
    picked.save = null;
    expect(await h.call('lab.open', {})).toEqual({ cancelled: true });
    expect(await h.call('capture.export', { format: 'pcapng' })).toEqual({ cancelled: true });
  });

  it('capture.export writes the chosen file', async () => {
    await h.call('run.step', { unit: 'frame' });
    picked.save = join(dir, 'out.pcapng');
    expect(await h.call('capture.export', { format: 'pcapng' })).toEqual({ saved: 'out.pcapng' });
    expect(readFileSync(picked.save).readUInt32LE(0)).toBe(0x0a0d0d0a);
  });

  it('capture.open imports the chosen file', async () => {
    const exported = (await h.call('capture.stop', {})).count;
    picked.open = join(dir, 'out.pcapng');
    const r = await h.call('capture.open', {});
    if ('cancelled' in r) throw new Error('cancelled');
    expect(r).toMatchObject({ format: 'pcapng', skipped: 0, warning: '' });
    expect(r.capture.count).toBe(exported);
  });
});

describe('a display filter over a large capture', { timeout: 60_000 }, () => {
  let h: Harness;
  beforeAll(async () => {
    h = new Harness();
    await h.call('lab.load', { builtin: 'hash-collisions' });
  }, 30_000);
  afterAll(() => h.close());

  it('is tested in the background: requests are answered meanwhile, and the counts add up', async () => {
    await h.call('run.start', { speed: 'max' });
    await new Promise((r) => setTimeout(r, 1500));
    await h.call('run.pause', {});
    const { count } = await h.call('capture.stop', {});
    expect(count).toBeGreaterThan(10_000);

    const settled = async (text: string) => {
      let state = await h.call('capture.filter', { text });
      while (state.pending > 0) {
        // The engine keeps answering while it scans.
        expect((await h.call('run.state', {})).running).toBe(false);
        state = (await h.call('stats.get', {})).capture;
      }
      return state.matching;
    };
    const onSegment = await settled('point == "segment"');
    const elsewhere = await settled('!(point == "segment")');
    expect(onSegment).toBeGreaterThan(0);
    expect(elsewhere).toBeGreaterThan(0);
    expect(onSegment + elsewhere).toBe(count);
    const page = await h.call('capture.rows', { from: 0, count: 1000 });
    expect(page.total).toBe(elsewhere);
    expect(page.rows.every((r) => r.point === 'h1:eth0')).toBe(true);
  });
});

describe('exporting a large capture', { timeout: 60_000 }, () => {
  let h: Harness;
  let dir: string;
  let exported: number;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'netlab-export-'));
    // A slice per batch of frames, so the export takes several slices on the fastest machine.
    h = new Harness(undefined, { requestSliceMs: 0 });
    await h.call('lab.load', { builtin: 'hash-collisions' });
    await h.call('run.start', { speed: 'max' });
    await new Promise((r) => setTimeout(r, 1500));
    await h.call('run.pause', {});
    exported = (await h.call('capture.stop', {})).count;
  }, 30_000);
  afterAll(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs in slices: a request sent after the export is answered before it ends', async () => {
    expect(exported).toBeGreaterThan(10_000);
    const order: string[] = [];
    const path = join(dir, 'big.pcapng');
    const writing = h.engine
      .call('capture.write', { format: 'pcapng', path })
      .then((r) => (order.push('export'), r));
    const state = h.engine.call('run.state', {}).then((r) => (order.push('run.state'), r));
    const [written] = await Promise.all([writing, state]);
    expect(order).toEqual(['run.state', 'export']);
    expect(written.frames).toBe(exported);
    expect(readFileSync(path).length).toBe(written.bytes);
  });

  it('fails with no file, rather than one with a hole, when the capture lets go of frames midway', async () => {
    const path = join(dir, 'cleared.pcap');
    const writing = h.engine.call('capture.write', { format: 'pcap', path });
    await h.engine.call('capture.clear', {});
    await expect(writing).rejects.toMatchObject({
      body: { message: expect.stringMatching(/let go before it was written/) },
    });
    expect(readdirSync(dir).sort()).toEqual(['big.pcapng']);
  });
});

describe('editing the topology', { timeout: 30_000 }, () => {
  let h: Harness;
  beforeAll(() => {
    h = new Harness();
  });
  afterAll(() => h.close());

  it('host.add, nic.add, nic.remove and host.remove rebuild the lab', async () => {
    const added = await h.call('host.add', { name: 'h1', ip: '10.0.0.2/24' });
    expect(added.hosts.map((x) => x.name)).toEqual(['h0', 'h1']);
    expect(added.hosts[1].interfaces[0]).toMatchObject({ name: 'eth0', model: 'hash64' });
    expect(added.hosts[1].interfaces[0].addresses).toEqual(['10.0.0.2/24']);
    const nic = await h.call('nic.add', { host: 'h1', nic: 'perfect' });
    expect(nic.hosts[1].interfaces.map((i) => [i.name, i.model])).toEqual([
      ['eth0', 'hash64'],
      ['eth1', 'perfect'],
    ]);
    // The new card is on the segment: h0 reaches h1.
    const ping = await h.call('shell.exec', { host: 'h0', line: 'ping -c 1 10.0.0.2' });
    await h.call('run.start', { speed: 1 });
    const done = await h.waitFor('shell.done', (d: { job: number }) => d.job === ping.job);
    expect(done).toMatchObject({ exitCode: 0 });
    await h.call('run.pause', {});
    expect(
      (await h.call('nic.remove', { host: 'h1', dev: 'eth1' })).hosts[1].interfaces,
    ).toHaveLength(1);
    expect((await h.call('host.remove', { name: 'h1' })).hosts.map((x) => x.name)).toEqual(['h0']);
  });

  it('refuses an edit that would make the lab invalid, and says why', async () => {
    expect(await h.raw({ id: 1, op: 'host.add', args: { name: 'h0' } })).toMatchObject({
      ok: false,
      error: { field: 'args.name' },
    });
    const r = await h.raw({ id: 2, op: 'host.add', args: { name: 'h9', ip: '10.0.0.1/24' } });
    expect(r).toMatchObject({ ok: false, error: { field: 'args' } });
    if (!r.ok) expect(r.error.message).toMatch(/duplicate address 10\.0\.0\.1/);
    await h.call('lab.load', { builtin: 'hash-collisions' });
    const gen = await h.raw({ id: 3, op: 'host.remove', args: { name: 'h0' } });
    expect(gen).toMatchObject({ ok: false });
    if (!gen.ok) expect(gen.error.message).toMatch(/unknown host "h0"/);
    expect((await h.call('lab.get', {})).hosts).toHaveLength(3);
    expect(
      await h.raw({ id: 4, op: 'nic.remove', args: { host: 'h1', dev: 'eth5' } }),
    ).toMatchObject({
      ok: false,
      error: { field: 'args.dev' },
    });
  });

  it('segments, a router and routes built by the API forward a ping and save to the same lab', async () => {
    await h.call('lab.new', { name: 'routed' });
    await h.call('segment.add', { name: 'lan2', rate: '10Mbps', duplex: 'full' });
    await h.call('host.add', { name: 'r', ip: '10.0.0.254/24', segment: 'segment' });
    await h.call('nic.add', { host: 'r', ip: '10.0.2.1/24', segment: 'lan2' });
    await h.call('host.add', { name: 'h2', ip: '10.0.2.2/24', segment: 'lan2' });
    await h.call('host.setForwarding', { host: 'r', on: true });
    await h.call('route.add', { host: 'h0', to: '10.0.2.0/24', via: '10.0.0.254' });
    const built = await h.call('route.add', { host: 'h2', to: 'default', via: '10.0.2.1' });
    expect(built.segments.map((s) => [s.name, s.stations])).toEqual([
      ['segment', ['h0:eth0', 'r:eth0']],
      ['lan2', ['r:eth1', 'h2:eth0']],
    ]);
    expect(built.segments[1]).toMatchObject({ bitRate: 10e6, duplex: 'full', cable: true });
    expect(built.hosts.map((x) => x.file)).toEqual([
      {
        ipForward: false,
        bridges: [],
        routes: [{ to: '10.0.2.0/24', via: '10.0.0.254', dev: null, metric: 0 }],
      },
      { ipForward: true, bridges: [], routes: [] },
      {
        ipForward: false,
        bridges: [],
        routes: [{ to: 'default', via: '10.0.2.1', dev: null, metric: 0 }],
      },
    ]);
    const ping = await h.call('shell.exec', { host: 'h0', line: 'ping -c 1 10.0.2.2' });
    await h.call('run.start', { speed: 'max' });
    const done = (await h.waitFor('shell.done', (d: { job: number }) => d.job === ping.job)) as {
      exitCode: number;
    };
    await h.call('run.pause', {});
    expect(done.exitCode).toBe(0);
    const out = await h.call('proc.read', { host: 'r', path: '/proc/net/snmp' });
    expect(out.text).toMatch(/^Ip: 1 64 \d+ \d+ \d+ 2 /m);

    const saved = await h.call('lab.save', {});
    if (!('download' in saved)) throw new Error('expected a download');
    const text = Buffer.from(saved.download.base64, 'base64').toString();
    const loaded = await h.call('lab.load', { text, fileName: 'routed.yaml' });
    expect(loaded.segments).toEqual(built.segments);
    expect(loaded.hosts.map((x) => [x.name, x.file, x.interfaces.map((i) => i.addresses)])).toEqual(
      built.hosts.map((x) => [x.name, x.file, x.interfaces.map((i) => i.addresses)]),
    );
  });

  it('bridges and segments refuse what the lab file would refuse, naming the field', async () => {
    await h.call('lab.new', {});
    await h.call('segment.add', { name: 'lan2' });
    await h.call('nic.add', { host: 'h0', segment: 'lan2' });
    const withBridge = await h.call('bridge.add', {
      host: 'h0',
      name: 'br0',
      ports: ['eth0', 'eth1'],
      querier: true,
    });
    expect(withBridge.hosts[0].file.bridges).toEqual([
      { name: 'br0', ports: ['eth0', 'eth1'], ip: null, mcastSnooping: true, querier: true },
    ]);
    const bridgeLink = await h.call('shell.exec', { host: 'h0', line: 'bridge link' });
    expect(bridgeLink.output.join('\n')).toMatch(/eth1: .* master br0 state forwarding/);
    const loop = await h.raw({
      id: 1,
      op: 'nic.setSegment',
      args: { host: 'h0', dev: 'eth1', segment: 'segment' },
    });
    expect(loop).toMatchObject({ ok: false, error: { code: 'invalid-lab' } });
    if (!loop.ok) expect(loop.error.message).toMatch(/a loop/);
    expect(await h.raw({ id: 2, op: 'segment.remove', args: { name: 'lan2' } })).toMatchObject({
      ok: false,
      error: { code: 'refused', field: 'args.name' },
    });
    expect(
      await h.raw({ id: 3, op: 'segment.add', args: { name: 'lan3', delay: '-1ns' } }),
    ).toMatchObject({ ok: false, error: { field: 'args.delay' } });
    expect(
      await h.raw({ id: 4, op: 'bridge.add', args: { host: 'h0', name: 'br1', ports: ['eth0'] } }),
    ).toMatchObject({ ok: false, error: { field: 'args.ports[0]' } });
    const removed = await h.call('bridge.remove', { host: 'h0', name: 'br0' });
    expect(removed.hosts[0].file.bridges).toEqual([]);
  });
});

/** An exercise with a prediction, a diagnosis, hints, a solution and an explanation. */
const EXERCISE_LAB = `
name: slow-reader
seed: 3
hosts:
  - name: h0
    interfaces: [{ name: eth0, nic: nofilter, ip: 10.0.0.1/24 }]
  - name: h1
    interfaces: [{ name: eth0, nic: perfect, ip: 10.0.0.2/24 }]
    join: [{ group: 239.1.1.1, port: 5000, readRate: 1000pps }]
generators:
  - { name: burst, from: h0, to: '239.1.1.1:5000', rate: 5000pps, size: 18, start: 0s, stop: 500ms }
exercise:
  title: A slow reader
  summary: A burst overflows a slow reader's socket.
  level: beginner
  kind: predict
  instructions: Predict how many datagrams **h1** loses.
  questions:
    - { id: lost, prompt: How many are lost?, type: number, unit: datagrams, predict: true,
        measure: hosts.h1.snmp.Udp.RcvbufErrors, tolerance: 10% }
    - { id: who, prompt: Which host loses them?, type: choice, choices: [h0, h1], answer: h1 }
  hints: ['Count what the queue holds.', 'See [the counters](netlab:stats?host=h1).']
  solution:
    steps: [{ host: h1, run: 'cat /proc/net/snmp' }]
    answers: { who: h1 }
  explanation: 'The [counters](netlab:stats?host=h1) prove it.'
  run: 1s
  checks:
    - { title: Your prediction, answer: lost }
    - { title: Your diagnosis, answer: who }
    - { title: h1 overflowed, path: hosts.h1.snmp.Udp.RcvbufErrors, gt: 0, unit: datagrams }
`;

describe('exercises through the engine worker', { timeout: 60_000 }, () => {
  let h: Harness;
  beforeAll(async () => {
    h = new Harness();
  });
  afterAll(() => h.close());

  it('shows the exercise without its answers, and its checks pending until it runs', async () => {
    const view = await h.call('lab.load', { text: EXERCISE_LAB, fileName: 'slow-reader.yaml' });
    const ex = view.exercise!;
    expect(ex).toMatchObject({
      title: 'A slow reader',
      summary: "A burst overflows a slow reader's socket.",
      level: 'beginner',
      kind: 'predict',
      hints: 2,
      hasSolution: true,
      runNs: 1e9,
      checks: ['Your prediction', 'Your diagnosis', 'h1 overflowed'],
      attempt: { answers: {}, ran: false, hintsShown: 0, solutionShown: false },
    });
    expect(ex.questions[0]).toEqual({
      id: 'lost',
      prompt: 'How many are lost?',
      type: 'number',
      choices: [],
      unit: 'datagrams',
      predict: true,
      tolerance: '10%',
    });
    expect(JSON.stringify(view)).not.toContain('RcvbufErrors');
    const c = await h.call('exercise.check', {});
    expect(c.ran).toBe(false);
    expect(c.explanation).toBe('');
    expect(c.results.map((r) => [r.pass, r.pending ?? false, r.actual])).toEqual([
      [false, true, '(no answer)'],
      [false, false, '(no answer)'],
      [false, true, '0 datagrams'],
    ]);
  });

  it('takes answers (refusing a bad one, naming the field), runs, locks predictions, checks', async () => {
    await h.call('lab.load', { text: EXERCISE_LAB, fileName: 'slow-reader.yaml' });
    const bad = await h.raw({ id: 1, op: 'exercise.answer', args: { id: 'lost', value: 'lots' } });
    expect(bad).toMatchObject({
      ok: false,
      error: { message: 'lost: "lots" is not a number', field: 'args.value' },
    });
    const none = await h.raw({ id: 2, op: 'exercise.answer', args: { id: 'nope', value: 1 } });
    expect(none).toMatchObject({ ok: false, error: { field: 'args.id' } });
    expect((await h.call('exercise.answer', { id: 'who', value: 'H0' })).answers).toEqual({
      who: 'h0',
    });
    await h.call('exercise.answer', { id: 'lost', value: '1,000' });
    // The diagnosis is graded at once: it needs no run.
    const before = await h.call('exercise.check', {});
    expect(before.results[1]).toMatchObject({ pass: false, actual: 'h0' });
    expect(before.results[1].pending).toBeUndefined();

    h.events.length = 0;
    const ran = await h.call('exercise.run', {});
    expect(ran.ran).toBe(true);
    const run = await h.call('run.state', {});
    expect(run).toMatchObject({ running: false, simTimeNs: 1e9 });
    // The clock ran flat out while it lasted, then stopped and said so.
    await h.waitFor(
      'run',
      (d: { running: boolean; speed: string }) => d.running && d.speed === 'max',
    );
    await h.waitFor(
      'run',
      (d: { running: boolean; simTimeNs: number }) => !d.running && d.simTimeNs === 1e9,
    );
    expect(run.speed).not.toBe('max');
    const lost = (await h.call('stats.get', {})).report.hosts.h1.snmp.Udp.RcvbufErrors as number;
    expect(lost).toBeGreaterThan(0);
    expect(ran.results[0]).toMatchObject({
      pass: Math.abs(1000 - lost) <= lost * 0.1,
      actual: '1,000 datagrams',
      expected: expect.stringMatching(/^the measured [\d,]+ datagrams ± /),
    });
    expect(ran.results[2]).toMatchObject({
      pass: true,
      actual: `${lost.toLocaleString('en-US')} datagrams`,
    });

    const locked = await h.raw({ id: 3, op: 'exercise.answer', args: { id: 'lost', value: lost } });
    expect(locked).toMatchObject({
      ok: false,
      error: {
        message: 'predictions are locked once the exercise has run; Reset to predict again',
        field: 'args.value',
      },
    });
    // A diagnosis may still change; with every check passing, the explanation comes.
    await h.call('exercise.answer', { id: 'who', value: 'h1' });
    const after = await h.call('exercise.check', {});
    expect(after.results[1].pass).toBe(true);
    expect(after.explanation).toBe(
      after.passed === 3 ? 'The [counters](netlab:stats?host=h1) prove it.' : '',
    );
  });

  it('a lab run by hand past the exercise time has run too; a prediction made after Run counts as late', async () => {
    await h.call('lab.load', { text: EXERCISE_LAB, fileName: 'slow-reader.yaml' });
    expect((await h.call('run.step', { unit: 'frame' })).simTimeNs).toBeGreaterThan(0);
    // The clock moved: the student may have seen the lab run. The prediction is taken, as late.
    await h.call('exercise.answer', { id: 'lost', value: 1000 });
    h.events.length = 0;
    await h.call('run.start', { speed: 'max' });
    await h.waitFor('stats', (d: { run: { simTimeNs: number } }) => d.run.simTimeNs >= 1e9);
    await h.call('run.pause', {});
    const c = await h.call('exercise.check', {});
    expect(c.ran).toBe(true);
    expect(c.results.every((r) => r.pending === undefined)).toBe(true);
    expect(c.results[0]).toMatchObject({
      pass: false,
      actual: '1,000 datagrams, answered after the run',
    });
    expect((await h.call('lab.get', {})).exercise!.attempt.ran).toBe(true);
    expect(
      await h.raw({ id: 1, op: 'exercise.answer', args: { id: 'lost', value: 5 } }),
    ).toMatchObject({ ok: false, error: { field: 'args.value' } });
  });

  it('gives hints in order, then the solution, and remembers both across Reset', async () => {
    await h.call('lab.load', { text: EXERCISE_LAB, fileName: 'slow-reader.yaml' });
    expect(await h.raw({ id: 1, op: 'exercise.hint', args: { index: 1 } })).toMatchObject({
      ok: false,
      error: { message: 'hints come in order: hint 1 is next', field: 'args.index' },
    });
    expect(await h.call('exercise.hint', { index: 0 })).toEqual({
      text: 'Count what the queue holds.',
      shown: 1,
    });
    expect((await h.call('exercise.hint', { index: 1 })).shown).toBe(2);
    expect(await h.raw({ id: 2, op: 'exercise.hint', args: { index: 2 } })).toMatchObject({
      ok: false,
      error: { message: 'no hint 3: the exercise has 2', field: 'args.index' },
    });
    expect(await h.call('exercise.solution', {})).toEqual({
      steps: [{ host: 'h1', run: 'cat /proc/net/snmp' }],
      answers: { who: 'h1' },
      drivers: [], // no driver of the student's to replace
    });
    await h.call('exercise.answer', { id: 'lost', value: 5 });
    await h.call('exercise.run', {});
    await h.call('shell.exec', { host: 'h1', line: 'ifconfig eth0 down' });

    const reset = await h.call('exercise.reset', {});
    expect(reset.run.simTimeNs).toBe(0);
    expect(reset.hosts[1].interfaces[0].flags).toContain('UP');
    expect(reset.exercise!.attempt).toEqual({
      answers: {},
      ran: false,
      hintsShown: 2,
      solutionShown: true,
    });
    // Predictions are open again.
    expect((await h.call('exercise.answer', { id: 'lost', value: 7 })).answers).toEqual({
      lost: 7,
    });
  });

  it('hands in the attempt: the lab as loaded, the journal since, the verdicts shown', async () => {
    await h.call('lab.load', { text: EXERCISE_LAB, fileName: 'slow-reader.yaml' });
    await h.call('exercise.answer', { id: 'who', value: 'h1' });
    await h.call('iface.setFlag', { host: 'h1', dev: 'eth0', flag: 'allmulti', on: true });
    await h.call('shell.exec', { host: 'h1', line: 'ifconfig eth0' });
    await h.call('exercise.run', {});
    await h.call('proc.read', { host: 'h1', path: '/proc/net/snmp' });
    const shown = await h.call('exercise.check', {});
    const handed = await h.call('exercise.handIn', { student: 'Ada' });
    expect(handed.fileName).toBe('ada-slow-reader.attempt.yaml');
    const a = parseYaml(handed.text);
    expect(a).toMatchObject({
      netlabAttempt: 1,
      student: 'Ada',
      exercise: 'A slow reader',
      file: 'slow-reader.yaml',
      seed: 3,
      end: { at: 1e9 },
      answers: { who: 'h1' },
      hints: 0,
      solutionShown: false,
    });
    expect(a.lab.exercise.questions[0].measure).toBe('hosts.h1.snmp.Udp.RcvbufErrors');
    // Reads (proc.read, exercise.check) change nothing and are not journaled.
    expect(a.journal).toEqual([
      { at: 0, events: 0, op: 'exercise.answer', args: { id: 'who', value: 'h1' } },
      {
        at: 0,
        events: 0,
        op: 'iface.setFlag',
        args: { host: 'h1', dev: 'eth0', flag: 'allmulti', on: true },
      },
      { at: 0, events: 0, op: 'shell', host: 'h1', line: 'ifconfig eth0' },
      { at: 0, events: 0, op: 'exercise.run' },
    ]);
    expect(a.verdicts).toEqual(shown.results.map((r) => ({ title: r.title, pass: r.pass })));
    const blank = await h.raw({ id: 5, op: 'exercise.handIn', args: { student: '  ' } });
    expect(blank).toMatchObject({ ok: false, error: { field: 'args.student' } });
  });

  it('iface.join with a port starts an application: its SO_RCVBUF (doubled) and read rate, counted in the sinks', async () => {
    const text = EXERCISE_LAB.replace(
      '    join: [{ group: 239.1.1.1, port: 5000, readRate: 1000pps }]\n',
      '',
    );
    await h.call('lab.load', { text, fileName: 'bare.yaml' });
    const noPort = await h.raw({
      id: 1,
      op: 'iface.join',
      args: { host: 'h1', dev: 'eth0', group: '239.1.1.1', rcvbuf: 4096 },
    });
    expect(noPort).toMatchObject({ ok: false, error: { field: 'args.port' } });
    const joined = await h.call('iface.join', {
      host: 'h1',
      dev: 'eth0',
      group: '239.1.1.1',
      port: 5000,
      rcvbuf: 4096,
      readRate: 1000,
    });
    expect(iface(joined).joined).toEqual(['239.1.1.1']);
    await h.call('exercise.run', {});
    const report = (await h.call('stats.get', {})).report;
    expect(report.hosts.h1.sockets[0].rcvbuf).toBe(8192);
    const sink = report.sinks.find((x) => x.name === 'h1:239.1.1.1:5000')!;
    // 8192 bytes hold 10 small datagrams: a 1000/s reader loses most of a 5000/s burst.
    expect(sink.received).toBeGreaterThan(400);
    expect(sink.received).toBeLessThan(1000);
    expect(report.hosts.h1.snmp.Udp.RcvbufErrors).toBe(2500 - sink.received);
    const left = await h.call('iface.leave', { host: 'h1', dev: 'eth0', group: '239.1.1.1' });
    expect(iface(left).joined).toEqual([]);
    expect(iface(left).groups.map((g) => g.group)).toEqual(['224.0.0.1']);
    expect((await h.call('stats.get', {})).report.sinks).toEqual([]);
  });

  it('a lab without an exercise refuses every exercise op, naming op', async () => {
    await h.call('lab.new', {});
    for (const op of ['exercise.run', 'exercise.reset', 'exercise.solution'] as const)
      expect(await h.raw({ id: 9, op, args: {} })).toMatchObject({
        ok: false,
        error: { message: 'this lab has no exercise', field: 'op' },
      });
  });
});
