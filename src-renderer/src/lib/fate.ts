// A captured frame's fate, classified for colouring: what reached its goal, what a host's kernel
// or card dropped, and what the wire itself destroyed. Names are those of lab/netdev/fate.ts and
// the segment's outcomes (lab/capture/capture.ts).
import { FATES } from '../../../src-main/lab/netdev/drop-reason';

export type FateKind = 'ok' | 'drop' | 'wire' | 'unknown';

// The kernel's and the card's fates come from the one drop-reason table; the others are the
// wire's outcomes and what the follow panel says of a card that could not receive at all.
const OK = new Set([
  ...FATES.filter((f) => f.kind === 'ok').map((f) => f.name),
  'sent',
  'on the wire',
]);
const WIRE = new Set(['collision', 'corrupted (bad FCS)', 'lost on the wire']);
const DROPS = new Set([
  ...FATES.filter((f) => f.kind === 'drop').map((f) => f.name),
  'card down',
  'cable unplugged',
]);

/** The stage a fate names, without the socket: `delivered (socket 3)` is `delivered`. */
export function fateStage(fate: string): string {
  return fate.replace(/ \(socket \d+\)$/, '');
}

export function fateKind(fate: string): FateKind {
  const stage = fateStage(fate);
  if (OK.has(stage)) return 'ok';
  if (DROPS.has(stage)) return 'drop';
  if (WIRE.has(stage)) return 'wire';
  return 'unknown';
}

/** Whether the frame was lost (by a host or on the wire): such rows are drawn in red tones. */
export function isDropped(fate: string): boolean {
  const k = fateKind(fate);
  return k === 'drop' || k === 'wire';
}

/** The CSS class of a packet-list row: by fate first (drops in red), else by protocol. */
export function rowClass(protocol: string, fate: string): string {
  const kind = fateKind(fate);
  if (kind === 'drop') return 'row-drop';
  if (kind === 'wire') return 'row-wire';
  return `row-${protocolClass(protocol)}`;
}

/** Protocol colour families, after Wireshark's default colouring rules. */
export function protocolClass(protocol: string): string {
  if (protocol === 'ARP' || protocol === 'RARP' || protocol === 'Inverse ARP') return 'arp';
  if (protocol === 'ICMP') return 'icmp';
  if (protocol.startsWith('IGMP')) return 'igmp';
  if (protocol === 'UDP' || protocol === 'NETLAB') return 'udp';
  if (protocol === 'IPv4') return 'ip';
  return 'other';
}
