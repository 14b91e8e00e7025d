/** Commander's collector for a repeatable option (`--port`, `--answer`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
