import { IFF_ALLMULTI, IFF_PROMISC } from '../../netdev/flags';
import { IF_PORT_100BASETX, IF_PORT_10BASET } from '../../netdev/ifmap';
import { hashBin64 } from '../../wire/crc32';
import type { NicModel } from '../nic-model';

/**
 * A perfect filter of N exact entries (8 or 16, as Tulip-era chips had).
 * While the multicast list fits, only joined groups get in. Past N the driver
 * falls back to the hash filter or to all-multicast, and says so in its mode.
 */
export const perfect: NicModel = {
  name: 'perfect',
  description: 'Perfect filter of 8 or 16 entries, hash or all-multicast past that (Tulip-style)',
  irqs: [5, 9, 10, 11],
  ioBases: [0x200, 0x220, 0x240, 0x260, 0x300, 0x320, 0x340, 0x360],
  ioExtent: 0x80,
  ports: [IF_PORT_10BASET, IF_PORT_100BASETX],
  napi: true,
  macPolicy: 'anytime',
  maxMtu: 9000,
  program(dev, filter, fallback) {
    filter.clear();
    if (dev.flags & IFF_PROMISC) {
      filter.promisc = true;
      filter.mode = 'promisc';
    } else if (dev.flags & IFF_ALLMULTI) {
      filter.allMulti = true;
      filter.mode = 'allmulti';
    } else if (dev.mc.count <= filter.perfectCapacity) {
      for (const ha of dev.mc) filter.perfect[filter.perfectCount++] = ha.key;
      filter.mode = dev.mc.count > 0 ? 'perfect' : 'none';
    } else if (fallback === 'hash') {
      for (const ha of dev.mc) filter.setBin(hashBin64(ha.addr));
      filter.mode = 'hash';
    } else {
      filter.allMulti = true;
      filter.mode = 'allmulti';
    }
  },
};
