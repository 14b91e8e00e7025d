import type { Machine } from '../machine';
import { At1700Card } from './at1700/at1700-card';
import { Ne2000Card } from './ne2000/ne2000';
import type { RegisterCardKind } from './names';
import type { RegisterCard } from './register-card';
import { TulipCard } from './tulip/tulip-card';

/** A kind of register-level card: how to make one and the resources its jumpers offer. */
export interface RegisterCardSpec {
  readonly description: string;
  readonly irqs: readonly number[];
  readonly ioBases: readonly number[];
  make(machine: Machine, mac: Uint8Array, name: string): RegisterCard;
}

/** The register-level cards a lab file can name in `nic:`; a student's driver (or the reference one) runs them. */
export const REGISTER_CARDS = {
  ne2000: {
    description: 'DP8390/NE2000 register-level card: a student driver runs it',
    irqs: [3, 4, 5, 9, 10, 11, 12, 15],
    ioBases: [0x300, 0x280, 0x320, 0x340, 0x360],
    make: (machine, mac, name) => new Ne2000Card(machine, mac, name),
  },
  tulip: {
    description:
      'DEC 21x4x (Tulip) bus-master card: descriptor rings in host memory; a student driver runs it',
    // A PCI card: the BIOS routes its INTA# to one of these, and maps its CSRs (memory BAR).
    irqs: [11, 10, 9, 5],
    ioBases: [0xfebf0000, 0xfebe0000, 0xfebd0000],
    make: (machine, mac, name) => new TulipCard(name, mac, machine),
  },
  at1700: {
    description:
      'Allied Telesis AT1700 (MB86965) as at1700.c 1.12 drives it: station+broadcast or promiscuous, no multicast filter; a student driver runs it',
    // at1700_probe_list and the irqmap at1700_probe1 reads from the EEPROM.
    irqs: [3, 4, 5, 9, 10, 11, 14, 15],
    ioBases: [0x260, 0x280, 0x2a0, 0x240, 0x340, 0x320, 0x380, 0x300],
    make: (machine, mac, name) => new At1700Card(machine, mac, name),
  },
} satisfies Record<RegisterCardKind, RegisterCardSpec>;

export { REGISTER_CARD_NAMES, type RegisterCardKind } from './names';

/** The reference driver a register-level card runs when the lab file names none. */
export const REFERENCE_DRIVERS: Record<RegisterCardKind, string> = {
  ne2000: 'ne2k.js',
  tulip: 'tulip.js',
  at1700: 'at1700.js',
};
