/**
 * Fates in filters. `fate` is the string the capture shows for a frame
 * (`Capture.fateOf`): a host's stage for a received frame (`delivered
 * (socket 3)`, `group not joined`, `ring full`…), `sent` for a frame a
 * device sent, or the wire's outcome at the segment (`on the wire`,
 * `collision`, `corrupted (bad FCS)`, `lost on the wire`).
 *
 * Two words name classes rather than one string:
 *
 * - `fate == "delivered"`: handed to a socket, whichever (`delivered` and
 *   `delivered (socket N)`).
 * - `fate == "dropped"`: the frame went no further than some stage: every
 *   fate that is not a success. The successes are delivered (to a socket),
 *   `consumed by kernel` (ARP, ICMP echo, IGMP), `sent`, and `on the wire`;
 *   `unknown` (the host's fate log no longer holds the frame) is not counted
 *   as dropped either, since nothing is known. So a drop stage added to the
 *   kernel later is "dropped" without any change here.
 *
 * Any other string matches the fate exactly; `fate contains "socket"` and
 * `fate matches "full$"` work on the text as usual.
 */

export const FATE_CLASS_DROPPED = 'dropped';
export const FATE_CLASS_DELIVERED = 'delivered';

const NOT_DROPPED = new Set(['consumed by kernel', 'sent', 'on the wire', 'unknown', '']);

export function isDelivered(fate: string): boolean {
  return fate === 'delivered' || fate.startsWith('delivered (');
}

export function isDropped(fate: string): boolean {
  return !NOT_DROPPED.has(fate) && !isDelivered(fate);
}

/** Whether a frame's `fate` equals the filter's literal, classes included. */
export function fateMatches(fate: string, literal: string): boolean {
  if (literal === FATE_CLASS_DROPPED) return isDropped(fate);
  if (literal === FATE_CLASS_DELIVERED) return isDelivered(fate);
  return fate === literal;
}
