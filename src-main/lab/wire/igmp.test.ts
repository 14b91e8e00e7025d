import { describe, expect, it } from 'vitest';
import { ETH_HLEN } from './ethernet';
import {
  IGMP_ERR_BEYOND_BUFFER,
  IGMP_ERR_QUERY_LENGTH,
  IGMP_ERR_RECORDS,
  IGMP_ERR_SHORT,
  IGMP_ERR_SOURCES,
  IGMP_HOST_LEAVE_MESSAGE,
  IGMP_HOST_MEMBERSHIP_QUERY,
  IGMPV2_HOST_MEMBERSHIP_REPORT,
  IGMPV3_ALLOW_NEW_SOURCES,
  IGMPV3_CHANGE_TO_EXCLUDE,
  IGMPV3_HOST_MEMBERSHIP_REPORT,
  IgmpView,
  igmpv3DecodeTime,
} from './igmp';
import { IPPROTO_IGMP, Ipv4View } from './ipv4';
import { formatIpv4, parseIpv4 } from './ipv4-addr';
import { setU32 } from './bytes';

const hex = (s: string) =>
  Uint8Array.from(s.replace(/\s/g, '').match(/../g)!, (h) => parseInt(h, 16));
const ip = (text: string) => parseIpv4(text)!;

/*
 * IGMPv2 report for 239.1.1.1, checksum by hand: words 1600, 0000, ef01, 0101
 * sum to 0x10602; folding the carry gives 0x0603; its complement is 0xf9fc.
 * tshark agrees.
 */
const V2_REPORT = hex('1600 f9fc ef010101');

// Captures checked with tshark: a v3 report to 224.0.0.22 joining 239.1.1.1
// (CHANGE_TO_EXCLUDE, no sources) and allowing sources 10.0.0.9 and 10.0.0.10
// into 239.2.2.2; and a v3 general query, Max Resp 10 s, QRV 2, QQIC 125.
const V3_REPORT_FRAME = hex(
  '01005e000016 020000000001 0800' +
    '46c0 0038 0000 4000 0102 f9e8 0a000001 e0000016 94040000' +
    '2200 dfe0 0000 0002' +
    '04 00 0000 ef010101' +
    '05 00 0002 ef020202 0a000009 0a00000a',
);
const V3_QUERY = hex('1164 ec1e 00000000 02 7d 0000');

function igmpOf(frame: Uint8Array): IgmpView {
  const iph = new Ipv4View(frame, ETH_HLEN);
  expect(iph.check()).toBe('');
  expect(iph.protocol).toBe(IPPROTO_IGMP);
  return new IgmpView(frame, iph.payloadOffset, iph.payloadLength);
}

describe('IgmpView, versions 1 and 2', () => {
  it('reads a v2 report whose checksum was computed by hand', () => {
    const igmp = new IgmpView(V2_REPORT);
    expect(igmp.check()).toBe('');
    expect(igmp.type).toBe(IGMPV2_HOST_MEMBERSHIP_REPORT);
    expect(igmp.maxRespCode).toBe(0);
    expect(igmp.checksum).toBe(0xf9fc);
    expect(formatIpv4(igmp.group)).toBe('239.1.1.1');
    expect(igmp.verifyChecksum()).toBe(true);
  });

  it('writes the same report, and a leave', () => {
    const out = new Uint8Array(10);
    IgmpView.write(out, 2, IGMPV2_HOST_MEMBERSHIP_REPORT, 0, ip('239.1.1.1'));
    expect(out.subarray(2)).toEqual(V2_REPORT);
    IgmpView.write(out, 0, IGMP_HOST_LEAVE_MESSAGE, 0, ip('239.1.1.1'));
    // 1700 + ef01 + 0101 = 0x10702 → 0x0703 → 0xf8fc.
    expect(new IgmpView(out, 0, 8).checksum).toBe(0xf8fc);
    expect(new IgmpView(out, 0, 8).verifyChecksum()).toBe(true);
  });

  it('classifies queries by length (RFC 3376 §7.1)', () => {
    const q = new Uint8Array(16);
    IgmpView.write(q, 0, IGMP_HOST_MEMBERSHIP_QUERY, 0, 0);
    const igmp = new IgmpView(q, 0, 8);
    expect(igmp.queryVersion()).toBe(1);
    IgmpView.write(q, 0, IGMP_HOST_MEMBERSHIP_QUERY, 100, ip('239.1.1.1'));
    expect(igmp.queryVersion()).toBe(2);
    expect(igmp.maxRespTime).toBe(100);
    expect(igmp.check()).toBe('');
    expect(igmp.queryVersion(12)).toBe(3);
    expect(igmp.queryVersion(16)).toBe(3);
    expect(igmp.queryVersion(10)).toBe(0);
    expect(igmp.queryVersion(4)).toBe(0);
    expect(igmp.check(10)).toBe(IGMP_ERR_QUERY_LENGTH);
  });
});

