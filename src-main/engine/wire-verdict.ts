// A station's fate of a wire frame (lab/follow.ts, in the Fate column's words) as the one-word
// verdict the topology colours it by (ipc/wire-view.ts).
import { FATES } from '../lab/netdev/drop-reason';
import type { WireVerdict } from '../ipc/wire-view';

const VERDICTS: Record<string, WireVerdict> = {
  sent: 'sent',
  'hardware filter': 'filtered',
  'card down': 'down',
  'cable unplugged': 'down',
  collision: 'missed',
  'lost on the wire': 'missed',
  'in flight': 'pending',
  queued: 'taken',
  delivered: 'delivered',
  'consumed by kernel': 'delivered',
  'to the outside': 'delivered',
  unknown: 'unknown',
};

// Every other stage a host records is, by the drop-reason table, taken or a drop after the card
// let the frame in.
for (const f of FATES) VERDICTS[f.name] ??= f.kind === 'ok' ? 'delivered' : 'dropped';

export function wireVerdict(fate: string): WireVerdict {
  return VERDICTS[fate] ?? 'unknown';
}

/** Whether a station's verdict may still change: the frame is on its way or waits in a queue. */
export function verdictSettled(verdict: WireVerdict): boolean {
  return verdict !== 'pending' && verdict !== 'taken';
}
