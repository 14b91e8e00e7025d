import { TULIP_CSRS } from './tulip/csr';
import type { RegisterCardKind } from '.';

/** One register as the driver editor lists it: where it is and what it does. */
export interface RegisterDoc {
  name: string;
  offset: number;
  /** The DP8390's register page (CR.PS1-0), or null for a card without pages. */
  page: number | null;
  doc: string;
}

/** The DP8390/NE2000's registers as lib8390.c (8390.h) and ne.c name them: reads on page 0. */
const NE2000_REGS: RegisterDoc[] = [
  {
    name: 'E8390_CMD',
    offset: 0x00,
    page: null,
    doc: 'CR: STP/STA, TXP, remote DMA (RD2-0), page select PS1-0 (every page)',
  },
  {
    name: 'EN0_STARTPG',
    offset: 0x01,
    page: 0,
    doc: 'PSTART (write): first page of the receive ring',
  },
  { name: 'EN0_STOPPG', offset: 0x02, page: 0, doc: 'PSTOP (write): page after the receive ring' },
  {
    name: 'EN0_BOUNDARY',
    offset: 0x03,
    page: 0,
    doc: 'BNRY: the last ring page the driver has read',
  },
  {
    name: 'EN0_TSR',
    offset: 0x04,
    page: 0,
    doc: 'TSR (read): transmit status; TPSR (write): transmit page start',
  },
  {
    name: 'EN0_TCNTLO',
    offset: 0x05,
    page: 0,
    doc: 'TBCR0 (write): transmit byte count, low; NCR (read): collisions',
  },
  { name: 'EN0_TCNTHI', offset: 0x06, page: 0, doc: 'TBCR1 (write): transmit byte count, high' },
  {
    name: 'EN0_ISR',
    offset: 0x07,
    page: 0,
    doc: 'ISR: interrupt status (PRX, PTX, RXE, TXE, OVW, CNT, RDC, RST); write 1s to clear',
  },
  {
    name: 'EN0_RSARLO',
    offset: 0x08,
    page: 0,
    doc: 'RSAR0 (write): remote DMA start address, low',
  },
  {
    name: 'EN0_RSARHI',
    offset: 0x09,
    page: 0,
    doc: 'RSAR1 (write): remote DMA start address, high',
  },
  { name: 'EN0_RCNTLO', offset: 0x0a, page: 0, doc: 'RBCR0 (write): remote DMA byte count, low' },
  { name: 'EN0_RCNTHI', offset: 0x0b, page: 0, doc: 'RBCR1 (write): remote DMA byte count, high' },
  {
    name: 'EN0_RXCR',
    offset: 0x0c,
    page: 0,
    doc: 'RCR (write): AB broadcast, AM multicast (through MAR), PRO promiscuous, MON; RSR (read)',
  },
  {
    name: 'EN0_TXCR',
    offset: 0x0d,
    page: 0,
    doc: 'TCR (write): loopback modes; CNTR0 (read): frame alignment errors',
  },
  {
    name: 'EN0_DCFG',
    offset: 0x0e,
    page: 0,
    doc: 'DCR (write): word transfer, FIFO threshold; CNTR1 (read): CRC errors',
  },
  {
    name: 'EN0_IMR',
    offset: 0x0f,
    page: 0,
    doc: 'IMR (write): which ISR bits interrupt; CNTR2 (read): missed frames',
  },
  {
    name: 'EN1_PHYS',
    offset: 0x01,
    page: 1,
    doc: 'PAR0-5 (0x01-0x06): the station address the card takes',
  },
  { name: 'EN1_CURPAG', offset: 0x07, page: 1, doc: 'CURR: the ring page the card writes next' },
  {
    name: 'EN1_MULT',
    offset: 0x08,
    page: 1,
    doc: 'MAR0-7 (0x08-0x0f): the 64-bin multicast hash, bin n = bit n & 7 of MAR n >> 3',
  },
  { name: 'NE_DATAPORT', offset: 0x10, page: null, doc: 'the remote DMA data port (insw/outsw)' },
  {
    name: 'NE_RESET',
    offset: 0x1f,
    page: null,
    doc: 'reading it resets the board (ISR RST follows)',
  },
];

/** Each register-level card's register map, for the driver editor. */
export const REGISTER_MAPS: Record<RegisterCardKind, readonly RegisterDoc[]> = {
  ne2000: NE2000_REGS,
  tulip: TULIP_CSRS.map((c) => ({ ...c, page: null })),
};
