// Where each segment runs in the topology picture of a lab with several: every segment is a
// vertical line (a lane) left of the host cards, from its first station's tap to its last, and
// every interface's drop cable runs to its own segment's lane. Segments whose stretches do not
// overlap share a lane, so a chain of cables stays narrow. Pure: the SVG only draws this.

export interface LaneInput {
  name: string;
  /** The y of each station's tap (its interface row), in any order. */
  taps: number[];
}

export interface Lane {
  name: string;
  /** Which lane (0 is nearest the left edge) and its x. */
  lane: number;
  x: number;
  y1: number;
  y2: number;
}

/** The first lane's x, and the gap between lanes. */
export const LANE_X = 14;
export const LANE_GAP = 12;
/** Room between a lane and the next thing drawn (a segment with no station still gets a stub). */
const MIN_SPAN = 8;

/**
 * Lays the segments out in lanes, greedily by where each begins (interval colouring: the fewest
 * lanes for segments that overlap). A segment with no station is drawn as a short stub at `top`.
 */
export function layoutLanes(segments: readonly LaneInput[], top: number): Lane[] {
  const spans = segments.map((s) => {
    const y1 = s.taps.length > 0 ? Math.min(...s.taps) : top;
    const y2 = s.taps.length > 0 ? Math.max(...s.taps) : top;
    return { name: s.name, y1: y1 - 6, y2: Math.max(y2 + 6, y1 - 6 + MIN_SPAN) };
  });
  const order = spans.map((_, i) => i).sort((a, b) => spans[a].y1 - spans[b].y1 || a - b);
  /** Where each lane is free again (the bottom of the last segment in it). */
  const freeFrom: number[] = [];
  const lanes: Lane[] = new Array<Lane>(spans.length);
  for (const i of order) {
    const s = spans[i];
    let lane = freeFrom.findIndex((y) => y + LANE_GAP <= s.y1);
    if (lane < 0) lane = freeFrom.length;
    freeFrom[lane] = s.y2;
    lanes[i] = { name: s.name, lane, x: LANE_X + lane * LANE_GAP, y1: s.y1, y2: s.y2 };
  }
  return lanes;
}

/** How many lanes the layout uses. */
export function laneCount(lanes: readonly Lane[]): number {
  return lanes.reduce((n, l) => Math.max(n, l.lane + 1), 0);
}

/** A colour for the segment at `index` of the lab's list: distinct hues, readable on both themes. */
export function segmentHue(index: number): string {
  // The golden angle spreads any number of hues apart; 210° (the accent's blue) goes first.
  return `hsl(${Math.round((210 + index * 137.5) % 360)} 55% 50%)`;
}
