import { describe, expect, it } from 'vitest';
import type { NicModelName } from '../../drivers/nic-model';
import { Lab } from '../../lab';
import { MS, SECOND } from '../../sim/time';
import { parseIpv4 } from '../../wire/ipv4-addr';
import type { Host } from '../host';
import { Shell } from './shell';

const ip = (s: string) => parseIpv4(s)!;
const out = (sh: Shell, line: string) => {
  const job = sh.exec(line);
  expect(job.done).toBe(true);
  return job.output;
};

/** A sender (no filter) and one receiver per model, each with a socket that can join groups. */
function setup(extra: { entries?: number; fallback?: 'hash' | 'allmulti' } = {}) {
  const lab = new Lab({ seed: 9 });
  const sender = lab.addHost('tx');
  lab.addInterface(sender, { model: 'nofilter', ip: '10.0.0.1/24' });
  const models: NicModelName[] = ['hash64', 'perfect', 'promisc-only', 'nofilter'];
  const rx = new Map<NicModelName, Host>();
  models.forEach((model, i) => {
    const h = lab.addHost(model);
    lab.addInterface(h, { model, ip: `10.0.0.${i + 2}/24`, ...extra });
    rx.set(model, h);
  });
  lab.run(MS);
  const join = (h: Host, groups: string[]) => {
    const sock = h.kernel.udp.socket();
    sock.mcIf = h.nics[0].dev ?? null;
    h.kernel.udp.bind(sock, 0, 5000, { uid: 1000 });
    for (const g of groups) expect(h.kernel.udp.addMembership(sock, ip(g), h.nics[0].dev)).toBe(0);
    return sock;
  };
  const send = (group: string) => {
    const k = sender.kernel;
    const tx = k.udp.socket();
    tx.mcIf = k.devices[1];
    expect(k.udp.sendto(tx, null, 32, ip(group), 5000)).toBe(32);
  };
  return { lab, rx, join, send, shell: (h: Host) => new Shell(h) };
}

