// Adding and removing hosts, cards, segments, bridges and routes. The lab is a built thing (cards
// registered, IRQs assigned, sockets joined), so an edit changes the lab's file form and builds
// it again: the clock starts over at 0, and the result is exactly what saving and reopening the
// lab gives. The edited file is validated like any other (the lab-file schema's rules, not a copy
// of them), so a host still named by a generator cannot be removed, and the error says why; an
// error inside the entry the request made (a route's gateway) names the request's own field.
import { formatPath, formatSpecErrors, type PathSegment } from '../lab/labfile/errors';
import { apiError } from '../ipc/errors';
import { validateLabData } from '../lab/labfile/load';
import { toLabData } from '../lab/labfile/save';
import { DEFAULT_SEGMENT_NAME, type LabSpec } from '../lab/labfile/schema';
import { noSuchDev } from '../lab/labfile/schema/cross-check';
import { ApiError } from '../ipc/protocol';
import type { OpParsedArgs } from '../ipc/ops';

type Data = Record<string, unknown>;
type IfaceData = { name: string; segment?: string } & Data;
type BridgeData = { name: string; ports: string[] } & Data;
type RouteData = { to: string; metric?: number } & Data;
type HostData = {
  name: string;
  interfaces?: IfaceData[];
  bridges?: BridgeData[];
  routes?: RouteData[];
  sysctl?: Record<string, number>;
} & Data;
type SegmentData = { name: string } & Data;
type LabData = { hosts: HostData[]; segment?: Data; segments?: SegmentData[] } & Data;

/**
 * Applies `edit` to the spec's file form; returns the new spec, or throws the validation errors.
 * `edit` may return where, in the file, the entry the request describes is: an error inside it
 * names the request's field (`hosts[2].routes[0].via` → `args.via`).
 */
function edited(spec: LabSpec, edit: (lab: LabData) => PathSegment[] | void): LabSpec {
  const data = toLabData(spec) as LabData;
  const at = edit(data);
  const r = validateLabData(data, spec.name ?? 'lab');
  if (r.errors) {
    const own = at && r.errors.find((e) => at.every((seg, i) => e.segments[i] === seg));
    const rest = own ? formatPath(own.segments.slice(at.length)) : '';
    throw new ApiError({
      code: 'invalid-lab',
      message: `the lab would not be valid:\n${formatSpecErrors(r.errors)}`,
      field: rest === '' ? 'args' : `args${rest.startsWith('[') ? '' : '.'}${rest}`,
      details: r.errors,
    });
  }
  return r.spec;
}

function hostIndex(lab: LabData, name: string): number {
  const i = lab.hosts.findIndex((h) => h.name === name);
  if (i < 0) throw apiError('not-found', `no host "${name}"`, 'args.host');
  return i;
}

function iface(name: string, nic: string, ip: string | undefined, segment?: string): IfaceData {
  return { name, nic, ...(ip === undefined ? {} : { ip }), ...(segment ? { segment } : {}) };
}

/** The names of the lab's segments (`segment` for a lab of one). */
function segmentNames(lab: LabData): string[] {
  return lab.segments ? lab.segments.map((s) => s.name) : [DEFAULT_SEGMENT_NAME];
}

/**
 * The segment a new card goes to: the one asked for, or the lab's only one. A lab of several
 * names one for every card (the file says which), so the request must too.
 */
function segmentFor(lab: LabData, segment: string | undefined): string | undefined {
  const names = segmentNames(lab);
  if (segment !== undefined) {
    if (!names.includes(segment))
      throw apiError(
        'not-found',
        `no segment "${segment}" (the segments are ${names.join(', ')})`,
        'args.segment',
      );
    return lab.segments ? segment : undefined;
  }
  if (names.length > 1)
    throw apiError(
      'bad-request',
      `the lab has ${names.length} segments (${names.join(', ')}): say which one the card's cable goes to`,
      'args.segment',
    );
  return lab.segments ? names[0] : undefined;
}

/**
 * The lab in the `segments:` form: a lab of one `segment:` becomes one named `segment` (as the
 * window and the captures already call it), and every card names it, as a lab of several must.
 */
