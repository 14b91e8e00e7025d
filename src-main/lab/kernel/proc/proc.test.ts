import { describe, expect, it } from 'vitest';
import { ROOT } from '../../netdev/cred';
import { Lab } from '../../lab';
import { ENOENT } from '../../netdev/errno';
import { MS, SECOND } from '../../sim/time';
import { parseIpv4 } from '../../wire/ipv4-addr';
import { groupHexLe } from './igmp';
import { procIsDir, procRead, sysctlNameOf, sysctlPathOf } from './proc-fs';

const ip = (s: string) => parseIpv4(s)!;

function twoHosts() {
  const lab = new Lab({ seed: 11 });
  const a = lab.addHost('a');
  const b = lab.addHost('b');
  lab.addInterface(a, { model: 'hash64', ip: '10.0.0.1/24' });
  lab.addInterface(b, { model: 'perfect', ip: '10.0.0.2/24' });
  lab.run(MS);
  return { lab, a, b };
}

const read = (k: Parameters<typeof procRead>[0], path: string) => procRead(k, path) as string;

describe('/proc/net/dev', () => {
  it('has Linux header lines and folds missed, framing and carrier errors as dev_seq_printf_stats', () => {
    const { a } = twoHosts();
    const s = a.nics[0].stats;
    Object.assign(s, {
      rx_bytes: 1234567,
      rx_packets: 3000,
      rx_errors: 9,
      rx_dropped: 2,
      rx_missed_errors: 5,
      rx_fifo_errors: 1,
      rx_length_errors: 1,
      rx_over_errors: 1,
      rx_crc_errors: 3,
      rx_frame_errors: 4,
      multicast: 77,
      tx_bytes: 999,
      tx_packets: 8,
      tx_errors: 6,
      tx_dropped: 1,
      tx_fifo_errors: 2,
      collisions: 12,
      tx_carrier_errors: 1,
      tx_aborted_errors: 2,
      tx_window_errors: 3,
      tx_heartbeat_errors: 4,
    });
    const lines = read(a.kernel, '/proc/net/dev').split('\n');
    expect(lines[0]).toBe(
      'Inter-|   Receive                                                |  Transmit',
    );
    expect(lines[1]).toBe(
      ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed',
    );
    // drop = 2 + 5 missed; frame = 1 + 1 + 3 + 4; carrier = 1 + 2 + 3 + 4.
    expect(lines[2]).toBe(
      '    lo:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0',
    );
    expect(lines[3]).toBe(
      '  eth0: 1234567    3000    9    7    1     9          0        77      999       8    6    1    2    12      10          0',
    );
    expect(lines[4]).toBe('');
  });
});

describe('/proc/net/igmp and /proc/net/dev_mcast', () => {
  it('prints groups as little-endian hex, newest first, with users, timer and reporter', () => {
    expect(groupHexLe(ip('239.1.1.1'))).toBe('010101EF');
    expect(groupHexLe(ip('224.0.0.1'))).toBe('010000E0');
    expect(groupHexLe(ip('239.255.0.2'))).toBe('0200FFEF');
    const { lab, b } = twoHosts();
    const k = b.kernel;
    // IGMPv2's per-group report timers and reporter flag (IGMPv3, the default, uses neither).
    expect(k.sysctl.set('net.ipv4.conf.all.force_igmp_version', 2, { uid: 0 })).toBe(0);
    const s1 = k.udp.socket();
    s1.mcIf = k.devices[1] ?? null;
    const s2 = k.udp.socket();
    s2.mcIf = k.devices[1] ?? null;
    expect(k.udp.addMembership(s1, ip('239.1.1.1'), k.devices[1])).toBe(0);
    expect(k.udp.addMembership(s2, ip('239.1.1.1'), k.devices[1])).toBe(0);
    lab.run(20 * SECOND); // both unsolicited reports sent: no timer running
    expect(read(k, '/proc/net/igmp')).toBe(
      'Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter\n' +
        '1\tlo        :     1      V2\n' +
        '\t\t\t\t010000E0     1 0:00000000\t\t0\n' +
        '2\teth0      :     2      V2\n' +
        '\t\t\t\t010101EF     2 0:00000000\t\t1\n' +
        '\t\t\t\t010000E0     1 0:00000000\t\t0\n',
    );
    // The group's MAC is one reference however many sockets joined: IGMP counts the users.
    expect(read(k, '/proc/net/dev_mcast')).toBe(
      '2    eth0            1     0     01005e000001\n' +
        '2    eth0            1     0     01005e010101\n',
    );
    // A fresh join has its repeat report pending: the timer column runs, in 10 ms ticks.
    k.udp.addMembership(s1, ip('239.1.1.2'), k.devices[1]);
    const line = read(k, '/proc/net/igmp').split('\n')[4];
    expect(line).toMatch(/^\t\t\t\t020101EF {5}1 1:[0-9A-F]{8}\t\t1$/);
    const ticks = parseInt(line.split(':')[1], 16);
    expect(ticks).toBeGreaterThanOrEqual(0);
    expect(ticks).toBeLessThan(1000); // within the 10 s unsolicited report interval
    k.sysctl.set('net.ipv4.conf.all.force_igmp_version', 1, { uid: 0 });
    expect(read(k, '/proc/net/igmp').split('\n')[3]).toBe('2\teth0      :     3      V1');
  });
});

