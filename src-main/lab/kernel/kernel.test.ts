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
import { devClose, devOpen } from '../netdev/dev';
import { parseIpv4 } from '../wire/ipv4-addr';
import { IPPROTO_UDP } from '../wire/ipv4';
import { UdpView } from '../wire/udp';
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
  lab.run(MS); // the hosts boot
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
    expect(h0.kernel.arp.requestsSent).toBe(3); // three tries; no announcement (arp_notify 0)
    expect(h0.kernel.neigh.unresolvedDrops).toBe(1);
    lab.teardown();
    expect(lab.pool.outstanding).toBe(0);
  });

  it('announces its addresses when a device comes up only with arp_notify', () => {
    const { lab, h1 } = threeHosts();
    const k = h1.kernel;
    const dev = h1.nics[0].dev;
    const seen: string[] = [];
    dev.taps.push((skb, _dev, outgoing) => {
      const at = skb.macHeader;
      if (outgoing && skb.buf[at + 12] === 0x08 && skb.buf[at + 13] === 0x06)
        seen.push(
          `${skb.buf.subarray(at + 28, at + 32).join('.')}>${skb.buf.subarray(at + 38, at + 42).join('.')}`,
        );
    });
    const cycle = () => {
      devClose(dev);
      expect(devOpen(dev)).toBe(0);
      lab.run(10 * MS);
    };
    expect(k.addAddress(dev, ip('10.0.0.9'), 24)).toBe(0);
    cycle();
    expect(seen).toEqual([]); // Linux's default: neither an added address nor up announces
    expect(k.sysctl.set('net.ipv4.conf.all.arp_notify', 1, ROOT)).toBe(0);
    expect(k.addAddress(dev, ip('10.0.0.10'), 24)).toBe(0);
    lab.run(10 * MS);
    expect(seen).toEqual([]); // an address added while up: still nothing
    cycle();
    // `inetdev_send_gratuitous_arp`: a request for each address, asking for itself.
    expect(seen).toEqual(['10.0.0.2>10.0.0.2', '10.0.0.9>10.0.0.9', '10.0.0.10>10.0.0.10']);
    expect(k.sysctl.set('net.ipv4.conf.all.arp_notify', -1, ROOT)).toBe(0); // any int, as Linux
    cycle();
    expect(seen).toHaveLength(3);
    lab.teardown();
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
    rx.mcIf = k1.devices[1] ?? null;
    expect(k1.udp.bind(rx, 0, 5000, USER)).toBe(0);
    expect(k1.udp.addMembership(rx, G1, k1.devices[1])).toBe(0);
    const tx = h0.kernel.udp.socket();
    tx.mcIf = h0.nics[0].dev ?? null;
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

  it('joining sends IGMPv3 state-change reports (igmp_qrv of them) and programs the device list', () => {
    const { lab, h1 } = threeHosts('perfect');
    const k1 = h1.kernel;
    const sock = k1.udp.socket();
    k1.udp.addMembership(sock, G1, k1.devices[1]);
    expect(h1.nics[0].dev.mc.toStrings()).toEqual(['01:00:5e:00:00:01', '01:00:5e:01:01:01']);
    lab.run(20 * SECOND);
    expect(k1.igmp.reportsSent).toBe(2); // TO_EX, sent twice (robustness 2)
    k1.udp.close(sock);
    lab.run(20 * SECOND);
    expect(k1.igmp.reportsSent).toBe(4); // TO_IN, twice: v3 has no leave message
    expect(k1.igmp.leavesSent).toBe(0);
    expect(h1.nics[0].dev.mc.toStrings()).toEqual(['01:00:5e:00:00:01']);
  });

  it('with force_igmp_version 2, joining sends an IGMPv2 report, and the last leave a leave', () => {
    const { lab, h1 } = threeHosts('perfect');
    const k1 = h1.kernel;
    expect(k1.sysctl.set('net.ipv4.conf.all.force_igmp_version', 2, ROOT)).toBe(0);
    const sock = k1.udp.socket();
    sock.mcIf = k1.devices[1] ?? null;
    k1.udp.addMembership(sock, G1, k1.devices[1]);
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
    h2.kernel.udp.addMembership(h2.kernel.udp.socket(), G1, h2.nics[0].dev);
    // ARP: the neighbour's reachable time is random too; let it lapse, then send again.
    const sock = h1.kernel.udp.socket();
    sock.mcIf = h1.nics[0].dev ?? null;
    for (let i = 0; i < 4; i++) {
      expect(h1.kernel.udp.sendto(sock, null, 18, ip('10.0.0.3'), 7000)).toBe(18);
      lab.run(40 * SECOND);
    }
    expect(times.length).toBeGreaterThan(8);
    expect(times.filter((t) => !Number.isInteger(t))).toEqual([]);
  });
});

