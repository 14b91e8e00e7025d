import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { devClose, devOpen } from '../../netdev/dev';
import { devQueueXmit } from '../../netdev/dev-xmit';
import { EIO } from '../../netdev/errno';
import { Cpu } from '../../sim/cpu';
import { Rng } from '../../sim/rng';
import { NET_SKB_PAD } from '../../skb/truesize';
import { ETH_HLEN, EthernetView } from '../../wire/ethernet';
import { ETH_P_EXPERIMENTAL, Rig } from '../../testing/rig';
import { parseMac } from '../../wire/mac';
import { Machine } from '../machine';
import { formatReport } from './oops';
import { loadQuickJS } from './quickjs';
import { StudentNic } from './student-nic';

// Each bad driver is the reference driver with one realistic mistake put in,
// and each test checks the report a student reads: what, and on which line.
const NE2K = readFileSync(
  new URL('../../../../resources/drivers/ne2k.js', import.meta.url),
  'utf8',
);
const MAC = parseMac('02:00:00:00:aa:01')!;

beforeAll(async () => {
  await loadQuickJS();
});

/** ne2k.js with `from` replaced by `to`; the line `to` lands on (1-based). */
function mutate(from: string, to: string): { source: string; line: number } {
  expect(NE2K.includes(from)).toBe(true);
  const source = NE2K.replace(from, to);
  const line = source.slice(0, source.indexOf(to)).split('\n').length;
  return { source, line };
}

function setup(source: string) {
  const rig = new Rig();
  const h0 = rig.addHost('hash64');
  const machine = new Machine('s', rig.sched, new Cpu(), rig.pool, new Rng(3));
  const nic = new StudentNic(machine, {
    card: 'ne2000',
    name: 'eth0',
    mac: MAC,
    driver: { file: 'my-ne2k.js', source },
  });
  nic.attach(rig.segment.attach(nic.card));
  nic.dev.rxHandler = (skb) => skb.free();
  return { rig, h0, nic };
}

function send(rig: Rig, nic: StudentNic, dest: Uint8Array) {
  const skb = rig.pool.alloc(NET_SKB_PAD + ETH_HLEN + 100);
  skb.reserve(NET_SKB_PAD + ETH_HLEN);
  skb.put(100);
  EthernetView.write(skb.buf, skb.push(ETH_HLEN), dest, MAC, ETH_P_EXPERIMENTAL);
  return devQueueXmit(skb, nic.dev);
}