describe('/proc/net/arp', () => {
  it('shows complete entries with flags 0x2 and unresolved ones with 0x0 and a zero address', () => {
    const { lab, a, b } = twoHosts();
    const p = a.kernel.icmp.openPing();
    a.kernel.icmp.sendEcho(p, ip('10.0.0.2'), 1, 56);
    a.kernel.icmp.sendEcho(p, ip('10.0.0.77'), 1, 56);
    lab.run(100 * MS);
    expect(read(a.kernel, '/proc/net/arp')).toBe(
      'IP address       HW type     Flags       HW address            Mask     Device\n' +
        '10.0.0.2         0x1         0x2         02:00:00:00:02:00     *        eth0\n' +
        '10.0.0.77        0x1         0x0         00:00:00:00:00:00     *        eth0\n',
    );
    expect(read(b.kernel, '/proc/net/arp')).toContain('10.0.0.1         0x1         0x2 ');
  });
});

describe('/proc/net/softnet_stat and /proc/interrupts', () => {
  it('counts frames processed, backlog drops and squeezed rounds, in 15 hex columns for the one CPU', () => {
    const { lab, a, b } = twoHosts();
    const p = a.kernel.icmp.openPing();
    for (let i = 1; i <= 3; i++) {
      a.kernel.icmp.sendEcho(p, ip('10.0.0.2'), i, 56);
      lab.run(10 * MS);
    }
    const text = read(a.kernel, '/proc/net/softnet_stat');
    const cols = text.trimEnd().split(' ');
    expect(cols).toHaveLength(15); // Linux 6.18: input_qlen and process_qlen at the end
    expect(cols.every((c) => /^[0-9a-f]{8}$/.test(c))).toBe(true);
    expect(parseInt(cols[0], 16)).toBe(a.nics[0].stats.rx_packets);
    expect(parseInt(cols[0], 16)).toBeGreaterThan(0);
    expect(cols.slice(1)).toEqual(Array(14).fill('00000000'));
    // A broadcast flood onto a's slow CPU: its hash64 card has no NAPI, so the
    // interrupt handler fills the backlog, which overflows and runs out of budget.
    a.machine.cpu.perFrame = 50_000;
    expect(a.kernel.sysctl.set('net.core.netdev_max_backlog', 100, ROOT)).toBe(0);
    expect(a.machine.softnet.maxBacklog).toBe(100);
    const tx = b.kernel.udp.socket();
    tx.mcIf = b.nics[0].dev ?? null;
    for (let i = 0; i < 1500; i++) b.kernel.udp.sendto(tx, null, 18, ip('10.0.0.255'), 9);
    lab.run(50 * MS);
    const sd = a.machine.softnet;
    expect(sd.dropped).toBeGreaterThan(0);
    expect(sd.timeSqueeze).toBeGreaterThan(0);
    const after = read(a.kernel, '/proc/net/softnet_stat').trimEnd().split(' ');
    expect(after.slice(0, 3).map((c) => parseInt(c, 16))).toEqual([
      sd.processed,
      sd.dropped,
      sd.timeSqueeze,
    ]);
    expect(parseInt(after[11], 16)).toBe(sd.backlog.qlen);
  });

  it('lists each interrupt line with its count, the XT-PIC chip and the device holding it', () => {
    const { lab, a, b } = twoHosts();
    // b asks for a's MAC and pings it: a's card interrupts for what it receives.
    b.kernel.icmp.sendEcho(b.kernel.icmp.openPing(), ip('10.0.0.1'), 1, 56);
    lab.run(10 * MS);
    const count = a.machine.interrupts.get(3)!;
    expect(count).toBeGreaterThan(0);
    expect(read(a.kernel, '/proc/interrupts')).toBe(
      '           CPU0       \n' +
        `  3: ${String(count).padStart(10)}    XT-PIC-XT        eth0\n` +
        'ERR:          0\n',
    );
  });
});

