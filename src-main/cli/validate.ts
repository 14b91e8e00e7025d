import { loadSpec } from './read-spec';
import { forTerminal } from './terminal-text';

/** `netlab validate LAB`: exit 0 for a good file; every error and exit 2 for a bad one. */
export function validateCommand(labPath: string): void {
  const spec = loadSpec(labPath);
  const hosts = spec.hosts.length;
  process.stdout.write(`${forTerminal(labPath)}: ok (${hosts} host${hosts === 1 ? '' : 's'})\n`);
}
