import { fateDef } from './netdev/drop-reason';
import type { EtherNic } from './drivers/ether-nic';
import { HW_REJECT } from './drivers/rx-filter';
import { explainFilter } from './drivers/rx-filter-explain';
import type { Host } from './host/host';
import { V_MDB, verdictText } from './kernel/bridge/br-verdicts';
import {
  WIRE_COLLISION,
  WIRE_CORRUPTED,
  WIRE_LOST,
  WIRE_OK,
  type Segment,
} from './segment/segment';
import { WIRE_IN_FLIGHT, type WireRecord } from './segment/wire-log';
import { formatIpv4 } from './wire/ipv4-addr';
import { formatMac, macFromKey, macKey } from './wire/mac';

/** One moment in a frame's way through a station, in simulated ns. */
export interface FollowStage {
  what: string;
  timeNs: number;
}

/** What became of one wire frame at one station of the segment. */
export interface StationFate {
  /** The host, or null for an external port. */
  host: string | null;
  /** The interface (or the external port's name). */
  dev: string;
  /**
   * In the Fate column's words: `sent`, `hardware filter`, a kernel stage (`delivered`,
   * `group not joined`…), `card down`, `cable unplugged`, `collision`, `lost on the wire`,
   * `in flight`, `queued`, `to the outside` or `unknown`.
   */
  fate: string;
  /** Why, as a sentence: `hash bin 12 not set (bins set: 4)`, `delivered to socket 3 (…)`. */
  detail: string;
  /** The receiving socket, when the fate names one. */
  socket: number | null;
  stages: FollowStage[];
}

export interface WireFrameFate {
  seq: number;
  /** The segment's outcome: `on the wire`, `collision`, `corrupted (bad FCS)`, `lost on the wire`, `in flight`. */
  outcome: string;
  /** `host:dev` (or the external port) that sent it. */
  sender: string;
  destination: string;
  startNs: number;
  /** When its last bit passed every station (NaN while in flight). */
  endNs: number;
  stations: StationFate[];
}

/** Names a socket's owner for the report (`sink h1:5000`), or null when it has none. */
export type SocketNamer = (host: Host, socketId: number) => string | null;

const OUTCOMES: Record<number, string> = {
  [WIRE_OK]: 'on the wire',
  [WIRE_COLLISION]: 'collision',
  [WIRE_CORRUPTED]: 'corrupted (bad FCS)',
  [WIRE_LOST]: 'lost on the wire',
  [WIRE_IN_FLIGHT]: 'in flight',
};

/** How the sender's frame ended, as its last step. */
const SENDER_ENDS: Record<number, string> = {
  [WIRE_OK]: 'its last bit reached every station',
  [WIRE_COLLISION]: 'collided',
  [WIRE_CORRUPTED]: 'reached every station, corrupted',
  [WIRE_LOST]: 'lost on the wire',
};

/**
 * The fate of wire frame `seq` at every station of the segment: the sender,
 * then each receiver's card (its filter's verdict, worked out from the filter as
 * it was then) and kernel (the host's fate record). Null when the wire's log
 * has forgotten the frame (65,536 frames later).
 */
export function followWireFrame(
  lab: { segment: Segment; hosts: readonly Host[] },
  seq: number,
  socketName: SocketNamer = () => null,
  /** The segment the frame number is on (numbers are per segment): the lab's first unless given. */
  segment: Segment = lab.segment,
): WireFrameFate | null {
  const wire = segment.wireLog.find(seq);
  if (!wire) return null;
  const owners = new Map<unknown, { host: Host; nic: EtherNic }>();
  for (const host of lab.hosts) for (const nic of host.nics) owners.set(nic, { host, nic });
  const stationName = (i: number) => {
    const mac = segment.stations[i]?.mac;
    const o = owners.get(mac);
    return o ? `${o.host.name}:${o.nic.dev.name}` : (mac?.name ?? `station ${i}`);
  };
  const stations = segment.stations.map((st, i): StationFate => {
    const o = owners.get(st.mac);
    if (!o) {
      const sent = i === wire.sender;
      return {
        host: null,
        dev: st.mac.name,
        fate: sent ? 'sent' : 'to the outside',
        detail: sent
          ? 'came in from outside the lab'
          : 'an external port: frames of the wire go out as UDP datagrams',
        socket: null,
        stages: [],
      };
    }
    return atCard(o.host, o.nic, wire, i === wire.sender, socketName);
  });
  return {
    seq,
    outcome: OUTCOMES[wire.outcome] ?? 'on the wire',
    sender: stationName(wire.sender),
    destination: formatMac(macFromKey(wire.destKey)),
    startNs: wire.startTime,
    endNs: wire.endTime,
    stations,
  };
}

