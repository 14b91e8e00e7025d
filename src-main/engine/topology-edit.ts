// Adding and removing hosts and cards. The lab is a built thing (cards registered, IRQs
// assigned, sockets joined), so an edit changes the lab's file form and builds it again: the
// clock starts over at 0, and the result is exactly what saving and reopening the lab gives.
// The edited file is validated like any other, so a host still named by a generator cannot be
// removed, and the error says why.
import { formatSpecErrors } from '../lab/labfile/errors';
import { apiError } from '../ipc/errors';
import { validateLabData } from '../lab/labfile/load';
import { toLabData } from '../lab/labfile/save';
import type { LabSpec } from '../lab/labfile/schema';
import { ApiError } from '../ipc/protocol';
import type { OpParsedArgs } from '../ipc/ops';

type Data = Record<string, unknown>;
type HostData = { name: string; interfaces?: Data[] } & Data;

/** Applies `edit` to the spec's file form; returns the new spec, or throws the validation errors. */
function edited(spec: LabSpec, edit: (hosts: HostData[]) => void): LabSpec {
  const data = toLabData(spec);
  const hosts = data['hosts'] as HostData[];
  edit(hosts);
  const r = validateLabData(data, spec.name ?? 'lab');
  if (r.errors)
    throw new ApiError({
      code: 'invalid-lab',
      message: `the lab would not be valid:\n${formatSpecErrors(r.errors)}`,
      field: 'args',
      details: r.errors,
    });
  return r.spec;
}

function hostOf(hosts: HostData[], name: string): HostData {
  const host = hosts.find((h) => h.name === name);
  if (!host) throw apiError('not-found', `no host "${name}"`, 'args.host');
  return host;
}

function iface(name: string, nic: string, ip: string | undefined): Data {
  return ip === undefined ? { name, nic } : { name, nic, ip };
}

export const topologyEdits = {
  'host.add': (spec: LabSpec, a: OpParsedArgs<'host.add'>) =>
    edited(spec, (hosts) => {
      if (hosts.some((h) => h.name === a.name))
        throw apiError('exists', `there is a host "${a.name}" already`, 'args.name');
      hosts.push({ name: a.name, interfaces: [iface('eth0', a.nic ?? 'hash64', a.ip)] });
    }),

  'host.remove': (spec: LabSpec, a: OpParsedArgs<'host.remove'>) =>
    edited(spec, (hosts) => {
      const i = hosts.findIndex((h) => h.name === a.name);
      if (i < 0) throw apiError('not-found', `no host "${a.name}"`, 'args.name');
      hosts.splice(i, 1);
    }),

  'nic.add': (spec: LabSpec, a: OpParsedArgs<'nic.add'>) =>
    edited(spec, (hosts) => {
      const host = hostOf(hosts, a.host);
      const list = (host.interfaces ??= []);
      let name = a.name;
      if (name === undefined) {
        let n = list.length;
        while (list.some((x) => x['name'] === `eth${n}`)) n++;
        name = `eth${n}`;
      }
      list.push(iface(name, a.nic ?? 'hash64', a.ip));
    }),

  'nic.remove': (spec: LabSpec, a: OpParsedArgs<'nic.remove'>) =>
    edited(spec, (hosts) => {
      const host = hostOf(hosts, a.host);
      const list = host.interfaces ?? [];
      const i = list.findIndex((x) => x['name'] === a.dev);
      if (i < 0) throw apiError('not-found', `${a.host} has no interface "${a.dev}"`, 'args.dev');
      list.splice(i, 1);
    }),
};
