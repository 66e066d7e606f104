/**
 * State files of versions 2, 3 and 4 hold ESMEs in older shapes, rewritten here on load, before the schema check,
 * into version 5's; then every device of a file of version 2 to 5 into version 6's (legacyMigrationState.ts).
 *
 * Version 2 holds ESMEs as they were before the limit detectors became context
 * (devices/esme/limitDetectors.ts): one parallel region per detector, its state in the snapshot's value
 * (`power.powered.metering.swell: 'alerted'`), and a deadline left in context after each period. A version-2 ESME
 * is rewritten here, on load and before the schema check, into the shape the machine has now: the metering state
 * `timing`, the detectors' states in `detectors`, the pending periods' deadlines kept (the others nulled) and the
 * metering timers in `meteringSchedule`. A restored meter then re-arms them on start in the old regions' order
 * (meteringSchedule.ts resumedSchedule), so its alerts come at the times and in the order the old one's would.
 *
 * Version 3 holds the ESME's payment state as an XState region (`value.payment`); version 4 holds it in context
 * (migrateV3EsmeSnapshot below). Version 4 holds its power supply as an XState region (`value.power`); version 5
 * holds it in context (migrateV4EsmeSnapshot below). A version-2 ESME goes through all three, a version-3 one
 * through the last two.
 *
 * Only what has the old shape is touched; anything else is left as it is for the schema to judge and name.
 */
import { initialDetectors, type DetectorName } from '../../devices/esme/limitDetectors';
import { resumedSchedule, type MeteringTimer, type ScheduledTimer } from '../../devices/esme/meteringSchedule';
import { isObject, type Json } from './jsonValue';
import type { LegacyVersion } from './stateSchema';

const detectorNames = Object.keys(initialDetectors) as DetectorName[];

/** The detectors whose state names a pending period, and the period's timer. */
export const pendingIn: Partial<Record<DetectorName, readonly string[]>> = {
  extremeOver: ['beyond', 'returning'],
  swell: ['beyond', 'returning'],
  extremeUnder: ['beyond', 'returning'],
  sag: ['beyond', 'returning'],
  powerFactor: ['beyond', 'returning'],
  loadLimit: ['beyond'],
};

/** A version-2 ESME snapshot (an actor's persisted snapshot) in the current shape; other snapshots unchanged. */
export function migrateLegacyEsmeSnapshot(snapshot: unknown): unknown {
  if (!isObject(snapshot) || !isObject(snapshot.context) || !isObject(snapshot.value)) return snapshot;
  const context = snapshot.context;
  if ('detectors' in context || !isObject(context.deadlines)) return snapshot;
  const deadlines = { ...context.deadlines } as Record<MeteringTimer | 'creditExhaustion', number | null>;
  const power = snapshot.value.power;
  const powered = isObject(power) && isObject(power.powered) ? power.powered : undefined;
  const regions = powered && isObject(powered.metering) ? powered.metering : undefined;

  const detectors: Json = { ...initialDetectors };
  let schedule: ScheduledTimer[] = [];
  for (const name of detectorNames) {
    const state = regions?.[name] ?? initialDetectors[name];
    detectors[name] = state;
    const pending = pendingIn[name];
    if (!pending) continue;
    const timer = name as MeteringTimer;
    // A deadline outlives its period in the old context; only a detector waiting on one keeps it.
    if (!pending.includes(state as string)) deadlines[timer] = null;
    else if (typeof deadlines[timer] === 'number') schedule.push({ timer, at: deadlines[timer] });
  }
  if (regions) {
    for (const timer of ['averagePeriod', 'networkDataInterval'] as const) {
      if (typeof deadlines[timer] === 'number') schedule.push({ timer, at: deadlines[timer] });
    }
    // In deadline order, ties in the regions' order: what the old regions re-armed on start.
    schedule = resumedSchedule(schedule, deadlines, -Infinity);
  }
  return {
    ...snapshot,
    value: regions ? { ...snapshot.value, power: { powered: { ...powered, metering: 'timing' } } } : snapshot.value,
    context: { ...context, deadlines, detectors, meteringSchedule: schedule },
  };
}

/**
 * A version-3 ESME snapshot in the current shape: the payment region's state (`value.payment`: `'credit'` or
 * `{ prepayment: 'inCredit' | 'draining' | 'exhausted' }`) moved into `context.payment` (devices/esme/paymentState.ts).
 * A restored meter then re-arms a draining credit's exhaustion timer on start, as the region's `draining` did.
 * A value of another shape is carried over as it is, for the schema to refuse naming `payment`.
 */
export function migrateV3EsmeSnapshot(snapshot: unknown): unknown {
  if (!isObject(snapshot) || !isObject(snapshot.context) || !isObject(snapshot.value)) return snapshot;
  if (!('payment' in snapshot.value) || 'payment' in snapshot.context) return snapshot;
  const { payment, ...value } = snapshot.value;
  const state = isObject(payment) && 'prepayment' in payment ? payment.prepayment : payment;
  return { ...snapshot, value, context: { ...snapshot.context, payment: state } };
}

/**
 * A version-4 ESME snapshot in the current shape: the power region's state (`value.power`: `'outage'`, or
 * `{ powered: 'suspended' }`, or `{ powered: { metering: 'timing' } }`) moved into `context.power`
 * (devices/esme/powerState.ts): outage, suspended or metering. A restored metering meter then re-arms its one
 * metering timer on start, as the region's `timing` did. A value of another shape (`starting` was transient, never
 * persisted) is carried over as it is, for the schema to refuse naming `power`.
 */
export function migrateV4EsmeSnapshot(snapshot: unknown): unknown {
  if (!isObject(snapshot) || !isObject(snapshot.context) || !isObject(snapshot.value)) return snapshot;
  if (!('power' in snapshot.value) || 'power' in snapshot.context) return snapshot;
  const { power, ...value } = snapshot.value;
  const powered = isObject(power) ? power.powered : undefined;
  const state = power === 'outage' ? power : powered === 'suspended' ? powered : isObject(powered) ? 'metering' : power;
  return { ...snapshot, value, context: { ...snapshot.context, power: state } };
}

/** A version-3 ESME snapshot in version 5's shape: to version 4, then to version 5. */
const migrateV3ToV5 = (snapshot: unknown): unknown => migrateV4EsmeSnapshot(migrateV3EsmeSnapshot(snapshot));

/** A version-2 ESME snapshot in version 5's shape: to version 3, then on. */
const migrateV2ToV5 = (snapshot: unknown): unknown => migrateV3ToV5(migrateLegacyEsmeSnapshot(snapshot));

// one for every version read (stateSchema.ts LEGACY_VERSIONS) but 5, whose ESME is already in version 5's shape: a
// version added there without one fails to compile
const esmeToV5: Record<Exclude<LegacyVersion, 5>, (snapshot: unknown) => unknown> = {
  2: migrateV2ToV5,
  3: migrateV3ToV5,
  4: migrateV4EsmeSnapshot,
};

/** An ESME snapshot of state version `version` (2 to 5) in version 5's shape (legacyMigrationState.ts takes it on). */
export function migrateLegacyEsme(snapshot: unknown, version: LegacyVersion): unknown {
  return version === 5 ? snapshot : esmeToV5[version](snapshot);
}
