// Starts grade-worker.ts from its TypeScript source (NETLAB_TSX=1, tests), through tsx's
// loader. The bundle runs out-cli/grade-worker.mjs instead (see workerScript in worker-pool.ts).
import { URL } from 'node:url';
import { register } from 'tsx/esm/api';

register();
await import(new URL('./grade-worker.ts', import.meta.url).href);