function atCard(
  host: Host,
  nic: EtherNic,
  wire: WireRecord,
  sender: boolean,
  socketName: SocketNamer,
): StationFate {
  const base = { host: host.name, dev: nic.dev.name, socket: null as number | null };
  const onWire = { what: 'went on the wire', timeNs: wire.startTime };
  if (sender) {
    const ended =
      wire.outcome === WIRE_IN_FLIGHT
        ? []
        : [{ what: SENDER_ENDS[wire.outcome] ?? 'ended', timeNs: wire.endTime }];
    const detail =
      wire.outcome === WIRE_OK
        ? 'sent it'
        : wire.outcome === WIRE_IN_FLIGHT
          ? 'is sending it'
          : `sent it: ${OUTCOMES[wire.outcome]}`;
    return { ...base, fate: 'sent', detail, stages: [onWire, ...ended] };
  }
  if (wire.outcome === WIRE_COLLISION || wire.outcome === WIRE_LOST) {
    const fate = OUTCOMES[wire.outcome];
    const why = wire.outcome === WIRE_LOST ? 'it was lost on the wire' : 'it collided';
    return { ...base, fate, detail: `never received: ${why}`, stages: [onWire] };
  }
  if (wire.outcome === WIRE_IN_FLIGHT) {
    return { ...base, fate: 'in flight', detail: 'still on the wire', stages: [onWire] };
  }
  const arrived = wire.endTime;
  const state = nic.filterHistory.at(arrived);
  const unknown = "the card's filter history no longer goes back to this frame";
  if (!state) return { ...base, fate: 'unknown', detail: unknown, stages: [onWire] };
  if (!state.plugged)
    return {
      ...base,
      fate: 'cable unplugged',
      detail: 'the cable was unplugged',
      stages: [onWire],
    };
  if (!state.receiving)
    return { ...base, fate: 'card down', detail: 'the card was down', stages: [onWire] };
  const hw = explainFilter(state.filter, nic.model.name, state.ownKey, wire.destKey);
  const stages = [onWire, { what: `card: ${hw.why}`, timeNs: arrived }];
  if (hw.verdict === HW_REJECT) return { ...base, fate: 'hardware filter', detail: hw.why, stages };
  // This card's copy: a host with two cards on the segment records each card's separately.
  const record = host.machine.fates.find(wire.seq, nic.dev.ifindex);
  if (!record) {
    const where = queuedAt(host, nic, wire.seq);
    const detail = where
      ? `let in (${hw.why}); waiting in ${where}`
      : `let in (${hw.why}); its fate is no longer recorded (a host keeps its last 65,536)`;
    return { ...base, fate: where ? 'queued' : 'unknown', detail, stages };
  }
  const sentence = stageSentence(host, record, wire, socketName, nic.dev.ifindex);
  // A bridge port: the bridge, not the host's stack, decided, and says where the frame went.
  const bridged = bridgeVerdict(host, nic, wire.seq);
  const detail = bridged ? bridged.join('; ') : sentence;
  return {
    ...base,
    fate: record.stage,
    socket: record.socket >= 0 ? record.socket : null,
    detail,
    stages: [...stages, ...(bridged ?? [sentence]).map((what) => ({ what, timeNs: record.time }))],
  };
}

/**
 * The verdict of the bridge `nic` is a port of on wire frame `seq` in at that port, in the
 * follow view's words ("br0: flooded to eth1, eth2", "mdb: no member behind eth2, not sent"),
 * or null when the card is no bridge port or the bridge no longer remembers the frame.
 */
export function bridgeVerdict(host: Host, nic: EtherNic, seq: number): string[] | null {
  const port = host.kernel.bridgePortOf(nic.dev);
  if (!port) return null;
  const br = port.br;
  const v = br.verdicts.find(seq, port.portNo);
  if (!v) return null;
  const out = br.portNames(v.mask);
  const notSent =
    v.kind === V_MDB
      ? br.ports
          .filter((p) => p !== port && br.forwarding(p) && !(v.mask & (1 << (p.portNo - 1))))
          .map((p) => p.name)
      : [];
  return verdictText(br.name, { inPort: port.name, kind: v.kind, out, notSent, group: v.group });
}

/** One segment's part of a frame's way: the frame there and its fate at each station. */
export interface Hop extends WireFrameFate {
  segment: string;
}

/**
 * A frame followed across bridges and routers: its fate on its own segment, then on each
 * segment a bridge or a router (ip_forward) sent it on to, and on from there (each segment once). A forwarded copy is a new frame on
 * the next wire; it is found in that segment's log as the first frame its port sent to the same
 * destination after the original's last bit arrived (a bridge forwards in order).
 */
