/**
 * IPv6 addresses as text (RFC 4291 §2.2 in, RFC 5952 out, as Wireshark and inet_ntop write
 * them): `fe80::ff:fe00:a01`, `ff02::16`, `::ffff:10.0.0.1`.
 */

/** The address of 16 bytes at `bytes[at]`, in RFC 5952's canonical text. */
export function formatIpv6(bytes: Uint8Array, at: number): string {
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push((bytes[at + 2 * i] << 8) | bytes[at + 2 * i + 1]);
  // IPv4-mapped (::ffff:a.b.c.d): the IPv4 address dotted, as inet_ntop writes it.
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff) {
    return `::ffff:${bytes[at + 12]}.${bytes[at + 13]}.${bytes[at + 14]}.${bytes[at + 15]}`;
  }
  // The longest run of two or more zero groups (the first of equals) becomes '::'.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number) =>
    g
      .slice(from, to)
      .map((x) => x.toString(16))
      .join(':');
  if (best < 0) return hex(0, 8);
  return `${hex(0, best)}::${hex(best + bestLen, 8)}`;
}

/** Parses `fe80::1`, `::`, `::ffff:10.0.0.1`; null when it is not an IPv6 address. */
export function parseIpv6(text: string): Uint8Array | null {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || text.length < 2) return null;
  let tail4: number[] | null = null;
  let s = text;
  const dot = s.lastIndexOf(':');
  if (s.includes('.')) {
    const v4 = s.slice(dot + 1).split('.');
    if (v4.length !== 4 || v4.some((x) => !/^\d{1,3}$/.test(x) || Number(x) > 255)) return null;
    tail4 = v4.map(Number);
    s = s.slice(0, dot + 1) + '0:0';
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const part = (h: string) => (h === '' ? [] : h.split(':'));
  const head = part(halves[0]);
  const tail = halves.length === 2 ? part(halves[1]) : [];
  const fill = 8 - head.length - tail.length;
  if (halves.length === 2 ? fill < 1 : fill !== 0) return null;
  const groups = [...head, ...new Array<string>(halves.length === 2 ? fill : 0).fill('0'), ...tail];
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(groups[i])) return null;
    const v = parseInt(groups[i], 16);
    out[2 * i] = v >> 8;
    out[2 * i + 1] = v & 0xff;
  }
  if (tail4) out.set(tail4, 12);
  return out;
}

/** `fe80::/10` or an address alone (prefix 128); null when it is neither. */
export function parseIpv6Prefix(text: string): { addr: Uint8Array; prefix: number } | null {
  const slash = text.indexOf('/');
  const addr = parseIpv6(slash < 0 ? text : text.slice(0, slash));
  if (!addr) return null;
  if (slash < 0) return { addr, prefix: 128 };
  const bits = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > 128) return null;
  return { addr, prefix: Number(bits) };
}

/** Whether the 16 bytes at `bytes[at]` share the first `prefix` bits of `net`. */
export function ipv6InPrefix(
  bytes: Uint8Array,
  at: number,
  net: Uint8Array,
  prefix: number,
): boolean {
  let i = 0;
  for (; (i + 1) * 8 <= prefix; i++) if (bytes[at + i] !== net[i]) return false;
  const rest = prefix - i * 8;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (bytes[at + i] & mask) === (net[i] & mask);
}
