// ne2k.js: the reference driver for netlab's NE2000 (DP8390) card.
//
// It follows Linux's drivers/net/ethernet/8390/lib8390.c (the chip) and ne.c
// (the board around it), function for function, written against netlab's
// kernel API `k`: k.inb/k.outb are inb/outb, k.netif_rx is netif_rx, and so on.
// Differences from lib8390: one transmit buffer instead of two (ping-pong), and
// no spinlocks (the lab runs one CPU and never preempts a handler).

// ---- the DP8390's registers (8390.h) ----
const E8390_CMD = 0x00;
const E8390_STOP = 0x01;
const E8390_START = 0x02;
const E8390_TRANS = 0x04;
const E8390_RREAD = 0x08;
const E8390_RWRITE = 0x10;
const E8390_NODMA = 0x20;
const E8390_PAGE0 = 0x00;
const E8390_PAGE1 = 0x40;

const EN0_STARTPG = 0x01;
const EN0_STOPPG = 0x02;
const EN0_BOUNDARY = 0x03;
const EN0_TSR = 0x04;
const EN0_TPSR = 0x04;
const EN0_TCNTLO = 0x05;
const EN0_TCNTHI = 0x06;
const EN0_ISR = 0x07;
const EN0_RSARLO = 0x08;
const EN0_RSARHI = 0x09;
const EN0_RCNTLO = 0x0a;
const EN0_RCNTHI = 0x0b;
const EN0_RXCR = 0x0c;
const EN0_TXCR = 0x0d;
const EN0_COUNTER0 = 0x0d;
const EN0_DCFG = 0x0e;
const EN0_COUNTER1 = 0x0e;
const EN0_IMR = 0x0f;
const EN0_COUNTER2 = 0x0f;
const EN1_PHYS = 0x01;
const EN1_CURPAG = 0x07;
const EN1_MULT = 0x08;

const ENISR_RX = 0x01;
const ENISR_TX = 0x02;
const ENISR_RX_ERR = 0x04;
const ENISR_TX_ERR = 0x08;
const ENISR_OVER = 0x10;
const ENISR_COUNTERS = 0x20;
const ENISR_RDC = 0x40;
const ENISR_RESET = 0x80;
const ENISR_ALL = 0x3f;

const ENRSR_RXOK = 0x01;
const ENRSR_FO = 0x08;
const ENRSR_PHY = 0x20;

const ENTSR_PTX = 0x01;
const ENTSR_COL = 0x04;
const ENTSR_ABT = 0x08;
const ENTSR_CRS = 0x10;
const ENTSR_FU = 0x20;
const ENTSR_CDH = 0x40;
const ENTSR_OWC = 0x80;

const E8390_RXCONFIG = 0x04; // AB: take broadcasts
const E8390_TXCONFIG = 0x00;
const E8390_RXOFF = 0x20; // monitor mode: receiver off
const E8390_TXOFF = 0x02; // internal loopback: transmitter off

// ---- the NE2000 board (ne.c) ----
const NE_DATAPORT = 0x10;
const NE_RESET = 0x1f;
const NESM_START_PG = 0x40;
const NESM_STOP_PG = 0x80;
const TX_PAGES = 6; // one full-size frame
const TX_START = NESM_START_PG;
const RX_START = NESM_START_PG + TX_PAGES;
const STOP_PG = NESM_STOP_PG;
const MAX_SERVICE = 12; // causes served per interrupt, as lib8390
const ETH_ZLEN = 60;

/** ne_reset_8390: pulse the reset port and wait (boundedly) for ISR.RST. */
function reset8390(k, dev) {
  const io = dev.base_addr;
  k.outb(k.inb(io + NE_RESET), io + NE_RESET);
  for (let i = 0; i < 100; i++) {
    if (k.inb(io + EN0_ISR) & ENISR_RESET) {
      k.outb(ENISR_RESET, io + EN0_ISR);
      return true;
    }
    k.udelay(10);
  }
  k.printk('ne2k: reset did not complete');
  return false;
}

