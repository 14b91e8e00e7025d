/**
 * Records and copies of a capture store live in pages of PAGE entries (see
 * frame-store.ts, frame-copies.ts). Numbers go past 2^31 in a long ring
 * capture, so page and slot come from a division then; below it, from shifts
 * and masks, which every read of a field of a frame (a display filter over a
 * million frames, an export) can afford.
 */
export const PAGE_BITS = 12;
export const PAGE = 1 << PAGE_BITS;
const SMALL = 0x7fffffff;

/** The page number `n` (a record's or a copy's number) falls in. */
export function pageNo(n: number): number {
  return n <= SMALL ? n >> PAGE_BITS : Math.floor(n / PAGE);
}

/** `n`'s slot within its page. */
export function slotOf(n: number): number {
  return n <= SMALL ? n & (PAGE - 1) : n % PAGE;
}
