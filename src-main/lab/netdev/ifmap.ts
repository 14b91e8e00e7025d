/** `struct ifmap` (SIOCGIFMAP/SIOCSIFMAP): where an ISA-era card sits in the machine. */
export interface Ifmap {
  memStart: number;
  memEnd: number;
  baseAddr: number;
  irq: number;
  dma: number;
  port: number;
}

/** Media selection for `Ifmap.port` (<linux/netdevice.h> IF_PORT_*). */
export const IF_PORT_UNKNOWN = 0;
export const IF_PORT_10BASE2 = 1;
export const IF_PORT_10BASET = 2;
export const IF_PORT_AUI = 3;
export const IF_PORT_100BASET = 4;
export const IF_PORT_100BASETX = 5;
export const IF_PORT_100BASEFX = 6;
