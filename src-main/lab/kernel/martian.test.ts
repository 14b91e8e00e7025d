import { describe, expect, it } from 'vitest';
import { Shell } from '../host/shell/shell';
import { Lab } from '../lab';
import { ROOT } from '../netdev/cred';
import { FATE_CONSUMED, FATE_DELIVERED, FATE_MARTIAN, FATE_NOT_JOINED } from '../netdev/fate';
import { ExternalPort } from '../segment/external-port';
import { MS, SECOND } from '../sim/time';
import { ARPOP_REPLY, ARPOP_REQUEST, ArpView } from '../wire/arp';
import { getU16, getU32 } from '../wire/bytes';
import { ETH_P_ARP, ETH_P_IP, EthernetView } from '../wire/ethernet';
import { ICMP_ECHO, ICMP_ECHOREPLY, IcmpView } from '../wire/icmp';
import { IGMPV2_HOST_MEMBERSHIP_REPORT, IgmpView } from '../wire/igmp';
import { formatIpv4, parseIpv4 } from '../wire/ipv4-addr';
import { IPPROTO_ICMP, IPPROTO_IGMP, IPPROTO_UDP, Ipv4View } from '../wire/ipv4';
import { macKey, writeMacKey } from '../wire/mac';
import { UdpView } from '../wire/udp';
import { auditLab } from '../fuzz/fate-audit';

const ip = (s: string) => parseIpv4(s)!;
const BCAST_MAC = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
/** The outsider's MAC (the external port's frames claim it). */
const OUT_KEY = 0x02aa00000001;
const OUT_MAC = new Uint8Array(6);
writeMacKey(OUT_MAC, 0, OUT_KEY);
/** The outsider's address, which it answers ARP for. */
const NEIGHBOUR = ip('10.0.0.7');

/**
 * A host `h` (10.0.0.1/24) with a socket on UDP 5000, a peer `p` (10.0.0.2)
 * and an external port that injects crafted frames and records what `h` sends.
 */
function setup() {
  const lab = new Lab({ seed: 21 });
  const h = lab.addHost('h');
  const hNic = lab.addInterface(h, { model: 'nofilter', ip: '10.0.0.1/24' });
  const p = lab.addHost('p');
  lab.addInterface(p, { model: 'nofilter', ip: '10.0.0.2/24' });
  const port = new ExternalPort('x', lab.segment);
  const k = h.kernel;
  const sock = k.udp.socket();
  sock.mcIf = k.devices[1] ?? null;
  expect(k.udp.bind(sock, 0, 5000, ROOT)).toBe(0);
  lab.run(20 * SECOND); // gratuitous ARPs and IGMP reports are over
  const hMac = hNic.dev.devAddr;
  /** Frames `h` put on the wire since the last `take`. */
  let fromH: Uint8Array[] = [];
  port.onFrame = (bytes, len) => {
    if (macKey(bytes.subarray(6, 12)) === macKey(hMac)) fromH.push(bytes.slice(0, len));
  };
  // The outsider answers ARP for 10.0.0.7, the neighbour the tests' good datagrams come from.
  const answer = new Uint8Array(14 + 28);
  const seen = port.onFrame;
  port.onFrame = (bytes, len) => {
    seen?.(bytes, len);
    if (getU16(bytes, 12) === ETH_P_ARP && getU16(bytes, 20) === ARPOP_REQUEST) {
      if (getU32(bytes, 38) !== NEIGHBOUR) return;
      EthernetView.write(answer, 0, bytes.subarray(6, 12), OUT_MAC, ETH_P_ARP);
      ArpView.write(
        answer,
        14,
        ARPOP_REPLY,
        OUT_KEY,
        NEIGHBOUR,
        macKey(bytes, 6),
        getU32(bytes, 28),
      );
      port.send(answer);
    }
  };
  const take = () => {
    const out = fromH;
    fromH = [];
    return out;
  };
  const inject = (frame: Uint8Array) => {
    expect(port.send(frame)).toBe(true);
    lab.run(10 * MS);
  };
  return { lab, h, k, p, port, sock, hMac, take, inject };
}

