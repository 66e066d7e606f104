/**
 * State files written before devices re-armed their timers on restore without a helper actor hold, in each CH, ESME
 * and PPMID snapshot, the child that used to do it: `children.timersResumption` (src `core.timersResumption` or
 * `esme.timersResumption`, a callback actor with nothing of its own to persist). The machines no longer name that
 * source (devices/common/timersResumption.ts), so it is dropped here, on load and before the schema check; the
 * restored devices re-arm their timers as new snapshots' do.
 *
 * Only that child, with that shape, is removed; anything else is left for the schema to judge and name.
 */
import { isObject, type Json } from './jsonValue';

const LEGACY_CHILD = 'timersResumption';
const LEGACY_SOURCES: readonly unknown[] = ['core.timersResumption', 'esme.timersResumption'];

function withoutLegacyChild(device: unknown): unknown {
  if (!isObject(device) || !isObject(device.snapshot) || !isObject(device.snapshot.children)) return device;
  const { [LEGACY_CHILD]: legacy, ...children } = device.snapshot.children;
  if (!isObject(legacy) || !LEGACY_SOURCES.includes(legacy.src)) return device;
  return { ...device, snapshot: { ...device.snapshot, children } };
}

/** A set record's snapshot with every device's legacy resumption child dropped; other snapshots unchanged. */
export function dropLegacyResumptionChildren(setSnapshot: unknown): unknown {
  if (!isObject(setSnapshot) || !isObject(setSnapshot.children)) return setSnapshot;
  const children: Json = {};
  for (const [eui, device] of Object.entries(setSnapshot.children)) children[eui] = withoutLegacyChild(device);
  return { ...setSnapshot, children };
}
