// The driver editor's operations on the lab: which devices run a student's driver, one driver's
// source with its card's register map and the kernel API, and reloading a new source into the
// running lab.
import { ApiError } from '../ipc/protocol';
import type { OpParsedArgs, OpResult } from '../ipc/ops';
import type { LabState } from './lab-state';

export const driverOps = {
  // No lab can name a student driver yet (the lab file's `driver:` comes with the sandbox).
  'driver.list': (): OpResult<'driver.list'> => [],

  'driver.get': (state: LabState, a: OpParsedArgs<'driver.get'>): OpResult<'driver.get'> =>
    notStudent(state, a),

  'driver.reload': (state: LabState, a: OpParsedArgs<'driver.reload'>): OpResult<'driver.reload'> =>
    notStudent(state, a),
};

/** The device exists (or the error names what does) but runs a driver the lab wrote. */
function notStudent(state: LabState, a: { host: string; dev: string }): never {
  const { nic } = state.nic(a.host, a.dev);
  throw new ApiError(
    `${a.host} ${a.dev} runs the lab's own ${nic.model.name} driver, not one of yours: a lab file gives a card your driver with driver: { file: NAME.js } on a register-level nic (ne2000, tulip)`,
    'args.dev',
  );
}
