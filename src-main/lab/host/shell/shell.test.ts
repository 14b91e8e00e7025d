import { describe, expect, it } from 'vitest';
import { Lab } from '../../lab';
import { MS, SECOND } from '../../sim/time';
import { Shell } from './shell';
import { tokenize } from './tokenize';

function oneHost() {
  const lab = new Lab({ seed: 6 });
  const h = lab.addHost('box');
  lab.addInterface(h, { model: 'perfect', ip: '10.0.0.1/24' });
  lab.addInterface(lab.addHost('peer'), { model: 'hash64', ip: '10.0.0.2/24' });
  lab.run(MS);
  return { lab, h, sh: new Shell(h) };
}

describe('the shell', () => {
  it('splits words as a shell does, with quotes and escapes', () => {
    expect(tokenize(`  ip  link set 'dev' "eth0" up # comment`)).toEqual([
      'ip',
      'link',
      'set',
      'dev',
      'eth0',
      'up',
    ]);
    expect(tokenize(`a "b c" d\\ e ''`)).toEqual(['a', 'b c', 'd e', '']);
    expect(tokenize(`echo "unclosed`)).toEqual({
      error: 'unexpected EOF while looking for matching `"\'',
    });
  });

  it('says command not found with status 127, and keeps a numbered history', () => {
    const { sh } = oneHost();
    const job = sh.exec('frobnicate --now');
    expect(job.done).toBe(true);
    expect(job.exitCode).toBe(127);
    expect(job.output).toEqual(['bash: frobnicate: command not found']);
    expect(sh.exec('   ').exitCode).toBe(0);
    expect(sh.exec('toString').exitCode).toBe(127); // no inherited names
    const bad = sh.exec("ip 'link");
    expect(bad.exitCode).toBe(2);
    expect(bad.output[0]).toMatch(/^bash: unexpected EOF/);
    expect(sh.exec('history').output).toEqual([
      '    1  frobnicate --now',
      '    2  toString',
      "    3  ip 'link",
      '    4  history',
    ]);
  });

  it('switches between root and the unprivileged user with su and exit', () => {
    const { sh } = oneHost();
    expect(sh.prompt).toBe('root@box:~# ');
    sh.exec('su user');
    expect(sh.prompt).toBe('user@box:~$ ');
    sh.exec('su -');
    expect(sh.cred.uid).toBe(0);
    sh.exec('exit');
    expect(sh.cred.uid).toBe(1000);
    sh.exec('exit');
    expect(sh.cred.uid).toBe(0);
    const last = sh.exec('exit'); // the login shell stays
    expect(last.output).toEqual(['exit']);
    expect(sh.cred.uid).toBe(0);
    const nobody = sh.exec('su mallory');
    expect(nobody.exitCode).toBe(1);
    expect(nobody.output[0]).toMatch(/^su: user mallory does not exist/);
    expect(sh.exec('help').output.some((l) => l.includes('ifconfig'))).toBe(true);
  });

  it('reads and writes sysctls with procps messages', () => {
    const { sh, h } = oneHost();
    const out = (line: string) => sh.exec(line).output;
    expect(out('sysctl net.core.rmem_max')).toEqual(['net.core.rmem_max = 212992']);
    expect(out('sysctl -n net/core/rmem_max')).toEqual(['212992']);
    expect(out('sysctl -w net.core.rmem_max=4000000')).toEqual(['net.core.rmem_max = 4000000']);
    expect(h.kernel.sysctl.get('net.core.rmem_max')).toBe(4_000_000);
    expect(out('cat /proc/sys/net/core/rmem_max')).toEqual(['4000000']);
    expect(out('sysctl -w net.x=1')).toEqual([
      'sysctl: cannot stat /proc/sys/net/x: No such file or directory',
    ]);
    expect(out('sysctl net.x')).toEqual([
      'sysctl: cannot stat /proc/sys/net/x: No such file or directory',
    ]);
    expect(out('sysctl -w net.ipv4.ip_default_ttl=300')).toEqual([
      'sysctl: setting key "net.ipv4.ip_default_ttl": Invalid argument',
    ]);
    expect(out('sysctl -w net.core.rmem_max=lots')).toEqual([
      'sysctl: setting key "net.core.rmem_max": Invalid argument',
    ]);
    expect(out('sysctl -w net.core.rmem_max')).toEqual([
      'sysctl: "net.core.rmem_max" must be of the form name=value',
    ]);
    expect(out('sysctl')).toEqual([
      'sysctl: no variables specified',
      "Try `sysctl --help' for more information.",
    ]);
    const all = out('sysctl -a');
    expect(all).toHaveLength(h.kernel.sysctl.names().length);
    expect(all).toContain('net.ipv4.icmp_echo_ignore_all = 0');
    // A sysctl changes what the kernel does: ignoring echo requests stops ping replies.
    sh.exec('sysctl -w net.ipv4.icmp_echo_ignore_all=1');
    expect(h.kernel.sysctl.get('net.ipv4.icmp_echo_ignore_all')).toBe(1);
  });

  it('cats the /proc files and says what is not there', () => {
    const { sh } = oneHost();
    const job = sh.exec('cat /proc/net/dev /proc/net/softnet_stat');
    expect(job.exitCode).toBe(0);
    expect(job.output).toHaveLength(5); // two header lines, lo and eth0; one CPU
    expect(sh.exec('cat /proc/net/tcp').output).toEqual([
      'cat: /proc/net/tcp: No such file or directory',
    ]);
    expect(sh.exec('cat /proc/net').output).toEqual(['cat: /proc/net: Is a directory']);
    expect(sh.exec('cat').exitCode).toBe(1);
  });

  it('never throws on bad input, as root or as a user', () => {
    const { lab, sh } = oneHost();
    const lines = [
      'ifconfig eth0 hw',
      'ifconfig eth0 hw ether',
      'ifconfig eth0 irq',
      'ifconfig eth0 irq abc',
      'ifconfig eth0 io_addr zz',
      'ifconfig eth0 netmask',
      'ifconfig eth0 netmask foo',
      'ifconfig eth0 mtu -5',
      'ifconfig "" up',
      'ifconfig eth0 txqueuelen -1',
      'ip',
      'ip help',
      'ip link set',
      'ip link set dev',
      'ip link set dev eth0 address',
      'ip link set dev eth0 promisc',
      'ip link set dev eth0 txqueuelen -3',
      'ip addr add',
      'ip addr add dev',
      'ip addr add 10.0.0.9/24 dev',
      'ip addr del',
      'ip a d 1.2.3.4/99 dev eth0',
      'ip maddr add',
      'ip maddr add dev eth0',
      'ip maddr del 01:00:5e:00:00:01 dev eth0 dev eth0',
      'ip neigh show foo',
      'ip neigh show dev nope',
      'ip route show',
      'sysctl -w =',
      'sysctl -w =5',
      'sysctl -z',
      'nicctl',
      'nicctl eth0',
      'nicctl eth0 frob',
      'nicctl eth0 set-ring',
      'nicctl eth0 set-ring rx',
      'nicctl eth0 set-ring rx abc',
      'nicctl eth0 set-ring rx 100',
      'nicctl eth0 set-ring qq 8',
      'ping -c 1 -s abc 10.0.0.2',
      'ping -i',
      'ping -i x 10.0.0.2',
      'ping 10.0.0.2 10.0.0.3',
      'modprobe ""',
      'rmmod "" x',
      'cat /proc/sys',
      'cat -n /proc/net/dev',
      'su - user extra',
      'history 5',
    ];
    for (const cred of ['root', 'user']) {
      if (cred === 'user') sh.exec('su user');
      for (const line of lines) {
        const job = sh.exec(line);
        expect(job.done, line).toBe(true);
        expect(job.output.join('\n'), line).not.toMatch(/internal error|undefined|NaN/);
      }
    }
    lab.run(SECOND);
    expect(sh.running).toHaveLength(0);
  });
});
