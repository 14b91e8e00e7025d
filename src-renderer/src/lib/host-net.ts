// What the topology says of a host beyond its cards: that it is a switch (a Linux bridge over
// its cards, with its IGMP snooping state) or a router (ip_forward, and the routes it was given).
// Pure: the card draws the badges and lines this returns.
import type { HostNetView } from '../../../src-main/ipc/api';
import { wrapText } from './topology';

export interface NetBadge {
  text: string;
  kind: 'switch' | 'router' | 'off';
  title: string;
}

export interface NetLine {
  text: string;
  kind: 'bridge' | 'snooping' | 'route-head' | 'route';
  title: string;
}

/** Characters of 10px monospace across a host card. */
export const NET_LINE_CHARS = 38;
/** Height of one line under the interfaces, and the gap above the first. */
export const NET_LINE = 13;
export const NET_PAD = 4;
/** Routes listed at most under a card (then `+N more`). */
export const MAX_ROUTES = 3;

/**
 * The badges beside a host's name: `switch` when its kernel runs a bridge, `router` when it
 * forwards (ip_forward 1), and `ip_forward 0` for a host with addresses on two cards that does
 * not (it will not route between them: the exercise's first question).
 */
export function hostNetBadges(net: HostNetView, addressedCards: number): NetBadge[] {
  const out: NetBadge[] = [];
  if (net.bridges.length > 0)
    out.push({
      text: 'switch',
      kind: 'switch',
      title: `a Linux bridge (${net.bridges.map((b) => b.name).join(', ')}) forwards frames between its ports`,
    });
  if (net.ipForward)
    out.push({
      text: 'router',
      kind: 'router',
      title: 'net.ipv4.ip_forward = 1: it routes datagrams for other hosts',
    });
  else if (addressedCards >= 2)
    out.push({
      text: 'ip_forward 0',
      kind: 'off',
      title: 'net.ipv4.ip_forward = 0: it drops datagrams for other hosts (not a router)',
    });
  return out;
}

/** What snooping does with a group's frames now, in a few words. */
export function snoopingText(b: HostNetView['bridges'][number]): { text: string; title: string } {
  if (!b.snooping)
    return {
      text: 'IGMP snooping off: multicast floods',
      title: 'mcast_snooping 0: every multicast frame goes out every port',
    };
  const groups = `mdb ${b.mdbGroups}`;
  if (b.querierExists)
    return {
      text: `snooping on · querier ${b.querier ? 'on' : 'heard'} · ${groups}`,
      title: b.querier
        ? 'mcast_querier 1: the bridge queries, so it trusts its mdb and sends a group only to its members'
        : 'another querier was heard: the bridge trusts its mdb and sends a group only to its members',
    };
  if (b.querier)
    return {
      text: `querier starting: floods · ${groups}`,
      title:
        'mcast_querier 1, but Linux trusts its own querier only after a query response interval (10 s): it floods meanwhile',
    };
  return {
    text: `snooping, no querier: floods · ${groups}`,
    title:
      'no querier on the network: Linux does not trust the mdb and floods multicast to every port',
  };
}

/** The lines under a host's interfaces: each bridge (ports, snooping), then the routes it was given. */
export function hostNetLines(net: HostNetView): NetLine[] {
  const lines: NetLine[] = [];
  const wrap = (text: string, kind: NetLine['kind'], title: string) =>
    wrapText(text, NET_LINE_CHARS).forEach((t) => lines.push({ text: t, kind, title }));
  for (const b of net.bridges) {
    const ports = b.ports.length > 0 ? b.ports.map((p) => p.dev).join(' ') : 'no ports';
    wrap(
      `${b.name} ${b.up ? 'UP' : 'DOWN'} · ${ports}`,
      'bridge',
      `bridge ${b.name}: ${b.ports.map((p) => `${p.dev} ${p.state}`).join(', ') || 'no ports'}; ${b.fdbEntries} fdb entries`,
    );
    const s = snoopingText(b);
    wrap(s.text, 'snooping', s.title);
  }
  // Routes a user gave (the subnets of its own addresses go without saying).
  const given = net.routes.filter((r) => !r.includes('proto kernel'));
  if (given.length > 0) {
    lines.push({ text: 'ip route', kind: 'route-head', title: 'routes added to the main table' });
    for (const r of given.slice(0, MAX_ROUTES)) wrap(r, 'route', r);
    if (given.length > MAX_ROUTES)
      lines.push({ text: `+${given.length - MAX_ROUTES} more`, kind: 'route', title: '' });
  }
  return lines;
}

/** The height the lines take under the interfaces (0 when there are none). */
export function netLinesHeight(lines: readonly NetLine[]): number {
  return lines.length > 0 ? NET_PAD + lines.length * NET_LINE : 0;
}
