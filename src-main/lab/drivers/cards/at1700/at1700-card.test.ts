import { describe, expect, it } from 'vitest';
import { Cpu } from '../../../sim/cpu';
import { Rng } from '../../../sim/rng';
import { Rig } from '../../../testing/rig';
import { parseMac } from '../../../wire/mac';
import { Machine } from '../../machine';
import { At1700Card } from './at1700-card';
import * as R from './regs';

const CARD_MAC = parseMac('02:00:00:00:aa:01')!;

function setup() {
  const rig = new Rig();
  const h0 = rig.addHost('promisc-only');
  const machine = new Machine('card', rig.sched, new Cpu(), rig.pool, new Rng(7));
  const card = new At1700Card(machine, CARD_MAC, 'eth0');
  card.attach(rig.segment.attach(card));
  const irqs: boolean[] = [];
  card.onIrq((up) => irqs.push(up));
  const misuse: string[] = [];
  card.onMisuse((m) => misuse.push(m));
  return { rig, h0, card, irqs, misuse };
}

const outb = (card: At1700Card, off: number, v: number) => card.write(1, off, v);
const inb = (card: At1700Card, off: number) => card.read(1, off);
const inw = (card: At1700Card, off: number) => card.read(2, off);

/** read_eeprom as at1700.c clocks it. */
function readEeprom(card: At1700Card, location: number): number {
  const cmd = location | (6 << 6);
  outb(card, R.EEPROM_CTRL, R.EE_CS);
  for (let i = 9; i >= 0; i--) {
    outb(card, R.EEPROM_DATA, cmd & (1 << i) ? R.EE_DATA : 0);
    outb(card, R.EEPROM_CTRL, R.EE_CS | R.EE_SHIFT_CLK);
    outb(card, R.EEPROM_CTRL, R.EE_CS);
  }
  let v = 0;
  for (let i = 0; i < 16; i++) {
    outb(card, R.EEPROM_CTRL, R.EE_CS | R.EE_SHIFT_CLK);
    v = (v << 1) | (inb(card, R.EEPROM_DATA) & R.EE_DATA ? 1 : 0);
    outb(card, R.EEPROM_CTRL, R.EE_CS);
  }
  outb(card, R.EEPROM_CTRL, 0);
  return v;
}

/** net_open's register sequence, then `rxMode`. */
function open(card: At1700Card, rxMode = R.AF_NORMAL) {
  outb(card, R.CONFIG_1, 0xe0);
  for (let i = 0; i < 6; i++) outb(card, R.NODE_ID + i, CARD_MAC[i]);
  outb(card, R.CONFIG_1, 0xe4);
  for (let i = 0; i < 8; i++) outb(card, R.MCAST_TABLE + i, 0);
  outb(card, R.CONFIG_0, 0xda);
  outb(card, R.CONFIG_0, 0x5a);
  outb(card, R.CONFIG_1, 0xe8);
  outb(card, R.RX_MODE, rxMode);
  outb(card, R.TX_INTR, 0);
  outb(card, R.RX_INTR, 0x81);
}

describe('AT1700 card', () => {
  it('gives its station address from the 93C46 EEPROM, words 4-6, high byte first', () => {
    const { card } = setup();
    expect([4, 5, 6].map((w) => readEeprom(card, w))).toEqual([0x0200, 0x0000, 0xaa01]);
  });

  it('is off until CONFIG_0 enables it: nothing is received while stopped', () => {
    const { rig, h0, card } = setup();
    expect(card.stopped).toBe(true);
    rig.send(h0, CARD_MAC, 100);
    rig.run(1e6);
    expect(card.accepted + card.rejected).toBe(0);
    open(card);
    expect(card.stopped).toBe(false);
  });

  it('RX_MODE 2 takes its address and broadcast, and no multicast at all', () => {
    const { rig, h0, card, irqs } = setup();
    open(card);
    rig.send(h0, CARD_MAC, 100, 0x5a);
    rig.send(h0, parseMac('ff:ff:ff:ff:ff:ff')!);
    rig.send(h0, parseMac('01:00:5e:01:01:01')!); // a group: no mode of this card takes it alone
    rig.send(h0, parseMac('02:00:00:00:bb:02')!);
    rig.run(2e6);
    expect(card.accepted).toBe(2);
    expect(card.rejected).toBe(2);
    expect(irqs).toEqual([true]);
    expect(inb(card, R.RX_STATUS) & R.RX_PKT_RDY).toBe(R.RX_PKT_RDY);
    expect(inb(card, R.RX_MODE) & R.RX_BUF_EMPTY).toBe(0);
    // The first frame: status 0x20, its length without FCS, then its bytes.
    expect(inw(card, R.DATAPORT)).toBe(R.RX_GOOD);
    expect(inw(card, R.DATAPORT)).toBe(14 + 100);
    const first = inw(card, R.DATAPORT);
    expect([first & 0xff, first >> 8]).toEqual([CARD_MAC[0], CARD_MAC[1]]);
    outb(card, R.RX_SKIP, 0x05); // the rest of it
    expect(inw(card, R.DATAPORT)).toBe(R.RX_GOOD); // the broadcast
    outb(card, R.RX_SKIP, 0x05);
    expect(inb(card, R.RX_MODE) & R.RX_BUF_EMPTY).toBe(R.RX_BUF_EMPTY);
    expect(irqs).toEqual([true, false]);
  });

  it('RX_MODE 3 takes everything', () => {
    const { rig, h0, card } = setup();
    open(card, R.AF_PROMISC);
    rig.send(h0, parseMac('01:00:5e:01:01:01')!);
    rig.send(h0, parseMac('02:00:00:00:bb:02')!);
    rig.run(2e6);
    expect(card.accepted).toBe(2);
    expect(card.rejected).toBe(0);
    expect(card.canFilterMulticast).toBe(false);
  });

  it('sends the queued frames on TX_START, padded, and says so in TX_STATUS', () => {
    const { rig, h0, card, irqs } = setup();
    open(card);
    outb(card, R.TX_INTR, 0x82);
    const frame = [...h0.nic.dev.devAddr, ...CARD_MAC, 0x08, 0x00, 1, 2, 3];
    card.write(2, R.DATAPORT, frame.length);
    for (let i = 0; i < frame.length; i += 2)
      card.write(2, R.DATAPORT, frame[i] | ((frame[i + 1] ?? 0) << 8));
    outb(card, R.TX_START, 0x81);
    rig.run(1e6);
    expect(inb(card, R.TX_STATUS) & R.TX_DONE).toBe(R.TX_DONE);
    expect(irqs).toEqual([true]);
    // 17 bytes written; the chip padded them to 60 and added the FCS.
    expect(h0.received).toHaveLength(1);
    expect(h0.received[0].length).toBe(60);
    expect([...h0.received[0].subarray(12, 17)]).toEqual([0x08, 0x00, 1, 2, 3]);
    card.write(2, R.TX_STATUS, 0xffff);
    expect(irqs).toEqual([true, false]);
  });

  it('reports reading an empty buffer and TX_START while disabled as misuse', () => {
    const { card, misuse } = setup();
    outb(card, R.CONFIG_1, 0xe8);
    outb(card, R.TX_START, 0x81);
    card.read(2, R.DATAPORT);
    expect(misuse).toHaveLength(2);
    expect(misuse[0]).toMatch(/TX_START written while/);
    expect(misuse[1]).toMatch(/receive buffer empty/);
  });
});
