/** Where a test finds the `smets1` command it starts as a child process. */
import { inject } from 'vitest';

/** The command as a user runs it: `node bin/smets1.mjs` (TypeScript through tsx). */
export const USER_BIN = new URL('../../bin/smets1.mjs', import.meta.url).pathname;

/**
 * The command the tests start: this run's bundle of bin/smets1.mjs, the same program started in about a third of the
 * CPU (tests/support/cliBundle.globalSetup.ts), or bin/smets1.mjs itself where there is none (watch mode).
 */
export const SMETS1_BIN = inject('smets1Bin') ?? USER_BIN;
