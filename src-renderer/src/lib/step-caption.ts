// The caption's words for a frame step: each stepped frame's number, sender, label and how it
// ended. In a lab of several segments a step may end frames on any of them (a router's copy on
// its second LAN is a frame of its own), so each segment's frames are named by their segment.
import type { WireFrameView } from '../../../src-main/ipc/api';
import { formatDuration } from './format';

/** The frames one segment's store holds from a step, and when that step's frames arrived. */
export interface SteppedOn {
  segment: string;
  frames: readonly WireFrameView[];
  /** Simulated time of the push that brought them (segments stepped together share it). */
  atNs: number;
}

const ENDINGS: Record<WireFrameView['outcome'], string> = {
  ok: 'reached every station',
  collision: 'collided',
  corrupted: 'corrupted on the wire (bad FCS)',
  lost: 'lost on the wire',
  'in flight': 'on its way',
};

export function describeFrame(f: WireFrameView): string {
  const what = f.summary || 'bytes not kept';
  const time = f.endNs === null ? '' : `, ${formatDuration(f.endNs - f.startNs)} on the wire`;
  return `Frame ${f.seq} from ${f.sender}: ${what} — ${ENDINGS[f.outcome]}${time}`;
}

function describeFrames(frames: readonly WireFrameView[]): string {
  const last = frames[frames.length - 1];
  if (frames.length > 1 && frames.every((f) => f.outcome === 'collision'))
    return `${frames.length} frames collided: ${frames.map((f) => f.sender).join(', ')}`;
  const more = frames.length > 1 ? ` (and ${frames.length - 1} more on the wire)` : '';
  return describeFrame(last) + more;
}

/**
 * What the last step put on the wire: the segments whose frames came with the latest step, each
 * named when the lab has more than one (`named`), joined by " · "; '' when nothing was stepped.
 */
export function stepCaption(parts: readonly SteppedOn[], named: boolean): string {
  const held = parts.filter((p) => p.frames.length > 0);
  if (held.length === 0) return '';
  const latest = Math.max(...held.map((p) => p.atNs));
  return held
    .filter((p) => p.atNs === latest)
    .map((p) => (named ? `${p.segment}: ` : '') + describeFrames(p.frames))
    .join(' · ');
}
