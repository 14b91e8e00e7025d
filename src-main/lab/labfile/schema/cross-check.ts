import { z } from 'zod';
import { formatIpv4, parseIpv4Prefix } from '../../wire/ipv4-addr';
import { formatPath, type PathSegment } from '../errors';
import { didYouMean } from '../suggest';
import { DEFAULT_MTU, DEFAULT_PAYLOAD_SIZE, IP_UDP_HEADERS, defaultMac } from './defaults';
import { type HostSpec } from './hosts';
import { DEFAULT_SEGMENT_NAME } from './segment';
import type { LabSpec } from '../schema';

// Checks across the file's sections (names, addresses, IRQs, what a generator or check names).

export function noSuchDev(host: string, dev: string, ifaces: readonly { name: string }[]): string {
  const names = ifaces.map((i) => i.name);
  return `${host} has no interface ${dev}${didYouMean(dev, names)} (it has ${names.join(', ') || 'none'})`;
}

export function crossCheck(spec: LabSpec, ctx: z.RefinementCtx): void {
  const add = (path: PathSegment[], message: string, at?: 'key') =>
    ctx.addIssue({ code: 'custom', path, message, ...(at ? { params: { at } } : {}) });

  const hosts = new Map<string, { index: number; host: HostSpec }>();
  spec.hosts.forEach((host, index) => {
    const first = hosts.get(host.name);
    if (first)
      add(
        ['hosts', index, 'name'],
        `duplicate host name "${host.name}" (also hosts[${first.index}])`,
      );
    else hosts.set(host.name, { index, host });
  });
  const hostList = () => [...hosts.keys()].join(', ');

  /** The host named `name`, or an error at `path`. */
  const findHost = (name: string, path: PathSegment[]) => {
    const h = hosts.get(name);
    if (!h)
      add(
        path,
        `unknown host "${name}"${didYouMean(name, hosts.keys())} (the hosts are ${hostList()})`,
      );
    return h?.host;
  };
  /** The interface `dev` of `host` (its first when `dev` is absent), or an error at `path`. */
  const findDev = (
    host: HostSpec,
    dev: string | undefined,
    path: PathSegment[],
    purpose: string,
  ) => {
    const ifaces = host.interfaces ?? [];
    if (dev === undefined) {
      if (ifaces.length === 0) add(path, `${host.name} has no interface ${purpose}`);
      return ifaces[0];
    }
    const iface = ifaces.find((i) => i.name === dev);
    if (!iface) add(path, noSuchDev(host.name, dev, ifaces));
    return iface;
  };

  // Segments: the one of `segment:` (named "segment"), or each of `segments:`.
  const segments = new Map<string, number>();
  if (spec.segments) {
    if (spec.segment)
      add(
        ['segment'],
        "give either segment: (the lab's only one) or segments: (several, each named), not both",
        'key',
      );
    spec.segments.forEach((seg, i) => {
      const first = segments.get(seg.name);
      if (first !== undefined)
        add(
          ['segments', i, 'name'],
          `duplicate segment name "${seg.name}" (also segments[${first}])`,
        );
      else segments.set(seg.name, i);
    });
  } else segments.set(DEFAULT_SEGMENT_NAME, 0);
  const segmentList = () => [...segments.keys()].join(', ');
  spec.hosts.forEach((host, h) => {
    (host.interfaces ?? []).forEach((iface, i) => {
      const path: PathSegment[] = ['hosts', h, 'interfaces', i];
      if (iface.segment === undefined) {
        if (segments.size > 1)
          add(
            path,
            `${host.name}:${iface.name} names no segment, and the lab has ${segments.size} (${segmentList()}): add segment: NAME`,
          );
      } else if (!segments.has(iface.segment))
        add(
          [...path, 'segment'],
          `no segment "${iface.segment}"${didYouMean(iface.segment, segments.keys())} (the segments are ${segmentList()})`,
        );
    });
  });

  // Bridges without STP: a loop among bridges and segments would storm; refuse one.
  checkBridgeLoops(spec, add);

  // Addresses must be unique in the lab, default MACs included.
  const macs = new Map<string, string>();
  const ips = new Map<number, string>();
  spec.hosts.forEach((host, h) => {
    (host.interfaces ?? []).forEach((iface, i) => {
      const where = `${host.name}:${iface.name}`;
      const mac = iface.mac ?? defaultMac(h, i);
      const macOwner = macs.get(mac);
      if (macOwner !== undefined) {
        const path: PathSegment[] = ['hosts', h, 'interfaces', i];
        if (iface.mac !== undefined) path.push('mac');
        add(
          path,
          `duplicate MAC ${mac}${iface.mac === undefined ? ' (its default)' : ''}: ${macOwner} has it too`,
        );
      } else macs.set(mac, where);
      if (iface.ip !== undefined) {
        const addr = parseIpv4Prefix(iface.ip)!.addr;
        const ipOwner = ips.get(addr);
        if (ipOwner !== undefined)
          add(
            ['hosts', h, 'interfaces', i, 'ip'],
            `duplicate address ${formatIpv4(addr)}: ${ipOwner} has it too`,
          );
        else ips.set(addr, where);
      }
    });
  });

  const genNames = new Map<string, number>();
  (spec.generators ?? []).forEach((g, i) => {
    const first = genNames.get(g.name);
    if (first !== undefined)
      add(
        ['generators', i, 'name'],
        `duplicate generator name "${g.name}" (also generators[${first}])`,
      );
    else genNames.set(g.name, i);
    const host = findHost(g.from.host, ['generators', i, 'from']);
    if (!host) return;
    const iface = findDev(host, g.from.dev, ['generators', i, 'from'], 'to send from');
    if (!iface) return;
    const where = `${host.name}:${iface.name}`;
    if (iface.ip === undefined)
      add(['generators', i, 'from'], `${where} has no ip address to send from`);
    const room = (iface.mtu ?? DEFAULT_MTU) - IP_UDP_HEADERS;
    const tooBig = (size: number, path: PathSegment[]) => {
      if (size > room)
        add(
          path,
          `a ${size}-byte payload${path.length === 2 ? ' (the default size)' : ''} does not fit ${where}'s MTU of ${iface.mtu ?? DEFAULT_MTU} (at most ${room} bytes after the IP and UDP headers; IP fragmentation is not modelled)`,
        );
    };
    if (Array.isArray(g.size)) g.size.forEach((s, j) => tooBig(s, ['generators', i, 'size', j]));
    else if (g.size !== undefined) tooBig(g.size, ['generators', i, 'size']);
    else tooBig(DEFAULT_PAYLOAD_SIZE, ['generators', i]);
  });

  const sinkKeys = new Map<string, string>();
  const checkSink = (
    host: HostSpec,
    port: number,
    group: string | undefined,
    path: PathSegment[],
  ) => {
    const key = `${host.name} ${port} ${group ?? ''}`;
    const first = sinkKeys.get(key);
    if (first !== undefined)
      add(
        path,
        `duplicate sink: ${host.name} already receives ${group ? `${group}:` : 'port '}${port} (${first})`,
      );
    else sinkKeys.set(key, formatPath(path));
  };
  spec.hosts.forEach((host, h) =>
    (host.join ?? []).forEach((j, i) => checkSink(host, j.port, j.group, ['hosts', h, 'join', i])),
  );
  (spec.sinks ?? []).forEach((s, i) => {
    const host = findHost(s.host, ['sinks', i, 'host']);
    if (!host) return;
    const path: PathSegment[] = ['sinks', i];
    if (findDev(host, s.dev, s.dev === undefined ? path : [...path, 'dev'], 'to receive on'))
      checkSink(host, s.port, s.group, path);
  });

  const captures = new Map<string, number>();
  (spec.captures ?? []).forEach((c, i) => {
    const key = c.kind === 'segment' ? (c.segment ?? 'segment') : `${c.host}:${c.dev}`;
    const first = captures.get(key);
    if (first !== undefined)
      add(['captures', i], `duplicate capture ${key} (also captures[${first}])`);
    else captures.set(key, i);
    if (c.kind === 'segment') {
      if (c.segment !== undefined && !segments.has(c.segment))
        add(
          ['captures', i],
          spec.segments
            ? `expected "HOST:DEV" such as h1:eth0, or a segment (${segmentList()}), got "${c.segment}"${didYouMean(c.segment, segments.keys())}`
            : `expected "HOST:DEV" such as h1:eth0, or "segment", got "${c.segment}"`,
        );
      return;
    }
    const host = findHost(c.host, ['captures', i]);
    if (host) findDev(host, c.dev, ['captures', i], 'to capture on');
  });

  const portNames = new Map<string, number>();
  const listens = new Map<string, number>();
  (spec.ports ?? []).forEach((p, i) => {
    const first = portNames.get(p.name);
    if (first !== undefined)
      add(['ports', i, 'name'], `duplicate port name "${p.name}" (also ports[${first}])`);
    else portNames.set(p.name, i);
    if (p.segment !== undefined && !segments.has(p.segment))
      add(
        ['ports', i, 'segment'],
        `no segment "${p.segment}"${didYouMean(p.segment, segments.keys())} (the segments are ${segmentList()})`,
      );
    const listen = `${p.listen.host}:${p.listen.port}`;
    const other = listens.get(listen);
    if (other !== undefined)
      add(['ports', i, 'listen'], `ports[${other}] listens on ${listen} too`);
    else listens.set(listen, i);
  });
}

