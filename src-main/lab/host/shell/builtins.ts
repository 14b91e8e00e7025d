import type { Command } from './context';

/**
 * `su [-] [root|user] [-c COMMAND]`: the lab has two accounts, root (uid 0) and an
 * unprivileged `user` (uid 1000). There are no passwords: the lab is about
 * what the kernel allows each of them, not about logging in. With `-c`, as
 * util-linux's su, only COMMAND runs as that account, and the shell stays who it was.
 */
export const su: Command = (ctx, args) => {
  let command: string | null = null;
  const names: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-' || a === '-l' || a === '--login') continue;
    if (a === '-c' || a === '--command') {
      if (i + 1 >= args.length) {
        ctx.job.print(`su: option requires an argument -- 'c'`);
        return 1;
      }
      command = args[++i];
    } else names.push(a);
  }
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
  if (command === null) return 0;
  try {
    return ctx.shell.runLine(ctx.job, command);
  } finally {
    ctx.shell.exitSu();
  }
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
  ['bridge [-d] link|fdb|mdb [show]', "a Linux bridge's ports, forwarding and multicast databases"],
  ['ping [-c N] [-s SIZE] [-i SEC] ADDR', 'send ICMP echo requests'],
  ['sysctl [-n] [-a] [-w] NAME[=VALUE]', 'read or set kernel parameters'],
  [
    'cat /proc/…',
    'read /proc/net/{dev,snmp,igmp,dev_mcast,softnet_stat,arp}, /proc/interrupts, /proc/sys/…',
  ],
  ['nicctl DEV filter|ring|set-ring …', "the card's private ioctls"],
  [
    'udprecv [-i DEV] [-b B] [-r R] G:PORT',
    'a reader: joins G with SO_RCVBUF B, reads R/s (-k ID stops)',
  ],
  ['modprobe|rmmod MODULE, lsmod', 'load and unload NIC drivers'],
  ['cable DEV [plug|unplug]', "the lab's hand: pull out or plug back a card's cable"],
  ['tcpdump [-i DEV] [-p] [-c N]', 'capture on an interface (COMMAND & runs it in the background)'],
  ['jobs, kill %N', 'list and stop background jobs'],
  ['su [-] [user|root], exit', 'switch between root and the unprivileged user'],
  ['history, help', 'this shell'],
];

export const help: Command = (ctx) => {
  ctx.job.print('netlab shell: the commands of this host');
  for (const [usage, what] of HELP) ctx.job.print(`  ${usage.padEnd(38)} ${what}`);
  return 0;
};

/** `jobs`: the background jobs of this shell, as bash lists them. */
export const jobs: Command = (ctx) => {
  const all = [...ctx.shell.background];
  all.forEach(([n, { job }], i) => {
    const mark = i === all.length - 1 ? '+' : i === all.length - 2 ? '-' : ' ';
    ctx.job.print(`[${n}]${mark}  Running                 ${job.line} &`);
  });
  return 0;
};

/**
 * `kill [-INT|-TERM|-2|-15] %N|PID`: stops a background job as its command stops on a
 * signal (tcpdump prints its counts, ping its statistics). Jobs of this shell only.
 */
export const kill: Command = (ctx, args) => {
  const targets = args.filter((a) => !/^-(INT|TERM|KILL|2|9|15|s)$/.test(a));
  if (targets.length === 0) {
    ctx.job.print(
      'kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]',
    );
    return 2;
  }
  let status = 0;
  for (const t of targets) {
    const entry = t.startsWith('%')
      ? ctx.shell.background.get(Number(t.slice(1)))
      : [...ctx.shell.background.values()].find((b) => String(b.pid) === t);
    if (!entry) {
      ctx.job.print(
        t.startsWith('%')
          ? `bash: kill: ${t}: no such job`
          : /^\d+$/.test(t)
            ? `bash: kill: (${t}) - No such process`
            : `bash: kill: ${t}: arguments must be process or job IDs`,
      );
      status = 1;
      continue;
    }
    entry.job.interrupt();
  }
  return status;
};
