/**
 * What a buffer really costs, in Linux's terms. `__alloc_skb` rounds the data
 * area (plus the trailing `skb_shared_info`) up to a kmalloc size class, and
 * `truesize` charges that whole slab object plus the `sk_buff` itself. Since
 * Linux 6.3 a head of up to SKB_SMALL_HEAD_CACHE_SIZE bytes comes from its own
 * cache (`skb_small_head_cache`, 576-byte objects) instead of kmalloc-512 or
 * kmalloc-1024: this is why a 64-byte datagram costs a socket 832 bytes of its
 * receive buffer (768 on kernels before 6.3), and why the default 212992 bytes
 * hold 256 of them.
 */

/** SKB_DATA_ALIGN(sizeof(struct sk_buff)) on x86-64. */
export const SKB_HEAD_SIZE = 256;
/** SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) on x86-64. */
export const SKB_SHINFO_SIZE = 320;
/** NET_SKB_PAD: headroom `netdev_alloc_skb` reserves for headers pushed later. */
export const NET_SKB_PAD = 64;
const SMP_CACHE_BYTES = 64;

/** kmalloc's general caches; larger requests go to whole pages. */
const KMALLOC_SIZES = [32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192];
const PAGE_SIZE = 4096;

export function skbDataAlign(n: number): number {
  return Math.ceil(n / SMP_CACHE_BYTES) * SMP_CACHE_BYTES;
}

/** The size kmalloc really hands out for a request of `n` bytes (`ksize`). */
export function kmallocSize(n: number): number {
  for (const size of KMALLOC_SIZES) if (n <= size) return size;
  let pages = 1;
  while (pages * PAGE_SIZE < n) pages *= 2;
  return pages * PAGE_SIZE;
}

/**
 * SKB_SMALL_HEAD_CACHE_SIZE on x86-64: SKB_HEAD_ALIGN(MAX_TCP_HEADER) is 512, a
 * power of two, so the cache's objects are made 64 bytes larger (576) and a
 * `ksize` of one tells them from kmalloc's.
 */
export const SKB_SMALL_HEAD_CACHE_SIZE = 576;

/**
 * The usable data area `__alloc_skb` gets for a request of `size` bytes (what
 * `end` becomes): `kmalloc_reserve` takes the small-head cache when the head
 * fits it, else the kmalloc class.
 */
export function skbDataSize(size: number): number {
  const obj = skbDataAlign(size) + SKB_SHINFO_SIZE;
  const got = obj <= SKB_SMALL_HEAD_CACHE_SIZE ? SKB_SMALL_HEAD_CACHE_SIZE : kmallocSize(obj);
  return got - SKB_SHINFO_SIZE;
}

/** Which slab cache a data area of `dataSize` bytes (what `end` is) came from, and its object size. */
export function skbHeadCache(dataSize: number): { cache: string; size: number } {
  const size = dataSize + SKB_SHINFO_SIZE;
  return size === SKB_SMALL_HEAD_CACHE_SIZE
    ? { cache: 'skb_small_head_cache', size }
    : { cache: size > 8192 ? 'pages' : `kmalloc-${size}`, size };
}

/** Linux's `SKB_TRUESIZE`: the data area plus the `sk_buff` and `skb_shared_info`. */
export function skbTruesize(dataSize: number): number {
  return dataSize + SKB_HEAD_SIZE + SKB_SHINFO_SIZE;
}
