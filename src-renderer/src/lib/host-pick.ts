// Choosing a host among many (a bridged bench lab has 66): above a few hosts the Shell tab offers
// a filter box, and the buttons wrap in a scrolling box instead of running off the window.

/** Above this many hosts the host row gets a filter box. */
export const HOST_FILTER_FROM = 12;

/**
 * The hosts whose name holds the query (case-insensitive; blank: all). The chosen host stays
 * listed so the row always shows which terminal is open.
 */
export function filterHosts(names: readonly string[], query: string, chosen = ''): string[] {
  const q = query.trim().toLowerCase();
  if (q === '') return [...names];
  return names.filter((n) => n === chosen || n.toLowerCase().includes(q));
}

/** The host Enter in the filter box opens: the exact name typed, else the only match left. */
export function hostForQuery(names: readonly string[], query: string): string | null {
  const q = query.trim().toLowerCase();
  if (q === '') return null;
  const exact = names.find((n) => n.toLowerCase() === q);
  if (exact) return exact;
  const matches = names.filter((n) => n.toLowerCase().includes(q));
  return matches.length === 1 ? matches[0] : null;
}
