// Handed-in attempts re-graded: a student's session is driven through the engine as the window
// drives it (shell lines, interface requests, the clock running and paused at any moment,
// Run exercise), handed in, and `netlab grade` must rebuild the very same lab and verdicts.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { Engine } from '../engine/engine';
import type { EngineOpName, EngineOpArgs } from '../engine/engine-ops';
import { loadQuickJS } from '../lab/drivers/student/quickjs';
import { deriveStarter } from '../lab/exercise/starter';
import { referenceKey } from '../lab/labfile/build';
import { parseLabSpec } from '../lab/labfile/load';
import { readAttempt } from './grade-attempt';

const ROOT = resolve(import.meta.dirname, '../..');
const LABS = join(ROOT, 'resources/labs');

function netlab(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/netlab.mjs'), ...args], {
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The command run from the TypeScript sources through tsx, as before the bundle. */
function netlabTsx(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/netlab.mjs'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, NETLAB_TSX: '1' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** An engine as the worker hosts it, called as the worker calls it. */
function student(lab: string) {
  const engine = new Engine(() => {});
  const call = <K extends EngineOpName>(op: K, args: EngineOpArgs<K>) =>
    engine.handle(op, args as never);
  call('lab.load', {
    text: readFileSync(join(LABS, `${lab}.yaml`), 'utf8'),
    fileName: `${lab}.yaml`,
  });
  return { engine, call };
}

/** A driver exercise as the window loads it: the lab, its starter made from the reference. */
async function driverStudent(lab: string) {
  await loadQuickJS();
  const text = readFileSync(join(LABS, `${lab}.yaml`), 'utf8');
  const tulip = readFileSync(join(ROOT, 'resources/drivers/tulip.js'), 'utf8');
  const starter = parseLabSpec(text, `${lab}.yaml`).spec!.exercise!.starter!;
  const engine = new Engine(() => {});
  const call = <K extends EngineOpName>(op: K, args: EngineOpArgs<K>) =>
    engine.handle(op, args as never);
  const source = deriveStarter({ file: 'tulip.js', source: tulip }, starter);
  call('lab.load', {
    text,
    fileName: `${lab}.yaml`,
    drivers: { [starter.file]: source, [referenceKey('tulip')]: tulip },
  });
  return { engine, call, source };
}

function exerciseOf(lab: string) {
  return parseLabSpec(readFileSync(join(LABS, `${lab}.yaml`), 'utf8'), `${lab}.yaml`).spec!
    .exercise!;
}

const wall = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('netlab grade', { timeout: 120_000 }, () => {
  it('a handed-in attempt that fixed the IRQ clash grades to the verdicts the window showed', async () => {
    const { engine, call } = student('irq-clash');
    const before = call('exercise.check', {});
    expect(before.ran).toBe(false);
    // Before the run, a check on the lab's state is pending, not failed.
    // An answer check grades the answer at once (here: none yet).
    expect(before.results.map((r) => r.pass)).not.toContain(true);
    expect(before.results.filter((r) => r.pending).map((r) => r.title)).toEqual(
      exerciseOf('irq-clash')
        .checks.filter((c) => c.answer === undefined)
        .map((c) => c.title),
    );
    expect(call('shell.exec', { host: 'h1', line: 'ifconfig eth1 up' }).output.join('\n')).toMatch(
      /Device or resource busy/,
    );
    call('shell.exec', { host: 'h1', line: 'ifconfig eth1 irq 5' });
    call('shell.exec', { host: 'h1', line: 'ifconfig eth1 up' });
    // The diagnosis, as the lab's own solution answers it.
    const answers = Object.entries(exerciseOf('irq-clash').solution?.answers ?? {});
    for (const [id, value] of answers) call('exercise.answer', { id, value });
    const ran = await call('exercise.run', {});
    expect(ran.ran).toBe(true);
    expect(ran.passed).toBe(ran.results.length);
    const handed = call('exercise.handIn', { student: 'Ada Lovelace' });
    engine.close();
    expect(handed.fileName).toBe('ada-lovelace-irq-clash.attempt.yaml');

    const dir = mkdtempSync(join(tmpdir(), 'netlab-grade-'));
    const file = join(dir, handed.fileName);
    writeFileSync(file, handed.text);
    const attempt = readAttempt(file);
    expect(attempt.journal.map((e) => e.line ?? e.op)).toEqual([
      'ifconfig eth1 up',
      'ifconfig eth1 irq 5',
      'ifconfig eth1 up',
      ...answers.map(() => 'exercise.answer'),
      'exercise.run',
    ]);
    expect(attempt.verdicts.every((v) => v.pass)).toBe(true);

    const r = netlab('grade', file);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const n = ran.results.length;
    expect(r.out).toContain(`${n}/${n} checks passed`);
    expect(r.out).toContain('agrees with the verdicts the window showed');
    for (const c of ran.results) expect(r.out).toContain(`PASS ${c.title}`);

    // A verdict changed by hand no longer agrees: the grade comes from the replay, not the file.
    const data = parse(handed.text);
    data.verdicts[0].pass = false;
    const forged = join(dir, 'forged.attempt.yaml');
    writeFileSync(forged, stringify(data));
    const f = netlab('grade', forged);
    expect(f.code).toBe(0);
    expect(f.out).toContain(`${n}/${n} checks passed`);
    expect(f.out).toContain('DIFFERS from the verdicts the window showed');
  });

  it('a router made in the topology editor is journaled and grades as the window showed', async () => {
    const { engine, call } = student('router-ttl');
    // The fix through the editor instead of the shell: r forwards, h2 has its way back.
    call('host.setForwarding', { host: 'r', on: true });
    call('route.add', { host: 'h2', to: 'default', via: '10.0.2.1' });
    const answers = Object.entries(exerciseOf('router-ttl').solution?.answers ?? {});
    for (const [id, value] of answers) call('exercise.answer', { id, value });
    const ran = await call('exercise.run', {});
    expect(ran.passed).toBe(ran.results.length);
    const handed = call('exercise.handIn', { student: 'Ada Lovelace' });
    engine.close();

    const dir = mkdtempSync(join(tmpdir(), 'netlab-grade-'));
    const file = join(dir, handed.fileName);
    writeFileSync(file, handed.text);
    expect(readAttempt(file).journal.slice(0, 2)).toEqual([
      { at: 0, events: 0, op: 'host.setForwarding', args: { host: 'r', on: true } },
      { at: 0, events: 0, op: 'route.add', args: { host: 'h2', to: 'default', via: '10.0.2.1' } },
    ]);
    const r = netlab('grade', file);
    expect(r.err).toBe('');
    const n = ran.results.length;
    expect(r.out).toContain(`${n}/${n} checks passed`);
    expect(r.out).toContain('agrees with the verdicts the window showed');
  });

  it('an attempt handed in untouched grades as pending, and a folder grades one line each', async () => {
    const { engine, call } = student('irq-clash');
    const handed = call('exercise.handIn', { student: 'Bob' });
    engine.close();
    const dir = mkdtempSync(join(tmpdir(), 'netlab-grade-'));
    writeFileSync(join(dir, handed.fileName), handed.text);
    const one = netlab('grade', join(dir, handed.fileName));
    expect(one.out).toMatch(/^PENDING .+: the exercise was not run$/m);
    expect(one.out).toContain('agrees with the verdicts the window showed');

    writeFileSync(join(dir, 'broken.attempt.yaml'), 'netlabAttempt: 7\n');
    writeFileSync(join(dir, 'notes.txt'), 'not an attempt');
    const r = netlab('grade', dir);
    expect(r.out.trim().split('\n')).toEqual([
      `bob-irq-clash.attempt.yaml  0/${exerciseOf('irq-clash').checks.length}  agrees`,
      expect.stringMatching(
        /^broken\.attempt\.yaml {2}not graded: .*netlabAttempt: expected netlabAttempt: 1$/,
      ),
    ]);
    expect(r.code).toBe(2);
  });

  it('a reader that stops after the first line ends the grading quietly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netlab-grade-'));
    for (const name of ['Ann', 'Ben', 'Cat', 'Dan']) {
      const { engine, call } = student('irq-clash');
      writeFileSync(
        join(dir, `${name}.attempt.yaml`),
        call('exercise.handIn', { student: name }).text,
      );
      engine.close();
    }
    for (const jobs of ['1', '2']) {
      // `netlab grade DIR | head -1`: the pipe closes once the first line is in.
      const child = spawn(process.execPath, [
        join(ROOT, 'bin/netlab.mjs'),
        'grade',
        dir,
        '--jobs',
        jobs,
      ]);
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.stdout.once('data', () => child.stdout.destroy());
      const code = await new Promise<number | null>((r) => child.on('close', r));
      expect(err).toBe('');
      expect(code).not.toBeNull();
    }
  });

  it('grades a class on a pool of threads exactly as one after another: same lines, same order, same exit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netlab-grade-'));
    const hand = async (lab: string, name: string, solve: boolean) => {
      const { engine, call } = student(lab);
      if (solve)
        for (const [id, value] of Object.entries(exerciseOf(lab).solution?.answers ?? {}))
          call('exercise.answer', { id, value });
      await call('exercise.run', {});
      const handed = call('exercise.handIn', { student: name });
      engine.close();
      writeFileSync(join(dir, handed.fileName), handed.text);
    };
    await hand('irq-clash', 'Ada', true);
    await hand('router-ttl', 'Bob', false);
    await hand('hash-collisions', 'Cy', false);
    await hand('irq-clash', 'Dee', false);
    await hand('router-ttl', 'Eve', true);
    writeFileSync(join(dir, 'broken.attempt.yaml'), 'netlabAttempt: 7\n');
    writeFileSync(join(dir, 'cut.attempt.yaml'), 'netlabAttempt: 1\nstudent: [\n');

    const serial = netlab('grade', dir, '--jobs', '1');
    // A line for each attempt, in its file name's order (YAML's message for the cut one runs
    // on over lines of its own).
    const heads = serial.out.split('\n').filter((l) => /^\S+\.attempt\.yaml {2}/.test(l));
    expect(heads.map((l) => l.split(' ')[0])).toEqual(
      readdirSync(dir)
        .filter((f) => f.endsWith('.attempt.yaml'))
        .sort(),
    );
    expect(heads.filter((l) => l.includes('  not graded: '))).toHaveLength(2);
    expect(heads.filter((l) => / {2}\d\/\d {2}agrees$/.test(l))).toHaveLength(5);
    expect(serial.err).toBe('');
    expect(serial.code).toBe(2);
    for (const jobs of ['3', '2', '16'])
      expect(netlab('grade', dir, '--jobs', jobs)).toEqual(serial);
    // The default (half the cores) and the worker run from the TypeScript sources.
    expect(netlab('grade', dir)).toEqual(serial);
    expect(netlabTsx('grade', dir, '--jobs', '3')).toEqual(serial);

    const bad = netlab('grade', dir, '--jobs', '0');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^netlab: --jobs: expected a whole number/);
  });

  it('replays requests made while the clock ran, at the simulated time each came: the same lab, counter for counter', async () => {
    const { engine, call } = student('hash-collisions');
    call('run.start', { speed: 'max' });
    await wall(60);
    call('iface.join', { host: 'h2', dev: 'eth0', group: '239.1.1.9' });
    call('shell.exec', { host: 'h1', line: 'ip maddr add 01:00:5e:00:00:fb dev eth0' });
    await wall(60);
    call('generators.stop', { name: call('generators.list', {})[0].name });
    call('iface.setFlag', { host: 'h1', dev: 'eth0', flag: 'promisc', on: true });
    await wall(40);
    call('run.pause', {});
    const live = call('stats.get', {}).report;
    const handed = call('exercise.handIn', { student: 'Cy' });
    engine.close();
    expect(live.simTimeNs).toBeGreaterThan(0);
    // h1's hash lets the flood in (h2's perfect filter keeps everything out: no host announces
    // itself with a gratuitous ARP, as Linux does not by default).
    expect(live.hosts.h1.devices.eth0.stats?.rx_packets).toBeGreaterThan(0);

    // Replayed here, through the same engine operations, the lab is the one handed in.
    const dir = mkdtempSync(join(tmpdir(), 'netlab-grade-'));
    const file = join(dir, handed.fileName);
    writeFileSync(file, handed.text);
    const attempt = readAttempt(file);
    expect(attempt.journal.map((e) => e.op)).toEqual([
      'iface.join',
      'shell',
      'generators.stop',
      'iface.setFlag',
    ]);
    const replayed = new Engine(() => {});
    replayed.handle('lab.load', { text: JSON.stringify(attempt.lab), fileName: attempt.file });
    for (const [i, e] of attempt.journal.entries()) await replayed.replay(e, `journal[${i}]`);
    replayed.advanceTo(attempt.end.at, attempt.end.events, 'end');
    expect(replayed.handle('stats.get', {}).report).toEqual(live);
    replayed.close();

    const r = netlab('grade', file);
    expect(r.code).toBe(0);
    expect(r.out).toContain('agrees with the verdicts the window showed');
  });

  it('says what is wrong with a bad attempt file, naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netlab-grade-'));
    const bad = join(dir, 'x.attempt.yaml');
    writeFileSync(bad, 'netlabAttempt: 1\nstudent: a\n');
    const r = netlab('grade', bad);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^netlab: .*x\.attempt\.yaml: exercise: /);
    // A lab with external ports ran on the wall clock, with frames from outside: no replay.
    const { engine, call } = student('irq-clash');
    const data = parse(call('exercise.handIn', { student: 'Dee' }).text);
    engine.close();
    data.lab.ports = [{ name: 'qemu', listen: 7000, remote: '127.0.0.1:7001' }];
    const ported = join(dir, 'ported.attempt.yaml');
    writeFileSync(ported, stringify(data));
    const p = netlab('grade', ported);
    expect(p.code).toBe(2);
    expect(p.err).toContain('ported.attempt.yaml: the lab has external ports');
    const missing = netlab('grade', join(dir, 'nope.attempt.yaml'));
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('nope.attempt.yaml: no such file');
  });

  for (const when of ['after', 'before'] as const)
    it(`a driver exercise grades with the driver the student reloaded ${when} Reset`, async () => {
      const { engine, call, source } = await driverStudent('driver-tulip-stats');
      // The starter first: getStats does not report what the card missed.
      const first = await call('exercise.run', {});
      expect(first.passed).toBeLessThan(first.results.length);
      // The student writes getStats and reloads it; Reset brings the flood back.
      const fixed = source.replace(
        /getStats\(k, dev\) \{\n/,
        'getStats(k, dev) {\n    if (k.netif_running(dev)) dev.stats.rx_missed_errors += k.ioread32(dev.base_addr + CSR8) & 0xffff;\n',
      );
      const reload = () =>
        expect(call('driver.reload', { host: 'h1', dev: 'eth0', text: fixed }).ok).toBe(true);
      if (when === 'before') reload();
      call('exercise.reset', {});
      if (when === 'after') reload();
      const ran = await call('exercise.run', {});
      expect(ran.passed).toBe(ran.results.length);
      const handed = call('exercise.handIn', { student: 'Dee' });
      engine.close();

      const dir = mkdtempSync(join(tmpdir(), 'netlab-grade-'));
      const file = join(dir, handed.fileName);
      writeFileSync(file, handed.text);
      const attempt = readAttempt(file);
      // Reloaded before Reset: the lab starts with it. After: the journal reloads it.
      expect(attempt.drivers?.['driver-tulip-stats.js']).toBe(when === 'before' ? fixed : source);
      expect(attempt.journal.map((e) => e.op)).toEqual(
        when === 'before' ? ['exercise.run'] : ['driver.reload', 'exercise.run'],
      );

      const r = netlab('grade', file);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(r.out).toContain(`${ran.results.length}/${ran.results.length} checks passed`);
      expect(r.out).toContain('agrees with the verdicts the window showed');

      // Graded with the starter in place of the student's driver, it no longer passes: the
      // grade comes from the driver the attempt file carries (or the reload it journaled).
      const data = parse(handed.text);
      if (when === 'before') data.drivers['driver-tulip-stats.js'] = source;
      else data.journal[0].args.text = source;
      const swapped = join(dir, 'swapped.attempt.yaml');
      writeFileSync(swapped, stringify(data));
      const s2 = netlab('grade', swapped);
      expect(s2.out).toMatch(/^FAIL /m);
      expect(s2.out).toContain('DIFFERS from the verdicts the window showed');
    });
});
