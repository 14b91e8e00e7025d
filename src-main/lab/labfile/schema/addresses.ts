import {
  formatIpv4,
  isLoopbackIp,
  isMulticastIp,
  parseIpv4,
  parseIpv4Prefix,
  prefixToMask,
  subnetBroadcast,
} from '../../wire/ipv4-addr';
import { formatMac, isMulticastEther, isZeroEther, parseMac } from '../../wire/mac';
import { describeValue } from '../units';
import { int, parsed } from './fields';

// Names and addresses as a lab file writes them: hosts, interfaces, IPv4, MAC, groups, endpoints.

export const NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,31}$/;
export const IFNAME = /^[A-Za-z][A-Za-z0-9_.-]{0,14}$/;

export const hostName = parsed<string>('a host name such as h1', (input) => {
  const what = 'a host name such as h1 (a letter, then letters, digits, ".", "_" or "-")';
  if (typeof input !== 'string' || !NAME.test(input))
    return { error: `expected ${what}, got ${describeValue(input)}` };
  if (input === 'segment')
    return { error: 'the name "segment" is reserved (captures: [segment] means the wire)' };
  return { value: input };
});

export function nameOf(what: string, pattern: RegExp, example: string) {
  return parsed<string>(`${what} such as ${example}`, (input) =>
    typeof input === 'string' && pattern.test(input)
      ? { value: input }
      : {
          error: `expected ${what} such as ${example} (a letter, then letters, digits, ".", "_" or "-"), got ${describeValue(input)}`,
        },
  );
}

export const ifName = nameOf('an interface name', IFNAME, 'eth0');

/** `10.0.0.1/24`, a usable host address, with its prefix (required: /32 alone is rarely meant). */
export const ifAddress = parsed<string>(
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
export const unicastMac = parsed<string>('a MAC address such as 02:00:00:00:00:02', (input) => {
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

export const multicastGroup = parsed<string>('a multicast group such as 239.1.1.1', (input) => {
  const addr = typeof input === 'string' ? parseIpv4(input) : null;
  if (addr === null || !isMulticastIp(addr))
    return {
      error: `expected a multicast group (224.0.0.0 to 239.255.255.255) such as 239.1.1.1, got ${describeValue(input)}`,
    };
  return { value: formatIpv4(addr) };
});

export const port = int(1, 65535, 'a port from 1 to 65535');

/** `239.1.1.1:5000` → { ip: '239.1.1.1', port: 5000 }. */
export const destination = parsed<{ ip: string; port: number }>(
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
export const udpAddress = parsed<{ host: string; port: number }>(
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
export const endpoint = parsed<{ host: string; dev?: string }>(
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

/** A segment's wire (`segment` alone: the lab's only one, or its first), or a card. */
export type CaptureSpec =
  { kind: 'segment'; segment?: string } | { kind: 'device'; host: string; dev: string };

export const capture = parsed<CaptureSpec>('"HOST:DEV" such as h1:eth0, or "segment"', (input) => {
  const what = '"HOST:DEV" such as h1:eth0, or "segment"';
  // A bare name is a segment of `segments:`; cross-check.ts says so if there is none.
  if (input === 'segment') return { value: { kind: 'segment' } };
  if (typeof input === 'string' && NAME.test(input))
    return { value: { kind: 'segment', segment: input } };
  const m = typeof input === 'string' ? /^([^:]+):([^:]+)$/.exec(input) : null;
  if (!m || !NAME.test(m[1]) || !IFNAME.test(m[2]))
    return { error: `expected ${what}, got ${describeValue(input)}` };
  return { value: { kind: 'device', host: m[1], dev: m[2] } };
});

/** An I/O base: a number (YAML reads 0x300 as one) or a string "0x300". */
export const ioBase = parsed<number>('an I/O base address such as 0x300', (input) => {
  let v = NaN;
  if (typeof input === 'number') v = input;
  else if (typeof input === 'string' && /^(0x[0-9a-f]{1,8}|\d{1,10})$/i.test(input.trim()))
    v = Number(input.trim());
  if (!Number.isInteger(v) || v < 0 || v > 0xffff)
    return { error: `expected an I/O base address such as 0x300, got ${describeValue(input)}` };
  return { value: v };
});

export const hex = (n: number) => `0x${n.toString(16)}`;

/** A route's destination: `default`, or a network such as 10.0.2.0/24 (a bare address is a /32). */
export const routeDestination = parsed<string>(
  'a destination such as 10.0.2.0/24 or default',
  (input) => {
    const what = 'a destination such as 10.0.2.0/24 or default';
    if (input === 'default') return { value: 'default' };
    const p = typeof input === 'string' ? parseIpv4Prefix(input) : null;
    if (!p) return { error: `expected ${what}, got ${describeValue(input)}` };
    if ((p.addr & ~prefixToMask(p.prefix)) >>> 0 !== 0) {
      const net = formatIpv4((p.addr & prefixToMask(p.prefix)) >>> 0);
      return {
        error: `expected a network address, got ${describeValue(input)}, which has host bits set (the network is ${net}/${p.prefix}; the kernel says "Invalid prefix for given prefix length")`,
      };
    }
    return { value: p.prefix === 0 ? 'default' : `${formatIpv4(p.addr)}/${p.prefix}` };
  },
);

/** A gateway: a unicast address such as 10.0.1.1. */
export const gatewayAddress = parsed<string>('a gateway address such as 10.0.1.1', (input) => {
  const addr = typeof input === 'string' ? parseIpv4(input) : null;
  if (addr === null || addr === 0 || isMulticastIp(addr) || addr >>> 28 === 0xf)
    return {
      error: `expected a unicast gateway address such as 10.0.1.1, got ${describeValue(input)}`,
    };
  return { value: formatIpv4(addr) };
});
