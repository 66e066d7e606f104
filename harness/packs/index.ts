/**
 * Regression packs (docs/packs.md): a pack file becomes the checked model the executor runs (loadPack), its inverse
 * (invertPack) or the same on another seed (reseedPack); a file that cannot be used is a PackError listing every
 * problem with its line and column.
 */
export { loadPack, parsePack } from './load';
export { invertPack } from './invert';
export { reseedPack } from './reseed';
export { PackError, type PackProblem } from './errors';
export { PACK_QUIRKS, FIX_SWITCHES, type FixSwitch, type PackQuirk } from './benchSwitches';
export type * from './model';
