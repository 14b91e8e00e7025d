import { devSetPromiscuity } from './dev';
import { EEXIST, ENOENT } from './errno';
import type { NetDevice } from './net-device';

/**
 * A device's secondary unicast addresses (`dev->uc`, net/core/dev_addr_lists.c): what
 * `bridge fdb add MAC dev eth0 self` puts there. No lab card filters unicast beyond its own
 * address (none has IFF_UNICAST_FLT), so, as `__dev_set_rx_mode` does for such a card, a
 * non-empty list holds one reference on the device's promiscuity (`uc_promisc`).
 */
const lists = new WeakMap<NetDevice, number[]>();

export function devUcList(dev: NetDevice): readonly number[] {
  return lists.get(dev) ?? [];
}

/** `dev_uc_add_excl`: EEXIST when the address is already there. */
export function devUcAddExcl(dev: NetDevice, key: number): number {
  const l = lists.get(dev) ?? [];
  if (l.includes(key)) return -EEXIST;
  l.push(key);
  lists.set(dev, l);
  if (l.length === 1) devSetPromiscuity(dev, 1);
  return 0;
}

/** `dev_uc_del`: ENOENT when the address is not there. */
export function devUcDel(dev: NetDevice, key: number): number {
  const l = lists.get(dev);
  const i = l ? l.indexOf(key) : -1;
  if (!l || i < 0) return -ENOENT;
  l.splice(i, 1);
  if (l.length === 0) devSetPromiscuity(dev, -1);
  return 0;
}
