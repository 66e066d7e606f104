/**
 * State files of version 2 hold ESMEs as they were before the limit detectors became context
 * (devices/esme/limitDetectors.ts): one parallel region per detector, its state in the snapshot's value
 * (`power.powered.metering.swell: 'alerted'`), and a deadline left in context after each period. A version-2 ESME
 * is rewritten here, on load and before the schema check, into the shape the machine has now: the metering state
 * `timing`, the detectors' states in `detectors`, the pending periods' deadlines kept (the others nulled) and the
 * metering timers in `meteringSchedule`. A restored meter then re-arms them on start in the old regions' order
 * (meteringSchedule.ts resumedSchedule), so its alerts come at the times and in the order the old one's would.
 *
 * Only what has the old shape is touched; anything else is left as it is for the schema to judge and name.
 */
import { initialDetectors, type DetectorName } from '../../devices/esme/limitDetectors';
import { resumedSchedule, type MeteringTimer, type ScheduledTimer } from '../../devices/esme/meteringSchedule';

export type Json = Record<string, unknown>;

export const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

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

/** A version-2 set record's snapshot with every ESME child migrated (migrateLegacyEsmeSnapshot). */
export function migrateLegacySetSnapshot(setSnapshot: unknown): unknown {
  if (!isObject(setSnapshot) || !isObject(setSnapshot.children)) return setSnapshot;
  const children: Json = {};
  for (const [eui, child] of Object.entries(setSnapshot.children)) {
    children[eui] =
      isObject(child) && child.src === 'esme'
        ? { ...child, snapshot: migrateLegacyEsmeSnapshot(child.snapshot) }
        : child;
  }
  return { ...setSnapshot, children };
}