/** An IPv4 frame from the outsider: `l4` bytes of protocol `proto`, written by `fill`. */
function ipFrame(
  destMac: Uint8Array,
  src: number,
  dst: number,
  proto: number,
  l4: number,
  fill: (b: Uint8Array, at: number) => void,
): Uint8Array {
  const b = new Uint8Array(14 + 20 + l4);
  EthernetView.write(b, 0, destMac, OUT_MAC, ETH_P_IP);
  Ipv4View.write(b, 14, 0, 20 + l4, 1, 0, 64, proto, src, dst);
  fill(b, 34);
  return b;
}

function udpFrame(destMac: Uint8Array, src: number, dst: number, dport: number): Uint8Array {
  return ipFrame(destMac, src, dst, IPPROTO_UDP, 8 + 4, (b, at) => {
    UdpView.write(b, at, 4000, dport, 12);
    new UdpView(b, at, 12).fillChecksum(src, dst);
  });
}

function icmpFrame(destMac: Uint8Array, src: number, dst: number, type = ICMP_ECHO): Uint8Array {
  return ipFrame(destMac, src, dst, IPPROTO_ICMP, 8 + 8, (b, at) => {
    IcmpView.writeEcho(b, at, type, 77, 1);
    new IcmpView(b, at, 16).fillChecksum();
  });
}

function arpFrame(destMac: Uint8Array, op: number, sip: number, tip: number): Uint8Array {
  const b = new Uint8Array(14 + 28);
  EthernetView.write(b, 0, destMac, OUT_MAC, ETH_P_ARP);
  ArpView.write(b, 14, op, OUT_KEY, sip, 0, tip);
  return b;
}

/** What a frame `h` sent is, in a word or two. */
function describe1(f: Uint8Array): string {
  const type = getU16(f, 12);
  if (type === ETH_P_ARP) {
    const op = getU16(f, 20) === ARPOP_REQUEST ? 'request' : 'reply';
    return `arp ${op} ${formatIpv4(getU32(f, 28))} -> ${formatIpv4(getU32(f, 38))}`;
  }
  const proto = f[14 + 9];
  const dst = formatIpv4(getU32(f, 30));
  if (proto === IPPROTO_ICMP) return `icmp ${f[34]}/${f[35]} to ${dst}`;
  return `ip proto ${proto} to ${dst}`;
}

/** The rt_cache line's columns, by name, from `cat` as a student reads it. */
function rtCache(sh: Shell): Record<string, number> {
  const [head, line] = sh.exec('cat /proc/net/stat/rt_cache').output;
  const names = head.trim().split(/\s+/);
  const values = line.trim().split(/\s+/);
  return Object.fromEntries(names.map((n, i) => [n, parseInt(values[i], 16)]));
}

const MARTIAN_SOURCES = [
  '224.0.0.5', // multicast
  '239.1.1.1',
  '255.255.255.255', // limited broadcast
  '10.0.0.255', // the subnet's directed broadcast
  '0.0.0.0',
  '0.1.2.3', // 0.0.0.0/8
  '127.0.0.1', // loopback, on a real device
  '10.0.0.1', // the host's own address
];

