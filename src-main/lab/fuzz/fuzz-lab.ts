import { Shell } from '../host/shell/shell';
import type { NicModelName } from '../drivers/nic-model';
import type { Host } from '../host/host';
import type { UdpSocket } from '../kernel/udp-socket';
import { Lab } from '../lab';
import { ROOT } from '../netdev/cred';
import { ExternalPort } from '../segment/external-port';
import { MS } from '../sim/time';
import { parseIpv4 } from '../wire/ipv4-addr';
import type { FuzzTargets } from './frames';

const ip = (s: string) => parseIpv4(s)!;

/** Groups the hosts join, and groups nobody joins (239.1.1.24 shares 239.1.1.1's hash bin). */
const JOINED = [
  '239.1.1.1',
  '239.2.2.2',
  ...Array.from({ length: 10 }, (_, i) => `239.3.0.${i + 1}`),
];
const UNJOINED = ['239.1.1.24', '239.9.9.9', '224.0.0.251', '239.3.0.200'];

export interface FuzzLab {
  lab: Lab;
  port: ExternalPort;
  targets: FuzzTargets;
  /** Sockets whose reader keeps up (drained by `read`); the others fill and drop. */
  readers: UdpSocket[];
  /** Reads every datagram waiting on the readers' sockets. */
  read(): void;
}

/**
 * Eight hosts, two of each NIC model, in every receive configuration the lab
 * has: joined to groups (past a perfect filter's 6 (an 8-entry setup frame
 * less broadcast and own), so it falls back to its 512-bin hash), promiscuous (by the user, and by the promisc-only
 * driver itself), all-multicast, a slow CPU with a tiny ring (ring drops), a
 * slow CPU with a tiny backlog (backlog drops), a socket that is never read
 * (receive-buffer drops), and one that forwards (ip_forward). Each has a socket on port 5000 (joined to its
 * groups) and one on port 9, so any datagram matches at most one socket per
 * host. An external port injects.
 */
export function buildFuzzLab(seed: number): FuzzLab {
  const lab = new Lab({ seed });
  const readers: UdpSocket[] = [];
  const configs: {
    model: NicModelName;
    groups: string[];
    shell?: string[];
    cpu?: number;
    rxRing?: number;
    reads?: boolean;
    fallback?: 'hash' | 'allmulti';
  }[] = [
    { model: 'nofilter', groups: ['239.1.1.1'] },
    {
      // A router: datagrams for other hosts are forwarded (back out its one card, with a
      // redirect), or answered with net unreachable when no route matches; a quarter of all
      // addresses go via 10.0.0.99, which never answers ARP (host unreachable, neighbour failed).
      model: 'hash64',
      groups: ['239.1.1.1', '239.2.2.2'],
      shell: [
        'sysctl -w net.ipv4.ip_forward=1',
        'ip route add 10.9.0.0/16 via 10.0.0.3',
        'ip route add 128.0.0.0/2 via 10.0.0.99',
      ],
    },
    { model: 'perfect', groups: JOINED.slice(2) }, // 10 groups: past 6 entries, hash fallback
    { model: 'promisc-only', groups: ['239.1.1.1'] },
    { model: 'hash64', groups: [], shell: ['ifconfig eth0 promisc'] },
    { model: 'perfect', groups: ['239.1.1.1'], cpu: 100_000, rxRing: 8 },
    {
      model: 'nofilter',
      groups: ['239.2.2.2'],
      cpu: 20_000,
      shell: ['sysctl -w net.core.netdev_max_backlog=4'],
    },
    {
      model: 'perfect',
      groups: ['239.1.1.1'],
      shell: ['ifconfig eth0 allmulti', 'sysctl -w net.core.rmem_default=4608'],
      reads: false,
      fallback: 'allmulti',
    },
  ];
  const hosts: Host[] = [];
  configs.forEach((c, i) => {
    const h = lab.addHost(`h${i}`, c.cpu ?? 500);
    lab.addInterface(h, {
      model: c.model,
      ip: `10.0.0.${i + 1}/24`,
      ...(c.rxRing ? { rxRing: c.rxRing } : {}),
      ...(c.fallback
        ? { fallback: c.fallback, entries: 8 }
        : c.model === 'perfect'
          ? { entries: 8 }
          : {}),
    });
    const sh = new Shell(h);
    for (const line of c.shell ?? []) {
      const job = sh.exec(line);
      if (job.exitCode !== 0) throw new Error(`${h.name}: ${line}: ${job.output.join(' ')}`);
    }
    const udp = h.kernel.udp;
    const mc = udp.socket();
    udp.bind(mc, 0, 5000, ROOT);
    for (const g of c.groups) {
      const ret = udp.addMembership(mc, ip(g), h.nics[0].dev);
      if (ret !== 0) throw new Error(`${h.name}: join ${g}: ${ret}`);
    }
    const uc = udp.socket();
    udp.bind(uc, 0, 9, ROOT);
    if (c.reads !== false) readers.push(mc, uc);
    hosts.push(h);
  });
  const port = new ExternalPort('fuzz', lab.segment, 1518);
  lab.run(MS); // the hosts boot and their joins' reports are scheduled
  const targets: FuzzTargets = {
    macs: hosts.map((h) => h.nics[0].dev.devAddr.slice()),
    ips: hosts.map((_, i) => ip(`10.0.0.${i + 1}`)),
    joined: JOINED.map(ip),
    unjoined: UNJOINED.map(ip),
    broadcast: ip('10.0.0.255'),
    ports: [5000, 9, 7],
  };
  const read = () => {
    for (const s of readers) {
      const udp = lab.hosts.find((h) => h.kernel.udp.sockets.includes(s))?.kernel.udp;
      if (!udp) continue;
      while (udp.recv(s) >= 0);
    }
  };
  return { lab, port, targets, readers, read };
}
