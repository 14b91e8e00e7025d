// Who holds a socket, for the follow view's "delivered to socket 3 (sink h1:5000, …)": the lab's
// own applications (its sinks and generators) and the sockets `iface.join` opened for the window.
import type { SocketNamer } from '../lab/follow';
import type { LabState } from './lab-state';

export function socketNamer(state: LabState): SocketNamer {
  const names = new Map<string, string>();
  const key = (host: string, id: number) => `${host}/${id}`;
  for (const sink of state.session.sinks)
    names.set(key(sink.host.name, sink.sock.id), `sink ${sink.name}`);
  state.session.generators.forEach((gen, i) => {
    const plan = state.session.built.generators[i];
    if (plan) names.set(key(plan.host.name, gen.sock.id), `generator ${plan.name}`);
  });
  for (const [join, sock] of state.joins) {
    const [host, dev, group] = join.split('/');
    names.set(key(host, sock.id), `the window's join of ${group} on ${dev}`);
  }
  return (host, id) => names.get(key(host.name, id)) ?? null;
}
