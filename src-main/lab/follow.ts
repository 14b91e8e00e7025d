import { fateDef } from './netdev/drop-reason';
import type { EtherNic } from './drivers/ether-nic';
import { HW_REJECT } from './drivers/rx-filter';
import { explainFilter } from './drivers/rx-filter-explain';
import type { Host } from './host/host';
import {
  WIRE_COLLISION,
  WIRE_CORRUPTED,
  WIRE_LOST,
  WIRE_OK,
  type Segment,
} from './segment/segment';
import { WIRE_IN_FLIGHT, type WireRecord } from './segment/wire-log';
import { formatIpv4 } from './wire/ipv4-addr';
import { formatMac, macFromKey } from './wire/mac';

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
): WireFrameFate | null {
  const wire = lab.segment.wireLog.find(seq);
  if (!wire) return null;
  const owners = new Map<unknown, { host: Host; nic: EtherNic }>();
  for (const host of lab.hosts) for (const nic of host.nics) owners.set(nic, { host, nic });
  const stationName = (i: number) => {
    const mac = lab.segment.stations[i]?.mac;
    const o = owners.get(mac);
    return o ? `${o.host.name}:${o.nic.dev.name}` : (mac?.name ?? `station ${i}`);
  };
  const stations = lab.segment.stations.map((st, i): StationFate => {
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
  return {
    ...base,
    fate: record.stage,
    socket: record.socket >= 0 ? record.socket : null,
    detail: sentence,
    stages: [...stages, { what: sentence, timeNs: record.time }],
  };
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
      if (rx.wireSeq[at] === seq) return 'the RX ring';
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
