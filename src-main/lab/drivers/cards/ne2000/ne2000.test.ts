import { describe, expect, it } from 'vitest';
import { Cpu } from '../../../sim/cpu';
import { Rng } from '../../../sim/rng';
import { Rig } from '../../../testing/rig';
import { etherCrc } from '../../../wire/crc32';
import { parseMac } from '../../../wire/mac';
import { Machine } from '../../machine';
import { Ne2000Card } from './ne2000';
import * as R from './regs';

const CARD_MAC = parseMac('02:00:00:00:aa:01')!;
const TX_START = R.NESM_START_PG;
const RX_START = R.NESM_START_PG + 12;

/** A rig with one built-in host (h0) and an NE2000 on its own machine on the same segment. */
function setup() {
  const rig = new Rig();
  const h0 = rig.addHost('hash64');
  const machine = new Machine('card', rig.sched, new Cpu(), rig.pool, new Rng(7));
  const card = new Ne2000Card(machine, CARD_MAC, 'eth0');
  card.attach(rig.segment.attach(card));
  const irqs: boolean[] = [];
  card.onIrq((up) => irqs.push(up));
  return { rig, h0, card, irqs };
}

const outb = (card: Ne2000Card, off: number, v: number) => card.write(1, off, v);
const inb = (card: Ne2000Card, off: number) => card.read(1, off);

/** NS8390_init as lib8390.c does it, then start the chip with `rcr`. */
function init(card: Ne2000Card, rcr = R.ENRXCR_BCST) {
  outb(card, R.E8390_CMD, R.E8390_PAGE0 | R.E8390_STOP | R.E8390_NODMA);
  outb(card, R.EN0_DCFG, 0x49);
  outb(card, R.EN0_RCNTLO, 0);
  outb(card, R.EN0_RCNTHI, 0);
  outb(card, R.EN0_RXCR, R.ENRXCR_MON);
  outb(card, R.EN0_TXCR, 0x02);
  outb(card, R.EN0_TPSR, TX_START);
  outb(card, R.EN0_STARTPG, RX_START);
  outb(card, R.EN0_BOUNDARY, R.NESM_STOP_PG - 1);
  outb(card, R.EN0_STOPPG, R.NESM_STOP_PG);
  outb(card, R.EN0_ISR, 0xff);
  outb(card, R.EN0_IMR, 0);
  outb(card, R.E8390_CMD, R.E8390_PAGE1 | R.E8390_STOP | R.E8390_NODMA);
  for (let i = 0; i < 6; i++) outb(card, R.EN1_PHYS + i, CARD_MAC[i]);
  outb(card, R.EN1_CURPAG, RX_START);
  // BNRY = PSTOP - 1 and CURR = PSTART: the ring is empty when CURR == BNRY + 1 (wrapped).
  outb(card, R.E8390_CMD, R.E8390_PAGE0 | R.E8390_STOP | R.E8390_NODMA);
  outb(card, R.EN0_ISR, 0xff);
  outb(card, R.EN0_IMR, R.ENISR_ALL);
  outb(card, R.E8390_CMD, R.E8390_PAGE0 | R.E8390_START | R.E8390_NODMA);
  outb(card, R.EN0_TXCR, 0);
  outb(card, R.EN0_RXCR, rcr);
}

function remoteRead(card: Ne2000Card, addr: number, count: number): number[] {
  outb(card, R.E8390_CMD, R.E8390_NODMA | R.E8390_START);
  outb(card, R.EN0_RCNTLO, count & 0xff);
  outb(card, R.EN0_RCNTHI, count >> 8);
  outb(card, R.EN0_RSARLO, addr & 0xff);
  outb(card, R.EN0_RSARHI, addr >> 8);
  outb(card, R.E8390_CMD, R.E8390_RREAD | R.E8390_START);
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(inb(card, R.NE_DATAPORT));
  return out;
}

