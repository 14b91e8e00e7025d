import type { UdpSocket } from '../../kernel/udp-socket';
import { ENODEV, strerror } from '../../netdev/errno';
import type { NetDevice } from '../../netdev/net-device';
import { formatIpv4, isMulticastIp, parseIpv4 } from '../../wire/ipv4-addr';
import type { Host } from '../host';
import { UdpReader } from '../udp-reader';
import type { Command, CommandContext } from './context';
import { parseIntStrict } from './devices';

const USAGE = [
  'Usage: udprecv [-i DEV] [-b SO_RCVBUF] [-r RATE] [GROUP:]PORT   start a reader',
  '       udprecv                                                 list the readers',
  '       udprecv -k ID                                           stop reader ID',
];

/** One receiving application started from a shell: a socket and the loop that reads it. */
interface Receiver {
  sock: UdpSocket;
  reader: UdpReader;
  group: number | null;
  dev: NetDevice | null;
  /** SO_RCVBUF as asked for, or null when the application left rmem_default alone. */
  asked: number | null;
}

/**
 * The readers each host runs. They belong to the host, not to one shell: the
 * window, a solution and a check each open their own Shell on the same host.
 */
const running = new WeakMap<Host, Map<number, Receiver>>();

function receiversOf(host: Host): Map<number, Receiver> {
  let map = running.get(host);
  if (!map) running.set(host, (map = new Map()));
  // A socket the lab closed (its teardown) has no reader left to list.
  for (const [id, r] of map) if (r.sock.closed) map.delete(id);
  return map;
}

/** `-b 262144`, `-b 256K`, `-b 4M`: bytes, with iperf's binary K and M. */
function parseBytes(text: string): number | null {
  const m = /^(\d+)([kKmM]?)$/.exec(text);
  if (!m) return null;
  const n = Number(m[1]) * (m[2] === '' ? 1 : /k/i.test(m[2]) ? 1024 : 1024 * 1024);
  return Number.isSafeInteger(n) && n <= 0x7fffffff ? n : null;
}

/** `-r 1000`, `-r 1000pps`, `-r 1000/s`: datagrams read per second; `max` reads each at once. */
function parseRate(text: string): number | null {
  if (text === 'max') return Infinity;
  const m = /^(\d+(?:\.\d+)?)(pps|\/s)?$/.exec(text);
  if (!m) return null;
  const n = Number(m[1]);
  return n > 0 ? n : null;
}

/**
 * `udprecv`: a receiving application, the shell's way to do what a lab
 * file's `join` entry does. It opens a UDP socket, sets SO_RCVBUF if asked
 * (`-b`: the kernel caps it at net.core.rmem_max and doubles it, as
 * setsockopt does), binds PORT with SO_REUSEADDR, joins GROUP on DEV
 * (IP_ADD_MEMBERSHIP; the kernel picks the card when no -i is given) and
 * reads RATE datagrams a second (`-r`; default as fast as they come). It runs
 * in the background until `udprecv -k ID` closes its socket, which leaves
 * the group. Without arguments it lists the host's readers with their
 * socket's memory, as `ss -u -m` would.
 */
