import type { PhyFrame } from '../drivers/phy';
import type { Station } from './station';

/**
 * Transmissions that overlap on the wire: one station's frame, or several
 * that collided because each began before it could hear the others.
 */
export class TxGroup {
  readonly members: Station[] = [];
  /** Transmitters still sending or jamming. */
  active = 0;
  collided = false;
  firstStart = 0;
  /** When the first bit of the group reaches every station. */
  audibleFrom = 0;
  /** When the last transmitter stopped. */
  endAt = 0;
  /** The frame to deliver when the group was a single clean transmission. */
  frame: PhyFrame | null = null;
  sender: Station | null = null;
  live = false;

  constructor(readonly index: number) {}

  /** Until when the group's signal is on the wire somewhere. */
  audibleUntil(delay: number): number {
    return this.active > 0 ? Infinity : this.endAt + delay;
  }

  reset(): void {
    // Mostly one member: pop is cheaper than setting the length.
    while (this.members.length > 0) this.members.pop();
    this.active = 0;
    this.collided = false;
    this.frame = null;
    this.sender = null;
    this.live = false;
  }
}
