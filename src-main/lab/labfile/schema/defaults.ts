import { firstFreeIrq } from '../../drivers/machine';
import { defaultMac as labDefaultMac } from '../../lab';
import { ETH_DATA_LEN } from '../../wire/ethernet';
import { IPV4_HLEN } from '../../wire/ipv4';
import { UDP_HLEN } from '../../wire/udp';
import { formatMac } from '../../wire/mac';
import { cardResources, type InterfaceSpec } from './hosts';

// What a lab gets when its file says nothing: the defaults both the schema and build.ts read.

/** The MAC `Lab.addInterface` gives card `nicIndex` of host `hostIndex` when none is set. */
export function defaultMac(hostIndex: number, nicIndex: number): string {
  return formatMac(labDefaultMac(hostIndex, nicIndex));
}

/**
 * The IRQ line each card of one host ends up on: its own, or the one
 * `Machine.assignIrq` picks (the model's first line no earlier default took).
 */
export function effectiveIrqs(ifaces: readonly InterfaceSpec[]): number[] {
  const assigned = new Set<number>();
  return ifaces.map((iface) => {
    if (iface.irq !== undefined) return iface.irq;
    const irq = firstFreeIrq(cardResources(iface.nic).irqs, assigned);
    assigned.add(irq);
    return irq;
  });
}

/** A generator's payload size when the file gives none. */
export const DEFAULT_PAYLOAD_SIZE = 64;

/** The IPv4 header and the UDP header in front of a generator's payload. */
export const IP_UDP_HEADERS = IPV4_HLEN + UDP_HLEN;
export const DEFAULT_MTU = ETH_DATA_LEN;
