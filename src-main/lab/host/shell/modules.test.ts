import { describe, expect, it } from 'vitest';
import { Lab } from '../../lab';
import { MS, SECOND } from '../../sim/time';
import { parseIpv4 } from '../../wire/ipv4-addr';
import { Shell } from './shell';

const out = (sh: Shell, line: string) => sh.exec(line).output;

function pair() {
  const lab = new Lab({ seed: 4 });
  const h0 = lab.addHost('h0');
  const h1 = lab.addHost('h1');
  lab.addInterface(h0, { model: 'nofilter', ip: '10.0.0.1/24' });
  lab.addInterface(h1, { model: 'hash64', ip: '10.0.0.2/24' });
  lab.run(MS);
  return { lab, h0, h1, sh0: new Shell(h0), sh1: new Shell(h1) };
}

describe('driver modules', () => {
  it('rmmod refuses while a device is up, works after ifconfig down, and the device vanishes', () => {
    const { lab, h1, sh0, sh1 } = pair();
    expect(out(sh1, 'lsmod')).toEqual([
      'Module                  Size  Used by',
      'hash64                 20480  1',
    ]);
    const busy = sh1.exec('rmmod hash64');
    expect(busy.output).toEqual(['rmmod: ERROR: Module hash64 is in use']);
    expect(busy.exitCode).toBe(1);
    // A socket joined a group on it: unloading must not leave it dangling.
    const k = h1.kernel;
    const sock = k.udp.socket();
    sock.mcIf = k.devices[1] ?? null;
    k.udp.addMembership(sock, parseIpv4('239.1.1.1')!, k.devices[1]);
    expect(out(sh1, 'ifconfig eth0 down')).toEqual([]);
    expect(out(sh1, 'lsmod')[1]).toBe('hash64                 20480  0');
    const rm = sh1.exec('rmmod hash64');
    expect(rm.output).toEqual([]);
    expect(rm.exitCode).toBe(0);
    expect(out(sh1, 'lsmod')).toEqual(['Module                  Size  Used by']);
    // Only lo is left.
    expect(out(sh1, 'ip link')).toEqual([
      '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000',
      '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
    ]);
    expect(out(sh1, 'ifconfig -a')[0]).toBe('lo: flags=73<UP,LOOPBACK,RUNNING>  mtu 65536');
    expect(out(sh1, 'ifconfig -a')).toHaveLength(8);
    expect(out(sh1, 'ifconfig eth0')).toEqual([
      'eth0: error fetching interface information: Device not found',
    ]);
    expect(out(sh1, 'ifconfig eth0 up')).toEqual([
      'eth0: ERROR while getting interface flags: No such device',
    ]);
    expect(out(sh1, 'ip link set eth0 up')).toEqual(['Cannot find device "eth0"']);
    expect(out(sh1, 'nicctl eth0 filter')).toEqual(['nicctl: eth0: No such device']);
    expect(out(sh1, 'cat /proc/net/dev')).toHaveLength(3); // the header and lo
    expect(out(sh1, 'ip maddr')).toEqual(['1:\tlo', '\tinet  224.0.0.1']);
    expect(out(sh1, 'ip route')).toEqual([]);
    expect(h1.nics[0].dev.present).toBe(false);
    expect(sock.memberships).toEqual([]);
    k.udp.close(sock); // leaving groups of a device that is gone must not crash
    const ping = sh0.exec('ping -c 2 10.0.0.2');
    lab.run(15 * SECOND);
    // Nobody answers ARP: after 3 probes each request comes back host unreachable (as Linux 6.18
    // does, fixture router-unreachable-fragments); iputils' time runs to the last probe.
    expect(ping.output).toContain(
      '2 packets transmitted, 0 received, +2 errors, 100% packet loss, time 1000ms',
    );
    expect(out(sh1, 'rmmod hash64')).toEqual([
      'rmmod: ERROR: Module hash64 is not currently loaded',
    ]);
  });

  it('modprobe registers the device again: new ifindex, down, its own MAC; it then works', () => {
    const { lab, h1, sh0, sh1 } = pair();
    sh1.exec('ifconfig eth0 down');
    expect(out(sh1, 'ifconfig eth0 hw ether 02:00:00:00:09:09')).toEqual([]); // allowed while down
    sh1.exec('ip link'); // the shell has now seen the qdisc in use
    sh1.exec('rmmod hash64');
    expect(sh1.exec('modprobe hash64').exitCode).toBe(0);
    expect(out(sh1, 'modprobe hash64')).toEqual([]); // already loaded: nothing to do
    expect(out(sh1, 'ip link')).toEqual([
      '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000',
      '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
      '3: eth0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000',
      '    link/ether 02:00:00:00:02:00 brd ff:ff:ff:ff:ff:ff',
    ]);
    expect(out(sh1, 'ip addr show eth0')).toHaveLength(2); // no address any more
    expect(h1.nics[0].dev.present).toBe(true);
    // As net-tools does, setting an address brings the interface up.
    expect(out(sh1, 'ifconfig eth0 10.0.0.2/24')).toEqual([]);
    expect(out(sh1, 'ip link')[2]).toBe(
      '3: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast state UP mode DEFAULT group default qlen 1000',
    );
    expect(out(sh1, 'lsmod')[1]).toBe('hash64                 20480  1');
    const ping = sh0.exec('ping -c 1 10.0.0.2');
    lab.run(2 * SECOND);
    expect(ping.exitCode).toBe(0);
    expect(ping.output[1]).toMatch(/^64 bytes from 10\.0\.0\.2: icmp_seq=1 ttl=64 /);
    expect(out(sh1, 'ip neigh')).toEqual([
      expect.stringMatching(/^10\.0\.0\.1 dev eth0 lladdr 02:00:00:00:01:00 /),
    ]);
  });

  it('knows module names as kmod does, and refuses unknown ones', () => {
    const lab = new Lab({ seed: 1 });
    const h = lab.addHost('h');
    lab.addInterface(h, { model: 'promisc-only' });
    lab.addInterface(h, { model: 'perfect', up: false });
    const sh = new Shell(h);
    expect(out(sh, 'lsmod')).toEqual([
      'Module                  Size  Used by',
      'perfect                24576  0',
      'promisc_only           16384  1',
    ]);
    expect(out(sh, 'modprobe e1000')).toEqual([
      'modprobe: FATAL: Module e1000 not found in directory /lib/modules/6.18.0-netlab',
    ]);
    expect(out(sh, 'rmmod nofilter')).toEqual([
      'rmmod: ERROR: Module nofilter is not currently loaded',
    ]);
    expect(out(sh, 'modprobe nofilter')).toEqual([]); // no card of it: loaded, driving nothing
    expect(out(sh, 'lsmod')[1]).toBe('nofilter               16384  0');
    expect(out(sh, 'rmmod promisc-only')).toEqual(['rmmod: ERROR: Module promisc_only is in use']);
    expect(out(sh, 'rmmod perfect nofilter')).toEqual([]);
    expect(out(sh, 'ip link').filter((l) => /^\d/.test(l))).toHaveLength(2); // lo and eth0
    expect(out(sh, 'rmmod')).toEqual(['rmmod: ERROR: missing module name.']);
    expect(out(sh, 'modprobe')).toEqual(['modprobe: ERROR: missing parameters. See -h.']);
  });

  it('unloading a device takes its routes; there is no 224.0.0.0/4 route to move (Linux adds none)', () => {
    const lab = new Lab({ seed: 1 });
    const h = lab.addHost('h');
    lab.addInterface(h, { model: 'hash64', ip: '10.0.0.1/24' });
    lab.addInterface(h, { model: 'perfect', ip: '10.1.0.1/24' });
    const sh = new Shell(h);
    sh.exec('ifconfig eth0 down');
    sh.exec('rmmod hash64');
    expect(out(sh, 'ip route')).toEqual([
      '10.1.0.0/24 dev eth1 proto kernel scope link src 10.1.0.1 ',
    ]);
  });
});
