// The `wire` event of a routed lab: lan1's frames as the event's own, lan2's under its name, each
// with its own senders and verdicts (the window draws each on its own segment).
import { describe, expect, it } from 'vitest';
import { routedLab } from '../lab/testing/routed-lab';
import { WireFeeds } from './wire-feeds';

describe('the wire event of a lab of several segments', () => {
  it('lists each segment’s frames under its name', () => {
    const s = routedLab(
      "{ name: g, from: h1, to: '10.0.2.2:9', count: 2, rate: 1000pps, start: 1ms }",
    );
    const feeds = new WireFeeds(s.lab);
    feeds.detailed = true;
    s.run(5e6);
    const push = feeds.push(() => null, 1000);
    expect(new Set(push.frames.map((f) => f.sender))).toEqual(new Set(['h1:eth0', 'r:eth0']));
    expect(push.others?.map((o) => o.segment)).toEqual(['lan2']);
    const lan2 = push.others![0];
    expect(new Set(lan2.frames.map((f) => f.sender))).toEqual(new Set(['r:eth1', 'h2:eth0']));
    const datagram = lan2.frames.find(
      (f) => f.protocol === 'UDP' || f.summary.includes('10.0.2.2'),
    );
    expect(datagram?.stations.find((st) => st.station === 'h2:eth0')).toBeDefined();
    feeds.close();
  });
});
