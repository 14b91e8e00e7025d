import { describe, expect, it } from 'vitest';
import type { NicModelName } from '../../drivers/nic-model';
import { Lab } from '../../lab';
import { MS } from '../../sim/time';
import { humanBytes } from './ifconfig-show';
import { Shell } from './shell';

function host(model: NicModelName, up = true) {
  const lab = new Lab({ seed: 8 });
  const h = lab.addHost('h');
  lab.addInterface(h, { model, up, ...(up ? { ip: '10.0.0.1/24' } : {}) });
  lab.run(MS);
  const sh = new Shell(h);
  const run = (line: string) => {
    const job = sh.exec(line);
    expect(job.done, line).toBe(true);
    return job;
  };
  return { lab, h, sh, run, out: (line: string) => run(line).output };
}

describe('ifconfig output', () => {
  it('prints an interface as net-tools does', () => {
    const { out } = host('hash64', false);
    expect(out('ifconfig eth0')).toEqual([
      'eth0: flags=4098<BROADCAST,MULTICAST>  mtu 1500',
      '        ether 02:00:00:00:01:00  txqueuelen 1000  (Ethernet)',
      '        RX packets 0  bytes 0 (0.0 B)',
      '        RX errors 0  dropped 0  overruns 0  frame 0',
      '        TX packets 0  bytes 0 (0.0 B)',
      '        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0',
      // An I/O-mapped card: IRQ and I/O base; `memory` is for shared-memory cards only.
      '        device interrupt 3  base 0x300  ',
      '',
    ]);
    // Without -a only interfaces that are up are listed: lo, always up, as net-tools prints it.
    const lo = [
      'lo: flags=73<UP,LOOPBACK,RUNNING>  mtu 65536',
      '        inet 127.0.0.1  netmask 255.0.0.0',
      '        loop  txqueuelen 1000  (Local Loopback)',
      '        RX packets 0  bytes 0 (0.0 B)',
      '        RX errors 0  dropped 0  overruns 0  frame 0',
      '        TX packets 0  bytes 0 (0.0 B)',
      '        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0',
      '',
    ];
    expect(out('ifconfig')).toEqual(lo);
    expect(out('ifconfig -a')).toHaveLength(8 + lo.length);
    expect(out('ifconfig eth0 10.0.0.1/24')).toEqual([]);
    // Sorted by name, as net-tools keeps its list: eth0 before lo.
    const lines = out('ifconfig');
    expect(lines[0]).toBe('eth0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500');
    expect(lines[1]).toBe('        inet 10.0.0.1  netmask 255.255.255.0  broadcast 10.0.0.255');
    expect(lines.slice(9)).toEqual(lo);
  });

  it('shows the folded counters of /proc/net/dev, in KiB past 1024 bytes', () => {
    const { h, out } = host('hash64');
    Object.assign(h.nics[0].stats, {
      rx_packets: 10,
      rx_bytes: 1500,
      rx_errors: 4,
      rx_dropped: 1,
      rx_missed_errors: 2,
      rx_fifo_errors: 3,
      rx_crc_errors: 4,
      tx_packets: 2,
      tx_bytes: 2 * 1048576 + 1,
      tx_carrier_errors: 1,
      tx_aborted_errors: 1,
      collisions: 7,
    });
    const lines = out('ifconfig eth0');
    expect(lines.slice(3, 7)).toEqual([
      '        RX packets 10  bytes 1500 (1.4 KiB)',
      '        RX errors 4  dropped 3  overruns 3  frame 4',
      '        TX packets 2  bytes 2097153 (2.0 MiB)',
      '        TX errors 0  dropped 0 overruns 0  carrier 2  collisions 7',
    ]);
    expect(humanBytes(1024)).toBe('1024.0 B');
    expect(humanBytes(1025)).toBe('1.0 KiB');
  });

  it('reports an unknown interface as net-tools does', () => {
    const { run } = host('hash64');
    const job = run('ifconfig eth9');
    expect(job.output).toEqual(['eth9: error fetching interface information: Device not found']);
    expect(job.exitCode).toBe(1);
    expect(run('ifconfig eth9 up').output).toEqual([
      'eth9: ERROR while getting interface flags: No such device',
    ]);
    expect(run('ifconfig eth9 mtu 1400').output).toEqual(['SIOCSIFMTU: No such device']);
  });
});

