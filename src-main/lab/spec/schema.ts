import { z } from 'zod';
import { NIC_MODELS } from '../drivers/models';
import type { NicModelName, PerfectFallback } from '../drivers/nic-model';
import { Sysctls } from '../kernel/sysctl';
import { ROOT } from '../netdev/cred';
import {
  formatIpv4,
  isLoopbackIp,
  isMulticastIp,
  parseIpv4,
  parseIpv4Prefix,
  prefixToMask,
  subnetBroadcast,
} from '../wire/ipv4-addr';
import { formatMac, isMulticastEther, isZeroEther, macFromKey, parseMac } from '../wire/mac';
import { captureLimitError } from '../capture/capture-limit';
import { formatPath, type PathSegment } from './errors';
import { didYouMean } from './suggest';
import {
  BIT_RATE_EXAMPLES,
  describeValue,
  formatBitRate,
  formatDuration,
  parseBitRate,
  parseDuration,
  parsePacketRate,
  parseRate,
  parseSize,
  PPS_EXAMPLES,
  RATE_EXAMPLES,
  SIZE_EXAMPLES,
  type Parsed,
  type Rate,
} from './units';

/**
 * The schema of a lab file. The file is the input (units as text: `2us`,
 * `100Mbps`; addresses as text); the parsed `LabSpec` is the output, with
 * every quantity as a number in the lab's units (ns, bit/s, packets/s) and
 * absent fields left absent, so that saving writes back only what the file
 * said. Defaults are applied when the lab is built (build.ts).
 *
 * Checks come in layers. Each field's own check runs first. Checks within one
 * object (a NIC model and its IRQ lines, a generator's rate or count) then run
 * on the fields that passed. Checks across objects (duplicate names and
 * addresses, IRQ clashes, the host a generator names) run only on an object
 * whose parts are all well formed, so that one typo is reported once and not
 * again as everything it hid ("no interface eth0" after `intrefaces:`).
 */

// ---- messages -------------------------------------------------------------

/** Marks the message of an unknown-keys issue, which carries the known keys (see `validateSpecData`). */
const UNKNOWN_KEYS_TAG = '\u0000known-keys:';

/**
 * Cross-field checks run only on an object whose fields all passed theirs (an
 * unknown key included), so one typo does not also report what it hid.
 */
const CLEAN = { when: (payload: { issues: readonly unknown[] }) => payload.issues.length === 0 };

/**
 * Checks within one object run even when some of its fields failed (they skip
 * those: see `failedFields`), but not when the object is not a map at all.
 */
const LOCAL = {
  when: (payload: { issues: readonly { path?: readonly PropertyKey[]; code?: string }[] }) =>
    !payload.issues.some((i) => (i.path ?? []).length === 0 && i.code !== 'unrecognized_keys'),
};

/** The fields of the object being checked that did not parse (their values are still raw input). */
function failedFields(ctx: {
  issues: readonly { path?: readonly PropertyKey[] }[];
}): Set<PropertyKey> {
  return new Set(ctx.issues.flatMap((i) => (i.path && i.path.length > 0 ? [i.path[0]] : [])));
}

function expecting(what: string) {
  return (iss: { input?: unknown }): string =>
    iss.input === undefined
      ? `missing; expected ${what}`
      : `expected ${what}, got ${describeValue(iss.input)}`;
}

/** A field parsed by a function of ours, with its message when it fails. */
function parsed<T>(what: string, parse: (input: unknown) => Parsed<T>) {
  return z.unknown().transform((input, ctx): T => {
    if (input === undefined) {
      ctx.addIssue({ code: 'custom', message: `missing; expected ${what}` });
      return z.NEVER;
    }
    const r = parse(input);
    if ('error' in r) {
      ctx.addIssue({ code: 'custom', message: r.error });
      return z.NEVER;
    }
    return r.value;
  });
}

/** A strict map: a key the schema does not know is an error that names it. */
function strictMap<S extends z.ZodRawShape>(shape: S, what: string) {
  return z.strictObject(shape, {
    error: (iss) =>
      iss.code === 'unrecognized_keys'
        ? UNKNOWN_KEYS_TAG + JSON.stringify(Object.keys(shape))
        : expecting(what)(iss),
  });
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: expecting(`one of ${values.join(', ')}`) });
}

function int(min: number, max: number, what = `an integer from ${min} to ${max}`) {
  return z.number({ error: expecting(what) }).superRefine((v, ctx) => {
    if (!Number.isInteger(v) || v < min || v > max)
      ctx.addIssue({ code: 'custom', message: `expected ${what}, got ${v}` });
  });
}

function probability() {
  const what = 'a probability from 0 to 1';
  return z.number({ error: expecting(what) }).superRefine((v, ctx) => {
    if (!(v >= 0 && v <= 1))
      ctx.addIssue({ code: 'custom', message: `expected ${what}, got ${v}` });
  });
}

const bool = z.boolean({ error: expecting('true or false') });

function text(what: string, max = 4096) {
  return z
    .string({ error: expecting(what) })
    .max(max, { error: `expected at most ${max} characters` });
}

function list<T extends z.ZodType>(item: T, what: string, max: number) {
  return z
    .array(item, { error: expecting(`a list of ${what}`) })
    .max(max, { error: (iss) => `expected at most ${max} ${what}, got ${lengthOf(iss.input)}` });
}

