import { describe, expect, it } from 'vitest';
import { Lab } from '../lab';
import { ROOT, USER } from '../netdev/cred';
import { EACCES, EADDRINUSE, EINVAL, EMSGSIZE } from '../netdev/errno';
import {
  FATE_DELIVERED,
  FATE_NOT_FOR_HOST,
  FATE_NOT_JOINED,
  FATE_RCVBUF_FULL,
} from '../netdev/fate';
import { SECOND, MS } from '../sim/time';
import { parseIpv4 } from '../wire/ipv4-addr';
import { UdpReader } from '../host/udp-reader';
import { NUD_DELAY, NUD_REACHABLE } from './neigh';

const ip = (s: string) => parseIpv4(s)!;
const G1 = ip('239.1.1.1');
const G24 = ip('239.1.1.24'); // its MAC shares hash bin 4 with 239.1.1.1's

function threeHosts(model: 'hash64' | 'perfect' | 'nofilter' | 'promisc-only' = 'hash64') {
  const lab = new Lab({ seed: 5 });
  const [h0, h1, h2] = ['h0', 'h1', 'h2'].map((n) => lab.addHost(n));
  lab.addInterface(h0, { model: 'nofilter', ip: '10.0.0.1/24' });
  lab.addInterface(h1, { model, ip: '10.0.0.2/24' });
  lab.addInterface(h2, { model, ip: '10.0.0.3/24' });
  lab.run(MS); // gratuitous ARPs
  return { lab, h0, h1, h2 };
}

describe('ARP and ping', () => {
  it('resolves, answers echo requests, and fills both ARP caches', () => {
    const { lab, h0, h1 } = threeHosts();
    const ping = h0.kernel.icmp.openPing();
    for (let seq = 1; seq <= 3; seq++) {
      expect(h0.kernel.icmp.sendEcho(ping, ip('10.0.0.2'), seq, 56)).toBe(0);
      lab.run(SECOND);
    }
    expect(ping.replies.map((r) => [r.seq, r.from, r.bytes, r.ttl])).toEqual([
      [1, ip('10.0.0.2'), 64, 64],
      [2, ip('10.0.0.2'), 64, 64],
      [3, ip('10.0.0.2'), 64, 64],
    ]);
    // The first ping waited for ARP; the later ones did not.
    expect(ping.replies[0].rtt).toBeGreaterThan(ping.replies[1].rtt);
    const n0 = h0.kernel.neigh.lookup(ip('10.0.0.2'), h0.nics[0].dev)!;
    expect(n0.state).toBe(NUD_REACHABLE);
    expect(n0.lladdr).toEqual(h1.nics[0].dev.devAddr);
    // h1 learnt h0 from its request (STALE, as Linux does); answering used the entry,
    // which moved it to DELAY: it will be probed unless confirmed within 5 s.
    expect(h1.kernel.neigh.lookup(ip('10.0.0.1'), h1.nics[0].dev)?.state).toBe(NUD_DELAY);
    expect(h0.kernel.mib.icmp).toMatchObject({ OutEchos: 3, InEchoReps: 3 });
    expect(h1.kernel.mib.icmp).toMatchObject({ InEchos: 3, OutEchoReps: 3 });
    lab.teardown();
    expect(lab.pool.outstanding).toBe(0);
  });

  it('gives up on an address nobody has, dropping what waited', () => {
    const { lab, h0 } = threeHosts();
    const ping = h0.kernel.icmp.openPing();
    h0.kernel.icmp.sendEcho(ping, ip('10.0.0.99'), 1, 56);
    lab.run(5 * SECOND);
    expect(ping.replies).toHaveLength(0);
    expect(h0.kernel.arp.requestsSent).toBe(1 + 3); // one gratuitous, three tries
    expect(h0.kernel.neigh.unresolvedDrops).toBe(1);
    lab.teardown();
    expect(lab.pool.outstanding).toBe(0);
  });
});