describe('joining 239.1.1.1, seen through the shell', () => {
  it('shows in ip maddr, /proc/net/igmp and /proc/net/dev_mcast on every model', () => {
    const { rx, join } = setup();
    for (const h of rx.values()) {
      join(h, ['239.1.1.1']);
      const sh = new Shell(h);
      // lo first: in 224.0.0.1 like every IPv4 device, with no hardware address for it.
      expect(out(sh, 'ip maddr')).toEqual([
        '1:\tlo',
        '\tinet  224.0.0.1',
        '2:\teth0',
        '\tlink  01:00:5e:00:00:01',
        '\tlink  01:00:5e:01:01:01',
        '\tinet  239.1.1.1',
        '\tinet  224.0.0.1',
      ]);
      expect(out(sh, 'ip maddr show dev eth0')).toHaveLength(5);
      const igmp = out(sh, 'cat /proc/net/igmp');
      expect(igmp[0]).toBe('Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter');
      expect(igmp[1]).toBe('1\tlo        :     1      V3');
      expect(igmp[2]).toBe('\t\t\t\t010000E0     1 0:00000000\t\t0');
      expect(igmp[3]).toBe('2\teth0      :     2      V3');
      // IGMPv3: the join is reported from the interface's timer, not the group's.
      expect(igmp[4]).toBe('\t\t\t\t010101EF     1 0:00000000\t\t0');
      expect(igmp[5]).toBe('\t\t\t\t010000E0     1 0:00000000\t\t0');
      expect(out(sh, 'cat /proc/net/dev_mcast')).toContain(
        '2    eth0            1     0     01005e010101',
      );
    }
  });

  it('hash64 sets bin 4 and lets a bin-mate in; the kernel drops it', () => {
    const { lab, rx, join, send } = setup();
    const h = rx.get('hash64')!;
    join(h, ['239.1.1.1']);
    const sh = new Shell(h);
    const filter = out(sh, 'nicctl eth0 filter');
    expect(filter[0]).toBe('eth0: hash64 receive filter, mode hash');
    // 01:00:5e:01:01:01 hashes to bin 4, 224.0.0.1's 01:00:5e:00:00:01 to bin 31.
    expect(filter[1]).toBe('  hash bins set 2/64: 4 31');
    send('239.1.1.1');
    send('239.1.1.24'); // its MAC also hashes to bin 4
    send('239.1.1.2'); // bin 48: rejected by the hardware
    lab.run(10 * MS);
    const after = out(sh, 'nicctl eth0 filter');
    expect(after[3]).toMatch(/hash match 2/);
    expect(Number(/rejected by the filter: (\d+)/.exec(after[2])![1])).toBeGreaterThan(0);
  });

  it('perfect (a 21x4x) keeps 14 exact entries, and falls back to its 512-bin hash past them', () => {
    const { rx, join } = setup();
    const h = rx.get('perfect')!;
    const sh = new Shell(h);
    const sock = join(h, ['239.1.1.1']);
    let f = out(sh, 'nicctl eth0 filter');
    expect(f[0]).toBe('eth0: perfect receive filter, mode perfect');
    expect(f[1]).toBe(
      '  perfect entries 2/14 (+ broadcast, own address): 01:00:5e:00:00:01 01:00:5e:01:01:01',
    );
    expect(f[2]).toBe('  hash bins set 0/512: (none)');
    // Thirteen more groups: fifteen addresses for fourteen entries.
    for (let i = 2; i <= 14; i++)
      h.kernel.udp.addMembership(sock, ip(`239.1.1.${i}`), h.nics[0].dev);
    f = out(sh, 'nicctl eth0 filter');
    expect(f[0]).toBe('eth0: perfect receive filter, mode hash');
    expect(f[1]).toBe('  perfect entries 0/14 (+ broadcast, own address): (empty)');
    // 239.1.1.1's bin 136, broadcast's 255 and 224.0.0.1's 510 among them.
    expect(f[2]).toMatch(/^ {2}hash bins set \d+\/512: .*\b136\b.*\b255\b.*\b510$/);
    expect(out(sh, 'ip maddr show dev eth0').filter((l) => l.startsWith('\tinet'))).toHaveLength(
      15,
    );
  });

  it('perfect with an all-multicast fallback says so', () => {
    const { rx, join } = setup({ fallback: 'allmulti' });
    const h = rx.get('perfect')!;
    join(
      h,
      Array.from({ length: 14 }, (_, i) => `239.2.0.${i + 1}`),
    );
    expect(out(new Shell(h), 'nicctl eth0 filter')[0]).toBe(
      'eth0: perfect receive filter, mode allmulti',
    );
  });

  it('promisc-only goes promiscuous for its groups: dev->flags says so, the tools (as on Linux 6.18) do not', () => {
    const { rx, join } = setup();
    const h = rx.get('promisc-only')!;
    const sh = new Shell(h);
    join(h, ['239.1.1.1']);
    // dev_get_flags reports PROMISC only as the user asked for it (gflags).
    expect(out(sh, 'ifconfig eth0')[0]).toBe(
      'eth0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500',
    );
    expect(out(sh, 'ip link show eth0')[0]).toMatch(/^2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> /);
    const filter = out(sh, 'nicctl eth0 filter');
    expect(filter[0]).toBe('eth0: promisc-only receive filter, mode promisc');
    expect(filter.at(-1)).toMatch(
      /^ {2}dev->flags 4419<UP,BROADCAST,RUNNING,PROMISC,MULTICAST>: PROMISC set by the kernel or the driver, not a user \(a 1996 driver/,
    );
    expect(h.nics[0].dev.flags & 0x100).toBe(0x100);
    // The user never asked for it, so -promisc neither takes it away nor (on Linux) warns.
    expect(out(sh, 'ifconfig eth0 -promisc')).toEqual([]);
    expect(out(sh, 'nicctl eth0 filter')[0]).toBe(
      'eth0: promisc-only receive filter, mode promisc',
    );
    // Nor does reading the flags and writing them back (ifconfig up) make it the user's.
    expect(out(sh, 'ifconfig eth0 up')).toEqual([]);
    expect(h.nics[0].dev.promiscuity).toBe(0);
  });

  it('nofilter takes all multicast once anything is joined', () => {
    const { rx, join } = setup();
    const h = rx.get('nofilter')!;
    join(h, ['239.1.1.1']);
    expect(out(new Shell(h), 'nicctl eth0 filter')[0]).toBe(
      'eth0: nofilter receive filter, mode allmulti',
    );
  });

  it('ip maddr add/del go through SIOCADDMULTI/SIOCDELMULTI: a static entry, one per user', () => {
    const { rx } = setup();
    const h = rx.get('perfect')!;
    const sh = new Shell(h);
    expect(out(sh, 'ip maddr add 01:00:5e:7f:00:01 dev eth0')).toEqual([]);
    expect(out(sh, 'ip maddr')).toContain('\tlink  01:00:5e:7f:00:01 static');
    expect(out(sh, 'cat /proc/net/dev_mcast')).toContain(
      '2    eth0            1     1     01005e7f0001',
    );
    expect(out(sh, 'nicctl eth0 filter')[1]).toContain('01:00:5e:7f:00:01');
    // The user holds one reference at most.
    expect(out(sh, 'ip maddr add 01:00:5e:7f:00:01 dev eth0')).toEqual([]);
    expect(out(sh, 'ip maddr del 01:00:5e:7f:00:01 dev eth0')).toEqual([]);
    expect(out(sh, 'ip maddr del 01:00:5e:7f:00:01 dev eth0')).toEqual([
      'ioctl: No such file or directory',
    ]);
    expect(out(sh, 'ip maddr add 02:00:00:00:00:09 dev eth0')).toEqual(['ioctl: Invalid argument']);
    expect(out(sh, 'ip maddr add 01:00:5e:7f:00:01 dev eth7')).toEqual(['ioctl: No such device']);
    expect(out(sh, 'ip maddr add zz dev eth0')).toEqual(['Error: "zz" is not a legal ll address.']);
    expect(out(sh, 'ip maddr add 01:00:5e:7f:00:01')).toEqual([
      'Not enough information: "dev" is required.',
    ]);
  });

  it('IGMP reports stop being due once sent: the timer column stops', () => {
    const { lab, rx, join } = setup();
    const h = rx.get('hash64')!;
    join(h, ['239.1.1.1']);
    lab.run(20 * SECOND);
    // IGMPv3 reports from the interface's timer: the group's own never runs, nor is it a reporter.
    expect(out(new Shell(h), 'cat /proc/net/igmp').slice(3, 5)).toEqual([
      '2\teth0      :     2      V3',
      '\t\t\t\t010101EF     1 0:00000000\t\t0',
    ]);
  });
});
