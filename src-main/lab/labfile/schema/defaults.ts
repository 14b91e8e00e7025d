import { formatMac, macFromKey } from '../../wire/mac';
import { cardResources, type InterfaceSpec } from './hosts';

// What a lab gets when its file says nothing: the defaults both the schema and build.ts read.

/** The MAC `Lab.addInterface` gives card `nicIndex` of host `hostIndex` when none is set. */
export function defaultMac(hostIndex: number, nicIndex: number): string {
  return formatMac(macFromKey(0x020000000000 + (hostIndex + 1) * 256 + nicIndex));
}

/**
 * The IRQ line each card of one host ends up on: its own, or the one
 * `Machine.assignIrq` picks (the model's first line no earlier default took).
 */
export function effectiveIrqs(ifaces: readonly InterfaceSpec[]): number[] {
  const assigned = new Set<number>();
  return ifaces.map((iface) => {
    if (iface.irq !== undefined) return iface.irq;
    const choices = cardResources(iface.nic).irqs;
    const irq = choices.find((c) => !assigned.has(c)) ?? choices[0];
    assigned.add(irq);
    return irq;
  });
}

/** A generator's payload size when the file gives none. */
export const DEFAULT_PAYLOAD_SIZE = 64;

/** The IPv4 header and the UDP header in front of a generator's payload. */
export const IP_UDP_HEADERS = 28;
export const DEFAULT_MTU = 1500;
