import type { MacPort, Phy, PhyFrame } from '../drivers/phy';
import type { Segment } from './segment';
import type { TxGroup } from './tx-group';

export const ST_IDLE = 0;
/** Waiting for the inter-frame gap or a backoff to pass. */
export const ST_WAIT = 1;
/** Heard carrier; waits for the medium to fall idle. */
export const ST_DEFER = 2;
export const ST_TX = 3;
/** Detected a collision and is sending the jam signal. */
export const ST_JAM = 4;

/** One NIC's tap onto the segment: the `Phy` it sees, and its CSMA/CD state. */
export class Station implements Phy {
  plugged = true;
  state = ST_IDLE;
  /** The frame being sent; kept across collisions, since it is sent again. */
  frame: PhyFrame | null = null;
  /** Collisions this frame has met so far. */
  attempts = 0;
  /** Bumped to forget a scheduled end of transmission that a collision overtook. */
  gen = 0;
  txStart = 0;
  /** When this station hears another transmitter of its group. */
  detectAt = Infinity;
  /** When its last transmission (or jam) ended: the next waits an inter-frame gap. */
  lastTxEnd = -Infinity;
  group: TxGroup | null = null;

  constructor(
    readonly index: number,
    readonly mac: MacPort,
    private readonly segment: Segment,
  ) {}

  get carrier(): boolean {
    return this.plugged;
  }

  allocFrame(len?: number): PhyFrame {
    return this.segment.allocFrame(len);
  }

  transmit(frame: PhyFrame): void {
    this.segment.startTransmit(this, frame);
  }

  rxFilterChanged(): void {
    this.segment.rxVerdicts.invalidate();
  }

  takeRejects(): number {
    return this.segment.rxVerdicts.take(this.index);
  }
}
