import type { NetDevice } from '../netdev/net-device';
import type { RxFilter } from './rx-filter';

export type NicModelName = 'nofilter' | 'hash64' | 'perfect' | 'promisc-only';

/** When the card lets its MAC address change (SIOCSIFHWADDR). */
export type MacPolicy = 'anytime' | 'down-only' | 'unsupported';

/** What the card does past its perfect filter's last entry. */
export type PerfectFallback = 'hash' | 'allmulti';

/**
 * What distinguishes one card from another: its multicast filter, the
 * resources it can sit on, and what its driver allows. Everything else (rings,
 * interrupts, NAPI, transmit) is the shared core in ether-nic.ts.
 */
export interface NicModel {
  readonly name: NicModelName;
  /** One line for the UI: the kind of card this behaves like. */
  readonly description: string;
  /** Interrupt lines the card can be jumpered to. */
  readonly irqs: readonly number[];
  /** I/O base addresses the card can be jumpered to. */
  readonly ioBases: readonly number[];
  /** Bytes of I/O space from the base (for `mem_end`-style display). */
  readonly ioExtent: number;
  /** Media ports (IF_PORT_*) the card offers. */
  readonly ports: readonly number[];
  readonly macPolicy: MacPolicy;
  /**
   * Whether the driver uses NAPI (interrupt, then a budgeted poll) or, like
   * the ISA-era drivers, hands every frame to `netif_rx` from its interrupt
   * handler, one interrupt per frame, through the per-CPU backlog.
   */
  readonly napi: boolean;
  readonly maxMtu: number;
  /** Bins in the card's multicast hash table: 64 (a DP8390's) or 512 (a 21x4x's). */
  readonly hashBins: 64 | 512;
  /**
   * The driver's `set_multicast_list`: programs the filter registers from
   * the device's flags and multicast list. It may change `dev.flags` (the
   * promiscuous-only card sets IFF_PROMISC itself).
   */
  program(dev: NetDevice, filter: RxFilter, fallback: PerfectFallback): void;
}