function remoteWrite(card: Ne2000Card, addr: number, bytes: Uint8Array) {
  outb(card, R.E8390_CMD, R.E8390_NODMA | R.E8390_START);
  outb(card, R.EN0_RCNTLO, bytes.length & 0xff);
  outb(card, R.EN0_RCNTHI, bytes.length >> 8);
  outb(card, R.EN0_RSARLO, addr & 0xff);
  outb(card, R.EN0_RSARHI, addr >> 8);
  outb(card, R.E8390_CMD, R.E8390_RWRITE | R.E8390_START);
  // Word-wide, as ne.c's outsw does: two bytes per access, little-endian.
  for (let i = 0; i < bytes.length; i += 2)
    card.write(2, R.NE_DATAPORT, bytes[i] | (bytes[i + 1] << 8));
}

describe('NE2000 card', () => {
  it('reads its PROM through remote DMA, each byte twice, with the WW signature', () => {
    const { card } = setup();
    init(card);
    const prom = remoteRead(card, 0, 32);
    expect(prom.slice(0, 12)).toEqual([...CARD_MAC].flatMap((b) => [b, b]));
    expect(prom.slice(28, 32)).toEqual([0x57, 0x57, 0x57, 0x57]);
    expect(inb(card, R.EN0_ISR) & R.ENISR_RDC).toBe(R.ENISR_RDC);
  });

  it('resets on a read of the reset port: stopped, ISR.RST, interrupts masked', () => {
    const { card } = setup();
    init(card);
    expect(card.stopped).toBe(false);
    expect(inb(card, R.EN0_ISR) & R.ENISR_RESET).toBe(0);
    outb(card, R.NE_RESET, inb(card, R.NE_RESET));
    expect(card.stopped).toBe(true);
    expect(inb(card, R.E8390_CMD)).toBe(R.E8390_STOP | R.E8390_NODMA);
    expect(inb(card, R.EN0_ISR) & R.ENISR_RESET).toBe(R.ENISR_RESET);
  });

  it('stores a frame for its address in the ring behind a status/next/count header', () => {
    const { rig, h0, card, irqs } = setup();
    init(card);
    rig.send(h0, CARD_MAC, 100, 0x5a);
    rig.run(1e6);
    expect(irqs).toEqual([true]);
    expect(inb(card, R.EN0_ISR) & R.ENISR_RX).toBe(R.ENISR_RX);
    const wireLen = 14 + 100 + 4;
    const hdr = remoteRead(card, RX_START * 256, 4);
    expect(hdr).toEqual([R.ENRSR_RXOK, RX_START + 1, (wireLen + 4) & 0xff, (wireLen + 4) >> 8]);
    const data = remoteRead(card, RX_START * 256 + 4, wireLen);
    expect(data.slice(0, 6)).toEqual([...CARD_MAC]);
    expect(data.slice(6, 12)).toEqual([...h0.nic.dev.devAddr]);
    expect(data[14]).toBe(0x5a);
    outb(card, R.E8390_CMD, R.E8390_PAGE1 | R.E8390_START | R.E8390_NODMA);
    expect(inb(card, R.EN1_CURPAG)).toBe(RX_START + 1);
    outb(card, R.E8390_CMD, R.E8390_PAGE0 | R.E8390_START | R.E8390_NODMA);
    // Acknowledging every cause drops the line.
    outb(card, R.EN0_ISR, 0xff);
    expect(irqs).toEqual([true, false]);
    expect(card.irqAsserted).toBe(false);
  });

  it('filters by station address, AB for broadcast, PRO for everything', () => {
    const { rig, h0, card } = setup();
    init(card, 0);
    rig.send(h0, parseMac('ff:ff:ff:ff:ff:ff')!);
    rig.send(h0, parseMac('02:00:00:00:bb:02')!);
    rig.run(1e6);
    expect(card.rejected).toBe(2);
    expect(inb(card, R.EN0_ISR) & R.ENISR_RX).toBe(0);
    outb(card, R.EN0_RXCR, R.ENRXCR_PROMP);
    rig.send(h0, parseMac('02:00:00:00:bb:02')!);
    rig.run(1e6);
    expect(card.rejected).toBe(2);
    expect(inb(card, R.EN0_ISR) & R.ENISR_RX).toBe(R.ENISR_RX);
  });

  it('takes a multicast frame only when AM is set and its CRC bin is set in MAR0-7', () => {
    const { rig, h0, card } = setup();
    init(card, R.ENRXCR_MULTI);
    const group = parseMac('01:00:5e:00:00:01')!;
    // make_mc_bits: bits[crc >> 29] |= 1 << ((crc >> 26) & 7), crc = ether_crc(6, addr)
    const crc = etherCrc(group, 0, 6);
    outb(card, R.E8390_CMD, R.E8390_PAGE1 | R.E8390_START | R.E8390_NODMA);
    outb(card, R.EN1_MULT + (crc >>> 29), 1 << ((crc >>> 26) & 7));
    outb(card, R.E8390_CMD, R.E8390_PAGE0 | R.E8390_START | R.E8390_NODMA);
    const other = parseMac('01:00:5e:00:00:02')!;
    for (let i = 2; etherCrc(other, 0, 6) >>> 26 === crc >>> 26; i++) other[5] = i;
    rig.send(h0, group);
    rig.send(h0, other);
    rig.run(1e6);
    expect(card.rejected).toBe(1);
    const hdr = remoteRead(card, RX_START * 256, 1);
    expect(hdr[0]).toBe(R.ENRSR_RXOK | R.ENRSR_PHY);
  });

  it('overflows when the ring reaches BNRY: OVW, the frame missed and counted', () => {
    const { rig, h0, card } = setup();
    init(card);
    // 52 pages of ring, 6 per 1500-byte frame: the ninth frame finds no room.
    for (let i = 0; i < 9; i++) rig.send(h0, CARD_MAC, 1500);
    rig.run(10e6);
    expect(inb(card, R.EN0_ISR) & R.ENISR_OVER).toBe(R.ENISR_OVER);
    expect(inb(card, R.EN0_COUNTER2)).toBe(1);
    expect(inb(card, R.EN0_COUNTER2)).toBe(0); // cleared by the read
  });

  it('transmits TBCR bytes from TPSR with its FCS, then sets TSR.PTX and ISR.PTX', () => {
    const { rig, h0, card } = setup();
    init(card);
    const frame = new Uint8Array(60);
    frame.set(h0.nic.dev.devAddr, 0);
    frame.set(CARD_MAC, 6);
    frame[12] = 0x88;
    frame[13] = 0xb5;
    frame.fill(0x33, 14);
    remoteWrite(card, TX_START * 256, frame);
    outb(card, R.EN0_TPSR, TX_START);
    outb(card, R.EN0_TCNTLO, 60);
    outb(card, R.EN0_TCNTHI, 0);
    outb(card, R.E8390_CMD, R.E8390_NODMA | R.E8390_TRANS | R.E8390_START);
    expect(inb(card, R.E8390_CMD) & R.E8390_TRANS).toBe(R.E8390_TRANS);
    rig.run(1e6);
    expect(inb(card, R.E8390_CMD) & R.E8390_TRANS).toBe(0);
    expect(inb(card, R.EN0_TSR) & R.ENTSR_PTX).toBe(R.ENTSR_PTX);
    expect(inb(card, R.EN0_ISR) & R.ENISR_TX).toBe(R.ENISR_TX);
    expect(h0.received.length).toBe(1);
    expect([...h0.received[0]]).toEqual([...frame]);
  });

  it('neither sends nor receives while stopped', () => {
    const { rig, h0, card } = setup();
    init(card);
    outb(card, R.E8390_CMD, R.E8390_STOP | R.E8390_NODMA);
    rig.send(h0, CARD_MAC);
    outb(card, R.EN0_TCNTLO, 60);
    outb(card, R.E8390_CMD, R.E8390_NODMA | R.E8390_TRANS);
    rig.run(1e6);
    expect(inb(card, R.EN0_ISR) & (R.ENISR_RX | R.ENISR_TX)).toBe(0);
    expect(h0.received.length).toBe(0);
  });
});
