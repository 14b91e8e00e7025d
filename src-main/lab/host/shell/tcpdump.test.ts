import { describe, expect, it } from 'vitest';
import { Lab } from '../../lab';
import { MS } from '../../sim/time';
import { parseIpv4 } from '../../wire/ipv4-addr';
import { Shell } from './shell';

const done = (sh: Shell, line: string) => {
  const job = sh.exec(line);
  expect(job.done).toBe(true);
  return job.output;
};

/** h0 sends UDP to h2; h1 sits on the same wire with a perfect filter. */
function setup() {
  const lab = new Lab({ seed: 21 });
  const [h0, h1, h2] = ['h0', 'h1', 'h2'].map((n) => lab.addHost(n));
  lab.addInterface(h0, { model: 'nofilter', ip: '10.0.0.1/24' });
  lab.addInterface(h1, { model: 'perfect', ip: '10.0.0.2/24' });
  lab.addInterface(h2, { model: 'perfect', ip: '10.0.0.3/24' });
  lab.run(MS);
  const send = (n: number) => {
    const k = h0.kernel;
    const sock = k.udp.socket();
    for (let i = 0; i < n; i++) k.udp.sendto(sock, null, 18, parseIpv4('10.0.0.3')!, 6000);
  };
  return { lab, h1, send };
}

const promiscuity = (sh: Shell) =>
  Number(/promiscuity (\d+)/.exec(done(sh, 'ip -d link show eth0')[1])![1]);

describe('tcpdump', () => {
  it("takes a promiscuity reference of its own, counted apart from the user's flag", () => {
    const { lab, h1, send } = setup();
    const sh = new Shell(h1);
    expect(done(sh, 'tcpdump -i eth0 &')).toEqual(['[1] 4242']);
    expect(done(sh, 'jobs')).toEqual(['[1]+  Running                 tcpdump -i eth0 &']);
    expect(promiscuity(sh)).toBe(1);
    // The user asks twice (two tools, one request: IFF_PROMISC in gflags), then withdraws.
    done(sh, 'ifconfig eth0 promisc');
    done(sh, 'ip link set eth0 promisc on');
    expect(promiscuity(sh)).toBe(2);
    done(sh, 'ifconfig eth0 -promisc');
    expect(promiscuity(sh)).toBe(1);
    expect(h1.nics[0].filter.mode).toBe('promisc');
    // Still promiscuous for the capture: h1 takes frames meant for h2.
    send(3);
    lab.run(10 * MS);
    expect(h1.machine.fates.total(4 /* FATE_NOT_FOR_HOST */)).toBeGreaterThanOrEqual(3);
    expect(done(sh, 'kill %1')).toEqual([]);
    expect(done(sh, 'jobs')).toEqual([]);
    expect(promiscuity(sh)).toBe(0);
    expect(h1.nics[0].filter.mode).not.toBe('promisc');
    expect(h1.nics[0].dev.taps).toHaveLength(0);
  });

  it('prints a line per frame and its counts, and stops after -c frames', () => {
    const { lab, h1, send } = setup();
    const job = new Shell(h1).exec('tcpdump -c 2 -i eth0');
    expect(job.done).toBe(false);
    send(5);
    lab.run(10 * MS);
    expect(job.done).toBe(true);
    expect(job.output[0]).toBe(
      'tcpdump: verbose output suppressed, use -v[v]... for full protocol decode',
    );
    expect(job.output[1]).toBe(
      'listening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes',
    );
    // h0 asks for h2's MAC (broadcast) and h2 answers h0 (unicast: seen only promiscuously).
    expect(job.output[2]).toMatch(
      /^00:00:00\.\d{6} ARP, Request who-has 10\.0\.0\.3 tell 10\.0\.0\.1, length 28$/,
    );
    expect(job.output[3]).toMatch(
      /^00:00:00\.\d{6} ARP, Reply 10\.0\.0\.3 is-at 02:00:00:00:03:00, length 28$/,
    );
    expect(job.output.slice(-4)).toEqual([
      '',
      '2 packets captured',
      '2 packets received by filter',
      '0 packets dropped by kernel',
    ]);
    expect(h1.nics[0].dev.promiscuity).toBe(0);
  });

  it('with -p sees only what the filter lets in: the broadcast, not the unicast for h2', () => {
    const { lab, h1, send } = setup();
    const job = new Shell(h1).exec('tcpdump -p -i eth0');
    send(5);
    lab.run(10 * MS);
    expect(h1.nics[0].dev.promiscuity).toBe(0);
    expect(job.interrupt()).toBe(true);
    expect(job.done).toBe(true);
    expect(job.output.filter((l) => / ARP, | IP /.test(l))).toHaveLength(1);
    expect(job.output).toContain('1 packet captured');
  });

  it('refuses the unprivileged user, unknown devices and filter expressions', () => {
    const { h1 } = setup();
    const sh = new Shell(h1);
    expect(done(sh, 'tcpdump -i eth9')).toEqual([
      'tcpdump: eth9: No such device exists',
      '(No such device exists)',
    ]);
    expect(done(sh, 'tcpdump -i eth0 udp')[0]).toMatch(/filter expressions are not supported/);
    expect(done(sh, 'tcpdump -c x')).toEqual(['tcpdump: invalid packet count x']);
    done(sh, 'su user');
    expect(done(sh, 'tcpdump -i eth0')).toEqual([
      "tcpdump: eth0: You don't have permission to perform this capture on that device",
      '(socket: Operation not permitted)',
    ]);
    expect(h1.nics[0].dev.promiscuity).toBe(0);
  });
});

describe('background jobs', () => {
  it('runs a finished command at once after [N] PID, and kill reports unknown jobs', () => {
    const { h1 } = setup();
    const sh = new Shell(h1);
    expect(done(sh, 'sysctl net.core.rmem_max &')).toEqual([
      '[1] 4242',
      'net.core.rmem_max = 212992',
    ]);
    expect(done(sh, 'jobs')).toEqual([]);
    expect(done(sh, 'kill %3')).toEqual(['bash: kill: %3: no such job']);
    expect(done(sh, 'kill 99')).toEqual(['bash: kill: (99) - No such process']);
    expect(done(sh, '&')).toEqual(["bash: syntax error near unexpected token `&'"]);
    // A quoted & is an argument, not a background request.
    expect(done(sh, "sysctl 'a&'")[0]).not.toMatch(/^\[\d\]/);
  });
});

describe('ip -d link', () => {
  it('shows the promiscuity and allmulti counts', () => {
    const { h1 } = setup();
    const sh = new Shell(h1);
    done(sh, 'ifconfig eth0 allmulti');
    expect(done(sh, 'ip -details link show dev eth0')[1]).toMatch(
      /^ {4}link\/ether 02:00:00:00:02:00 brd ff:ff:ff:ff:ff:ff promiscuity 0 +allmulti 1 /,
    );
    expect(done(sh, 'ip link show eth0')[1]).not.toMatch(/promiscuity/);
  });
});
