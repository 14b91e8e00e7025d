import type { FieldDef } from './field-types';
import { PROTOCOLS } from './protocols';

/**
 * Every field the dissector can produce, by its Wireshark filter name, with
 * its type: the union of the protocol modules' field tables. The dissector
 * (tree), the summary and the display filter all read this one registry, so
 * a filter can only name a field that exists and knows how to compare it.
 */

export type { FieldDef, FieldType } from './field-types';

export const FIELDS: ReadonlyMap<string, FieldDef> = new Map(
  PROTOCOLS.flatMap((p) => p.fields).map((d) => [d.name, d]),
);

/**
 * Names a Wireshark user types that the lab does not have, with what to use instead: the filter
 * refuses them with these words rather than a bare "unknown field".
 */
export const FIELD_HINTS: Readonly<Record<string, string>> = {
  'ip.opt':
    "Wireshark has no field 'ip.opt': use ip.opt.type or ip.opt.len (each option), or ip.hdr_len > 20",
  ipv6: 'IPv6 is not dissected here (its bytes are data): use eth.type == 0x86dd',
  icmpv6: 'ICMPv6 is not dissected here (IPv6 is not): use eth.type == 0x86dd',
  tcp: 'TCP is not dissected here (its bytes are data): use ip.proto == 6',
  'frame.time_delta_displayed':
    'frame.time_delta_displayed depends on what is displayed: use frame.time_delta (since the previous captured frame)',
  'frame.time_relative_displayed': 'use frame.time_relative (since the first frame)',
  llc: 'LLC is not dissected here: use eth.len (IEEE 802.3 frames)',
  rarp: 'Wireshark dissects RARP as ARP: use arp (arp.opcode == 3 or 4)',
};

export function fieldDef(name: string): FieldDef | undefined {
  return FIELDS.get(name);
}
