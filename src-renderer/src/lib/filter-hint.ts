// What to write instead, for the display-filter mistakes a Wireshark user makes most: the hint
// shown under the filter's error. The error itself comes from the lab's filter compiler.

/** Fates a student may type bare, meaning `fate == "…"`. */
const FATE_WORDS = new Set(['dropped', 'delivered', 'collision', 'filtered', 'consumed']);

export function filterHint(
  text: string,
  error: { message: string; position: number | null },
): string {
  const bare = /^'([^']+)' is a value, not a test/.exec(error.message);
  if (bare) {
    const word = bare[1];
    if (FATE_WORDS.has(word.toLowerCase()))
      return `Try fate == "${word}": a frame's fate is a field, as Wireshark's fields are.`;
    if (/^[A-Za-z][\w-]*$/.test(word))
      return `A bare word is a protocol or field name, as in Wireshark (udp, ip.dst); this lab dissects no "${word}". Compare a field with a value instead: ip.dst == 239.1.1.1.`;
    return `Compare a field with it, as Wireshark does: ip.dst == ${word}, udp.port == ${word}.`;
  }
  const at = error.position ?? -1;
  if (/unexpected character '='/.test(error.message) && text[at] === '=' && text[at + 1] !== '=')
    return `Wireshark compares with == (or eq): ${text.slice(0, at)}==${text.slice(at + 1)}`;
  if (/unexpected character '!'/.test(error.message))
    return 'Wireshark writes "not equal" as != and negation as ! or not: !(udp), ip.dst != 239.1.1.1.';
  return '';
}

/**
 * The filter as it was applied, cut where the compiler put the fault: the part before it, the
 * fault itself (at least one character; a space past the end, where something was missing), and
 * the rest, so the window can mark it in an expression of any length.
 */
export function faultSpan(
  text: string,
  position: number | null,
  length: number,
): { before: string; at: string; after: string } | null {
  if (position === null || position < 0) return null;
  const p = Math.min(position, text.length);
  const end = Math.min(text.length, p + Math.max(1, length));
  return { before: text.slice(0, p), at: text.slice(p, end) || ' ', after: text.slice(end) };
}
