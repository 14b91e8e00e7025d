// A capture on two segments of a routed lab: each segment numbers its frames from 1, so lan1's
// frame 3 and lan2's frame 3 are different frames, and each point must keep its own bytes (the
// store shares one copy between points only for the same wire frame of the same segment).
import { describe, expect, it } from 'vitest';
import { routedLab } from '../testing/routed-lab';
import { Capture, type CapturePoint } from './capture';

describe('a capture on several segments', () => {
  it('keeps each segment’s own frames, though their wire numbers are the same', () => {
    const s = routedLab(
      "{ name: g, from: h1, to: '10.0.2.2:9', count: 3, rate: 1000pps, start: 1ms }",
    );
    const [lan1, lan2] = s.lab.segments;
    const h2 = s.lab.hosts[2];
    const points: CapturePoint[] = [
      { kind: 'segment', name: 'lan1', segment: lan1 },
      { kind: 'segment', name: 'lan2', segment: lan2 },
      { kind: 'device', name: 'h2:eth0', host: h2, dev: h2.nics[0].dev },
    ];
    const cap = new Capture(points, s.lab.sched);
    cap.start();
    s.run(20e6);
    cap.stop();
    const st = cap.store;
    const on = (point: number) => {
      const out: { seq: number; src: string; ttl: number }[] = [];
      for (let no = st.first; no <= st.last; no++) {
        if (st.pointOf(no) !== point) continue;
        const b = st.data(no);
        out.push({ seq: st.wireSeqOf(no), src: [...b.slice(6, 12)].join(':'), ttl: b[22] });
      }
      return out;
    };
    const one = on(0);
    const two = on(1);
    // Both wires carried frames numbered 1, 2, 3…
    expect(one.map((f) => f.seq).slice(0, 3)).toEqual([1, 2, 3]);
    expect(two.map((f) => f.seq).slice(0, 3)).toEqual([1, 2, 3]);
    // …but lan2's are r's (sent from eth1's MAC), never h1's, and its datagrams left r at TTL 63.
    const h1Mac = [...s.lab.hosts[0].nics[0].dev.devAddr].join(':');
    const rMac = [...s.lab.hosts[1].nics[1].dev.devAddr].join(':');
    expect(two.some((f) => f.src === h1Mac)).toBe(false);
    expect(two.filter((f) => f.src === rMac).length).toBeGreaterThanOrEqual(3);
    expect(one.every((f) => f.src !== rMac)).toBe(true);
    // What h2 received (its own sends carry no wire number) are lan2's frames, as they were there.
    const atH2 = on(2).filter((f) => f.seq > 0);
    expect(atH2.length).toBeGreaterThan(0);
    expect(atH2).toEqual(atH2.map((f) => two.find((t) => t.seq === f.seq)));
  });
});
