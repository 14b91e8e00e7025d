// Bad requests (issue 10): every operation of the contract, called with what a confused or
// hostile UI could send, along the path a UI's requests take: ApiServer.handle (what the web
// host's socket and Electron's IPC call), then the engine's worker thread through EngineClient.
// Every operation is taken from the op table, and its cases from its schema (ipc/bad-args.ts),
// so a new operation or field is covered as soon as it is declared.
//
// Each bad request must get an error reply with a message, naming the field at fault where
// there is one; nothing may escape handle() or kill the worker; the next good request (lab.get)
// must be answered, with the lab as it was before the refusal.
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../lab/sim/rng';
import { badArgs, fieldsOf, HUGE_STRING, ODD_VALUES, sampleArgs } from '../ipc/bad-args';
import { MAX_JSON_DEPTH } from '../ipc/json-data';
import { API_ERROR_CODES } from '../ipc/errors';
import { apiOps, OP_NAMES, type OpName } from '../ipc/ops';
import { parseArgs, type Reply } from '../ipc/protocol';
import { ApiServer } from './api-server';
import { BuiltinLabs } from './builtin-labs';
import { EngineCallError, EngineClient } from './client';
import { engineOps, type EngineOpName } from '../engine/engine-ops';
import { RecentFiles } from './recent-files';

const labsDir = join(import.meta.dirname, '..', '..', 'resources', 'labs');

/** Good values for the built-in hash-collisions lab, by field name (the rest come from schemas). */
const HINTS: Record<string, unknown> = {
  host: 'h1',
  dev: 'eth0',
  mac: '01:00:5e:01:01:01',
  group: '239.1.1.1',
  from: 'h0',
  to: '239.1.1.1:5000',
  rate: '10pps',
  builtin: 'hash-collisions',
  fileName: 'x.yaml',
  base64: 'aGVsbG8=',
  points: ['segment'],
  frames: 'all',
  path: '/proc/net/dev',
  drivers: { 'my-ne2k.js': 'export default {}' },
};

/** Operations whose `name` is a new one (host.add adds host `name`), not one to look up. */
const NAME_CREATES = new Set<string>([
  'lab.new',
  'host.add',
  'nic.add',
  'generators.set',
  'segment.add',
  'bridge.add',
]);

/**
 * More than a refused request's error message needs. A message may quote what the caller sent
 * (a display filter is up to 4096 characters), but not a megabyte of it.
 */
const MAX_MESSAGE = 5000;

interface Failure {
  op: string;
  what: string;
  problem: string;
}

/** An API server on a real engine worker, holding the hash-collisions lab, paused. */
class Bench {
  readonly engine = new EngineClient();
  readonly server = new ApiServer({
    host: 'web',
    version: 'test',
    engine: this.engine,
    builtins: new BuiltinLabs(labsDir),
    recent: new RecentFiles(null),
  });
  readonly failures: Failure[] = [];
  sent = 0;
  private nextId = 1;
  private view = '';

  async load(): Promise<void> {
    const r = await this.server.handle({
      id: 0,
      op: 'lab.load',
      args: { builtin: 'hash-collisions' },
    });
    if (!r.ok) throw new Error(r.error.message);
    this.view = await this.labView();
  }

  async labView(): Promise<string> {
    const r = await this.server.handle({ id: 'view', op: 'lab.get', args: {} });
    if (!r.ok) throw new Error(`lab.get: ${r.error.message}`);
    return JSON.stringify(r.result);
  }

  /** Sends `request` and returns the reply; a throw out of handle() is a failure. */
  async send(op: string, what: string, request: unknown): Promise<Reply | null> {
    this.sent++;
    try {
      return await this.server.handle(request);
    } catch (e) {
      this.fail(op, what, `handle() threw: ${(e as Error).message}`);
      return null;
    }
  }

  /**
   * Sends a request that must be refused with an error naming `field` (exactly, or a field
   * under it), then checks the engine still answers with the lab unchanged.
   */
  async refused(
    op: string,
    what: string,
    args: unknown,
    field: string | null,
    exact = true,
  ): Promise<void> {
    const id = this.nextId++;
    const reply = await this.send(op, what, { id, op, args });
    if (reply) this.checkError(op, what, reply, id, field, exact);
    await this.unchanged(op, what);
  }

