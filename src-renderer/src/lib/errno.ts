// A refusal as the window shows it next to the control that caused it: the errno's name and
// what it means for this operation, e.g. `EBUSY: this NIC changes its MAC only while down`.
// The kernel's own wording (strerror) is the fallback for anything not explained here.
import type { ErrnoReply } from '../../../src-main/ipc/views';

/** What an errno means, by operation; `*` applies to every operation. */
const MEANINGS: Record<string, Record<string, string>> = {
  '*': {
    EPERM: 'only root may do this (CAP_NET_ADMIN); untick "as user"',
    ENODEV: 'the device is not there (its driver is unloaded)',
  },
  'iface.up': {
    EBUSY: 'open() failed: another device holds this IRQ line (request_irq)',
  },
  'iface.setMac': {
    EBUSY: 'this NIC changes its MAC only while down',
    EOPNOTSUPP: 'this NIC cannot change its MAC at all (no set_mac_address)',
    EADDRNOTAVAIL: 'not a usable station address (multicast or all zeros)',
    EINVAL: 'a MAC address is six bytes',
  },
  'iface.setMtu': {
    EINVAL: "outside this NIC's MTU range (68 to the card's maximum)",
  },
  'iface.setTxQueueLen': {
    EINVAL: 'the queue length must be 0 or more',
  },
  'iface.setMap': {
    EBUSY: "the card's IRQ or I/O base moves only while it is down",
    EINVAL: 'this card cannot be jumpered to that IRQ line or I/O base',
    EOPNOTSUPP: 'this driver has no set_config',
  },
  'iface.addMulti': {
    EINVAL: 'not a multicast address: the first byte must have its group bit (01) set',
  },
  'iface.delMulti': {
    ENOENT: 'that address was not added with SIOCADDMULTI',
    EINVAL: 'a MAC address is six bytes',
  },
  'iface.join': {
    EADDRINUSE: 'already joined on this interface',
    EINVAL: 'not a multicast group (224.0.0.0 to 239.255.255.255)',
    ENODEV: 'no such interface to join on',
  },
  'iface.leave': {
    EADDRNOTAVAIL: 'this group was not joined here from this panel',
  },
  'iface.ioctl': {
    EOPNOTSUPP: 'the driver has no private ioctl with that number',
    EBUSY: 'the rings can be resized only while the card is down',
    EINVAL: 'ring sizes are powers of two from 8 to 4096',
    EFAULT: 'this ioctl needs a data object, e.g. {"rxRing": 64}',
  },
};

/** `EBUSY: this NIC changes its MAC only while down`. */
export function explainRefusal(op: string, reply: Pick<ErrnoReply, 'errno' | 'message'>): string {
  const meaning =
    MEANINGS[op]?.[reply.errno] ?? MEANINGS['*'][reply.errno] ?? reply.message.toLowerCase();
  return `${reply.errno}: ${meaning}`;
}
