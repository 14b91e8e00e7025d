import type { NetDevice } from '../netdev/net-device';
import type { SkBuff } from '../skb/sk-buff';

/** Forwarded datagrams remembered per router, as the fate log keeps its records. */
const CAPACITY = 4096;

/** What a router did with one frame it forwarded, for the follow panel. */
export interface ForwardRecord {
  /** The TTL it left with (one less than it came with). */
  ttl: number;
  /** The card it left by. */
  out: string;
  /** The next hop: the route's gateway, or the destination itself. */
  nexthop: number;
  /** The buffer's id, which the frame it became on the next wire carries (`txSkbId`). */
  skbId: number;
}

/**
 * The last 4,096 datagrams a router forwarded, by the wire frame they came
 * in as and its card (the fate log's key), in typed arrays: no object per
 * datagram. `find` scans back from the newest (a follow asks about recent frames).
 */
export class ForwardLog {
  private readonly seq = new Float64Array(CAPACITY);
  private readonly iif = new Int32Array(CAPACITY);
  private readonly ttl = new Uint8Array(CAPACITY);
  private readonly nexthop = new Uint32Array(CAPACITY);
  private readonly skbId = new Float64Array(CAPACITY);
  private readonly out: string[] = new Array<string>(CAPACITY).fill('');
  private written = 0;

  /** Notes `skb` (its header at `networkHeader`, TTL already decremented) leaving by `out`. */
  note(skb: SkBuff, out: NetDevice, nexthop: number): void {
    const i = this.written++ & (CAPACITY - 1);
    this.seq[i] = skb.wireSeq;
    this.iif[i] = skb.iif;
    this.ttl[i] = skb.buf[skb.networkHeader + 8];
    this.nexthop[i] = nexthop;
    this.skbId[i] = skb.id;
    this.out[i] = out.name;
  }

  find(seq: number, iif: number): ForwardRecord | null {
    const n = Math.min(this.written, CAPACITY);
    for (let j = 1; j <= n; j++) {
      const i = (this.written - j) & (CAPACITY - 1);
      if (this.seq[i] === seq && (iif === 0 || this.iif[i] === iif)) {
        return {
          ttl: this.ttl[i],
          out: this.out[i],
          nexthop: this.nexthop[i],
          skbId: this.skbId[i],
        };
      }
    }
    return null;
  }
}