const lengthOf = (v: unknown) => (Array.isArray(v) ? v.length : '?');

/** A duration between `min` and `max` ns. */
function duration(min: number, max: number, what = 'a duration') {
  const full = `${what} from ${formatDuration(min)} to ${formatDuration(max)}`;
  return parsed<number>(full, (input) => {
    const r = parseDuration(input);
    if ('error' in r) return r;
    if (r.value < min || r.value > max)
      return { error: `expected ${full}, got ${describeValue(input)}` };
    return r;
  });
}

// ---- names and addresses ---------------------------------------------------

const NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,31}$/;
const IFNAME = /^[A-Za-z][A-Za-z0-9_.-]{0,14}$/;

const hostName = parsed<string>('a host name such as h1', (input) => {
  const what = 'a host name such as h1 (a letter, then letters, digits, ".", "_" or "-")';
  if (typeof input !== 'string' || !NAME.test(input))
    return { error: `expected ${what}, got ${describeValue(input)}` };
  if (input === 'segment')
    return { error: 'the name "segment" is reserved (captures: [segment] means the wire)' };
  return { value: input };
});

function nameOf(what: string, pattern: RegExp, example: string) {
  return parsed<string>(`${what} such as ${example}`, (input) =>
    typeof input === 'string' && pattern.test(input)
      ? { value: input }
      : {
          error: `expected ${what} such as ${example} (a letter, then letters, digits, ".", "_" or "-"), got ${describeValue(input)}`,
        },
  );
}

const ifName = nameOf('an interface name', IFNAME, 'eth0');

/** `10.0.0.1/24`, a usable host address, with its prefix (required: /32 alone is rarely meant). */
const ifAddress = parsed<string>(
  'an IPv4 address with its prefix length, such as 10.0.0.1/24',
  (input) => {
    const what = 'an IPv4 address with its prefix length, such as 10.0.0.1/24';
    const p = typeof input === 'string' && input.includes('/') ? parseIpv4Prefix(input) : null;
    if (typeof input !== 'string' || !p)
      return { error: `expected ${what}, got ${describeValue(input)}` };
    const got = describeValue(input);
    if (p.addr === 0 || isMulticastIp(p.addr) || p.addr >>> 28 === 0xf || isLoopbackIp(p.addr))
      return { error: `expected a unicast host address such as 10.0.0.1/24, got ${got}` };
    if (p.prefix === 0) return { error: `expected a prefix length from 1 to 32, got ${got}` };
    const mask = prefixToMask(p.prefix);
    if (
      p.prefix <= 30 &&
      ((p.addr & ~mask) >>> 0 === 0 || subnetBroadcast(p.addr, mask) === p.addr)
    )
      return {
        error: `expected a host address, got ${got}, which is its subnet's ${(p.addr & ~mask) >>> 0 === 0 ? 'network' : 'broadcast'} address`,
      };
    return { value: `${formatIpv4(p.addr)}/${p.prefix}` };
  },
);

/** A card's own MAC: unicast, not all zeros; normalized to lower case with colons. */
const unicastMac = parsed<string>('a MAC address such as 02:00:00:00:00:02', (input) => {
  const mac = typeof input === 'string' ? parseMac(input) : null;
  if (!mac)
    return {
      error: `expected a MAC address such as 02:00:00:00:00:02, got ${describeValue(input)}`,
    };
  if (isMulticastEther(mac) || isZeroEther(mac))
    return {
      error: `expected a unicast MAC address (first byte even, not all zeros), got ${describeValue(input)}`,
    };
  return { value: formatMac(mac) };
});

const multicastGroup = parsed<string>('a multicast group such as 239.1.1.1', (input) => {
  const addr = typeof input === 'string' ? parseIpv4(input) : null;
  if (addr === null || !isMulticastIp(addr))
    return {
      error: `expected a multicast group (224.0.0.0 to 239.255.255.255) such as 239.1.1.1, got ${describeValue(input)}`,
    };
  return { value: formatIpv4(addr) };
});

const port = int(1, 65535, 'a port from 1 to 65535');

/** `239.1.1.1:5000` → { ip: '239.1.1.1', port: 5000 }. */
const destination = parsed<{ ip: string; port: number }>(
  'a destination ADDRESS:PORT such as 239.1.1.1:5000',
  (input) => {
    const what = 'a destination ADDRESS:PORT such as 239.1.1.1:5000';
    const m = typeof input === 'string' ? /^([^:]+):(\d{1,6})$/.exec(input.trim()) : null;
    const addr = m ? parseIpv4(m[1]) : null;
    if (!m || addr === null) return { error: `expected ${what}, got ${describeValue(input)}` };
    if (addr === 0)
      return {
        error: `expected a destination address other than 0.0.0.0, got ${describeValue(input)}`,
      };
    const p = Number(m[2]);
    if (p < 1 || p > 65535)
      return { error: `expected a port from 1 to 65535, got ${p} in ${describeValue(input)}` };
    return { value: { ip: formatIpv4(addr), port: p } };
  },
);

/**
 * A UDP address of an external port: `127.0.0.1:7000`, or a port alone
 * (`7000`) for 127.0.0.1. Only an address written out listens elsewhere.
 */
