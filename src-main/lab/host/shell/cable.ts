import type { Command } from './context';

const USAGE = 'Usage: cable DEV [plug|unplug]';

/**
 * `cable DEV [plug|unplug]`: not a Linux tool but the lab's hand on the hardware. It pulls a
 * card's cable out of the segment or plugs it back, so a student can watch what the driver and
 * the kernel make of a lost carrier (NO-CARRIER, tx_carrier_errors). Without an action it says
 * whether the cable is in. It is physical, so any user may do it, and it works whether or not
 * the driver is loaded or the interface up (the card is found by its name at boot).
 */
export const cable: Command = (ctx, args) => {
  const [name, action, ...rest] = args;
  if (name === undefined || rest.length > 0 || (action !== undefined && !isAction(action))) {
    ctx.job.print(USAGE);
    return 1;
  }
  const nic = ctx.host.nic(name);
  const plugged = nic ? ctx.host.cablePlugged(nic) : null;
  if (!nic || plugged === null) {
    ctx.job.print(`cable: ${name}: no such card with a cable on this host`);
    return 1;
  }
  if (action === undefined) {
    ctx.job.print(`${name}: cable ${plugged ? 'plugged in' : 'unplugged'}`);
    return 0;
  }
  ctx.host.setCablePlugged(nic, action === 'plug');
  return 0;
};

function isAction(a: string): a is 'plug' | 'unplug' {
  return a === 'plug' || a === 'unplug';
}
