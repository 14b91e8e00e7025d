import { Lab } from '../../lab/lab';
import { Shell } from '../../lab/host/shell/shell';
import type { UdpSocket } from '../../lab/kernel/udp-socket';
import { USER } from '../../lab/netdev/cred';
import { MS } from '../../lab/sim/time';
import { parseIpv4 } from '../../lab/wire/ipv4-addr';
import type { StepResult } from '../scenario';
import { floodLine, type BridgeStep } from './scenario';

const mac = (n: number) => Uint8Array.of(0x02, 0, 0, 0, 0, n);

/** The same steps in the lab: three hosts cabled (10 Gbit/s, full duplex) to a switch host. */
export function runBridgeLab(steps: BridgeStep[]): StepResult[] {
  const lab = new Lab({
    seed: 1,
    segments: [1, 2, 3].map((n) => ({ name: `c${n}`, duplex: 'full' as const, bitRate: 10e9 })),
  });
  const sw = lab.addHost('sw');
  for (let i = 0; i < 3; i++)
    lab.addInterface(sw, {
      model: 'perfect',
      segment: `c${i + 1}`,
      irq: [9, 10, 11][i],
      mac: mac(0x10 + i),
    });
  const hosts = [1, 2, 3].map((n) => {
    const h = lab.addHost(`h${n}`);
    lab.addInterface(h, { model: 'perfect', segment: `c${n}`, ip: `10.0.0.${n}/24`, mac: mac(n) });
    return h;
  });
  lab.run(MS);
  const shell = new Shell(sw);
  const txPackets = () => [0, 1, 2].map((i) => sw.nics[i].stats.tx_packets);
  const results: StepResult[] = [];
  const members = new Map<number, UdpSocket>();
  let mark = txPackets();
  for (const step of steps) {
    if (step.op === 'sw') {
      const job = shell.exec(step.cmd);
      lab.run(MS);
      results.push({ out: job.output, rc: job.exitCode });
    } else if (step.op === 'wait') {
      lab.run(step.ms * MS);
      results.push({ out: [], rc: 0 });
    } else if (step.op === 'ping') {
      const job = new Shell(hosts[step.from - 1]).exec(`ping -c 1 10.0.0.${step.to}`);
      lab.run(1000 * MS);
      const ok = job.output.some((l) => l.includes(' 1 received'));
      results.push({ out: [], rc: ok ? 0 : 1 });
    } else if (step.op === 'join') {
      const n = step.host ?? 2;
      const k = hosts[n - 1].kernel;
      const sock = k.udp.socket();
      k.udp.bind(sock, 0, 5000, USER);
      k.udp.addMembership(sock, parseIpv4('239.1.1.1')!, k.firstCard()!);
      members.set(n, sock);
      lab.run(300 * MS);
      results.push({ out: [], rc: 0 });
    } else if (step.op === 'leave') {
      const n = step.host ?? 2;
      // As the real side's IP_DROP_MEMBERSHIP: the socket's membership ends, its kernel leaves.
      hosts[n - 1].kernel.udp.close(members.get(n)!);
      lab.run(MS);
      results.push({ out: [], rc: 0 });
    } else if (step.op === 'mark') {
      mark = txPackets();
      results.push({ out: [], rc: 0 });
    } else if (step.op === 'count') {
      results.push({ out: [floodLine(mark, txPackets())], rc: 0 });
    } else {
      const before = txPackets();
      const k = hosts[0].kernel;
      const tx = k.udp.socket();
      tx.mcIf = k.firstCard()!;
      for (let i = 0; i < step.count; i++)
        k.udp.sendto(tx, null, 18, parseIpv4('239.1.1.1')!, 5000);
      lab.run(300 * MS);
      k.udp.close(tx);
      results.push({ out: [floodLine(before, txPackets())], rc: 0 });
    }
  }
  return results;
}