/** __NS8390_init: program the chip; with startp, start it and enable interrupts. */
function ns8390Init(k, dev, startp) {
  const io = dev.base_addr;
  const p = dev.priv;
  k.outb(E8390_NODMA + E8390_PAGE0 + E8390_STOP, io + E8390_CMD);
  k.outb(0x49, io + EN0_DCFG); // word-wide remote DMA, normal operation
  k.outb(0, io + EN0_RCNTLO);
  k.outb(0, io + EN0_RCNTHI);
  k.outb(E8390_RXOFF, io + EN0_RXCR);
  k.outb(E8390_TXOFF, io + EN0_TXCR);
  k.outb(TX_START, io + EN0_TPSR);
  k.outb(RX_START, io + EN0_STARTPG);
  k.outb(STOP_PG - 1, io + EN0_BOUNDARY); // CURR == BOUNDARY + 1 (wrapped): empty
  k.outb(STOP_PG, io + EN0_STOPPG);
  k.outb(0xff, io + EN0_ISR);
  k.outb(0x00, io + EN0_IMR);
  k.outb(E8390_NODMA + E8390_PAGE1 + E8390_STOP, io + E8390_CMD);
  const addr = dev.dev_addr;
  for (let i = 0; i < 6; i++) k.outb(addr[i], io + EN1_PHYS + i);
  k.outb(RX_START, io + EN1_CURPAG);
  k.outb(E8390_NODMA + E8390_PAGE0 + E8390_STOP, io + E8390_CMD);
  p.currentPage = RX_START;
  p.txing = false;
  if (startp) {
    k.outb(0xff, io + EN0_ISR);
    k.outb(ENISR_ALL, io + EN0_IMR);
    k.outb(E8390_NODMA + E8390_PAGE0 + E8390_START, io + E8390_CMD);
    k.outb(E8390_TXCONFIG, io + EN0_TXCR);
    setMulticastList(k, dev);
  }
}

/** ne_get_8390_hdr: the 4-byte header the chip wrote before the frame at `page`. */
function getHdr(k, dev, page) {
  const io = dev.base_addr;
  const hdr = [0, 0, 0, 0];
  k.outb(E8390_NODMA + E8390_PAGE0 + E8390_START, io + E8390_CMD);
  k.outb(4, io + EN0_RCNTLO);
  k.outb(0, io + EN0_RCNTHI);
  k.outb(0, io + EN0_RSARLO);
  k.outb(page, io + EN0_RSARHI);
  k.outb(E8390_RREAD + E8390_START, io + E8390_CMD);
  k.insw(io + NE_DATAPORT, hdr, 2);
  k.outb(ENISR_RDC, io + EN0_ISR);
  return { status: hdr[0], next: hdr[1], count: hdr[2] | (hdr[3] << 8) };
}

/** ne_block_input: `count` bytes of card memory from `offset` into `dst` by remote DMA. */
function blockInput(k, dev, count, dst, offset) {
  const io = dev.base_addr;
  k.outb(E8390_NODMA + E8390_PAGE0 + E8390_START, io + E8390_CMD);
  k.outb(count & 0xff, io + EN0_RCNTLO);
  k.outb(count >> 8, io + EN0_RCNTHI);
  k.outb(offset & 0xff, io + EN0_RSARLO);
  k.outb(offset >> 8, io + EN0_RSARHI);
  k.outb(E8390_RREAD + E8390_START, io + E8390_CMD);
  k.insw(io + NE_DATAPORT, dst, count >> 1);
  if (count & 1) k.insb(io + NE_DATAPORT, dst.add(count - 1), 1);
  k.outb(ENISR_RDC, io + EN0_ISR);
}

/** ne_block_output: the frame into the transmit buffer at `page`, padded with zeros to `count`. */
function blockOutput(k, dev, skb, len, count, page) {
  const io = dev.base_addr;
  if (count & 1) count++; // word-wide transfers
  k.outb(E8390_PAGE0 + E8390_START + E8390_NODMA, io + E8390_CMD);
  k.outb(ENISR_RDC, io + EN0_ISR);
  k.outb(count & 0xff, io + EN0_RCNTLO);
  k.outb(count >> 8, io + EN0_RCNTHI);
  k.outb(0x00, io + EN0_RSARLO);
  k.outb(page, io + EN0_RSARHI);
  k.outb(E8390_RWRITE + E8390_START, io + E8390_CMD);
  const words = len >> 1;
  k.outsw(io + NE_DATAPORT, skb.data, words);
  let done = words * 2;
  if (len & 1) {
    k.outw(k.skb_get_u8(skb, len - 1), io + NE_DATAPORT);
    done += 2;
  }
  for (; done < count; done += 2) k.outw(0, io + NE_DATAPORT);
  for (let i = 0; i < 20; i++) {
    if (k.inb(io + EN0_ISR) & ENISR_RDC) break;
    k.udelay(1);
  }
  k.outb(ENISR_RDC, io + EN0_ISR);
}

