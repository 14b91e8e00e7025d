import { describe, expect, it } from 'vitest';
import { Lab } from '../../lab';
import { MS, SECOND } from '../../sim/time';
import { replyTime } from './ping';
import { Shell } from './shell';

function segment() {
  const lab = new Lab({ seed: 3 });
  const hosts = ['h0', 'h1', 'h2'].map((n) => lab.addHost(n));
  hosts.forEach((h, i) => lab.addInterface(h, { model: 'hash64', ip: `10.0.0.${i + 1}/24` }));
  lab.run(MS);
  return { lab, hosts, shells: hosts.map((h) => new Shell(h)) };
}

describe('ping', () => {
  it('pings across the segment once a second and prints iputils lines and statistics', () => {
    const { lab, shells } = segment();
    const job = shells[0].exec('ping -c 3 10.0.0.2');
    expect(job.done).toBe(false);
    expect(job.output).toEqual(['PING 10.0.0.2 (10.0.0.2) 56(84) bytes of data.']);
    const seen: string[] = [];
    job.onOutput.push((line) => seen.push(line));
    let finished = 0;
    job.onDone.push(() => finished++);
    lab.run(1500 * MS);
    expect(job.output).toHaveLength(3); // two replies so far: one per second
    lab.run(2 * SECOND);
    expect(job.done).toBe(true);
    expect(finished).toBe(1);
    expect(job.exitCode).toBe(0);
    const out = job.output;
    for (let seq = 1; seq <= 3; seq++) {
      expect(out[seq]).toMatch(
        new RegExp(`^64 bytes from 10\\.0\\.0\\.2: icmp_seq=${seq} ttl=64 time=\\d+\\.\\d{3} ms$`),
      );
    }
    expect(seen).toEqual(out.slice(1));
    expect(out[4]).toBe('');
    expect(out[5]).toBe('--- 10.0.0.2 ping statistics ---');
    expect(out[6]).toBe('3 packets transmitted, 3 received, 0% packet loss, time 2000ms');
    expect(out[7]).toMatch(
      /^rtt min\/avg\/max\/mdev = \d+\.\d{3}\/\d+\.\d{3}\/\d+\.\d{3}\/\d+\.\d{3} ms$/,
    );
    // The first reply waited for ARP, so it is the slowest.
    const times = out.slice(1, 4).map((l) => Number(/time=([\d.]+)/.exec(l)![1]));
    expect(times[0]).toBeGreaterThan(times[1]);
    expect(out[7]).toContain(`/${times[0].toFixed(3)}/`);
    expect(shells[0].running).toHaveLength(0);
  });

  it('fills the ARP caches of both ends, as ip neigh and /proc/net/arp show', () => {
    const { lab, shells } = segment();
    shells[0].exec('ping -c 1 10.0.0.2');
    lab.run(SECOND);
    expect(shells[0].exec('ip neigh').output).toEqual([
      '10.0.0.2 dev eth0 lladdr 02:00:00:00:02:00 REACHABLE ',
    ]);
    expect(shells[0].exec('cat /proc/net/arp').output).toEqual([
      'IP address       HW type     Flags       HW address            Mask     Device',
      '10.0.0.2         0x1         0x2         02:00:00:00:02:00     *        eth0',
    ]);
    // The target learnt the pinger from its ARP request; the bystander learnt nothing.
    expect(shells[1].exec('ip neigh').output[0]).toMatch(
      /^10\.0\.0\.1 dev eth0 lladdr 02:00:00:00:01:00 (STALE|DELAY|REACHABLE) $/,
    );
    expect(shells[2].exec('ip neigh').output).toEqual([]);
    expect(shells[2].exec('cat /proc/net/arp').output).toHaveLength(1);
    // After base_reachable_time (30 s, randomised ×½..1½) the entry goes STALE.
    lab.run(60 * SECOND);
    expect(shells[0].exec('ip neigh show dev eth0').output[0]).toMatch(/ STALE $/);
  });

  it('reports host unreachable when ARP gets no answer, as Linux 6.18 and iputils do', () => {
    const { lab, shells } = segment();
    const job = shells[0].exec('ping -c 2 10.0.0.99');
    lab.run(2900 * MS);
    expect(job.done).toBe(false);
    // Three ARP probes a second apart, then each waiting request comes back to its sender
    // (arp_error_report → ICMP host unreachable, from this host's own address).
    lab.run(200 * MS);
    expect(job.done).toBe(true);
    expect(job.exitCode).toBe(1);
    // As recorded on Linux 6.18 (fixture router-unreachable-fragments): the time runs to the
    // last probe, and `pipe 2` (both probes out when the errors came) ends the statistics.
    expect(job.output.slice(1)).toEqual([
      'From 10.0.0.1 icmp_seq=1 Destination Host Unreachable',
      'From 10.0.0.1 icmp_seq=2 Destination Host Unreachable',
      '',
      '--- 10.0.0.99 ping statistics ---',
      '2 packets transmitted, 0 received, +2 errors, 100% packet loss, time 1000ms',
      'pipe 2',
    ]);
    expect(shells[0].exec('ip neigh').output).toEqual(['10.0.0.99 dev eth0 FAILED ']);
  });

  it('waits its linger time when nothing at all comes back', () => {
    const { lab, shells } = segment();
    // 10.0.0.2 answers ARP but not pings: with echo ignored, the probes just go unanswered.
    shells[1].exec('sysctl -w net.ipv4.icmp_echo_ignore_all=1');
    const job = shells[0].exec('ping -c 2 10.0.0.2');
    lab.run(5 * SECOND);
    expect(job.done).toBe(false); // iputils waits 10 s after the last probe when nothing came back
    lab.run(10 * SECOND);
    expect(job.done).toBe(true);
    expect(job.output.slice(-3)).toEqual([
      '--- 10.0.0.2 ping statistics ---',
      '2 packets transmitted, 0 received, 100% packet loss, time 1000ms',
      '',
    ]);
  });

  it('runs until interrupted without -c, and Ctrl-C prints the statistics', () => {
    const { lab, shells } = segment();
    const job = shells[0].exec('ping -s 100 10.0.0.3');
    expect(job.output[0]).toBe('PING 10.0.0.3 (10.0.0.3) 100(128) bytes of data.');
    lab.run(4500 * MS);
    expect(shells[0].running).toEqual([job]);
    expect(job.interrupt()).toBe(true);
    expect(job.done).toBe(true);
    expect(job.output.filter((l) => l.startsWith('108 bytes from'))).toHaveLength(5);
    // The time runs to the last probe and its reply (iputils' cur_time), not to the Ctrl-C: on
    // Linux 6.18, `timeout -s INT 2.5 ping` printed "3 packets transmitted … time 2041ms".
    expect(job.output).toContain('5 packets transmitted, 5 received, 0% packet loss, time 4000ms');
    expect(job.interrupt()).toBe(false);
    expect(shells[0].running).toHaveLength(0);
    // Nothing keeps running after the interrupt.
    const sent = shells[0].kernel.mib.icmp.OutEchos;
    lab.run(5 * SECOND);
    expect(shells[0].kernel.mib.icmp.OutEchos).toBe(sent);
  });

  it('rejects bad input with iputils messages', () => {
    const { shells } = segment();
    const sh = shells[0];
    const err = (line: string) => {
      const j = sh.exec(line);
      expect(j.done).toBe(true);
      return [j.exitCode, ...j.output];
    };
    expect(err('ping')).toEqual([1, 'ping: usage error: Destination address required']);
    expect(err('ping nowhere')).toEqual([2, 'ping: nowhere: Name or service not known']);
    expect(err('ping -c 0 10.0.0.2')).toEqual([
      1,
      "ping: invalid argument: '0': out of range: 1 <= value <= 9223372036854775807",
    ]);
    expect(err('ping -s 70000 10.0.0.2')).toEqual([
      1,
      "ping: invalid argument: '70000': out of range: 0 <= value <= 65507",
    ]);
    expect(err('ping -c abc 10.0.0.2')).toEqual([1, "ping: invalid argument: 'abc'"]);
    expect(err('ping -c')).toEqual([2, "ping: option requires an argument -- 'c'"]);
    expect(err('ping -x 10.0.0.2')).toEqual([2, "ping: invalid option -- 'x'"]);
    expect(err('ping 192.168.1.1')).toEqual([2, 'ping: connect: Network is unreachable']);
    expect(err('ping 10.0.0.255')[1]).toMatch(/^ping: Do you want to ping broadcast\?/);
    sh.exec('su user');
    expect(err('ping -i 0.001 10.0.0.2')[1]).toMatch(/^ping: cannot flood/);
  });

  it('gives its timer back when it ends, so pinging all day does not grow the timer table', () => {
    const { lab, shells } = segment();
    const [a, b] = [shells[0], shells[1]];
    // Warm up: ARP entries (each with its timer) for every address pinged below.
    a.exec('ping -c 1 10.0.0.2');
    a.exec('ping -c 1 10.0.0.99');
    b.exec('ping -c 1 10.0.0.3');
    lab.run(12 * SECOND);
    const inUse = [a, b].map((sh) => sh.kernel.timers.inUse);
    let slots: number[] = [];
    for (let i = 0; i < 100; i++) {
      // Ended by its count, by Ctrl-C, and with nobody answering (after the linger time).
      const counted = a.exec('ping -c 2 -i 0.2 10.0.0.2');
      const endless = b.exec('ping -i 0.2 10.0.0.3');
      lab.run(SECOND);
      expect(counted.done).toBe(true);
      expect(endless.interrupt()).toBe(true);
      if (i % 25 === 0) {
        const lost = a.exec('ping -c 1 10.0.0.99');
        lab.run(11 * SECOND);
        expect(lost.exitCode).toBe(1);
      }
      if (i === 0) slots = [a, b].map((sh) => sh.kernel.timers.slots);
    }
    expect(a.running).toHaveLength(0);
    expect(b.running).toHaveLength(0);
    expect([a, b].map((sh) => sh.kernel.timers.inUse)).toEqual(inUse);
    // The table is as large as it was after the first round: each ping took a freed slot.
    expect([a, b].map((sh) => sh.kernel.timers.slots)).toEqual(slots);
  });

  it('formats reply times with fewer decimals as they grow, as iputils does', () => {
    expect(replyTime(123)).toBe('0.123');
    expect(replyTime(1234)).toBe('1.23');
    expect(replyTime(12345)).toBe('12.3');
    expect(replyTime(123456)).toBe('123');
  });
});
