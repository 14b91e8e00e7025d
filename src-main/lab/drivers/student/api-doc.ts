/**
 * The kernel API a student driver calls through `k`, as the driver editor shows it: each
 * function's name, how it is called and what it does, in Linux's terms. The functions
 * themselves are prelude.ts (guest side) and kernel-api.ts (host side); a test holds this
 * table to the names `k` really has.
 */
export interface KernelApiDoc {
  name: string;
  signature: string;
  doc: string;
}

const d = (name: string, args: string, doc: string): KernelApiDoc => ({
  name,
  signature: `${name}(${args})`,
  doc,
});

export const KERNEL_API_DOCS: readonly KernelApiDoc[] = [
  // Registers
  d('inb', 'port', 'Reads a byte from an I/O port (dev.base_addr + register).'),
  d('inw', 'port', 'Reads 16 bits from an I/O port.'),
  d('inl', 'port', 'Reads 32 bits from an I/O port.'),
  d('outb', 'value, port', 'Writes a byte to an I/O port (value first, as in Linux).'),
  d('outw', 'value, port', 'Writes 16 bits to an I/O port.'),
  d('outl', 'value, port', 'Writes 32 bits to an I/O port.'),
  d('ioread8', 'addr', 'Reads a byte of a memory-mapped register.'),
  d('ioread16', 'addr', 'Reads 16 bits of a memory-mapped register.'),
  d('ioread32', 'addr', "Reads a 32-bit memory-mapped register (the Tulip's CSRs)."),
  d('iowrite8', 'value, addr', 'Writes a byte to a memory-mapped register.'),
  d('iowrite16', 'value, addr', 'Writes 16 bits to a memory-mapped register.'),
  d('iowrite32', 'value, addr', 'Writes a 32-bit memory-mapped register.'),
  d(
    'insb',
    'port, dst, count',
    'Reads count bytes from a port into dst (skb_put’s pointer or an array).',
  ),
  d(
    'insw',
    'port, dst, count',
    'Reads count 16-bit words from a port (the NE2000’s data port) into dst.',
  ),
  d('insl', 'port, dst, count', 'Reads count 32-bit words from a port into dst.'),
  d('outsb', 'port, src, count', 'Writes count bytes of src (skb.data or an array) to a port.'),
  d('outsw', 'port, src, count', 'Writes count 16-bit words of src to a port.'),
  d('outsl', 'port, src, count', 'Writes count 32-bit words of src to a port.'),
  // Time and locking
  d('udelay', 'us', 'Busy-waits (free here: the card answers at once).'),
  d('mdelay', 'ms', 'Busy-waits milliseconds.'),
  d('ndelay', 'ns', 'Busy-waits nanoseconds.'),
  d('msleep', 'ms', 'Sleeps: never in an interrupt handler or NAPI poll (an oops).'),
  { name: 'jiffies', signature: 'jiffies', doc: 'Ticks since boot (HZ = 250).' },
  d('spin_lock_irqsave', 'lock', 'Takes a lock with interrupts off; returns the flags to restore.'),
  d('spin_unlock_irqrestore', 'lock, flags', 'Releases it.'),
  d('spin_lock', 'lock', 'Takes a lock.'),
  d('spin_unlock', 'lock', 'Releases a lock.'),
  d('disable_irq', 'irq', 'Masks the interrupt line.'),
  d('enable_irq', 'irq', 'Unmasks it.'),
  d('cpu_to_le32', 'x', 'Host to little-endian (the same on this PC).'),
  d('le32_to_cpu', 'x', 'Little-endian to host.'),
  d('cpu_to_le16', 'x', 'Host to little-endian, 16 bits.'),
  d('le16_to_cpu', 'x', 'Little-endian to host, 16 bits.'),
  // Interrupts and capabilities
  d('request_irq', 'irq', 'Claims the interrupt line: 0, or -EBUSY when another device holds it.'),
  d('free_irq', 'irq', 'Gives the line back (in stop, and when open fails after request_irq).'),
  d(
    'capable',
    'cap',
    'Whether whoever asked (doIoctl) has the capability: k.capable(k.CAP_NET_ADMIN).',
  ),
  // Socket buffers
  d(
    'netdev_alloc_skb',
    'dev, len',
    'A new sk_buff with room for len bytes (null if none): the driver holds it.',
  ),
  d('dev_alloc_skb', 'len', 'netdev_alloc_skb for this device.'),
  d(
    'skb_reserve',
    'skb, n',
    'Moves the data pointer n bytes on in an empty buffer (headroom: NET_IP_ALIGN).',
  ),
  d('skb_put', 'skb, n', 'Extends the data by n bytes at the tail; returns a pointer to them.'),
  d('skb_tailroom', 'skb', 'Bytes free after the data.'),
  d('skb_get_u8', 'skb, off', 'Reads one byte of the data.'),
  d('skb_set_u8', 'skb, off, value', 'Writes one byte of the data.'),
  d(
    'skb_copy_to_linear_data',
    'skb, from, len',
    'Copies len bytes from another buffer (from = other.data) to this one’s data (copybreak).',
  ),
  d('skb_copy_from_linear_data', 'skb, dst, len', 'Copies len bytes of the data into an array.'),
  d(
    'eth_type_trans',
    'skb, dev',
    'Reads the Ethernet header, sets the packet type; returns the protocol: skb.protocol = k.eth_type_trans(skb, dev).',
  ),
  d(
    'netif_rx',
    'skb',
    'Hands a received frame to the stack from an interrupt handler (the backlog): the buffer is the stack’s from now on.',
  ),
  d('netif_receive_skb', 'skb', 'Hands a received frame to the stack from the NAPI poll.'),
  d('napi_gro_receive', 'napi, skb', 'netif_receive_skb, through GRO.'),
  d('dev_kfree_skb', 'skb', 'Frees a buffer the driver holds (once).'),
  d('dev_kfree_skb_any', 'skb', 'Frees a buffer, in any context.'),
  d('dev_kfree_skb_irq', 'skb', 'Frees a buffer from an interrupt handler.'),
  d('dev_consume_skb_any', 'skb', 'Frees a buffer that was used as it should be (a sent frame).'),
  d('kfree_skb', 'skb', 'Frees a buffer.'),
  // NAPI and the queue
  d(
    'napi_schedule',
    'dev',
    'From the interrupt handler: the poll runs soon (mask the card’s receive interrupts first).',
  ),
  d(
    'napi_complete_done',
    'dev, work',
    'From the poll, when it did less than its budget: polling stops (unmask the interrupts after).',
  ),
  d('napi_complete', 'dev', 'napi_complete_done without a count.'),
  d('netif_start_queue', 'dev', 'The kernel may call startXmit (in open).'),
  d('netif_stop_queue', 'dev', 'No more startXmit until woken: the transmit ring is full.'),
  d('netif_wake_queue', 'dev', 'Room again: the kernel resumes calling startXmit.'),
  d('netif_queue_stopped', 'dev', 'Whether the queue is stopped.'),
  d('netif_carrier_on', 'dev', 'The link is up.'),
  d('netif_carrier_off', 'dev', 'The link is down.'),
  d('netif_running', 'dev', 'Whether the device is up (open ran).'),
  // Addresses
  d('netdev_mc_count', 'dev', 'How many addresses the multicast list holds.'),
  d('netdev_mc_empty', 'dev', 'Whether the multicast list is empty.'),
  d('netdev_for_each_mc_addr', 'dev, (ha) => …', 'Walks the multicast list: ha.addr is six bytes.'),
  d('eth_hw_addr_set', 'dev, addr', 'Sets the device’s address (in probe, from the card’s ROM).'),
  d(
    'eth_mac_addr',
    'dev, addr',
    'set_mac_address’s usual body: -EBUSY while running (unless IFF_LIVE_ADDR_CHANGE), else takes the address.',
  ),
  d('is_valid_ether_addr', 'addr', 'Not multicast, not all zeros.'),
  d('crc32_le', 'crc, bytes, len', 'The little-endian (reflected) CRC-32 from crc.'),
  d('crc32_be', 'crc, bytes, len', 'The big-endian CRC-32 from crc.'),
  d('ether_crc', 'len, addr', 'The big-endian Ethernet CRC (the DP8390’s hash: top six bits).'),
  d('ether_crc_le', 'len, addr', 'The little-endian Ethernet CRC (the Tulip’s hash: & 0x1ff).'),
  d('bitrev32', 'x', 'Reverses the 32 bits of x.'),
  // DMA
  d(
    'dma_alloc_coherent',
    'dev, size',
    'Host memory card and driver share (rings): its bus address, or a negative errno.',
  ),
  d('dma_free_coherent', 'dev, size, addr', 'Gives it back.'),
  d(
    'dma_map_single',
    'dev, ptr, len, dir',
    'Maps a buffer (skb.data) for the card: its bus address. dir: k.DMA_TO_DEVICE or k.DMA_FROM_DEVICE.',
  ),
  d(
    'dma_unmap_single',
    'dev, addr, len, dir',
    'Ends the mapping: a DMA_FROM_DEVICE buffer now holds what the card wrote.',
  ),
  d('dma_mapping_error', 'dev, addr', 'Whether dma_map_single failed.'),
  d(
    'dma_sync_single_for_cpu',
    'dev, addr, len, dir',
    'Lets the CPU read what the card wrote, the mapping kept.',
  ),
  d('dma_sync_single_for_device', 'dev, addr, len, dir', 'Gives the buffer back to the card.'),
  d('readb', 'addr', 'Reads a byte of DMA memory (a descriptor).'),
  d('readl', 'addr', 'Reads a 32-bit word of DMA memory (a descriptor’s status).'),
  d('writeb', 'value, addr', 'Writes a byte of DMA memory.'),
  d('writel', 'value, addr', 'Writes a 32-bit word of DMA memory (a descriptor).'),
  // Messages
  d('printk', '...parts', 'Prints to the kernel log.'),
  d('netdev_info', 'dev, ...parts', 'Prints an informational message.'),
  d('netdev_warn', 'dev, ...parts', 'Prints a warning.'),
  d('netdev_err', 'dev, ...parts', 'Prints an error.'),
  d('netdev_dbg', 'dev, ...parts', 'Debug message (off).'),
];

