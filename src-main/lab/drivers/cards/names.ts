// The register-level cards' names alone, so that the window can list them without bundling the
// cards themselves. index.ts holds each card's spec and must have exactly these keys.

/** The register-level cards a lab file can name in `nic:`; a student's driver runs them. */
export const REGISTER_CARD_NAMES = ['ne2000', 'tulip', 'at1700'] as const;

export type RegisterCardKind = (typeof REGISTER_CARD_NAMES)[number];
