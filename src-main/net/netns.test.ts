// A real Linux kernel on the lab's wire. A network namespace holds a TAP device whose frames
// socat carries over UDP on loopback to a lab port, so the namespace's kernel (its ARP, ICMP,
// IGMP and UDP) shares the segment with emulated hosts. Linux only, as root, with socat and
// iproute2 (`apt-get install socat iproute2`); anywhere else the tests are skipped and say why.
// Nothing leaves the namespace and loopback: the TAP gets its address only inside the namespace.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dissect, type Field } from '../lab/capture/dissect';
import { Shell } from '../lab/host/shell/shell';
import { buildLab } from '../lab/labfile/build';
import { parseLabSpec } from '../lab/labfile/load';
import { LabSession } from '../lab/labfile/session';
import { internetChecksum } from '../lab/wire/checksum';
import { formatMac } from '../lab/wire/mac';
import { runRealtime, type RealtimeResult } from './realtime';
import { UdpPort } from './udp-port';

const NS = `netlab${process.pid}`;
const TAP = `nltap${process.pid % 100000}`;
const KERNEL_IP = '10.0.0.100';

/** Why these tests cannot run here, or null. */
function unsupported(): string | null {
  if (process.platform !== 'linux') return `needs Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'needs root (ip netns, TAP devices)';
  for (const [tool, pkg] of [
    ['ip', 'iproute2'],
    ['socat', 'socat'],
  ]) {
    if (spawnSync(tool, ['-V']).error) return `needs ${tool} (apt-get install ${pkg})`;
  }
  if (!existsSync('/dev/net/tun')) return 'needs /dev/net/tun';
  return null;
}
const SKIP = unsupported();
if (SKIP !== null) console.warn(`netns tests skipped: ${SKIP}`);
// NETLAB_TEST_NO_PING=1 tries the fallback below where ping is installed.
const HAVE_PING =
  SKIP === null && !process.env.NETLAB_TEST_NO_PING && !spawnSync('ping', ['-V']).error;

const LAB = `
name: a real kernel on the wire
seed: 1
hosts:
  - name: h1
    interfaces: [{ name: eth0, nic: perfect, ip: 10.0.0.1/24 }]
  - name: h2
    interfaces: [{ name: eth0, nic: hash64, ip: 10.0.0.2/24 }]
    join: [{ group: 239.1.1.1, port: 5001 }]
generators:
  - { name: to-kernel, from: h1, to: '239.1.1.1:5000', rate: 20pps, size: 64 }
captures: [segment]
`;

interface Run {
  code: number | null;
  out: Buffer;
  err: string;
}

/** Runs a command to its end (or `timeoutMs`), collecting its output. */
function run(cmd: string, args: string[], input?: Uint8Array, timeoutMs = 20_000): Promise<Run> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    p.stdout.on('data', (d: Buffer) => out.push(d));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('error', (e) => (err += e.message));
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out: Buffer.concat(out), err });
    });
    p.stdin.end(input ?? null);
  });
}

/** The same, and a failure (with stderr) unless it exits 0. */
async function must(cmd: string, ...args: string[]): Promise<string> {
  const r = await run(cmd, args);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.code}: ${r.err}`);
  return r.out.toString();
}

const inNs = (...args: string[]) => must('ip', 'netns', 'exec', NS, ...args);

