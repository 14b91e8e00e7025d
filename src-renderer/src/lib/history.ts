// The display filter's history: most recent first, no repeats, at most `limit` entries.

export function remember(history: readonly string[], text: string, limit = 20): string[] {
  const t = text.trim();
  if (t === '') return [...history];
  return [t, ...history.filter((h) => h !== t)].slice(0, limit);
}

/** Reads a saved history (anything malformed reads as empty). */
export function loadHistory(raw: string | null): string[] {
  if (raw === null) return [];
  try {
    const v: unknown = JSON.parse(raw);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, 50) : [];
  } catch {
    return [];
  }
}