/**
 * Segments and bridges make a graph (a bridge's port joins it to its card's segment); a cycle
 * is a loop that, without STP, floods forever. Union-find over the edges finds the first one.
 */
function checkBridgeLoops(
  spec: LabSpec,
  add: (path: PathSegment[], message: string) => void,
): void {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.has(r) && parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  const seg = (name: string) => `segment ${name}`;
  // Cards of one host that are not bridge ports connect nothing: only bridge ports are edges.
  spec.hosts.forEach((host, h) => {
    (host.bridges ?? []).forEach((br, b) => {
      const node = `bridge ${host.name}:${br.name}`;
      const via = new Map<string, string>();
      br.ports.forEach((port, i) => {
        const iface = (host.interfaces ?? []).find((x) => x.name === port);
        if (!iface) return;
        const s = iface.segment ?? spec.segments?.[0]?.name ?? DEFAULT_SEGMENT_NAME;
        const path: PathSegment[] = ['hosts', h, 'bridges', b, 'ports', i];
        const first = via.get(s);
        if (first !== undefined) {
          add(
            path,
            `${port} and ${first} are both on segment ${s}: a bridge with two ports on one segment is a loop, and without STP (not modelled) it would flood forever`,
          );
          return;
        }
        via.set(s, port);
        const a = find(node);
        const z = find(seg(s));
        if (a === z)
          add(
            path,
            `${host.name}:${br.name} port ${port} closes a loop through segment ${s} (it is already joined to ${br.name} by another bridge): without STP (not modelled) it would flood forever`,
          );
        else parent.set(a, z);
      });
    });
  });
}