/** ei_receive: drain the ring into buffers, each handed up with netif_rx. */
function receive(k, dev) {
  const io = dev.base_addr;
  const p = dev.priv;
  const stats = dev.stats;
  for (let rxPkts = 0; rxPkts < 10; rxPkts++) {
    k.outb(E8390_NODMA + E8390_PAGE1, io + E8390_CMD);
    const rxingPage = k.inb(io + EN1_CURPAG);
    k.outb(E8390_NODMA + E8390_PAGE0, io + E8390_CMD);
    let thisFrame = k.inb(io + EN0_BOUNDARY) + 1;
    if (thisFrame >= STOP_PG) thisFrame = RX_START;
    if (thisFrame === rxingPage) break; // the ring is empty
    const hdr = getHdr(k, dev, thisFrame);
    const pktLen = hdr.count - 4;
    if (pktLen < 60 || pktLen > 1518) {
      stats.rx_errors++;
      stats.rx_length_errors++;
    } else if ((hdr.status & 0x0f) === ENRSR_RXOK) {
      const skb = k.netdev_alloc_skb(dev, pktLen + 2);
      if (!skb) {
        stats.rx_dropped++;
        break;
      }
      k.skb_reserve(skb, 2); // align the IP header
      blockInput(k, dev, pktLen, k.skb_put(skb, pktLen), thisFrame * 256 + 4);
      skb.protocol = k.eth_type_trans(skb, dev);
      k.netif_rx(skb);
      stats.rx_packets++;
      stats.rx_bytes += pktLen;
      if (hdr.status & ENRSR_PHY) stats.multicast++;
    } else {
      stats.rx_errors++;
      if (hdr.status & ENRSR_FO) stats.rx_fifo_errors++;
    }
    let nextFrame = hdr.next;
    if (nextFrame >= STOP_PG) nextFrame = RX_START; // a bad clone's header
    p.currentPage = nextFrame;
    k.outb(nextFrame - 1, io + EN0_BOUNDARY);
  }
  k.outb(ENISR_RX + ENISR_RX_ERR, io + EN0_ISR);
}

/** ei_rx_overrun: the ring filled; stop, drain it, restart. */
function rxOverrun(k, dev) {
  const io = dev.base_addr;
  const wasTxing = k.inb(io + E8390_CMD) & E8390_TRANS;
  k.outb(E8390_NODMA + E8390_PAGE0 + E8390_STOP, io + E8390_CMD);
  dev.stats.rx_over_errors++;
  k.mdelay(10);
  k.outb(0x00, io + EN0_RCNTLO);
  k.outb(0x00, io + EN0_RCNTHI);
  let mustResend = false;
  if (wasTxing) mustResend = !(k.inb(io + EN0_ISR) & (ENISR_TX + ENISR_TX_ERR));
  k.outb(E8390_TXOFF, io + EN0_TXCR);
  k.outb(E8390_NODMA + E8390_PAGE0 + E8390_START, io + E8390_CMD);
  receive(k, dev);
  k.outb(ENISR_OVER, io + EN0_ISR);
  k.outb(E8390_TXCONFIG, io + EN0_TXCR);
  if (mustResend) k.outb(E8390_NODMA + E8390_PAGE0 + E8390_START + E8390_TRANS, io + E8390_CMD);
}

/** ei_tx_intr: the frame left (or gave up); count it and take the next. */
function txIntr(k, dev) {
  const io = dev.base_addr;
  const stats = dev.stats;
  const status = k.inb(io + EN0_TSR);
  k.outb(ENISR_TX, io + EN0_ISR);
  dev.priv.txing = false;
  if (status & ENTSR_COL) stats.collisions++;
  if (status & ENTSR_PTX) stats.tx_packets++;
  else {
    stats.tx_errors++;
    if (status & ENTSR_ABT) {
      stats.tx_aborted_errors++;
      stats.collisions += 16;
    }
    if (status & ENTSR_CRS) stats.tx_carrier_errors++;
    if (status & ENTSR_FU) stats.tx_fifo_errors++;
    if (status & ENTSR_CDH) stats.tx_heartbeat_errors++;
    if (status & ENTSR_OWC) stats.tx_window_errors++;
  }
  k.netif_wake_queue(dev);
}

