// The reference driver for the lab's 21x4x ("Tulip") card, after Linux's
// drivers/net/ethernet/dec/tulip (tulip_core.c, interrupt.c), cut to what the
// lab's card has: descriptor rings in host memory, a setup frame for the
// address filter, CSR5/CSR7 interrupts and a NAPI poll.
//
// Every op receives `k`, the kernel API (Linux's names), and `dev`.

// ---- the card (tulip.h) ----------------------------------------------------
const CSR0 = 0x00; // bus mode
const CSR1 = 0x08; // transmit poll demand
const CSR2 = 0x10; // receive poll demand
const CSR3 = 0x18; // receive list base
const CSR4 = 0x20; // transmit list base
const CSR5 = 0x28; // status
const CSR6 = 0x30; // operation mode
const CSR7 = 0x38; // interrupt enable
const CSR8 = 0x40; // missed frames
const CSR9 = 0x48; // address ROM

// CSR5 / CSR7
const TxIntr = 0x01;
const TxDied = 0x02;
const TxNoBuf = 0x04;
const RxIntr = 0x40;
const RxNoBuf = 0x80;
const RxDied = 0x100;
const SystemError = 0x2000;
const AbnormalIntr = 0x8000;
const NormalIntr = 0x10000;
const VALID_INTRS =
  NormalIntr | AbnormalIntr | SystemError | RxDied | RxNoBuf | RxIntr | TxNoBuf | TxDied | TxIntr;

// CSR6
const RxOn = 0x0002;
const AcceptAllPhys = 0x0040; // PR
const AcceptAllMulticast = 0x0080; // PM
const TxOn = 0x2000;

// Descriptors: status, length, buffer1, buffer2 (little-endian longwords).
const DescOwned = 0x80000000;
const DESC_RING_WRAP = 0x02000000;
const DESC_SIZE = 16;

/** Ring sizes at probe; `nicctl DEV set-ring` changes them while the device is down. */
const RX_RING_DEFAULT = 16;
const TX_RING_DEFAULT = 16;
const PKT_BUF_SZ = 1536;
/** Linux's first private ioctl number (SIOCDEVPRIVATE, include/uapi/linux/sockios.h). */
const SIOCDEVPRIVATE = 0x89f0;
/** Frames up to this length are copied into a new buffer; the ring keeps its own. */
const RX_COPYBREAK = 200;

// ---- host memory ---------------------------------------------------------------
function descAt(ring, i) {
  return ring + i * DESC_SIZE;
}

/** The driver's private state (netdev_priv). */
function tp(dev) {
  return dev.priv;
}

// ---- rings ---------------------------------------------------------------------

function initRing(k, dev) {
  const t = tp(dev);
  const RX_RING_SIZE = t.rxSize;
  const TX_RING_SIZE = t.txSize;
  t.rxRing = k.dma_alloc_coherent(dev, RX_RING_SIZE * DESC_SIZE);
  t.txRing = k.dma_alloc_coherent(dev, TX_RING_SIZE * DESC_SIZE);
  t.setupFrame = k.dma_alloc_coherent(dev, 192);
  if (t.rxRing < 0 || t.txRing < 0 || t.setupFrame < 0) return -k.ENOMEM;
  t.rxSkb = [];
  t.rxMap = [];
  t.txSkb = [];
  t.txMap = [];
  t.curRx = t.dirtyRx = t.curTx = t.dirtyTx = 0;
  for (let i = 0; i < RX_RING_SIZE; i++) {
    const d = descAt(t.rxRing, i);
    k.writel(0, d);
    k.writel(PKT_BUF_SZ | (i === RX_RING_SIZE - 1 ? DESC_RING_WRAP : 0), d + 4);
    t.rxSkb[i] = null;
  }
  for (let i = 0; i < TX_RING_SIZE; i++) {
    const d = descAt(t.txRing, i);
    k.writel(0, d);
    k.writel(i === TX_RING_SIZE - 1 ? DESC_RING_WRAP : 0, d + 4);
    t.txSkb[i] = null;
  }
  // Every receive descriptor gets a buffer and goes to the card; none is emptied yet.
  t.curRx = 0;
  t.dirtyRx = -RX_RING_SIZE;
  refillEntries(k, dev);
  return 0;
}