describe('a bad driver gets a clear report, never a hung or crashed lab', () => {
  it('an infinite loop: a soft lockup at the loop, the device broken', () => {
    const { source, line } = mutate(
      '    if (k.inb(io + EN0_ISR) & ENISR_RDC) break;',
      '    while (!(k.inb(io + EN0_ISR) & ENISR_RESET)) {} // wait for the copy',
    );
    const { rig, h0, nic } = setup(source);
    expect(devOpen(nic.dev)).toBe(0);
    send(rig, nic, h0.nic.dev.devAddr);
    rig.run(10e6);
    expect(nic.reports.length).toBe(1);
    const r = nic.reports[0];
    expect(r.severity).toBe('oops');
    expect(r.title).toBe('watchdog: soft lockup in startXmit');
    expect(r.line).toBe(line);
    expect(r.stack).toMatch(/at blockOutput \(my-ne2k\.js:\d+:\d+\)\n\s*at startXmit/);
    expect(formatReport(r)).toMatch(
      new RegExp(`^my-ne2k\\.js:${line}:\\d+: Oops: watchdog: soft lockup`),
    );
    expect(nic.broken).toBe(r);
    // The lab goes on: the broken device drops what it is given, and open says EIO.
    expect(send(rig, nic, h0.nic.dev.devAddr)).toBe(0);
    rig.run(10e6);
    expect(h0.received.length).toBe(0);
    devClose(nic.dev);
    expect(devOpen(nic.dev)).toBe(-EIO);
  });

  it('a thrown error in the interrupt handler: the oops names the error and the line', () => {
    const { source, line } = mutate(
      '    const pktLen = hdr.count - 4;',
      '    const pktLen = hdr.cnt.length - 4;',
    );
    const { rig, h0, nic } = setup(source);
    devOpen(nic.dev);
    rig.send(h0, MAC, 100);
    rig.run(10e6);
    expect(nic.reports.length).toBe(1);
    const r = nic.reports[0];
    expect(r.severity).toBe('oops');
    expect(r.title).toBe('TypeError in interrupt');
    expect(r.message).toMatch(/cannot read property 'length' of undefined/);
    expect(r.line).toBe(line);
    expect(r.stack).toMatch(/at receive .*\n\s*at interrupt/);
    // No second interrupt reaches a broken driver.
    rig.send(h0, MAC, 100);
    rig.run(10e6);
    expect(nic.reports.length).toBe(1);
  });

  it('a leak: buffers never handed up are reported at stop, with the line that allocated them', () => {
    const { source } = mutate('      k.netif_rx(skb);\n', '');
    const allocLine = source.split('\n').findIndex((l) => l.includes('k.netdev_alloc_skb(')) + 1;
    const { rig, h0, nic } = setup(source);
    const before = rig.pool.outstanding; // h0's receive ring
    devOpen(nic.dev);
    for (let i = 0; i < 3; i++) rig.send(h0, MAC, 100);
    rig.run(10e6);
    expect(nic.reports).toEqual([]);
    devClose(nic.dev);
    expect(nic.reports.length).toBe(1);
    const r = nic.reports[0];
    expect(r.severity).toBe('warning');
    expect(r.title).toBe('skb leak');
    expect(r.message).toMatch(/stop returned with 3 buffers still held by the driver/);
    expect(r.line).toBe(allocLine);
    expect(nic.broken).toBe(null);
    // The kernel took the buffers back: the pool's books balance.
    expect(rig.pool.outstanding).toBe(before);
  });

  it('a double free: the second free is the oops, at its line', () => {
    const { source, line } = mutate(
      '    k.dev_consume_skb_any(skb);\n',
      '    k.dev_consume_skb_any(skb);\n    k.dev_kfree_skb(skb);\n',
    );
    const { rig, h0, nic } = setup(source);
    devOpen(nic.dev);
    send(rig, nic, h0.nic.dev.devAddr);
    rig.run(10e6);
    expect(nic.reports.length).toBe(1);
    const r = nic.reports[0];
    expect(r.severity).toBe('oops');
    expect(r.title).toBe('double free of skb');
    expect(r.line).toBe(line + 1);
    expect(r.stack).toMatch(/at startXmit \(my-ne2k\.js/);
  });

  it('a syntax error: reported at load with its line; the device never opens', () => {
    const { source, line } = mutate('    const len = skb.len;', '    const len = skb.len +;');
    const { nic } = setup(source);
    expect(nic.reports.length).toBe(1);
    expect(nic.reports[0].title).toBe('syntax error');
    expect(nic.reports[0].line).toBe(line);
    expect(devOpen(nic.dev)).toBe(-EIO);
  });

  it('using an skb after netif_rx is caught even inside try/catch', () => {
    const { source, line } = mutate(
      '      k.netif_rx(skb);\n',
      '      k.netif_rx(skb);\n      try { stats.rx_bytes += skb.len; } catch (e) {}\n',
    );
    const { rig, nic } = setup(source);
    const h0 = rig.hosts[0];
    devOpen(nic.dev);
    rig.send(h0, MAC, 100);
    rig.run(10e6);
    expect(nic.reports.length).toBe(1);
    expect(nic.reports[0].title).toBe('use of skb after netif_rx');
    expect(nic.reports[0].line).toBe(line + 1);
  });

  it('a set_mac_address that changes a running card: a warning at setMacAddress', () => {
    const { source } = mutate(
      '    return k.eth_mac_addr(dev, addr);',
      '    k.eth_hw_addr_set(dev, addr);\n    return 0;',
    );
    const { nic } = setup(source);
    devOpen(nic.dev);
    expect(nic.dev.ops.setMacAddress!(nic.dev, parseMac('02:00:00:00:aa:09')!)).toBe(0);
    expect(nic.reports.length).toBe(1);
    expect(nic.reports[0].title).toBe('set_mac_address on a running device');
    expect(nic.reports[0].message).toMatch(/return -EBUSY/);
    expect(source.split('\n')[nic.reports[0].line - 1]).toMatch(/setMacAddress\(k, dev, addr\)/);
  });
});
