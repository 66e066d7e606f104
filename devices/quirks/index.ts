export { QUIRKS, listQuirks, getQuirk, isQuirkId, resolveQuirks, hasQuirk } from './registry';
export type { Quirk, QuirkId, QuirkOverrides } from './registry';