async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function waitFor(what: string, cond: () => boolean | Promise<boolean>, ms = 15_000) {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function all(tree: Field[], name: string, out: Field[] = []): Field[] {
  for (const f of tree) {
    if (f.name === name) out.push(f);
    all(f.children, name, out);
  }
  return out;
}

/** An ICMP echo request as ping sends it (no IP header: the raw socket adds it). */
function echoRequest(id: number, seq: number): Uint8Array {
  const m = new Uint8Array(8 + 16);
  m.set([8, 0, 0, 0, id >> 8, id & 0xff, seq >> 8, seq & 0xff], 0);
  m.set(new TextEncoder().encode('netlab-ping-0123'), 8);
  const sum = internetChecksum(m, 0, m.length);
  m[2] = sum >> 8;
  m[3] = sum & 0xff;
  return m;
}

describe.skipIf(SKIP !== null)(
  `a real Linux kernel on the wire${SKIP === null ? '' : ` (skipped: ${SKIP})`}`,
  { timeout: 60_000 },
  () => {
    let session: LabSession;
    let port: UdpPort;
    let socat: ChildProcess | null = null;
    const children: ChildProcess[] = [];
    const stop = new AbortController();
    let runner: Promise<RealtimeResult> | null = null;
    let tapMac = '';

    beforeAll(async () => {
      const parsed = parseLabSpec(LAB, 'netns.yaml');
      if (parsed.errors) throw new Error(JSON.stringify(parsed.errors));
      session = new LabSession(buildLab(parsed.spec));
      const socatPort = await freeUdpPort();
      port = new UdpPort(session.lab.segment, {
        name: 'kernel',
        local: { port: 0 },
        remote: { host: '127.0.0.1', port: socatPort },
      });
      const local = await port.open();
      runner = runRealtime(session.lab, Infinity, { signal: stop.signal, inputs: [port] });
      // The TAP is made with no address and left down: it is configured only in the namespace.
      socat = spawn(
        'socat',
        [
          `UDP4-DATAGRAM:127.0.0.1:${local.port},bind=127.0.0.1:${socatPort}`,
          `TUN,tun-type=tap,iff-no-pi,tun-name=${TAP}`,
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let socatErr = '';
      socat.stderr!.on('data', (d: Buffer) => (socatErr += d.toString()));
      await waitFor(
        `socat to make ${TAP} (${socatErr})`,
        async () => (await run('ip', ['link', 'show', TAP])).code === 0,
      );
      await must('ip', 'netns', 'add', NS);
      await must('ip', 'link', 'set', TAP, 'netns', NS);
      // IPv6 would add router solicitations and MLD to the capture; the lab speaks IGMPv2.
      await run('ip', ['netns', 'exec', NS, 'sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1']);
      await inNs('sysctl', '-qw', 'net.ipv4.conf.all.force_igmp_version=2');
      await inNs('sysctl', '-qw', `net.ipv4.conf.${TAP}.force_igmp_version=2`);
      await inNs('ip', 'link', 'set', 'lo', 'up');
      await inNs('ip', 'addr', 'add', `${KERNEL_IP}/24`, 'dev', TAP);
      await inNs('ip', 'link', 'set', TAP, 'up');
      tapMac = (await inNs('cat', `/sys/class/net/${TAP}/address`)).trim();
    }, 60_000);

    afterAll(async () => {
      for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
      if (socat && socat.exitCode === null) {
        socat.kill('SIGTERM');
        await new Promise((r) => socat!.once('close', r));
      }
      await run('ip', ['netns', 'del', NS]);
      // Had the move failed, the TAP would still be here.
      await run('ip', ['link', 'del', TAP]);
      stop.abort();
      if (runner) {
        const r = await runner;
        console.log(
          `lab ran ${(r.simNs / 1e9).toFixed(2)} s simulated in ${(r.wallNs / 1e9).toFixed(2)} s; ` +
            `largest lag ${(r.maxLagNs / 1e6).toFixed(2)} ms; port ${JSON.stringify(port.counters())}`,
        );
      }
      await port?.close();
      session?.close();
    }, 30_000);

    it("the kernel's ping reaches an emulated host and back, with ARP both ways", async () => {
      if (HAVE_PING) {
        const out = await inNs('ping', '-c', '3', '-W', '2', '10.0.0.2');
        expect(out).toContain('3 packets transmitted, 3 received');
      } else {
        // No ping installed (Debian: iputils-ping): the same echo requests from a raw ICMP
        // socket of the namespace's kernel, with socat, and their replies read back.
        console.log('ping is not installed: echo requests sent from a raw socket with socat');
        for (let seq = 1; seq <= 3; seq++) {
          const r = await run(
            'ip',
            ['netns', 'exec', NS, 'socat', '-t', '1', '-', 'IP4-DATAGRAM:10.0.0.2:1'],
            echoRequest(0x4e4c, seq),
          );
          expect(r.code, r.err).toBe(0);
          // What the raw socket read: ICMP messages; among them an echo reply (type 0) to this one.
          const tail = Buffer.from('netlab-ping-0123');
          let replied = false;
          for (let at = r.out.indexOf(tail); at >= 8; at = r.out.indexOf(tail, at + 1)) {
            const type = r.out[at - 8];
            if (type === 0 && r.out.readUInt16BE(at - 2) === seq) replied = true;
          }
          expect(replied, `an echo reply to request ${seq}`).toBe(true);
        }
      }
      // The kernel learnt h2's MAC from h2's ARP reply...
      const h2 = session.lab.host('h2');
      const h2Mac = formatMac(h2.nics[0].dev.devAddr);
      expect(await inNs('ip', 'neigh', 'show', '10.0.0.2', 'dev', TAP)).toContain(
        `lladdr ${h2Mac}`,
      );
      // ...and h2 learnt the kernel's from its request.
      const arp = new Shell(h2).exec('cat /proc/net/arp').output.join('\n');
      expect(arp).toMatch(new RegExp(`^${KERNEL_IP.replace(/\./g, '\\.')} .* ${tapMac} `, 'm'));
      // The other way round: an emulated host's ping, answered by the real kernel.
      const job = new Shell(session.lab.host('h1')).exec(`ping -c 2 ${KERNEL_IP}`);
      await waitFor('h1 ping to finish', () => job.done);
      expect(job.output.join('\n')).toContain('2 packets transmitted, 2 received');
      expect(await inNs('ip', 'neigh', 'show', '10.0.0.1', 'dev', TAP)).toContain(
        `lladdr ${formatMac(session.lab.host('h1').nics[0].dev.devAddr)}`,
      );
    });

    let receiver: { out: Buffer[] } | null = null;

    it('the kernel joins 239.1.1.1 and its IGMPv2 report is captured and dissected in the lab', async () => {
      const out: Buffer[] = [];
      const p = spawn(
        'ip',
        [
          'netns',
          'exec',
          NS,
          'socat',
          '-u',
          `UDP4-RECV:5000,ip-add-membership=239.1.1.1:${KERNEL_IP}`,
          '-',
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      children.push(p);
      p.stdout!.on('data', (d: Buffer) => out.push(d));
      receiver = { out };
      const capture = session.capture!;
      let report: Field[] | null = null;
      await waitFor('an IGMP report from the kernel on the segment', () => {
        const s = capture.store;
        for (let n = s.first; n <= s.last; n++) {
          const bytes = s.data(n);
          const tree = dissect(bytes, bytes.length);
          const src = all(tree, 'eth.src')[0];
          if (all(tree, 'igmp.type').length > 0 && src?.value === tapMac) {
            report = tree;
            return true;
          }
        }
        return false;
      });
      const tree = report!;
      expect(all(tree, 'igmp.type')[0].label).toBe('Type: Membership Report (0x16)');
      expect(all(tree, 'igmp.version')[0].raw).toBe(2);
      expect(all(tree, 'igmp.maddr')[0].value).toBe('239.1.1.1');
      expect(all(tree, 'igmp.checksum')[0].label).toContain('[correct]');
      expect(all(tree, 'ip.src')[0].value).toBe(KERNEL_IP);
      expect(all(tree, 'ip.dst')[0].value).toBe('239.1.1.1');
      expect(all(tree, 'eth.dst')[0].value).toBe('01:00:5e:01:01:01');
    });

    it("a lab generator's multicast reaches the real socket in the namespace", async () => {
      expect(receiver, 'the receiver of the previous test').not.toBeNull();
      const magic = Buffer.from('NLAB');
      const count = () => {
        const all = Buffer.concat(receiver!.out);
        let n = 0;
        for (let at = all.indexOf(magic); at >= 0; at = all.indexOf(magic, at + 1)) n++;
        return n;
      };
      // The generator sends 20 datagrams a second of 64 bytes, each starting with its NLAB header.
      await waitFor('5 generator datagrams at the real socket', () => count() >= 5);
      expect(Buffer.concat(receiver!.out).length).toBeGreaterThanOrEqual(5 * 64);
    });

    it("a real sender's multicast reaches an emulated host's sink", async () => {
      const sink = session.sinks.find((s) => s.host.name === 'h2')!;
      const before = sink.results().received;
      await inNs(
        'sh',
        '-c',
        'for i in 1 2 3 4 5; do printf "real sender %s" $i | ' +
          `socat -u - UDP4-DATAGRAM:239.1.1.1:5001,ip-multicast-if=${KERNEL_IP}; sleep 0.05; done`,
      );
      await waitFor('5 datagrams at h2', () => sink.results().received - before >= 5);
      const r = sink.results();
      expect(r.received - before).toBe(5);
      // Not a generator's: no NLAB header to measure them by.
      expect(r.unmeasured).toBe(5);
      expect(r.bytes).toBe(5 * 'real sender 1'.length);
    });
  },
);
