// The `netlab` command's compiled JavaScript: src-main/cli bundled by esbuild into out-cli/
// (gitignored), so that the command starts without compiling TypeScript (tsx took 2.3-2.6 s
// to start on this project's machines; the bundle starts about as fast as Node itself).
//
// `npm ci` builds it (package.json's `prepare`); `node bin/cli-bundle.mjs` rebuilds it by hand.
// bin/netlab.mjs asks `bundleIsFresh()` first and rebuilds when any source the bundle was
// made from has changed, so nobody ever runs stale code: the check stats the bundle's inputs
// (listed in out-cli/manifest.json with the mtime and size each had), a few milliseconds.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const OUT_DIR = join(ROOT, 'out-cli');
export const ENTRY = join(OUT_DIR, 'main.mjs');
/**
 * Files that change what esbuild makes of the sources without being inputs themselves. The
 * packages' own files are not statted one by one: npm rewrites its hidden lockfile whenever it
 * changes node_modules.
 */
const BUILD_FILES = [
  'package.json',
  'package-lock.json',
  'node_modules/.package-lock.json',
  'bin/cli-bundle.mjs',
];
/** An unreferenced chunk is removed once this old: a process started before may still load it. */
const CHUNK_GRACE_MS = 10 * 60_000;

/** A file's mtime (whole milliseconds, as a Date keeps it) and size. */
function stamp(path) {
  const s = statSync(path);
  return [Math.floor(s.mtimeMs), s.size];
}

/** True when out-cli/ holds a bundle of exactly today's sources. */
export function bundleIsFresh(outDir = OUT_DIR) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(outDir, 'manifest.json'), 'utf8'));
  } catch {
    return false;
  }
  for (const [file, [mtime, size]] of Object.entries(manifest.inputs)) {
    let now;
    try {
      now = stamp(join(ROOT, file));
    } catch {
      return false;
    }
    if (now[0] !== mtime || now[1] !== size) return false;
  }
  return existsSync(join(outDir, 'main.mjs'));
}

/** Writes a file whole or not at all: concurrent starts may build at the same moment. */
function writeAtomic(path, contents) {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, contents);
  renameSync(tmp, path);
}

/**
 * Bundles src-main/cli/main.ts with its dependencies into out-cli/main.mjs plus chunks that
 * each subcommand imports when it runs (so `--help` loads no lab code), and the script of
 * `netlab grade`'s worker threads into out-cli/grade-worker.mjs. Throws with esbuild's
 * messages when the sources do not build.
 */
export async function buildBundle(outDir = OUT_DIR) {
  const entryPath = join(outDir, 'main.mjs');
  const chunks = join(outDir, 'chunks');
  const esbuild = await import('esbuild');
  const started = Date.now();
  const result = await esbuild.build({
    entryPoints: {
      main: join(ROOT, 'src-main/cli/main.ts'),
      // `netlab grade`'s worker threads run this beside main.mjs (see worker-pool.ts).
      'grade-worker': join(ROOT, 'src-main/cli/grade-worker.ts'),
    },
    absWorkingDir: ROOT,
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    // Whitespace and syntax only: names stay, so stack traces and `constructor.name` read as
    // in the sources.
    minifyWhitespace: true,
    minifySyntax: true,
    // Bundled CommonJS packages (cli-progress) call require() for Node's own modules.
    banner: {
      js: "import { createRequire as __netlabRequire } from 'node:module'; const require = __netlabRequire(import.meta.url);",
    },
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  mkdirSync(chunks, { recursive: true });
  // Chunks are named by their content's hash, so writing one another build also wrote is
  // harmless; main.mjs goes last, when every chunk and worker script it uses is in place.
  const entry = result.outputFiles.find((f) => f.path === entryPath);
  for (const f of result.outputFiles) if (f !== entry) writeAtomic(f.path, f.contents);
  writeAtomic(entryPath, entry.contents);
  const inputs = {};
  const sources = Object.keys(result.metafile.inputs).filter((f) => !f.includes('node_modules/'));
  for (const file of [...sources, ...BUILD_FILES]) {
    const path = resolve(ROOT, file);
    if (!existsSync(path)) continue;
    const s = stamp(path);
    // A source saved while esbuild read it may not be what was bundled: rebuild next time.
    inputs[relative(ROOT, path)] = s[0] > started ? [-1, -1] : s;
  }
  writeAtomic(join(outDir, 'manifest.json'), JSON.stringify({ inputs }, null, 1) + '\n');
  const keep = new Set(result.outputFiles.map((f) => f.path));
  for (const name of readdirSync(chunks)) {
    const path = join(chunks, name);
    if (!keep.has(path) && Date.now() - statSync(path).mtimeMs > CHUNK_GRACE_MS)
      rmSync(path, { force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    await buildBundle();
    process.stdout.write(`netlab: built ${relative(process.cwd(), ENTRY)}\n`);
  } catch (e) {
    process.stderr.write(`netlab: could not build the command: ${e.message}\n`);
    process.exitCode = 1;
  }
}