export const udprecv: Command = (ctx, args) => {
  if (args.length === 0) return list(ctx);
  if (args[0] === '-k') return stop(ctx, args.slice(1));
  if (args[0] === '-h' || args[0] === '--help') {
    ctx.job.print(...USAGE);
    return 0;
  }
  let devName: string | null = null;
  let rcvbuf: number | null = null;
  let rate = Infinity;
  let target: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-i' || a === '-b' || a === '-r') {
      const v = args[++i];
      if (v === undefined) return usage(ctx, `option ${a} needs a value`);
      if (a === '-i') devName = v;
      else if (a === '-b') {
        rcvbuf = parseBytes(v);
        if (rcvbuf === null)
          return usage(ctx, `bad SO_RCVBUF "${v}" (bytes, such as 262144 or 256K)`);
      } else {
        const r = parseRate(v);
        if (r === null) return usage(ctx, `bad read rate "${v}" (datagrams a second, or max)`);
        rate = r;
      }
    } else if (a.startsWith('-')) return usage(ctx, `unknown option ${a}`);
    else if (target !== null)
      return usage(ctx, `one [GROUP:]PORT only, got "${target}" and "${a}"`);
    else target = a;
  }
  if (target === null) return usage(ctx, 'no [GROUP:]PORT given');
  const colon = target.lastIndexOf(':');
  const port = parseIntStrict(colon < 0 ? target : target.slice(colon + 1));
  if (port === null || port < 1 || port > 65535)
    return usage(ctx, `bad port in "${target}" (1 to 65535)`);
  let group: number | null = null;
  if (colon >= 0) {
    group = parseIpv4(target.slice(0, colon));
    if (group === null || !isMulticastIp(group))
      return usage(ctx, `"${target.slice(0, colon)}" is not a multicast group (224.0.0.0/4)`);
  }
  const k = ctx.kernel;
  let dev: NetDevice | null = null;
  if (devName !== null) {
    dev = k.devByName(devName) ?? null;
    if (dev === null) {
      ctx.job.print(`udprecv: ${devName}: No such device`);
      return 1;
    }
  }

  const udp = k.udp;
  const sock = udp.socket();
  sock.reuseAddr = true;
  const fail = (call: string, ret: number): number => {
    udp.close(sock);
    ctx.job.print(`udprecv: ${call}: ${strerror(ret)}`);
    return 1;
  };
  if (rcvbuf !== null) {
    const ret = udp.setRcvbuf(sock, rcvbuf);
    if (ret < 0) return fail('setsockopt(SO_RCVBUF)', ret);
  }
  let ret = udp.bind(sock, 0, port, ctx.cred);
  if (ret < 0) return fail('bind', ret);
  if (group !== null) {
    ret = udp.addMembership(sock, group, dev);
    if (ret < 0) {
      const status = fail('setsockopt(IP_ADD_MEMBERSHIP)', ret);
      // With no interface named, the kernel picks one by routing the group: no route, no device.
      if (ret === -ENODEV && dev === null)
        ctx.job.print(`udprecv: no route to ${formatIpv4(group)}: name the interface with -i DEV`);
      return status;
    }
  }
  const reader = new UdpReader(k, sock, rate);
  const r: Receiver = { sock, reader, group, dev, asked: rcvbuf };
  receiversOf(ctx.host).set(sock.id, r);
  const on = group === null ? `port ${port}` : `${formatIpv4(group)}:${port}`;
  const via = group === null ? '' : ` on ${(dev ?? sock.memberships[0].dev).name}`;
  ctx.job.print(
    `udprecv ${sock.id}: socket ${sock.id} receiving ${on}${via}, reading ${rateText(rate)}`,
    // What getsockopt(SO_RCVBUF) returns, as iperf prints it after setting it.
    `  SO_RCVBUF ${rcvbuf === null ? 'not set (rmem_default)' : `${rcvbuf} asked`}; getsockopt says ${sock.rcvbuf}`,
  );
  return 0;
};

function rateText(rate: number): string {
  return rate === Infinity ? 'each datagram as it comes' : `${rate} datagrams/s`;
}

function list(ctx: CommandContext): number {
  const rs = [...receiversOf(ctx.host).values()];
  if (rs.length === 0) {
    ctx.job.print('udprecv: no readers on this host');
    return 0;
  }
  const rows = [['ID', 'LOCAL', 'GROUP', 'RATE', 'RCVBUF', 'RMEM', 'QUEUED', 'READ', 'DROPS']];
  for (const r of rs) {
    const s = r.sock;
    rows.push([
      String(s.id),
      `${formatIpv4(s.localAddr)}:${s.localPort}`,
      r.group === null ? '-' : `${formatIpv4(r.group)}@${s.memberships[0]?.dev.name ?? '-'}`,
      r.reader.rate === Infinity ? 'max' : `${r.reader.rate}/s`,
      String(s.rcvbuf),
      String(s.rmemAlloc),
      String(s.receiveQueue.qlen),
      String(s.read),
      String(s.drops),
    ]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  for (const row of rows)
    ctx.job.print(
      row
        .map((v, c) => v.padEnd(widths[c]))
        .join('  ')
        .trimEnd(),
    );
  return 0;
}

function stop(ctx: CommandContext, args: string[]): number {
  const id = args.length === 1 ? parseIntStrict(args[0]) : null;
  if (id === null) return usage(ctx, 'udprecv -k takes one reader ID (see udprecv)');
  const map = receiversOf(ctx.host);
  const r = map.get(id);
  if (!r) {
    ctx.job.print(`udprecv: no reader ${id} on this host`);
    return 1;
  }
  r.reader.stop();
  ctx.kernel.udp.close(r.sock);
  map.delete(id);
  ctx.job.print(`udprecv ${id}: stopped (socket closed${r.group === null ? '' : ', group left'})`);
  return 0;
}

function usage(ctx: CommandContext, why: string): number {
  ctx.job.print(`udprecv: ${why}`, ...USAGE);
  return 2;
}
