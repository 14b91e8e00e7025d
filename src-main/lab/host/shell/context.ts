import type { Kernel } from '../../kernel/kernel';
import type { Cred } from '../../netdev/cred';
import type { Host } from '../host';
import type { ShellJob } from './job';
import type { Shell } from './shell';

/** What a command runs with: its host, the caller's credential, and its job to print into. */
export interface CommandContext {
  readonly shell: Shell;
  readonly host: Host;
  readonly kernel: Kernel;
  /** The credential the command was started with (`su` changes the next command's). */
  readonly cred: Cred;
  readonly job: ShellJob;
}

/**
 * A command: returns its exit status, or null when it runs on in simulated
 * time and will call `ctx.job.finish` itself.
 */
export type Command = (ctx: CommandContext, args: string[]) => number | null;
