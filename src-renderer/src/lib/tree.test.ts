import { describe, expect, it } from 'vitest';
import { dissect } from '../../../src-main/lab/capture/dissect/dissect';
import { udpFrame } from '../../../src-main/lab/capture/testing/samples';
import type { FieldView } from '../../../src-main/ipc/api';
import { ancestorsOf, fieldAt, fieldForByte, visibleLines } from './tree';

const tree = dissect(udpFrame()) as FieldView[];
const nameAt = (path: string | null) => (path === null ? null : fieldAt(tree, path)?.name);

describe('packet-details tree', () => {
  it('finds fields by path and lists their ancestors', () => {
    expect(fieldAt(tree, '0')?.name).toBe('eth');
    expect(fieldAt(tree, '0.1')?.name).toBe('eth.src');
    expect(fieldAt(tree, '9.9')).toBeNull();
    expect(ancestorsOf('2.0.1')).toEqual(['2', '2.0']);
    expect(ancestorsOf('2')).toEqual([]);
  });

  it('selects the narrowest visible field holding a byte', () => {
    expect(nameAt(fieldForByte(tree, 12))).toBe('eth.type');
    expect(nameAt(fieldForByte(tree, 23))).toBe('ip.proto');
    expect(nameAt(fieldForByte(tree, 31))).toBe('ip.dst');
    expect(nameAt(fieldForByte(tree, 36))).toBe('udp.dstport');
    expect(nameAt(fieldForByte(tree, 43))).toBe('netlab.magic');
    expect(fieldForByte(tree, 5000)).toBeNull();
  });

  it('never selects a hidden field', () => {
    // ip.addr (hidden) has the same bytes as ip.src.
    expect(nameAt(fieldForByte(tree, 27))).toBe('ip.src');
  });
});

describe('visibleLines', () => {
  it('shows the open fields and never the hidden ones', () => {
    const closed = visibleLines(tree, new Set());
    expect(closed.map((l) => l.field.name)).toEqual(['eth', 'ip', 'udp', 'netlab']);
    const open = visibleLines(tree, new Set(['2']));
    expect(open.map((l) => l.field.name)).toEqual([
      'eth',
      'ip',
      'udp',
      'udp.srcport',
      'udp.dstport',
      'udp.length',
      'udp.checksum',
      'udp.checksum.status',
      'udp.payload',
      'netlab',
    ]);
    expect(open[3]).toMatchObject({ path: '2.0', depth: 1, hasChildren: false });
  });
});