describe('martian sources', () => {
  it('are dropped by input routing: no echo reply, no port unreachable, no delivery; counted in in_martian_src only', () => {
    const { lab, h, k, port, sock, hMac, take, inject } = setup();
    const sh = new Shell(h);
    const fatesBefore = h.machine.fates.total(FATE_MARTIAN);
    const H = ip('10.0.0.1');
    for (const s of MARTIAN_SOURCES) {
      const src = ip(s);
      inject(icmpFrame(hMac, src, H)); // ping
      inject(udpFrame(hMac, src, H, 5000)); // to the open socket
      inject(udpFrame(hMac, src, H, 6000)); // to a closed port
      inject(udpFrame(BCAST_MAC, src, ip('10.0.0.255'), 5000)); // a broadcast
    }
    const n = MARTIAN_SOURCES.length * 4;
    expect(take().map(describe1)).toEqual([]); // not one frame in answer, not even an ARP request
    expect(sock.queued).toBe(0);
    expect(k.neigh.entries.map((e) => formatIpv4(e.ip))).toEqual([]);
    expect(h.machine.fates.total(FATE_MARTIAN) - fatesBefore).toBe(n);
    // Linux's ip_rcv_finish_core drops them with no Ip counter: only InReceives moved.
    expect(k.mib.ip).toMatchObject({ InReceives: n, InDelivers: 0, InAddrErrors: 0 });
    expect(k.mib.icmp).toMatchObject({ InMsgs: 0, OutMsgs: 0 });
    expect(k.mib.udp).toMatchObject({ NoPorts: 0, IgnoredMulti: 0, InDatagrams: 0 });
    expect(rtCache(sh)).toMatchObject({ in_martian_src: n, in_martian_dst: 0 });
    expect(auditLab(lab, [port], { wholeRun: true, settled: true }).problems).toEqual([]);

    // The same datagrams from a neighbour's address are answered and delivered.
    const good = ip('10.0.0.7');
    inject(icmpFrame(hMac, good, H));
    inject(udpFrame(hMac, good, H, 5000));
    inject(udpFrame(hMac, good, H, 6000));
    inject(udpFrame(BCAST_MAC, good, ip('10.0.0.255'), 5000));
    const answers = take().map(describe1);
    expect(answers).toContain('arp request 10.0.0.1 -> 10.0.0.7');
    expect(answers).toContain('icmp 0/0 to 10.0.0.7'); // echo reply
    expect(answers).toContain('icmp 3/3 to 10.0.0.7'); // port unreachable
    expect(sock.queued).toBe(2);
    expect(rtCache(sh)).toMatchObject({ in_martian_src: n, in_brd: 1 });
    lab.teardown();
    expect(lab.pool.outstanding).toBe(0);
  });

  it('0.0.0.0 may reach 255.255.255.255 (a DHCP client without an address), nothing else', () => {
    const { lab, k, sock, hMac, take, inject } = setup();
    inject(udpFrame(BCAST_MAC, 0, 0xffffffff, 5000)); // DHCPDISCOVER-like: delivered
    inject(udpFrame(BCAST_MAC, 0, 0xffffffff, 6000)); // no socket: counted, never answered
    inject(icmpFrame(BCAST_MAC, 0, 0xffffffff)); // a ping to broadcast: ignored by default
    expect(sock.queued).toBe(1);
    expect(k.mib.udp.IgnoredMulti).toBe(1);
    expect(k.rtStat.inBrd).toBe(3);
    inject(udpFrame(BCAST_MAC, 0, ip('10.0.0.255'), 5000));
    inject(udpFrame(hMac, 0, ip('10.0.0.1'), 5000));
    expect(sock.queued).toBe(1);
    expect(k.rtStat.inMartianSrc).toBe(2);
    // Even when broadcast pings are answered, a reply to 0.0.0.0 would stay in the host.
    expect(k.sysctl.set('net.ipv4.icmp_echo_ignore_broadcasts', 0, ROOT)).toBe(0);
    inject(icmpFrame(BCAST_MAC, 0, 0xffffffff));
    expect(take().map(describe1)).toEqual([]);
    lab.teardown();
    expect(lab.pool.outstanding).toBe(0);
  });
});

describe('martian destinations', () => {
  it('0.0.0.0/8 and 127.0.0.0/8 are counted in in_martian_dst, not Ip InAddrErrors', () => {
    const { lab, h, k, hMac, take, inject } = setup();
    for (const d of ['127.0.0.1', '127.1.2.3', '0.0.0.9']) {
      inject(icmpFrame(hMac, ip('10.0.0.7'), ip(d)));
      inject(udpFrame(hMac, ip('10.0.0.7'), ip(d), 5000));
    }
    expect(take()).toEqual([]);
    expect(k.rtStat.inMartianDst).toBe(6);
    expect(k.mib.ip.InAddrErrors).toBe(0);
    expect(h.machine.fates.total(FATE_MARTIAN)).toBe(6);
    // Unicast for another host is not a martian: no route here (in_no_route, InAddrErrors).
    const noRoute = k.rtStat.inNoRoute; // p's gratuitous ARP counted there too, as in Linux
    inject(udpFrame(hMac, ip('10.0.0.7'), ip('10.0.0.9'), 5000));
    expect(k.mib.ip.InAddrErrors).toBe(1);
    expect(rtCache(new Shell(h))).toMatchObject({ in_no_route: noRoute + 1, in_martian_dst: 6 });
    lab.teardown();
  });
});

