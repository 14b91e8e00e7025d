import { ICMP_REDIRECT, type EchoReply, type PingError, type PingSocket } from '../../kernel/icmp';
import type { Kernel } from '../../kernel/kernel';
import { capableNetAdmin } from '../../netdev/cred';
import { EMSGSIZE, strerror } from '../../netdev/errno';
import { SECOND } from '../../sim/time';
import {
  ICMP_DEST_UNREACH,
  ICMP_FRAG_NEEDED,
  ICMP_PARAMETERPROB,
  ICMP_TIME_EXCEEDED,
} from '../../wire/icmp';
import { formatIpv4, isMulticastIp, parseIpv4 } from '../../wire/ipv4-addr';
import type { Command, CommandContext } from './context';
import type { ShellJob } from './job';

/** iputils' limits: the largest ICMP payload, and how fast a user may ping. */
const MAX_SIZE = 65507;
const MIN_USER_INTERVAL = 0.002;
/** With no reply at all, ping waits this long after its last probe (iputils' lingertime). */
const LINGER = 10 * SECOND;

interface PingOptions {
  count: number; // 0: until interrupted
  ttl: number; // -t: 0 for the default
  linger: number; // -W: ns to wait after the last probe when nothing came back
  size: number;
  interval: number; // ns
  /** -M: do, want (the default) or dont (`probe` is taken as `do`). */
  pmtudisc: 'want' | 'do' | 'dont';
  dst: number;
  target: string;
}

/** `%ld.%03ld` of a time in µs, as iputils prints rtt figures. */
function ms3(us: number): string {
  return `${Math.floor(us / 1000)}.${String(us % 1000).padStart(3, '0')}`;
}

/** The `time=` of a reply line: fewer decimals as the time grows (iputils). */
export function replyTime(us: number): string {
  if (us >= 100000 - 50) return `${Math.floor((us + 500) / 1000)}`;
  if (us >= 10000 - 5) {
    const t = us + 50;
    return `${Math.floor(t / 1000)}.${Math.floor((t % 1000) / 100)}`;
  }
  if (us >= 1000) {
    const t = us + 5;
    return `${Math.floor(t / 1000)}.${String(Math.floor((t % 1000) / 10)).padStart(2, '0')}`;
  }
  return ms3(us);
}

/** iputils' `pr_icmph` words for the errors a ping may get back. */
const UNREACH_TEXT = [
  'Destination Net Unreachable',
  'Destination Host Unreachable',
  'Destination Protocol Unreachable',
  'Destination Port Unreachable',
  'Frag needed and DF set',
  'Source Route Failed',
  'Destination Net Unknown',
  'Destination Host Unknown',
  'Source Host Isolated',
  'Destination Net Prohibited',
  'Destination Host Prohibited',
  'Destination Net Unreachable for Type of Service',
  'Destination Host Unreachable for Type of Service',
  'Packet filtered',
  'Precedence Violation',
  'Precedence Cutoff',
];

const REDIRECT_TEXT = [
  'Redirect Network',
  'Redirect Host',
  'Redirect Type of Service and Network',
  'Redirect Type of Service and Host',
];

export function icmpErrorText(e: PingError): string {
  switch (e.type) {
    case ICMP_DEST_UNREACH:
      if (e.code === ICMP_FRAG_NEEDED) return `Frag needed and DF set (mtu = ${e.info & 0xffff})`;
      return UNREACH_TEXT[e.code] ?? `Dest Unreachable, Bad Code: ${e.code}`;
    case ICMP_TIME_EXCEEDED:
      if (e.code === 0) return 'Time to live exceeded';
      if (e.code === 1) return 'Frag reassembly time exceeded';
      return `Time exceeded, Bad Code: ${e.code}`;
    case ICMP_PARAMETERPROB:
      return `Parameter problem: pointer = ${e.info >>> 24}`;
    case 4:
      return 'Source Quench';
  }
  return `Bad ICMP type: ${e.type}`;
}

/** Integer square root, as iputils' llsqrt. */
function isqrt(n: number): number {
  return n <= 0 ? 0 : Math.floor(Math.sqrt(n));
}

/**
 * One run of ping: an echo request each interval from a ping socket, a line
 * per reply, and iputils' statistics when the count is reached (after a
 * grace period for late replies) or the job is interrupted.
 */
class PingRun {
  private readonly sock: PingSocket;
  /** The probe and linger timer; -1 once the run is over and has given it back. */
  private timer: number;
  private readonly start: number;
  private transmitted = 0;
  private received = 0;
  private errors = 0;
  /** iputils' `pipesize`: the most probes outstanding when one was answered (reply or error). */
  private pipesize = 0;
  private tmin = Infinity;
  private tmax = 0;
  private tsum = 0;
  private tsum2 = 0;
  private lingering = false;
  /**
   * When the run last sent a probe or heard back (iputils' `cur_time`): the statistics' `time`
   * runs to it, not to the end of the wait for replies that never came.
   */
  private last = 0;

