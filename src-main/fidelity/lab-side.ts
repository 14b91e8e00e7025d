import { Lab } from '../lab/lab';
import type { Host } from '../lab/host/host';
import { Shell } from '../lab/host/shell/shell';
import type { UdpSocket } from '../lab/kernel/udp-socket';
import { ROOT } from '../lab/netdev/cred';
import { errnoName } from '../lab/netdev/errno';
import { MS } from '../lab/sim/time';
import type { SkBuff } from '../lab/skb/sk-buff';
import { parseIpv4 } from '../lab/wire/ipv4-addr';
import { frameSummary } from './frame-summary';
import type { HostName, Scenario, Step, StepResult } from './scenario';

/** How long a send step leaves for the datagrams to arrive, as real-agent.py sleeps. */
const SETTLE = 200 * MS;

/**
 * Runs a scenario's steps in the lab: two hosts with one card each on one
 * segment (or, in the router topology, h0 and h1 each on a segment of its own
 * and r with a card on both), named and addressed as the real side's
 * namespaces are (the steps configure them). `rmemMax` is the recorded machine's net.core.rmem_max.
 */
export function runLab(sc: Scenario, rmemMax: number): StepResult[] {
  const router = sc.topology === 'router';
  // The router topology's two links are segments of their own, as the real side's veth pairs.
  const lab = new Lab(
    router ? { seed: 19, segments: [{ name: 'l0' }, { name: 'l1' }] } : { seed: 19 },
  );
  const hosts = new Map<HostName, Host>();
  const cards: [HostName, string | undefined][] = router
    ? [
        ['h0', 'l0'],
        ['h1', 'l1'],
        ['r', 'l0'],
        ['r', 'l1'],
      ]
    : [
        ['h0', undefined],
        ['h1', undefined],
      ];
  for (const [name, segment] of cards) {
    let h = hosts.get(name);
    if (!h) {
      h = lab.addHost(name);
      if (h.kernel.sysctl.set('net.core.rmem_max', rmemMax, ROOT) !== 0)
        throw new Error(`rmem_max ${rmemMax} refused`);
      hosts.set(name, h);
    }
    lab.addInterface(h, {
      model: sc.model ?? 'perfect',
      up: false,
      ...(segment ? { segment } : {}),
    });
  }
  const shells = new Map([...hosts].map(([n, h]) => [n, new Shell(h)]));
  const socks = new Map<string, UdpSocket>();
  const captured = new Map<HostName, string[]>();
  const results: StepResult[] = [];
  try {
    for (const step of sc.steps) results.push(runStep(lab, hosts, shells, socks, captured, step));
  } finally {
    lab.teardown();
  }
  return results;
}

function runStep(
  lab: Lab,
  hosts: Map<HostName, Host>,
  shells: Map<HostName, Shell>,
  socks: Map<string, UdpSocket>,
  captured: Map<HostName, string[]>,
  step: Step,
): StepResult {
  const host = hosts.get(step.host)!;
  const k = host.kernel;
  const udp = k.udp;
  const sock = (name: string) => {
    const s = socks.get(name);
    if (!s) throw new Error(`step ${step.op}: no socket ${name}`);
    return s;
  };
  const fail = (err: number): StepResult => ({ out: [`${step.op}: ${errnoName(err)}`], rc: 1 });
  const ok = (...out: string[]): StepResult => ({ out, rc: 0 });
  const dev = (name: string) => {
    const d = k.devByName(name);
    if (!d) throw new Error(`step ${step.op}: no device ${name}`);
    return d;
  };
  switch (step.op) {
    case 'sh': {
      // `sh -c`: commands separated by `;` run in turn; the status is the last one's.
      const out: string[] = [];
      let rc = 0;
      for (const cmd of step.cmd.split(';')) {
        const job = shells.get(step.host)!.exec(cmd.trim());
        for (let i = 0; !job.done && i < 600; i++) lab.run(100 * MS);
        out.push(...job.output);
        rc = job.exitCode;
      }
      return { out, rc };
    }
    case 'udp':
      socks.set(step.name, udp.socket());
      return ok();
    case 'bind': {
      const r = udp.bind(sock(step.name), 0, step.port, ROOT);
      return r < 0 ? fail(r) : ok();
    }
    case 'rcvbuf': {
      const r = udp.setRcvbuf(sock(step.name), step.value);
      return r < 0 ? fail(r) : ok(`SO_RCVBUF ${udp.getRcvbuf(sock(step.name))}`);
    }
    case 'getrcvbuf':
      return ok(`SO_RCVBUF ${udp.getRcvbuf(sock(step.name))}`);
    case 'join': {
      const r = udp.addMembership(
        sock(step.name),
        parseIpv4(step.group)!,
        step.dev ? dev(step.dev) : null,
      );
      return r < 0 ? fail(r) : ok();
    }
    case 'mcif':
      sock(step.name).mcIf = dev(step.dev);
      return ok();
    case 'pmtudisc':
      sock(step.name).pmtudisc = step.value;
      return ok();
    case 'getloop':
      return ok(`IP_MULTICAST_LOOP ${sock(step.name).mcLoop ? 1 : 0}`);
    case 'send': {
      const s = sock(step.name);
      const to = parseIpv4(step.to)!;
      for (let i = 0; i < (step.count ?? 1); i++) {
        const r = udp.sendto(s, null, step.size, to, step.port);
        if (r < 0) return fail(r);
        // Paced so the wire and the receiver keep up, as the veth pair does.
        lab.run(0.2 * MS);
      }
      lab.run(SETTLE);
      return ok();
    }
    case 'read': {
      let n = 0;
      while (n < (step.count ?? Infinity) && udp.recv(sock(step.name)) >= 0) n++;
      return ok(`read ${n}`);
    }
    case 'close':
      udp.close(sock(step.name));
      socks.delete(step.name);
      return ok();
    case 'capture': {
      const lines: string[] = [];
      captured.set(step.host, lines);
      const out = (step.dir ?? 'out') === 'out';
      dev(step.dev).taps.push((skb: SkBuff, _dev, outgoing) => {
        if (outgoing !== out) return;
        const line = frameSummary(skb.buf.subarray(skb.macHeader, skb.tail));
        if (line) lines.push(line);
      });
      return ok();
    }
    case 'captured': {
      const lines = captured.get(step.host) ?? [];
      return ok(...lines.splice(0));
    }
    case 'wait':
      lab.run(step.ms * MS);
      return ok();
  }
}
