import { describe, expect, it } from 'vitest';
import { FATES, fateDef } from './drop-reason';
import * as fate from './fate';

describe('the drop-reason table', () => {
  it("each FATE_ constant is its row's index, and names and keys are unique", () => {
    const rows: [number, string, string][] = [
      [fate.FATE_HW_FILTER, 'hardware filter', 'card'],
      [fate.FATE_RX_ERROR, 'rx error', 'card'],
      [fate.FATE_RING_FULL, 'ring full', 'card'],
      [fate.FATE_BACKLOG, 'backlog full', 'SKB_DROP_REASON_CPU_BACKLOG'],
      [fate.FATE_NOT_FOR_HOST, 'not for this host', 'SKB_DROP_REASON_OTHERHOST'],
      [fate.FATE_NOT_JOINED, 'group not joined', 'SKB_DROP_REASON_IP_INVALID_DEST'],
      [fate.FATE_NO_SOCKET, 'no socket', 'SKB_DROP_REASON_NO_SOCKET'],
      [fate.FATE_RCVBUF_FULL, 'receive buffer full', 'SKB_DROP_REASON_SOCKET_RCVBUFF'],
      [fate.FATE_DELIVERED, 'delivered', 'consumed'],
      [fate.FATE_CONSUMED, 'consumed by kernel', 'consumed'],
      [fate.FATE_HDR_ERROR, 'header error', 'SKB_DROP_REASON_IP_INHDR'],
      [fate.FATE_NO_PROTOCOL, 'unknown protocol', 'SKB_DROP_REASON_UNHANDLED_PROTO'],
      [fate.FATE_DEV_DROP, 'device drop', 'SKB_DROP_REASON_DEV_READY'],
      [fate.FATE_MARTIAN, 'martian address', 'SKB_DROP_REASON_IP_INVALID_SOURCE'],
      [fate.FATE_FORWARDED, 'forwarded', 'consumed'],
      [fate.FATE_NO_ROUTE, 'no route', 'SKB_DROP_REASON_IP_INNOROUTES'],
      [fate.FATE_NEIGH_FAILED, 'neighbour failed', 'SKB_DROP_REASON_NEIGH_FAILED'],
    ];
    expect(rows.map(([i]) => [FATES[i].name, FATES[i].reason])).toEqual(
      rows.map(([, name, reason]) => [name, reason]),
    );
    expect(FATES).toHaveLength(rows.length);
    expect(new Set(FATES.map((f) => f.name)).size).toBe(FATES.length);
    expect(new Set(FATES.map((f) => f.key)).size).toBe(FATES.length);
    // A record packs its stage in 5 bits.
    expect(FATES.length).toBeLessThanOrEqual(32);
    expect(fate.FATE_NAMES).toEqual(FATES.map((f) => f.name));
    expect(fate.FATE_KEYS).toEqual(FATES.map((f) => f.key));
  });

  it('the fate log answers with the table’s words, and each row says its counter and sentence', () => {
    const log = new fate.FateLog();
    log.record(7, 100, fate.FATE_RCVBUF_FULL, 3, 2);
    const r = log.find(7)!;
    expect(r.stage).toBe('receive buffer full');
    expect(fateDef(r.stage)).toMatchObject({
      key: 'rcvbufFull',
      counter: 'UdpRcvbufErrors, UdpInErrors',
    });
    for (const f of FATES) {
      expect(f.sentence.length).toBeGreaterThan(0);
      expect(f.counter.length).toBeGreaterThan(0);
      expect(f.short.length).toBeGreaterThan(0);
    }
    expect(fateDef('collision')).toBeUndefined(); // the wire's outcomes are not host fates
  });
});
