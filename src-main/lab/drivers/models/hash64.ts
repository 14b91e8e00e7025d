import { IFF_ALLMULTI, IFF_PROMISC } from '../../netdev/flags';
import { IF_PORT_10BASE2, IF_PORT_10BASET } from '../../netdev/ifmap';
import { hashBin64 } from '../../wire/crc32';
import type { NicModel } from '../nic-model';

/**
 * A 64-bin hash filter, as the DP8390 in NE2000 cards has: each joined
 * address sets bin `ether_crc(addr) >> 26`, and every address in a set bin gets
 * in, wanted or not. The kernel drops the false positives after paying for them.
 */
export const hash64: NicModel = {
  name: 'hash64',
  description: '64-bin CRC hash filter (DP8390/NE2000-style)',
  irqs: [3, 4, 5, 9, 10, 11, 12, 15],
  ioBases: [0x300, 0x280, 0x320, 0x340, 0x360],
  ioExtent: 0x20,
  ports: [IF_PORT_10BASET, IF_PORT_10BASE2],
  napi: false,
  macPolicy: 'down-only',
  hashBins: 64,
  maxMtu: 1500,
  program(dev, filter) {
    filter.clear();
    if (dev.flags & IFF_PROMISC) {
      filter.promisc = true;
      filter.mode = 'promisc';
    } else if (dev.flags & IFF_ALLMULTI) {
      filter.allMulti = true;
      filter.mode = 'allmulti';
    } else if (dev.mc.count > 0) {
      for (const ha of dev.mc) filter.setBin(hashBin64(ha.addr));
      filter.mode = 'hash';
    }
  },
};