/** The ops a driver may export, as Linux's net_device_ops and its interrupt handler name them. */
export const DRIVER_OP_DOCS: readonly { name: string; doc: string }[] = [
  { name: 'probe', doc: 'probe(k, dev): find the card, read its address; 0 or a negative errno.' },
  { name: 'open', doc: 'open(k, dev): ndo_open; request_irq, rings, start the card; 0 or -errno.' },
  { name: 'stop', doc: 'stop(k, dev): ndo_stop; may not fail; give back all open took.' },
  {
    name: 'startXmit',
    doc: 'startXmit(k, dev, skb): ndo_start_xmit; k.NETDEV_TX_OK or k.NETDEV_TX_BUSY.',
  },
  { name: 'getStats', doc: 'getStats(k, dev): ndo_get_stats; returns dev.stats.' },
  { name: 'setMacAddress', doc: 'setMacAddress(k, dev, addr): ndo_set_mac_address.' },
  { name: 'setConfig', doc: 'setConfig(k, dev, map): ndo_set_config (SIOCSIFMAP).' },
  { name: 'doIoctl', doc: 'doIoctl(k, dev, ifr, cmd): SIOCDEVPRIVATE..+15; ifr.data both ways.' },
  {
    name: 'setMulticastList',
    doc: 'setMulticastList(k, dev): ndo_set_rx_mode; program the filter.',
  },
  { name: 'interrupt', doc: 'interrupt(k, dev, irq): the handler; k.IRQ_HANDLED or k.IRQ_NONE.' },
  { name: 'poll', doc: 'poll(k, dev, budget): the NAPI poll; returns the work done.' },
  {
    name: 'changeMtu',
    doc: 'changeMtu(k, dev, mtu): ndo_change_mtu (ip link set DEV mtu N, after the min/max check); set dev.mtu = mtu and return 0, or -errno.',
  },
];
