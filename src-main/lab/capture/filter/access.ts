import { ETH_LINK_FIELDS } from '../dissect/proto/eth';
import { IEEE8021AD, VLAN } from '../dissect/proto/vlan';
import { PROTOCOLS } from '../dissect/protocols';
import type { Collect } from '../dissect/readers';

/**
 * The compiled filter's fast path: each field's reader, from its protocol
 * module (`dissect/proto/`), which pushes the field's occurrences in the
 * current frame straight from the bytes without building the tree.
 */

export { FastFrame, type Collect } from '../dissect/readers';
export { META_FIELDS } from '../dissect/proto/frame';

const COLLECTORS: Record<string, Collect> = Object.assign(
  {},
  ...PROTOCOLS.map((p) => p.readers),
) as Record<string, Collect>;

/** The fast collector of a field, or undefined for a name the dissector does not produce. */
export function fastCollector(name: string): Collect | undefined {
  return COLLECTORS[name];
}

/** Fields of the Ethernet header and its tags: a filter of only these (and metadata) parses no further. */
export const LINK_FIELDS = new Set([
  ...ETH_LINK_FIELDS,
  ...Object.keys(VLAN.readers),
  ...Object.keys(IEEE8021AD.readers),
]);

/** Every field with a collector, for tests: every field in the registry has one. */
export const COLLECTED_FIELDS = Object.keys(COLLECTORS);