export function followAcrossBridges(
  lab: { segment: Segment; segments: readonly Segment[]; hosts: readonly Host[] },
  seq: number,
  socketName: SocketNamer = () => null,
  segment: Segment = lab.segment,
): Hop[] {
  const hops: Hop[] = [];
  const seen = new Set<Segment>();
  const queue: [Segment, number][] = [[segment, seq]];
  while (queue.length > 0 && hops.length < 64) {
    const [seg, n] = queue.shift()!;
    if (seen.has(seg)) continue;
    seen.add(seg);
    const fate = followWireFrame(lab, n, socketName, seg);
    if (!fate) continue;
    hops.push({ ...fate, segment: seg.name });
    const wire = seg.wireLog.find(n)!;
    for (const host of lab.hosts) {
      for (const nic of host.nics) {
        if (host.cableOf(nic)?.segment !== seg) continue;
        const routed = routedOn(host, nic, n, wire.endTime);
        if (routed && !seen.has(routed[0])) queue.push(routed);
        const port = host.kernel.bridgePortOf(nic.dev);
        const v = port?.br.verdicts.find(n, port.portNo);
        if (!port || !v) continue;
        for (const q of port.br.ports) {
          if (!(v.mask & (1 << (q.portNo - 1)))) continue;
          const cable = host.cableOf(host.nics.find((x) => x.dev === q.dev)!);
          if (!cable || seen.has(cable.segment)) continue;
          const next = cable.segment.wireLog.findFrom(
            cable.station.index,
            wire.destKey,
            wire.endTime,
          );
          if (next > 0) queue.push([cable.segment, next]);
        }
      }
    }
  }
  return hops;
}

/**
 * A router's copy of wire frame `seq` (came in on `nic`, its last bit at `after`): the frame it
 * became out of the card its route named, to the next hop's MAC, on that card's segment.
 */
function routedOn(host: Host, nic: EtherNic, seq: number, after: number): [Segment, number] | null {
  const f = host.kernel.forwarded.find(seq, nic.dev.ifindex);
  if (!f || host.machine.fates.find(seq, nic.dev.ifindex)?.stage !== 'forwarded') return null;
  const out = host.nics.find((x) => x.dev.name === f.out);
  const cable = out && host.cableOf(out);
  const neigh = out && host.kernel.neigh.lookup(f.nexthop, out.dev);
  if (!cable || !neigh) return null;
  const next = cable.segment.wireLog.findFrom(cable.station.index, macKey(neigh.lladdr), after);
  return next > 0 ? [cable.segment, next] : null;
}

/** The host's record of the frame, as a sentence naming the socket when there is one. */
function stageSentence(
  host: Host,
  record: { stage: string; socket: number },
  wire: WireRecord,
  socketName: SocketNamer,
  iif: number,
): string {
  const sock = record.socket >= 0 ? socketText(host, record.socket, socketName) : 'a socket';
  if (record.stage === 'forwarded') {
    // A router's verdict: where the datagram went on, and with which TTL (kernel/forward-log.ts).
    const f = host.kernel.forwarded.find(wire.seq, iif);
    if (f) return `forwarded, TTL ${f.ttl}: out ${f.out} towards ${formatIpv4(f.nexthop)}`;
  }
  if (record.stage === 'neighbour failed') {
    // Forwarded, then dropped in the next hop's ARP queue (SKB_DROP_REASON_NEIGH_FAILED).
    const f = host.kernel.forwarded.find(wire.seq, iif);
    if (f)
      return `forwarded out ${f.out} towards ${formatIpv4(f.nexthop)}, but ARP got no answer: dropped (ICMP host unreachable sent back)`;
  }
  if (record.stage === 'delivered') return `delivered to ${sock}`;
  if (record.stage === 'receive buffer full')
    return `UDP dropped it: the receive buffer of ${sock} was full`;
  if (record.stage === 'rx error' && wire.outcome === WIRE_CORRUPTED)
    return 'the card found a bad FCS: the frame was corrupted on the wire';
  // What the stage did, in the drop-reason table's sentence.
  return fateDef(record.stage)?.sentence ?? record.stage;
}

/** Where a frame let in but not yet dealt with waits: the card's RX ring, or the backlog. */
function queuedAt(host: Host, nic: EtherNic, seq: number): string | null {
  const rx = nic.rx;
  if (rx) {
    for (let i = 0, at = rx.clean; i < rx.pending; i++, at = (at + 1) % rx.size)
      if (rx.wireSeq(at) === seq) return 'the RX ring';
  }
  for (let skb = host.machine.softnet.backlog.peek(); skb !== null; skb = skb.next)
    if (skb.wireSeq === seq && skb.iif === nic.dev.ifindex) return 'the backlog';
  return null;
}

function socketText(host: Host, id: number, socketName: SocketNamer): string {
  const sock = host.kernel.udp.sockets.find((s) => s.id === id);
  const owner = socketName(host, id);
  const bound = sock ? `${formatIpv4(sock.localAddr)}:${sock.localPort}` : 'closed since';
  return `socket ${id} (${owner ? `${owner}, ` : ''}${bound})`;
}
