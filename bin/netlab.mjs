#!/usr/bin/env node
// The `netlab` command: runs the TypeScript CLI through tsx's loader, so the
// command is always the code in src-main/cli with no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src-main/cli/main.ts');
