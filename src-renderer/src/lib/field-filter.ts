// A display filter made from a field of the packet-details tree, as Wireshark's "Apply as
// Filter" makes one: `ip.dst == 239.1.1.24`, `udp.dstport == 5000`, a protocol's name alone.

/** The filter naming `field`'s value, or null for a line that is no field (a text note). */
export function fieldFilter(field: { name: string; value: string }): string | null {
  if (!/^[A-Za-z_][\w.-]*$/.test(field.name)) return null;
  const v = field.value;
  if (v === '') return field.name;
  // Numbers, addresses and hex go bare; anything else as a quoted string.
  if (/^(0x[0-9a-f]+|[0-9a-f]{2}(:[0-9a-f]{2}){5}|\d+(\.\d+){0,3}|-?\d+)$/i.test(v))
    return `${field.name} == ${v}`;
  return `${field.name} == "${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** `filter` joined to the one in force by `op` (Wireshark's "…and Selected", "…or Selected"). */
export function combineFilter(current: string, filter: string, op: '&&' | '||'): string {
  const now = current.trim();
  return now === '' ? filter : `(${now}) ${op} ${filter}`;
}
