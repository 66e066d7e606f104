/**
 * The device core: what every SMETS1 device machine (CH, ESME, GSME, PPMID) shares, as parts to compose.
 *
 * HOW TO BUILD A DEVICE MACHINE ON IT (the CH in devices/ch/chMachine.ts is a complete example):
 *
 *   import { setup } from 'xstate';
 *   import { createDeviceCoreContext, type DeviceCoreContext, type DeviceCoreInput } from '../common/coreContext';
 *   import { deviceCoreActions, deviceCoreGuards, deviceCoreOn, smartCommand, alwaysAnswered }
 *     from '../common/deviceCore';
 *   import { handle } from '../common/outcome';
 *   import type { DeviceEmitted } from '../common/types';
 *
 *   interface MyContext extends DeviceCoreContext { ...own JSON fields... }
 *   export const myMachine = setup({
 *     types: { context: {} as MyContext, input: {} as DeviceCoreInput & {...}, events: {} as AnyEventObject,
 *              emitted: {} as DeviceEmitted },
 *     actions: { ...deviceCoreActions, 'my.doThing': handle<MyContext, MyEvent>(doThingHandler) },
 *     guards: { ...deviceCoreGuards },
 *   }).createMachine({
 *     id: 'myDevice',
 *     context: ({ input }) => createDeviceCoreContext('ESME', input, own),
 *     on: {
 *       ...deviceCoreOn,                     // info, credentials, logs, commission, clockSync, injectFault, the
 *                                            // migration's moves (smso → dcc, dumb), and '*' → `unsupported` for
 *                                            // any other command (exactly one response)
 *       doThing: smartCommand('my.doThing'), // unsupported per profile → 'unsupported'; dumb → 'dumbMode'
 *       powerCut: alwaysAnswered('my.powerCut'), // bench stimuli and reads a dumb device still answers
 *     },
 *     states: { ...the device's own, if any... },   // the migration is context, not a region
 *   });
 *
 * Rules the parts rely on:
 *   - Handlers are pure `({ context, event, now }) => Outcome` (outcome.ts); `handle(handler)` makes the action.
 *     Responses, alerts (logged always, emitted if alert behaviour enables them), context changes, HAN traffic
 *     to the parent device set and internal events all go through the Outcome, never through ad-hoc emits.
 *   - Time comes from the clock the actor runs on (clockTime.ts), never from Date or a context field.
 *   - Randomness comes from `context.random` (random.ts), advanced in the Outcome's context patch.
 *   - Commands a machine does not name fall to the core's '*' handler: `unsupported`, so every command gets
 *     exactly one response. Internal events (no requestId) never get a response.
 *   - Meters (ESME, GSME) add HAN binding with meterBinding.ts (join / unjoin) and SR 6.22 with
 *     `alertBehaviourHandler` below.
 */
import type { ActionFunction, AnyEventObject } from 'xstate';
import { applyAlertBehaviour } from './alertBehaviour';
import type { DeviceCoreContext } from './coreContext';
import * as core from './coreCommands';
import { handle, patchContext, type Handler } from './outcome';
import type { CommandEvent, EventFields, MigrationState } from './types';

type AnyAction = ActionFunction<any, any, any, any, any, any, any, any, any>;

/**
 * The context a device takes as it enters each migration state. smso is entered only from dumb, by recovery, which
 * puts the device back into the swap; dcc and dumb end the swap. The ESME judges its power state on it
 * (esmeMachine.ts).
 */
export const migrationEntered: Readonly<
  Record<MigrationState, Readonly<Pick<DeviceCoreContext, 'migrationState' | 'swapInProgress'>>>
> = {
  smso: { migrationState: 'smso', swapInProgress: true },
  dcc: { migrationState: 'dcc', swapInProgress: false },
  dumb: { migrationState: 'dumb', swapInProgress: false },
};

const enterMigrationState = (state: MigrationState): AnyAction =>
  patchContext<DeviceCoreContext, AnyEventObject>(() => ({ context: migrationEntered[state] }));

/** SR 6.22 for the meters: all or nothing, only the owner of an alert may switch it. */
export const alertBehaviourHandler: Handler<DeviceCoreContext, CommandEvent> = ({ context, event }) => {
  const { owner, alerts } = event as EventFields<'alertBehaviour'>;
  const result = applyAlertBehaviour(context.alertSettings, owner, alerts);
  if (!result.ok) return { response: { status: result.status } };
  return { context: { alertSettings: result.settings }, response: { status: 'ok' } };
};

