import { devQueueXmit } from '../netdev/dev-xmit';
import type { NetDevice } from '../netdev/net-device';
import type { EventHandler, Scheduler } from '../sim/scheduler';
import type { SkbPool } from '../skb/skb-pool';
import { NET_SKB_PAD } from '../skb/truesize';
import { ETH_HLEN, EthernetView } from '../wire/ethernet';

/** An EtherType from the range IEEE set aside for experiments. */
export const ETH_P_PKTGEN = 0x88b5;

export interface PktgenConfig {
  dest: Uint8Array;
  /** Bytes after the Ethernet header (before padding). */
  payload: number;
  /** Nanoseconds between frames. */
  interval: number;
  /** Frames to send; Infinity for no limit. */
  count: number;
}

/**
 * Like Linux's pktgen: puts raw frames straight onto a device's transmit
 * queue at a fixed interval, with no protocol stack above. It measures the
 * driver and the wire alone. Each frame carries its sequence number in the
 * first four payload bytes.
 */
export class Pktgen implements EventHandler {
  sent = 0;
  /** Frames the qdisc refused because it was full. */
  dropped = 0;
  private readonly handlerId: number;
  private running = false;

  constructor(
    private readonly sched: Scheduler,
    private readonly pool: SkbPool,
    private readonly dev: NetDevice,
    private readonly config: PktgenConfig,
  ) {
    if (!(config.interval > 0))
      throw new RangeError(`pktgen interval ${config.interval} ns must be > 0`);
    if (!(config.payload >= 4 && config.payload <= 9000)) {
      throw new RangeError(`pktgen payload ${config.payload} bytes must be 4..9000`);
    }
    this.handlerId = sched.register(this);
  }

  start(at = this.sched.now): void {
    if (this.running) return;
    this.running = true;
    this.sched.schedule(at, this.handlerId, 0);
  }

  stop(): void {
    this.running = false;
  }

  handleEvent(): void {
    if (!this.running) return;
    const { dest, payload, interval, count } = this.config;
    const skb = this.pool.alloc(NET_SKB_PAD + ETH_HLEN + payload);
    skb.reserve(NET_SKB_PAD + ETH_HLEN);
    const at = skb.put(payload);
    const seq = this.sent;
    skb.buf[at] = seq >>> 24;
    skb.buf[at + 1] = (seq >>> 16) & 0xff;
    skb.buf[at + 2] = (seq >>> 8) & 0xff;
    skb.buf[at + 3] = seq & 0xff;
    EthernetView.write(skb.buf, skb.push(ETH_HLEN), dest, this.dev.devAddr, ETH_P_PKTGEN);
    this.sent++;
    if (devQueueXmit(skb, this.dev) !== 0) this.dropped++;
    if (this.sent < count) this.sched.schedule(this.sched.now + interval, this.handlerId, 0);
    else this.running = false;
  }
}
