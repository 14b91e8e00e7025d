/**
 * Text from a lab file (an exercise's title, a check's expected value, a name in an error)
 * made safe to print: control characters, which a terminal would obey (ESC sequences that
 * move the cursor, retitle the window, clear the screen; C1 controls such as CSI 0x9b) and
 * the bidirectional overrides that reorder what is shown, are written as visible escapes
 * (`\x1b`, `\u202e`). Newlines and tabs stay.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function forTerminal(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
