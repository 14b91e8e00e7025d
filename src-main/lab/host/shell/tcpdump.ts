import { capableNetAdmin } from '../../netdev/cred';
import { devSetPromiscuity } from '../../netdev/dev';
import { IFF_UP } from '../../netdev/flags';
import type { NetDevice, PacketTap } from '../../netdev/net-device';
import { ETH_HLEN, ETH_P_ARP, ETH_P_IP } from '../../wire/ethernet';
import { formatMac } from '../../wire/mac';
import type { Command, CommandContext } from './context';
import { parseIntStrict } from './devices';
import type { ShellJob } from './job';

/** Lines printed per capture before tcpdump only counts (a terminal is not a capture store). */
const MAX_LINES = 1000;

const USAGE = ['Usage: tcpdump [-p] [-c count] [-i interface]'];

/** `HH:MM:SS.uuuuuu` of a simulated time, as tcpdump stamps a packet. */
function stamp(ns: number): string {
  const us = Math.floor(ns / 1000);
  const s = Math.floor(us / 1e6);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(Math.floor(s / 3600) % 24)}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}.${String(us % 1e6).padStart(6, '0')}`;
}

const ip4 = (b: Uint8Array, at: number) => `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
const u16 = (b: Uint8Array, at: number) => (b[at] << 8) | b[at + 1];

/** tcpdump's one-line summary of an Ethernet frame (as with -n: no names to resolve). */
export function summarize(b: Uint8Array, at: number, len: number): string {
  if (len < ETH_HLEN) return `[|ether]`;
  const type = u16(b, at + 12);
  const p = at + ETH_HLEN;
  const end = at + len;
  if (type === ETH_P_ARP && end - p >= 28) {
    const op = u16(b, p + 6);
    if (op === 1) return `ARP, Request who-has ${ip4(b, p + 24)} tell ${ip4(b, p + 14)}, length 28`;
    if (op === 2)
      return `ARP, Reply ${ip4(b, p + 14)} is-at ${formatMac(b.subarray(p + 8, p + 14))}, length 28`;
    return `ARP, op ${op}, length 28`;
  }
  if (type === ETH_P_IP && end - p >= 20) {
    const ihl = (b[p] & 0x0f) * 4;
    const total = u16(b, p + 2);
    const proto = b[p + 9];
    const src = ip4(b, p + 12);
    const dst = ip4(b, p + 16);
    const t = p + ihl;
    if (proto === 17 && end - t >= 8)
      return `IP ${src}.${u16(b, t)} > ${dst}.${u16(b, t + 2)}: UDP, length ${u16(b, t + 4) - 8}`;
    if (proto === 1 && end - t >= 8) {
      const kind = b[t] === 8 ? 'echo request' : b[t] === 0 ? 'echo reply' : `type ${b[t]}`;
      const ids = b[t] === 8 || b[t] === 0 ? `, id ${u16(b, t + 4)}, seq ${u16(b, t + 6)}` : '';
      return `IP ${src} > ${dst}: ICMP ${kind}${ids}, length ${total - ihl}`;
    }
    if (proto === 2 && end - t >= 8) {
      const g = ip4(b, t + 4);
      const what =
        b[t] === 0x16
          ? `igmp v2 report ${g}`
          : b[t] === 0x17
            ? `igmp leave ${g}`
            : b[t] === 0x11
              ? `igmp query v${total - ihl > 8 ? 3 : 2}`
              : b[t] === 0x22
                ? `igmp v3 report, ${u16(b, t + 6)} group record(s)`
                : `igmp type 0x${b[t].toString(16)}`;
      return `IP ${src} > ${dst}: ${what}`;
    }
    return `IP ${src} > ${dst}: ip-proto-${proto} ${total - ihl}`;
  }
  return `ethertype Unknown (0x${type.toString(16).padStart(4, '0')}), length ${len}`;
}

/** One capture: a tap on the device and, unless -p, a reference on its promiscuity. */
class Capture {
  private captured = 0;
  private readonly tap: PacketTap;