function toSegmentList(lab: LabData): SegmentData[] {
  if (lab.segments) return lab.segments;
  lab.segments = [{ name: DEFAULT_SEGMENT_NAME, ...(lab.segment ?? {}) }];
  delete lab.segment;
  for (const h of lab.hosts) for (const i of h.interfaces ?? []) i.segment = DEFAULT_SEGMENT_NAME;
  return lab.segments;
}

function nicIndex(host: HostData, dev: string): number {
  const i = (host.interfaces ?? []).findIndex((x) => x.name === dev);
  if (i < 0) throw apiError('not-found', `${host.name} has no interface "${dev}"`, 'args.dev');
  return i;
}

const IP_FORWARD = 'net.ipv4.ip_forward';

export const topologyEdits = {
  'host.add': (spec: LabSpec, a: OpParsedArgs<'host.add'>) =>
    edited(spec, (lab) => {
      if (lab.hosts.some((h) => h.name === a.name))
        throw apiError('exists', `there is a host "${a.name}" already`, 'args.name');
      const segment = segmentFor(lab, a.segment);
      lab.hosts.push({
        name: a.name,
        interfaces: [iface('eth0', a.nic ?? 'hash64', a.ip, segment)],
      });
    }),

  'host.remove': (spec: LabSpec, a: OpParsedArgs<'host.remove'>) =>
    edited(spec, (lab) => {
      const i = lab.hosts.findIndex((h) => h.name === a.name);
      if (i < 0) throw apiError('not-found', `no host "${a.name}"`, 'args.name');
      lab.hosts.splice(i, 1);
    }),

  'nic.add': (spec: LabSpec, a: OpParsedArgs<'nic.add'>) =>
    edited(spec, (lab) => {
      const h = hostIndex(lab, a.host);
      const list = (lab.hosts[h].interfaces ??= []);
      let name = a.name;
      if (name === undefined) {
        let n = list.length;
        while (list.some((x) => x['name'] === `eth${n}`)) n++;
        name = `eth${n}`;
      }
      list.push(iface(name, a.nic ?? 'hash64', a.ip, segmentFor(lab, a.segment)));
      return ['hosts', h, 'interfaces', list.length - 1];
    }),

  'nic.remove': (spec: LabSpec, a: OpParsedArgs<'nic.remove'>) =>
    edited(spec, (lab) => {
      const host = lab.hosts[hostIndex(lab, a.host)];
      const list = host.interfaces ?? [];
      list.splice(nicIndex(host, a.dev), 1);
    }),

  /** Moves a card's cable to another segment (its MAC, address and bridge stay). */
  'nic.setSegment': (spec: LabSpec, a: OpParsedArgs<'nic.setSegment'>) =>
    edited(spec, (lab) => {
      const h = hostIndex(lab, a.host);
      const i = nicIndex(lab.hosts[h], a.dev);
      if (!segmentNames(lab).includes(a.segment))
        throw apiError(
          'not-found',
          `no segment "${a.segment}" (the segments are ${segmentNames(lab).join(', ')})`,
          'args.segment',
        );
      toSegmentList(lab);
      lab.hosts[h].interfaces![i].segment = a.segment;
      return ['hosts', h, 'interfaces', i];
    }),

  'segment.add': (spec: LabSpec, a: OpParsedArgs<'segment.add'>) =>
    edited(spec, (lab) => {
      if (segmentNames(lab).includes(a.name))
        throw apiError('exists', `there is a segment "${a.name}" already`, 'args.name');
      const list = toSegmentList(lab);
      const { name, rate, delay, duplex } = a;
      list.push({
        name,
        ...(rate === undefined ? {} : { rate }),
        ...(delay === undefined ? {} : { delay }),
        ...(duplex === undefined ? {} : { duplex }),
      });
      return ['segments', list.length - 1];
    }),

  /** Removes an empty segment; one with cards on it is refused, naming them. */
  'segment.remove': (spec: LabSpec, a: OpParsedArgs<'segment.remove'>) =>
    edited(spec, (lab) => {
      const names = segmentNames(lab);
      const i = names.indexOf(a.name);
      if (i < 0)
        throw apiError(
          'not-found',
          `no segment "${a.name}" (the segments are ${names.join(', ')})`,
          'args.name',
        );
      if (names.length === 1)
        throw apiError(
          'refused',
          `${a.name} is the lab's only segment: a lab needs one`,
          'args.name',
        );
      const cards = lab.hosts.flatMap((h) =>
        (h.interfaces ?? []).filter((x) => x.segment === a.name).map((x) => `${h.name}:${x.name}`),
      );
      if (cards.length > 0)
        throw apiError(
          'refused',
          `${a.name} has cards on it (${cards.join(', ')}): remove them or move them to another segment first`,
          'args.name',
        );
      lab.segments!.splice(i, 1);
    }),

  'bridge.add': (spec: LabSpec, a: OpParsedArgs<'bridge.add'>) =>
    edited(spec, (lab) => {
      const h = hostIndex(lab, a.host);
      const list = (lab.hosts[h].bridges ??= []);
      if (list.some((b) => b.name === a.name))
        throw apiError('exists', `${a.host} has a bridge "${a.name}" already`, 'args.name');
      const { name, ports, ip, mcastSnooping, querier } = a;
      list.push({
        name,
        ports: [...ports],
        ...(ip === undefined ? {} : { ip }),
        ...(mcastSnooping === undefined ? {} : { mcastSnooping }),
        ...(querier === undefined ? {} : { querier }),
      });
      return ['hosts', h, 'bridges', list.length - 1];
    }),

  /** Removes a bridge: its ports are plain cards again (a route through it must go first). */
  'bridge.remove': (spec: LabSpec, a: OpParsedArgs<'bridge.remove'>) =>
    edited(spec, (lab) => {
      const host = lab.hosts[hostIndex(lab, a.host)];
      const list = host.bridges ?? [];
      const i = list.findIndex((b) => b.name === a.name);
      if (i < 0) throw apiError('not-found', `${a.host} has no bridge "${a.name}"`, 'args.name');
      list.splice(i, 1);
      if (list.length === 0) delete host.bridges;
    }),

  /** net.ipv4.ip_forward in the host's `sysctl:` (off: the key goes, 0 being the kernel's default). */
  'host.setForwarding': (spec: LabSpec, a: OpParsedArgs<'host.setForwarding'>) =>
    edited(spec, (lab) => {
      const host = lab.hosts[hostIndex(lab, a.host)];
      const sysctl = (host.sysctl ??= {});
      if (a.on) sysctl[IP_FORWARD] = 1;
      else {
        // As writing ip_forward does in Linux, off turns every card's forwarding off too.
        for (const key of Object.keys(sysctl))
          if (key === IP_FORWARD || /^net\.ipv4\.conf\.[^.]+\.forwarding$/.test(key))
            delete sysctl[key];
        if (Object.keys(sysctl).length === 0) delete host.sysctl;
      }
    }),

  'route.add': (spec: LabSpec, a: OpParsedArgs<'route.add'>) =>
    edited(spec, (lab) => {
      const h = hostIndex(lab, a.host);
      const host = lab.hosts[h];
      // A device the host lacks is a name that finds nothing, as `host` is (the schema's words).
      const devs = [...(host.interfaces ?? []), ...(host.bridges ?? [])];
      if (a.dev !== undefined && !devs.some((d) => d.name === a.dev))
        throw apiError('not-found', noSuchDev(host.name, a.dev, devs), 'args.dev');
      const list = (host.routes ??= []);
      const { to, via, dev, metric } = a;
      list.push({
        to,
        ...(via === undefined ? {} : { via }),
        ...(dev === undefined ? {} : { dev }),
        ...(metric === undefined ? {} : { metric }),
      });
      return ['hosts', h, 'routes', list.length - 1];
    }),

  /** Removes the route to `to` (and `metric`, 0 unless given), as `ip route del` does. */
  'route.remove': (spec: LabSpec, a: OpParsedArgs<'route.remove'>) =>
    edited(spec, (lab) => {
      const host = lab.hosts[hostIndex(lab, a.host)];
      const list = host.routes ?? [];
      const to = a.to === '0.0.0.0/0' ? 'default' : a.to;
      const i = list.findIndex((r) => r.to === to && (r.metric ?? 0) === (a.metric ?? 0));
      if (i < 0)
        throw apiError(
          'not-found',
          `${a.host} has no route to ${a.to}${a.metric ? ` with metric ${a.metric}` : ''} in its lab file (it has ${list.map((r) => r.to + (r.metric ? ` metric ${r.metric}` : '')).join(', ') || 'none'})`,
          'args.to',
        );
      list.splice(i, 1);
      if (list.length === 0) delete host.routes;
    }),
};
