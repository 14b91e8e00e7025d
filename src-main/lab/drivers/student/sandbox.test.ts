import { beforeAll, describe, expect, it } from 'vitest';
import type { QuickJSWASMModule } from 'quickjs-emscripten-core';
import { loadQuickJS } from './quickjs';
import { GuestError, Sandbox } from './sandbox';

let qjs: QuickJSWASMModule;
beforeAll(async () => {
  qjs = await loadQuickJS();
});

describe('Sandbox', () => {
  it('calls numeric host functions through the fast path, and their throws carry the guest stack', () => {
    const sb = new Sandbox(qjs);
    sb.defineNumeric('add', (a) => a[0] + a[1]);
    sb.defineNumeric('boom', (a) => {
      throw new Error(`bad ${a[0]}`);
    });
    sb.defineText('greet', (name) => `hello ${String(name)}`);
    const ns = sb.loadModule(
      'export function f(x) {\n  return __h.add(x, 2);\n}\nexport function g() {\n  __h.boom(7);\n}\nexport const t = () => __h.greet("k");\n',
      'drv.js',
      100,
    );
    const get = (name: string) => sb.vm.getProp(ns, name);
    expect(sb.call(get('f'), [40], 100)).toBe(42);
    expect(sb.call(get('t'), [], 100)).toBe('hello k');
    try {
      sb.call(get('g'), [], 100);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(GuestError);
      expect((e as GuestError).guestMessage).toBe('bad 7');
      expect((e as GuestError).stack).toMatch(/at g \(drv\.js:5:/);
    }
  });

  it('stops an endless loop within its budget, at the same place every run', () => {
    const used: number[] = [];
    for (let run = 0; run < 2; run++) {
      const sb = new Sandbox(qjs);
      const fn = sb.evalScript('(function spin() { let i = 0; for (;;) i++; })', 'spin.js');
      try {
        sb.call(fn, [], 20);
        expect.unreachable();
      } catch (e) {
        expect((e as GuestError).exhausted).toBe(true);
        expect((e as GuestError).stack).toMatch(/spin\.js:1/);
      }
      used.push(sb.ticksUsed);
      fn.dispose();
      sb.dispose();
    }
    expect(used).toEqual([20, 20]);
  });

  it('refuses a heap past its limit as out of memory, and the host goes on', () => {
    const sb = new Sandbox(qjs, { memoryBytes: 4 << 20, stackBytes: 256 << 10 });
    const fn = sb.evalScript(
      '(function () { const a = []; for (;;) a.push(new Array(10000).fill(1)); })',
      'mem.js',
    );
    expect(() => sb.call(fn, [], 100000)).toThrow(/out of memory/);
    fn.dispose();
    sb.dispose();
  });

  it('gives a nested call its own budget and charges the outer one for it', () => {
    const sb = new Sandbox(qjs);
    const inner = sb.evalScript(
      '(function () { let s = 0; for (let i = 0; i < 1e6; i++) s += i; return s; })',
      'in.js',
    );
    sb.defineNumeric('nested', () => Number(sb.call(inner, [], 1000)));
    const outer = sb.evalScript('(function () { return __h.nested() + __h.nested(); })', 'out.js');
    expect(sb.call(outer, [], 1000)).toBe(2 * 499999500000);
    expect(sb.ticksUsed).toBeGreaterThan(0);
  });
});