describe('multicast receive', () => {
  it("charges a promiscuous host's CPU as wasted for frames meant for another station", () => {
    const { lab, h0, h1 } = threeHosts('promisc-only');
    const k1 = h1.kernel;
    const rx = k1.udp.socket();
    expect(k1.udp.bind(rx, 0, 5000, USER)).toBe(0);
    // The first group turns the promisc-only card promiscuous.
    expect(k1.udp.addMembership(rx, G1, h1.nics[0].dev)).toBe(0);
    const tx = h0.kernel.udp.socket();
    expect(h0.kernel.udp.sendto(tx, null, 18, ip('10.0.0.3'), 6000)).toBe(18);
    lab.run(10 * MS); // ARP for h2, then the datagram
    const wasted = h1.machine.fates.total(FATE_NOT_FOR_HOST);
    // h2's ARP reply and the datagram to h2: both reach h1's stack, which drops them.
    expect(wasted).toBeGreaterThanOrEqual(2);
    expect(h1.machine.cpu.wastedNs).toBe(wasted * h1.machine.cpu.perFrame);
  });

  it('a joined group reaches the socket; a bin-mate is let in by the hash filter and dropped by the kernel', () => {
    const { lab, h0, h1 } = threeHosts('hash64');
    const k1 = h1.kernel;
    const rx = k1.udp.socket();
    expect(k1.udp.bind(rx, 0, 5000, USER)).toBe(0);
    expect(k1.udp.addMembership(rx, G1, null)).toBe(0);
    const tx = h0.kernel.udp.socket();
    lab.run(MS);
    expect(h0.kernel.udp.sendto(tx, null, 18, G1, 5000)).toBe(18);
    expect(h0.kernel.udp.sendto(tx, null, 18, G24, 5000)).toBe(18);
    lab.run(MS);
    const nic = h1.nics[0];
    // Both datagrams passed the NIC (same hash bin)...
    expect(nic.stats.multicast).toBe(2);
    // ...one reached the socket, the other was the kernel's to drop.
    expect(rx.receiveQueue.qlen).toBe(1);
    expect(h1.machine.fates.total(FATE_NOT_JOINED)).toBe(1);
    expect(h1.machine.fates.total(FATE_DELIVERED)).toBe(1);
    expect(h1.machine.cpu.wastedNs).toBeGreaterThan(0);
    // h2 never joined: its NIC filtered both in hardware (and h0's IGMP reports too).
    expect(lab.hosts[2].nics[0].stats.multicast).toBe(0);
    const buf = new Uint8Array(64);
    expect(k1.udp.recv(rx, buf)).toBe(18);
    expect(rx.lastFromAddr).toBe(ip('10.0.0.1'));
    expect(k1.mib.udp.InDatagrams).toBe(1);
    lab.teardown();
    expect(lab.pool.outstanding).toBe(0);
  });

  it('joining sends an IGMPv2 report and programs the device list with the group MAC', () => {
    const { lab, h1 } = threeHosts('perfect');
    const k1 = h1.kernel;
    const sock = k1.udp.socket();
    k1.udp.addMembership(sock, G1, null);
    expect(h1.nics[0].dev.mc.toStrings()).toEqual(['01:00:5e:00:00:01', '01:00:5e:01:01:01']);
    expect(h1.nics[0].filter.describe().perfect).toEqual([
      '01:00:5e:00:00:01',
      '01:00:5e:01:01:01',
    ]);
    lab.run(20 * SECOND);
    expect(k1.igmp.reportsSent).toBe(2); // unsolicited report, repeated once
    k1.udp.close(sock);
    lab.run(MS);
    expect(k1.igmp.leavesSent).toBe(1);
    expect(h1.nics[0].dev.mc.toStrings()).toEqual(['01:00:5e:00:00:01']);
  });
});

