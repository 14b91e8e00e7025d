import { describe, expect, it } from 'vitest';
import { Lab } from '../../lab';
import { MS } from '../../sim/time';
import { formatIpv4 } from '../../wire/ipv4-addr';
import type { Host } from '../host';
import { driverModules } from '../modules';
import { Shell } from './shell';

const EPERM = 'Operation not permitted';

/** Everything a root-only command could change on the host. */
function snapshot(h: Host) {
  const k = h.kernel;
  return {
    devices: k.devices.map((d) => ({
      name: d.name,
      ifindex: d.ifindex,
      flags: d.flags,
      gflags: d.gflags,
      promiscuity: d.promiscuity,
      allmulti: d.allmulti,
      mtu: d.mtu,
      qlen: d.txQueueLen,
      mac: d.macText,
      irq: d.irq,
      base: d.baseAddr,
      mc: d.mc.toStrings(),
      addrs: k.inDev(d).addrs.map((a) => `${formatIpv4(a.local)}/${a.prefixLen}`),
    })),
    rings: h.nics.map((n) => [n.tuning.rxRing, n.tuning.txRing]),
    sysctls: k.sysctl.names().map((n) => [n, k.sysctl.get(n)]),
    modules: driverModules(h).list(),
    routes: k.routes.render(),
  };
}

