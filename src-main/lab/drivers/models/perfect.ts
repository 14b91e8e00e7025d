import { IFF_ALLMULTI, IFF_PROMISC } from '../../netdev/flags';
import { IF_PORT_100BASETX, IF_PORT_10BASET } from '../../netdev/ifmap';
import { hashBin512 } from '../../wire/crc32';
import type { NicModel } from '../nic-model';

/** Past this many groups tulip's `set_rx_mode` stops filtering: "too many to filter well". */
export const TULIP_MC_ALLMULTI = 1000;

/** `__set_bit_le(255, hash_table)`: the setup frame's broadcast entry in hash mode. */
const BROADCAST_BIN = 255;

/**
 * The DEC 21x4x (tulip) and its 16-entry setup frame: with up to 14
 * multicast addresses they go in as perfect entries, the rest of the frame
 * filled with the broadcast address and the last entry the card's own; past
 * 14, a 512-bin hash (`ether_crc_le(6, addr) & 0x1ff`, broadcast's bin 255
 * set) and the own address; past 1000, or with ALLMULTI, all multicast. The
 * lab's `entries` is the setup frame's size (16 on a 21x4x; 8 makes a smaller
 * card of the same kind), so a card holds `entries - 2` groups perfectly;
 * `fallback: allmulti` makes one without a hash table.
 */
export const perfect: NicModel = {
  name: 'perfect',
  description:
    'DEC 21x4x (tulip): 14 perfect entries, a 512-bin hash past that, all-multicast past 1000',
  irqs: [5, 9, 10, 11],
  ioBases: [0x200, 0x220, 0x240, 0x260, 0x300, 0x320, 0x340, 0x360],
  ioExtent: 0x80,
  ports: [IF_PORT_10BASET, IF_PORT_100BASETX],
  napi: true,
  macPolicy: 'anytime',
  hashBins: 512,
  maxMtu: 9000,
  program(dev, filter, fallback) {
    filter.clear();
    if (dev.flags & IFF_PROMISC) {
      filter.promisc = true;
      filter.mode = 'promisc';
    } else if (dev.flags & IFF_ALLMULTI || dev.mc.count > TULIP_MC_ALLMULTI) {
      filter.allMulti = true;
      filter.mode = 'allmulti';
    } else if (dev.mc.count <= filter.perfectCapacity) {
      for (const ha of dev.mc) filter.perfect[filter.perfectCount++] = ha.key;
      filter.mode = dev.mc.count > 0 ? 'perfect' : 'none';
    } else if (fallback === 'hash') {
      filter.setBin(BROADCAST_BIN);
      for (const ha of dev.mc) filter.setBin(hashBin512(ha.addr));
      filter.mode = 'hash';
    } else {
      filter.allMulti = true;
      filter.mode = 'allmulti';
    }
  },
};