describe('random timers', () => {
  it('fire on whole nanoseconds, so every frame has an integer timestamp (pcap needs one)', () => {
    const { lab, h1, h2 } = threeHosts('perfect');
    const times: number[] = [];
    lab.segment.taps.push(() => times.push(lab.now));
    // IGMP's unsolicited report is repeated after a random delay.
    h2.kernel.udp.addMembership(h2.kernel.udp.socket(), G1, null);
    // ARP: the neighbour's reachable time is random too; let it lapse, then send again.
    const sock = h1.kernel.udp.socket();
    for (let i = 0; i < 4; i++) {
      expect(h1.kernel.udp.sendto(sock, null, 18, ip('10.0.0.3'), 7000)).toBe(18);
      lab.run(40 * SECOND);
    }
    expect(times.length).toBeGreaterThan(8);
    expect(times.filter((t) => !Number.isInteger(t))).toEqual([]);
  });
});

describe('IGMP queries', () => {
  it('members answer a general query within the window, and one report suppresses the others', () => {
    const { lab, h0, h1, h2 } = threeHosts('hash64');
    for (const h of [h1, h2]) h.kernel.udp.addMembership(h.kernel.udp.socket(), G1, null);
    lab.run(20 * SECOND); // the unsolicited reports are done
    const before = h1.kernel.igmp.reportsSent + h2.kernel.igmp.reportsSent;
    h0.kernel.igmp.query(h0.nics[0].dev, 0, 100); // 10 s window
    lab.run(11 * SECOND);
    expect(h1.kernel.igmp.queriesReceived).toBe(1);
    expect(h2.kernel.igmp.queriesReceived).toBe(1);
    // One member reported; the other heard it and stayed quiet.
    expect(h1.kernel.igmp.reportsSent + h2.kernel.igmp.reportsSent - before).toBe(1);
  });
});

describe('socket receive buffers', () => {
  it('a slow reader with a small SO_RCVBUF drops into RcvbufErrors; a bigger one stops the drops', () => {
    const run = (rcvbuf: number) => {
      const { lab, h0, h1 } = threeHosts('perfect');
      const k1 = h1.kernel;
      const rx = k1.udp.socket();
      k1.udp.bind(rx, 0, 5000, USER);
      k1.udp.setRcvbuf(rx, rcvbuf);
      k1.udp.addMembership(rx, G1, null);
      lab.run(MS);
      const tx = h0.kernel.udp.socket();
      for (let i = 0; i < 100; i++) h0.kernel.udp.sendto(tx, null, 18, G1, 5000);
      lab.run(10 * MS);
      return { k1, rx, lab };
    };
    const small = run(4096);
    // SO_RCVBUF is doubled: 8192 bytes hold 10 datagrams of truesize 768.
    expect(small.rx.rcvbuf).toBe(8192);
    expect(small.rx.receiveQueue.qlen).toBe(10);
    expect(small.k1.mib.udp.RcvbufErrors).toBe(90);
    expect(small.k1.mib.udp.InErrors).toBe(90);
    expect(small.k1.machine.fates.total(FATE_RCVBUF_FULL)).toBe(90);
    const big = run(200_000);
    expect(big.rx.rcvbuf).toBe(400_000);
    expect(big.k1.mib.udp.RcvbufErrors).toBe(0);
    expect(big.rx.receiveQueue.qlen).toBe(100);
    big.lab.teardown();
    expect(big.lab.pool.outstanding).toBe(0);
  });

  it('an application reading slower than the traffic overflows its socket', () => {
    const { lab, h0, h1 } = threeHosts('perfect');
    const k1 = h1.kernel;
    const rx = k1.udp.socket();
    k1.udp.bind(rx, 0, 5000, USER);
    k1.udp.addMembership(rx, G1, null);
    const reader = new UdpReader(k1, rx, 1000); // 1000 datagrams/s
    lab.run(MS);
    const tx = h0.kernel.udp.socket();
    const sender = h0.kernel.timers.setup(() => {
      h0.kernel.udp.sendto(tx, null, 18, G1, 5000);
      h0.kernel.timers.mod(sender, lab.now + 100_000); // 10,000 datagrams/s
    });
    h0.kernel.timers.mod(sender, lab.now);
    lab.run(SECOND);
    h0.kernel.timers.del(sender);
    // rmem_default (212992 bytes, not doubled: only SO_RCVBUF doubles) holds 277 datagrams of
    // truesize 768; the reader frees one slot a millisecond, ten arrive meanwhile.
    expect(rx.rcvbuf).toBe(212992);
    expect(rx.receiveQueue.qlen).toBeGreaterThanOrEqual(276);
    expect(rx.receiveQueue.qlen).toBeLessThanOrEqual(277);
    expect(reader.datagrams).toBeGreaterThanOrEqual(999);
    const sent = h0.kernel.mib.udp.OutDatagrams;
    expect(sent).toBeGreaterThanOrEqual(10_000);
    const inFlight = sent - reader.datagrams - rx.receiveQueue.qlen - k1.mib.udp.RcvbufErrors;
    expect(inFlight).toBeGreaterThanOrEqual(0);
    expect(inFlight).toBeLessThanOrEqual(2); // on the wire or in the ring when the clock stopped
    expect(k1.mib.udp.RcvbufErrors).toBeGreaterThan(8000);
    reader.stop();
    lab.teardown();
    expect(lab.pool.outstanding).toBe(0);
  });

  it('rmem_max bounds SO_RCVBUF; raising it (as root) lets a socket have more', () => {
    const { h1 } = threeHosts();
    const k = h1.kernel;
    const s = k.udp.socket();
    k.udp.setRcvbuf(s, 10_000_000);
    expect(s.rcvbuf).toBe(2 * 212992);
    expect(k.sysctl.set('net.core.rmem_max', 4_000_000, USER)).toBeLessThan(0);
    expect(k.sysctl.set('net.core.rmem_max', 4_000_000, ROOT)).toBe(0);
    k.udp.setRcvbuf(s, 10_000_000);
    expect(s.rcvbuf).toBe(8_000_000);
  });
});

