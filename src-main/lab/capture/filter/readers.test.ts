// Every field's filter reader (its protocol module's, from the bytes) against the dissection
// tree, occurrence by occurrence, over every frame of the real captures in ../corpus/files and
// mutations of them: IPv6 and its extension headers, ICMPv6 (ND, MLD), TCP, and the rest.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../sim/rng';
import { dissect, type Field } from '../dissect/dissect';
import { FIELDS } from '../dissect/fields';
import { plainMeta } from '../dissect/meta';
import { FastFrame, fastCollector } from './access';
import { indexTree } from './reference';
import { Values } from './values';
import { readCapture } from '../format';
import { mutateFrame } from '../testing/samples';

const DIR = join(__dirname, '../corpus/files');

/** Each distinct frame of the corpus (its files share many), with its length on the wire. */
function corpusFrames(): { data: Uint8Array; wire: number }[] {
  const seen = new Set<string>();
  return readdirSync(DIR)
    .filter((f) => /\.pcap(ng)?$/.test(f))
    .flatMap((f) =>
      readCapture(readFileSync(join(DIR, f))).packets.map((p) => ({
        data: p.data,
        wire: p.originalLength,
      })),
    )
    .filter((f) => {
      const key = `${f.wire}:${Buffer.from(f.data).toString('hex')}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

/** A field's occurrences as text: value, start and size, one per occurrence. */
function fromTree(index: Map<string, Field[]>, name: string): string[] {
  return (index.get(name) ?? []).map((f) =>
    typeof f.raw === 'string'
      ? `${f.raw}@`
      : `${f.raw ?? 0}@${f.range[0]}+${f.range[1] - f.range[0]}`,
  );
}

function fromReader(frame: FastFrame, name: string): string[] {
  const V = new Values();
  V.buf = frame.bytes;
  fastCollector(name)!(frame, V);
  const out: string[] = [];
  for (let i = 0; i < V.n; i++) {
    if (typeof V.str[i] === 'string') out.push(`${V.str[i]}@`);
    else out.push(`${V.num[i]}@${V.start[i]}+${V.size[i]}`);
  }
  return out;
}

describe('filter field readers', () => {
  it('give every field as the tree does, on every corpus frame and 20 mutations of each', () => {
    const rng = new Rng(18);
    const frames = corpusFrames();
    expect(frames.length).toBeGreaterThan(100);
    const names = [...FIELDS.keys()].filter(
      (n) =>
        !n.startsWith('frame') && !['point', 'direction', 'fate', 'netlab.latency'].includes(n),
    );
    const seen = new Set<string>();
    const wrong: string[] = [];
    const frame = new FastFrame();
    const check = (data: Uint8Array, wire: number, what: string) => {
      const meta = { ...plainMeta(1, wire), fromLab: false };
      const tree = indexTree(dissect(data, data.length, meta), data).index;
      frame.bytes = data;
      frame.at = 0;
      frame.len = data.length;
      frame.meta = meta;
      frame.L.parse(data, data.length, 0, wire, false, false);
      for (const name of names) {
        const want = fromTree(tree, name);
        const got = fromReader(frame, name);
        if (want.length > 0) seen.add(name);
        if (want.join() !== got.join() && wrong.length < 20)
          wrong.push(`${what} ${name}: tree ${want.join(' ')}, reader ${got.join(' ')}`);
      }
    };
    frames.forEach((f, k) => {
      check(f.data, f.wire, `frame ${k}`);
      for (let m = 0; m < 20; m++) {
        const mut = mutateFrame(f.data, () => rng.next());
        check(mut, Math.max(mut.length, f.wire), `frame ${k} mutation ${m}`);
      }
    });
    expect(wrong).toEqual([]);
    // The corpus exercises the new protocols' fields, not only their absence.
    for (const name of [
      'ipv6.src',
      'ipv6.opt.router_alert',
      'icmpv6.mldr.mar.multicast_address',
      'icmpv6.opt.linkaddr',
      'icmpv6.nd.na.flag.s',
      'tcp.options.mss_val',
      'tcp.flags.str',
      'tcp.checksum.status',
    ])
      expect(seen, name).toContain(name);
  }, 120_000);
});