function cleanRings(k, dev) {
  const t = tp(dev);
  const RX_RING_SIZE = t.rxSize;
  const TX_RING_SIZE = t.txSize;
  for (let i = 0; i < RX_RING_SIZE; i++) {
    if (t.rxSkb[i] !== null) {
      k.dma_unmap_single(dev, t.rxMap[i], PKT_BUF_SZ, k.DMA_FROM_DEVICE);
      k.dev_kfree_skb(t.rxSkb[i]);
      t.rxSkb[i] = null;
    }
  }
  for (let i = 0; i < TX_RING_SIZE; i++) {
    if (t.txSkb[i] !== null) {
      k.dma_unmap_single(dev, t.txMap[i], 0, k.DMA_TO_DEVICE);
      k.dev_kfree_skb(t.txSkb[i]);
      t.txSkb[i] = null;
    }
  }
  k.dma_free_coherent(dev, RX_RING_SIZE * DESC_SIZE, t.rxRing);
  k.dma_free_coherent(dev, TX_RING_SIZE * DESC_SIZE, t.txRing);
  k.dma_free_coherent(dev, 192, t.setupFrame);
}

// ---- the setup frame (tulip_core.c) -----------------------------------------------

/** Writes one 16-bit word into the setup frame, doubled as Linux does (the chip reads the low half). */
function setupWord(k, t, index, word) {
  k.writel((word | (word << 16)) >>> 0, t.setupFrame + index * 4);
}

function setupAddress(k, t, entry, addr) {
  for (let i = 0; i < 3; i++) setupWord(k, t, entry * 3 + i, addr[2 * i] | (addr[2 * i + 1] << 8));
}

// exercise: setup-perfect
/** Up to 14 groups: 16 perfect entries, the rest broadcast, our address last. */
function buildSetupFramePerfect(k, dev) {
  const t = tp(dev);
  let n = 0;
  k.netdev_for_each_mc_addr(dev, (ha) => setupAddress(k, t, n++, ha.addr));
  for (; n < 15; n++) setupAddress(k, t, n, [255, 255, 255, 255, 255, 255]);
  setupAddress(k, t, 15, dev.dev_addr);
}
// exercise end: setup-perfect

// exercise: setup-hash
/** More: the 512-bin hash (ether_crc_le & 0x1ff), broadcast's bin 255, our address in entry 13. */
function buildSetupFrameHash(k, dev) {
  const t = tp(dev);
  const table = new Array(32).fill(0);
  table[255 >> 4] |= 1 << (255 & 15);
  k.netdev_for_each_mc_addr(dev, (ha) => {
    const index = k.ether_crc_le(6, ha.addr) & 0x1ff;
    table[index >> 4] |= 1 << (index & 15);
  });
  for (let i = 0; i < 32; i++) setupWord(k, t, i, table[i]);
  for (let i = 32; i < 39; i++) setupWord(k, t, i, 0);
  setupAddress(k, t, 13, dev.dev_addr);
}
// exercise end: setup-hash

/** Queues the setup frame on the transmit ring, with a dummy first if not at entry 0 (chip errata). */
function queueSetupFrame(k, dev, txFlags) {
  // Take back what the card has finished first: several changes to the list can come before
  // any interrupt (joins at boot), and each would otherwise find the ring full.
  tulipTxDone(k, dev);
  const t = tp(dev);
  const TX_RING_SIZE = t.txSize;
  if (t.curTx - t.dirtyTx > TX_RING_SIZE - 2) return false; // the same setup is queued already
  let entry = t.curTx++ % TX_RING_SIZE;
  let dummy = -1;
  if (entry !== 0) {
    t.txSkb[entry] = null;
    k.writel(entry === TX_RING_SIZE - 1 ? DESC_RING_WRAP : 0, descAt(t.txRing, entry) + 4);
    k.writel(0, descAt(t.txRing, entry) + 8);
    dummy = entry;
    entry = t.curTx++ % TX_RING_SIZE;
  }
  t.txSkb[entry] = null;
  if (entry === TX_RING_SIZE - 1) txFlags |= DESC_RING_WRAP;
  k.writel(txFlags >>> 0, descAt(t.txRing, entry) + 4);
  k.writel(t.setupFrame, descAt(t.txRing, entry) + 8);
  k.writel(DescOwned, descAt(t.txRing, entry));
  if (dummy >= 0) k.writel(DescOwned, descAt(t.txRing, dummy));
  if (t.curTx - t.dirtyTx >= TX_RING_SIZE - 2) k.netif_stop_queue(dev);
  return true;
}