  /** Sends an interface request the kernel must refuse with `errno` (a result, not an error). */
  async kernelRefuses(op: OpName, what: string, args: unknown, errno: string): Promise<void> {
    const reply = await this.send(op, what, { id: this.nextId++, op, args });
    if (reply && !reply.ok) this.fail(op, what, `error reply: ${reply.error.message}`);
    else if (reply?.ok) {
      const r = reply.result as { ok: boolean; errno?: string };
      if (r.ok || r.errno !== errno)
        this.fail(op, what, `expected ${errno}, got ${JSON.stringify(reply.result)}`);
    }
    await this.unchanged(op, what);
  }

  checkError(
    op: string,
    what: string,
    reply: Reply,
    id: unknown,
    field: string | null,
    exact: boolean,
  ): void {
    if (reply.ok) return this.fail(op, what, `accepted: ${JSON.stringify(reply.result)}`);
    const { message, field: got } = reply.error;
    if (!Object.is(reply.id, id))
      this.fail(op, what, `reply id ${String(reply.id)}, expected ${String(id)}`);
    if (typeof message !== 'string' || message.trim() === '')
      this.fail(op, what, 'no error message');
    else if (message.length > MAX_MESSAGE)
      this.fail(op, what, `a ${message.length}-character message: ${message.slice(0, 100)}…`);
    else if (/internal error/.test(message)) this.fail(op, what, message);
    // A UI acts on the code, so every refusal carries one from the table, and never 'internal'.
    const code = reply.error.code as string;
    if (!Object.hasOwn(API_ERROR_CODES, code) || code === 'internal')
      this.fail(op, what, `error code ${String(code)}: ${message}`);
    if (field === null) return;
    const named = exact ? got === field : got === field || got?.startsWith(field) === true;
    if (!named)
      this.fail(op, what, `field ${String(got)}, expected ${field}${exact ? '' : '…'}: ${message}`);
  }

  /** The next good request is answered, and shows the lab as it was. */
  async unchanged(op: string, what: string): Promise<void> {
    let now: string;
    try {
      now = await this.labView();
    } catch (e) {
      return this.fail(op, what, `the next lab.get failed: ${(e as Error).message}`);
    }
    if (now !== this.view) {
      this.fail(op, what, 'the lab changed');
      this.view = now; // report each change once
    }
  }

  fail(op: string, what: string, problem: string): void {
    this.failures.push({ op, what, problem });
  }

  close(): Promise<void> {
    return this.engine.close();
  }
}

/** The failures so far as lines a reader can act on (few enough to read); then none again. */
function report(failures: Failure[]): string[] {
  const lines = failures.slice(0, 40).map((f) => `${f.op} (${f.what}): ${f.problem}`);
  failures.length = 0;
  return lines;
}

