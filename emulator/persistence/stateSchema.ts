/**
 * The JSON schema of the state files (ajv), checked in full before anything is restored: a file that parses but is
 * wrong (an alert addressed to "x", a child actor whose `src` is "constructor", a set context `{}`, an EUI "hello")
 * is refused with the JSON path of the first bad field, instead of failing later inside XState or the codec.
 *
 * Strict where a bad value would hurt the emulator: EUIs, the alert queue, the set → device → helper actor
 * structure and its `src` names (taken from the machines themselves, so a renamed actor cannot drift from this
 * file), and the context fields every device reads. Fields not listed are allowed through (checked by the device
 * code that owns them). To check a new context field, add one line to the table of its device type below.
 */
import { isDeepStrictEqual } from 'node:util';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { chMachine } from '../../devices/ch';
import { esmeMachine } from '../../devices/esme/esmeMachine';
import type { DetectorStates } from '../../devices/esme/limitDetectors';
import { meteringTimerOrder } from '../../devices/esme/meteringSchedule';
import { paymentStates } from '../../devices/esme/paymentState';
import { powerStates } from '../../devices/esme/powerState';
import { gsmeMachine } from '../../devices/gsme';
import { ppmidMachine } from '../../devices/ppmid';
import { deviceSetMachine } from '../../devices/set';
import { LAST_WIRE_TIME_MS } from '../../protocols/fieldTypes';

type Schema = Record<string, unknown>;

const EUI: Schema = { type: 'string', pattern: '^[0-9A-F]{2}(-[0-9A-F]{2}){7}$' };
const HEX: Schema = { type: 'string', pattern: '^([0-9A-Fa-f]{2})*$' };
const int = (minimum?: number, maximum?: number): Schema => ({
  type: 'integer',
  ...(minimum === undefined ? {} : { minimum }),
  ...(maximum === undefined ? {} : { maximum }),
});
const oneOf = (...values: string[]): Schema => ({ enum: values });
const arrayOf = (items: Schema): Schema => ({ type: 'array', items });
const OBJECT: Schema = { type: 'object' };
const NUMBER: Schema = { type: 'number' };
const BOOLEAN: Schema = { type: 'boolean' };
const STRING: Schema = { type: 'string' };
const TIME_OR_NULL: Schema = { type: ['number', 'null'] };

/** An object whose listed fields are required with these types; further fields are allowed. */
const fields = (properties: Record<string, Schema>): Schema => ({
  type: 'object',
  required: Object.keys(properties),
  properties,
});
/** An object with exactly these fields (`optional` ones may be missing). */
const exactly = (properties: Record<string, Schema>, optional: string[] = []): Schema => ({
  type: 'object',
  required: Object.keys(properties).filter((key) => !optional.includes(key)),
  properties,
  additionalProperties: false,
});

const VENDOR = oneOf('itron', 'elster');

// The ESME's limit detectors (devices/esme/limitDetectors.ts): each one's states, and the metering timers.
const periodStates = oneOf('withinLimit', 'beyond', 'alerted', 'returning');
const detectorStates: Record<keyof DetectorStates, Schema> = {
  averageOver: oneOf('withinLimit', 'above'),
  averageUnder: oneOf('withinLimit', 'below'),
  extremeOver: periodStates,
  swell: periodStates,
  extremeUnder: periodStates,
  sag: periodStates,
  powerFactor: periodStates,
  polarity: oneOf('correct', 'reversed'),
  loadLimit: oneOf('withinLimit', 'beyond', 'alerted'),
};

// ── device contexts: one line per field ─────────────────────────────────────────────────────────────────────────
const coreContext = {
  eui: EUI,
  deviceType: oneOf('CH', 'ESME', 'GSME', 'PPMID'),
  vendor: VENDOR,
  firmwareVersion: STRING,
  migrationState: oneOf('smso', 'dcc', 'dumb'),
  swapInProgress: BOOLEAN,
  commissioned: BOOLEAN,
  credentials: OBJECT,
  logs: fields({ event: arrayOf(OBJECT), security: arrayOf(OBJECT) }),
  logCapacity: int(1),
  alertSettings: arrayOf(fields({ code: int(0, 0xffff), enabled: BOOLEAN })),
  supportedCommands: arrayOf(STRING),
  hanFailureRate: { type: 'number', minimum: 0, maximum: 1 },
  hanMaxAttempts: int(1),
  random: int(0, 0xffffffff),
  deviceClockOffset: NUMBER,
  quirks: arrayOf(STRING),
};

