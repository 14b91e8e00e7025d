/**
 * A misuse of a buffer that the real kernel would answer with a panic or a
 * KASAN report: double free, use after free, pushing past the head. The lab
 * throws this instead, naming the buffer, its owner and what was attempted.
 */
export class SkbError extends Error {
  override name = 'SkbError';
}
