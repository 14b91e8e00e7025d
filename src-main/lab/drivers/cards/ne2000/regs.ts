/**
 * The DP8390's registers and bits with the names Linux's 8390.h gives them,
 * and the NE2000's ports around it (ne.c). One table for the card, its tests,
 * the reference driver's reader and the editor's register map.
 */

/** Command register (all pages, offset 0). */
export const E8390_CMD = 0x00;
export const E8390_STOP = 0x01;
export const E8390_START = 0x02;
export const E8390_TRANS = 0x04;
export const E8390_RREAD = 0x08;
export const E8390_RWRITE = 0x10;
export const E8390_NODMA = 0x20;
export const E8390_PAGE0 = 0x00;
export const E8390_PAGE1 = 0x40;
export const E8390_PAGE2 = 0x80;

// Page 0, read.
export const EN0_CLDALO = 0x01;
export const EN0_BOUNDARY = 0x03;
export const EN0_TSR = 0x04;
export const EN0_NCR = 0x05;
export const EN0_FIFO = 0x06;
export const EN0_ISR = 0x07;
export const EN0_CRDALO = 0x08;
export const EN0_CRDAHI = 0x09;
export const EN0_RSR = 0x0c;
export const EN0_COUNTER0 = 0x0d;
export const EN0_COUNTER1 = 0x0e;
export const EN0_COUNTER2 = 0x0f;
// Page 0, write.
export const EN0_STARTPG = 0x01;
export const EN0_STOPPG = 0x02;
export const EN0_TPSR = 0x04;
export const EN0_TCNTLO = 0x05;
export const EN0_TCNTHI = 0x06;
export const EN0_RSARLO = 0x08;
export const EN0_RSARHI = 0x09;
export const EN0_RCNTLO = 0x0a;
export const EN0_RCNTHI = 0x0b;
export const EN0_RXCR = 0x0c;
export const EN0_TXCR = 0x0d;
export const EN0_DCFG = 0x0e;
export const EN0_IMR = 0x0f;
// Page 1.
export const EN1_PHYS = 0x01;
export const EN1_CURPAG = 0x07;
export const EN1_MULT = 0x08;

/** Interrupt status/mask bits (ISR, IMR). */
export const ENISR_RX = 0x01;
export const ENISR_TX = 0x02;
export const ENISR_RX_ERR = 0x04;
export const ENISR_TX_ERR = 0x08;
export const ENISR_OVER = 0x10;
export const ENISR_COUNTERS = 0x20;
export const ENISR_RDC = 0x40;
export const ENISR_RESET = 0x80;
export const ENISR_ALL = 0x3f;

/** Receive configuration (RCR). */
export const ENRXCR_SEP = 0x01;
export const ENRXCR_RUNT = 0x02;
export const ENRXCR_BCST = 0x04;
export const ENRXCR_MULTI = 0x08;
export const ENRXCR_PROMP = 0x10;
export const ENRXCR_MON = 0x20;

/** Transmit configuration (TCR): CRC inhibit, loopback mode. */
export const ENTXCR_CRC = 0x01;
export const ENTXCR_LOOP = 0x06;

/** Data configuration (DCR): word-wide remote DMA. */
export const ENDCFG_WTS = 0x01;

/** Transmit status (TSR). */
export const ENTSR_PTX = 0x01;
export const ENTSR_COL = 0x04;
export const ENTSR_ABT = 0x08;
export const ENTSR_CRS = 0x10;
export const ENTSR_OWC = 0x80;

/** Receive status (RSR, and the first byte of each frame's ring header). */
export const ENRSR_RXOK = 0x01;
export const ENRSR_CRC = 0x02;
export const ENRSR_FO = 0x08;
export const ENRSR_MPA = 0x10;
export const ENRSR_PHY = 0x20;
export const ENRSR_DIS = 0x40;

/** The NE2000 around the chip: the remote DMA data port and the reset port. */
export const NE_DATAPORT = 0x10;
export const NE_RESET = 0x1f;
export const NE_IO_EXTENT = 0x20;
/** Card memory: 16 KiB at 0x4000 (pages 0x40..0x7f) on the 16-bit NE2000. */
export const NESM_START_PG = 0x40;
export const NESM_STOP_PG = 0x80;
/** One page of card memory: the ring's unit. */
export const PAGE_SIZE = 256;
/** The 4-byte header the chip writes before each received frame: status, next page, count. */
export const RX_HDR_LEN = 4;

/** The register map by page, as the editor shows it: [offset, read name, write name]. */
export const NE2000_REGISTER_MAP: readonly (readonly [number, string, string])[][] = [
  [
    [0x00, 'CR', 'CR'],
    [0x01, 'CLDA0', 'PSTART'],
    [0x02, 'CLDA1', 'PSTOP'],
    [0x03, 'BNRY', 'BNRY'],
    [0x04, 'TSR', 'TPSR'],
    [0x05, 'NCR', 'TBCR0'],
    [0x06, 'FIFO', 'TBCR1'],
    [0x07, 'ISR', 'ISR'],
    [0x08, 'CRDA0', 'RSAR0'],
    [0x09, 'CRDA1', 'RSAR1'],
    [0x0a, '-', 'RBCR0'],
    [0x0b, '-', 'RBCR1'],
    [0x0c, 'RSR', 'RCR'],
    [0x0d, 'CNTR0', 'TCR'],
    [0x0e, 'CNTR1', 'DCR'],
    [0x0f, 'CNTR2', 'IMR'],
  ],
  [
    [0x00, 'CR', 'CR'],
    ...[1, 2, 3, 4, 5, 6].map((i) => [i, `PAR${i - 1}`, `PAR${i - 1}`] as const),
    [0x07, 'CURR', 'CURR'],
    ...[0, 1, 2, 3, 4, 5, 6, 7].map((i) => [8 + i, `MAR${i}`, `MAR${i}`] as const),
  ],
  [
    [0x00, 'CR', 'CR'],
    [0x01, 'PSTART', '-'],
    [0x02, 'PSTOP', '-'],
    [0x03, 'RNPP', '-'],
    [0x04, 'TPSR', '-'],
    [0x05, 'LNPP', '-'],
    [0x06, 'ACU', '-'],
    [0x07, 'ACL', '-'],
    [0x0c, 'RCR', '-'],
    [0x0d, 'TCR', '-'],
    [0x0e, 'DCR', '-'],
    [0x0f, 'IMR', '-'],
  ],
];
