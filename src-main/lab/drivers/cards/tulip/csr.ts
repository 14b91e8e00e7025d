/**
 * The 21x4x ("Tulip") register map and descriptor bits: one table of facts the
 * card, its tests, the reference driver and the editor's register panel read.
 * Names are those of Linux's drivers/net/ethernet/dec/tulip/tulip.h where it
 * has one, else the 21143 hardware reference manual's mnemonic.
 */

/** CSRs sit on 8-byte boundaries (the chip's 64-bit-aligned register file). */
export const CSR0 = 0x00; // bus mode
export const CSR1 = 0x08; // transmit poll demand
export const CSR2 = 0x10; // receive poll demand
export const CSR3 = 0x18; // receive list base address
export const CSR4 = 0x20; // transmit list base address
export const CSR5 = 0x28; // status
export const CSR6 = 0x30; // operation mode
export const CSR7 = 0x38; // interrupt enable
export const CSR8 = 0x40; // missed frames counter
export const CSR9 = 0x48; // boot ROM / serial ROM / MII management (here: 21040 address ROM)
export const CSR10 = 0x50; // reserved
export const CSR11 = 0x58; // general-purpose timer
export const CSR12 = 0x60; // SIA status
export const CSR13 = 0x68; // SIA connectivity
export const CSR14 = 0x70; // SIA transmit and receive
export const CSR15 = 0x78; // SIA and general-purpose port
/** Bytes of CSR space the card decodes (BAR size of the 21143's I/O window). */
export const TULIP_IO_SIZE = 0x80;

/** One line per CSR for the editor's register map: offset, name, what it does. */
export const TULIP_CSRS: readonly { offset: number; name: string; doc: string }[] = [
  {
    offset: CSR0,
    name: 'CSR0',
    doc: 'bus mode: SWR (bit 0) software reset, DSL (6:2) descriptor skip length in longwords',
  },
  {
    offset: CSR1,
    name: 'CSR1',
    doc: 'transmit poll demand: any write makes a suspended transmitter look at its descriptor again',
  },
  {
    offset: CSR2,
    name: 'CSR2',
    doc: 'receive poll demand: any write makes a suspended receiver look at its descriptor again',
  },
  {
    offset: CSR3,
    name: 'CSR3',
    doc: 'receive list base address (host memory; written while the receiver is stopped)',
  },
  {
    offset: CSR4,
    name: 'CSR4',
    doc: 'transmit list base address (host memory; written while the transmitter is stopped)',
  },
  {
    offset: CSR5,
    name: 'CSR5',
    doc: 'status: interrupt sources (write 1 to clear bits 16:0), RS (19:17) and TS (22:20) process states',
  },
  {
    offset: CSR6,
    name: 'CSR6',
    doc: 'operation mode: SR (bit 1) start receive, ST (bit 13) start transmit, PR (6) promiscuous, PM (7) pass all multicast, HP (0) / HO (2) / IF (4) filter mode from the last setup frame (read only)',
  },
  {
    offset: CSR7,
    name: 'CSR7',
    doc: 'interrupt enable: the CSR5 bits that raise the line, with NIE (16) and AIE (15) enabling the normal and abnormal summaries',
  },
  {
    offset: CSR8,
    name: 'CSR8',
    doc: 'missed frames: MFC (15:0) frames lost for want of a descriptor, MFO (16) overflow; cleared by reading',
  },
  {
    offset: CSR9,
    name: 'CSR9',
    doc: 'Ethernet address ROM (21040 style): a write resets the pointer, each read returns the next byte in bits 7:0 (bit 31 clear: valid)',
  },
  { offset: CSR10, name: 'CSR10', doc: 'reserved: reads 0' },
  {
    offset: CSR11,
    name: 'CSR11',
    doc: 'general-purpose timer and interrupt mitigation: kept, no effect here',
  },
  { offset: CSR12, name: 'CSR12', doc: 'SIA status: LS10 (bit 2) set while the link is down' },
  { offset: CSR13, name: 'CSR13', doc: 'SIA connectivity: kept, no effect here' },
  { offset: CSR14, name: 'CSR14', doc: 'SIA transmit and receive: kept, no effect here' },
  { offset: CSR15, name: 'CSR15', doc: 'SIA and general-purpose port: kept, no effect here' },
];

// ---- CSR0 bus mode ----------------------------------------------------------
/** Software reset: every CSR back to its default, both processes stopped. */
export const CSR0_SWR = 0x1;
export const CSR0_DSL_SHIFT = 2;
export const CSR0_DSL_MASK = 0x1f;

// ---- CSR5 status, CSR7 interrupt enable (tulip.h enum status_bits) ----------
export const TxIntr = 0x01;
export const TxDied = 0x02;
export const TxNoBuf = 0x04;
export const TxJabber = 0x08;
/** 21143: link pass (tulip.h also names bit 4 RxErrIntr, as other chips use it). */
export const TPLnkPass = 0x10;
export const TxFIFOUnderflow = 0x20;
export const RxIntr = 0x40;
export const RxNoBuf = 0x80;
export const RxDied = 0x100;
export const RxJabber = 0x200;
export const TimerInt = 0x800;
export const TPLnkFail = 0x1000;
export const SystemError = 0x2000;
export const AbnormalIntr = 0x8000;
export const NormalIntr = 0x10000;
/** Sources summarised by NormalIntr (NIS): TI, TU, RI (and early receive, not modelled). */
export const NORMAL_SOURCES = TxIntr | TxNoBuf | RxIntr;
/** Sources summarised by AbnormalIntr (AIS). */
export const ABNORMAL_SOURCES =
  TxDied |
  TxJabber |
  TPLnkPass |
  TxFIFOUnderflow |
  RxNoBuf |
  RxDied |
  RxJabber |
  TimerInt |
  TPLnkFail |
  SystemError;