  constructor(
    private readonly k: Kernel,
    private readonly job: ShellJob,
    private readonly o: PingOptions,
  ) {
    this.start = k.now;
    this.last = k.now;
    this.sock = k.icmp.openPing();
    this.sock.onReply = (r) => this.onReply(r);
    this.sock.onError = (e) => this.onError(e);
    this.sock.ttl = o.ttl;
    this.sock.pmtudisc = o.pmtudisc;
    this.timer = k.timers.setup(() => this.tick());
    job.setInterruptHandler(() => this.finish());
    this.tick();
  }

  private tick(): void {
    if (this.job.done) return;
    if (this.lingering) {
      this.finish();
      return;
    }
    const seq = (this.transmitted + 1) & 0xffff;
    const ret = this.k.icmp.sendEcho(this.sock, this.o.dst, seq, this.o.size);
    this.last = this.k.now;
    this.transmitted++;
    if (ret === -EMSGSIZE) {
      // IP_RECVERR's local error (SO_EE_ORIGIN_LOCAL), with the MTU it ran into.
      this.errors++;
      const route = this.k.routes.lookup(this.o.dst, null);
      const mtu = typeof route === 'number' ? 0 : this.k.routes.pathMtu(this.o.dst, route);
      this.job.print(`ping: local error: message too long, mtu=${mtu}`);
    } else if (ret < 0) {
      this.errors++;
      this.job.print(`ping: sendmsg: ${strerror(ret)}`);
    }
    if (this.checkDone()) return;
    const now = this.k.now;
    if (this.o.count === 0 || this.transmitted < this.o.count) {
      this.k.timers.mod(this.timer, now + this.o.interval);
      return;
    }
    // The last probe is out: wait for its reply (iputils' schedule_exit).
    this.lingering = true;
    const wait =
      this.received > 0 ? Math.max(2 * this.tmax * 1000, this.o.interval) : this.o.linger;
    this.k.timers.mod(this.timer, now + wait);
  }

  private onReply(r: EchoReply): void {
    if (this.job.done) return;
    const us = Math.max(0, Math.floor(r.rtt / 1000));
    this.acknowledge(r.seq);
    this.last = this.k.now;
    this.received++;
    this.tsum += us;
    this.tsum2 += us * us;
    if (us < this.tmin) this.tmin = us;
    if (us > this.tmax) this.tmax = us;
    this.job.print(
      `${r.bytes} bytes from ${formatIpv4(r.from)}: icmp_seq=${r.seq} ttl=${r.ttl} time=${replyTime(us)} ms`,
    );
    this.checkDone();
  }

  /** An ICMP error about one of our requests: iputils' `From ADDR icmp_seq=N TEXT` line. */
  private onError(e: PingError): void {
    if (this.job.done) return;
    if (e.type === ICMP_REDIRECT) {
      this.last = this.k.now;
      // Not an error to ping: it reads the redirect off its socket and says where it points.
      this.job.print(
        `From ${formatIpv4(e.from)}: icmp_seq=${e.seq} ${REDIRECT_TEXT[e.code] ?? `Redirect, Bad Code: ${e.code}`}(New nexthop: ${formatIpv4(e.info)})`,
      );
      return;
    }
    // An error does not move iputils' clock: Linux 6.18 printed `time 1033ms` for three probes
    // 0.5 s apart whose host unreachables came at 3 s (fixture router-unreachable-fragments).
    this.errors++;
    this.acknowledge(e.seq);
    this.job.print(`From ${formatIpv4(e.from)} icmp_seq=${e.seq} ${icmpErrorText(e)}`);
    this.checkDone();
  }

  /** iputils' `acknowledge`: how many probes were out when `seq` was answered. */
  private acknowledge(seq: number): void {
    const diff = (this.transmitted - seq) & 0xffff;
    if (diff <= 0x7fff && diff + 1 > this.pipesize) this.pipesize = diff + 1;
  }

  private checkDone(): boolean {
    if (this.o.count > 0 && this.received + this.errors >= this.o.count) {
      this.finish();
      return true;
    }
    return false;
  }

  private finish(): void {
    if (this.job.done) return;
    // The run is over: its timer goes back to the table (a shell may ping all day).
    this.k.timers.free(this.timer);
    this.timer = -1;
    this.k.icmp.closePing(this.sock);
    const tx = this.transmitted;
    const rx = this.received;
    let summary = `${tx} packets transmitted, ${rx} received`;
    if (this.errors) summary += `, +${this.errors} errors`;
    if (tx > 0) {
      const loss = Number((((tx - rx) * 100) / tx).toPrecision(6));
      const elapsed = Math.floor((this.last - this.start + 500_000) / 1_000_000);
      summary += `, ${loss}% packet loss, time ${elapsed}ms`;
    }
    this.job.print('', `--- ${this.o.target} ping statistics ---`, summary);
    const pipe = this.pipesize > 1 ? `pipe ${this.pipesize}` : '';
    if (rx > 0) {
      const avg = Math.floor(this.tsum / rx);
      const variance = Math.trunc((this.tsum2 - Math.trunc((this.tsum * this.tsum) / rx)) / rx);
      const mdev = isqrt(variance);
      this.job.print(
        `rtt min/avg/max/mdev = ${ms3(this.tmin)}/${ms3(avg)}/${ms3(this.tmax)}/${ms3(mdev)} ms${pipe ? `, ${pipe}` : ''}`,
      );
    } else {
      // iputils ends a run that got no reply with the pipe, or an empty line, where the rtt line would be.
      this.job.print(pipe);
    }
    this.job.finish(rx > 0 ? 0 : 1);
  }
}

