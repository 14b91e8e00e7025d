// at1700.js: the reference driver for netlab's AT1700 (Fujitsu MB86965) card.
//
// It follows Linux's drivers/net/at1700.c v1.12 (Donald Becker, Linux 1.2-2.0)
// function for function, written against netlab's kernel API `k`. The card
// has no multicast filter this driver uses: for any group it goes promiscuous
// and, as the article says it must, sets IFF_PROMISC in dev.flags itself.
// Differences from at1700.c: no probe by IOCONFIG or by the EEPROM's Allied
// Telesis signature (the lab's cards have the lab's addresses), the queue is
// stopped while the transmit buffer is full (netif_stop_queue instead of
// dev->tbusy), the irq is requested at open rather than at probe, tx_packets
// counts every frame of a queue (at1700.c counted one per queue), and the
// buffer is drained by interrupts (the card's packet-ready bit stays up while a
// frame waits) instead of flushed after five frames.

// ---- the MB86965's registers (at1700.c) ----
const TX_STATUS = 0;
const TX_INTR = 2;
const RX_INTR = 3;
const RX_MODE = 5;
const CONFIG_0 = 6;
const CONFIG_1 = 7;
const DATAPORT = 8; // bank 2
const TX_START = 10; // bank 2
const RX_SKIP = 14; // bank 2
const EEPROM_Ctrl = 16;
const EEPROM_Data = 17;

const EE_SHIFT_CLK = 0x40;
const EE_CS = 0x20;
const EE_DATA_WRITE = 0x80;
const EE_DATA_READ = 0x80;
const EE_READ_CMD = 6 << 6;

const RX_BUF_EMPTY = 0x40;
const TX_QUEUE_BYTES = 4096;
const ETH_ZLEN = 60;

/** read_eeprom: one 16-bit word of the 93C46, clocked out bit by bit. */
function readEeprom(k, io, location) {
  const eeAddr = io + EEPROM_Ctrl;
  const eeData = io + EEPROM_Data;
  const readCmd = location | EE_READ_CMD;
  k.outb(EE_CS, eeAddr);
  for (let i = 9; i >= 0; i--) {
    k.outb(readCmd & (1 << i) ? EE_DATA_WRITE : 0, eeData);
    k.outb(EE_CS | EE_SHIFT_CLK, eeAddr);
    k.outb(EE_CS, eeAddr);
  }
  k.outb(EE_CS, eeAddr);
  let retval = 0;
  for (let i = 16; i > 0; i--) {
    k.outb(EE_CS | EE_SHIFT_CLK, eeAddr);
    retval = (retval << 1) | (k.inb(eeData) & EE_DATA_READ ? 1 : 0);
    k.outb(EE_CS, eeAddr);
  }
  k.outb(EE_SHIFT_CLK, eeAddr);
  k.outb(0, eeAddr);
  return retval;
}

/** net_rx: every frame in the buffer into an skb, handed up with netif_rx (at most 5). */
function netRx(k, dev) {
  const io = dev.base_addr;
  const stats = dev.stats;
  let boguscount = 5;
  while ((k.inb(io + RX_MODE) & RX_BUF_EMPTY) === 0) {
    const status = k.inw(io + DATAPORT);
    const pktLen = k.inw(io + DATAPORT);
    if ((status & 0xf0) !== 0x20) {
      stats.rx_errors++;
      if (status & 0x08) stats.rx_length_errors++;
      if (status & 0x04) stats.rx_frame_errors++;
      if (status & 0x02) stats.rx_crc_errors++;
      if (status & 0x01) stats.rx_over_errors++;
      k.outb(0x05, io + RX_SKIP);
    } else if (pktLen > 1550) {
      k.printk(`The AT1700 claimed a very large packet, size ${pktLen}.`);
      k.outb(0x05, io + RX_SKIP);
      stats.rx_errors++;
      break;
    } else {
      const skb = k.netdev_alloc_skb(dev, pktLen + 3);
      if (!skb) {
        k.outb(0x05, io + RX_SKIP); // flush the frame
        stats.rx_dropped++;
        break;
      }
      k.skb_reserve(skb, 2);
      k.insw(io + DATAPORT, k.skb_put(skb, pktLen), (pktLen + 1) >> 1);
      skb.protocol = k.eth_type_trans(skb, dev);
      k.netif_rx(skb);
      stats.rx_packets++;
      stats.rx_bytes += pktLen;
    }
    if (--boguscount <= 0) break;
  }
}

// exercise: set-multicast-list
/** set_multicast_list: the card can only take its own frames or all of them. */
function setMulticastList(k, dev) {
  const io = dev.base_addr;
  if (k.netdev_mc_count(dev) > 0 || dev.flags & k.IFF_ALLMULTI) {
    // "We must make the kernel realise we had to move into promisc mode" (at1700.c).
    dev.flags |= k.IFF_PROMISC;
  } else if (dev.promiscuity === 0) {
    dev.flags &= ~k.IFF_PROMISC; // no one else asked for it
  }
  k.outb(dev.flags & k.IFF_PROMISC ? 3 : 2, io + RX_MODE);
}
// exercise end: set-multicast-list

