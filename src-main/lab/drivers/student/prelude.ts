/**
 * The guest side of the kernel API: plain JavaScript evaluated in the driver's
 * sandbox before the student's module. It builds `k` (Linux's functions by
 * their Linux names) and `dev` over the host functions in `__h` (kernel-api.ts),
 * and the dispatcher through which the kernel calls the student's ops.
 *
 * Buffers cross as handles (`SkBuff` holds a number); their bytes stay on the
 * kernel side and move between the card and the buffer there (`insw` into
 * `k.skb_put(skb, n)`), never through the sandbox: that is what makes a frame
 * cost microseconds, not milliseconds.
 */
export const OP_NAMES = [
  'probe',
  'open',
  'stop',
  'startXmit',
  'getStats',
  'setMacAddress',
  'setConfig',
  'doIoctl',
  'setMulticastList',
  'interrupt',
  'poll',
  'changeMtu',
] as const;

export type OpName = (typeof OP_NAMES)[number];

export const OP = Object.fromEntries(OP_NAMES.map((n, i) => [n, i])) as Record<OpName, number>;

/** The prelude; `CONSTANTS` is spliced in from the kernel's own tables. */
export function preludeSource(constants: Record<string, number>): string {
  return `(function () {
'use strict';
const h = __h;
delete globalThis.__h;
// Determinism: no wall clock, and a seeded Math.random.
delete globalThis.Date;
let seed = 0x2545f491;
Math.random = () => {
  seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5;
  return (seed >>> 0) / 4294967296;
};

/** Where each buffer the driver holds was allocated: for the leak report. */
const sites = new Map();

class SkBuff {
  constructor(id) { this.id = id; }
  get len() { return h.skb_len(this.id); }
  get data() { return new SkbPtr(this, 0); }
  get protocol() { return h.skb_protocol(this.id); }
  set protocol(v) { h.skb_set_protocol(this.id, v); }
  toString() { return 'skb#' + this.id; }
}
/** A pointer into a buffer's data: what skb_put and skb->data give in C. */
class SkbPtr {
  constructor(skb, off) { this.skb = skb; this.off = off; }
  add(n) { return new SkbPtr(this.skb, this.off + n); }
}
const isPtr = (p) => p instanceof SkbPtr;
const idOf = (skb) => {
  if (!(skb instanceof SkBuff)) throw new TypeError('expected an skb, got ' + skb);
  return skb.id;
};
const macOf = (key) => {
  const a = [];
  for (let i = 5; i >= 0; i--) { a[i] = key % 256; key = Math.floor(key / 256); }
  return a;
};
const keyOf = (addr) => {
  let key = 0;
  for (let i = 0; i < 6; i++) key = key * 256 + (addr[i] & 255);
  return key;
};

const stats = {};
for (const f of ${JSON.stringify(constants.STATS_FIELDS_JSON)}.split(',')) stats[f] = 0;

const dev = {
  get name() { return h.dev_name(); },
  get irq() { return h.dev_get(0); },
  set irq(v) { h.dev_set(0, v); },
  get base_addr() { return h.dev_get(1); },
  set base_addr(v) { h.dev_set(1, v); },
  get flags() { return h.dev_get(2); },
  set flags(v) { h.dev_set(2, v); },
  get mtu() { return h.dev_get(3); },
  set mtu(v) { h.dev_set(3, v); },
  get mem_start() { return h.dev_get(4); },
  get mem_end() { return h.dev_get(5); },
  get priv_flags() { return h.dev_get(6); },
  set priv_flags(v) { h.dev_set(6, v); },
  get if_port() { return h.dev_get(7); },
  set if_port(v) { h.dev_set(7, v); },
  get dev_addr() { return macOf(h.dev_get(8)); },
  // How many want IFF_PROMISC (the user, a capture): a driver that sets the flag for a
  // multicast list clears it again only when no one else wants it.
  get promiscuity() { return h.dev_get(9); },
  stats,
  priv: {},
};

function crc32le(crc, p, len) {
  for (let i = 0; i < len; i++) {
    crc ^= p[i];
    for (let b = 0; b < 8; b++) crc = (crc >>> 1) ^ (crc & 1 ? 0xedb88320 : 0);
  }
  return crc >>> 0;
}
function crc32be(crc, p, len) {
  for (let i = 0; i < len; i++) {
    crc ^= p[i] << 24;
    for (let b = 0; b < 8; b++) crc = (crc << 1) ^ (crc & 0x80000000 ? 0x04c11db7 : 0);
  }
  return crc >>> 0;
}
function bitrev32(x) {
  let r = 0;
  for (let i = 0; i < 32; i++) { r = (r << 1) | (x & 1); x >>>= 1; }
  return r >>> 0;
}

const C = ${JSON.stringify(constants)};
delete C.STATS_FIELDS_JSON;
const k = Object.freeze({
  ...C,
  // Port I/O, Linux's argument order: outb(value, port).
  inb: (port) => h.inb(port),
  inw: (port) => h.inw(port),
  inl: (port) => h.inl(port),
  outb: (v, port) => h.outb(v, port),
  outw: (v, port) => h.outw(v, port),
  outl: (v, port) => h.outl(v, port),
  // Memory-mapped registers (ioremap'd CSRs): the same window, by address.
  ioread8: (a) => h.inb(a),
  ioread16: (a) => h.inw(a),
  ioread32: (a) => h.inl(a),
  iowrite8: (v, a) => h.outb(v, a),
  iowrite16: (v, a) => h.outw(v, a),
  iowrite32: (v, a) => h.outl(v, a),
  // String I/O into a buffer (an SkbPtr) or a plain array of bytes.
  insb: (port, dst, count) => ins(1, port, dst, count),
  insw: (port, dst, count) => ins(2, port, dst, count),
  insl: (port, dst, count) => ins(4, port, dst, count),
  outsb: (port, src, count) => outs(1, port, src, count),
  outsw: (port, src, count) => outs(2, port, src, count),
  outsl: (port, src, count) => outs(4, port, src, count),
  udelay: () => {},
  mdelay: () => {},
  ndelay: () => {},
  msleep: (ms) => h.msleep(ms),
  get jiffies() { return h.jiffies(); },
  spin_lock_irqsave: () => 0,
  spin_unlock_irqrestore: () => {},
  spin_lock: () => {},
  spin_unlock: () => {},
  disable_irq: (irq) => h.disable_irq(irq, 1),
  enable_irq: (irq) => h.disable_irq(irq, 0),
  cpu_to_le32: (x) => x >>> 0,
  le32_to_cpu: (x) => x >>> 0,
  cpu_to_le16: (x) => x & 0xffff,
  le16_to_cpu: (x) => x & 0xffff,

  request_irq: (irq) => h.request_irq(irq),
  free_irq: (irq) => h.free_irq(irq),
  capable: (cap) => h.capable(cap) === 1,

  netdev_alloc_skb(d, len) {
    const id = h.alloc_skb(len);
    if (id === 0) return null;
    sites.set(id, new Error().stack);
    return new SkBuff(id);
  },
  dev_alloc_skb(len) { return k.netdev_alloc_skb(dev, len); },
  skb_reserve: (skb, n) => { h.skb_reserve(idOf(skb), n); },
  skb_put(skb, n) { return new SkbPtr(skb, h.skb_put(idOf(skb), n)); },
  skb_tailroom: (skb) => h.skb_tailroom(idOf(skb)),
  skb_get_u8: (skb, off) => h.skb_get_u8(idOf(skb), off),
  skb_set_u8: (skb, off, v) => h.skb_set_u8(idOf(skb), off, v),
  skb_copy_to_linear_data(skb, from, len) {
    if (!isPtr(from)) throw new TypeError('skb_copy_to_linear_data: expected a pointer into an skb (skb.data), got ' + from);
    h.skb_copy(idOf(skb), 0, idOf(from.skb), from.off, len);
  },
  skb_copy_from_linear_data(skb, dst, len) {
    const id = idOf(skb);
    for (let i = 0; i < len; i++) dst[i] = h.skb_get_u8(id, i);
  },
  eth_type_trans: (skb, d) => h.eth_type_trans(idOf(skb)),
  netif_rx(skb) { const id = idOf(skb); const r = h.netif_rx(id); sites.delete(id); return r; },
  netif_receive_skb(skb) { const id = idOf(skb); const r = h.netif_receive_skb(id); sites.delete(id); return r; },
  napi_gro_receive(napi, skb) { return k.netif_receive_skb(skb); },
  dev_kfree_skb(skb) { const id = idOf(skb); h.kfree_skb(id); sites.delete(id); },
  dev_kfree_skb_any(skb) { k.dev_kfree_skb(skb); },
  dev_kfree_skb_irq(skb) { k.dev_kfree_skb(skb); },
  dev_consume_skb_any(skb) { k.dev_kfree_skb(skb); },
  kfree_skb(skb) { k.dev_kfree_skb(skb); },

  napi_schedule: (d) => { h.napi_schedule(); },
  napi_complete_done: (d, work) => h.napi_complete(work) === 1,
  napi_complete: (d) => h.napi_complete(0) === 1,
  netif_start_queue: (d) => { h.queue(0); },
  netif_stop_queue: (d) => { h.queue(1); },
  netif_wake_queue: (d) => { h.queue(2); },
  netif_queue_stopped: (d) => h.queue(3) === 1,
  netif_carrier_on: (d) => { h.queue(4); },
  netif_carrier_off: (d) => { h.queue(5); },
  netif_running: (d) => h.queue(6) === 1,

  netdev_mc_count: (d) => h.mc_count(),
  netdev_mc_empty: (d) => h.mc_count() === 0,
  netdev_for_each_mc_addr(d, fn) {
    const n = h.mc_count();
    for (let i = 0; i < n; i++) fn({ addr: macOf(h.mc_addr(i)) });
  },
  eth_hw_addr_set: (d, addr) => { h.set_dev_addr(keyOf(addr)); },
  eth_mac_addr: (d, addr) => h.eth_mac_addr(keyOf(addr)),
  is_valid_ether_addr: (a) => !(a[0] & 1) && a.some((b) => b !== 0),

  crc32_le: (crc, p, len) => crc32le(crc >>> 0, p, len ?? p.length),
  crc32_be: (crc, p, len) => crc32be(crc >>> 0, p, len ?? p.length),
  // Linux: ether_crc(len, p) is bitrev32(crc32_le(~0, p, len)).
  ether_crc: (len, p) => bitrev32(crc32le(0xffffffff, p, len)),
  ether_crc_le: (len, p) => crc32le(0xffffffff, p, len),
  bitrev32,

  // Bus-master DMA: coherent memory and streaming mappings (bounce buffers).
  dma_alloc_coherent: (d, size) => h.dma_alloc(size),
  dma_free_coherent: (d, size, addr) => { h.dma_free(addr); },
  dma_map_single: (d, p, len, dir) => h.dma_map(idOf(p.skb), p.off, len, dir),
  dma_unmap_single: (d, addr, len, dir) => { h.dma_unmap(addr); },
  dma_mapping_error: (d, addr) => addr < 0,
  dma_sync_single_for_cpu: (d, addr, len, dir) => { h.dma_sync(addr, len, 1); },
  dma_sync_single_for_device: (d, addr, len, dir) => { h.dma_sync(addr, len, 0); },
  readb: (a) => h.dma_read(1, a),
  readl: (a) => h.dma_read(4, a),
  writeb: (v, a) => { h.dma_write(1, a, v); },
  writel: (v, a) => { h.dma_write(4, a, v); },

  printk: (...parts) => { h.printk(parts.join(' ')); },
  netdev_info: (d, ...parts) => { h.printk(parts.join(' ')); },
  netdev_warn: (d, ...parts) => { h.printk(parts.join(' ')); },
  netdev_err: (d, ...parts) => { h.printk(parts.join(' ')); },
  netdev_dbg: () => {},
});

function ins(width, port, dst, count) {
  if (isPtr(dst)) return void h.ins_skb(width, port, idOf(dst.skb), dst.off, count);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const v = width === 1 ? h.inb(port) : width === 2 ? h.inw(port) : h.inl(port);
    for (let b = 0; b < width; b++) dst[at++] = (v >>> (8 * b)) & 255;
  }
}
function outs(width, port, src, count) {
  if (isPtr(src)) return void h.outs_skb(width, port, idOf(src.skb), src.off, count);
  let at = 0;
  for (let i = 0; i < count; i++) {
    let v = 0;
    for (let b = 0; b < width; b++) v |= (src[at++] & 255) << (8 * b);
    if (width === 1) h.outb(v, port); else if (width === 2) h.outw(v, port); else h.outl(v >>> 0, port);
  }
}

let ops = null;
const num = (x) => (typeof x === 'number' ? x : x === true ? 1 : 0);
const NAMES = ${JSON.stringify(OP_NAMES)};

globalThis.__install = (ns) => {
  ops = ns.default && typeof ns.default === 'object' ? ns.default : ns;
  return NAMES.map((n) => (typeof ops[n] === 'function' ? '1' : '0')).join('');
};
globalThis.__site = (id) => sites.get(id) || '';
globalThis.__forget = (id) => { sites.delete(id); };
globalThis.__dispatch = (op, a, b, c, d, e, f) => {
  switch (op) {
    case 0: return num(ops.probe(k, dev));
    case 1: return num(ops.open(k, dev));
    case 2: ops.stop(k, dev); return 0;
    case 3: return num(ops.startXmit(k, dev, new SkBuff(a)));
    case 4: {
      const s = ops.getStats ? ops.getStats(k, dev) : dev.stats;
      return JSON.stringify(s || {});
    }
    case 5: return num(ops.setMacAddress(k, dev, macOf(a)));
    case 6: return num(ops.setConfig(k, dev, { mem_start: a, mem_end: b, base_addr: c, irq: d, dma: e, port: f }));
    case 7: {
      const ifr = JSON.parse(h.ifr_in());
      const r = num(ops.doIoctl(k, dev, ifr, a));
      h.ifr_out(JSON.stringify(ifr));
      return r;
    }
    case 8: ops.setMulticastList(k, dev); return 0;
    case 9: return num(ops.interrupt(k, dev, a));
    case 10: return num(ops.poll(k, dev, a));
    case 11: return num(ops.changeMtu(k, dev, a));
  }
  return 0;
};
})();
`;
}
