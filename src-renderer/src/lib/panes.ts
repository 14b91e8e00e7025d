// Pane sizes: what a splitter may make of a pane, and the sizes a window starts with.

/** `size` within [min, max]; when the window is too small for both, `min` wins. */
export function clampPane(size: number, min: number, max: number): number {
  return Math.round(Math.max(min, Math.min(max, size)));
}

/**
 * The topology panel's width at the start, for a window `width` pixels wide: narrower on a
 * projector (1024 px) so the views keep room for the packet list's columns.
 */
export function initialLeftWidth(width: number): number {
  return width < 1200 ? 240 : width < 1600 ? 284 : 300;
}
