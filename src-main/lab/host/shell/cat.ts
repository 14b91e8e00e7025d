import { procIsDir, procRead } from '../../kernel/proc/proc-fs';
import { strerror } from '../../netdev/errno';
import type { Command } from './context';

/**
 * `cat FILE…` over the lab's /proc: the network files and /proc/sys. There
 * is no other filesystem, and no standard input to read.
 */
export const cat: Command = (ctx, args) => {
  const files = args.filter((a) => a !== '-u');
  if (files.length === 0) {
    ctx.job.print('cat: no file given (this shell has no standard input to read)');
    return 1;
  }
  let status = 0;
  for (const f of files) {
    if (f.startsWith('-') && f !== '-') {
      ctx.job.print(`cat: invalid option -- '${f[1]}'`);
      return 1;
    }
    if (procIsDir(ctx.kernel, f)) {
      ctx.job.print(`cat: ${f}: Is a directory`);
      status = 1;
      continue;
    }
    const text = procRead(ctx.kernel, f);
    if (typeof text === 'number') {
      ctx.job.print(`cat: ${f}: ${strerror(text)}`);
      status = 1;
    } else {
      ctx.job.printText(text);
    }
  }
  return status;
};