/** set_rx_mode: promiscuous, all multicast, or a setup frame (perfect, then hash). */
function setRxMode(k, dev, start) {
  const t = tp(dev);
  const base = dev.base_addr;
  let csr6 = k.ioread32(base + CSR6) & ~0x00d5;
  t.csr6 &= ~0x00d5;
  if (dev.flags & k.IFF_PROMISC) {
    t.csr6 |= AcceptAllMulticast | AcceptAllPhys;
    csr6 |= AcceptAllMulticast | AcceptAllPhys;
  } else if (k.netdev_mc_count(dev) > 1000 || dev.flags & k.IFF_ALLMULTI) {
    t.csr6 |= AcceptAllMulticast;
    csr6 |= AcceptAllMulticast;
  } else {
    let txFlags = 0x08000000 | 192;
    if (k.netdev_mc_count(dev) > 14) {
      buildSetupFrameHash(k, dev);
      txFlags = 0x08400000 | 192;
    } else {
      buildSetupFramePerfect(k, dev);
    }
    if (queueSetupFrame(k, dev, txFlags) && start) k.iowrite32(0, base + CSR1);
  }
  if (start) k.iowrite32(csr6 >>> 0, base + CSR6);
}

// ---- receive ---------------------------------------------------------------------

// exercise: tulip-rx
/** Takes up to `budget` frames off the ring (tulip_poll's receive loop). */
function tulipRx(k, dev, budget) {
  const t = tp(dev);
  const RX_RING_SIZE = t.rxSize;
  let received = 0;
  let entry = t.curRx % RX_RING_SIZE;
  while (received < budget) {
    const status = k.readl(descAt(t.rxRing, entry));
    if (status & DescOwned) break;
    if ((status & 0x38008300) !== 0x0300) {
      // A frame over several buffers, or an error the card flagged.
      if ((status & 0x38000300) !== 0x0300) {
        if ((status & 0xffff) !== 0x7fff) dev.stats.rx_length_errors++;
      } else {
        if (status & 0x0890) dev.stats.rx_length_errors++;
        if (status & 0x0004) dev.stats.rx_frame_errors++;
        if (status & 0x0002) dev.stats.rx_crc_errors++;
        if (status & 0x0001) dev.stats.rx_fifo_errors++;
      }
      dev.stats.rx_errors++;
    } else {
      const pktLen = ((status >>> 16) & 0x7ff) - 4; // the card counts the FCS
      let skb;
      if (pktLen < RX_COPYBREAK && (skb = k.netdev_alloc_skb(dev, pktLen + 2)) !== null) {
        // Small: copy it out and leave the ring's buffer where it is.
        k.skb_reserve(skb, 2);
        k.dma_sync_single_for_cpu(dev, t.rxMap[entry], pktLen, k.DMA_FROM_DEVICE);
        k.skb_copy_to_linear_data(skb, t.rxSkb[entry].data, pktLen);
        k.skb_put(skb, pktLen);
      } else {
        // Big: hand the ring's buffer up and give the slot a new one at refill.
        skb = t.rxSkb[entry];
        k.dma_unmap_single(dev, t.rxMap[entry], PKT_BUF_SZ, k.DMA_FROM_DEVICE);
        k.skb_put(skb, pktLen);
        t.rxSkb[entry] = null;
      }
      skb.protocol = k.eth_type_trans(skb, dev);
      k.netif_receive_skb(skb);
      dev.stats.rx_packets++;
      dev.stats.rx_bytes += pktLen;
      if (status & 0x0400) dev.stats.multicast++;
    }
    received++;
    entry = ++t.curRx % RX_RING_SIZE;
    if (t.curRx - t.dirtyRx > RX_RING_SIZE / 4) refillEntries(k, dev);
  }
  refillEntries(k, dev);
  return received;
}
// exercise end: tulip-rx

/** Gives a buffer to every receive descriptor the poll emptied, in order (tulip_refill_rx). */
function refillEntries(k, dev) {
  const t = tp(dev);
  const RX_RING_SIZE = t.rxSize;
  for (; t.curRx - t.dirtyRx > 0; t.dirtyRx++) {
    const entry = (t.dirtyRx + RX_RING_SIZE) % RX_RING_SIZE;
    if (t.rxSkb[entry] === null) {
      const skb = k.netdev_alloc_skb(dev, PKT_BUF_SZ);
      if (skb === null) break;
      const mapping = k.dma_map_single(dev, skb.data, PKT_BUF_SZ, k.DMA_FROM_DEVICE);
      if (k.dma_mapping_error(dev, mapping)) {
        k.dev_kfree_skb(skb);
        break;
      }
      t.rxSkb[entry] = skb;
      t.rxMap[entry] = mapping;
      k.writel(mapping, descAt(t.rxRing, entry) + 8);
    }
    k.writel(DescOwned, descAt(t.rxRing, entry));
  }
}

// ---- transmit completion ------------------------------------------------------------