/** ei_tx_err */
function txErr(k, dev) {
  const io = dev.base_addr;
  const txsr = k.inb(io + EN0_TSR);
  k.outb(ENISR_TX_ERR, io + EN0_ISR);
  if (txsr & (ENTSR_ABT + ENTSR_FU)) {
    txIntr(k, dev);
    return;
  }
  dev.stats.tx_errors++;
  if (txsr & ENTSR_CRS) dev.stats.tx_carrier_errors++;
  if (txsr & ENTSR_CDH) dev.stats.tx_heartbeat_errors++;
  if (txsr & ENTSR_OWC) dev.stats.tx_window_errors++;
}

// exercise: make-mc-bits
/** make_mc_bits: each address sets bin ether_crc(addr) >> 26 of MAR0-7. */
function makeMcBits(k, dev) {
  const bits = [0, 0, 0, 0, 0, 0, 0, 0];
  k.netdev_for_each_mc_addr(dev, (ha) => {
    const crc = k.ether_crc(6, ha.addr);
    bits[crc >>> 29] |= 1 << ((crc >>> 26) & 7);
  });
  return bits;
}
// exercise end: make-mc-bits

/** do_set_multicast_list */
function setMulticastList(k, dev) {
  const io = dev.base_addr;
  const flags = dev.flags;
  let mc;
  if (!(flags & (k.IFF_PROMISC | k.IFF_ALLMULTI))) mc = makeMcBits(k, dev);
  else mc = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]; // accept all multicast
  if (k.netif_running(dev)) k.outb(E8390_RXCONFIG, io + EN0_RXCR);
  k.outb(E8390_NODMA + E8390_PAGE1, io + E8390_CMD);
  for (let i = 0; i < 8; i++) k.outb(mc[i], io + EN1_MULT + i);
  k.outb(E8390_NODMA + E8390_PAGE0, io + E8390_CMD);
  if (flags & k.IFF_PROMISC) k.outb(E8390_RXCONFIG | 0x18, io + EN0_RXCR);
  else if (flags & k.IFF_ALLMULTI || k.netdev_mc_count(dev) > 0)
    k.outb(E8390_RXCONFIG | 0x08, io + EN0_RXCR);
  else k.outb(E8390_RXCONFIG, io + EN0_RXCR);
}

