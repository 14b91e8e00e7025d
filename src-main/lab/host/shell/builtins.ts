import type { Command } from './context';

/**
 * `su [-] [root|user]`: the lab has two accounts, root (uid 0) and an
 * unprivileged `user` (uid 1000). There are no passwords: the lab is about
 * what the kernel allows each of them, not about logging in.
 */
export const su: Command = (ctx, args) => {
  const names = args.filter((a) => a !== '-' && a !== '-l' && a !== '--login');
  if (names.some((a) => a.startsWith('-'))) {
    ctx.job.print(`su: invalid option -- '${names.find((a) => a.startsWith('-'))![1]}'`);
    return 1;
  }
  const target = names[0] ?? 'root';
  if (names.length > 1 || (target !== 'root' && target !== 'user')) {
    ctx.job.print(
      `su: user ${target} does not exist or the user entry does not contain all the required fields`,
    );
    return 1;
  }
  ctx.shell.su(target);
  return 0;
};

/** `exit`: back to the account before the last `su`; the login shell itself stays open. */
export const exit: Command = (ctx) => {
  ctx.job.print('exit');
  ctx.shell.exitSu();
  return 0;
};

/** `history [N]`: bash's numbered list (the last N lines), this line included. */
export const history: Command = (ctx, args) => {
  const all = ctx.shell.history;
  let from = 0;
  if (args.length > 0) {
    if (!/^\d+$/.test(args[0])) {
      ctx.job.print(`bash: history: ${args[0]}: numeric argument required`);
      return 1;
    }
    from = Math.max(0, all.length - Number(args[0]));
  }
  for (let i = from; i < all.length; i++) ctx.job.print(`${String(i + 1).padStart(5)}  ${all[i]}`);
  return 0;
};

export const HELP: [string, string][] = [
  ['ifconfig [-a] [DEV [options]]', 'show or configure interfaces (net-tools)'],
  ['ip link|addr|maddr|neigh|route …', 'show or configure interfaces (iproute2)'],
  ['ping [-c N] [-s SIZE] [-i SEC] ADDR', 'send ICMP echo requests'],
  ['sysctl [-n] [-a] [-w] NAME[=VALUE]', 'read or set kernel parameters'],
  [
    'cat /proc/…',
    'read /proc/net/{dev,snmp,igmp,dev_mcast,softnet_stat,arp}, /proc/interrupts, /proc/sys/…',
  ],
  ['nicctl DEV filter|ring|set-ring …', "the card's private ioctls"],
  ['modprobe|rmmod MODULE, lsmod', 'load and unload NIC drivers'],
  ['cable DEV [plug|unplug]', "the lab's hand: pull out or plug back a card's cable"],
  ['su [-] [user|root], exit', 'switch between root and the unprivileged user'],
  ['history, help', 'this shell'],
];

export const help: Command = (ctx) => {
  ctx.job.print('netlab shell: the commands of this host');
  for (const [usage, what] of HELP) ctx.job.print(`  ${usage.padEnd(38)} ${what}`);
  return 0;
};