/** Named actions to spread into `setup({ actions })`. */
export const deviceCoreActions = {
  'core.respondUnsupported': handle(core.respondUnsupported),
  'core.respondDumbMode': handle(core.respondDumbMode),
  'core.readDeviceInfo': handle(core.readDeviceInfo),
  'core.readCredentials': handle(core.readCredentials),
  'core.replaceCredentials': handle(core.replaceCredentials),
  'core.readEventLog': handle(core.readEventLog),
  'core.commission': handle(core.commission),
  'core.clockSync': handle(core.clockSync),
  'core.injectFault': handle(core.injectFault),
  'core.alertBehaviour': handle(alertBehaviourHandler),
  'core.startSwap': patchContext<DeviceCoreContext, AnyEventObject>(() => ({ context: { swapInProgress: true } })),
  'core.enterSmso': enterMigrationState('smso'),
  'core.enterDcc': enterMigrationState('dcc'),
  'core.enterDumb': enterMigrationState('dumb'),
} satisfies Record<string, AnyAction>;

interface GuardArgs {
  context: DeviceCoreContext;
  event: AnyEventObject;
}

/** Named guards to spread into `setup({ guards })`. */
export const deviceCoreGuards = {
  'core.isCommand': ({ event }: GuardArgs) => typeof (event as { requestId?: unknown }).requestId === 'string',
  'core.isUnsupported': ({ context, event }: GuardArgs) =>
    !(context.supportedCommands as readonly string[]).includes(event.type),
  'core.isDumb': ({ context }: GuardArgs) => context.migrationState === 'dumb',
  'core.isSmso': ({ context }: GuardArgs) => context.migrationState === 'smso',
  'core.awaitsSwap': ({ context }: GuardArgs) => context.migrationState === 'smso' && !context.swapInProgress,
  'core.isSwapInProgress': ({ context }: GuardArgs) => context.swapInProgress,
  /**
   * GBCS recovery: the DCC's recovery party replaces credentials on a dumb device, which nobody else can talk to.
   */
  'core.isRecoveryOfDumb': ({ context, event }: GuardArgs) =>
    context.migrationState === 'dumb' &&
    (event as EventFields<'replaceCredentials'>).mode === 'anyExceptAbnormalRootByRecovery',
};

/**
 * The transitions of a smart function: refused `unsupported` when the vendor profile does not list it,
 * `dumbMode` while the device is dumb, otherwise the given action.
 */
export function smartCommand<TAction extends string>(action: TAction) {
  return [
    { guard: 'core.isUnsupported', actions: 'core.respondUnsupported' },
    { guard: 'core.isDumb', actions: 'core.respondDumbMode' },
    { actions: action },
  ] as const;
}

/**
 * The transitions of a command a dumb device still answers: its identity, its credentials (so recovery can reach
 * it), its logs, and bench stimuli (power, mains voltage, load: physics, not smart functions). Refused
 * `unsupported` when the vendor profile does not list it.
 */
export function alwaysAnswered<TAction extends string>(action: TAction) {
  return [{ guard: 'core.isUnsupported', actions: 'core.respondUnsupported' }, { actions: action }] as const;
}

/**
 * The migration, as context (`migrationState`, `swapInProgress`), moved by the internal events the core's handlers
 * raise (coreCommands.ts). smso → (first accepted replacement) swap in progress → (commission) dcc. A replacement
 * that authenticated but then failed while the swap is in progress leaves the device with a mix of SMSO and DCC
 * trust anchors that no party can use: dumb (smart functions answer dumbMode; never bricked). The trigger is
 * assumed (coreCommands.ts replaceCredentials): a forged, replayed or malformed request never raises it. A
 * replacement accepted from the recovery party (anyExceptAbnormalRootByRecovery) brings a dumb device back into the
 * swap, which can then be completed. dcc is final. Any other event leaves the migration as it is.
 *
 * It was a parallel XState region (resuming | smso.awaitingSwap | smso.swapInProgress | dcc | dumb) that the
 * context's `migrationState` mirrored; its states had no entry, exit or timer, only these transitions, and XState
 * took it through every event a device received (7–9 % of a command's CPU on the host path, docs/fleet.md "Round
 * fourteen"). A new device's context holds where it starts (coreContext.ts), as the region's transient `resuming`
 * chose. State files of version 5 hold the region (emulator/persistence/legacyMigrationState.ts).
 */
const migrationOn = {
  'core.credentialsReplaced': [
    { guard: 'core.awaitsSwap', actions: 'core.startSwap' },
    { guard: 'core.isRecoveryOfDumb', actions: 'core.enterSmso' },
  ],
  'core.credentialsRefused': { guard: 'core.isSwapInProgress', actions: 'core.enterDumb' },
  'core.commissioned': { guard: 'core.isSmso', actions: 'core.enterDcc' },
} as const;

/** Root-level `on` handlers to spread into a device machine's root. */
export const deviceCoreOn = {
  readDeviceInfo: alwaysAnswered('core.readDeviceInfo'),
  readCredentials: alwaysAnswered('core.readCredentials'),
  replaceCredentials: alwaysAnswered('core.replaceCredentials'),
  readEventLog: alwaysAnswered('core.readEventLog'),
  injectFault: alwaysAnswered('core.injectFault'),
  commission: smartCommand('core.commission'),
  clockSync: smartCommand('core.clockSync'),
  ...migrationOn,
  '*': { guard: 'core.isCommand', actions: 'core.respondUnsupported' },
} as const;
