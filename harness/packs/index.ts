/**
 * Regression packs (docs/packs.md): a pack file becomes the checked model the executor runs (loadPack), or its
 * inverse (invertPack); a file that cannot be used is a PackError listing every problem with its line and column.
 */
export { loadPack, parsePack } from './load';
export { invertPack } from './invert';
export { PackError, type PackProblem } from './errors';
export { PACK_QUIRKS, FIX_SWITCHES, type FixSwitch, type PackQuirk } from './benchSwitches';
export type * from './model';