function tulipTxDone(k, dev) {
  const t = tp(dev);
  const TX_RING_SIZE = t.txSize;
  let dirty = t.dirtyTx;
  for (; t.curTx - dirty > 0; dirty++) {
    const entry = dirty % TX_RING_SIZE;
    const status = k.readl(descAt(t.txRing, entry));
    if (status & DescOwned) break; // still the card's
    const skb = t.txSkb[entry];
    if (skb === null) continue; // a setup frame or its dummy
    if (status & 0x8000) {
      dev.stats.tx_errors++;
      if (status & 0x4104) dev.stats.tx_aborted_errors++;
      if (status & 0x0c00) dev.stats.tx_carrier_errors++;
      if (status & 0x0200) dev.stats.tx_window_errors++;
      if (status & 0x0002) dev.stats.tx_fifo_errors++;
    } else {
      dev.stats.tx_bytes += skb.len;
      dev.stats.collisions += (status >>> 3) & 15;
      dev.stats.tx_packets++;
    }
    k.dma_unmap_single(dev, t.txMap[entry], skb.len, k.DMA_TO_DEVICE);
    k.dev_kfree_skb_irq(skb);
    t.txSkb[entry] = null;
  }
  t.dirtyTx = dirty;
  if (k.netif_queue_stopped(dev) && t.curTx - t.dirtyTx < TX_RING_SIZE - 2) {
    k.netif_wake_queue(dev);
  }
}

// ---- the ops -------------------------------------------------------------------

