/**
 * The few printf conversions /proc files use, so each renderer can follow
 * the kernel's format string field by field (`%-16s` is `left(s, 16)`).
 */

/** `%Nd`, `%Ns`: right-aligned in `width`; longer values are not cut, as in C. */
export function right(v: string | number, width: number): string {
  return String(v).padStart(width);
}

/** `%-Nd`, `%-Ns`: left-aligned in `width`. */
export function left(v: string | number, width: number): string {
  return String(v).padEnd(width);
}

/** `%08x`: kernel counters are 32-bit here, so the value wraps as the C one would. */
export function hex8(n: number): string {
  return (n % 0x100000000).toString(16).padStart(8, '0');
}

/** `%08X` */
export function hex8Upper(n: number): string {
  return hex8(n).toUpperCase();
}