describe('martian sources to a group', () => {
  it('are dropped uncounted (ip_mc_validate_source); 0.0.0.0 only to 224.0.0.0/24 or for IGMP', () => {
    const { lab, h, k, inject } = setup();
    const G = ip('239.1.1.1');
    const LOCAL_G = ip('224.0.0.251');
    const gsock = k.udp.socket();
    gsock.mcIf = k.devices[1] ?? null;
    k.udp.bind(gsock, 0, 5353, ROOT);
    k.udp.addMembership(gsock, G, k.devices[1]);
    k.udp.addMembership(gsock, LOCAL_G, k.devices[1]);
    lab.run(20 * SECOND);
    const gMac = (g: number) =>
      Uint8Array.of(1, 0, 0x5e, (g >>> 16) & 0x7f, (g >>> 8) & 0xff, g & 0xff);
    const before = h.machine.fates.total(FATE_MARTIAN);
    for (const s of [
      '224.0.0.5',
      '255.255.255.255',
      '127.0.0.1',
      '10.0.0.1',
      '10.0.0.255',
      '0.0.0.0',
    ]) {
      inject(udpFrame(gMac(G), ip(s), G, 5353));
    }
    expect(gsock.queued).toBe(0);
    expect(h.machine.fates.total(FATE_MARTIAN) - before).toBe(6);
    expect(k.rtStat.inMartianSrc).toBe(0); // ip_route_input_mc counts none of them
    // From 0.0.0.0: allowed to a link-local group; an IGMP report from 0.0.0.0 is taken too.
    inject(udpFrame(gMac(LOCAL_G), 0, LOCAL_G, 5353));
    expect(gsock.queued).toBe(1);
    const report = ipFrame(gMac(G), 0, G, IPPROTO_IGMP, 8, (b, at) => {
      IgmpView.write(b, at, IGMPV2_HOST_MEMBERSHIP_REPORT, 0, G);
      new IgmpView(b, at, 8).fillChecksum();
    });
    const consumed = h.machine.fates.total(FATE_CONSUMED);
    inject(report);
    expect(h.machine.fates.total(FATE_CONSUMED)).toBe(consumed + 1);
    inject(udpFrame(gMac(G), ip('10.0.0.7'), G, 5353));
    expect(gsock.queued).toBe(2);
    expect(h.machine.fates.total(FATE_DELIVERED)).toBe(2);
    expect(k.rtStat.inSlowMc).toBe(3);
    lab.teardown();
  });
});

