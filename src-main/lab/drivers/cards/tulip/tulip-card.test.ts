import { describe, expect, it } from 'vitest';
import { Rig } from '../../../testing/rig';
import { crc32 } from '../../../wire/crc32';
import { formatMac, parseMac } from '../../../wire/mac';
import {
  AbnormalIntr,
  AcceptAllMulticast,
  AcceptAllPhys,
  CSR0,
  CSR1,
  CSR2,
  CSR3,
  CSR4,
  CSR5,
  CSR5_RS_SHIFT,
  CSR5_TS_SHIFT,
  CSR6,
  CSR6_HP,
  CSR7,
  CSR8,
  CSR9,
  DESC_CHAINED,
  DESC_RING_WRAP,
  DescOwned,
  NormalIntr,
  RDES0_DE,
  RDES0_FS,
  RDES0_LS,
  RDES0_MF,
  RS_SUSPENDED,
  RS_WAITING,
  RxIntr,
  RxNoBuf,
  RxOn,
  SystemError,
  TDES0_NC,
  TDES0_SETUP_DONE,
  TDES1_FT0,
  TDES1_SET,
  TS_STOPPED,
  TS_SUSPENDED,
  TxIntr,
  TxNoBuf,
  TxOn,
} from './csr';
import { tulipHashBin } from './setup-filter';
import { TulipCard } from './tulip-card';
import { HostMemory } from '../register-card';

const mac = (s: string) => parseMac(s)!;
const OWN = mac('00:00:f8:12:34:56');
const BUF_SZ = 1536;
const hex2 = (n: number) => n.toString(16).padStart(2, '0');

/**
 * What Linux's tulip driver does to the card, written out step by step so the
 * tests read as the driver would: rings in host memory, setup frames built as
 * tulip_core.c's build_setup_frame_perfect/hash build them.
 */
class Bench {
  readonly rig = new Rig();
  readonly mem = new HostMemory(64 * 1024);
  readonly card = new TulipCard('tulip0', OWN);
  readonly irqs: boolean[] = [];
  private brk = 0;
  rxRing = 0;
  txRing = 0;
  rxBufs: number[] = [];
  txBufs: number[] = [];
  curTx = 0;
  curRx = 0;

  constructor(
    readonly rxSize = 4,
    readonly txSize = 4,
    readonly bufSize = BUF_SZ,
  ) {
    this.card.attachDma(this.mem);
    this.card.attach(this.rig.segment.attach(this.card));
    this.card.onIrq((level) => this.irqs.push(level));
  }

  alloc(len: number): number {
    const at = 0x100 + this.brk;
    this.brk += (len + 15) & ~15;
    return at;
  }

  r32(addr: number): number {
    return this.mem.read32(addr);
  }

  w32(addr: number, v: number): void {
    this.mem.write32(addr, v);
  }

  bytes(addr: number, len: number): Uint8Array {
    return this.mem.bytes.slice(addr, addr + len);
  }

  csr(offset: number): number {
    return this.card.read(4, offset);
  }

  set(offset: number, v: number): void {
    this.card.write(4, offset, v);
  }

  /** tulip_init_ring: every RX descriptor owned by the card, the last wrapping. */
  initRings(): void {
    this.rxRing = this.alloc(16 * this.rxSize);
    this.txRing = this.alloc(16 * this.txSize);
    for (let i = 0; i < this.rxSize; i++) {
      const d = this.rxRing + 16 * i;
      const buf = this.alloc(this.bufSize);
      this.rxBufs.push(buf);
      this.w32(d + 4, this.bufSize | (i === this.rxSize - 1 ? DESC_RING_WRAP : 0));
      this.w32(d + 8, buf);
      this.w32(d, DescOwned);
    }
    for (let i = 0; i < this.txSize; i++) {
      this.txBufs.push(this.alloc(BUF_SZ));
      this.w32(this.txRing + 16 * i + 4, i === this.txSize - 1 ? DESC_RING_WRAP : 0);
    }
    this.set(CSR3, this.rxRing);
    this.set(CSR4, this.txRing);
  }

