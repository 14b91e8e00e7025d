import type { FieldDef } from './field-types';
import type { FrameLayers } from './layers';
import type { FrameMeta } from './meta';
import type { Collect } from './readers';
import type { Field, Tree } from './tree';

/** The packet-list columns that come from the bytes (No., Time and Length come from the capture). */
export interface Summary {
  source: string;
  destination: string;
  protocol: string;
  info: string;
}

/**
 * A protocol module (`proto/*.ts`), laid out as a Wireshark dissector: its
 * field table, its tree builder, its filter field readers and its Info
 * column. Where the frame's layers lie (`FrameLayers`) each module's parse
 * function finds, called by the layer below it.
 */
export interface Protocol {
  /** The filter name of the protocol (`ip`). */
  readonly name: string;
  /** The layer kind (kinds.ts) the module dissects, or 0 for the frame's metadata. */
  readonly kind: number;
  /** Every field it can show, by its Wireshark filter name. */
  readonly fields: readonly FieldDef[];
  /** The reader of each field, by name: every field in `fields` has one. */
  readonly readers: Readonly<Record<string, Collect>>;
  /** Layer i's node of the details tree; `t.stop` is set to the layer's end. */
  tree?(t: Tree, i: number, meta: FrameMeta | undefined): Field;
  /**
   * Fills the Protocol and Info columns when layer i is the frame's topmost; returns how many
   * of the frame's malformations the Info text already states.
   */
  info?(L: FrameLayers, i: number, out: Summary): number;
  /** A network layer's Source and Destination columns from layer i (the first it found). */
  addresses?(L: FrameLayers, i: number, out: Summary): void;
}