const contextOf: Record<string, Record<string, Schema>> = {
  ch: {
    ...coreContext,
    deviceLog: arrayOf(fields({ deviceId: EUI, installCode: HEX, joined: BOOLEAN })),
    joinWindowMax: int(0),
    permitJoinUntil: NUMBER,
  },
  esme: {
    ...coreContext,
    hanPeers: arrayOf(EUI),
    bindings: arrayOf(OBJECT),
    // A period the meter re-arms from itself must be at least a second: 0 would make its timer due again at the
    // instant it fired, and the metering pass would loop for ever (the wire's limits: voltageConfig.ts).
    settings: fields({ networkDataInterval: int(1), powerFactorPeriod: int(1), loadLimitPeriod: int(1) }),
    voltageConfig: fields({
      averageMeasurementPeriod: int(1, 0xffff),
      extremeOverPeriod: int(1, 0xffff),
      extremeUnderPeriod: int(1, 0xffff),
      sagPeriod: int(1, 0xffff),
      swellPeriod: int(1, 0xffff),
    }),
    powerThresholds: OBJECT,
    supply: STRING,
    mainsVoltage: NUMBER,
    demand: OBJECT,
    outageStartedAt: TIME_OR_NULL,
    power: oneOf(...powerStates),
    networkData: arrayOf(OBJECT),
    deadlines: { type: 'object', additionalProperties: TIME_OR_NULL },
    detectors: exactly(detectorStates),
    meteringSchedule: arrayOf(exactly({ timer: oneOf(...meteringTimerOrder), at: NUMBER })),
    paymentMode: oneOf('credit', 'prepayment'),
    payment: oneOf(...paymentStates),
    creditBalance: { type: 'number', minimum: 0 },
    polarityReversed: BOOLEAN,
  },
  gsme: {
    ...coreContext,
    hanPeers: arrayOf(EUI),
    bindings: arrayOf(OBJECT),
    gasFlow: OBJECT,
  },
  ppmid: {
    ...coreContext,
    installCode: HEX,
    bindings: arrayOf(OBJECT),
    joinAttemptDeadline: NUMBER,
    nextJoinAttemptAt: NUMBER,
    joinRetryInterval: NUMBER,
  },
};

// ── actor structure ─────────────────────────────────────────────────────────────────────────────────────────────
const actorNames = (machine: { implementations: { actors: Record<string, unknown> } }) =>
  Object.keys(machine.implementations.actors);
const deviceMachines = { ch: chMachine, esme: esmeMachine, gsme: gsmeMachine, ppmid: ppmidMachine };
/** The device machines the set spawns, by the names it spawns them under. */
const DEVICE_ACTOR_SOURCES = actorNames(deviceSetMachine);

/**
 * Why a device's (or, `src` 'set', the device set's) persisted state value is not a whole state of its machine, or
 * undefined when it is. The schema only
 * says a value is a string or an object: XState restores a value naming a state the machine does not have (a version-5
 * `migration` region left in a version-6 file, a misspelt region) as an actor in error that never answers, and a
 * value missing a region as one with no state there. So the value must be what the machine resolves it to.
 */
export function stateValueFault(src: string, value: unknown): string | undefined {
  const machine = src === 'set' ? deviceSetMachine : deviceMachines[src as keyof typeof deviceMachines];
  if (machine === undefined) return undefined; // the schema names an unknown src
  let resolved: unknown;
  try {
    resolved = machine.resolveState({ value: value as never, context: {} as never }).value;
  } catch (error) {
    return `is not a state of the ${src} machine (${(error as Error).message})`;
  }
  return isDeepStrictEqual(resolved, value)
    ? undefined
    : `is not a whole state of the ${src} machine: ${JSON.stringify(value)} (a whole one is like ${JSON.stringify(resolved)})`;
}

const snapshotOf = (context: Schema, children: Schema): Schema => ({
  type: 'object',
  required: ['status', 'value', 'historyValue', 'context', 'children'],
  properties: {
    status: { const: 'active' },
    value: { type: ['object', 'string'] },
    historyValue: OBJECT,
    context,
    children,
  },
});

