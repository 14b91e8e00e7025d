import { describe, expect, it } from 'vitest';
import { Lab } from '../../lab';
import { MS } from '../../sim/time';
import { parseIpv4 } from '../../wire/ipv4-addr';
import { Shell } from './shell';

const run = (sh: Shell, line: string) => {
  const job = sh.exec(line);
  expect(job.done).toBe(true);
  return { status: job.exitCode, out: job.output };
};

/** h0 sends to 239.1.1.1:5000; h1 (a perfect filter) is where the readers run. */
function setup() {
  const lab = new Lab({ seed: 3 });
  const h0 = lab.addHost('h0');
  lab.addInterface(h0, { model: 'nofilter', ip: '10.0.0.1/24' });
  const h1 = lab.addHost('h1');
  lab.addInterface(h1, { model: 'perfect', ip: '10.0.0.2/24' });
  lab.run(MS);
  const send = (n: number) => {
    const k = h0.kernel;
    const sock = k.udp.socket();
    sock.mcIf = h0.nics[0].dev; // IP_MULTICAST_IF: whatever the routes say about 224.0.0.0/4
    for (let i = 0; i < n; i++) k.udp.sendto(sock, null, 18, parseIpv4('239.1.1.1')!, 5000);
  };
  return { lab, h1, send };
}

describe('udprecv', () => {
  it('joins the group with SO_RCVBUF capped by rmem_max and doubled, and reads at its rate', () => {
    const { lab, h1, send } = setup();
    const sh = new Shell(h1);
    run(sh, 'sysctl -w net.core.rmem_max=100000');
    const started = run(sh, 'udprecv -i eth0 -b 256K -r 10 239.1.1.1:5000');
    expect(started.status).toBe(0);
    expect(started.out[1]).toBe('  SO_RCVBUF 262144 asked; getsockopt says 200000');
    const sock = h1.kernel.udp.sockets.at(-1)!;
    expect(sock.rcvbuf).toBe(200000);
    expect(sock.localPort).toBe(5000);
    expect(run(sh, 'ip maddr show dev eth0').out).toContain('\tinet  239.1.1.1');
    send(20);
    lab.run(150 * MS);
    // 20 came, one read per 100 ms: the rest wait, charged their truesize (memory read may be
    // given back in batches, so the account holds at least the waiting ones).
    expect(sock.queued).toBe(20);
    expect(sock.read).toBe(1);
    expect(sock.receiveQueue.qlen).toBe(19);
    expect(sock.rmemAlloc).toBeGreaterThanOrEqual(19 * sock.lastSkb.truesize);
    expect(sock.rmemAlloc).toBeLessThanOrEqual(20 * sock.lastSkb.truesize);
    const table = run(sh, 'udprecv').out;
    expect(table[0]).toMatch(/^ID\s+LOCAL\s+GROUP\s+RATE\s+RCVBUF\s+RMEM\s+QUEUED\s+READ\s+DROPS$/);
    expect(table[1].split(/\s+/)).toEqual([
      String(sock.id),
      '0.0.0.0:5000',
      '239.1.1.1@eth0',
      '10/s',
      '200000',
      String(sock.rmemAlloc),
      String(sock.receiveQueue.qlen),
      String(sock.read),
      '0',
    ]);
  });

  it('keeps the group while another reader holds it, and leaves with the last', () => {
    const { h1 } = setup();
    const sh = new Shell(h1);
    run(sh, 'udprecv -i eth0 239.1.1.1:5000');
    const second = run(sh, 'udprecv -i eth0 239.1.1.1:5000').out[0];
    const id = /^udprecv (\d+):/.exec(second)![1];
    expect(run(sh, 'ip maddr show dev eth0').out).toContain('\tinet  239.1.1.1 users 2');
    // Another shell on the same host sees and stops the same readers.
    expect(run(new Shell(h1), `udprecv -k ${id}`).out).toEqual([
      `udprecv ${id}: stopped (socket closed, group left)`,
    ]);
    const after = run(sh, 'ip maddr show dev eth0').out;
    expect(after).toContain('\tinet  239.1.1.1');
    expect(after).toContain('\tlink  01:00:5e:01:01:01');
    const first = run(sh, 'udprecv').out[1].split(/\s+/)[0];
    run(sh, `udprecv -k ${first}`);
    expect(run(sh, 'ip maddr show dev eth0').out).not.toContain('\tlink  01:00:5e:01:01:01');
    expect(run(sh, 'udprecv').out).toEqual(['udprecv: no readers on this host']);
  });

  it('refuses bad input with a reason and the usage, and kernel errors by call', () => {
    const { lab, h1 } = setup();
    const sh = new Shell(h1);
    const bad = (line: string, why: string) => {
      const r = run(sh, line);
      expect(r.status).toBe(2);
      expect(r.out[0]).toBe(`udprecv: ${why}`);
      expect(r.out[1]).toMatch(/^Usage: udprecv/);
    };
    bad('udprecv 10.0.0.9:5000', '"10.0.0.9" is not a multicast group (224.0.0.0/4)');
    bad('udprecv -i eth0 239.1.1.1:70000', 'bad port in "239.1.1.1:70000" (1 to 65535)');
    bad('udprecv -i eth0 -b lots 5000', 'bad SO_RCVBUF "lots" (bytes, such as 262144 or 256K)');
    bad('udprecv -i eth0 -r 0 5000', 'bad read rate "0" (datagrams a second, or max)');
    bad('udprecv -r', 'option -r needs a value');
    bad('udprecv -x 5000', 'unknown option -x');
    bad('udprecv -k', 'udprecv -k takes one reader ID (see udprecv)');
    expect(run(sh, 'udprecv -i eth9 5000').out).toEqual(['udprecv: eth9: No such device']);
    // Without -i the kernel routes the group to find the card; a host with no route (here:
    // no card at all) has none to give.
    const bare = new Shell(lab.addHost('h9'));
    expect(run(bare, 'udprecv 239.1.1.1:5000').out).toEqual([
      'udprecv: setsockopt(IP_ADD_MEMBERSHIP): No such device',
      'udprecv: no route to 239.1.1.1: name the interface with -i DEV',
    ]);
    run(sh, 'su user');
    const sockets = h1.kernel.udp.sockets.length;
    expect(run(sh, 'udprecv 53').out).toEqual(['udprecv: bind: Permission denied']);
    expect(h1.kernel.udp.sockets.length).toBe(sockets);
  });
});
