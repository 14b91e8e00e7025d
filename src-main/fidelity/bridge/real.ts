import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import type { StepResult } from '../scenario';
import { floodLine, type BridgeStep } from './scenario';

/** Namespaces of this run: a prefix of our own, so nothing else on the machine is touched. */
const NS = { sw: 'nlbr-sw', 1: 'nlbr-h1', 2: 'nlbr-h2', 3: 'nlbr-h3' } as const;
const PY = '/usr/bin/python3';

function sh(ns: string, cmd: string): StepResult {
  try {
    const out = execFileSync('ip', ['netns', 'exec', ns, 'sh', '-c', cmd], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { out: out.split('\n').filter((l, i, a) => i < a.length - 1 || l !== ''), rc: 0 };
  } catch (e) {
    const err = e as { status: number; stdout: string; stderr: string };
    const text = `${err.stdout ?? ''}${err.stderr ?? ''}`;
    return {
      out: text.split('\n').filter((l, i, a) => i < a.length - 1 || l !== ''),
      rc: err.status,
    };
  }
}

const run = (args: string[]) => execFileSync('ip', args, { stdio: 'ignore' });

function txPackets(): number[] {
  return [0, 1, 2].map((i) =>
    Number(sh(NS.sw, `cat /sys/class/net/eth${i}/statistics/tx_packets`).out[0]),
  );
}

const sleep = (ms: number) => execFileSync('sleep', [String(ms / 1000)]);

/** Runs the steps on this machine's kernel (root only); the namespaces go whatever happens. */
export function runBridgeReal(steps: BridgeStep[]): StepResult[] {
  cleanup();
  const members = new Map<number, ChildProcess>();
  let mark: number[] = [];
  try {
    for (const ns of Object.values(NS)) {
      run(['netns', 'add', ns]);
      sh(ns, 'sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1');
    }
    for (const n of [1, 2, 3] as const) {
      run([
        '-n',
        NS.sw,
        'link',
        'add',
        `eth${n - 1}`,
        'address',
        `02:00:00:00:00:1${n - 1}`,
        'type',
        'veth',
        'peer',
        'name',
        'eth0',
        'address',
        `02:00:00:00:00:0${n}`,
        'netns',
        NS[n],
      ]);
      run(['-n', NS.sw, 'link', 'set', `eth${n - 1}`, 'up']);
      run(['-n', NS[n], 'addr', 'add', `10.0.0.${n}/24`, 'dev', 'eth0']);
      run(['-n', NS[n], 'link', 'set', 'eth0', 'up']);
    }
    const results: StepResult[] = [];
    for (const step of steps) {
      if (step.op === 'sw') results.push(sh(NS.sw, step.cmd));
      else if (step.op === 'wait') {
        sleep(step.ms);
        results.push({ out: [], rc: 0 });
      } else if (step.op === 'ping') {
        const r = sh(NS[step.from], `ping -c 1 10.0.0.${step.to} >/dev/null`);
        results.push({ out: [], rc: r.rc });
      } else if (step.op === 'join') {
        const n = step.host ?? 2;
        // It leaves (IP_DROP_MEMBERSHIP) when `leave` creates its file, and says so in another
        // (files: this side waits synchronously, so it cannot read a pipe meanwhile).
        const member = spawn(
          'ip',
          [
            'netns',
            'exec',
            NS[n],
            PY,
            '-c',
            'import socket,struct,os,time\n' +
              's=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\n' +
              `m=struct.pack('4s4s',socket.inet_aton('239.1.1.1'),socket.inet_aton('10.0.0.${n}'))\n` +
              's.setsockopt(socket.IPPROTO_IP,socket.IP_ADD_MEMBERSHIP,m)\n' +
              `while not os.path.exists('${signal(n, 'leave')}'): time.sleep(0.002)\n` +
              's.setsockopt(socket.IPPROTO_IP,socket.IP_DROP_MEMBERSHIP,m)\n' +
              `open('${signal(n, 'left')}','w').close()\n` +
              'time.sleep(120)\n',
          ],
          { stdio: 'ignore' },
        );
        members.set(n, member);
        sleep(300);
        results.push({ out: [], rc: 0 });
      } else if (step.op === 'leave') {
        const n = step.host ?? 2;
        writeFileSync(signal(n, 'leave'), '');
        const t0 = Date.now();
        while (!existsSync(signal(n, 'left')) && Date.now() - t0 < 2000) sleep(2);
        results.push({ out: [], rc: 0 });
      } else if (step.op === 'mark') {
        mark = txPackets();
        results.push({ out: [], rc: 0 });
      } else if (step.op === 'count') {
        results.push({ out: [floodLine(mark, txPackets())], rc: 0 });
      } else {
        const before = txPackets();
        sh(
          NS[1],
          `${PY} -c "
import socket
s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP,socket.IP_MULTICAST_IF,socket.inet_aton('10.0.0.1'))
for i in range(${step.count}): s.sendto(bytes(18),('239.1.1.1',5000))
"`,
        );
        sleep(300);
        const after = txPackets();
        results.push({ out: [floodLine(before, after)], rc: 0 });
      }
    }
    return results;
  } finally {
    for (const m of members.values()) m.kill();
    cleanup();
  }
}

const signal = (n: number, what: 'leave' | 'left') => `/tmp/nlbr-${what}-h${n}`;

function cleanup(): void {
  for (const n of [2, 3])
    for (const what of ['leave', 'left'] as const) rmSync(signal(n, what), { force: true });
  for (const ns of Object.values(NS)) {
    try {
      execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
    } catch {
      // not there
    }
  }
}
