// Streaming chart data for uPlot: one x array and one y array per series, of at most `capacity`
// points. New points are appended and the oldest shifted out, in place, so a chart is given the
// same arrays every time (uPlot's setData) and never rebuilt.

export class RollingSeries {
  readonly x: number[] = [];
  readonly ys: number[][];

  constructor(
    readonly names: readonly string[],
    readonly capacity = 600,
  ) {
    this.ys = names.map(() => []);
  }

  /** Appends one point (`values` in the order of `names`); drops the oldest beyond capacity. */
  push(x: number, values: readonly number[]): void {
    if (this.x.length > 0 && x <= this.x[this.x.length - 1]) {
      // The clock went back (a new lab): start again.
      if (x < this.x[this.x.length - 1]) this.clear();
      else return;
    }
    this.x.push(x);
    this.ys.forEach((y, i) => y.push(values[i] ?? 0));
    while (this.x.length > this.capacity) {
      this.x.shift();
      for (const y of this.ys) y.shift();
    }
  }

  clear(): void {
    this.x.length = 0;
    for (const y of this.ys) y.length = 0;
  }

  /** uPlot's data shape: `[x, y1, y2, …]`. */
  data(): [number[], ...number[][]] {
    return [this.x, ...this.ys];
  }
}
