import { getU16, getU32 } from '../../wire/bytes';
import type { Values } from '../filter/values';
import { FrameLayers } from './layers';
import type { FrameMeta } from './meta';

/**
 * The building blocks of the filter field readers each protocol module
 * declares: a reader pushes a field's occurrences in the current frame
 * straight from the bytes, over the layer offsets `FrameLayers` found,
 * without building the dissection tree. Each mirrors what the module's tree
 * shows for that field, occurrence for occurrence (a test checks the two
 * agree on thousands of frames, mutated ones included).
 */

/** The frame a compiled filter is looking at. One per compiled filter, reused. */
export class FastFrame {
  readonly L = new FrameLayers();
  bytes: Uint8Array = new Uint8Array(0);
  at = 0;
  len = 0;
  meta!: FrameMeta;
}

export type Collect = (f: FastFrame, V: Values) => void;

export type PerLayer = (
  L: FrameLayers,
  i: number,
  at: number,
  stop: number,
  V: Values,
  f: FastFrame,
) => void;

/** Runs `fn` for every layer of `kind` in the frame. */
export function each(kind: number, fn: PerLayer): Collect {
  return (f, V) => {
    const L = f.L;
    let i = L.first[kind];
    if (i < 0) return;
    for (; i < L.n; i++) if (L.kind[i] === kind) fn(L, i, L.start[i], L.stop[i], V, f);
  };
}

export function u8(kind: number, rel: number): Collect {
  return each(kind, (L, _i, at, stop, V) => {
    if (at + rel + 1 <= stop) V.push(L.bytes[at + rel], at + rel, 1);
  });
}

export function u16(kind: number, rel: number): Collect {
  return each(kind, (L, _i, at, stop, V) => {
    if (at + rel + 2 <= stop) V.push(getU16(L.bytes, at + rel), at + rel, 2);
  });
}

export function u32(kind: number, rel: number): Collect {
  return each(kind, (L, _i, at, stop, V) => {
    if (at + rel + 4 <= stop) V.push(getU32(L.bytes, at + rel), at + rel, 4);
  });
}

/**
 * A field of `size` bytes at `rel`, present when `need` bytes are there, whose value `value`
 * computes from the byte(s) at `at + rel`.
 */
export function bits(
  kind: number,
  rel: number,
  size: number,
  need: number,
  value: (b: Uint8Array, p: number) => number,
): Collect {
  return each(kind, (L, _i, at, stop, V) => {
    if (at + rel + need <= stop) V.push(value(L.bytes, at + rel), at + rel, size);
  });
}

export function both(a: Collect, b: Collect): Collect {
  return (f, V) => {
    a(f, V);
    b(f, V);
  };
}

/** A protocol's own occurrence: its header's bytes, and where the bytes it carries end. */
export function protocol(
  kind: number,
  headerLen: (L: FrameLayers, i: number, at: number, stop: number) => number,
  dataEnd: (L: FrameLayers, i: number, at: number, stop: number) => number,
): Collect {
  return each(kind, (L, i, at, stop, V) => {
    const end = Math.min(at + headerLen(L, i, at, stop), stop);
    V.push(0, at, end - at, dataEnd(L, i, at, stop));
  });
}

/** A protocol that is its whole layer (ICMP, IGMP, data). */
export function wholeLayer(kind: number): Collect {
  return protocol(
    kind,
    (_L, _i, at, stop) => stop - at,
    (_L, _i, _at, stop) => stop,
  );
}
