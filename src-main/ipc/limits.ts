// The API's size limits, in a module of their own (no zod, no lab) so the renderer can check a
// file against them before it sends anything.

/** The largest capture file `capture.import` takes as base64 (a file picked in a browser). */
export const MAX_IMPORT_BYTES = 32 * 1024 * 1024;
/** The largest capture file opened by path (Electron's Import dialog): checked before reading. */
export const MAX_IMPORT_FILE_BYTES = 256 * 1024 * 1024;
/** The largest lab file, in characters (and bytes, read from a file). */
export const MAX_LAB_TEXT = 1024 * 1024;
/** The largest student driver source, in characters (and bytes, read from a file). */
export const MAX_DRIVER_TEXT = 256 * 1024;
