/**
 * What became of each of the last frames on the wire: who sent it, when it
 * started and ended, its destination and how it ended (delivered, collided,
 * corrupted, lost). A frame's number on the wire (`PhyFrame.seq`) is also what
 * every receiver's fate record and every capture of it carry, so this log is
 * where following one frame across the hosts starts.
 *
 * Numbers are consecutive, one per transmission attempt (a retry after a
 * collision is a new frame on the wire), so record `seq` lives in slot
 * `seq & (CAPACITY - 1)`: a write and a lookup are one index, no search.
 */

/** Still on the wire (or its group's last bit has yet to pass every station). */
export const WIRE_IN_FLIGHT = 4;

const CAPACITY = 1 << 16;

export interface WireRecord {
  seq: number;
  /** Station index (`Segment.stations`) of the sender. */
  sender: number;
  /** Simulated time its first bit went on the wire. */
  startTime: number;
  /** When it ended: for a delivered frame, when every station had it; NaN while in flight. */
  endTime: number;
  /** WIRE_OK, WIRE_COLLISION, WIRE_CORRUPTED, WIRE_LOST (segment.ts) or WIRE_IN_FLIGHT. */
  outcome: number;
  /** Destination MAC as a 48-bit key, as the receivers' filters read it (after any bit error). */
  destKey: number;
}

export class WireLog {
  private readonly seq = new Float64Array(CAPACITY);
  private readonly sender = new Int32Array(CAPACITY);
  private readonly start = new Float64Array(CAPACITY);
  private readonly end = new Float64Array(CAPACITY);
  private readonly outcome = new Uint8Array(CAPACITY);
  private readonly dest = new Float64Array(CAPACITY);
  /** The last frame begun. */
  private newest = 0;

  /** Frame `seq` went on the wire from station `sender` at `time`. */
  begin(seq: number, time: number, sender: number): void {
    this.newest = seq;
    const i = seq & (CAPACITY - 1);
    this.seq[i] = seq;
    this.sender[i] = sender;
    this.start[i] = time;
    this.end[i] = NaN;
    this.outcome[i] = WIRE_IN_FLIGHT;
  }

  /** Frame `seq` ended at `time` with `outcome`; `destKey` is what the receivers saw. */
  finish(seq: number, time: number, outcome: number, destKey: number): void {
    const i = seq & (CAPACITY - 1);
    if (this.seq[i] !== seq) return; // begun before the log was (cannot happen) or long forgotten
    this.end[i] = time;
    this.outcome[i] = outcome;
    this.dest[i] = destKey;
  }

  /** Frame `seq`'s outcome (WIRE_IN_FLIGHT until it ends), or -1 when the log does not hold it. */
  outcomeOf(seq: number): number {
    const i = seq & (CAPACITY - 1);
    return seq > 0 && this.seq[i] === seq ? this.outcome[i] : -1;
  }

  /**
   * The first frame station `sender` got through to `destKey` that began at `after` or later
   * (a bridge's copy of a frame, on the next wire), or 0 when the log holds none.
   */
  findFrom(sender: number, destKey: number, after: number): number {
    let found = 0;
    for (let seq = this.newest; seq > 0 && seq > this.newest - CAPACITY; seq--) {
      const i = seq & (CAPACITY - 1);
      if (this.seq[i] !== seq || this.start[i] < after) break;
      if (this.sender[i] === sender && this.outcome[i] === 0 && this.dest[i] === destKey)
        found = seq;
    }
    return found;
  }

  /** The record of frame `seq`, or null once 65,536 later frames have overwritten it. */
  find(seq: number): WireRecord | null {
    if (!(Number.isInteger(seq) && seq > 0)) return null;
    const i = seq & (CAPACITY - 1);
    if (this.seq[i] !== seq) return null;
    return {
      seq,
      sender: this.sender[i],
      startTime: this.start[i],
      endTime: this.end[i],
      outcome: this.outcome[i],
      destKey: this.dest[i],
    };
  }
}
