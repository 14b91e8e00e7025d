import { beforeAll, describe, expect, it } from 'vitest';
import { Cpu } from '../../sim/cpu';
import { Rng } from '../../sim/rng';
import { Rig } from '../../testing/rig';
import { parseMac } from '../../wire/mac';
import { Machine } from '../machine';
import { KERNEL_API_DOCS, DRIVER_OP_DOCS } from './api-doc';
import { OP_NAMES } from './prelude';
import { loadQuickJS } from './quickjs';
import { StudentNic } from './student-nic';

beforeAll(async () => {
  await loadQuickJS();
});

/** What `k` offers a driver, asked from inside the sandbox. */
function namesOfK(): string[] {
  const rig = new Rig();
  const machine = new Machine('s', rig.sched, new Cpu(), rig.pool, new Rng(1));
  const source = `export default {
    probe(k, dev) {
      k.printk(Object.keys(k).filter((n) => typeof k[n] === 'function' || n === 'jiffies').join(','));
      return -1;
    },
  };`;
  const nic = new StudentNic(machine, {
    card: 'tulip',
    name: 'eth0',
    mac: parseMac('00:00:f8:00:00:01')!,
    driver: { file: 'names.js', source },
  });
  return nic.log[0].replace(/^eth0: /, '').split(',');
}

describe('the kernel API table the editor shows', () => {
  it('documents every function k has, and nothing it lacks', () => {
    const documented = KERNEL_API_DOCS.map((e) => e.name).sort();
    expect(documented).toEqual(namesOfK().sort());
  });

  it('documents every op the kernel calls', () => {
    expect(DRIVER_OP_DOCS.map((o) => o.name)).toEqual([...OP_NAMES]);
  });
});
