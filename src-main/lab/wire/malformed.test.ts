import { describe, expect, it } from 'vitest';
import { ArpView } from './arp';
import { IcmpView } from './icmp';
import { IGMP_HOST_MEMBERSHIP_QUERY, IGMPV3_HOST_MEMBERSHIP_REPORT, IgmpView } from './igmp';
import { Ipv4View } from './ipv4';
import { UdpView } from './udp';

/** A small seeded generator so failures repeat. */
function lcg(seed: number): () => number {
  return () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
}

/**
 * Random bytes at random offsets and lengths, lengths that overrun the buffer
 * included: `check` answers with a string and never throws, and whatever it
 * accepts can be read, and walked, inside the view.
 */
describe('every view, given garbage', () => {
  const next = lcg(2024);
  const arp = new ArpView();
  const iph = new Ipv4View();
  const icmp = new IcmpView();
  const igmp = new IgmpView();
  const udp = new UdpView();

  it('answers check() with a string and stays in bounds when it says yes', () => {
    let acceptedIp = 0;
    let acceptedReports = 0;
    for (let round = 0; round < 5000; round++) {
      const bytes = Uint8Array.from({ length: next() % 80 }, next);
      const offset = next() % 8;
      // Half the time the length overruns or falls short; half the time it is the rest.
      const length = round % 4 < 2 ? next() % 90 : Math.max(0, bytes.length - offset);
      // Make headers plausible often enough that the deeper checks run: IPv4
      // with a small total length, or IGMP with a small record or source count.
      if (bytes.length >= offset + 8) {
        bytes[offset] = [0x45, IGMPV3_HOST_MEMBERSHIP_REPORT, IGMP_HOST_MEMBERSHIP_QUERY][
          round % 3
        ];
        bytes[offset + 2] = 0;
        bytes[offset + 6] = 0;
        bytes[offset + 7] &= 3;
      }
      if (bytes.length >= offset + 12) bytes[offset + 10] = bytes[offset + 9] = 0;
      for (const view of [arp, iph, icmp, igmp, udp]) {
        expect(typeof view.at(bytes, offset, length).check()).toBe('string');
      }
      if (iph.check() === '') {
        acceptedIp++;
        expect(iph.payloadOffset + iph.payloadLength).toBeLessThanOrEqual(bytes.length);
        expect(typeof iph.verifyChecksum()).toBe('boolean');
      }
      if (udp.check() === '') {
        expect(udp.offset + udp.udpLength).toBeLessThanOrEqual(bytes.length);
        expect(typeof udp.verifyChecksum(1, 2)).toBe('boolean');
      }
      if (igmp.check() === '' && igmp.type === IGMPV3_HOST_MEMBERSHIP_REPORT) {
        acceptedReports++;
        let rec = igmp.firstRecord;
        for (let i = 0; i < igmp.numberOfGroupRecords; i++) rec = igmp.nextRecord(rec);
        expect(rec).toBeLessThanOrEqual(bytes.length);
      }
      const query = igmp.type === IGMP_HOST_MEMBERSHIP_QUERY;
      if (igmp.check() === '' && query && igmp.queryVersion() === 3) {
        expect(igmp.offset + 12 + 4 * igmp.numberOfSources).toBeLessThanOrEqual(bytes.length);
      }
    }
    expect(acceptedIp).toBeGreaterThan(20);
    expect(acceptedReports).toBeGreaterThan(20);
  });

  it('reads past the end as zeros rather than throwing', () => {
    const bytes = Uint8Array.of(0x45);
    iph.at(bytes, 0, 1);
    expect(iph.dst).toBe(0);
    expect(iph.verifyChecksum()).toBe(false);
    expect(udp.at(bytes, 5, 0).srcPort).toBe(0);
    expect(igmp.at(bytes).recordGroup(40)).toBe(0);
  });
});
