/**
 * The rows of `tshark -q -z io,stat,1,F1,F2,…` with an interval per frame: one row per frame,
 * its columns' counts as numbers (frames and bytes for each filter, in order). The tests that
 * compare display filters with tshark's read its matches this way, for many filters in one run.
 */
export function ioStatRows(table: string, frames: number): number[][] {
  return table
    .split('\n')
    .filter((l) => /^\|\s*\d+ <>/.test(l))
    .map((l) =>
      l
        .split('|')
        .slice(2, -1)
        .map((c) => Number(c.trim())),
    )
    .slice(0, frames);
}
