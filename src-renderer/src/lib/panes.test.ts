import { describe, expect, it } from 'vitest';
import { COLUMNS } from './columns';
import { clampPane, initialLeftWidth } from './panes';

describe('pane sizes', () => {
  it('keeps a dragged pane within its limits', () => {
    expect(clampPane(100, 180, 520)).toBe(180);
    expect(clampPane(900, 180, 520)).toBe(520);
    expect(clampPane(300.4, 180, 520)).toBe(300);
  });

  it('leaves a projector’s 1024 px window room for the packet list’s columns', () => {
    // The columns' minimum widths plus a scroll bar fit beside the panel and its splitter.
    const least = COLUMNS.reduce((sum, c) => sum + c.min, 0) + 15;
    expect(1024 - initialLeftWidth(1024) - 4).toBeGreaterThanOrEqual(least);
    expect(initialLeftWidth(1366)).toBeGreaterThan(initialLeftWidth(1024));
  });
});
