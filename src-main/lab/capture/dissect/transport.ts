import { getU16, getU32 } from '../../wire/bytes';
import { onesSum, pseudoHeaderSum, verifyInternetChecksum } from '../../wire/checksum';
import { IPV4_OFF } from '../../wire/ipv4';
import { CHECKSUM_BAD, CHECKSUM_GOOD, CHECKSUM_UNVERIFIED } from './field-types';
import { isIpv6Ext, L_IP, L_IP6 } from './kinds';
import type { FrameLayers } from './layers';
import { ipv4Destination } from './proto/ipv4';
import { IPV6_OFF } from './proto/ipv6-offsets';

/**
 * What UDP, TCP and ICMPv6 share: the network layer that carries them and the pseudo-header
 * their checksum covers (RFC 768 for IPv4, RFC 8200 §8.1 for IPv6).
 */

/** Index of the IPv4 or IPv6 layer carrying layer i (past IPv6 extension headers), or -1. */
export function carrierOf(L: FrameLayers, i: number): number {
  let j = i - 1;
  while (j >= 0 && isIpv6Ext(L.kind[j])) j--;
  return j >= 0 && (L.kind[j] === L_IP || L.kind[j] === L_IP6) ? j : -1;
}

/**
 * Where the packet that layer i is in ends on the wire, by its IP header's length (past the
 * bytes a snap length kept): what tshark counts a snapped segment's length from.
 */
export function reportedEnd(L: FrameLayers, i: number): number {
  const net = carrierOf(L, i);
  if (net < 0) return L.stop[i];
  const b = L.bytes;
  const n = L.start[net];
  if (L.kind[net] === L_IP) return n + getU16(b, n + IPV4_OFF.totLen);
  return n + 40 + getU16(b, n + IPV6_OFF.payloadLen);
}

/**
 * The status of the checksum of `length` bytes at `at` (a whole segment, datagram or message
 * of IP protocol `proto`) carried by layer `net`: verified against its pseudo-header. The IPv4
 * destination is a source route's last hop, as the sender summed it.
 */
export function pseudoChecksumStatus(
  L: FrameLayers,
  net: number,
  proto: number,
  at: number,
  length: number,
): number {
  if (net < 0) return CHECKSUM_UNVERIFIED;
  const b = L.bytes;
  const n = L.start[net];
  let sum: number;
  if (L.kind[net] === L_IP) {
    const src = getU32(b, n + IPV4_OFF.saddr);
    sum = pseudoHeaderSum(src, getU32(b, ipv4Destination(L, net)), proto, length);
  } else {
    if (n + 40 > L.stop[net]) return CHECKSUM_UNVERIFIED;
    sum = onesSum(b, n + IPV6_OFF.saddr, 32) + (length >>> 16) + (length & 0xffff) + proto;
  }
  return verifyInternetChecksum(b, at, length, sum) ? CHECKSUM_GOOD : CHECKSUM_BAD;
}
