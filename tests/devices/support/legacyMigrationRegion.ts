/**
 * FROZEN: the device core's `migration` region as of commit dca7966 (devices/common/deviceCore.ts migrationRegion),
 * before the migration became context (deviceCore.ts migrationOn). Kept only for the frozen legacy ESME
 * (legacyEsmeMachine.ts), the oracle of the ESME differential tests; never imported by the emulator.
 */
import type { AnyEventObject } from 'xstate';
import { deviceCoreOn } from '../../../devices/common/deviceCore';
import type { DeviceCoreContext } from '../../../devices/common/coreContext';

/** The guards the region named that the core no longer has. */
export const legacyMigrationGuards = {
  'core.startsInDcc': ({ context }: { context: DeviceCoreContext }) => context.migrationState === 'dcc',
  'core.byRecovery': ({ event }: { event: AnyEventObject }) =>
    (event as { mode?: unknown }).mode === 'anyExceptAbnormalRootByRecovery',
};

/** The core's root handlers without the migration's moves, which the region below takes instead. */
export const coreOnBesideTheRegion = Object.fromEntries(
  Object.entries(deviceCoreOn).filter(
    ([event]) => !['core.credentialsReplaced', 'core.credentialsRefused', 'core.commissioned'].includes(event),
  ),
) as Omit<typeof deviceCoreOn, 'core.credentialsReplaced' | 'core.credentialsRefused' | 'core.commissioned'>;

export const legacyMigrationRegion = {
  initial: 'resuming',
  states: {
    resuming: {
      always: [{ guard: 'core.startsInDcc', target: 'dcc' }, { target: 'smso' }],
    },
    smso: {
      initial: 'awaitingSwap',
      states: {
        awaitingSwap: { on: { 'core.credentialsReplaced': { target: 'swapInProgress' } } },
        swapInProgress: {
          on: { 'core.credentialsRefused': { target: '#core-dumb', actions: 'core.enterDumb' } },
        },
      },
      on: { 'core.commissioned': { target: 'dcc', actions: 'core.enterDcc' } },
    },
    dcc: {},
    dumb: {
      id: 'core-dumb',
      on: {
        'core.credentialsReplaced': {
          guard: 'core.byRecovery',
          target: 'smso.swapInProgress',
          actions: 'core.enterSmso',
        },
      },
    },
  },
} as const;