describe('ifconfig changes, through the interface ioctls', () => {
  it('hash64 refuses a new MAC while up: SIOCSIFHWADDR: Device or resource busy', () => {
    const { h, run, out } = host('hash64');
    const job = run('ifconfig eth0 hw ether 02:00:00:00:09:09');
    expect(job.output).toEqual([
      'SIOCSIFHWADDR: Device or resource busy - you may need to down the interface',
    ]);
    expect(job.exitCode).toBe(1);
    expect(h.nics[0].dev.macText).toBe('02:00:00:00:01:00');
    // Options run in order: down first, then the MAC, then up again.
    expect(out('ifconfig eth0 down hw ether 02:00:00:00:09:09 up')).toEqual([]);
    expect(out('ifconfig eth0')[2]).toBe(
      '        ether 02:00:00:00:09:09  txqueuelen 1000  (Ethernet)',
    );
    expect(h.nics[0].dev.flags & 1).toBe(1);
    // In the other order the MAC fails, and net-tools carries on with the rest.
    const mixed = run('ifconfig eth0 hw ether 02:00:00:00:09:0a down');
    expect(mixed.output).toEqual([
      'SIOCSIFHWADDR: Device or resource busy - you may need to down the interface',
    ]);
    expect(mixed.exitCode).toBe(1);
    expect(h.nics[0].dev.flags & 1).toBe(0);
    expect(out('ifconfig eth0 hw ether zz:00')).toEqual(['zz:00: invalid ether address.']);
    expect(out('ifconfig eth0 hw ether 01:00:5e:00:00:01')).toEqual([
      'SIOCSIFHWADDR: Cannot assign requested address',
    ]);
  });

  it('nofilter changes its MAC while up; promisc-only cannot change it at all', () => {
    expect(host('nofilter').out('ifconfig eth0 hw ether 02:00:00:00:09:09')).toEqual([]);
    expect(host('promisc-only').out('ifconfig eth0 hw ether 02:00:00:00:09:09')).toEqual([
      'SIOCSIFHWADDR: Operation not supported',
    ]);
  });

  it('moves the card to another IRQ and I/O base only while down, and only where its jumpers allow', () => {
    const { lab, h, out } = host('hash64');
    // A datagram sent before the move: IRQ 3 counts its interrupt, and keeps the count after.
    expect(out('ifconfig eth0 irq 99')).toEqual(['irq: SIOCSIFMAP: Invalid argument']);
    h.kernel.udp.sendto(h.kernel.udp.socket(), null, 1, 0x0a0000ff, 9); // to 10.0.0.255
    lab.run(MS);
    expect(out('ifconfig eth0 irq 5')).toEqual(['irq: SIOCSIFMAP: Device or resource busy']);
    expect(out('ifconfig eth0 down irq 5 io_addr 0x280 up')).toEqual([]);
    expect(out('ifconfig eth0')).toContain('        device interrupt 5  base 0x280  ');
    expect(out('cat /proc/interrupts')[1]).toMatch(/^ {2}3: +\d+ +XT-PIC-XT {6}$/);
    expect(out('cat /proc/interrupts')[2]).toMatch(/^ {2}5: +\d+ +XT-PIC-XT {6} {2}eth0$/);
    expect(out('ifconfig eth0 io_addr 0x999')).toEqual(['io_addr: SIOCSIFMAP: Invalid argument']);
  });

  it('sets MTU, queue length, promisc and allmulti, shown by ifconfig, ip link and the filter', () => {
    const { h, out } = host('hash64');
    expect(out('ifconfig eth0 mtu 9000')).toEqual(['SIOCSIFMTU: Invalid argument']);
    expect(out('ifconfig eth0 mtu 1400 txqueuelen 50')).toEqual([]);
    expect(out('ifconfig eth0')[0]).toBe(
      'eth0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1400',
    );
    expect(out('ip link')[2]).toBe(
      '2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1400 qdisc pfifo_fast state UP mode DEFAULT group default qlen 50',
    );
    expect(out('ifconfig eth0 promisc allmulti')).toEqual([]);
    expect(out('ifconfig eth0')[0]).toBe(
      'eth0: flags=4931<UP,BROADCAST,RUNNING,PROMISC,ALLMULTI,MULTICAST>  mtu 1400',
    );
    expect(out('ip link show dev eth0')[0]).toContain(
      '<BROADCAST,MULTICAST,ALLMULTI,PROMISC,UP,LOWER_UP>',
    );
    expect(out('nicctl eth0 filter')[0]).toBe('eth0: hash64 receive filter, mode promisc');
    expect(out('ifconfig eth0 -promisc')).toEqual([]);
    expect(out('nicctl eth0 filter')[0]).toBe('eth0: hash64 receive filter, mode allmulti');
    expect(out('ifconfig eth0 -allmulti')).toEqual([]);
    expect(h.nics[0].dev.promiscuity + h.nics[0].dev.allmulti).toBe(0);
    // Twice promisc is still one user reference.
    out('ifconfig eth0 promisc');
    out('ifconfig eth0 promisc');
    expect(h.nics[0].dev.promiscuity).toBe(1);
  });

  it('sets addresses with SIOCSIFADDR (classful mask) and SIOCSIFNETMASK', () => {
    const { out } = host('perfect');
    expect(out('ifconfig eth0 172.16.5.1')).toEqual([]);
    expect(out('ifconfig eth0')[1]).toBe(
      '        inet 172.16.5.1  netmask 255.255.0.0  broadcast 172.16.255.255',
    );
    expect(out('ifconfig eth0 netmask 255.255.255.128')).toEqual([]);
    expect(out('ifconfig eth0')[1]).toBe(
      '        inet 172.16.5.1  netmask 255.255.255.128  broadcast 172.16.5.127',
    );
    expect(out('ip route')).toContain(
      '172.16.5.0/25 dev eth0 proto kernel scope link src 172.16.5.1 ',
    );
    expect(out('ifconfig eth0 10.9.9.9/16')).toEqual([]);
    expect(out('ip addr show eth0')[2]).toBe(
      '    inet 10.9.9.9/16 brd 10.9.255.255 scope global eth0',
    );
    expect(out('ifconfig eth0 netmask 255.0.255.0')).toEqual(['SIOCSIFNETMASK: Invalid argument']);
    expect(out('ifconfig eth0 239.1.1.1')).toEqual(['SIOCSIFADDR: Invalid argument']);
    expect(out('ifconfig eth0 0.0.0.0')).toEqual([]);
    expect(out('ifconfig eth0')[1]).toMatch(/^ {8}ether /);
  });

  it('answers bad input with net-tools messages and exit codes', () => {
    const { run } = host('hash64');
    const r = (line: string) => {
      const j = run(line);
      return [j.exitCode, ...j.output];
    };
    expect(r('ifconfig eth0 frobnicate')).toEqual([
      1,
      'frobnicate: Unknown host',
      "ifconfig: `--help' gives usage information.",
    ]);
    expect(r('ifconfig -z')).toEqual([
      1,
      "ifconfig: option `-z' not recognised.",
      "ifconfig: `--help' gives usage information.",
    ]);
    const usage = r('ifconfig eth0 mtu');
    expect(usage[0]).toBe(3);
    expect(usage[1]).toBe('Usage:');
    expect(r('ifconfig eth0 hw tokenring 00:11')[0]).toBe(3);
    expect(r('ifconfig eth0 10.0.0.1/33')[0]).toBe(3);
  });
});

