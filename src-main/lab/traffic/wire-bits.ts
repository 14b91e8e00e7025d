import { ETH_FCS_LEN, ETH_HLEN, ETH_ZLEN } from '../wire/ethernet';
import { IPV4_HLEN } from '../wire/ipv4';
import { UDP_HLEN } from '../wire/udp';

/** 7 bytes of preamble and the start-of-frame delimiter, before every frame. */
export const PREAMBLE_BYTES = 8;
/** The inter-frame gap, 96 bit times, after every frame. */
export const IFG_BYTES = 12;

/**
 * Bits a UDP datagram of `payload` bytes occupies on an Ethernet wire:
 * preamble and SFD, the frame (Ethernet, a 20-byte IPv4 header, UDP and
 * payload, padded to the 60-byte minimum) with its FCS, and the inter-frame
 * gap. This is the measure of a generator's bit rate: at the segment's bit
 * rate, 1/wireBits of a second per datagram is line rate, whatever the size
 * (18 bytes: 84 bytes, 672 bits; at 100 Mbps 148,809.5 datagrams/s).
 * It counts what the medium is busy with, not what the application wrote:
 * no IP options and no VLAN tag are assumed, as the lab's kernel sends none.
 */
export function udpWireBits(payload: number): number {
  let frame = ETH_HLEN + IPV4_HLEN + UDP_HLEN + payload;
  if (frame < ETH_ZLEN) frame = ETH_ZLEN;
  return (PREAMBLE_BYTES + frame + ETH_FCS_LEN + IFG_BYTES) * 8;
}

/** Datagrams per second that fill a wire of `bitRate` with payloads of `payload` bytes. */
export function udpLineRate(bitRate: number, payload: number): number {
  return bitRate / udpWireBits(payload);
}
