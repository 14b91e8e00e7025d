import { Document, isMap, isScalar, isSeq, Scalar } from 'yaml';
import { hex, LAB_KEYS, type CaptureSpec, type LabSpec, type SegmentSpec } from './schema';
import { formatBitRate, formatDuration, formatPacketRate, formatRate, formatSize } from './units';

/**
 * Writing a lab: the spec back in the file's form, with quantities in
 * readable units (2000 ns is `2us`, 1e8 bit/s is `100Mbps`), keys in the
 * schema's order and only the fields the spec has. Loading the text gives the
 * same spec again. Comments and anchors of the original file are not kept.
 */

export type LabFormat = 'yaml' | 'json';

type Data = Record<string, unknown>;

/** Drops undefined fields, so the output has only what the spec said. */
function compact(obj: Data): Data {
  const out: Data = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = v;
  return out;
}

const opt = <T, U>(v: T | undefined, f: (v: T) => U): U | undefined =>
  v === undefined ? undefined : f(v);

function captureText(c: CaptureSpec): string {
  return c.kind === 'segment' ? (c.segment ?? 'segment') : `${c.host}:${c.dev}`;
}

/**
 * The spec as plain data in the file's form (units as text): what a YAML or
 * JSON file holds, and what `validateLabData` accepts, so it can cross an IPC
 * boundary and be validated on the other side.
 */
function segmentData(s: SegmentSpec): Data {
  return compact({
    rate: opt(s.rate, formatBitRate),
    delay: opt(s.delay, formatDuration),
    duplex: s.duplex,
    faults: opt(s.faults, (f) => compact({ bitErrorRate: f.bitErrorRate, lossRate: f.lossRate })),
  });
}

export function toLabData(spec: LabSpec): Data {
  const out: Data = {
    name: spec.name,
    description: spec.description,
    seed: spec.seed,
    segment: opt(spec.segment, segmentData),
    segments: opt(spec.segments, (list) => list.map((s) => ({ name: s.name, ...segmentData(s) }))),
    hosts: spec.hosts.map((h) =>
      compact({
        name: h.name,
        cpu: opt(h.cpu, (c) => ({ perFrame: formatDuration(c.perFrame) })),
        sysctl: opt(h.sysctl, (s) => ({ ...s })),
        interfaces: opt(h.interfaces, (list) =>
          list.map((i) =>
            compact({
              name: i.name,
              nic: i.nic,
              driver: opt(i.driver, (d) => ({ file: d.file })),
              ip: i.ip,
              mac: i.mac,
              up: i.up,
              irq: i.irq,
              io: opt(i.io, hex),
              mtu: i.mtu,
              promisc: i.promisc,
              allmulti: i.allmulti,
              rxRing: i.rxRing,
              txRing: i.txRing,
              entries: i.entries,
              fallback: i.fallback,
              napiWeight: i.napiWeight,
              irqInterval: opt(i.irqInterval, formatDuration),
              copybreak: i.copybreak,
              txQueueLen: i.txQueueLen,
              segment: i.segment,
            }),
          ),
        ),
        bridges: opt(h.bridges, (list) =>
          list.map((b) =>
            compact({
              name: b.name,
              ports: [...b.ports],
              ip: b.ip,
              mcastSnooping: b.mcastSnooping,
              querier: b.querier,
              up: b.up,
            }),
          ),
        ),
        join: opt(h.join, (list) =>
          list.map((j) =>
            compact({
              group: j.group,
              port: j.port,
              dev: j.dev,
              readRate: opt(j.readRate, formatPacketRate),
            }),
          ),
        ),
        routes: opt(h.routes, (list) =>
          list.map((r) => compact({ to: r.to, via: r.via, dev: r.dev, metric: r.metric })),
        ),
      }),
    ),
    generators: opt(spec.generators, (list) =>
      list.map((g) =>
        compact({
          name: g.name,
          from: g.from.dev === undefined ? g.from.host : `${g.from.host}:${g.from.dev}`,
          to: `${g.to.ip}:${g.to.port}`,
          pattern: g.pattern,
          rate: opt(g.rate, formatRate),
          count: g.count,
          size: Array.isArray(g.size) ? [...g.size] : g.size,
          start: opt(g.start, formatDuration),
          stop: opt(g.stop, formatDuration),
          on: opt(g.on, formatDuration),
          off: opt(g.off, formatDuration),
        }),
      ),
    ),
    sinks: opt(spec.sinks, (list) =>
      list.map((s) =>
        compact({
          name: s.name,
          host: s.host,
          dev: s.dev,
          port: s.port,
          group: s.group,
          readRate: opt(s.readRate, formatPacketRate),
        }),
      ),
    ),
    captures: opt(spec.captures, (list) => list.map(captureText)),
    captureLimit: opt(spec.captureLimit, formatSize),
    ports: opt(spec.ports, (list) =>
      list.map((p) =>
        compact({
          name: p.name,
          listen: `${p.listen.host}:${p.listen.port}`,
          remote: `${p.remote.host}:${p.remote.port}`,
          segment: p.segment,
        }),
      ),
    ),
    exercise: opt(spec.exercise, (e) => copyData({ ...e, run: opt(e.run, formatDuration) })),
  } satisfies Record<(typeof LAB_KEYS)[number], unknown>;
  return compact(out);
}

/** A deep copy of plain data (the exercise's free-form part), so the output shares nothing with the spec. */
function copyData<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyData) as T;
  if (typeof value === 'object' && value !== null) {
    // fromEntries defines own properties, so even a key "__proto__" stays data.
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copyData(v)])) as T;
  }
  return value;
}

/** Writes `spec` as a YAML or JSON file that `parseLabSpec` reads back to an equal spec. */
export function saveLabSpec(spec: LabSpec, format: LabFormat): string {
  const data = toLabData(spec);
  if (format === 'json') return `${JSON.stringify(data, null, 2)}\n`;
  const doc = new Document(data);
  styleYaml(doc);
  return doc.toString({ lineWidth: 140, flowCollectionPadding: true });
}

/**
 * The layout of the example lab files: small maps (segment, cpu, sysctl, each
 * interface, join, generator and sink) on one line each, I/O bases in hex.
 */
function styleYaml(doc: Document): void {
  const flow = (node: unknown) => {
    if (isMap(node) || isSeq(node)) node.flow = true;
  };
  flow(doc.get('segment', true));
  flow(doc.get('captures', true));
  for (const key of ['segments', 'generators', 'sinks', 'ports']) {
    const list = doc.get(key, true);
    if (isSeq(list)) list.items.forEach(flow);
  }
  const hosts = doc.get('hosts', true);
  if (!isSeq(hosts)) return;
  for (const host of hosts.items) {
    if (!isMap(host)) continue;
    flow(host.get('cpu', true));
    flow(host.get('sysctl', true));
    for (const key of ['interfaces', 'join', 'bridges', 'routes']) {
      const list = host.get(key, true);
      if (!isSeq(list)) continue;
      flow(list);
      for (const item of list.items) {
        if (!isMap(item)) continue;
        const io = item.get('io', true);
        if (isScalar(io) && typeof io.value === 'string') {
          const n = new Scalar(Number(io.value));
          n.format = 'HEX';
          item.set('io', n);
        }
      }
    }
  }
}