function label(v: unknown): string {
  const text = typeof v === 'string' ? JSON.stringify(v) : String(v);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

describe('bad requests, every operation', { timeout: 30_000 }, () => {
  let b: Bench;
  beforeAll(async () => {
    b = new Bench();
    await b.load();
  }, 30_000);
  afterAll(() => b.close());

  it('every operation has sample arguments its schema accepts (so its cases can be made)', () => {
    for (const op of OP_NAMES)
      expect(sampleArgs(apiOps[op].args, HINTS).length, op).toBeGreaterThan(0);
  });

  it('wrong types, missing fields, huge values and unknown fields are refused, naming the field', async () => {
    const start = performance.now();
    for (const op of OP_NAMES) {
      const cases = badArgs(apiOps[op].args, HINTS);
      expect(cases.length, op).toBeGreaterThan(4);
      for (const c of cases) await b.refused(op, c.what, c.args, c.field, c.exact);
    }
    expect(report(b.failures)).toEqual([]);
    console.log(`${b.sent} requests in ${Math.round(performance.now() - start)} ms`);
  });

  it('seeded random arguments the schema refuses are refused through the worker too', async () => {
    const rng = new Rng(10);
    const pick = <T>(list: readonly T[]): T => list[rng.nextU32() % list.length];
    const keys = ['host', 'dev', 'name', 'zzz', 'mtu', 'text', 'points', 'speed', 'data'];
    let sent = 0;
    for (const op of OP_NAMES) {
      const shapes = sampleArgs(apiOps[op].args, HINTS);
      for (let n = 0; n < 8; n++) {
        const args: Record<string, unknown> = { ...pick(shapes) };
        const own = Object.keys(args);
        for (let k = 1 + (rng.nextU32() % 3); k > 0; k--) {
          const key = pick([...own, ...keys]);
          if (rng.nextU32() % 4 === 0) delete args[key];
          else args[key] = pick(ODD_VALUES)[1];
        }
        const parsed = parseArgs(op, args);
        if (parsed.ok) continue; // a good request: not this test's business
        sent++;
        await b.refused(
          op,
          `seeded ${JSON.stringify(args).slice(0, 80)}`,
          args,
          parsed.error.field ?? null,
        );
      }
    }
    expect(sent).toBeGreaterThan(OP_NAMES.length * 4);
    expect(report(b.failures)).toEqual([]);
  });

  it('unknown hosts, interfaces, generators, capture points and labs are refused, naming the field', async () => {
    const unknown: Record<string, unknown> = {
      host: 'nosuch',
      dev: 'eth9',
      name: 'nosuch',
      from: 'h9',
      points: ['h9:eth0'],
      builtin: 'nosuch',
      recent: 'nosuch',
      path: '/proc/net/nosuch',
    };
    let tried = 0;
    for (const op of OP_NAMES) {
      const shapes = fieldsOf(apiOps[op].args);
      const bases = sampleArgs(apiOps[op].args, HINTS, 'required');
      for (const [n, required] of bases.entries()) {
        // Good values for the optional fields known here too (a generator needs a rate).
        const known = shapes[n].filter((k) => Object.hasOwn(HINTS, k));
        const base = { ...Object.fromEntries(known.map((k) => [k, HINTS[k]])), ...required };
        for (const key of shapes[n]) {
          if (!Object.hasOwn(unknown, key)) continue;
          if (key === 'name' && NAME_CREATES.has(op)) continue;
          const field = key === 'points' ? 'args.points[0]' : `args.${key}`;
          await b.refused(
            op,
            `${key} = ${label(unknown[key])}`,
            { ...base, [key]: unknown[key] },
            field,
          );
          tried++;
        }
      }
    }
    // Other points that name nothing on this lab.
    for (const point of ['h1:eth9', 'h1:', ':eth0', 'h1:eth0:x', 'segment2'])
      await b.refused(
        'capture.start',
        `points = ${point}`,
        { points: ['segment', point] },
        'args.points[1]',
      );
    await b.refused('capture.row', 'no = 2^53 - 1', { no: Number.MAX_SAFE_INTEGER }, 'args.no');
    await b.refused(
      'generators.set',
      'from h0:eth9',
      { name: 'g', from: 'h0:eth9', to: '239.1.1.1:5000', rate: '10pps' },
      'args.from',
    );
    expect(tried).toBeGreaterThan(20);
    expect(report(b.failures)).toEqual([]);
  });

  it('out-of-range settings are refused: by the schema, by the lab file rules, or by the kernel', async () => {
    const eth0 = { host: 'h1', dev: 'eth0' };
    for (const mtu of [0, 67, 65_536, 1e9, 0x7fffffff])
      await b.kernelRefuses('iface.setMtu', `mtu ${mtu}`, { ...eth0, mtu }, 'EINVAL');
    await b.refused('iface.setMtu', 'mtu 2^31', { ...eth0, mtu: 2 ** 31 }, 'args.mtu');
    await b.refused('iface.setTxQueueLen', 'qlen -1', { ...eth0, qlen: -1 }, 'args.qlen');
    await b.kernelRefuses(
      'iface.setMap',
      'an IRQ line the card lacks',
      { ...eth0, irq: 255 },
      'EINVAL',
    );
    await b.refused('iface.setMap', 'irq 256', { ...eth0, irq: 256 }, 'args.irq');
    await b.refused('iface.setMap', 'io 0x10000', { ...eth0, io: 0x10000 }, 'args.io');
    for (const rxRing of [0, 3, 5000, 1e9, 8.5, -8])
      await b.kernelRefuses(
        'iface.ioctl',
        `ring ${rxRing}`,
        { ...eth0, cmd: 2, data: { rxRing } },
        'EINVAL',
      );
    await b.kernelRefuses(
      'iface.ioctl',
      'ring data a 1 MB string',
      { ...eth0, cmd: 2, data: HUGE_STRING.slice(1) },
      'EFAULT',
    );
    await b.kernelRefuses(
      'iface.ioctl',
      'an ioctl the driver lacks',
      { ...eth0, cmd: 15 },
      'EOPNOTSUPP',
    );
    for (const group of ['10.0.0.1', '0.0.0.0', '255.255.255.255'])
      await b.kernelRefuses('iface.join', `group ${group}`, { ...eth0, group }, 'EINVAL');
    await b.refused('iface.join', 'group 999.1.1.1', { ...eth0, group: '999.1.1.1' }, 'args.group');
    await b.kernelRefuses(
      'iface.leave',
      'a group never joined',
      { ...eth0, group: '239.9.9.9' },
      'EADDRNOTAVAIL',
    );
    await b.kernelRefuses(
      'iface.addMulti',
      'a unicast MAC',
      { ...eth0, mac: '02:00:00:00:00:01' },
      'EINVAL',
    );
    await b.kernelRefuses(
      'iface.delMulti',
      'a MAC not on the list',
      { ...eth0, mac: '01:00:5e:09:09:09' },
      'ENOENT',
    );
    for (const speed of [0, 0.0009, 1.0001, 2, 1e308, -1, 'fast', 'MAX'])
      for (const op of ['run.start', 'run.speed'] as const)
        await b.refused(op, `speed ${label(speed)}`, { speed }, 'args.speed');
    // The exercise's questions and hints are the lab's: ids and indices past them name nothing.
    await b.refused(
      'exercise.answer',
      'a question it lacks',
      { id: 'nosuch', value: 1 },
      'args.id',
    );
    await b.refused('exercise.answer', 'id Bin', { id: 'Bin', value: 1 }, 'args.id');
    for (const value of [HUGE_STRING, NaN, Infinity, -Infinity, null, true, [1], { v: 1 }])
      await b.refused('exercise.answer', `value ${label(value)}`, { id: 'x', value }, 'args.value');
    await b.refused('exercise.hint', 'index 99', { index: 99 }, 'args.index');
    for (const index of [-1, 100, 1.5])
      await b.refused('exercise.hint', `index ${index}`, { index }, 'args.index');
    for (const student of ['', '   ', HUGE_STRING])
      await b.refused('exercise.handIn', `student ${label(student)}`, { student }, 'args.student');
    for (const snaplen of [0, 13, 262_145])
      await b.refused('capture.start', `snaplen ${snaplen}`, { snaplen }, 'args.snaplen');
    await b.refused('capture.rows', 'count 0', { from: 0, count: 0 }, 'args.count');
    await b.refused('capture.rows', 'count 1001', { from: 0, count: 1001 }, 'args.count');
    await b.refused(
      'capture.start',
      '65 points',
      { points: Array(65).fill('segment') },
      'args.points',
    );
    const gen = { name: 'g', from: 'h0', to: '239.1.1.1:5000' };
    const generators: [string, Record<string, unknown>, string][] = [
      ['rate 0pps', { rate: '0pps' }, 'args.rate'],
      ['rate -5Mbps', { rate: '-5Mbps' }, 'args.rate'],
      ['rate 1e308pps', { rate: '1e308pps' }, 'args.rate'],
      ['rate 999999999999Gbps', { rate: '999999999999Gbps' }, 'args.rate'],
      ['rate NaNpps', { rate: 'NaNpps' }, 'args.rate'],
      ['rate Infinitypps', { rate: 'Infinitypps' }, 'args.rate'],
      ['rate 10 furlongs', { rate: '10 furlongs' }, 'args.rate'],
      ['size 65507 (over the MTU)', { rate: '10pps', size: 65_507 }, 'args.size'],
      ['size 65508', { rate: '10pps', size: 65_508 }, 'args.size'],
      ['count 0', { rate: '10pps', count: 0 }, 'args.count'],
      ['port 99999', { to: '239.1.1.1:99999' }, 'args.to'],
      ['port 0', { to: '239.1.1.1:0' }, 'args.to'],
      ['to a unicast nowhere', { to: 'nowhere' }, 'args.to'],
      ['on 0s', { pattern: 'onoff', on: '0s', off: '1ms' }, 'args.on'],
      ['off 1e308s', { pattern: 'onoff', on: '1ms', off: '1e308s' }, 'args.off'],
      ['onoff without on', { pattern: 'onoff', off: '1ms' }, 'args'],
    ];
    for (const [what, extra, field] of generators)
      await b.refused('generators.set', what, { ...gen, ...extra }, field, field !== 'args');
    await b.refused('lab.new', 'a 201-character name', { name: 'n'.repeat(201) }, 'args.name');
    expect(report(b.failures)).toEqual([]);
  });

  it('huge and hostile values the schema lets through are refused by the engine', async () => {
    const eth0 = { host: 'h1', dev: 'eth0' };
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    await b.refused(
      'iface.ioctl',
      'data nested 100000 deep',
      { ...eth0, cmd: 2, data: deep },
      'args.data',
      false,
    );
    let justTooDeep: unknown = {};
    for (let i = 0; i <= MAX_JSON_DEPTH; i++) justTooDeep = { a: justTooDeep };
    await b.refused(
      'iface.ioctl',
      `data nested ${MAX_JSON_DEPTH + 1} deep`,
      { ...eth0, cmd: 2, data: justTooDeep },
      'args.data',
      false,
    );
    await b.refused(
      'iface.ioctl',
      'data with NaN inside',
      { ...eth0, cmd: 2, data: { rxRing: NaN } },
      'args.data.rxRing',
    );
    await b.refused(
      'iface.ioctl',
      'data with a Map inside',
      { ...eth0, cmd: 2, data: [new Map()] },
      'args.data[0]',
    );

    const mb = 1024 * 1024;
    const texts: [string, string, string][] = [
      ['1 MB of garbage', 'x.yaml', '\u0000\u0001:'.repeat(mb / 3)],
      ['a 1 MB file', 'x.yaml', `name: x\n#${'x'.repeat(mb - 10)}`],
      ['200 kB of YAML nesting', 'x.yaml', '['.repeat(200_000)],
      ['200 kB of JSON nesting', 'x.json', '{"a":'.repeat(40_000)],
      ['YAML alias bomb', 'x.yaml', bomb()],
      [
        '18000 hosts of one name',
        'x.json',
        JSON.stringify({ hosts: Array(18_000).fill({ name: 'h' }) }),
      ],
      ['an empty file', 'x.yaml', ''],
      ['a lab of the wrong shape', 'x.yaml', 'hosts: 42'],
    ];
    for (const [what, fileName, text] of texts)
      await b.refused('lab.load', what, { text, fileName }, 'args.text');

    const random = new Uint8Array(mb);
    const rng = new Rng(7);
    for (let i = 0; i < random.length; i++) random[i] = rng.nextU32() & 0xff;
    const files: [string, Uint8Array][] = [
      ['1 MB of random bytes', random],
      ['a text file', new TextEncoder().encode('hello')],
      ['an empty file', new Uint8Array(0)],
    ];
    for (const [what, bytes] of files)
      await b.refused(
        'capture.import',
        what,
        { base64: Buffer.from(bytes).toString('base64'), fileName: 'x.pcap' },
        'args.fileName',
      );

    const filters: [string, string][] = [
      ['4096 (', '('.repeat(4096)],
      ['65 nested parentheses', `${'('.repeat(65)}udp${')'.repeat(65)}`],
      ['65 nots', `${'!'.repeat(65)}udp`],
      ['a 4000-digit number', `frame.len == ${'9'.repeat(4000)}`],
      ['an unknown field', 'no.such.field == 1'],
      ['a dangling and', 'udp &&'],
      ['an unterminated string', 'eth.addr contains "x'],
    ];
    for (const [what, text] of filters)
      await b.refused('capture.filter', what, { text }, 'args.text');

    await b.refused(
      'proc.read',
      'a path up and out',
      { host: 'h1', path: '../../etc/passwd' },
      'args.path',
    );
    await b.refused(
      'proc.read',
      'a 256-character path',
      { host: 'h1', path: `/proc/${'x/'.repeat(125)}` },
      'args.path',
    );
    await b.refused('lab.open', 'without dialogs', {}, 'op');
    await b.refused('capture.open', 'without dialogs', {}, 'op');
    await b.refused('debug.crash', 'on an engine without debug ops', {}, 'op');
    expect(report(b.failures)).toEqual([]);
  });

  it('bad envelopes and garbage op names are refused, naming id or op', async () => {
    // [what, request, field at fault, the id the reply carries (a bad one too, if a number or
    // a string: the caller may still match its reply with it)]
    const envelopes: [string, unknown, string, unknown][] = [
      ['null', null, '', null],
      ['a string', 'lab.get', '', null],
      ['a number', 42, '', null],
      ['an array', [{ id: 1, op: 'lab.get' }], '', null],
      ['no id', { op: 'lab.get' }, 'id', null],
      ['id -1', { id: -1, op: 'lab.get' }, 'id', -1],
      ['id 1.5', { id: 1.5, op: 'lab.get' }, 'id', 1.5],
      ['id NaN', { id: NaN, op: 'lab.get' }, 'id', NaN],
      ['id {}', { id: {}, op: 'lab.get' }, 'id', null],
      ['id ""', { id: '', op: 'lab.get' }, 'id', ''],
      ['a 65-character id', { id: 'i'.repeat(65), op: 'lab.get' }, 'id', 'i'.repeat(65)],
      ['no op', { id: 1 }, 'op', 1],
    ];
    const ops: unknown[] = [
      '',
      'nope',
      'lab.get ',
      'LAB.GET',
      'lab',
      'lab.get.x',
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      'lab.text',
      'capture.write',
      'capture.load',
      'x'.repeat(101),
      HUGE_STRING,
      42,
      null,
      true,
      {},
      ['lab.get'],
    ];
    for (const op of ops) envelopes.push([`op ${label(op)}`, { id: 7, op, args: {} }, 'op', 7]);
    for (const [what, request, field, id] of envelopes) {
      const reply = await b.send('envelope', what, request);
      // Not an object at all: no field is at fault, the request is.
      if (reply) b.checkError('envelope', what, reply, id, field || null, true);
      if (reply && !reply.ok && !field && !/expected a request/.test(reply.error.message))
        b.fail('envelope', what, `unclear: ${reply.error.message}`);
      await b.unchanged('envelope', what);
    }
    expect(report(b.failures)).toEqual([]);
  });
});

describe('bad requests sent to the worker directly', { timeout: 30_000 }, () => {
  let b: Bench;
  let dir: string;
  beforeAll(async () => {
    b = new Bench();
    await b.load();
    dir = mkdtempSync(join(tmpdir(), 'netlab-bad-'));
  }, 30_000);
  afterAll(async () => {
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Calls the worker's op through the client: a refusal's body, or a failure if it answered. */
  async function refusedByWorker(
    op: string,
    what: string,
    args: unknown,
    field: string,
    exact = true,
  ) {
    b.sent++;
    try {
      const r = await b.engine.call(op as EngineOpName, args as never);
      b.fail(op, what, `accepted: ${JSON.stringify(r).slice(0, 200)}`);
    } catch (e) {
      if (!(e instanceof EngineCallError)) b.fail(op, what, `threw ${String(e)}`);
      else b.checkError(op, what, { id: 0, ok: false, error: e.body }, 0, field, exact);
    }
    await b.unchanged(op, what);
  }

  it("validates every engine operation's arguments itself, naming the field", async () => {
    const hints = { ...HINTS, bytes: new Uint8Array(0), path: join(dir, 'x.pcap') };
    for (const op of Object.keys(engineOps))
      for (const c of badArgs(engineOps[op as EngineOpName].args, hints))
        await refusedByWorker(op, c.what, c.args, c.field, c.exact);
    for (const op of ['nope', 'lab.save', 'capture.import', '__proto__', 'toString'])
      await refusedByWorker(op, 'an unknown op', {}, 'op');
    expect(report(b.failures)).toEqual([]);
  });

  it('refuses data it cannot receive, and a file it cannot write, with a clear error', async () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    await refusedByWorker(
      'iface.ioctl',
      'data too deep to send',
      { host: 'h1', dev: 'eth0', cmd: 2, data: deep },
      'args',
      false,
    );
    await refusedByWorker(
      'iface.ioctl',
      'a function',
      { host: 'h1', dev: 'eth0', cmd: 2, data: () => 1 },
      'args',
      false,
    );
    await refusedByWorker(
      'capture.write',
      'a path in /proc',
      { format: 'pcap', path: '/proc/netlab-x.pcap' },
      'args.path',
    );
    await refusedByWorker(
      'capture.load',
      'random bytes',
      { bytes: new Uint8Array(100).fill(0xa1), fileName: 'x.pcap' },
      'args.fileName',
    );
    expect(report(b.failures)).toEqual([]);
  });
});

/** A YAML file whose aliases expand to a billion entries, if anything expanded them. */
function bomb(): string {
  const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 9; i++) {
    const prev = String.fromCharCode(96 + i);
    const cur = String.fromCharCode(97 + i);
    lines.push(`${cur}: &${cur} [${Array(10).fill(`*${prev}`).join(', ')}]`);
  }
  return lines.join('\n');
}
