/** Regression packs (docs/packs.md): load a pack file into the model the executor runs, or invert it. */
export { loadPack, parsePack, MAX_PACK_BYTES } from './load';
export { invertPack } from './invert';
export { PackError, formatProblem, type PackProblem } from './errors';
export { parseDuration } from './duration';
export { resolveDevice } from './packChecks';
export { PACK_QUIRKS, FIX_SWITCHES, type FixSwitch } from './benchSwitches';
export { packSchema } from './schema';
export type * from './model';