describe('ARP on a host with two cards on the segment', () => {
  function twoCards(arpIgnore: number) {
    const lab = new Lab({ seed: 8 });
    const h0 = lab.addHost('h0');
    lab.addInterface(h0, { model: 'nofilter', ip: '10.0.0.1/24' });
    const h1 = lab.addHost('h1');
    const eth0 = lab.addInterface(h1, { model: 'perfect', ip: '10.0.0.2/24' });
    const eth1 = lab.addInterface(h1, { model: 'perfect', ip: '10.0.1.2/24' });
    expect(h1.kernel.sysctl.set('net.ipv4.conf.all.arp_ignore', arpIgnore, ROOT)).toBe(0);
    lab.run(SECOND); // links up, announcements done
    const sent = [eth0.stats.tx_packets, eth1.stats.tx_packets];
    const ping = h0.kernel.icmp.openPing();
    expect(h0.kernel.icmp.sendEcho(ping, ip('10.0.0.2'), 1, 56)).toBe(0);
    lab.run(SECOND);
    return {
      replies: ping.replies.length,
      // Frames each card sent for the ping: ARP replies, and eth0's echo reply.
      eth0: eth0.stats.tx_packets - sent[0],
      eth1: eth1.stats.tx_packets - sent[1],
      h1Arp: h1.kernel.arp.repliesSent,
    };
  }

  it('answers on both cards with arp_ignore 0 (Linux’s default: ARP flux), on the owner with 1', () => {
    const flux = twoCards(0);
    expect(flux.replies).toBe(1);
    expect(flux.eth1).toBeGreaterThanOrEqual(1); // eth1 answered for eth0's address too
    const strict = twoCards(1);
    expect(strict.replies).toBe(1);
    expect(strict.eth1).toBe(0);
    expect(strict.h1Arp).toBe(flux.h1Arp - 1);
  });

  it('refuses arp_ignore modes it does not model', () => {
    const lab = new Lab({ seed: 8 });
    const h = lab.addHost('h');
    expect(h.kernel.sysctl.set('net.ipv4.conf.all.arp_ignore', 3, ROOT)).toBe(-EINVAL);
  });
});