describe('an unprivileged user', () => {
  it('gets the EPERM message Linux prints from every root-only command, and changes nothing', () => {
    const lab = new Lab({ seed: 2 });
    const h = lab.addHost('h');
    lab.addInterface(h, { model: 'hash64', ip: '10.0.0.2/24' });
    lab.addInterface(h, { model: 'perfect', up: false }); // eth1, down: its module is not in use
    lab.run(MS);
    const sh = new Shell(h);
    expect(sh.prompt).toBe('root@h:~# ');
    expect(sh.exec('su user').exitCode).toBe(0);
    expect(sh.prompt).toBe('user@h:~$ ');
    expect(sh.cred.uid).toBe(1000);
    const before = snapshot(h);
    const cases: [string, string[]][] = [
      ['ifconfig eth0 down', [`SIOCSIFFLAGS: ${EPERM}`]],
      ['ifconfig eth1 up', [`SIOCSIFFLAGS: ${EPERM}`]],
      ['ifconfig eth0 hw ether 02:00:00:00:09:09', [`SIOCSIFHWADDR: ${EPERM}`]],
      ['ifconfig eth0 mtu 1400', [`SIOCSIFMTU: ${EPERM}`]],
      ['ifconfig eth0 irq 5', [`irq: SIOCSIFMAP: ${EPERM}`]],
      ['ifconfig eth0 io_addr 0x280', [`io_addr: SIOCSIFMAP: ${EPERM}`]],
      ['ifconfig eth0 txqueuelen 10', [`SIOCSIFTXQLEN: ${EPERM}`]],
      ['ifconfig eth0 promisc', [`SIOCSIFFLAGS: ${EPERM}`]],
      ['ifconfig eth0 -promisc', [`SIOCSIFFLAGS: ${EPERM}`]],
      ['ifconfig eth0 allmulti', [`SIOCSIFFLAGS: ${EPERM}`]],
      ['ifconfig eth0 -allmulti', [`SIOCSIFFLAGS: ${EPERM}`]],
      [
        'ifconfig eth0 10.0.0.9/24',
        [`SIOCSIFADDR: ${EPERM}`, `SIOCSIFFLAGS: ${EPERM}`, `SIOCSIFNETMASK: ${EPERM}`],
      ],
      ['ifconfig eth0 netmask 255.255.0.0', [`SIOCSIFNETMASK: ${EPERM}`]],
      ['ip link set eth0 down', [`RTNETLINK answers: ${EPERM}`]],
      ['ip link set dev eth1 up', [`RTNETLINK answers: ${EPERM}`]],
      ['ip link set dev eth0 promisc on', [`RTNETLINK answers: ${EPERM}`]],
      ['ip link set dev eth0 allmulticast on', [`RTNETLINK answers: ${EPERM}`]],
      ['ip link set dev eth0 mtu 1400', [`RTNETLINK answers: ${EPERM}`]],
      ['ip link set dev eth1 address 02:00:00:00:09:09', [`RTNETLINK answers: ${EPERM}`]],
      ['ip link set dev eth0 txqueuelen 10', [`RTNETLINK answers: ${EPERM}`]],
      ['ip link set dev eth0 promisc off', [`RTNETLINK answers: ${EPERM}`]],
      ['ip link set dev eth0 allmulticast off', [`RTNETLINK answers: ${EPERM}`]],
      // One request with several changes: refused whole, nothing applied.
      ['ip link set eth0 mtu 1400 address 02:00:00:00:09:09 up', [`RTNETLINK answers: ${EPERM}`]],
      ['ifconfig eth1 hw ether 02:00:00:00:09:09', [`SIOCSIFHWADDR: ${EPERM}`]],
      ['ifconfig eth0 0.0.0.0', [`SIOCSIFADDR: ${EPERM}`, `SIOCSIFFLAGS: ${EPERM}`]],
      ['ip addr add 10.0.0.7/24 dev eth0', [`RTNETLINK answers: ${EPERM}`]],
      ['ip addr del 10.0.0.2/24 dev eth0', [`RTNETLINK answers: ${EPERM}`]],
      ['ip maddr add 01:00:5e:01:02:03 dev eth0', [`ioctl: ${EPERM}`]],
      ['ip maddr del 01:00:5e:00:00:01 dev eth0', [`ioctl: ${EPERM}`]],
      [
        'sysctl -w net.core.rmem_max=1000000',
        ['sysctl: permission denied on key "net.core.rmem_max"'],
      ],
      [
        'sysctl net.ipv4.ip_default_ttl=10',
        ['sysctl: permission denied on key "net.ipv4.ip_default_ttl"'],
      ],
      [
        'sysctl -w net/ipv4/icmp_echo_ignore_all=1',
        ['sysctl: permission denied on key "net.ipv4.icmp_echo_ignore_all"'],
      ],
      ['nicctl eth1 set-ring rx 512', [`SIOCDEVPRIVATE+2: ${EPERM}`]],
      ['nicctl eth0 set-ring tx 32', [`SIOCDEVPRIVATE+2: ${EPERM}`]],
      ['modprobe nofilter', [`modprobe: ERROR: could not insert 'nofilter': ${EPERM}`]],
      ['rmmod perfect', [`rmmod: ERROR: could not remove 'perfect': ${EPERM}`]],
      ['modprobe -r perfect', [`modprobe: ERROR: could not remove 'perfect': ${EPERM}`]],
      // kmod reads the use count (world-readable) before asking the kernel, as Linux does.
      ['rmmod hash64', ['rmmod: ERROR: Module hash64 is in use']],
      // iputils refuses a user's interval under 2 ms itself, before any socket call.
      [
        'ping -i 0.001 10.0.0.2',
        ['ping: cannot flood, minimal interval for user must be >= 2 ms, use -f'],
      ],
    ];
    for (const [line, expected] of cases) {
      const job = sh.exec(line);
      expect(job.done, line).toBe(true);
      expect(job.output, line).toEqual(expected);
      expect(job.exitCode, line).not.toBe(0);
      expect(snapshot(h), line).toEqual(before);
    }
    // Reading is for everyone.
    for (const line of [
      'ifconfig',
      'ip link',
      'ip addr',
      'ip maddr',
      'ip neigh',
      'ip route',
      'sysctl net.core.rmem_max',
      'sysctl -a',
      'cat /proc/net/dev',
      'cat /proc/sys/net/core/rmem_max',
      'nicctl eth0 filter',
      'nicctl eth0 ring',
      'lsmod',
    ]) {
      expect(sh.exec(line).exitCode, line).toBe(0);
    }
    expect(snapshot(h)).toEqual(before);
    // Back to root, the same requests go through.
    expect(sh.exec('exit').output).toEqual(['exit']);
    expect(sh.prompt).toBe('root@h:~# ');
    expect(sh.exec('ifconfig eth0 mtu 1400').exitCode).toBe(0);
    expect(sh.exec('sysctl -w net.core.rmem_max=1000000').output).toEqual([
      'net.core.rmem_max = 1000000',
    ]);
    expect(sh.exec('nicctl eth1 set-ring rx 512').exitCode).toBe(0);
    expect(sh.exec('modprobe -r perfect').exitCode).toBe(0);
    expect(driverModules(h).isLoaded('perfect')).toBe(false);
    expect(h.nics[0].dev.mtu).toBe(1400);
    expect(h.kernel.sysctl.get('net.core.rmem_max')).toBe(1_000_000);
    expect(h.nics[1].tuning.rxRing).toBe(512);
  });
});

describe('su -c', () => {
  it('runs one command as the other account and leaves the shell as it was', () => {
    const lab = new Lab({ seed: 2 });
    const h = lab.addHost('h');
    lab.addInterface(h, { model: 'hash64', ip: '10.0.0.2/24' });
    lab.run(MS);
    const sh = new Shell(h);
    const job = sh.exec("su user -c 'ifconfig eth0 mtu 1400'");
    expect(job.output).toEqual([`SIOCSIFMTU: ${EPERM}`]);
    expect(job.exitCode).not.toBe(0);
    expect(sh.prompt).toBe('root@h:~# ');
    expect(sh.exec("su - user -c 'nicctl eth0 ring'").exitCode).toBe(0);
    expect(sh.exec('su user -c').output).toEqual([`su: option requires an argument -- 'c'`]);
    expect(h.kernel.devByName('eth0')!.mtu).toBe(1500);
  });
});
