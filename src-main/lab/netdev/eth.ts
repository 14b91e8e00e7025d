import {
  PACKET_BROADCAST,
  PACKET_HOST,
  PACKET_MULTICAST,
  PACKET_OTHERHOST,
  type SkBuff,
} from '../skb/sk-buff';
import { ETH_HLEN } from '../wire/ethernet';
import { isBroadcastEther } from '../wire/mac';
import type { NetDevice } from './net-device';

/** Linux's pseudo protocol for 802.3 frames whose type field is a length. */
export const ETH_P_802_2 = 0x0004;

/**
 * `eth_type_trans`: called by the driver on each received buffer. Sets the
 * packet type (for this host, broadcast, multicast, or another host's frame let
 * in by PROMISC), records the MAC header, pulls it, and returns the protocol.
 */
export function ethTypeTrans(skb: SkBuff, dev: NetDevice): number {
  const b = skb.buf;
  const at = skb.data;
  skb.dev = dev;
  skb.macHeader = at;
  if (b[at] & 1) {
    skb.pktType = isBroadcastEther(b, at) ? PACKET_BROADCAST : PACKET_MULTICAST;
  } else {
    const own = dev.devAddr;
    skb.pktType =
      b[at] === own[0] &&
      b[at + 1] === own[1] &&
      b[at + 2] === own[2] &&
      b[at + 3] === own[3] &&
      b[at + 4] === own[4] &&
      b[at + 5] === own[5]
        ? PACKET_HOST
        : PACKET_OTHERHOST;
  }
  const type = (b[at + 12] << 8) | b[at + 13];
  skb.pull(ETH_HLEN);
  skb.networkHeader = skb.data;
  skb.protocol = type >= 1536 ? type : ETH_P_802_2;
  return skb.protocol;
}