export default {
  /** Reads the station address from the card's ROM (the 21040 way: CSR9, one byte a read). */
  probe(k, dev) {
    const base = dev.base_addr;
    k.iowrite32(0, base + CSR9);
    const addr = [];
    for (let i = 0; i < 6; i++) addr.push(k.ioread32(base + CSR9) & 0xff);
    if (!k.is_valid_ether_addr(addr)) return -k.ENODEV;
    k.eth_hw_addr_set(dev, addr);
    Object.assign(tp(dev), {
      rxSize: RX_RING_DEFAULT,
      txSize: TX_RING_DEFAULT,
      rxInterrupts: 0,
      txInterrupts: 0,
      polls: 0,
    });
    return 0;
  },

  open(k, dev) {
    const base = dev.base_addr;
    // exercise: open-request-irq
    const ret = k.request_irq(dev.irq);
    if (ret) return ret;
    // exercise end: open-request-irq
    const t = tp(dev);
    t.csr6 = 0;
    k.iowrite32(0x1, base + CSR0); // reset the chip
    k.iowrite32(0, base + CSR0);
    const err = initRing(k, dev);
    // exercise: open-undo-irq
    if (err) {
      k.free_irq(dev.irq);
      return err;
    }
    // exercise end: open-undo-irq
    k.iowrite32(t.rxRing, base + CSR3);
    k.iowrite32(t.txRing, base + CSR4);
    setRxMode(k, dev, false); // the first setup frame waits for the transmitter
    t.csr6 |= RxOn | TxOn;
    k.iowrite32(t.csr6 >>> 0, base + CSR6);
    k.iowrite32(VALID_INTRS, base + CSR5); // acknowledge anything stale
    k.iowrite32(VALID_INTRS, base + CSR7);
    k.iowrite32(0, base + CSR2); // receive poll demand
    k.netif_start_queue(dev);
    return 0;
  },

  stop(k, dev) {
    const base = dev.base_addr;
    const t = tp(dev);
    k.netif_stop_queue(dev);
    k.iowrite32(0, base + CSR7);
    t.csr6 &= ~(RxOn | TxOn);
    k.iowrite32(t.csr6 >>> 0, base + CSR6);
    dev.stats.rx_missed_errors += k.ioread32(base + CSR8) & 0xffff;
    // exercise: stop-free-irq
    k.free_irq(dev.irq);
    // exercise end: stop-free-irq
    cleanRings(k, dev);
  },

  startXmit(k, dev, skb) {
    const t = tp(dev);
    const TX_RING_SIZE = t.txSize;
    const entry = t.curTx % TX_RING_SIZE;
    const mapping = k.dma_map_single(dev, skb.data, skb.len, k.DMA_TO_DEVICE);
    if (k.dma_mapping_error(dev, mapping)) {
      k.dev_kfree_skb_any(skb);
      dev.stats.tx_dropped++;
      return k.NETDEV_TX_OK;
    }
    t.txSkb[entry] = skb;
    t.txMap[entry] = mapping;
    k.writel(mapping, descAt(t.txRing, entry) + 8);
    let flag;
    const queued = t.curTx - t.dirtyTx;
    if (queued < TX_RING_SIZE / 2)
      flag = 0x60000000; // FS | LS, no interrupt
    else if (queued === TX_RING_SIZE / 2)
      flag = 0xe0000000; // and IC: reclaim now and then
    else if (queued < TX_RING_SIZE - 2) flag = 0x60000000;
    else {
      flag = 0xe0000000; // leave room for set_rx_mode's setup frames
      k.netif_stop_queue(dev);
    }
    if (entry === TX_RING_SIZE - 1) flag = 0xe0000000 | DESC_RING_WRAP;
    k.writel((skb.len | flag) >>> 0, descAt(t.txRing, entry) + 4);
    k.writel(DescOwned, descAt(t.txRing, entry));
    t.curTx++;
    k.iowrite32(0, dev.base_addr + CSR1); // transmit poll demand
    return k.NETDEV_TX_OK;
  },

  /** The top half: acknowledge, reclaim sent buffers, and leave the receive work to NAPI. */
  interrupt(k, dev) {
    const base = dev.base_addr;
    const csr5 = k.ioread32(base + CSR5);
    if ((csr5 & (NormalIntr | AbnormalIntr)) === 0) return k.IRQ_NONE;
    const t = tp(dev);
    if (csr5 & (RxIntr | RxNoBuf)) t.rxInterrupts++;
    if (csr5 & (TxNoBuf | TxDied | TxIntr)) t.txInterrupts++;
    if (csr5 & (RxIntr | RxNoBuf)) {
      // Mask receive interrupts until the poll is done with the ring.
      k.iowrite32(VALID_INTRS & ~(RxIntr | RxNoBuf), base + CSR7);
      k.napi_schedule(dev);
    }
    k.iowrite32(csr5 & 0x0001ffff & ~(RxIntr | RxNoBuf), base + CSR5);
    if (csr5 & (TxNoBuf | TxDied | TxIntr)) tulipTxDone(k, dev);
    if (csr5 & SystemError) k.netdev_err(dev, 'fatal bus error, CSR5', csr5.toString(16));
    return k.IRQ_HANDLED;
  },

  poll(k, dev, budget) {
    const base = dev.base_addr;
    tp(dev).polls++;
    k.iowrite32(RxIntr | RxNoBuf, base + CSR5); // acknowledge before looking at the ring
    const work = tulipRx(k, dev, budget);
    if (work < budget) {
      k.napi_complete_done(dev, work);
      k.iowrite32(VALID_INTRS, base + CSR7);
      k.iowrite32(0, base + CSR2); // the ring has buffers again: resume if suspended
    }
    return work;
  },

  setMulticastList(k, dev) {
    setRxMode(k, dev, true);
  },

  /**
   * The lab's private ioctls, as `nicctl` issues them: read the rings (anyone), resize them
   * (root only, and only while down: the rings are allocated at open).
   */
  doIoctl(k, dev, ifr, cmd) {
    const t = tp(dev);
    switch (cmd) {
      case SIOCDEVPRIVATE + 1: {
        const running = k.netif_running(dev);
        ifr.data = {
          rxRing: t.rxSize,
          rxPending: running ? t.curRx - t.dirtyRx : 0,
          txRing: t.txSize,
          txPending: running ? t.curTx - t.dirtyTx : 0,
          copybreak: RX_COPYBREAK,
          irqInterval: 0,
          napiWeight: 64,
          rxInterrupts: t.rxInterrupts,
          txInterrupts: t.txInterrupts,
          polls: t.polls,
        };
        return 0;
      }
      case SIOCDEVPRIVATE + 2: {
        // exercise: ioctl-set-ring-checks
        if (!k.capable(k.CAP_NET_ADMIN)) return -k.EPERM;
        if (k.netif_running(dev)) return -k.EBUSY;
        // exercise end: ioctl-set-ring-checks
        const want = ifr.data || {};
        const ok = (n) => n === undefined || (Number.isInteger(n) && n >= 4 && n <= 256);
        if (!ok(want.rxRing) || !ok(want.txRing)) return -k.EINVAL;
        if (want.rxRing !== undefined) t.rxSize = want.rxRing;
        if (want.txRing !== undefined) t.txSize = want.txRing;
        return 0;
      }
    }
    return -k.EOPNOTSUPP;
  },

  // exercise: get-stats-missed
  getStats(k, dev) {
    if (k.netif_running(dev)) {
      dev.stats.rx_missed_errors += k.ioread32(dev.base_addr + CSR8) & 0xffff;
    }
    // exercise end: get-stats-missed
    return dev.stats;
  },
};