  /** Queues `len` bytes at the next TX descriptor with `flags` (FS|LS|IC…), owned by the card. */
  queueTx(data: Uint8Array, flags: number): number {
    const entry = this.curTx++ % this.txSize;
    const d = this.txRing + 16 * entry;
    this.mem.bytes.set(data, this.txBufs[entry]);
    const wrap = entry === this.txSize - 1 ? DESC_RING_WRAP : 0;
    this.w32(d + 4, data.length | flags | wrap);
    this.w32(d + 8, this.txBufs[entry]);
    this.w32(d, DescOwned);
    return d;
  }

  /** set_rx_mode's setup frame: perfect for up to 14 groups, else the hash. */
  setRxMode(groups: Uint8Array[]): number {
    const frame = groups.length > 14 ? hashSetupFrame(groups) : perfectSetupFrame(groups);
    const ft = groups.length > 14 ? TDES1_FT0 : 0;
    return this.queueTx(frame, TDES1_SET | ft);
  }

  rxDesc(i: number): { status: number; data: Uint8Array } {
    const d = this.rxRing + 16 * i;
    const status = this.r32(d);
    const len = (status >>> 16) & 0x3fff;
    return { status, data: this.bytes(this.rxBufs[i], len) };
  }

  /** Gives an RX descriptor back to the card, as the driver's refill does. */
  refill(i: number): void {
    this.w32(this.rxRing + 16 * i, DescOwned);
  }
}

/** Writes an address into a setup-frame entry as Linux does: each 16-bit half doubled. */
function putEntry(frame: Uint8Array, at: number, addr: Uint8Array): void {
  for (let i = 0; i < 3; i++) {
    frame[at + 4 * i] = frame[at + 4 * i + 2] = addr[2 * i];
    frame[at + 4 * i + 1] = frame[at + 4 * i + 3] = addr[2 * i + 1];
  }
}

function perfectSetupFrame(groups: Uint8Array[]): Uint8Array {
  const f = new Uint8Array(192).fill(0xff); // unused entries: broadcast
  groups.forEach((g, i) => putEntry(f, 12 * i, g));
  putEntry(f, 15 * 12, OWN);
  return f;
}

function hashSetupFrame(groups: Uint8Array[]): Uint8Array {
  const table = new Uint16Array(32);
  table[255 >> 4] |= 1 << (255 & 15); // broadcast
  for (const g of groups) {
    const bin = tulipHashBin(g);
    table[bin >> 4] |= 1 << (bin & 15);
  }
  const f = new Uint8Array(192);
  for (let i = 0; i < 32; i++) {
    f[4 * i] = f[4 * i + 2] = table[i] & 0xff;
    f[4 * i + 1] = f[4 * i + 3] = table[i] >> 8;
  }
  putEntry(f, 13 * 12, OWN);
  return f;
}

/** A bench with rings set up, a setup frame for `groups` taken, and the receiver on. */
function running(groups: Uint8Array[] = [], extraMode = 0): Bench {
  const b = new Bench();
  b.initRings();
  b.setRxMode(groups);
  b.set(CSR7, NormalIntr | AbnormalIntr | TxIntr | RxIntr | RxNoBuf | SystemError);
  b.set(CSR6, RxOn | TxOn | extraMode);
  return b;
}