describe('a multicast flow let in once', () => {
  it('is checked again when its group is left, its protocol changes or its source becomes ours', () => {
    const { lab, h, k, inject } = setup();
    const G = ip('239.1.1.1');
    const dev = k.devices[1];
    const gsock = k.udp.socket();
    k.udp.bind(gsock, 0, 5353, ROOT);
    k.udp.addMembership(gsock, G, dev);
    lab.run(20 * SECOND);
    const gMac = Uint8Array.of(1, 0, 0x5e, 1, 1, 1);
    const fates = h.machine.fates;
    const N = ip('10.0.0.7');
    inject(udpFrame(gMac, N, G, 5353));
    inject(udpFrame(gMac, N, G, 5353)); // the same flow again: the same checks, counted again
    expect(gsock.queued).toBe(2);
    expect(k.rtStat.inSlowMc).toBe(2);

    // Left: not joined any more.
    k.udp.dropMembership(gsock, G, dev);
    const notJoined = fates.total(FATE_NOT_JOINED);
    inject(udpFrame(gMac, N, G, 5353));
    expect(fates.total(FATE_NOT_JOINED)).toBe(notJoined + 1);
    expect(k.udp.addMembership(gsock, G, dev)).toBe(0);
    inject(udpFrame(gMac, N, G, 5353));
    expect(gsock.queued).toBe(3);

    // From 0.0.0.0 an IGMP report is let in; a UDP datagram between the same addresses is not.
    const report = ipFrame(gMac, 0, G, IPPROTO_IGMP, 8, (b, at) => {
      IgmpView.write(b, at, IGMPV2_HOST_MEMBERSHIP_REPORT, 0, G);
      new IgmpView(b, at, 8).fillChecksum();
    });
    const consumed = fates.total(FATE_CONSUMED);
    const martians = fates.total(FATE_MARTIAN);
    inject(report);
    expect(fates.total(FATE_CONSUMED)).toBe(consumed + 1);
    inject(udpFrame(gMac, 0, G, 5353));
    expect(fates.total(FATE_MARTIAN)).toBe(martians + 1);

    // The sender's address made one of ours: the flow's source is now a martian.
    inject(udpFrame(gMac, N, G, 5353));
    expect(gsock.queued).toBe(4);
    expect(k.addAddress(dev, N, 24)).toBe(0);
    inject(udpFrame(gMac, N, G, 5353));
    expect(gsock.queued).toBe(4);
    expect(fates.total(FATE_MARTIAN)).toBe(martians + 2);
    lab.teardown();
  });
});

describe('ICMP and broadcasts', () => {
  it('ignores echo requests to a broadcast or a group (Icmp InErrors) unless told not to', () => {
    const { lab, k, take, inject } = setup();
    inject(icmpFrame(BCAST_MAC, ip('10.0.0.7'), ip('10.0.0.255')));
    inject(icmpFrame(BCAST_MAC, ip('10.0.0.7'), 0xffffffff));
    inject(icmpFrame(Uint8Array.of(1, 0, 0x5e, 0, 0, 1), ip('10.0.0.7'), ip('224.0.0.1')));
    expect(take()).toEqual([]);
    expect(k.mib.icmp).toMatchObject({ InMsgs: 3, InEchos: 3, InErrors: 3, OutEchoReps: 0 });
    // An echo reply to a broadcast is never taken either, whatever the sysctl.
    inject(icmpFrame(BCAST_MAC, ip('10.0.0.7'), ip('10.0.0.255'), ICMP_ECHOREPLY));
    expect(k.mib.icmp).toMatchObject({ InEchoReps: 1, InErrors: 4 });
    expect(k.sysctl.set('net.ipv4.icmp_echo_ignore_broadcasts', 0, ROOT)).toBe(0);
    inject(icmpFrame(BCAST_MAC, ip('10.0.0.7'), ip('10.0.0.255')));
    expect(take().map(describe1)).toEqual([
      'arp request 10.0.0.1 -> 10.0.0.7',
      'icmp 0/0 to 10.0.0.7', // answered from the host's own address
    ]);
    expect(k.mib.icmp.InErrors).toBe(4);
    lab.teardown();
  });

  it('sends no port unreachable for a link-layer broadcast, nor to a sender with no route back', () => {
    const { lab, k, hMac, take, inject } = setup();
    // Unicast IP in a broadcast frame (__icmp_send: pkt_type is not PACKET_HOST).
    inject(udpFrame(BCAST_MAC, ip('10.0.0.7'), ip('10.0.0.1'), 6000));
    // From off the subnet: the host routes only 10.0.0.0/24, so neither error nor ARP goes out.
    inject(udpFrame(hMac, ip('192.168.9.9'), ip('10.0.0.1'), 6000));
    inject(icmpFrame(hMac, ip('192.168.9.9'), ip('10.0.0.1')));
    expect(take()).toEqual([]);
    expect(k.mib.udp.NoPorts).toBe(2);
    expect(k.mib.icmp).toMatchObject({ InEchos: 1, OutMsgs: 0 });
    // The same to the host's MAC from a neighbour: a port unreachable.
    inject(udpFrame(hMac, ip('10.0.0.7'), ip('10.0.0.1'), 6000));
    expect(take().map(describe1)).toContain('icmp 3/3 to 10.0.0.7');
    lab.teardown();
  });
});

