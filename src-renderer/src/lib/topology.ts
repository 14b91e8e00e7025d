// The topology picture's geometry and each interface's state badges. Pure: the SVG component
// only draws what this computes.

export type BadgeKind = 'up' | 'down' | 'flag' | 'mode';

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
}

export const HOST_HEADER = 24;
export const IFACE_ROW = 40;
export const HOST_GAP = 12;

/** Stacks the hosts down the segment, which runs vertically on the left. */
export function layoutHosts(hosts: readonly { name: string; interfaces: number }[]): {
  boxes: HostBox[];
  height: number;
} {
  let y = HOST_GAP;
  const boxes = hosts.map((h) => {
    const height = HOST_HEADER + Math.max(1, h.interfaces) * IFACE_ROW + 4;
    const box: HostBox = {
      name: h.name,
      y,
      height,
      ifaceY: Array.from({ length: h.interfaces }, (_, i) => y + HOST_HEADER + i * IFACE_ROW),
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
