import type { SkBuff } from '../skb/sk-buff';
import { copyBytes } from '../wire/bytes';
import { internetChecksum } from '../wire/checksum';
import { FATE_CONSUMED, FATE_HDR_ERROR } from '../netdev/fate';
import { ICMP_EXC_FRAGTIME, ICMP_TIME_EXCEEDED } from '../wire/icmp';
import { IP_MF, IP_OFFSET } from '../wire/ipv4';
import type { Kernel } from './kernel';

const SECOND = 1e9;

function writeHeaderTail(
  b: Uint8Array,
  at: number,
  hlen: number,
  total: number,
  off: number,
): void {
  b[at + 2] = total >> 8;
  b[at + 3] = total & 0xff;
  b[at + 6] = off >> 8;
  b[at + 7] = off & 0xff;
  b[at + 10] = 0;
  b[at + 11] = 0;
  const c = internetChecksum(b, at, hlen);
  b[at + 10] = c >> 8;
  b[at + 11] = c & 0xff;
}

/**
 * `ip_do_fragment` (its slow path): the datagram in `skb` (data at its IPv4 header, DF clear)
 * goes out as fragments of at most `mtu` bytes, each carrying the header and a part of the
 * payload whose length is a multiple of 8 but for the last; MF on all but the last (unless the
 * datagram was itself a fragment with MF). Each fragment goes to `out`. Ip FragCreates per
 * fragment, FragOKs once. Options are copied into every fragment (Linux keeps only the ones
 * with the copied flag after the first; the lab's only option, router alert, has it).
 */
export function ipFragment(k: Kernel, skb: SkBuff, mtu: number, out: (frag: SkBuff) => void): void {
  const b = skb.buf;
  const nh = skb.data;
  const hlen = (b[nh] & 0x0f) * 4;
  const fragOff = (b[nh + 6] << 8) | b[nh + 7];
  const notLast = (fragOff & IP_MF) !== 0;
  let offset = (fragOff & IP_OFFSET) << 3;
  const room = mtu - hlen;
  let left = skb.len - hlen;
  let ptr = nh + hlen;
  while (left > 0) {
    let len = left;
    if (len > room) len = room;
    if (len < left) len &= ~7;
    const f = k.allocSkb(hlen + len);
    const at = f.put(hlen + len);
    copyBytes(f.buf, at, b, nh, hlen);
    copyBytes(f.buf, at + hlen, b, ptr, len);
    left -= len;
    ptr += len;
    const flags = (fragOff & ~(IP_MF | IP_OFFSET)) | (left > 0 || notLast ? IP_MF : 0);
    writeHeaderTail(f.buf, at, hlen, hlen + len, flags | (offset >> 3));
    offset += len;
    f.networkHeader = at;
    f.protocol = skb.protocol;
    f.pktType = skb.pktType;
    f.fwdSeq = skb.fwdSeq;
    f.iif = skb.iif;
    k.mib.ip.FragCreates++;
    out(f);
  }
  k.mib.ip.FragOKs++;
  skb.free();
}

/** One datagram being put back together (`struct ipq`). */
interface IpQueue {
  /** The payload pieces received, by offset: their bytes copied out of the frames. */
  pieces: { offset: number; bytes: Uint8Array }[];
  /** The first fragment (offset 0), kept whole: its header heads the datagram, ICMP quotes it. */
  head: SkBuff | null;
  /** The payload's length, once the last fragment (MF clear) came; -1 before. */
  total: number;
  timer: number;
}

/**
 * IPv4 reassembly (net/ipv4/ip_fragment.c, `ip_defrag` in `ip_local_deliver`): fragments of a
 * datagram for this host wait in a queue keyed by source, destination, id and protocol until
 * all of it is there; then the whole datagram goes on up. A queue not complete after
 * `ipfrag_time` (30 s) is dropped (Ip ReasmTimeout and ReasmFails) and, if its first fragment
 * came, the sender hears ICMP time exceeded (fragment reassembly). Overlapping fragments drop
 * the queue (ReasmOverlaps), as Linux since 4.19 does.
 */
export class IpDefrag {
  private readonly queues = new Map<string, IpQueue>();
  static readonly FRAG_TIME_NS = 30 * SECOND;