describe('ip link set and ip addr', () => {
  it('changes a link through the same ioctls, with iproute2 messages', () => {
    const { h, out } = host('hash64');
    expect(out('ip link set dev eth0 address 02:00:00:00:09:09')).toEqual([
      'RTNETLINK answers: Device or resource busy',
    ]);
    expect(out('ip link set eth0 down')).toEqual([]);
    expect(out('ip link set eth0 address 02:00:00:00:09:09 mtu 1000 up')).toEqual([]);
    expect(out('ip link show eth0')).toEqual([
      '2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1000 qdisc pfifo_fast state UP mode DEFAULT group default qlen 1000',
      '    link/ether 02:00:00:00:09:09 brd ff:ff:ff:ff:ff:ff',
    ]);
    expect(out('ip l s eth0 promisc on allmulticast on')).toEqual([]);
    expect(h.nics[0].dev.gflags).toBe(0x300);
    expect(out('ip link set eth0 promisc off allmulticast off')).toEqual([]);
    expect(h.nics[0].dev.promiscuity).toBe(0);
    expect(out('ip link set eth0 promisc maybe')).toEqual([
      'Error: argument of "promisc" must be "on" or "off", not "maybe"',
    ]);
    expect(out('ip link set eth0 mtu big')).toEqual([
      'Error: argument "big" is wrong: Invalid "mtu" value',
    ]);
    expect(out('ip link set eth0 mtu 9000')).toEqual(['Error: mtu greater than device maximum.']);
    expect(out('ip link set eth0 address nope')).toEqual(['"nope" is invalid lladdr.']);
    expect(out('ip link set eth0 up bogus')).toEqual([
      'Error: either "dev" is duplicate, or "bogus" is a garbage.',
    ]);
    expect(out('ip link set up')).toEqual(['Not enough information: "dev" argument is required.']);
    expect(out('ip link set eth9 up')).toEqual(['Cannot find device "eth9"']);
    expect(out('ip link set eth0 mtu')).toEqual([
      'Command line is not complete. Try option "help"',
    ]);
    expect(out('ip link show eth9')).toEqual(['Device "eth9" does not exist.']);
    expect(out('ip link frob')).toEqual(['Command "frob" is unknown, try "ip link help".']);
    expect(out('ip frob')).toEqual(['Object "frob" is unknown, try "ip help".']);
    expect(out('ip -x link')).toEqual(['Option "-x" is unknown, try "ip -help".']);
  });

  it('adds and deletes addresses with RTNETLINK semantics', () => {
    const { out, run } = host('nofilter');
    expect(out('ip addr add 10.0.0.5/24 dev eth0')).toEqual([]);
    expect(out('ip a show dev eth0')).toEqual([
      '2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast state UP group default qlen 1000',
      '    link/ether 02:00:00:00:01:00 brd ff:ff:ff:ff:ff:ff',
      '    inet 10.0.0.1/24 brd 10.0.0.255 scope global eth0',
      '       valid_lft forever preferred_lft forever',
      // ip addr add without `brd` sets no broadcast (Linux 6.18, checked by npm run fidelity).
      '    inet 10.0.0.5/24 scope global secondary eth0',
      '       valid_lft forever preferred_lft forever',
    ]);
    // The kernel's extended acks, as iproute2 prints them.
    expect(out('ip addr add 10.0.0.5/24 dev eth0')).toEqual([
      'Error: ipv4: Address already assigned.',
    ]);
    expect(out('ip addr del 10.0.0.5/16 dev eth0')).toEqual(['Error: ipv4: Address not found.']);
    expect(out('ip a d 10.0.0.5/24 dev eth0')).toEqual([]);
    expect(out('ip addr del 10.0.0.5 dev eth0')).toEqual(['Error: ipv4: Address not found.']);
    expect(out('ip addr add 10.0.0.999/24 dev eth0')).toEqual([
      'Error: any valid prefix is expected rather than "10.0.0.999/24".',
    ]);
    expect(out('ip addr add 10.0.0.6/24')).toEqual([
      'Not enough information: "dev" argument is required.',
    ]);
    expect(out('ip addr add 10.0.0.6/24 dev eth7')).toEqual(['Cannot find device "eth7"']);
    expect(run('ip addr add 10.0.0.6/24 dev eth0').exitCode).toBe(0);
  });
});
