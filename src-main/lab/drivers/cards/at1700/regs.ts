/**
 * The Fujitsu MB86965 on an Allied Telesis AT1700, as Linux's at1700.c (v1.12,
 * Donald Becker, Linux 1.2–2.0) names its registers: offsets from the base.
 * Registers 8–15 are banked by CONFIG_1's bits 2–3: bank 0 the station
 * address, bank 1 the multicast table, bank 2 the run-time ports.
 */
export const AT1700_IO_EXTENT = 32;

/** DLCR0 (low byte of a word read at 0): transmit status; write 1s to clear. */
export const TX_STATUS = 0;
/** DLCR1 (high byte of the same word): receive status; write 1s to clear. */
export const RX_STATUS = 1;
/** DLCR2/DLCR3: which TX_STATUS/RX_STATUS bits interrupt. */
export const TX_INTR = 2;
export const RX_INTR = 3;
export const TX_MODE = 4;
/** DLCR5: address filter (AF1-0) in bits 0-1; bit 6 reads 1 while the receive buffer is empty. */
export const RX_MODE = 5;
/** DLCR6: bit 7 set disables the data-link controller (receiver and transmitter). */
export const CONFIG_0 = 6;
/** DLCR7: bits 2-3 select the bank of registers 8-15; bit 5 clear powers the chip down. */
export const CONFIG_1 = 7;
/** Bank 0: the station address, six bytes from 8. */
export const NODE_ID = 8;
/** Bank 1: the 64-bit multicast table, eight bytes from 8 (at1700.c loads zeros: accept none). */
export const MCAST_TABLE = 8;
/** Bank 2: the buffer memory's word-wide port (receive: status, length, data; transmit: length, data). */
export const DATAPORT = 8;
/** Bank 2: 0x80 | n sends the n frames written to the transmit buffer. */
export const TX_START = 10;
export const COL16CNTL = 11;
export const MODE13 = 13;
/** Bank 2: writing 0x05 skips the rest of the frame being read from the receive buffer. */
export const RX_SKIP = 14;
export const EEPROM_CTRL = 16;
export const EEPROM_DATA = 17;
export const RESET = 31;

// TX_STATUS bits (DLCR0)
export const TX_DONE = 0x80;
export const TX_COL16 = 0x02;
// RX_STATUS bits (DLCR1)
export const RX_PKT_RDY = 0x80;
export const RX_SHORT = 0x08;
export const RX_ALIGN = 0x04;
export const RX_CRC = 0x02;
export const RX_OVERFLOW = 0x01;
/** The first word of a frame in the receive buffer: 0x20 for a good frame. */
export const RX_GOOD = 0x20;

// RX_MODE address filter (AF1-0): the two modes at1700.c uses.
export const AF_MASK = 0x03;
export const AF_NORMAL = 0x02;
export const AF_PROMISC = 0x03;
export const RX_BUF_EMPTY = 0x40;

export const CONFIG_0_DISABLE = 0x80;
export const CONFIG_1_POWER = 0x20;
export const CONFIG_1_BANK = 0x0c;

// EEPROM_CTRL / EEPROM_DATA bits (a 93C46 serial EEPROM)
export const EE_SHIFT_CLK = 0x40;
export const EE_CS = 0x20;
export const EE_DATA = 0x80;
/** EEPROM words 4-6: the station address, high byte first. */
export const EE_STATION_ADDR = 4;

/** Bytes of buffer memory: 32 KiB, of which two 4 KiB transmit queues (CONFIG_0 = 0x5a). */
export const TX_QUEUE_BYTES = 4096;
export const RX_BUFFER_BYTES = 32768 - 2 * TX_QUEUE_BYTES;
