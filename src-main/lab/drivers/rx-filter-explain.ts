import { formatMac, isMulticastEther, macFromKey, writeMacKey } from '../wire/mac';
import type { NicModelName } from './nic-model';
import { PhyFrame } from './phy';
import {
  HW_ALLMULTI,
  HW_BROADCAST,
  HW_HASH,
  HW_PERFECT,
  HW_PROMISC,
  HW_REJECT,
  HW_UNICAST,
  type RxFilter,
} from './rx-filter';

export interface FilterVerdict {
  /** rx-filter.ts HW_*: HW_REJECT when the card turned the frame away. */
  verdict: number;
  /** Why, in the card's terms: `hash bin 12 not set (bins set: 4, 33)`. */
  why: string;
}

/**
 * The card's verdict on a frame for `destKey`, worked out again with the very
 * `classify` the hardware runs, and why it came out so: which table or bin let
 * the frame in or kept it out. Not for the hot path (it allocates).
 */
export function explainFilter(
  filter: RxFilter,
  model: NicModelName,
  ownKey: number,
  destKey: number,
): FilterVerdict {
  const frame = new PhyFrame(new Uint8Array(6));
  writeMacKey(frame.buf, 0, destKey);
  frame.addressChanged();
  const verdict = filter.classify(frame, ownKey);
  const dest = macText(destKey);
  const bin = filter.binOf(frame);
  switch (verdict) {
    case HW_UNICAST:
      return { verdict, why: 'unicast to this card' };
    case HW_BROADCAST:
      return { verdict, why: 'broadcast' };
    case HW_PERFECT:
      return { verdict, why: `perfect-filter entry for ${dest}` };
    case HW_HASH:
      return { verdict, why: `hash bin ${bin} set (${binsText(filter)})` };
    case HW_ALLMULTI:
      return { verdict, why: 'all-multicast mode (ALLMULTI)' };
    case HW_PROMISC:
      return { verdict, why: 'promiscuous mode' };
  }
  if (!isMulticastEther(frame.buf))
    return { verdict, why: `unicast for ${dest}, not this card (${macText(ownKey)})` };
  return { verdict: HW_REJECT, why: multicastRejectReason(filter, model, dest, bin) };
}

/** Which of the card's tables kept a multicast frame out (`dest` as text, `bin` its hash bin). */
function multicastRejectReason(
  filter: RxFilter,
  model: NicModelName,
  dest: string,
  bin: number,
): string {
  const reasons: string[] = [];
  const perfectInUse = filter.mode === 'perfect' || (model === 'perfect' && filter.mode === 'none');
  if (perfectInUse) {
    reasons.push(
      filter.perfectCount > 0
        ? `no perfect-filter entry for ${dest} (${filter.perfectCount} of ${filter.perfectCapacity} entries used)`
        : `no perfect-filter entry for ${dest} (the table is empty)`,
    );
  }
  if (filter.mode === 'hash' || model === 'hash64') {
    const overflow = model === 'perfect' ? '; the perfect table overflowed to its hash' : '';
    reasons.push(`hash bin ${bin} not set (${binsText(filter)}${overflow})`);
  }
  if (reasons.length > 0) return reasons.join('; ');
  if (model === 'promisc-only') return 'multicast: this card takes it only when promiscuous';
  return 'multicast: this card has no multicast filter and takes it only with ALLMULTI or PROMISC';
}

function binsText(filter: RxFilter): string {
  const bins = filter.describe().bins;
  return bins.length === 0 ? 'no bins set' : `bins set: ${bins.join(', ')}`;
}

function macText(key: number): string {
  return formatMac(macFromKey(key));
}
