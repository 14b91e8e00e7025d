// A terminal's input history, as a shell's: Up recalls older lines, Down newer ones, and past the
// newest the line being typed comes back.

export class LineHistory {
  /** Position in `lines` while browsing; `lines.length` when not browsing. */
  private at: number;
  private draft = '';

  constructor(private readonly lines: readonly string[]) {
    this.at = lines.length;
  }

  /** Up: the previous line (or the same, at the oldest). */
  older(current: string): string {
    if (this.at === this.lines.length) this.draft = current;
    if (this.at > 0) this.at--;
    return this.lines[this.at] ?? current;
  }

  /** Down: the next line, or the draft past the newest. */
  newer(current: string): string {
    if (this.at >= this.lines.length) return current;
    this.at++;
    return this.at === this.lines.length ? this.draft : this.lines[this.at];
  }
}
