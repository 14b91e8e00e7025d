/**
 * IPv4 addresses. On the hot path an address is an unsigned 32-bit number in
 * host order (192.168.0.1 is 0xc0a80001), compared and masked without objects;
 * at the edges it is the dotted quad. Bitwise results are signed in JavaScript,
 * so every function here that returns an address returns it `>>> 0`.
 */

export const INADDR_ANY = 0;
export const INADDR_BROADCAST = 0xffffffff;
/** 224.0.0.1, every multicast host on the link. */
export const INADDR_ALLHOSTS_GROUP = 0xe0000001;
/** 224.0.0.2, every multicast router on the link: IGMPv2 leaves go here. */
export const INADDR_ALLRTRS_GROUP = 0xe0000002;

/** The parts of a dotted quad; a part may not have a leading zero, as inet_pton refuses those. */
const DOTTED_QUAD = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/;

/** Parses `192.168.0.1`; returns null when the text is not a dotted quad. */
export function parseIpv4(text: string): number | null {
  const m = DOTTED_QUAD.exec(text.trim());
  if (!m) return null;
  let addr = 0;
  for (let i = 1; i <= 4; i++) {
    const part = Number(m[i]);
    if (part > 255) return null;
    addr = addr * 256 + part;
  }
  return addr;
}

export function formatIpv4(addr: number): string {
  return `${addr >>> 24}.${(addr >>> 16) & 0xff}.${(addr >>> 8) & 0xff}.${addr & 0xff}`;
}

/** Parses `10.0.0.1/24`; a missing prefix means /32. Null when the text is not one. */
export function parseIpv4Prefix(text: string): { addr: number; prefix: number } | null {
  const slash = text.indexOf('/');
  const addr = parseIpv4(slash < 0 ? text : text.slice(0, slash));
  if (addr === null) return null;
  if (slash < 0) return { addr, prefix: 32 };
  const digits = text.slice(slash + 1).trim();
  if (!/^\d{1,2}$/.test(digits)) return null;
  const prefix = Number(digits);
  return prefix <= 32 ? { addr, prefix } : null;
}

/** 224.0.0.0/4, class D. */
export function isMulticastIp(addr: number): boolean {
  return addr >>> 28 === 0xe;
}

/** 224.0.0.0/24, the link-local groups that routers never forward (ipv4_is_local_multicast). */
export function isLocalMulticastIp(addr: number): boolean {
  return addr >>> 8 === 0xe00000;
}

/** 127.0.0.1, the address `lo` gets when it comes up. */
export const INADDR_LOOPBACK = 0x7f000001;

export function isLoopbackIp(addr: number): boolean {
  return addr >>> 24 === 127;
}

/**
 * Writes the Ethernet address a multicast group maps to (RFC 1112 §6.4, Linux's
 * ip_eth_mc_map): 01:00:5e and the low 23 bits of the group, so 32 groups
 * share each address (239.1.1.1 and 239.129.1.1 both map to 01:00:5e:01:01:01).
 */
export function ipMulticastToMac(addr: number, out: Uint8Array, at = 0): void {
  out[at] = 0x01;
  out[at + 1] = 0x00;
  out[at + 2] = 0x5e;
  out[at + 3] = (addr >>> 16) & 0x7f;
  out[at + 4] = addr >>> 8;
  out[at + 5] = addr;
}

/** The same mapping as a 48-bit MAC key (see mac.ts `macKey`). */
export function ipMulticastMacKey(addr: number): number {
  return 0x01005e000000 + (addr & 0x7fffff);
}

/** The netmask of a prefix length 0..32: 24 gives 255.255.255.0. */
export function prefixToMask(prefix: number): number {
  if (prefix <= 0) return 0;
  if (prefix >= 32) return 0xffffffff;
  return (0xffffffff << (32 - prefix)) >>> 0;
}

/** The prefix length of a netmask, or -1 when its ones are not contiguous. */
export function maskToPrefix(mask: number): number {
  const hostBits = ~mask >>> 0;
  if ((hostBits & (hostBits + 1)) !== 0) return -1;
  return Math.clz32(hostBits);
}

export function networkAddress(addr: number, mask: number): number {
  return (addr & mask) >>> 0;
}

/** The subnet's directed broadcast address: every host bit set. */
export function subnetBroadcast(addr: number, mask: number): number {
  return (addr | ~mask) >>> 0;
}

export function inSubnet(addr: number, network: number, mask: number): boolean {
  return ((addr ^ network) & mask) === 0;
}
