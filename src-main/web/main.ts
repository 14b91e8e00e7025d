// `npm run web [-- --port N]`: the lab in a browser. Starts the engine, serves the built renderer
// (run `npm run build` first) and the API on 127.0.0.1, and prints the URL to open, token included.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { ApiServer } from '../server/api-server';
import { BuiltinLabs } from '../server/builtin-labs';
import { EngineClient } from '../server/client';
import { RecentFiles } from '../server/recent-files';
import { listenErrorMessage } from './listen-error';
import { startWebHost, type WebHost } from './server';

const repoRoot = join(import.meta.dirname, '..', '..');

function portOption(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 65535)
    throw new InvalidArgumentError('expected a port from 0 to 65535');
  return n;
}

const program = new Command('netlab-web')
  .description('Serve the netlab UI and its API to a browser on 127.0.0.1')
  .option('--port <n>', 'port to listen on (default: a free one)', portOption, 0)
  .option('--renderer <dir>', 'the built renderer', join(repoRoot, 'out', 'renderer'))
  .parse();

const opts = program.opts<{ port: number; renderer: string }>();
if (!existsSync(join(opts.renderer, 'index.html'))) {
  process.stderr.write(
    `netlab web: ${opts.renderer} has no index.html; run \`npm run build\` first\n`,
  );
  process.exit(2);
}

const version = (
  JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }
).version;
const engine = new EngineClient();
const api = new ApiServer({
  host: 'web',
  version,
  engine,
  builtins: new BuiltinLabs(join(repoRoot, 'resources', 'labs')),
  recent: new RecentFiles(null),
});
let host: WebHost;
try {
  host = await startWebHost({
    api,
    rendererDir: opts.renderer,
    port: opts.port,
    onNotice: (text) =>
      process.stderr.write(`netlab web: ${text}
`),
  });
} catch (e) {
  process.stderr.write(`netlab web: ${listenErrorMessage(e, opts.port)}
`);
  await engine.close();
  process.exit(1);
}
engine.onEvent((event, data) => {
  if (event === 'engine')
    process.stderr.write(`netlab web: ${(data as { message: string }).message}\n`);
});
process.stdout.write(`netlab web: open ${host.url}\n`);

const stop = () => {
  void host
    .close()
    .then(() => engine.close())
    .then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
