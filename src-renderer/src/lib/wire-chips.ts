// What each station shows of a frame on the wire, beside its interface on the topology: the
// sender its frame's label, a receiver its verdict in a word or two (the fate in full on hover).
import type { WireFrameView, WireStationView } from '../../../src-main/ipc/api';
import { fateDef } from '../../../src-main/lab/netdev/drop-reason';

/** ok: the station took it; drop: took it, then dropped it; filtered: its card kept it out. */
export type ChipTone = 'sender' | 'ok' | 'drop' | 'filtered' | 'missed' | 'pending';

export interface VerdictChip {
  text: string;
  tone: ChipTone;
  title: string;
}

/** Kernel drop stages, in fewer words (the drop-reason table's). */
const short = (fate: string) => fateDef(fate)?.short ?? fate;

/** What the sender's chip says before the label when the wire spoilt its frame. */
const SENT: Record<WireFrameView['outcome'], string> = {
  ok: '',
  'in flight': '',
  collision: '✗ collided: ',
  corrupted: 'corrupted: ',
  lost: 'lost: ',
};

/**
 * A bridge port's verdict, in a word: the frame went on through the bridge (`br0: flooded`), what
 * the user watches at a switch, rather than what the switch host's own stack made of its copy.
 */
const BRIDGED: [RegExp, string][] = [
  [/^([\w.-]+): flooded to /, 'flooded'],
  [/^([\w.-]+): fdb: its destination is behind /, 'forwarded'],
  [/^([\w.-]+): mdb: \S+ sent to /, 'to members'],
];

export function verdictChip(frame: WireFrameView, st: WireStationView): VerdictChip {
  const title = `frame ${frame.seq} (${frame.summary || 'bytes not kept'}): ${st.fate}: ${st.detail}`;
  const label = frame.summary || `frame ${frame.seq}`;
  if (st.verdict !== 'sent')
    for (const [pattern, word] of BRIDGED) {
      const m = pattern.exec(st.detail);
      if (m) return { text: `${m[1]}: ${word}`, tone: 'ok', title };
    }
  switch (st.verdict) {
    case 'sent':
      return {
        text: `${SENT[frame.outcome]}${label}`,
        tone: frame.outcome === 'collision' ? 'missed' : 'sender',
        title,
      };
    case 'filtered':
      return { text: 'filtered', tone: 'filtered', title };
    case 'taken':
      return { text: 'taken in', tone: 'ok', title };
    case 'delivered':
      return { text: short(st.fate), tone: 'ok', title };
    case 'dropped':
      return { text: `dropped: ${short(st.fate)}`, tone: 'drop', title };
    case 'down':
      return { text: short(st.fate), tone: 'missed', title };
    case 'missed':
      return { text: frame.outcome === 'lost' ? 'lost' : 'collision', tone: 'missed', title };
    case 'pending':
      return { text: 'on its way', tone: 'pending', title };
    default:
      return { text: '?', tone: 'pending', title };
  }
}

/** Width of a chip's text at 9.5px (as badgeWidth), and the text cut to fit `maxWidth`. */
export function fitChip(text: string, maxWidth: number): { text: string; width: number } {
  const width = (t: string) => Math.ceil(t.length * 6.1) + 10;
  if (width(text) <= maxWidth) return { text, width: width(text) };
  const chars = Math.max(1, Math.floor((maxWidth - 10) / 6.1) - 1);
  const cut = `${text.slice(0, chars)}…`;
  return { text: cut, width: width(cut) };
}