export default {
  /** at1700_probe1: the station address from EEPROM words 4-6, high byte first. */
  probe(k, dev) {
    const io = dev.base_addr;
    dev.priv = { txStarted: false, txQueue: 0, txQueueLen: 0, inFlight: 0 };
    const addr = [];
    for (let i = 0; i < 3; i++) {
      const v = readEeprom(k, io, 4 + i);
      addr.push(v >> 8, v & 0xff);
    }
    if (!k.is_valid_ether_addr(addr)) return -k.ENODEV;
    k.eth_hw_addr_set(dev, addr);
    k.outb(0x00, io + CONFIG_1); // power down until open
    return 0;
  },

  /** net_open */
  open(k, dev) {
    const io = dev.base_addr;
    const p = dev.priv;
    const ret = k.request_irq(dev.irq, dev);
    if (ret) return ret;
    k.outb(0xe0, io + CONFIG_1); // power up, bank 0
    const addr = dev.dev_addr;
    for (let i = 0; i < 6; i++) k.outb(addr[i], io + 8 + i);
    k.outb(0xe4, io + CONFIG_1); // bank 1: the multicast table accepts none
    for (let i = 0; i < 8; i++) k.outb(0x00, io + 8 + i);
    k.outb(0xda, io + CONFIG_0);
    k.outb(0x5a, io + CONFIG_0); // enable the receiver and transmitter
    k.outb(0xe8, io + CONFIG_1); // bank 2: the run-time registers
    p.txStarted = false;
    p.txQueue = 0;
    p.txQueueLen = 0;
    p.inFlight = 0;
    setMulticastList(k, dev);
    k.outb(0x00, io + TX_INTR);
    k.outb(0x81, io + RX_INTR);
    k.netif_start_queue(dev);
    return 0;
  },

  /** net_close */
  stop(k, dev) {
    const io = dev.base_addr;
    k.netif_stop_queue(dev);
    k.outb(0xda, io + CONFIG_0);
    k.outb(0x00, io + CONFIG_1);
    k.free_irq(dev.irq, dev);
  },

  /** net_send_packet: into the transmit queue; start it if the transmitter is idle. */
  startXmit(k, dev, skb) {
    const io = dev.base_addr;
    const p = dev.priv;
    const len = skb.len;
    const length = Math.max(len, ETH_ZLEN);
    k.outb(0x00, io + TX_INTR);
    k.outw(length, io + DATAPORT);
    k.outsw(io + DATAPORT, skb.data, len >> 1);
    let done = len & ~1;
    if (len & 1) {
      k.outw(k.skb_get_u8(skb, len - 1), io + DATAPORT);
      done += 2;
    }
    for (; done < length; done += 2) k.outw(0, io + DATAPORT);
    p.txQueue++;
    p.txQueueLen += length + 2;
    if (!p.txStarted) {
      k.outb(0x80 | p.txQueue, io + TX_START);
      p.inFlight = p.txQueue;
      p.txQueue = 0;
      p.txQueueLen = 0;
      p.txStarted = true;
    } else if (p.txQueueLen >= TX_QUEUE_BYTES - 1502 - 2) {
      k.netif_stop_queue(dev); // no room for one more full frame
    }
    k.outb(0x82, io + TX_INTR);
    dev.stats.tx_bytes += length;
    k.dev_consume_skb_any(skb);
    return k.NETDEV_TX_OK;
  },

  /** net_interrupt */
  interrupt(k, dev) {
    const io = dev.base_addr;
    const p = dev.priv;
    const status = k.inw(io + TX_STATUS);
    k.outw(status, io + TX_STATUS);
    if (status & 0xff00 || (k.inb(io + RX_MODE) & RX_BUF_EMPTY) === 0) netRx(k, dev);
    if (status & 0x00ff) {
      if (status & 0x02) {
        dev.stats.tx_errors++;
        dev.stats.tx_aborted_errors++;
        dev.stats.collisions += 16;
      }
      if (status & 0x80) {
        dev.stats.tx_packets += p.inFlight;
        p.inFlight = 0;
        if (p.txQueue) {
          k.outb(0x80 | p.txQueue, io + TX_START);
          p.inFlight = p.txQueue;
          p.txQueue = 0;
          p.txQueueLen = 0;
        } else {
          p.txStarted = false;
          k.outb(0x00, io + TX_INTR);
        }
        k.netif_wake_queue(dev);
      }
    }
    return status ? k.IRQ_HANDLED : k.IRQ_NONE;
  },

  setMulticastList,

  /** eth_mac_addr: the address goes into the node ID at the next open; -EBUSY while running. */
  setMacAddress(k, dev, addr) {
    return k.eth_mac_addr(dev, addr);
  },
};
