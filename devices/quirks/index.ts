export { listQuirks, getQuirk, resolveQuirks } from './registry';
export type { QuirkOverrides } from './registry';
