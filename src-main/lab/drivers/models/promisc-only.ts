import { IFF_ALLMULTI, IFF_PROMISC } from '../../netdev/flags';
import { IF_PORT_10BASET } from '../../netdev/ifmap';
import type { NicModel } from '../nic-model';

/**
 * A card whose only way to receive multicast is to receive everything. Its
 * driver turns promiscuous mode on for the first group (and sets IFF_PROMISC
 * itself, so ifconfig shows it), and off again when no one needs it.
 */
export const promiscOnly: NicModel = {
  name: 'promisc-only',
  description: 'No multicast support: goes promiscuous for any group',
  irqs: [3, 5, 7],
  ioBases: [0x240, 0x260, 0x280],
  ioExtent: 0x10,
  ports: [IF_PORT_10BASET],
  napi: false,
  macPolicy: 'unsupported',
  hashBins: 64,
  maxMtu: 1500,
  program(dev, filter) {
    filter.clear();
    if (dev.mc.count > 0 || dev.flags & IFF_ALLMULTI) dev.flags |= IFF_PROMISC;
    else if (dev.promiscuity === 0) dev.flags &= ~IFF_PROMISC;
    if (dev.flags & IFF_PROMISC) {
      filter.promisc = true;
      filter.mode = 'promisc';
    }
  },
};