/** CSR5 bits a write of 1 clears. */
export const CSR5_W1C = 0x1ffff;
export const CSR5_RS_SHIFT = 17;
export const CSR5_TS_SHIFT = 20;
/** Receive process states (CSR5 RS). */
export const RS_STOPPED = 0;
export const RS_WAITING = 3;
export const RS_SUSPENDED = 4;
/** Transmit process states (CSR5 TS). */
export const TS_STOPPED = 0;
export const TS_WAITING = 2;
export const TS_SUSPENDED = 6;

// ---- CSR6 operation mode (tulip.h enum tulip_mode_bits, 21143 manual) --------
/** HP: hash/perfect filtering (read only: the last setup frame's FT0). */
export const CSR6_HP = 0x1;
export const RxOn = 0x2; // SR
/** HO: hash-only filtering (read only: FT1 and FT0 of the last setup frame). */
export const CSR6_HO = 0x4;
export const AcceptRunt = 0x8; // PB: pass bad frames
/** IF: inverse filtering (read only). */
export const CSR6_IF = 0x10;
export const AcceptAllPhys = 0x40; // PR
export const AcceptAllMulticast = 0x80; // PM
export const FullDuplex = 0x200;
export const TxOn = 0x2000; // ST
export const TxThreshold = 1 << 22;
/** The filter-mode bits the chip owns. */
export const CSR6_FILTER_RO = CSR6_HP | CSR6_HO | CSR6_IF;

// ---- descriptors: four little-endian longwords (struct tulip_rx_desc/tx_desc)
export const DESC_SIZE = 16;
export const DESC_STATUS = 0;
export const DESC_LENGTH = 4;
export const DESC_BUFFER1 = 8;
export const DESC_BUFFER2 = 12;
/** OWN: the card owns the descriptor (tulip.h DescOwned). */
export const DescOwned = 0x80000000;
/** RER/TER in the length word: the last descriptor, the next is the list base (tulip.h). */
export const DESC_RING_WRAP = 0x02000000;
/** RCH/TCH: buffer2 holds the next descriptor's address. */
export const DESC_CHAINED = 0x01000000;
export const BUF_SIZE_MASK = 0x7ff;
export const BUF2_SHIFT = 11;

// RDES0 (receive status)
export const RDES0_FL_SHIFT = 16;
export const RDES0_FL_MASK = 0x3fff;
/** Error summary. */
export const RDES0_ES = 0x8000;
/** Descriptor error: the frame did not fit the descriptors the card owned. */
export const RDES0_DE = 0x4000;
export const RDES0_RF = 0x0800; // runt frame
export const RDES0_MF = 0x0400; // multicast frame
export const RDES0_FS = 0x0200; // first descriptor
export const RDES0_LS = 0x0100; // last descriptor
export const RDES0_TL = 0x0080; // frame too long
export const RDES0_CE = 0x0002; // CRC error

// TDES0 (transmit status)
export const TDES0_ES = 0x8000;
export const TDES0_TO = 0x4000; // transmit jabber timeout
export const TDES0_LO = 0x0800; // loss of carrier
export const TDES0_NC = 0x0400; // no carrier
export const TDES0_LC = 0x0200; // late collision
export const TDES0_EC = 0x0100; // excessive collisions (16)
export const TDES0_CC_SHIFT = 3; // collision count, bits 6:3
/** What the card writes to TDES0 when it has taken a setup frame. */
export const TDES0_SETUP_DONE = 0x7fffffff;

// TDES1 (transmit control)
export const TDES1_IC = 0x80000000; // interrupt on completion
export const TDES1_LS = 0x40000000; // last segment
export const TDES1_FS = 0x20000000; // first segment
export const TDES1_FT1 = 0x10000000; // filtering type, with FT0
export const TDES1_SET = 0x08000000; // setup packet
export const TDES1_AC = 0x04000000; // add CRC disable
export const TDES1_DPD = 0x00800000; // disabled padding
export const TDES1_FT0 = 0x00400000;

// ---- the setup frame -------------------------------------------------------
/** A setup frame is 192 bytes: 48 longwords, only the low 16 bits of each used. */
export const SETUP_FRAME_LEN = 192;
export const SETUP_PERFECT_ENTRIES = 16;
/** Bytes per perfect entry: three longwords, each carrying two address bytes. */
export const SETUP_ENTRY_LEN = 12;
/** In hash mode, the one perfect (physical) address sits in longwords 39–41. */
export const SETUP_HASH_PERFECT_AT = 39 * 4;
export const HASH_BINS = 512;
/** The hash index: `ether_crc_le(6, addr) & 0x1ff` (tulip_core.c build_setup_frame_hash). */
export const HASH_MASK = 0x1ff;

/** Filter modes, from the setup frame's FT1:FT0. */
export const FILTER_PERFECT = 0;
export const FILTER_HASH = 1; // FT0: 512-bin hash for multicast, one perfect physical address
export const FILTER_INVERSE = 2; // FT1: accept what the perfect table does not list
export const FILTER_HASH_ONLY = 3; // FT1|FT0: every address through the hash

/** Largest frame the transmitter sends before its jabber timer cuts it off (bytes). */
export const TX_JABBER_LEN = 2048;