describe('UDP sendto', () => {
  it('checksums the datagram it builds, for any payload length, copied or zero', () => {
    const { lab, h0 } = threeHosts();
    const dev = h0.nics[0].dev;
    const sent: Uint8Array[] = [];
    dev.taps.push((skb) => sent.push(skb.buf.slice(skb.data, skb.tail)));
    const tx = h0.kernel.udp.socket();
    tx.mcIf = dev;
    const data = Uint8Array.from({ length: 300 }, (_, i) => (i * 37 + 11) & 0xff);
    const lengths = [0, 1, 2, 17, 18, 19, 63, 64, 65, 200, 300];
    for (const n of lengths) {
      expect(h0.kernel.udp.sendto(tx, data, n, G1, 5000)).toBe(n);
      expect(h0.kernel.udp.sendto(tx, null, n, G1, 5000)).toBe(n);
      lab.run(MS);
    }
    const udps = sent.filter((f) => f[12] === 0x08 && f[13] === 0x00 && f[23] === IPPROTO_UDP);
    expect(udps).toHaveLength(2 * lengths.length);
    udps.forEach((f, i) => {
      const n = lengths[i >> 1];
      const udp = new UdpView(f, 34, 8 + n);
      expect(udp.checksum).not.toBe(0);
      expect(udp.verifyChecksum(ip('10.0.0.1'), G1)).toBe(true);
      expect([...f.subarray(42, 42 + n)]).toEqual(
        i & 1 ? new Array(n).fill(0) : [...data.subarray(0, n)],
      );
    });
  });
});

