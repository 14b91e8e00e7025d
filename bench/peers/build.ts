/**
 * Builds the peers' programs once into bench/peers/build/ (gitignored): the ns-3 scenario with
 * g++ and pkg-config against Debian's libns3-dev, the kernel sender and receiver with gcc. A
 * binary is rebuilt only when its sources or its compile command change (a hash in a stamp file).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const here = import.meta.dirname;
export const buildDir = join(here, 'build');

/** A peer that cannot run here, and why: the run prints the reason and goes on without it. */
export class Skip extends Error {}

function which(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** Compiles `sources` into build/`name` with `argv` unless the stamp says it is up to date. */
function compile(name: string, sources: string[], argv: string[]): string {
  mkdirSync(buildDir, { recursive: true });
  const out = join(buildDir, name);
  const hash = createHash('sha256');
  hash.update(JSON.stringify(argv));
  for (const s of sources) hash.update(readFileSync(s));
  const digest = hash.digest('hex');
  const stamp = `${out}.stamp`;
  if (existsSync(out) && existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) return out;
  console.error(`building ${name}: ${argv.join(' ')}`);
  const r = spawnSync(argv[0], [...argv.slice(1), '-o', out], { encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(`building ${name} failed (${argv.join(' ')}):\n${r.stderr}${r.stdout}`);
  }
  writeFileSync(stamp, digest);
  return out;
}

const NS3_MODULES = ['ns3-core', 'ns3-network', 'ns3-csma', 'ns3-internet'];

/** The ns-3 scenario's binary; throws Skip when ns-3 or a compiler is missing. */
export function buildNs3(): string {
  if (!which('g++')) throw new Skip('g++ is not installed (apt-get install g++)');
  if (!which('pkg-config'))
    throw new Skip('pkg-config is not installed (apt-get install pkg-config)');
  const exists = spawnSync('pkg-config', ['--exists', ...NS3_MODULES]);
  if (exists.status !== 0) {
    throw new Skip(
      `pkg-config finds no ${NS3_MODULES.join(', ')}: Debian's libns3-dev is not installed ` +
        '(apt-get install libns3-dev libgsl-dev)',
    );
  }
  const pc = (flag: string) =>
    execFileSync('pkg-config', [flag, ...NS3_MODULES], { encoding: 'utf8' })
      .trim()
      .split(/\s+/);
  // Debian's ns3 .pc files (3.37-2) emit a stray "-I/usr;" and Python's include directory: keep
  // only include directories that exist, and never /usr/include/ns3 itself, whose string.h
  // would shadow the C library's (headers are included as "ns3/…").
  const cflags = pc('--cflags').filter(
    (f) => f.startsWith('-I') && !f.includes(';') && !f.endsWith('/ns3') && existsSync(f.slice(2)),
  );
  const libs = pc('--libs').filter((f) => f !== '');
  // The .pc files name libgsl.so and libsqlite3.so by path: missing -dev packages show here.
  for (const f of libs) {
    if (f.startsWith('/') && !existsSync(f)) {
      const pkg = f.includes('gsl') ? 'libgsl-dev' : f.includes('sqlite') ? 'libsqlite3-dev' : '?';
      throw new Skip(`ns-3's pkg-config names ${f}, which is missing (apt-get install ${pkg})`);
    }
  }
  const src = join(here, 'ns3', 'csma-flood.cc');
  return compile('csma-flood', [src], ['g++', '-O2', '-std=c++17', ...cflags, src, ...libs]);
}

/** The kernel peer's sender and receiver; throws Skip when gcc is missing. */
export function buildKernel(): { sender: string; receiver: string } {
  if (!which('gcc')) throw new Skip('gcc is not installed (apt-get install gcc)');
  const dir = join(here, 'kernel');
  const common = join(dir, 'common.h');
  const bin = (name: string) => {
    const src = join(dir, `${name}.c`);
    return compile(name, [src, common], ['gcc', '-O2', '-Wall', '-Wextra', src]);
  };
  return { sender: bin('sender'), receiver: bin('receiver') };
}
