import { describe, expect, it } from 'vitest';
import { apiOps, OP_NAMES } from './ops';
import { parseRequest } from './protocol';

function error(raw: unknown) {
  const r = parseRequest(raw);
  if (r.ok) throw new Error('expected a rejection');
  if (r.reply.ok) throw new Error('expected an error reply');
  return { id: r.reply.id, ...r.reply.error };
}

describe('parseRequest', () => {
  it('accepts a good request and applies the schema', () => {
    const r = parseRequest({
      id: 7,
      op: 'iface.setMtu',
      args: { host: 'h1', dev: 'eth0', mtu: 1400 },
    });
    expect(r).toEqual({
      ok: true,
      request: { id: 7, op: 'iface.setMtu', args: { host: 'h1', dev: 'eth0', mtu: 1400 } },
    });
  });

  it('treats missing args as {} for operations without arguments', () => {
    expect(parseRequest({ id: 'a', op: 'lab.get' })).toMatchObject({ ok: true });
  });

  it('names the field of a wrong type, with its path from the request root', () => {
    expect(
      error({ id: 1, op: 'iface.setMtu', args: { host: 'h1', dev: 'eth0', mtu: '1400' } }),
    ).toEqual({
      id: 1,
      code: 'bad-request',
      field: 'args.mtu',
      message: 'args.mtu: Invalid input: expected number, received string',
    });
  });

  it('names a missing field', () => {
    expect(error({ id: 2, op: 'shell.exec', args: { host: 'h1' } })).toMatchObject({
      field: 'args.line',
    });
  });

  it('names an unknown field', () => {
    expect(error({ id: 3, op: 'lab.get', args: { verbose: true } })).toEqual({
      id: 3,
      code: 'bad-request',
      field: 'args.verbose',
      message: 'unknown field "verbose"',
    });
  });

  it('names a field inside a list', () => {
    expect(error({ id: 4, op: 'capture.start', args: { points: ['segment', 7] } })).toMatchObject({
      field: 'args.points[1]',
    });
  });

  it('reports the closest branch of a union (lab.load takes text, builtin or recent)', () => {
    expect(error({ id: 5, op: 'lab.load', args: { text: 'hosts: []' } })).toMatchObject({
      field: 'args.fileName',
    });
    expect(error({ id: 6, op: 'lab.load', args: { builtin: 3 } })).toMatchObject({
      field: 'args.builtin',
    });
  });

  it('rejects an out-of-range speed', () => {
    expect(error({ id: 8, op: 'run.speed', args: { speed: 2 } })).toMatchObject({
      field: 'args.speed',
    });
    expect(parseRequest({ id: 9, op: 'run.speed', args: { speed: 'max' } })).toMatchObject({
      ok: true,
    });
  });

  it('suggests the op meant', () => {
    expect(error({ id: 10, op: 'lab.lod' })).toEqual({
      id: 10,
      code: 'unknown-op',
      field: 'op',
      message: 'unknown op "lab.lod"; did you mean "lab.load"?',
    });
  });

  it('answers a request without an id with id null, and names the field', () => {
    expect(error({ op: 'lab.get' })).toMatchObject({ id: null, field: 'id' });
    expect(error('not an object')).toMatchObject({ id: null });
    expect(error(null)).toMatchObject({ id: null });
  });

  it('does not take an inherited property for an op', () => {
    expect(error({ id: 11, op: 'toString' })).toMatchObject({ field: 'op' });
    expect(error({ id: 12, op: '__proto__' })).toMatchObject({ field: 'op' });
  });

  it("names the field's own bound, not the safe-integer range, for a huge number", () => {
    expect(
      error({ id: 13, op: 'iface.setMtu', args: { host: 'h1', dev: 'eth0', mtu: 1e308 } }),
    ).toMatchObject({
      field: 'args.mtu',
      message: 'args.mtu: Too big: expected number to be <=2147483647',
    });
  });

  it('reports the union branch that knows every field sent', () => {
    expect(error({ id: 14, op: 'lab.load', args: { recent: [] } })).toMatchObject({
      field: 'args.recent',
    });
    expect(error({ id: 15, op: 'lab.load', args: { builtin: 'x', zzz: 1 } })).toMatchObject({
      field: 'args.zzz',
    });
  });

  it('says a request that is not an object is not a request', () => {
    expect(error([{ id: 1, op: 'lab.get' }])).toEqual({
      id: null,
      code: 'bad-request',
      message: 'expected a request { id, op, args }, got an array',
    });
  });

  it('refuses args that are not a plain object (zod took a Uint8Array for one)', () => {
    expect(error({ id: 16, op: 'lab.get', args: new Uint8Array(2) })).toEqual({
      id: 16,
      code: 'bad-request',
      field: 'args',
      message: "args: expected an object of the operation's fields, got a Uint8Array",
    });
  });

  it('quotes a long unknown field name short', () => {
    const key = 'k'.repeat(100_000);
    const e = error({ id: 17, op: 'lab.get', args: { [key]: 1 } });
    expect(e.field).toBe(`args.${key}`);
    expect(e.message).toBe(`unknown field "${'k'.repeat(64)}… (100000 characters)"`);
  });

  it('refuses ioctl data nested too deep to check, where it is, and never throws', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const args = { host: 'h1', dev: 'eth0', cmd: 2, data: deep };
    expect(error({ id: 18, op: 'iface.ioctl', args })).toMatchObject({
      message: expect.stringMatching(/: nested more than 32 levels deep$/),
      field: `args.data${'[0]'.repeat(32)}`,
    });
    expect(error({ id: 19, op: 'iface.ioctl', args: { ...args, data: { rxRing: NaN } } })).toEqual({
      id: 19,
      code: 'bad-request',
      field: 'args.data.rxRing',
      message: 'args.data.rxRing: expected a finite number, got NaN',
    });
  });

  it('has a schema for the arguments and the result of every op', () => {
    for (const op of OP_NAMES) {
      expect(apiOps[op].args, op).toBeDefined();
      expect(apiOps[op].result, op).toBeDefined();
    }
  });
});
