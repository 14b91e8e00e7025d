import { TULIP_CSRS } from './tulip/csr';
import type { RegisterCardKind } from '.';

/** One register as the driver editor lists it: where it is and what it does. */
export interface RegisterDoc {
  name: string;
  offset: number;
  /** The DP8390's register page (CR.PS1-0) or the AT1700's bank (CONFIG_1), or null for a card without pages. */
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

/** The AT1700's (MB86965) registers as at1700.c 1.12 names them; 8-15 are banked by CONFIG_1. */
const AT1700_REGS: RegisterDoc[] = [
  {
    name: 'TX_STATUS',
    offset: 0x00,
    page: null,
    doc: 'DLCR0: transmit status, 0x80 sent, 0x02 16 collisions; write 1s to clear (inw: DLCR1 in the high byte)',
  },
  {
    name: 'RX_STATUS',
    offset: 0x01,
    page: null,
    doc: 'DLCR1: receive status, 0x80 packet ready, 0x02 CRC, 0x01 overflow; write 1s to clear',
  },
  { name: 'TX_INTR', offset: 0x02, page: null, doc: 'DLCR2: which TX_STATUS bits interrupt' },
  { name: 'RX_INTR', offset: 0x03, page: null, doc: 'DLCR3: which RX_STATUS bits interrupt' },
  { name: 'TX_MODE', offset: 0x04, page: null, doc: 'DLCR4: transmit mode' },
  {
    name: 'RX_MODE',
    offset: 0x05,
    page: null,
    doc: 'DLCR5: address filter in bits 0-1, 2 station+broadcast, 3 promiscuous (no multicast mode); bit 6 reads 1 while the receive buffer is empty',
  },
  {
    name: 'CONFIG_0',
    offset: 0x06,
    page: null,
    doc: 'DLCR6: 0xda receiver and transmitter off, 0x5a on (bit 7 disables them)',
  },
  {
    name: 'CONFIG_1',
    offset: 0x07,
    page: null,
    doc: 'DLCR7: bank of 8-15 in bits 2-3 (0xe0 bank 0, 0xe4 bank 1, 0xe8 bank 2); 0x00 powers down',
  },
  {
    name: 'NODE_ID',
    offset: 0x08,
    page: 0,
    doc: 'bank 0, 8-13: the station address the card takes',
  },
  {
    name: 'MCAST_TABLE',
    offset: 0x08,
    page: 1,
    doc: 'bank 1, 8-15: the multicast table at1700.c loads with zeros (accept none) and never uses',
  },
  {
    name: 'DATAPORT',
    offset: 0x08,
    page: 2,
    doc: 'bank 2: the word-wide buffer port; receive: status (0x20 good), length, data; transmit: length, data',
  },
  { name: 'TX_START', offset: 0x0a, page: 2, doc: 'bank 2: 0x80 | n sends the n queued frames' },
  {
    name: 'RX_SKIP',
    offset: 0x0e,
    page: 2,
    doc: 'bank 2: 0x05 skips the rest of the frame being read',
  },
  {
    name: 'EEPROM_Ctrl',
    offset: 0x10,
    page: null,
    doc: '93C46 EEPROM: 0x20 chip select, 0x40 shift clock; words 4-6 hold the station address',
  },
  {
    name: 'EEPROM_Data',
    offset: 0x11,
    page: null,
    doc: 'EEPROM data: bit 7 in (write) and out (read)',
  },
];

/** Each register-level card's register map, for the driver editor. */
export const REGISTER_MAPS: Record<RegisterCardKind, readonly RegisterDoc[]> = {
  ne2000: NE2000_REGS,
  tulip: TULIP_CSRS.map((c) => ({ ...c, page: null })),
  at1700: AT1700_REGS,
};
