// The driver editor's operations on the lab: which devices run a driver in the sandbox, one
// driver's source with its card's register map and the kernel API, and reloading a new source
// into the running lab (and into the lab rebuilt later).
import { REGISTER_MAPS } from '../lab/drivers/cards/register-maps';
import { REGISTER_CARD_NAMES, type RegisterCardKind } from '../lab/drivers/cards';
import { DRIVER_OP_DOCS, KERNEL_API_DOCS } from '../lab/drivers/student/api-doc';
import type { DriverReport } from '../lab/drivers/student/oops';
import type { StudentNic } from '../lab/drivers/student/student-nic';
import type { OopsView } from '../ipc/driver-view';
import type { OpParsedArgs, OpResult } from '../ipc/ops';
import { apiError } from '../ipc/errors';
import type { LabState } from './lab-state';

/** The oopses and warnings a reply carries, newest last. */
const MAX_OOPSES = 8;

function studentNics(state: LabState): { host: string; nic: StudentNic }[] {
  return state.lab.hosts.flatMap((h) => h.registerNics.map((nic) => ({ host: h.name, nic })));
}

function nicOf(state: LabState, host: string, dev: string): StudentNic {
  const h = state.host(host);
  const nic = h.registerNic(dev);
  if (nic) return nic;
  if (h.nics.some((n) => n.dev.name === dev))
    throw apiError(
      'refused',
      `${host} ${dev} runs the lab's own built-in driver: only a register-level card (nic: ${REGISTER_CARD_NAMES.join(', ')}) runs a driver you can edit`,
      'args.dev',
    );
  const names = [...h.nics, ...h.registerNics].map((n) => n.dev.name).join(', ') || 'none';
  throw apiError('not-found', `${host} has no interface "${dev}" (it has ${names})`, 'args.dev');
}

export function oopsView(r: DriverReport): OopsView {
  const title = `${r.severity === 'oops' ? 'Oops' : 'WARNING'}: ${r.title}`;
  return {
    message: `${title}: ${r.message}`,
    title,
    line: r.line > 0 ? r.line : null,
    op: r.op || null,
    stack: r.stack,
    timeNs: r.time,
  };
}

function sourceView(host: string, nic: StudentNic): OpResult<'driver.get'> {
  const card = nic.card.kind as RegisterCardKind;
  return {
    host,
    dev: nic.dev.name,
    file: nic.file,
    card,
    text: nic.sourceText,
    registers: REGISTER_MAPS[card].map((r) => ({ ...r })),
    api: KERNEL_API_DOCS.map((a) => ({ ...a })),
    ops: DRIVER_OP_DOCS.map((o) => o.name),
    oopses: nic.reports.slice(-MAX_OOPSES).map(oopsView),
  };
}

export const driverOps = {
  'driver.list': (state: LabState): OpResult<'driver.list'> =>
    studentNics(state).map(({ host, nic }) => ({
      host,
      dev: nic.dev.name,
      file: nic.file,
      card: nic.card.kind,
    })),

  'driver.get': (state: LabState, a: OpParsedArgs<'driver.get'>): OpResult<'driver.get'> =>
    sourceView(a.host, nicOf(state, a.host, a.dev)),

  /**
   * Loads the text into every device that runs the same file (they share it, as two cards share
   * a module), and keeps it for the lab rebuilt later (Reset, an edit of the topology).
   */
  'driver.reload': (
    state: LabState,
    a: OpParsedArgs<'driver.reload'>,
  ): OpResult<'driver.reload'> => {
    const target = nicOf(state, a.host, a.dev);
    const file = target.file;
    state.driverEdits.set(file, a.text);
    let failed: DriverReport | null = null;
    for (const { nic } of studentNics(state)) {
      if (nic.file !== file) continue;
      const oops = nic.reload({ file, source: a.text });
      if (nic === target) failed = oops;
    }
    if (failed) return { ok: false, oops: oopsView(failed) };
    return { ok: true, driver: sourceView(a.host, target) };
  },
};
