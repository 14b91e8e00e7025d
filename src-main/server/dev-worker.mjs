// Starts engine/worker.ts from its TypeScript source (tests, the web host, benchmarks), through
// tsx's loader. The built app runs the bundled out/main/worker.js instead (see worker-url.ts).
import { URL } from 'node:url';
import { register } from 'tsx/esm/api';

register();
await import(new URL('../engine/worker.ts', import.meta.url).href);