  constructor(private readonly k: Kernel) {}

  /** Takes a fragment (data at its IPv4 header); returns the whole datagram when complete, else null. */
  defrag(skb: SkBuff): SkBuff | null {
    const k = this.k;
    const mib = k.mib.ip;
    mib.ReasmReqds++;
    const b = skb.buf;
    const nh = skb.data;
    const hlen = (b[nh] & 0x0f) * 4;
    const fragOff = (b[nh + 6] << 8) | b[nh + 7];
    const offset = (fragOff & IP_OFFSET) << 3;
    const len = skb.len - hlen;
    const key = `${b[nh + 9]} ${[12, 13, 14, 15, 16, 17, 18, 19, 4, 5].map((i) => b[nh + i]).join('.')}`;
    let q = this.queues.get(key);
    if (!q) {
      q = { pieces: [], head: null, total: -1, timer: -1 };
      const created = q;
      q.timer = k.timers.setup(() => this.expire(key, created));
      k.timers.mod(q.timer, k.now + IpDefrag.FRAG_TIME_NS);
      this.queues.set(key, q);
    }
    const end = offset + len;
    const bad =
      (!(fragOff & IP_MF) && q.total >= 0 && q.total !== end) ||
      (q.total >= 0 && end > q.total) ||
      q.pieces.some((p) => offset < p.offset + p.bytes.length && p.offset < end);
    const fates = k.machine.fates;
    if (bad) {
      k.ipExt.c.ReasmOverlaps++;
      mib.ReasmFails++;
      this.kill(key, q);
      fates.recordSkb(skb, k.now, FATE_HDR_ERROR);
      skb.free();
      return null;
    }
    if (!(fragOff & IP_MF)) q.total = end;
    const bytes = new Uint8Array(len);
    copyBytes(bytes, 0, b, nh + hlen, len);
    q.pieces.push({ offset, bytes });
    let have = 0;
    for (const p of q.pieces) have += p.bytes.length;
    const complete = q.total >= 0 && have === q.total && (offset === 0 || q.head !== null);
    // A fragment that waits (or waited) has done its part; the one completing the datagram
    // takes the datagram's fate, recorded where the whole is delivered.
    const last = complete ? skb : null;
    if (!complete) fates.recordSkb(skb, k.now, FATE_CONSUMED);
    if (offset === 0) q.head = skb;
    else if (!complete) skb.free();
    if (!complete) return null;
    // ip_frag_reasm: the first fragment's header, the payload in order, one datagram again.
    const head = q.head!;
    const hb = head.buf;
    const hh = head.data;
    const headLen = (hb[hh] & 0x0f) * 4;
    const whole = k.allocSkb(headLen + q.total);
    const at = whole.put(headLen + q.total);
    copyBytes(whole.buf, at, hb, hh, headLen);
    for (const p of q.pieces)
      copyBytes(whole.buf, at + headLen + p.offset, p.bytes, 0, p.bytes.length);
    const flags = ((hb[hh + 6] << 8) | hb[hh + 7]) & ~(IP_MF | IP_OFFSET);
    writeHeaderTail(whole.buf, at, headLen, headLen + q.total, flags);
    whole.networkHeader = at;
    whole.protocol = head.protocol;
    whole.pktType = head.pktType;
    whole.dev = last!.dev;
    whole.iif = last!.iif;
    whole.wireSeq = last!.wireSeq;
    whole.macHeader = head.macHeader >= 0 ? at : -1;
    q.head = null;
    head.free();
    if (last !== head) last!.free();
    this.kill(key, q);
    mib.ReasmOKs++;
    return whole;
  }

  private kill(key: string, q: IpQueue): void {
    this.k.timers.free(q.timer);
    q.head?.free();
    q.head = null;
    this.queues.delete(key);
  }

  /** `ip_expire` */
  private expire(key: string, q: IpQueue): void {
    const mib = this.k.mib.ip;
    mib.ReasmFails++;
    mib.ReasmTimeout++;
    if (q.head) this.k.icmp.send(q.head, ICMP_TIME_EXCEEDED, ICMP_EXC_FRAGTIME, 0);
    this.kill(key, q);
  }
}
