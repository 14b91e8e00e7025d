import type { Machine } from '../../drivers/machine';
import { left, right } from './printf';

/**
 * /proc/interrupts as a 2.6-era i386 kernel printed it for the ISA PIC the
 * lab's cards sit on: a CPU header, then per line its count, the chip
 * ("XT-PIC"), the flow handler's name ("XT") and the device holding the line.
 * Lines nobody holds are shown while they have counted interrupts, as current
 * kernels do. The trailing ERR line counts spurious interrupts: none here.
 */
export function renderInterrupts(machine: Machine): string {
  let out = `${' '.repeat(11)}${left('CPU0', 11)}\n`;
  const irqs = [...machine.interrupts.keys()].sort((a, b) => a - b);
  for (const irq of irqs) {
    const count = machine.interrupts.get(irq) ?? 0;
    const owner = machine.irqOwner(irq);
    if (owner === undefined && count === 0) continue;
    out += `${right(irq, 3)}: ${right(count, 10)}  ${right('XT-PIC', 8)}-${left('XT', 8)}`;
    out += owner === undefined ? '\n' : `  ${owner}\n`;
  }
  out += `ERR: ${right(0, 10)}\n`;
  return out;
}