describe('ARP from martian senders', () => {
  it('answers no request and learns nothing from a multicast, broadcast, loopback or own sender', () => {
    const { lab, h, k, take, inject } = setup();
    const H = ip('10.0.0.1');
    const senders = [
      '224.0.0.9',
      '255.255.255.255',
      '10.0.0.255',
      '127.0.0.1',
      '0.1.2.3',
      '10.0.0.1',
    ];
    for (const s of senders) inject(arpFrame(BCAST_MAC, ARPOP_REQUEST, ip(s), H));
    // Replies claiming such senders teach nothing either.
    inject(arpFrame(BCAST_MAC, ARPOP_REPLY, ip('224.0.0.9'), H));
    // Requests about a group or a loopback address are dropped unread.
    inject(arpFrame(BCAST_MAC, ARPOP_REQUEST, ip('10.0.0.7'), ip('224.0.0.1')));
    inject(arpFrame(BCAST_MAC, ARPOP_REQUEST, ip('10.0.0.7'), ip('127.0.0.1')));
    expect(take()).toEqual([]);
    expect(k.neigh.entries).toEqual([]);
    expect(k.arp.repliesSent).toBe(0);
    expect(k.rtStat.inMartianSrc).toBe(senders.length); // ip_route_input_noref(tip, sip)
    expect(h.machine.fates.total(FATE_MARTIAN)).toBe(senders.length + 3);
    // A valid sender is answered and remembered (STALE).
    inject(arpFrame(BCAST_MAC, ARPOP_REQUEST, ip('10.0.0.7'), H));
    expect(take().map(describe1)).toEqual(['arp reply 10.0.0.1 -> 10.0.0.7']);
    expect(new Shell(h).exec('ip neigh').output).toEqual([
      '10.0.0.7 dev eth0 lladdr 02:aa:00:00:00:01 STALE ',
    ]);
    lab.teardown();
  });

  it('answers a probe (sender 0.0.0.0) for its address, unicast, and learns nothing from it', () => {
    const { lab, k, take, inject } = setup();
    inject(arpFrame(BCAST_MAC, ARPOP_REQUEST, 0, ip('10.0.0.1')));
    inject(arpFrame(BCAST_MAC, ARPOP_REQUEST, 0, ip('10.0.0.2'))); // p's: p answers, h does not
    const sent = take();
    expect(sent.map(describe1)).toEqual(['arp reply 10.0.0.1 -> 0.0.0.0']);
    const reply = sent[0];
    expect(macKey(reply.subarray(0, 6))).toBe(OUT_KEY); // to the prober's MAC, not broadcast
    expect(macKey(reply.subarray(14 + 18, 14 + 24))).toBe(OUT_KEY); // target hardware address
    expect(k.neigh.entries).toEqual([]);
    expect(k.rtStat.inMartianSrc).toBe(0);
    lab.teardown();
  });
});

describe('a /31 link (RFC 3021)', () => {
  it('has no broadcast address: the peer is a host, pinged and not a martian', () => {
    const lab = new Lab({ seed: 4 });
    const a = lab.addHost('a');
    const b = lab.addHost('b');
    lab.addInterface(a, { model: 'hash64', ip: '10.9.0.0/31' });
    lab.addInterface(b, { model: 'hash64', ip: '10.9.0.1/31' });
    lab.run(MS);
    const job = new Shell(a).exec('ping -c 2 10.9.0.1');
    lab.run(3 * SECOND);
    expect(job.output).toContain('2 packets transmitted, 2 received, 0% packet loss, time 1000ms');
    expect(a.kernel.rtStat.inMartianSrc + b.kernel.rtStat.inMartianSrc).toBe(0);
    lab.teardown();
  });
});
