import type { FieldDef } from './field-types';
import { PROTOCOLS } from './protocols';

/**
 * Every field the dissector can produce, by its Wireshark filter name, with
 * its type: the union of the protocol modules' field tables. The dissector
 * (tree), the summary and the display filter all read this one registry, so
 * a filter can only name a field that exists and knows how to compare it.
 */

export type { FieldDef, FieldType } from './field-types';
export { FIELD_HINTS } from './field-hints';

export const FIELDS: ReadonlyMap<string, FieldDef> = new Map(
  PROTOCOLS.flatMap((p) => p.fields).map((d) => [d.name, d]),
);

export function fieldDef(name: string): FieldDef | undefined {
  return FIELDS.get(name);
}