describe('UDP unicast', () => {
  it('delivers to the bound port and answers a closed port with ICMP port unreachable', () => {
    const { lab, h0, h1 } = threeHosts();
    const rx = h1.kernel.udp.socket();
    h1.kernel.udp.bind(rx, 0, 7000, USER);
    const tx = h0.kernel.udp.socket();
    h0.kernel.udp.sendto(tx, Uint8Array.of(1, 2, 3), 3, ip('10.0.0.2'), 7000);
    h0.kernel.udp.sendto(tx, null, 10, ip('10.0.0.2'), 7001);
    lab.run(10 * MS);
    const out = new Uint8Array(3);
    expect(h1.kernel.udp.recv(rx, out)).toBe(3);
    expect(out).toEqual(Uint8Array.of(1, 2, 3));
    expect(h1.kernel.mib.udp.NoPorts).toBe(1);
    expect(h1.kernel.mib.icmp.OutDestUnreachs).toBe(1);
    expect(h0.kernel.mib.icmp.InDestUnreachs).toBe(1);
  });

  it('rate-limits port unreachables per peer and per host, as icmp_ratelimit and icmp_msgs_per_sec do', () => {
    const { lab, h0, h1, h2 } = threeHosts();
    const mib = h1.kernel.mib.icmp;
    const flood = (from: typeof h0, n: number) => {
      const tx = from.kernel.udp.socket();
      for (let i = 0; i < n; i++) from.kernel.udp.sendto(tx, null, 10, ip('10.0.0.2'), 7001);
    };
    // 100 datagrams to a closed port within a few ms: a burst of 6 (XRLIM_BURST_FACTOR) answered.
    flood(h0, 100);
    lab.run(10 * MS);
    expect(h1.kernel.mib.udp.NoPorts).toBe(100);
    expect(mib.OutDestUnreachs).toBe(6);
    expect(mib.OutRateLimitHost).toBe(94);
    expect(h0.kernel.mib.icmp.InDestUnreachs).toBe(6);
    // Another peer has its own bucket; h0 gets one more per icmp_ratelimit (1000 ms).
    flood(h2, 3);
    lab.run(SECOND);
    flood(h0, 3);
    lab.run(10 * MS);
    expect(mib.OutDestUnreachs).toBe(6 + 3 + 1);
    expect(mib.OutRateLimitHost).toBe(94 + 2);
    expect(mib.OutRateLimitGlobal).toBe(0);

    // The host-wide bucket: with a burst of 2 and per-peer limiting off, most of a burst of
    // 20 is refused as global (each message takes 0-2 credits at random, 1 on average).
    expect(h1.kernel.sysctl.set('net.ipv4.icmp_msgs_burst', 2, ROOT)).toBe(0);
    expect(h1.kernel.sysctl.set('net.ipv4.icmp_ratelimit', 0, ROOT)).toBe(0);
    lab.run(SECOND);
    const sent = mib.OutDestUnreachs;
    flood(h0, 20);
    lab.run(10 * MS);
    const answered = mib.OutDestUnreachs - sent;
    expect(answered).toBeGreaterThanOrEqual(1);
    expect(answered).toBeLessThan(20);
    expect(mib.OutRateLimitGlobal).toBe(20 - answered);
    // Echo replies are not in icmp_ratemask: every ping is answered.
    const ping = h0.kernel.icmp.openPing();
    for (let seq = 1; seq <= 20; seq++) h0.kernel.icmp.sendEcho(ping, ip('10.0.0.2'), seq, 56);
    lab.run(10 * MS);
    expect(ping.replies).toHaveLength(20);
  });

  it('refuses oversize datagrams (no fragmentation), privileged ports to users, and a busy port', () => {
    const { h0 } = threeHosts();
    const k = h0.kernel;
    const s = k.udp.socket();
    expect(k.udp.sendto(s, null, 1473, ip('10.0.0.2'), 9)).toBe(-EMSGSIZE);
    expect(k.udp.bind(s, 0, 53, USER)).toBe(-EACCES);
    expect(k.udp.bind(s, 0, 53, ROOT)).toBe(0);
    expect(k.udp.bind(k.udp.socket(), 0, 53, ROOT)).toBe(-EADDRINUSE);
  });
});
