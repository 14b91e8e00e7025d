// Builds a host's HostNetView (ipc/host-net-view.ts) from its kernel: bridges as `bridge link`
// and `ip -d link` would report them, ip_forward as sysctl reads it, routes as `ip route`.
import type { Host } from '../lab/host/host';
import type { HostNetView } from '../ipc/host-net-view';

export function hostNetView(host: Host): HostNetView {
  const k = host.kernel;
  return {
    ipForward: k.sysctl.get('net.ipv4.ip_forward') === 1,
    routes: k.routes
      .render()
      .split('\n')
      .map((line) => line.trimEnd())
      .filter(Boolean),
    bridges: k.bridges.map((br) => ({
      name: br.name,
      up: br.up,
      ports: br.ports.map((p) => ({ dev: p.dev.name, state: br.portState(p) })),
      snooping: br.mcast.snooping,
      querier: br.mcast.querier,
      querierExists: br.mcast.querierExists(),
      fdbEntries: br.fdb.all().length,
      mdbGroups: br.mcast.mdb.all().length,
    })),
  };
}
