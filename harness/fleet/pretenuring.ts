/**
 * V8's allocation-site pretenuring, switched off for a migrating process. V8 allocates straight into the old
 * generation from any allocation site whose objects mostly survived their first scavenge; a migration's sites that
 * make both lasting and short-lived objects (xmlTree's `el` makes the templates' trees and every response's, the
 * devices' outcomes both state and replies) get tenured that way, and every short-lived object they make after is
 * then old garbage that keeps what it points to alive through every scavenge until the next mark-compact, which
 * copies and promotes that too. Measured on the fleet (docs/fleet.md "Round ten"): a quarter of the bytes promoted,
 * about 9 % less CPU.
 *
 * V8's flags are the process's: set before the worker threads start, it holds in them too; and it is read at each
 * scavenge, so setting it after start-up takes effect from the next one. Nothing sets it back: once a pool is made,
 * whatever else the process runs (a script after its simulation, the test files a vitest worker runs after one that
 * made a pool) runs without pretenuring too. Only the GC's timing changes, never an output. An unknown flag V8 only
 * reports on stderr: tests/audit/pretenuringFlag.test.ts holds this one to the running Node.
 */
// the module object, not a named import: what a test spies on is what is called
import v8 from 'node:v8';

const NO_PRETENURING_FLAG = '--no-allocation-site-pretenuring';

export function withoutPretenuring(): void {
  v8.setFlagsFromString(NO_PRETENURING_FLAG);
}
