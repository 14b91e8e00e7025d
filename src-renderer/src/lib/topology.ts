// The topology picture's geometry and each interface's state badges. Pure: the SVG component
// only draws what this computes.

export type BadgeKind = 'up' | 'down' | 'flag' | 'mode' | 'port';

export interface Badge {
  text: string;
  kind: BadgeKind;
  title: string;
}

const MODE_TITLES: Record<string, string> = {
  none: 'no multicast filter programmed: multicast is refused',
  hash: '64-bin hash filter: some other groups pass too',
  perfect: 'perfect filter: exact addresses only',
  allmulti: 'the card accepts all multicast',
  promisc: 'the card accepts every frame',
};

/** UP or DOWN, then PROMISC and ALLMULTI when set, then the card's filter mode. */
export function ifaceBadges(flags: readonly string[], filterMode: string | null): Badge[] {
  const up = flags.includes('UP');
  const out: Badge[] = [
    up
      ? { text: 'UP', kind: 'up', title: 'IFF_UP: the interface is open' }
      : { text: 'DOWN', kind: 'down', title: 'the interface is down' },
  ];
  if (flags.includes('PROMISC'))
    out.push({ text: 'PROMISC', kind: 'flag', title: 'IFF_PROMISC: every frame is taken in' });
  if (flags.includes('ALLMULTI'))
    out.push({ text: 'ALLMULTI', kind: 'flag', title: 'IFF_ALLMULTI: all multicast is taken in' });
  if (filterMode)
    out.push({
      text: filterMode,
      kind: 'mode',
      title: `filter mode: ${MODE_TITLES[filterMode] ?? filterMode}`,
    });
  return out;
}

/** Approximate width of a badge drawn at 10px monospace-ish text. */
export function badgeWidth(text: string): number {
  return Math.ceil(text.length * 6.4) + 10;
}

export interface HostBox {
  name: string;
  y: number;
  height: number;
  /** The y of each interface's row (where its drop cable meets the card). */
  ifaceY: number[];
  /** Where the lines under the interfaces begin (a switch's bridge, a router's routes). */
  footY: number;
}

export const HOST_HEADER = 24;
export const IFACE_ROW = 40;
export const HOST_GAP = 12;

/**
 * Stacks the hosts down the segment, which runs vertically on the left; `extra` is the height of
 * what a card shows under its interfaces (its bridges and routes).
 */
export function layoutHosts(
  hosts: readonly { name: string; interfaces: number; extra?: number }[],
): {
  boxes: HostBox[];
  height: number;
} {
  let y = HOST_GAP;
  const boxes = hosts.map((h) => {
    const rows = HOST_HEADER + Math.max(1, h.interfaces) * IFACE_ROW;
    const height = rows + (h.extra ?? 0) + 4;
    const box: HostBox = {
      name: h.name,
      y,
      height,
      ifaceY: Array.from({ length: h.interfaces }, (_, i) => y + HOST_HEADER + i * IFACE_ROW),
      footY: y + rows,
    };
    y += height + HOST_GAP;
    return box;
  });
  return { boxes, height: y };
}

/** Utilisation over the last interval, from two (cumulative) samples. */
export function recentUtilisation(
  now: { utilisation: number; simTimeNs: number },
  before: { utilisation: number; simTimeNs: number } | null,
): number {
  if (!before || now.simTimeNs <= before.simTimeNs) return now.utilisation;
  const busy = now.utilisation * now.simTimeNs - before.utilisation * before.simTimeNs;
  return Math.min(1, Math.max(0, busy / (now.simTimeNs - before.simTimeNs)));
}

/** What the topology needs of an external port (the API's PortView). */
export interface PortLike {
  name: string;
  listen: string;
  remote: string;
  state: 'waiting' | 'opening' | 'open' | 'failed' | 'closed';
  error: string;
  counters: Record<string, number>;
}

export interface PortBox {
  name: string;
  y: number;
  height: number;
  /** Where its cable meets the segment. */
  tapY: number;
  /** `listen → remote`, on two lines when one is too narrow for it. */
  addresses: string[];
  /** Height of the name and address rows: the counters start below. */
  head: number;
  /** Whether the datagram/frame counters are drawn (not for a port that never opened). */
  counters: boolean;
  /** Lines under the counters: why it failed, or the error counters that are not zero. */
  notes: string[];
}

/** The name row (the address rows follow, PORT_NOTE each). */
export const PORT_NAME_ROW = 23;
/** The in/out table: its header and two rows (datagrams, frames). */
export const PORT_TABLE = 40;
export const PORT_NOTE = 13;
/** Characters of 10px monospace that fit across a port's box. */
export const PORT_NOTE_CHARS = 36;

/** The error counters, by the words the notes use for them. */
const PORT_ERRORS: [string, string][] = [
  ['malformed', 'malformed'],
  ['queueDrops', 'queue drops'],
  ['txErrors', 'tx errors'],
  ['wireErrors', 'wire errors'],
  ['sendErrors', 'send errors'],
  ['foreign', 'foreign'],
];

/** Wraps `text` at spaces into lines of at most `width` characters (longer words are cut). */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (let word of text.split(/\s+/).filter(Boolean)) {
    while (word.length > width) {
      if (line) lines.push(line);
      line = '';
      lines.push(word.slice(0, width));
      word = word.slice(width);
    }
    if (!line) line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** `127.0.0.1:7000 → 127.0.0.1:7001`, or split after the arrow when too long for the box. */
export function portAddresses(port: PortLike): string[] {
  const one = `${port.listen} → ${port.remote}`;
  return one.length <= PORT_NOTE_CHARS ? [one] : [`${port.listen} →`, port.remote];
}

/** A failed port's reason, wrapped; otherwise its non-zero error counters, as `malformed 2`. */
export function portNotes(port: PortLike): string[] {
  if (port.state === 'failed') return wrapText(port.error, PORT_NOTE_CHARS);
  const errors = PORT_ERRORS.filter(([key]) => (port.counters[key] ?? 0) > 0).map(
    ([key, label]) => `${label} ${port.counters[key]}`,
  );
  return errors.length > 0 ? wrapText(errors.join(' · '), PORT_NOTE_CHARS) : [];
}

/**
 * Stacks the external ports down the segment from `top`, below the hosts: each an outside machine
 * with its addresses, its counters and its notes.
 */
export function layoutPorts(
  top: number,
  ports: readonly PortLike[],
): { boxes: PortBox[]; height: number } {
  let y = top;
  const boxes = ports.map((p) => {
    const counters = p.state !== 'failed';
    const notes = portNotes(p);
    const addresses = portAddresses(p);
    const head = PORT_NAME_ROW + addresses.length * PORT_NOTE;
    const height = head + (counters ? PORT_TABLE : 0) + notes.length * PORT_NOTE + 6;
    const box: PortBox = {
      name: p.name,
      y,
      height,
      tapY: y + 14,
      addresses,
      head,
      counters,
      notes,
    };
    y += height + HOST_GAP;
    return box;
  });
  return { boxes, height: y };
}