const udpAddress = parsed<{ host: string; port: number }>(
  'ADDRESS:PORT such as 127.0.0.1:7000',
  (input) => {
    const what = 'ADDRESS:PORT such as 127.0.0.1:7000, or a port';
    const text = typeof input === 'number' ? String(input) : input;
    const m = typeof text === 'string' ? /^(?:([^:]+):)?(\d{1,6})$/.exec(text.trim()) : null;
    const addr = m ? parseIpv4(m[1] ?? '127.0.0.1') : null;
    if (!m || addr === null) return { error: `expected ${what}, got ${describeValue(input)}` };
    const p = Number(m[2]);
    if (p < 1 || p > 65535) {
      const where = m[1] === undefined ? '' : ` in ${describeValue(input)}`;
      return { error: `expected a port from 1 to 65535, got ${p}${where}` };
    }
    return { value: { host: formatIpv4(addr), port: p } };
  },
);

/** `h0` or `h0:eth1`. */
const endpoint = parsed<{ host: string; dev?: string }>(
  'a host such as h0, or HOST:DEV such as h0:eth1',
  (input) => {
    const what = 'a host such as h0, or HOST:DEV such as h0:eth1';
    if (typeof input !== 'string')
      return { error: `expected ${what}, got ${describeValue(input)}` };
    const [host, dev, ...rest] = input.split(':');
    if (rest.length > 0 || !NAME.test(host) || (dev !== undefined && !IFNAME.test(dev)))
      return { error: `expected ${what}, got ${describeValue(input)}` };
    return { value: dev === undefined ? { host } : { host, dev } };
  },
);

export type CaptureSpec = { kind: 'segment' } | { kind: 'device'; host: string; dev: string };

const capture = parsed<CaptureSpec>('"HOST:DEV" such as h1:eth0, or "segment"', (input) => {
  const what = '"HOST:DEV" such as h1:eth0, or "segment"';
  if (input === 'segment') return { value: { kind: 'segment' } };
  const m = typeof input === 'string' ? /^([^:]+):([^:]+)$/.exec(input) : null;
  if (!m || !NAME.test(m[1]) || !IFNAME.test(m[2]))
    return { error: `expected ${what}, got ${describeValue(input)}` };
  return { value: { kind: 'device', host: m[1], dev: m[2] } };
});

/** An I/O base: a number (YAML reads 0x300 as one) or a string "0x300". */
const ioBase = parsed<number>('an I/O base address such as 0x300', (input) => {
  let v = NaN;
  if (typeof input === 'number') v = input;
  else if (typeof input === 'string' && /^(0x[0-9a-f]{1,8}|\d{1,10})$/i.test(input.trim()))
    v = Number(input.trim());
  if (!Number.isInteger(v) || v < 0 || v > 0xffff)
    return { error: `expected an I/O base address such as 0x300, got ${describeValue(input)}` };
  return { value: v };
});

export const hex = (n: number) => `0x${n.toString(16)}`;

// ---- rates and sizes --------------------------------------------------------

const MAX_PPS = 1e8;
const MAX_BPS = 1e11;

const rate = parsed(`a rate ${RATE_EXAMPLES}`, (input): Parsed<Rate> => {
  const r = parseRate(input);
  if ('error' in r) return r;
  const v = r.value;
  if ('pps' in v ? v.pps > MAX_PPS : v.bitsPerSecond > MAX_BPS)
    return { error: `expected a rate up to 100Mpps or 100Gbps, got ${describeValue(input)}` };
  return r;
});

const readRate = parsed<number>(`a packet rate ${PPS_EXAMPLES}`, (input) => {
  const r = parsePacketRate(input);
  if ('error' in r) return r;
  if (r.value > MAX_PPS)
    return { error: `expected a packet rate up to 100Mpps, got ${describeValue(input)}` };
  return r;
});

const segmentRate = parsed<number>(`a bit rate ${BIT_RATE_EXAMPLES}`, (input) => {
  const r = parseBitRate(input);
  if ('error' in r) return r;
  if (r.value > MAX_BPS)
    return {
      error: `expected a bit rate up to ${formatBitRate(MAX_BPS)}, got ${describeValue(input)}`,
    };
  return r;
});

/** A capture's memory budget (`captureLimit: 64MiB`): see capture/capture-limit.ts. */
const captureLimit = parsed<number>(`a size ${SIZE_EXAMPLES}`, (input) => {
  const r = parseSize(input);
  if ('error' in r) return r;
  if (captureLimitError(r.value) !== null)
    return {
      error: `expected a capture limit from 1MiB to 4GiB, got ${describeValue(input)}`,
    };
  return r;
});

/** The largest UDP payload IPv4 allows. */
export const MAX_UDP_PAYLOAD = 65507;
const MAX_SIZES = 1024;