describe('/proc/net/snmp', () => {
  it('is the MIB with IcmpMsg per type after Icmp, In types before Out types', () => {
    const { lab, a } = twoHosts();
    const p = a.kernel.icmp.openPing();
    a.kernel.icmp.sendEcho(p, ip('10.0.0.2'), 1, 56);
    lab.run(10 * MS);
    const lines = read(a.kernel, '/proc/net/snmp').split('\n');
    expect(lines.map((l) => l.split(':')[0])).toEqual([
      'Ip',
      'Ip',
      'Icmp',
      'Icmp',
      'IcmpMsg',
      'IcmpMsg',
      'Tcp',
      'Tcp',
      'Udp',
      'Udp',
      'UdpLite',
      'UdpLite',
      '',
    ]);
    expect(lines[4]).toBe('IcmpMsg: InType0 OutType8');
    expect(lines[5]).toBe('IcmpMsg: 1 1');
    expect(lines[1].startsWith('Ip: 2 64 ')).toBe(true);
  });
});

describe('/proc/net/stat/rt_cache', () => {
  it("prints rt_cpu_seq_show's header and one line of 17 hex columns, spaced as its format", () => {
    const { a } = twoHosts();
    const k = a.kernel;
    Object.assign(k.rtStat, {
      inSlowMc: 3,
      inNoRoute: 0x1f,
      inBrd: 70000,
      inMartianDst: 2,
      inMartianSrc: 0xabc,
    });
    const z = '00000000';
    expect(read(k, '/proc/net/stat/rt_cache')).toBe(
      'entries  in_hit   in_slow_tot in_slow_mc in_no_route in_brd   in_martian_dst in_martian_src ' +
        'out_hit  out_slow_tot out_slow_mc gc_total gc_ignored gc_goal_miss gc_dst_overflow ' +
        'in_hlist_search out_hlist_search\n' +
        `${z} ${z} ${z}    00000003   0000001f    00011170 00000002       00000abc       ` +
        `${z} ${z}     ${z}    ${z} ${z}   ${z}     ${z}        ${z}        ${z}\n`,
    );
    expect(procIsDir(k, '/proc/net/stat')).toBe(true);
  });
});

describe('procRead', () => {
  it('maps /proc/sys to sysctls, normalises paths, and answers ENOENT for anything else', () => {
    const { a } = twoHosts();
    const k = a.kernel;
    expect(procRead(k, '/proc/sys/net/core/rmem_max')).toBe('212992\n');
    expect(procRead(k, '/proc//sys/./net/ipv4/../core/rmem_max/')).toBe('212992\n');
    expect(procRead(k, '/proc/sys/net/core/nope')).toBe(-ENOENT);
    expect(procRead(k, '/proc/net/tcp')).toBe(-ENOENT);
    expect(procRead(k, '/etc/passwd')).toBe(-ENOENT);
    expect(sysctlNameOf('/proc/sys/net/ipv4/ip_default_ttl')).toBe('net.ipv4.ip_default_ttl');
    expect(sysctlPathOf('net.core.rmem_max')).toBe('/proc/sys/net/core/rmem_max');
    expect(procIsDir(k, '/proc/sys/net/core')).toBe(true);
    expect(procIsDir(k, '/proc/net')).toBe(true);
    expect(procIsDir(k, '/proc/net/dev')).toBe(false);
  });
});