export default {
  /** ne_probe1: reset the board, read the station address from its PROM. */
  probe(k, dev) {
    const io = dev.base_addr;
    dev.priv = { txing: false, txLen: 0, currentPage: RX_START };
    if (!reset8390(k, dev)) return -k.ENODEV;
    const programSeq = [
      [E8390_NODMA + E8390_PAGE0 + E8390_STOP, E8390_CMD],
      [0x48, EN0_DCFG], // byte-wide while we read the PROM
      [0x00, EN0_RCNTLO],
      [0x00, EN0_RCNTHI],
      [0x00, EN0_IMR],
      [0xff, EN0_ISR],
      [E8390_RXOFF, EN0_RXCR],
      [E8390_TXOFF, EN0_TXCR],
      [32, EN0_RCNTLO],
      [0x00, EN0_RCNTHI],
      [0x00, EN0_RSARLO],
      [0x00, EN0_RSARHI],
      [E8390_RREAD + E8390_START, E8390_CMD],
    ];
    for (const [value, reg] of programSeq) k.outb(value, io + reg);
    const prom = [];
    for (let i = 0; i < 32; i++) prom.push(k.inb(io + NE_DATAPORT));
    // A 16-bit board doubles every byte; bytes 14 and 15 read 'WW' on an NE2000.
    if (prom[28] !== 0x57 || prom[30] !== 0x57) return -k.ENODEV;
    const addr = [];
    for (let i = 0; i < 6; i++) addr.push(prom[2 * i]);
    k.eth_hw_addr_set(dev, addr);
    return 0;
  },

  /** ne_open + ei_open */
  open(k, dev) {
    const ret = k.request_irq(dev.irq, dev);
    if (ret) return ret;
    ns8390Init(k, dev, true);
    k.netif_start_queue(dev);
    return 0;
  },

  /** ei_close + ne_close */
  stop(k, dev) {
    ns8390Init(k, dev, false);
    k.netif_stop_queue(dev);
    k.free_irq(dev.irq, dev);
  },

  /** ei_start_xmit: copy the frame to the card, start it, free the buffer. */
  startXmit(k, dev, skb) {
    const io = dev.base_addr;
    const p = dev.priv;
    if (p.txing) {
      k.netif_stop_queue(dev);
      return k.NETDEV_TX_BUSY;
    }
    const len = skb.len;
    const sendLength = Math.max(len, ETH_ZLEN);
    k.outb(0x00, io + EN0_IMR); // mask interrupts while we use remote DMA
    blockOutput(k, dev, skb, len, sendLength, TX_START);
    k.outb(E8390_NODMA + E8390_PAGE0 + E8390_START, io + E8390_CMD);
    k.outb(sendLength & 0xff, io + EN0_TCNTLO);
    k.outb(sendLength >> 8, io + EN0_TCNTHI);
    k.outb(TX_START, io + EN0_TPSR);
    k.outb(E8390_NODMA + E8390_TRANS + E8390_START, io + E8390_CMD);
    p.txing = true;
    k.netif_stop_queue(dev); // one transmit buffer: wait for its interrupt
    k.outb(ENISR_ALL, io + EN0_IMR);
    dev.stats.tx_bytes += sendLength;
    k.dev_consume_skb_any(skb);
    return k.NETDEV_TX_OK;
  },

  /** ei_interrupt: serve the causes in ISR, at most MAX_SERVICE rounds. */
  interrupt(k, dev) {
    const io = dev.base_addr;
    k.outb(E8390_NODMA + E8390_PAGE0, io + E8390_CMD);
    let nrServiced = 0;
    let interrupts;
    while ((interrupts = k.inb(io + EN0_ISR)) !== 0 && ++nrServiced < MAX_SERVICE) {
      if (interrupts & ENISR_OVER) rxOverrun(k, dev);
      else if (interrupts & (ENISR_RX + ENISR_RX_ERR)) receive(k, dev);
      if (interrupts & ENISR_TX) txIntr(k, dev);
      else if (interrupts & ENISR_TX_ERR) txErr(k, dev);
      if (interrupts & ENISR_COUNTERS) {
        dev.stats.rx_frame_errors += k.inb(io + EN0_COUNTER0);
        dev.stats.rx_crc_errors += k.inb(io + EN0_COUNTER1);
        dev.stats.rx_missed_errors += k.inb(io + EN0_COUNTER2);
        k.outb(ENISR_COUNTERS, io + EN0_ISR);
      }
      if (interrupts & ENISR_RDC) k.outb(ENISR_RDC, io + EN0_ISR);
      k.outb(E8390_NODMA + E8390_PAGE0 + E8390_START, io + E8390_CMD);
    }
    if (interrupts && nrServiced >= MAX_SERVICE) {
      // Too much work at interrupt: acknowledge everything and go.
      k.outb(E8390_NODMA + E8390_PAGE0 + E8390_START, io + E8390_CMD);
      k.outb(ENISR_ALL, io + EN0_ISR);
    }
    return nrServiced > 0 ? k.IRQ_HANDLED : k.IRQ_NONE;
  },

  setMulticastList,

  /** ei_get_stats: the tally counters into the statistics, while running. */
  getStats(k, dev) {
    if (!k.netif_running(dev)) return dev.stats;
    const io = dev.base_addr;
    dev.stats.rx_frame_errors += k.inb(io + EN0_COUNTER0);
    dev.stats.rx_crc_errors += k.inb(io + EN0_COUNTER1);
    dev.stats.rx_missed_errors += k.inb(io + EN0_COUNTER2);
    return dev.stats;
  },

  /** eth_mac_addr: the address goes into PAR0-5 at the next open; -EBUSY while running. */
  setMacAddress(k, dev, addr) {
    return k.eth_mac_addr(dev, addr);
  },
};