/** A UDP payload size in bytes, or a list of them (used in turn). */
const sizes = z.unknown().transform((input, ctx): number | number[] => {
  const what = `a payload size in bytes from 0 to ${MAX_UDP_PAYLOAD}, or a list of them`;
  const ok = (v: unknown) =>
    Number.isInteger(v) && (v as number) >= 0 && (v as number) <= MAX_UDP_PAYLOAD;
  if (Array.isArray(input)) {
    if (input.length === 0 || input.length > MAX_SIZES) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a list of 1 to ${MAX_SIZES} sizes, got ${input.length}`,
      });
      return z.NEVER;
    }
    let bad = false;
    input.forEach((v, i) => {
      if (!ok(v)) {
        bad = true;
        ctx.addIssue({
          code: 'custom',
          path: [i],
          message: `expected a size in bytes from 0 to ${MAX_UDP_PAYLOAD}, got ${describeValue(v)}`,
        });
      }
    });
    return bad ? z.NEVER : (input as number[]);
  }
  if (!ok(input)) {
    ctx.addIssue({
      code: 'custom',
      message:
        input === undefined
          ? `missing; expected ${what}`
          : `expected ${what}, got ${describeValue(input)}`,
    });
    return z.NEVER;
  }
  return input as number;
});

// ---- sysctl -------------------------------------------------------------------

/** The range the kernel accepts for `name`, found by asking a scratch table (sysctl.ts keeps it private). */
function sysctlRange(name: string): [number, number] {
  const probe = new Sysctls();
  const def = probe.get(name);
  const valid = (v: number) => probe.set(name, v, ROOT) === 0;
  let lo = -0x80000000;
  let hi = def;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (valid(mid)) hi = mid;
    else lo = mid + 1;
  }
  const min = lo;
  lo = def;
  hi = 0x7fffffff;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (valid(mid)) lo = mid;
    else hi = mid - 1;
  }
  return [min, lo];
}

const sysctlMap = z.unknown().transform((input, ctx): Record<string, number> => {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    ctx.addIssue({
      code: 'custom',
      message: `expected a map of sysctl names to values, such as { net.core.rmem_default: 212992 }, got ${describeValue(input)}`,
    });
    return z.NEVER;
  }
  const probe = new Sysctls();
  const out: Record<string, number> = {};
  let bad = false;
  for (const [name, value] of Object.entries(input)) {
    if (!probe.has(name)) {
      bad = true;
      const hint = didYouMean(name, probe.names()) || `; known: ${probe.names().join(', ')}`;
      ctx.addIssue({
        code: 'custom',
        path: [name],
        params: { at: 'key' },
        message: `unknown sysctl "${name}"${hint}`,
      });
      continue;
    }
    if (typeof value !== 'number' || probe.set(name, value, ROOT) !== 0) {
      bad = true;
      const [min, max] = sysctlRange(name);
      ctx.addIssue({
        code: 'custom',
        path: [name],
        message: `expected an integer from ${min} to ${max}, got ${describeValue(value)}`,
      });
      continue;
    }
    out[name] = value;
  }
  return bad ? z.NEVER : out;
});

// ---- the lab's parts ----------------------------------------------------------

export const NIC_NAMES = [
  'nofilter',
  'hash64',
  'perfect',
  'promisc-only',
] as const satisfies readonly NicModelName[];

const RING = 'a power of two from 8 to 4096';
const ring = int(8, 4096, RING).superRefine((v, ctx) => {
  if ((v & (v - 1)) !== 0) ctx.addIssue({ code: 'custom', message: `expected ${RING}, got ${v}` });
});

const interfaceSchema = strictMap(
  {
    name: ifName,
    nic: oneOf(NIC_NAMES),
    ip: ifAddress.optional(),
    mac: unicastMac.optional(),
    up: bool.optional(),
    irq: int(0, 15, 'an IRQ line from 0 to 15').optional(),
    io: ioBase.optional(),
    mtu: int(68, 65535, 'an MTU from 68 to 65535').optional(),
    promisc: bool.optional(),
    allmulti: bool.optional(),
    rxRing: ring.optional(),
    txRing: ring.optional(),
    entries: int(8, 16, '8 or 16')
      .superRefine((v, ctx) => {
        if (v !== 8 && v !== 16)
          ctx.addIssue({ code: 'custom', message: `expected 8 or 16, got ${v}` });
      })
      .optional(),
    fallback: oneOf(['hash', 'allmulti'] as const satisfies readonly PerfectFallback[]).optional(),
    napiWeight: int(1, 1024).optional(),
    irqInterval: duration(0, 10e6, 'an interrupt interval').optional(),
    copybreak: int(0, 65535).optional(),
    txQueueLen: int(0, 1_000_000).optional(),
  },
  'an interface such as { name: eth0, nic: hash64, ip: 10.0.0.1/24 }',
).superRefine((iface, ctx) => {
  const failed = failedFields(ctx);
  if (failed.has('nic')) return;
  const model = NIC_MODELS[iface.nic];
  const ok = (field: keyof typeof iface) => iface[field] !== undefined && !failed.has(field);
  const add = (field: string, message: string) =>
    ctx.addIssue({ code: 'custom', path: [field], message });
  if (ok('irq') && !model.irqs.includes(iface.irq!))
    add(
      'irq',
      `expected an IRQ line a ${model.name} card can use (${model.irqs.join(', ')}), got ${iface.irq}`,
    );
  if (ok('io') && !model.ioBases.includes(iface.io!))
    add(
      'io',
      `expected an I/O base a ${model.name} card can use (${model.ioBases.map(hex).join(', ')}), got ${hex(iface.io!)}`,
    );
  if (ok('mtu') && iface.mtu! > model.maxMtu)
    add(
      'mtu',
      `expected an MTU from 68 to ${model.maxMtu} (the most a ${model.name} card takes), got ${iface.mtu}`,
    );
  for (const field of ['entries', 'fallback'] as const) {
    if (ok(field) && iface.nic !== 'perfect')
      add(field, `${field} applies only to nic: perfect, and this is a ${iface.nic}`);
  }
}, LOCAL);

export type InterfaceSpec = z.output<typeof interfaceSchema>;

const joinSchema = strictMap(
  {
    group: multicastGroup,
    port,
    dev: ifName.optional(),
    readRate: readRate.optional(),
  },
  'a group to join such as { group: 239.1.1.1, port: 5000 }',
);

export type JoinSpec = z.output<typeof joinSchema>;

const MAX_INTERFACES = 16;
const MAX_JOINS = 256;

const hostSchema = strictMap(
  {
    name: hostName,
    cpu: strictMap(
      { perFrame: duration(0, 1e9, 'a CPU cost per frame') },
      'a map such as { perFrame: 2us }',
    ).optional(),
    sysctl: sysctlMap.optional(),
    interfaces: list(interfaceSchema, 'interfaces', MAX_INTERFACES).optional(),
    join: list(joinSchema, 'groups to join', MAX_JOINS).optional(),
  },
  'a host such as { name: h1, interfaces: [...] }',
).superRefine((host, ctx) => {
  const ifaces = host.interfaces ?? [];
  const seen = new Map<string, number>();
  ifaces.forEach((iface, i) => {
    const first = seen.get(iface.name);
    if (first !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['interfaces', i, 'name'],
        message: `duplicate interface name "${iface.name}" (also interfaces[${first}])`,
      });
    else seen.set(iface.name, i);
  });
  // ISA lines are not shared: two cards that are up on one line make the second open fail.
  const irqs = effectiveIrqs(ifaces);
  const holder = new Map<number, number>();
  ifaces.forEach((iface, i) => {
    if (iface.up === false) return;
    const first = holder.get(irqs[i]);
    if (first === undefined) {
      holder.set(irqs[i], i);
      return;
    }
    const model = NIC_MODELS[iface.nic];
    const others = model.irqs.filter((q) => ![...holder.keys()].includes(q));
    ctx.addIssue({
      code: 'custom',
      path: iface.irq !== undefined ? ['interfaces', i, 'irq'] : ['interfaces', i],
      message:
        `irq ${irqs[i]}${iface.irq === undefined ? ' (its default)' : ''} is taken by ${ifaces[first].name}, and ISA lines are not shared, so opening ${iface.name} would fail: ` +
        (others.length > 0
          ? `give it another irq (${others.join(', ')}) or up: false`
          : 'set up: false'),
    });
  });
  (host.join ?? []).forEach((j, i) => {
    if (ifaces.length === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['join', i],
        message: `${host.name} has no interface to join ${j.group} on`,
      });
    else if (j.dev !== undefined && !seen.has(j.dev))
      ctx.addIssue({
        code: 'custom',
        path: ['join', i, 'dev'],
        message: noSuchDev(host.name, j.dev, ifaces),
      });
  });
}, CLEAN);

export type HostSpec = z.output<typeof hostSchema>;

const PATTERNS = ['cbr', 'poisson', 'onoff'] as const;
export type Pattern = (typeof PATTERNS)[number];

/** A million seconds (11.6 days) of simulated time. */
const MAX_TIME = 1e15;

const generatorSchema = strictMap(
  {
    name: nameOf('a generator name', NAME, 'flood'),
    from: endpoint,
    to: destination,
    pattern: oneOf(PATTERNS).optional(),
    rate: rate.optional(),
    count: int(1, 1e12, 'a count from 1 to 1000000000000').optional(),
    size: sizes.optional(),
    start: duration(0, MAX_TIME, 'a start time').optional(),
    stop: duration(0, MAX_TIME, 'a stop time').optional(),
    on: duration(1, MAX_TIME, 'an on time').optional(),
    off: duration(1, MAX_TIME, 'an off time').optional(),
  },
  'a generator such as { name: flood, from: h0, to: "239.1.1.1:5000", rate: 1000pps }',
).superRefine((g, ctx) => {
  const failed = failedFields(ctx);
  if (g.rate === undefined && g.count === undefined && !failed.has('rate') && !failed.has('count'))
    ctx.addIssue({
      code: 'custom',
      message: `missing; expected rate (${RATE_EXAMPLES}) or count`,
    });
  if (!failed.has('pattern')) {
    const pattern = g.pattern ?? 'cbr';
    if (pattern === 'onoff') {
      const missing = (['on', 'off'] as const).filter((f) => g[f] === undefined && !failed.has(f));
      if (missing.length > 0)
        ctx.addIssue({
          code: 'custom',
          message: `missing ${missing.join(' and ')}; pattern onoff needs on and off durations such as on: 10ms, off: 90ms`,
        });
    } else {
      for (const field of ['on', 'off'] as const) {
        if (g[field] !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: [field],
            message: `${field} applies only to pattern: onoff, and this is ${pattern}`,
          });
      }
    }
  }
  if (
    g.stop !== undefined &&
    !failed.has('stop') &&
    !failed.has('start') &&
    g.stop <= (g.start ?? 0)
  )
    ctx.addIssue({
      code: 'custom',
      path: ['stop'],
      message: `expected a stop time after the start (${formatDuration(g.start ?? 0)}), got ${formatDuration(g.stop)}`,
    });
}, LOCAL);

export type GeneratorSpec = z.output<typeof generatorSchema>;

const sinkSchema = strictMap(
  {
    name: nameOf('a sink name', NAME, 'rx1').optional(),
    host: hostName,
    dev: ifName.optional(),
    port,
    group: multicastGroup.optional(),
    readRate: readRate.optional(),
  },
  'a sink such as { host: h1, port: 5000 }',
);

export type SinkSpec = z.output<typeof sinkSchema>;

/**
 * An external port: the segment's frames as UDP datagrams (one frame each),
 * listening on `listen` and sending to `remote`. The CLI and the app's engine
 * open them (src-main/net); the lab itself knows nothing of sockets.
 */
const portSchema = strictMap(
  {
    name: nameOf('a port name', NAME, 'qemu'),
    listen: udpAddress,
    remote: udpAddress,
  },
  'a port such as { name: qemu, listen: 127.0.0.1:7000, remote: 127.0.0.1:7001 }',
);

export type PortSpec = z.output<typeof portSchema>;

const segmentSchema = strictMap(
  {
    rate: segmentRate.optional(),
    delay: duration(0, 1e6, 'a propagation delay').optional(),
    duplex: oneOf(['half', 'full']).optional(),
    faults: strictMap(
      { bitErrorRate: probability().optional(), lossRate: probability().optional() },
      'a map such as { bitErrorRate: 1e-6, lossRate: 0.01 }',
    ).optional(),
  },
  'a map such as { rate: 100Mbps, delay: 500ns, duplex: half }',
);

export type SegmentSpec = z.output<typeof segmentSchema>;

const CHECK_OPS = [
  'equals',
  'notEquals',
  'gt',
  'gte',
  'lt',
  'lte',
  'contains',
  'notContains',
] as const;
const scalar = z.union([z.number(), z.string(), z.boolean()], {
  error: expecting('a number, a text or true/false'),
});
const number = z.number({ error: expecting('a number') });

const QUESTION_ID = /^[a-z][a-z0-9-]{0,31}$/;
const questionId = parsed<string>(
  'a question id such as bin (lower-case letters, digits, "-")',
  (input) =>
    typeof input === 'string' && QUESTION_ID.test(input)
      ? { value: input }
      : {
          error: `expected a question id such as bin (lower-case letters, digits, "-"), got ${describeValue(input)}`,
        },
);

/** How far a number answer may be from the right one: an absolute amount, or `10%` of it. */
const tolerance = parsed<number | string>('a tolerance such as 5 or "10%"', (input) => {
  if (typeof input === 'number' && input >= 0) return { value: input };
  if (typeof input === 'string' && /^\d+(\.\d+)?%$/.test(input)) return { value: input };
  return { error: `expected a tolerance such as 5 or "10%", got ${describeValue(input)}` };
});

/**
 * One answer field of an exercise. Graded either against a fixed `answer` (a diagnosis) or
 * against what the run measures at `measure` (a prediction), within `tolerance` for numbers.
 */
const questionSchema = strictMap(
  {
    id: questionId,
    prompt: text('a question in Markdown'),
    type: oneOf(['number', 'choice', 'text']),
    choices: list(text('a choice', 200), 'choices', 32).optional(),
    unit: text('a unit such as datagrams', 32).optional(),
    /** Must be answered before the exercise runs. */
    predict: bool.optional(),
    answer: z
      .union([z.number(), z.string()], { error: expecting('a number or a text') })
      .optional(),
    measure: text('a path into the run report such as hosts.h1.snmp.Udp.RcvbufErrors').optional(),
    tolerance: tolerance.optional(),
  },
  'a question such as { id: bin, prompt: ..., type: number, answer: 4 }',
).superRefine((q, ctx) => {
  const add = (message: string, path: PathSegment[] = []) =>
    ctx.addIssue({ code: 'custom', message, path });
  if ((q.answer === undefined) === (q.measure === undefined))
    add('expected exactly one of answer (the right answer) or measure (a report path)');
  if (q.type === 'choice') {
    if (!q.choices?.length) add('a choice question needs choices', ['choices']);
    else if (q.answer !== undefined && !q.choices.includes(String(q.answer)))
      add(`expected one of the choices (${q.choices.join(', ')}), got ${describeValue(q.answer)}`, [
        'answer',
      ]);
  } else if (q.choices !== undefined) add(`only a choice question has choices`, ['choices']);
  if (q.type === 'number' && q.answer !== undefined && typeof q.answer !== 'number')
    add(`expected a number, got ${describeValue(q.answer)}`, ['answer']);
  if (q.type !== 'number' && (q.measure !== undefined || q.tolerance !== undefined))
    add('measure and tolerance are for number questions', [
      q.measure !== undefined ? 'measure' : 'tolerance',
    ]);
});

/**
 * One automatic check of an exercise: a value of the run's report (`path`,
 * e.g. `hosts.h1.fates.notJoined`) or the output of a shell command on a host
 * (`host` + `command`), compared with exactly one operator; or the grade of
 * one of the exercise's questions (`answer: id`).
 */
const checkSchema = strictMap(
  {
    title: text('a title'),
    path: text('a path into the run report such as hosts.h1.fates.notJoined').optional(),
    host: text('a host name').optional(),
    command: text('a shell command such as "ifconfig eth0"').optional(),
    answer: text('a question id').optional(),
    /** How to show the values: `ns` as a duration, `bytes`, or a word printed after the number. */
    unit: text('a unit such as ns, bytes or datagrams', 32).optional(),
    equals: scalar.optional(),
    notEquals: scalar.optional(),
    gt: number.optional(),
    gte: number.optional(),
    lt: number.optional(),
    lte: number.optional(),
    contains: scalar.optional(),
    notContains: scalar.optional(),
  },
  'a check such as { title: ..., path: hosts.h1.fates.delivered, gt: 0 }',
).superRefine((c, ctx) => {
  const ops = CHECK_OPS.filter((op) => c[op] !== undefined);
  const byPath = c.path !== undefined;
  const byCommand = c.host !== undefined || c.command !== undefined;
  if (c.answer !== undefined) {
    if (ops.length > 0 || byPath || byCommand)
      ctx.addIssue({
        code: 'custom',
        message: `an answer check takes only title and answer, got ${[...ops, ...(byPath ? ['path'] : []), ...(byCommand ? ['host/command'] : [])].join(' and ')}`,
      });
    return;
  }
  if (ops.length !== 1) {
    ctx.addIssue({
      code: 'custom',
      message: `expected exactly one of ${CHECK_OPS.join(', ')}, got ${ops.length === 0 ? 'none' : ops.join(' and ')}`,
    });
  }
  if (byPath === byCommand || (byCommand && (c.host === undefined || c.command === undefined))) {
    ctx.addIssue({
      code: 'custom',
      message: 'expected either path, or host and command, or answer',
    });
  }
});

const solutionStep = strictMap(
  { host: text('a host name'), run: text('a shell command') },
  'a step such as { host: h1, run: "ifconfig eth1 irq 5 up" }',
);
const solutionSteps = list(solutionStep, 'solution steps', 100);

/**
 * What a solver does: shell steps (as root) and the answers given. The older form, a list of
 * steps alone, still loads (as `{ steps }`).
 */
const solutionSchema = z.union(
  [
    solutionSteps.transform(
      (steps): { steps?: typeof steps; answers?: Record<string, string | number> } => ({ steps }),
    ),
    strictMap(
      {
        steps: solutionSteps.optional(),
        answers: z
          .record(z.string(), z.union([z.number(), z.string()]), {
            error: expecting('a map of question id to answer such as { bin: 4 }'),
          })
          .optional(),
      },
      'a solution such as { steps: [...], answers: { bin: 4 } }',
    ),
  ],
  { error: expecting('a solution such as { steps: [...], answers: { bin: 4 } }') },
);

/** An exercise: what to do, the answer fields, hints, what solves it, and its checks. */
const exerciseSchema = strictMap(
  {
    title: text('a title'),
    /** One sentence on what it teaches: the start screen and the exercise list show it. */
    summary: text('one sentence', 400).optional(),
    level: oneOf(['beginner', 'intermediate', 'advanced']).optional(),
    /** Its place in the curriculum (ascending). */
    order: int(0, 100_000).optional(),
    kind: oneOf(['configure', 'diagnose', 'predict']).optional(),
    instructions: text('instructions in Markdown', 200_000),
    questions: list(questionSchema, 'questions', 32).optional(),
    hints: list(text('a hint in Markdown', 20_000), 'hints', 16).optional(),
    solution: solutionSchema.optional(),
    /** Shown once every check passes: what proves it, with links into the window. */
    explanation: text('an explanation in Markdown', 50_000).optional(),
    /** How long the lab runs (after the solution) before the checks. */
    run: duration(0, 3600e9, 'how long to run before checking').optional(),
    checks: list(checkSchema, 'checks', 100),
  },
  'a map such as { title: ..., instructions: ..., checks: [...] }',
).superRefine((e, ctx) => {
  const add = (path: PathSegment[], message: string) =>
    ctx.addIssue({ code: 'custom', path, message });
  const ids = new Map<string, number>();
  (e.questions ?? []).forEach((q, i) => {
    if (ids.has(q.id))
      add(
        ['questions', i, 'id'],
        `duplicate question id "${q.id}" (also questions[${ids.get(q.id)}])`,
      );
    else ids.set(q.id, i);
  });
  const known = () => (ids.size ? [...ids.keys()].join(', ') : 'none');
  e.checks.forEach((c, i) => {
    if (c.answer !== undefined && !ids.has(c.answer))
      add(
        ['checks', i, 'answer'],
        `no question "${c.answer}"${didYouMean(c.answer, ids.keys())} (the questions are ${known()})`,
      );
  });
  for (const [id, value] of Object.entries(e.solution?.answers ?? {})) {
    const q = e.questions?.[ids.get(id) ?? -1];
    if (!q)
      add(
        ['solution', 'answers', id],
        `no question "${id}"${didYouMean(id, ids.keys())} (the questions are ${known()})`,
      );
    else if (q.type === 'number' && typeof value !== 'number')
      add(['solution', 'answers', id], `expected a number, got ${describeValue(value)}`);
  }
});

export type QuestionSpec = z.output<typeof questionSchema>;
export type CheckSpec = z.output<typeof checkSchema>;
export type ExerciseSpec = z.output<typeof exerciseSchema>;

export const MAX_HOSTS = 256;
const MAX_GENERATORS = 1024;
const MAX_SINKS = 1024;
const MAX_CAPTURES = 1024;
const MAX_PORTS = 16;

export const LAB_KEYS = [
  'name',
  'description',
  'seed',
  'segment',
  'hosts',
  'generators',
  'sinks',
  'captures',
  'captureLimit',
  'ports',
  'exercise',
] as const;

export const labSpecSchema = strictMap(
  {
    name: text('a lab name', 200).optional(),
    description: text('a description').optional(),
    seed: int(0, 0xffffffff, 'a seed from 0 to 4294967295').optional(),
    segment: segmentSchema.optional(),
    hosts: list(hostSchema, 'hosts', MAX_HOSTS).superRefine((hosts, ctx) => {
      if (hosts.length === 0)
        ctx.addIssue({ code: 'custom', message: 'expected at least one host' });
    }),
    generators: list(generatorSchema, 'generators', MAX_GENERATORS).optional(),
    sinks: list(sinkSchema, 'sinks', MAX_SINKS).optional(),
    captures: list(capture, 'captures', MAX_CAPTURES).optional(),
    captureLimit: captureLimit.optional(),
    ports: list(portSchema, 'ports', MAX_PORTS).optional(),
    exercise: exerciseSchema.optional(),
  } satisfies Record<(typeof LAB_KEYS)[number], z.ZodType>,
  'a map of lab settings (name, seed, segment, hosts, generators, sinks, captures)',
).superRefine(crossCheck, CLEAN);

/** A lab file, parsed: see the module comment for its conventions. */
export type LabSpec = z.output<typeof labSpecSchema>;

// ---- resources the Lab assigns by default -------------------------------------

/** The MAC `Lab.addInterface` gives card `nicIndex` of host `hostIndex` when none is set. */
export function defaultMac(hostIndex: number, nicIndex: number): string {
  return formatMac(macFromKey(0x020000000000 + (hostIndex + 1) * 256 + nicIndex));
}

/**
 * The IRQ line each card of one host ends up on: its own, or the one
 * `Machine.assignIrq` picks (the model's first line no earlier default took).
 */
export function effectiveIrqs(ifaces: readonly InterfaceSpec[]): number[] {
  const assigned = new Set<number>();
  return ifaces.map((iface) => {
    if (iface.irq !== undefined) return iface.irq;
    const choices = NIC_MODELS[iface.nic].irqs;
    const irq = choices.find((c) => !assigned.has(c)) ?? choices[0];
    assigned.add(irq);
    return irq;
  });
}

/** A generator's payload size when the file gives none. */
export const DEFAULT_PAYLOAD_SIZE = 64;

/** The IPv4 header and the UDP header in front of a generator's payload. */
const IP_UDP_HEADERS = 28;
const DEFAULT_MTU = 1500;

// ---- checks across the file ---------------------------------------------------

function noSuchDev(host: string, dev: string, ifaces: readonly InterfaceSpec[]): string {
  const names = ifaces.map((i) => i.name);
  return `${host} has no interface ${dev}${didYouMean(dev, names)} (it has ${names.join(', ') || 'none'})`;
}

function crossCheck(spec: LabSpec, ctx: z.RefinementCtx): void {
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

  // Addresses must be unique on the segment, default MACs included.
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
    const key = c.kind === 'segment' ? 'segment' : `${c.host}:${c.dev}`;
    const first = captures.get(key);
    if (first !== undefined)
      add(['captures', i], `duplicate capture ${key} (also captures[${first}])`);
    else captures.set(key, i);
    if (c.kind === 'segment') return;
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
    const listen = `${p.listen.host}:${p.listen.port}`;
    const other = listens.get(listen);
    if (other !== undefined)
      add(['ports', i, 'listen'], `ports[${other}] listens on ${listen} too`);
    else listens.set(listen, i);
  });
}

// ---- running the schema ---------------------------------------------------------

/** One problem, before it is placed in a file. */
export interface SpecIssue {
  segments: PathSegment[];
  message: string;
  /** Point at the key rather than its value (an unknown key or sysctl name). */
  at: 'key' | 'value';
}

/** Validates parsed data (from YAML, JSON or a program) against the schema. */
export function validateSpecData(data: unknown): { spec: LabSpec } | { issues: SpecIssue[] } {
  const r = labSpecSchema.safeParse(data);
  if (r.success) return { spec: r.data };
  const issues: SpecIssue[] = [];
  for (const iss of r.error.issues) {
    const segments = iss.path.filter((s): s is PathSegment => typeof s !== 'symbol');
    if (iss.code === 'unrecognized_keys' && iss.message.startsWith(UNKNOWN_KEYS_TAG)) {
      const known = JSON.parse(iss.message.slice(UNKNOWN_KEYS_TAG.length)) as string[];
      for (const key of iss.keys) {
        const hint = didYouMean(key, known) || `; expected one of ${known.join(', ')}`;
        issues.push({
          segments: [...segments, key],
          message: `unknown key "${key}"${hint}`,
          at: 'key',
        });
      }
      continue;
    }
    const at = iss.code === 'custom' && iss.params?.at === 'key' ? 'key' : 'value';
    issues.push({ segments, message: iss.message, at });
  }
  return { issues };
}
