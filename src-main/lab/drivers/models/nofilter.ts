import { IFF_ALLMULTI, IFF_PROMISC } from '../../netdev/flags';
import { IF_PORT_10BASE2, IF_PORT_10BASET, IF_PORT_AUI } from '../../netdev/ifmap';
import type { NicModel } from '../nic-model';

/**
 * A card with no multicast filter (like the 3Com 3c501): it takes all
 * multicast or none. One joined group lets every group's traffic in, and the
 * host's CPU pays for all of it.
 */
export const nofilter: NicModel = {
  name: 'nofilter',
  description: 'No multicast filter: all multicast or none (3c501-style)',
  irqs: [3, 5, 7, 9],
  ioBases: [0x280, 0x300, 0x310, 0x330],
  ioExtent: 0x10,
  ports: [IF_PORT_10BASET, IF_PORT_10BASE2, IF_PORT_AUI],
  napi: false,
  macPolicy: 'anytime',
  hashBins: 64,
  maxMtu: 1500,
  program(dev, filter) {
    filter.clear();
    if (dev.flags & IFF_PROMISC) {
      filter.promisc = true;
      filter.mode = 'promisc';
    } else if (dev.flags & IFF_ALLMULTI || dev.mc.count > 0) {
      filter.allMulti = true;
      filter.mode = 'allmulti';
    }
  },
};