function parseOptions(ctx: CommandContext, args: string[]): PingOptions | number {
  const out = ctx.job;
  const o: Omit<PingOptions, 'dst' | 'target'> = {
    count: 0,
    size: 56,
    interval: SECOND,
    ttl: 0,
    linger: LINGER,
    pmtudisc: 'want',
  };
  let target: string | null = null;
  const invalid = (v: string, range?: string) => {
    out.print(`ping: invalid argument: '${v}'${range ? `: out of range: ${range}` : ''}`);
    return 1;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const m = /^-([csitWM])(.*)$/.exec(a);
    if (m) {
      const v = m[2] !== '' ? m[2] : args[++i];
      if (v === undefined) {
        out.print(`ping: option requires an argument -- '${m[1]}'`);
        return 2;
      }
      if (m[1] === 'M') {
        // -M: IP_MTU_DISCOVER for the requests (icmp.ts PingSocket.pmtudisc).
        if (v !== 'do' && v !== 'want' && v !== 'dont' && v !== 'probe') {
          out.print(`ping: invalid -M argument: ${v}`);
          return 2;
        }
        o.pmtudisc = v === 'probe' ? 'do' : v;
        continue;
      }
      if (m[1] === 'W') {
        // -W: how long to wait for a reply once the last probe is out (when none came back).
        const s = Number(v);
        if (!/^\d*\.?\d+$/.test(v) || !Number.isFinite(s)) return invalid(v);
        o.linger = Math.round(s * SECOND);
        continue;
      }
      if (m[1] === 'i') {
        const s = Number(v);
        if (!/^\d*\.?\d+$/.test(v) || !Number.isFinite(s)) return invalid(v);
        if (s < MIN_USER_INTERVAL && !capableNetAdmin(ctx.cred)) {
          out.print('ping: cannot flood, minimal interval for user must be >= 2 ms, use -f');
          return 2;
        }
        o.interval = Math.max(1, Math.round(s * SECOND));
        continue;
      }
      if (!/^\d+$/.test(v)) return invalid(v);
      const n = Number(v);
      if (m[1] === 't') {
        if (n > 255) return invalid(v, '0 <= value <= 255');
        if (n === 0) {
          // IP_TTL refuses 0 (setsockopt: EINVAL), after the options are read.
          out.print('ping: cannot set unicast time-to-live: Invalid argument');
          return 2;
        }
        o.ttl = n;
      } else if (m[1] === 'c') {
        if (n < 1) return invalid(v, '1 <= value <= 9223372036854775807');
        o.count = n;
      } else {
        if (n > MAX_SIZE) return invalid(v, `0 <= value <= ${MAX_SIZE}`);
        o.size = n;
      }
    } else if (a.startsWith('-') && a.length > 1) {
      out.print(`ping: invalid option -- '${a[1]}'`);
      return 2;
    } else if (target === null) {
      target = a;
    } else {
      out.print('ping: usage error: Only one destination address allowed');
      return 2;
    }
  }
  if (target === null) {
    out.print('ping: usage error: Destination address required');
    return 1;
  }
  const dst = parseIpv4(target);
  if (dst === null) {
    out.print(`ping: ${target}: Name or service not known`);
    return 2;
  }
  return { ...o, dst, target };
}

/**
 * `ping [-c N] [-s SIZE] [-i SECONDS] [-t TTL] [-W SECONDS] ADDR` (iputils): runs in simulated
 * time, one echo request per interval; interrupting the job prints the
 * statistics as Ctrl-C does.
 */
export const ping: Command = (ctx, args) => {
  const o = parseOptions(ctx, args);
  if (typeof o === 'number') return o;
  const k = ctx.kernel;
  const ind = k.inDevs;
  if (o.dst === 0xffffffff || isMulticastIp(o.dst) || ind.some((d) => d.isBroadcast(o.dst))) {
    ctx.job.print(
      'ping: Do you want to ping broadcast? Then -b. If not, check your local firewall rules',
    );
    return 2;
  }
  // iputils connects a probe socket first: no route means no ping at all.
  const route = k.routes.lookup(o.dst, null);
  if (typeof route === 'number') {
    k.mib.ip.OutNoRoutes++; // ip4_datagram_connect counts the failed lookup
    ctx.job.print(`ping: connect: ${strerror(route)}`);
    return 2;
  }
  ctx.job.print(`PING ${o.target} (${formatIpv4(o.dst)}) ${o.size}(${o.size + 28}) bytes of data.`);
  new PingRun(k, ctx.job, o);
  return null;
};