describe('Tulip registers', () => {
  it('reads the Ethernet address from the address ROM through CSR9', () => {
    const b = new Bench();
    b.set(CSR9, 0); // resets the pointer
    const got = new Uint8Array(6);
    for (let i = 0; i < 6; i++) {
      const v = b.csr(CSR9);
      expect(v & 0x80000000).toBe(0); // data valid
      got[i] = v & 0xff;
    }
    expect(formatMac(got)).toBe('00:00:f8:12:34:56');
  });

  it('comes out of reset stopped, with CSR0 and CSR6 at their defaults', () => {
    const b = new Bench();
    b.set(CSR0, 0x1);
    expect(b.csr(CSR0) >>> 0).toBe(0xfe000000);
    expect(b.csr(CSR6) & (RxOn | TxOn)).toBe(0);
    expect(b.csr(CSR5)).toBe(0);
  });

  it('refuses byte and word accesses, naming the offset; reads all ones where no CSR is', () => {
    const b = new Bench();
    expect(() => b.card.read(1, CSR5)).toThrow(/1 byte\(s\) at CSR offset 0x28.*ioread32/);
    expect(b.card.read(4, 0x0c) >>> 0).toBe(0xffffffff);
    expect(b.card.read(4, 0x80) >>> 0).toBe(0xffffffff);
    b.card.write(4, 0x0c, 0x1); // decoded by nothing: no reset, no error
    expect(b.card.stopped).toBe(true);
  });

  it('keeps the list bases while the processes run, and says so', () => {
    const b = running();
    const said: string[] = [];
    b.card.onMisuse((m) => said.push(m));
    b.set(CSR3, 0x1234);
    expect(b.csr(CSR3)).toBe(b.rxRing);
    expect(said).toEqual([
      'tulip0: CSR3 written while the receiver runs (CSR6 SR set): the card ignores it; clear SR first',
    ]);
  });

  it('tells a byte access to whoever listens, and reads it as all ones', () => {
    const b = new Bench();
    const said: string[] = [];
    b.card.onMisuse((m) => said.push(m));
    expect(b.card.read(1, CSR5)).toBe(0xffffffff);
    expect(said[0]).toMatch(/read of 1 byte\(s\) at CSR offset 0x28: the Tulip's CSRs are 32-bit/);
  });

  it('ignores a setup frame shorter than 192 bytes, and says so', () => {
    const b = new Bench();
    const said: string[] = [];
    b.card.onMisuse((m) => said.push(m));
    b.initRings();
    b.queueTx(new Uint8Array(96), TDES1_SET);
    b.set(CSR6, TxOn);
    expect(b.card.counters.setupFrames).toBe(0);
    expect(said[0]).toMatch(/setup frame of 96 bytes/);
  });
});

describe('Tulip setup frame and filtering', () => {
  const G1 = mac('01:00:5e:01:01:01');
  const G2 = mac('01:00:5e:01:01:02');
  const OTHER_GROUP = mac('01:00:5e:7f:00:09');

  it('takes a perfect setup frame: OWN cleared, TDES0 7fffffff, no frame on the wire', () => {
    const b = new Bench();
    const peer = b.rig.addHost('nofilter');
    b.initRings();
    const d = b.setRxMode([G1]);
    b.set(CSR6, TxOn);
    expect(b.r32(d)).toBe(TDES0_SETUP_DONE);
    expect(b.card.counters.setupFrames).toBe(1);
    expect(b.csr(CSR6) & CSR6_HP).toBe(0);
    b.rig.run(1e6);
    expect(peer.received).toHaveLength(0);
    // The transmitter found the next descriptor the host's: suspended, TU.
    expect((b.csr(CSR5) >>> CSR5_TS_SHIFT) & 7).toBe(TS_SUSPENDED);
    expect(b.csr(CSR5) & TxNoBuf).toBe(TxNoBuf);
  });

  it('with perfect entries takes its own address, listed groups and broadcast, nothing else', () => {
    const b = running([G1, G2]);
    const peer = b.rig.addHost('nofilter');
    for (const dest of [OWN, G1, OTHER_GROUP, mac('02:00:00:00:00:99'), mac('ff:ff:ff:ff:ff:ff')]) {
      b.rig.send(peer, dest);
      b.rig.run(1e6);
    }
    expect(b.card.counters.rxFrames).toBe(3);
    expect(b.card.counters.rejected).toBe(2);
    expect(formatMac(b.rxDesc(0).data)).toBe(formatMac(OWN));
    expect(formatMac(b.rxDesc(1).data)).toBe(formatMac(G1));
    expect(formatMac(b.rxDesc(2).data)).toBe('ff:ff:ff:ff:ff:ff');
  });

  it('past 14 groups takes the 512-bin hash: listed groups, their bin-mates, its own address', () => {
    const groups = Array.from({ length: 20 }, (_, i) => mac(`01:00:5e:00:01:${hex2(i + 1)}`));
    const bins = new Set(groups.map((g) => tulipHashBin(g)));
    // A group nobody joined that shares a bin with a joined one: a false positive.
    let mate: Uint8Array | null = null;
    let outsider: Uint8Array | null = null;
    for (let n = 0; n < 4096 && (mate === null || outsider === null); n++) {
      const g = mac(`01:00:5e:10:${hex2(n >> 8)}:${hex2(n & 0xff)}`);
      if (bins.has(tulipHashBin(g))) mate ??= g;
      else if (tulipHashBin(g) !== 255) outsider ??= g;
    }
    const b = running(groups);
    expect(b.csr(CSR6) & CSR6_HP).toBe(CSR6_HP);
    const peer = b.rig.addHost('nofilter');
    for (const dest of [groups[17], mate!, outsider!, OWN, mac('02:00:00:00:00:99')]) {
      b.rig.send(peer, dest);
      b.rig.run(1e6);
    }
    expect(b.card.counters.rejected).toBe(2);
    expect([0, 1, 2].map((i) => formatMac(b.rxDesc(i).data))).toEqual([
      formatMac(groups[17]),
      formatMac(mate!),
      formatMac(OWN),
    ]);
  });

  it('PR takes every frame; PM every multicast frame whatever the filter', () => {
    const pr = running([], AcceptAllPhys);
    const pm = running([], AcceptAllMulticast);
    for (const b of [pr, pm]) {
      const peer = b.rig.addHost('nofilter');
      b.rig.send(peer, OTHER_GROUP);
      b.rig.run(1e6);
      b.rig.send(peer, mac('02:00:00:00:00:99'));
      b.rig.run(1e6);
    }
    expect(pr.card.counters.rxFrames).toBe(2);
    expect(pm.card.counters.rxFrames).toBe(1);
    expect(pm.card.counters.rejected).toBe(1);
  });

  it('an empty filter after reset lets nothing in', () => {
    const b = new Bench();
    const peer = b.rig.addHost('nofilter');
    b.initRings();
    b.set(CSR6, RxOn);
    b.rig.send(peer, OWN);
    b.rig.run(1e6);
    expect(b.card.counters.rejected).toBe(1);
  });
});

describe('Tulip receive', () => {
  const G1 = mac('01:00:5e:01:01:01');

  it('writes frame, FCS and status (FL, FS, LS, MF), clears OWN and raises RI', () => {
    const b = running([G1]);
    const peer = b.rig.addHost('nofilter');
    b.rig.send(peer, G1, 100, 0xab);
    b.rig.run(1e6);
    const { status, data } = b.rxDesc(0);
    expect(status & DescOwned).toBe(0);
    expect((status >>> 16) & 0x3fff).toBe(14 + 100 + 4);
    expect(status & (RDES0_FS | RDES0_LS | RDES0_MF)).toBe(RDES0_FS | RDES0_LS | RDES0_MF);
    expect(data[20]).toBe(0xab);
    // The FCS is written too: the CRC over frame + FCS is the Ethernet residue.
    expect(crc32(data)).toBe(0x2144df1c);
    expect(b.csr(CSR5) & (RxIntr | NormalIntr)).toBe(RxIntr | NormalIntr);
    expect(b.card.irqAsserted).toBe(true);
    b.set(CSR5, b.csr(CSR5) & 0x1ffff); // the handler's acknowledgement
    expect(b.card.irqAsserted).toBe(false);
    expect(b.irqs).toEqual([true, false]);
  });

  it('keeps the line low for a source CSR7 does not enable', () => {
    const b = running([G1]);
    b.set(CSR7, NormalIntr | TxIntr);
    const peer = b.rig.addHost('nofilter');
    b.rig.send(peer, G1);
    b.rig.run(1e6);
    expect(b.csr(CSR5) & RxIntr).toBe(RxIntr);
    expect(b.card.irqAsserted).toBe(false);
  });

  it('with no descriptor left suspends (RU), counts missed frames in CSR8, resumes on poll demand', () => {
    const b = running([G1]);
    const peer = b.rig.addHost('nofilter');
    for (let i = 0; i < 6; i++) {
      b.rig.send(peer, G1, 46, i);
      b.rig.run(1e6);
    }
    expect(b.card.counters.rxFrames).toBe(4);
    expect(b.csr(CSR5) & RxNoBuf).toBe(RxNoBuf);
    expect((b.csr(CSR5) >>> CSR5_RS_SHIFT) & 7).toBe(RS_SUSPENDED);
    expect(b.csr(CSR8)).toBe(2);
    expect(b.csr(CSR8)).toBe(0); // cleared by the read
    // The ring wrapped: the fifth frame would have gone to descriptor 0 again.
    b.refill(0);
    b.set(CSR2, 0);
    expect((b.csr(CSR5) >>> CSR5_RS_SHIFT) & 7).toBe(RS_WAITING);
    b.rig.send(peer, G1, 46, 9);
    b.rig.run(1e6);
    expect(b.rxDesc(0).data[14]).toBe(9);
  });

  it('spreads a frame over small buffers: FS on the first descriptor, LS on the last', () => {
    const b = new Bench(4, 4, 64);
    b.initRings();
    b.setRxMode([G1]);
    b.set(CSR6, RxOn | TxOn);
    const peer = b.rig.addHost('nofilter');
    b.rig.send(peer, G1, 100, 0x5a);
    b.rig.run(1e6);
    const first = b.rxDesc(0);
    const last = b.rxDesc(1);
    expect(first.status & (RDES0_FS | RDES0_LS)).toBe(RDES0_FS);
    expect(last.status & (RDES0_FS | RDES0_LS)).toBe(RDES0_LS);
    expect((last.status >>> 16) & 0x3fff).toBe(118);
    expect(b.bytes(b.rxBufs[1], 118 - 64)[0]).toBe(0x5a);
  });

  it('cuts a frame that runs out of descriptors: DE', () => {
    const b = new Bench(2, 4, 32);
    b.initRings();
    b.setRxMode([G1]);
    b.set(CSR6, RxOn | TxOn);
    const peer = b.rig.addHost('nofilter');
    b.rig.send(peer, G1, 100);
    b.rig.run(1e6);
    // Two 32-byte buffers hold 64 of 118 bytes; the wrap leads back to descriptor 0, the host's.
    expect(b.rxDesc(1).status & RDES0_DE).toBe(RDES0_DE);
    expect(b.csr(CSR5) & RxNoBuf).toBe(RxNoBuf);
  });

  it('follows chained descriptors through buffer2', () => {
    const b = new Bench();
    b.initRings();
    // Chain descriptor 0 to descriptor 2, skipping 1.
    b.w32(b.rxRing + 4, BUF_SZ | DESC_CHAINED);
    b.w32(b.rxRing + 12, b.rxRing + 32);
    b.setRxMode([G1]);
    b.set(CSR6, RxOn | TxOn);
    const peer = b.rig.addHost('nofilter');
    b.rig.send(peer, G1, 46, 1);
    b.rig.run(1e6);
    b.rig.send(peer, G1, 46, 2);
    b.rig.run(1e6);
    expect(b.rxDesc(1).status >>> 31).toBe(1);
    expect(b.rxDesc(2).data[14]).toBe(2);
  });

  it('reports a descriptor list outside host memory as a fatal bus error', () => {
    const b = new Bench();
    b.set(CSR3, 0x100_0000);
    b.set(CSR7, AbnormalIntr | SystemError);
    b.set(CSR6, RxOn);
    expect(b.csr(CSR5) & SystemError).toBe(SystemError);
    expect(b.csr(CSR6) & RxOn).toBe(0);
    expect(b.card.irqAsserted).toBe(true);
  });
});

describe('Tulip transmit', () => {
  it('sends a descriptor’s frame, pads it, writes TDES0 and raises TI on IC', () => {
    const b = running();
    const peer = b.rig.addHost('nofilter');
    const frame = new Uint8Array(42);
    frame.set(peer.nic.dev.devAddr, 0);
    frame.set(OWN, 6);
    frame[12] = 0x88;
    frame[13] = 0xb5;
    frame[41] = 0x77;
    const d = b.queueTx(frame, 0xe0000000); // IC | LS | FS, as tulip_start_xmit
    b.set(CSR1, 0);
    expect(b.r32(d) >>> 31).toBe(1); // on the wire
    b.rig.run(1e6);
    expect(b.r32(d)).toBe(0);
    expect(b.csr(CSR5) & TxIntr).toBe(TxIntr);
    expect(peer.received).toHaveLength(1);
    expect(peer.received[0].length).toBe(60);
    expect(peer.received[0][41]).toBe(0x77);
  });

  it('wraps at TER and suspends (TU) when the next descriptor is the host’s', () => {
    const b = running();
    const peer = b.rig.addHost('nofilter');
    const frame = new Uint8Array(60);
    frame.set(peer.nic.dev.devAddr, 0);
    for (let i = 0; i < 6; i++) {
      frame[20] = i;
      b.queueTx(frame, 0x60000000);
      b.set(CSR1, 0);
      b.rig.run(1e6);
    }
    expect(peer.received.map((f) => f[20])).toEqual([0, 1, 2, 3, 4, 5]);
    expect(b.csr(CSR5) & TxNoBuf).toBe(TxNoBuf);
    expect(b.csr(CSR5) & TxIntr).toBe(0); // no IC asked
  });

  it('closes a frame with no carrier as NC and ES when the cable is out', () => {
    const b = running();
    b.rig.segment.setPlugged(b.rig.segment.stations[0], false);
    const d = b.queueTx(new Uint8Array(60).fill(2, 0, 6), 0xe0000000);
    b.set(CSR1, 0);
    b.rig.run(1e6);
    expect(b.r32(d) & (TDES0_NC | 0x8000)).toBe(TDES0_NC | 0x8000);
  });

  it('stops when ST is cleared and does not take descriptors until it is set again', () => {
    const b = running();
    const peer = b.rig.addHost('nofilter');
    b.set(CSR6, RxOn);
    expect((b.csr(CSR5) >>> CSR5_TS_SHIFT) & 7).toBe(TS_STOPPED);
    const frame = new Uint8Array(60);
    frame.set(peer.nic.dev.devAddr, 0);
    b.queueTx(frame, 0x60000000);
    b.set(CSR1, 0);
    b.rig.run(1e6);
    expect(peer.received).toHaveLength(0);
    b.set(CSR6, RxOn | TxOn);
    b.rig.run(1e6);
    expect(peer.received).toHaveLength(1);
  });

  it('loads a hash setup frame only through TDES1 SET with FT0', () => {
    const b = new Bench();
    b.initRings();
    const d = b.queueTx(hashSetupFrame([]), TDES1_SET | TDES1_FT0);
    b.set(CSR6, TxOn);
    expect(b.r32(d)).toBe(TDES0_SETUP_DONE);
    expect(b.csr(CSR6) & CSR6_HP).toBe(CSR6_HP);
  });
});