describe('IgmpView, version 3', () => {
  it('reads a general query', () => {
    const igmp = new IgmpView(V3_QUERY);
    expect(igmp.check()).toBe('');
    expect(igmp.verifyChecksum()).toBe(true);
    expect(igmp.queryVersion()).toBe(3);
    expect(igmp.maxRespCode).toBe(100);
    expect(igmp.maxRespTime).toBe(100);
    expect(igmp.group).toBe(0);
    expect(igmp.sFlag).toBe(false);
    expect(igmp.qrv).toBe(2);
    expect(igmp.qqic).toBe(125);
    expect(igmp.qqi).toBe(125);
    expect(igmp.numberOfSources).toBe(0);
  });

  it('writes a group-and-source query and reads its sources', () => {
    const out = new Uint8Array(20);
    IgmpView.writeV3Query(out, 0, 0x8a, ip('239.2.2.2'), true, 3, 60, 2);
    setU32(out, 12, ip('10.0.0.9'));
    setU32(out, 16, ip('10.0.0.10'));
    const igmp = new IgmpView(out);
    igmp.fillChecksum();
    expect(igmp.verifyChecksum()).toBe(true);
    expect(igmp.check()).toBe('');
    expect(igmp.sFlag).toBe(true);
    expect(igmp.qrv).toBe(3);
    // 0x8a = 1 000 1010: (0x1a) << 3 = 208 tenths.
    expect(igmp.maxRespTime).toBe(208);
    expect(formatIpv4(igmp.source(1))).toBe('10.0.0.10');
    expect(igmp.check(19)).toBe(IGMP_ERR_SOURCES);
  });

  it('decodes the floating-point time codes', () => {
    expect(igmpv3DecodeTime(127)).toBe(127);
    expect(igmpv3DecodeTime(0x80)).toBe(128);
    expect(igmpv3DecodeTime(0xff)).toBe(31744);
  });

  it('walks the group records of a report without allocating', () => {
    const igmp = igmpOf(V3_REPORT_FRAME);
    expect(igmp.check()).toBe('');
    expect(igmp.verifyChecksum()).toBe(true);
    expect(igmp.type).toBe(IGMPV3_HOST_MEMBERSHIP_REPORT);
    expect(igmp.numberOfGroupRecords).toBe(2);
    const seen: string[] = [];
    let rec = igmp.firstRecord;
    for (let i = 0; i < igmp.numberOfGroupRecords; i++, rec = igmp.nextRecord(rec)) {
      const sources: string[] = [];
      for (let s = 0; s < igmp.recordNumberOfSources(rec); s++) {
        sources.push(formatIpv4(igmp.recordSource(rec, s)));
      }
      expect(igmp.recordAuxDataLen(rec)).toBe(0);
      seen.push(`${igmp.recordType(rec)} ${formatIpv4(igmp.recordGroup(rec))} [${sources}]`);
    }
    expect(rec).toBe(igmp.offset + igmp.length);
    expect(seen).toEqual([
      `${IGMPV3_CHANGE_TO_EXCLUDE} 239.1.1.1 []`,
      `${IGMPV3_ALLOW_NEW_SOURCES} 239.2.2.2 [10.0.0.9,10.0.0.10]`,
    ]);
  });

  it('writes the same report', () => {
    const out = new Uint8Array(32);
    IgmpView.writeV3Report(out, 0, 2);
    let at = IgmpView.writeV3Record(out, 8, IGMPV3_CHANGE_TO_EXCLUDE, ip('239.1.1.1'), 0);
    at = IgmpView.writeV3Record(out, at, IGMPV3_ALLOW_NEW_SOURCES, ip('239.2.2.2'), 2);
    setU32(out, at, ip('10.0.0.9'));
    setU32(out, at + 4, ip('10.0.0.10'));
    new IgmpView(out).fillChecksum();
    expect(out).toEqual(V3_REPORT_FRAME.subarray(ETH_HLEN + 24));
  });

  it('names what is wrong with a malformed message', () => {
    const report = V3_REPORT_FRAME.slice(ETH_HLEN + 24);
    const igmp = new IgmpView(report);
    expect(igmp.check(7)).toBe(IGMP_ERR_SHORT);
    expect(igmp.check(31)).toBe(IGMP_ERR_RECORDS); // the last source cut short
    expect(igmp.check(15)).toBe(IGMP_ERR_RECORDS); // the first record's header cut short
    report[7] = 3; // a third record that is not there
    expect(igmp.check()).toBe(IGMP_ERR_RECORDS);
    report[7] = 0xff;
    report[6] = 0xff;
    expect(igmp.check()).toBe(IGMP_ERR_RECORDS);
    report[7] = 2;
    report[6] = 0;
    report[9] = 0xff; // aux data of 255 words
    expect(igmp.check()).toBe(IGMP_ERR_RECORDS);
    expect(new IgmpView(V2_REPORT, 4).check()).toBe(IGMP_ERR_SHORT);
    expect(new IgmpView(V2_REPORT, 0, 12).check()).toBe(IGMP_ERR_BEYOND_BUFFER);
  });
});