describe('IGMP queries', () => {
  it('members answer a general query within the window, and one report suppresses the others', () => {
    const { lab, h0, h1, h2 } = threeHosts('hash64');
    for (const h of [h1, h2]) h.kernel.udp.addMembership(h.kernel.udp.socket(), G1, h.nics[0].dev);
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
      rx.mcIf = k1.devices[1] ?? null;
      k1.udp.bind(rx, 0, 5000, USER);
      k1.udp.setRcvbuf(rx, rcvbuf);
      k1.udp.addMembership(rx, G1, k1.devices[1]);
      lab.run(MS);
      const tx = h0.kernel.udp.socket();
      tx.mcIf = h0.nics[0].dev ?? null;
      for (let i = 0; i < 100; i++) h0.kernel.udp.sendto(tx, null, 18, G1, 5000);
      lab.run(10 * MS);
      return { k1, rx, lab };
    };
    const small = run(4096);
    // SO_RCVBUF is doubled: 8192 bytes hold 9 datagrams of truesize 832 (as on Linux 6.18).
    expect(small.rx.rcvbuf).toBe(8192);
    expect(small.rx.receiveQueue.qlen).toBe(9);
    expect(small.k1.mib.udp.RcvbufErrors).toBe(91);
    expect(small.k1.mib.udp.InErrors).toBe(91);
    expect(small.k1.machine.fates.total(FATE_RCVBUF_FULL)).toBe(91);
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
    rx.mcIf = k1.devices[1] ?? null;
    k1.udp.bind(rx, 0, 5000, USER);
    k1.udp.addMembership(rx, G1, k1.devices[1]);
    const reader = new UdpReader(k1, rx, 1000); // 1000 datagrams/s
    lab.run(MS);
    const tx = h0.kernel.udp.socket();
    tx.mcIf = h0.nics[0].dev ?? null;
    const sender = h0.kernel.timers.setup(() => {
      h0.kernel.udp.sendto(tx, null, 18, G1, 5000);
      h0.kernel.timers.mod(sender, lab.now + 100_000); // 10,000 datagrams/s
    });
    h0.kernel.timers.mod(sender, lab.now);
    lab.run(SECOND);
    h0.kernel.timers.del(sender);
    // rmem_default (212992 bytes, not doubled: only SO_RCVBUF doubles) holds 256 datagrams of
    // truesize 832. The reader takes one a millisecond, but their memory comes back in
    // batches of a quarter of the buffer (64 datagrams), which the traffic refills at once.
    expect(rx.rcvbuf).toBe(212992);
    expect(rx.receiveQueue.qlen).toBeGreaterThanOrEqual(256 - 64);
    expect(rx.receiveQueue.qlen).toBeLessThanOrEqual(256);
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

  it('memory of datagrams read comes back a quarter of the buffer at a time (udp_rmem_release)', () => {
    const { lab, h0, h1 } = threeHosts('perfect');
    const k1 = h1.kernel;
    const rx = k1.udp.socket();
    rx.mcIf = k1.devices[1] ?? null;
    k1.udp.bind(rx, 0, 5000, USER);
    k1.udp.addMembership(rx, G1, k1.devices[1]);
    lab.run(MS);
    const tx = h0.kernel.udp.socket();
    tx.mcIf = h0.nics[0].dev ?? null;
    const burst = (n: number) => {
      for (let i = 0; i < n; i++) h0.kernel.udp.sendto(tx, null, 18, G1, 5000);
      lab.run(10 * MS);
    };
    burst(300);
    expect(rx.receiveQueue.qlen).toBe(256);
    // 63 read: 52416 bytes owed, under a quarter of 212992, and the reader's queue is not empty.
    for (let i = 0; i < 63; i++) expect(k1.udp.recv(rx)).toBe(18);
    expect(rx.rmemAlloc).toBe(212992);
    burst(10);
    expect(rx.receiveQueue.qlen).toBe(256 - 63);
    // The 64th makes a quarter: all 64 come back, and 64 new datagrams fit.
    expect(k1.udp.recv(rx)).toBe(18);
    expect(rx.rmemAlloc).toBe(212992 - 64 * 832);
    burst(100);
    expect(rx.receiveQueue.qlen).toBe(256);
    lab.teardown();
    expect(lab.pool.outstanding).toBe(0);
  });

  it('an empty queue takes one datagram larger than the whole buffer', () => {
    const { lab, h0, h1 } = threeHosts('perfect');
    const k1 = h1.kernel;
    const rx = k1.udp.socket();
    rx.mcIf = k1.devices[1] ?? null;
    k1.udp.bind(rx, 0, 5000, USER);
    k1.udp.setRcvbuf(rx, 1); // the minimum: 2304
    expect(rx.rcvbuf).toBe(2304);
    const tx = h0.kernel.udp.socket();
    tx.mcIf = h0.nics[0].dev ?? null;
    for (let i = 0; i < 3; i++) h0.kernel.udp.sendto(tx, null, 1400, ip('10.0.0.2'), 5000);
    lab.run(10 * MS);
    expect(rx.receiveQueue.qlen).toBe(1);
    expect(k1.mib.udp.RcvbufErrors).toBe(2);
    lab.teardown();
  });

  it('SO_RCVBUF below the minimum gives 2304; a negative one is taken as rmem_max, as Linux does', () => {
    const { h1 } = threeHosts();
    const k = h1.kernel;
    const s = k.udp.socket();
    s.mcIf = k.devices[1] ?? null;
    expect(k.udp.setRcvbuf(s, 0)).toBe(0);
    expect(k.udp.getRcvbuf(s)).toBe(2304);
    expect(k.udp.setRcvbuf(s, -5)).toBe(0);
    expect(k.udp.getRcvbuf(s)).toBe(2 * 212992);
    expect(k.sysctl.set('net.core.rmem_default', 2303, ROOT)).toBe(-EINVAL);
    expect(k.sysctl.set('net.core.rmem_default', 2304, ROOT)).toBe(0);
    expect(k.sysctl.set('net.core.wmem_default', 4607, ROOT)).toBe(-EINVAL);
  });

  it('rmem_max bounds SO_RCVBUF; raising it (as root) lets a socket have more', () => {
    const { h1 } = threeHosts();
    const k = h1.kernel;
    const s = k.udp.socket();
    s.mcIf = k.devices[1] ?? null;
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
    rx.mcIf = h1.nics[0].dev ?? null;
    h1.kernel.udp.bind(rx, 0, 7000, USER);
    const tx = h0.kernel.udp.socket();
    tx.mcIf = h0.nics[0].dev ?? null;
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
      tx.mcIf = from.nics[0].dev ?? null;
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

  it('refuses oversize datagrams with IP_PMTUDISC_DO, privileged ports to users, and a busy port', () => {
    const { h0 } = threeHosts();
    const k = h0.kernel;
    const s = k.udp.socket();
    s.mcIf = k.devices[1] ?? null;
    // By default (IP_PMTUDISC_WANT) it goes out in fragments; with DO it is refused.
    expect(k.udp.sendto(s, null, 1473, ip('10.0.0.2'), 9)).toBe(1473);
    s.pmtudisc = 'do';
    expect(k.udp.sendto(s, null, 1473, ip('10.0.0.2'), 9)).toBe(-EMSGSIZE);
    expect(k.mib.ip).toMatchObject({ OutRequests: 1, FragOKs: 1, FragCreates: 2 });
    const b = k.udp.socket();
    expect(k.udp.bind(b, 0, 53, USER)).toBe(-EACCES);
    expect(k.udp.bind(b, 0, 53, ROOT)).toBe(0);
    expect(k.udp.bind(k.udp.socket(), 0, 53, ROOT)).toBe(-EADDRINUSE);
  });
});

describe('Linux 6.18 behaviours the fidelity suite checks against the real kernel', () => {
  it('a device going down takes its routes and its groups’ MACs, and up brings them back', () => {
    const { lab, h1 } = threeHosts('perfect');
    const k = h1.kernel;
    const dev = h1.nics[0].dev;
    k.udp.addMembership(k.udp.socket(), G1, dev);
    expect(dev.mc.toStrings()).toEqual(['01:00:5e:00:00:01', '01:00:5e:01:01:01']);
    expect(k.routes.routes).toHaveLength(1);
    devClose(dev);
    expect(dev.mc.toStrings()).toEqual([]);
    expect(k.routes.routes).toHaveLength(0);
    // The socket's group stays (ip maddr's inet line); 224.0.0.1 is left.
    expect(k.inDev(dev).mcList.map((m) => m.group)).toEqual([G1]);
    expect(devOpen(dev)).toBe(0);
    expect(k.inDev(dev).mcList.map((m) => m.group)).toEqual([ip('224.0.0.1'), G1]);
    expect(dev.mc.toStrings()).toEqual(['01:00:5e:00:00:01', '01:00:5e:01:01:01']);
    expect(k.routes.routes).toHaveLength(1);
    lab.teardown();
  });

  it('a host hears its own multicast (IP_MULTICAST_LOOP 1), and not with it off', () => {
    const { lab, h1 } = threeHosts('perfect');
    const k = h1.kernel;
    const rx = k.udp.socket();
    k.udp.bind(rx, 0, 5000, USER);
    k.udp.addMembership(rx, G1, k.devices[1]);
    const tx = k.udp.socket();
    tx.mcIf = k.devices[1];
    expect(tx.mcLoop).toBe(true);
    k.udp.sendto(tx, null, 10, G1, 5000);
    lab.run(MS);
    expect(rx.receiveQueue.qlen).toBe(1);
    tx.mcLoop = false;
    k.udp.sendto(tx, null, 10, G1, 5000);
    lab.run(MS);
    expect(rx.receiveQueue.qlen).toBe(1);
    lab.teardown();
    expect(lab.pool.outstanding).toBe(0);
  });

  it('a v2 querier makes the host speak IGMPv2 for the Older Version Querier Present Timeout', () => {
    const { lab, h0, h1 } = threeHosts('perfect');
    const dev = h1.nics[0].dev;
    expect(h1.kernel.igmp.version(dev)).toBe(3);
    h0.kernel.igmp.query(h0.nics[0].dev, 0, 100);
    lab.run(MS);
    expect(h1.kernel.igmp.version(dev)).toBe(2);
    lab.run(259 * SECOND);
    expect(h1.kernel.igmp.version(dev)).toBe(2);
    lab.run(2 * SECOND); // 2 × 125 s + 10 s after the query
    expect(h1.kernel.igmp.version(dev)).toBe(3);
  });
});