const helperChild = (sources: string[]): Schema =>
  exactly({ snapshot: fields({ status: { const: 'active' } }), src: { enum: sources }, syncSnapshot: BOOLEAN }, [
    'syncSnapshot',
  ]);

const deviceChild: Schema = {
  ...exactly({ snapshot: OBJECT, src: { enum: DEVICE_ACTOR_SOURCES }, syncSnapshot: BOOLEAN }, ['syncSnapshot']),
  allOf: DEVICE_ACTOR_SOURCES.map((src) => {
    const machine = deviceMachines[src as keyof typeof deviceMachines];
    if (!machine || !contextOf[src]) throw new Error(`stateSchema: no context table for device actor "${src}"`);
    const helpers = actorNames(machine);
    return {
      if: { properties: { src: { const: src } } },
      then: {
        properties: {
          snapshot: snapshotOf(
            fields(contextOf[src]),
            helpers.length > 0
              ? { type: 'object', additionalProperties: helperChild(helpers) }
              : { type: 'object', maxProperties: 0 },
          ),
        },
      },
    };
  }),
};

const setSnapshot: Schema = snapshotOf(
  exactly({ vendor: VENDOR, members: exactly({ CH: EUI, ESME: EUI, GSME: EUI, PPMID: EUI }, ['PPMID']) }),
  { type: 'object', propertyNames: EUI, additionalProperties: deviceChild },
);

// ── files ───────────────────────────────────────────────────────────────────────────────────────────────────────
// What an alert frame can carry (docs/protocol.md "Alerts"): `at` in whole seconds in a u32, a payload of at most 255
// bytes (u8 length). A queued alert outside that could never be sent, so the file is refused naming the field.
const pendingAlertSchema: Schema = exactly({
  id: int(1),
  source: EUI,
  destination: EUI,
  code: int(0, 0xffff),
  at: { type: 'number', minimum: 0, maximum: LAST_WIRE_TIME_MS },
  payload: { ...HEX, maxLength: 2 * 255 },
});

const setConfig: Schema = fields({
  vendor: VENDOR,
  installation: oneOf('dormant', 'active'),
  seed: int(0),
  ppmid: BOOLEAN,
  euis: exactly({ CH: EUI, ESME: EUI, GSME: EUI, PPMID: EUI }, ['PPMID']),
});

/** The version this emulator writes. */
export const STATE_VERSION = 6;
/**
 * The versions before the ESME's limit detectors (2), its payment state (3) and its power state (4), and every
 * device's migration (5) became context: read, their devices migrated (the ESME to version 5's shape by
 * legacyEsmeState.ts, one migration each; then every device to version 6's by legacyMigrationState.ts).
 */
export const LEGACY_VERSIONS = [2, 3, 4, 5] as const;
export type LegacyVersion = (typeof LEGACY_VERSIONS)[number];

const headerSchema: Schema = exactly({
  format: { const: 'smets1-emulator-state' },
  version: { enum: [...LEGACY_VERSIONS, STATE_VERSION] },
  generation: int(0),
  slotSize: int(4096),
  savedAt: STRING,
  sets: { type: 'array', minItems: 1, items: setConfig },
});

const setRecordSchema: Schema = exactly({
  set: int(0),
  generation: int(0),
  snapshot: setSnapshot,
  pendingAlerts: arrayOf(pendingAlertSchema),
  nextAlertId: int(1),
});

const ajv = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true });
export const validateHeader: ValidateFunction = ajv.compile(headerSchema);
export const validateSetRecord: ValidateFunction = ajv.compile(setRecordSchema);

/** "at /snapshot/children/…/src: must be equal to one of the allowed values (ch, esme, gsme, ppmid)". */
export function describeSchemaError(errors: ErrorObject[] | null | undefined): string {
  const error = errors?.[0];
  if (!error) return 'does not match the state schema';
  const where = error.instancePath === '' ? '(top level)' : error.instancePath;
  const allowed =
    error.keyword === 'enum' ? ` (${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')})` : '';
  const extra =
    error.keyword === 'additionalProperties'
      ? ` "${(error.params as { additionalProperty: string }).additionalProperty}"`
      : '';
  return `at ${where}: ${error.message}${allowed}${extra}`;
}
