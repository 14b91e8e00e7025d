import { getU16, getU32 } from '../../../wire/bytes';
import { L_TCP } from '../kinds';
import type { FrameLayers } from '../layers';
import { hexBytes } from '../names';
import { each, type Collect } from '../readers';
import type { Field, Tree } from '../tree';
import { leaf } from '../tree';
import { tcpHeaderLen, tcpOptionsEnd } from './tcp';
import {
  eachTcpOption,
  TCP_HLEN,
  TCPOPT_EOL,
  TCPOPT_MSS,
  TCPOPT_NOP,
  TCPOPT_SACK,
  TCPOPT_SACK_PERM,
  TCPOPT_TIMESTAMP,
  TCPOPT_WINDOW,
} from './tcp-offsets';

/** TCP options: their tree and their filter readers, over one walk (`eachTcpOption`). */

const OPTION_NAMES: Readonly<Record<number, string>> = {
  [TCPOPT_EOL]: 'End of Option List (EOL)',
  [TCPOPT_NOP]: 'No-Operation (NOP)',
  [TCPOPT_MSS]: 'Maximum segment size',
  [TCPOPT_WINDOW]: 'Window scale',
  [TCPOPT_SACK_PERM]: 'SACK permitted',
  [TCPOPT_SACK]: 'SACK',
  [TCPOPT_TIMESTAMP]: 'Timestamps',
};

/** The options' group and each option's fields. */
export function tcpOptionsTree(t: Tree, node: Field, start: number, end: number): void {
  const b = t.bytes;
  const names: string[] = [];
  eachTcpOption(b, start, end, (kind) => names.push(OPTION_NAMES[kind] ?? 'Unknown'));
  const label = `Options: (${end - start} bytes), ${names.join(', ')}`;
  const opts = t.add(node, 'tcp.options', start, end - start, label, hexBytes(b, start, end))!;
  eachTcpOption(b, start, end, (kind, p, len, whole) => {
    const name = OPTION_NAMES[kind] ?? 'Unknown';
    const size = whole ? len : end - p;
    const opt = leaf('', `TCP Option - ${name}`, '', p, p + size);
    opts.children.push(opt);
    t.add(opt, 'tcp.option_kind', p, 1, `Kind: ${name} (${kind})`, String(kind), kind);
    if (kind <= 1 || p + 1 >= end) return;
    t.add(opt, 'tcp.option_len', p + 1, 1, `Length: ${len}`, String(len), len);
    if (!whole) return;
    const u16 = (name: string, title: string, q: number) => {
      const v = getU16(b, q);
      t.add(opt, name, q, 2, `${title}: ${v}`, String(v), v);
    };
    const u32 = (name: string, title: string, q: number) => {
      const v = getU32(b, q);
      t.add(opt, name, q, 4, `${title}: ${v}`, String(v), v);
    };
    if (kind === TCPOPT_MSS && len === 4) u16('tcp.options.mss_val', 'MSS Value', p + 2);
    else if (kind === TCPOPT_WINDOW && len === 3) {
      const shift = b[p + 2];
      const mult = 2 ** Math.min(shift, 14);
      t.add(
        opt,
        'tcp.options.wscale.shift',
        p + 2,
        1,
        `Shift count: ${shift}`,
        String(shift),
        shift,
      );
      t.add(
        opt,
        'tcp.options.wscale.multiplier',
        p + 2,
        1,
        `[Multiplier: ${mult}]`,
        String(mult),
        mult,
      );
    } else if (kind === TCPOPT_SACK_PERM && len === 2) {
      opt.children.push(
        leaf('tcp.options.sack_perm', 'TCP SACK Permitted Option: True', '', p, p + 2),
      );
    } else if (kind === TCPOPT_TIMESTAMP && len === 10) {
      u32('tcp.options.timestamp.tsval', 'Timestamp value', p + 2);
      u32('tcp.options.timestamp.tsecr', 'Timestamp echo reply', p + 6);
    } else if (kind === TCPOPT_SACK) {
      for (let q = p + 2; q + 8 <= p + len; q += 8) {
        u32('tcp.options.sack_le', 'left edge', q);
        u32('tcp.options.sack_re', 'right edge', q + 4);
      }
    }
  });
}

type PerOption = (
  L: FrameLayers,
  kind: number,
  p: number,
  len: number,
  push: (v: number, at: number, size: number) => void,
  /** The option is sound and all here. */
  whole: boolean,
  /** Its length byte is here. */
  lenHere: boolean,
) => void;

/** A reader over each option of a sound header. */
function options(fn: PerOption): Collect {
  return each(L_TCP, (L, i, at, _stop, V) => {
    const end = tcpOptionsEnd(L, i, tcpHeaderLen(L, i));
    if (end <= at + TCP_HLEN) return;
    const push = (v: number, p: number, size: number) => V.push(v, p, size);
    eachTcpOption(L.bytes, at + TCP_HLEN, end, (kind, p, len, whole) =>
      fn(L, kind, p, len, push, whole, p + 1 < end),
    );
  });
}

export const TCP_OPTION_READERS: Record<string, Collect> = {
  'tcp.options': each(L_TCP, (L, i, at, _stop, V) => {
    const end = tcpOptionsEnd(L, i, tcpHeaderLen(L, i));
    if (end > at + TCP_HLEN) V.push(0, at + TCP_HLEN, end - at - TCP_HLEN);
  }),
  'tcp.option_kind': options((_L, kind, p, _len, push) => push(kind, p, 1)),
  'tcp.option_len': options((_L, kind, p, len, push, _whole, lenHere) => {
    if (kind > 1 && lenHere) push(len, p + 1, 1);
  }),
  'tcp.options.mss_val': options((L, kind, p, len, push, whole) => {
    if (whole && kind === TCPOPT_MSS && len === 4) push(getU16(L.bytes, p + 2), p + 2, 2);
  }),
  'tcp.options.wscale.shift': options((L, kind, p, len, push, whole) => {
    if (whole && kind === TCPOPT_WINDOW && len === 3) push(L.bytes[p + 2], p + 2, 1);
  }),
  'tcp.options.wscale.multiplier': options((L, kind, p, len, push, whole) => {
    if (whole && kind === TCPOPT_WINDOW && len === 3)
      push(2 ** Math.min(L.bytes[p + 2], 14), p + 2, 1);
  }),
  'tcp.options.sack_perm': options((_L, kind, p, len, push, whole) => {
    if (whole && kind === TCPOPT_SACK_PERM && len === 2) push(0, p, 2);
  }),
  'tcp.options.timestamp.tsval': options((L, kind, p, len, push, whole) => {
    if (whole && kind === TCPOPT_TIMESTAMP && len === 10) push(getU32(L.bytes, p + 2), p + 2, 4);
  }),
  'tcp.options.timestamp.tsecr': options((L, kind, p, len, push, whole) => {
    if (whole && kind === TCPOPT_TIMESTAMP && len === 10) push(getU32(L.bytes, p + 6), p + 6, 4);
  }),
  'tcp.options.sack_le': options((L, kind, p, len, push, whole) => {
    if (whole && kind === TCPOPT_SACK)
      for (let q = p + 2; q + 8 <= p + len; q += 8) push(getU32(L.bytes, q), q, 4);
  }),
  'tcp.options.sack_re': options((L, kind, p, len, push, whole) => {
    if (whole && kind === TCPOPT_SACK)
      for (let q = p + 2; q + 8 <= p + len; q += 8) push(getU32(L.bytes, q + 4), q + 4, 4);
  }),
};