  constructor(
    private readonly ctx: CommandContext,
    private readonly dev: NetDevice,
    private readonly job: ShellJob,
    private readonly count: number,
    private readonly promisc: boolean,
  ) {
    this.tap = (skb, _dev, outgoing) => {
      const at = outgoing ? skb.data : skb.macHeader;
      this.captured++;
      if (this.captured <= MAX_LINES)
        job.print(`${stamp(ctx.kernel.now)} ${summarize(skb.buf, at, skb.tail - at)}`);
      else if (this.captured === MAX_LINES + 1)
        job.print(`(netlab: only the first ${MAX_LINES} packets are printed; all are counted)`);
      if (this.count > 0 && this.captured >= this.count) this.stop();
    };
    // A packet socket's PACKET_MR_PROMISC: counted with everyone else's, not the user's flag.
    if (promisc) devSetPromiscuity(dev, 1);
    dev.taps.push(this.tap);
    job.setInterruptHandler(() => this.stop());
    job.print(
      'tcpdump: verbose output suppressed, use -v[v]... for full protocol decode',
      `listening on ${dev.name}, link-type EN10MB (Ethernet), snapshot length 262144 bytes`,
    );
  }

  private stop(): void {
    const i = this.dev.taps.indexOf(this.tap);
    if (i < 0) return;
    this.dev.taps.splice(i, 1);
    if (this.promisc) devSetPromiscuity(this.dev, -1);
    const n = (k: number, what: string) => `${k} packet${k === 1 ? '' : 's'} ${what}`;
    this.job.print(
      '',
      n(this.captured, 'captured'),
      n(this.captured, 'received by filter'),
      n(0, 'dropped by kernel'),
    );
    this.job.finish(0);
  }
}

/**
 * `tcpdump [-p] [-c COUNT] [-i DEV]`: prints a line per frame the device takes in or
 * sends, until COUNT frames or Ctrl-C (`kill %N` in the background). Unless `-p`, it
 * puts the device in promiscuous mode the way libpcap does, through a packet socket's
 * membership: one more reference on `dev->promiscuity`, dropped when it ends. Root only
 * (CAP_NET_RAW). Use `tcpdump -i eth0 &` to keep capturing while typing other commands.
 */
export const tcpdump: Command = (ctx, args) => {
  let devName: string | null = null;
  let count = 0;
  let promisc = true;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-p' || a === '--no-promiscuous-mode') promisc = false;
    else if (a === '-n' || a === '-nn' || a === '-q') continue;
    else if (a === '-i' || a === '-c') {
      const v = args[++i];
      if (v === undefined) {
        ctx.job.print(`tcpdump: option requires an argument -- '${a[1]}'`, ...USAGE);
        return 1;
      }
      if (a === '-i') devName = v;
      else {
        const n = parseIntStrict(v);
        if (n === null || n <= 0) {
          ctx.job.print(`tcpdump: invalid packet count ${v}`);
          return 1;
        }
        count = n;
      }
    } else {
      ctx.job.print(
        a.startsWith('-')
          ? `tcpdump: invalid option -- '${a.replace(/^-+/, '')[0] ?? ''}'`
          : `tcpdump: filter expressions are not supported here ("${a}"): use the capture view's display filter`,
        ...USAGE,
      );
      return 1;
    }
  }
  const k = ctx.kernel;
  const dev = devName === null ? k.devices.find((d) => d.flags & IFF_UP) : k.devByName(devName);
  if (!dev) {
    ctx.job.print(
      devName === null
        ? 'tcpdump: no suitable device found'
        : `tcpdump: ${devName}: No such device exists`,
      ...(devName === null ? [] : ['(No such device exists)']),
    );
    return 1;
  }
  // Opening a packet socket needs CAP_NET_RAW, which root has and the lab's user has not.
  if (!capableNetAdmin(ctx.cred)) {
    ctx.job.print(
      `tcpdump: ${dev.name}: You don't have permission to perform this capture on that device`,
      '(socket: Operation not permitted)',
    );
    return 1;
  }
  if (!(dev.flags & IFF_UP)) {
    ctx.job.print(`tcpdump: ${dev.name}: That device is not up`);
    return 1;
  }
  new Capture(ctx, dev, ctx.job, count, promisc);
  return null;
};
