/**
 * State files of versions 2 to 5 hold every device with the core's migration as an XState region (`value.migration`:
 * `{ smso: 'awaitingSwap' | 'swapInProgress' }`, `'dcc'` or `'dumb'`; `resuming` was transient, never persisted)
 * beside the context's `migrationState`, which mirrored it. Version 6 holds it in context alone
 * (devices/common/deviceCore.ts migrationOn): `migrationState` as it was, and `swapInProgress`, true only in
 * `smso.swapInProgress`. Rewritten here on load, before the schema check, for every device.
 *
 * A region of another shape, or one that disagrees with the mirror (only a hand-edited file has either), is left where
 * it is, `swapInProgress` given false so that the schema passes the context, and the load then refuses the file naming
 * `value/migration` (stateStore.ts structuralFault). Anything else is left as it is.
 */
import { isObject } from './jsonValue';

/** The region's state as context, undefined for a region of another shape. */
function regionState(migration: unknown): { migrationState: string; swapInProgress: boolean } | undefined {
  if (migration === 'dcc' || migration === 'dumb') return { migrationState: migration, swapInProgress: false };
  if (!isObject(migration) || Object.keys(migration).length !== 1) return undefined;
  if (migration.smso !== 'awaitingSwap' && migration.smso !== 'swapInProgress') return undefined;
  return { migrationState: 'smso', swapInProgress: migration.smso === 'swapInProgress' };
}

/** A version-5 device snapshot (any device type) in the version-6 shape; a snapshot without the region unchanged. */
export function migrateV5DeviceSnapshot(snapshot: unknown): unknown {
  if (!isObject(snapshot) || !isObject(snapshot.context) || !isObject(snapshot.value)) return snapshot;
  if (!('migration' in snapshot.value)) return snapshot;
  const { migration, ...value } = snapshot.value;
  const state = regionState(migration);
  if (state === undefined || state.migrationState !== snapshot.context.migrationState)
    return { ...snapshot, context: { ...snapshot.context, swapInProgress: false } };
  return { ...snapshot, value, context: { ...snapshot.context, swapInProgress: state.swapInProgress } };
}

/**
 * Why a device's state value still holds a migration region, or undefined when it does not: the region a version-5
 * file left because it was of another shape or disagreed with `migrationState`, or one written into a version-6 file.
 */
export function leftoverMigrationRegion(value: unknown, migrationState: unknown): string | undefined {
  if (!isObject(value) || !('migration' in value)) return undefined;
  return (
    `${JSON.stringify(value.migration)}: a device holds no migration region in state version 6 (its migration is ` +
    `context: migrationState, swapInProgress); a version-5 file's is migrated only when it is ` +
    `{"smso":"awaitingSwap"|"swapInProgress"}, "dcc" or "dumb" and agrees with migrationState (here ` +
    `${JSON.stringify(migrationState)})`
  );
}
