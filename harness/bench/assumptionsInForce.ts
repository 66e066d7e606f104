/**
 * The assumed values a bench ran on (common/assumptions.ts), as a report lists them: only those in force
 * on that bench. Its vendor's device values when its devices are emulated (the Itron ESME's risk-11 thresholds only
 * with an Itron bench; none with `devices: real`); the gateway's assumed response codes; the S1SP's rate of
 * responses without a ResponseCode unless `response-code-always` or a pack removed it, its alert throttle unless
 * changed; the SMSO's inventory, the migration's product list, durations and retry wait when the bench migrated.
 */
import { assumption, assumptionsUnder, type Assumption } from '../../common/assumptions';
// loaded for their registrations, which are read below by name
import '../../devices/profiles';
import '../duis/responseCodes';
import '../migration/durations';
import '../migration/products';
import '../migration/smsoInventory';
import '../s1sp/harnessQuirks';
import type { S1spSettings } from '../s1sp/harnessQuirks';
import type { Vendor } from '../s1sp/vendors';

/** One assumed value as reports print it: the value as text, and where it came from. */
export interface AssumedValue {
  readonly name: string;
  readonly value: string;
  readonly source: string;
}

export interface BenchFacts {
  readonly vendor: Vendor;
  /** The bench's devices are this project's emulator (in process, a pty child, or `smets1 emulate`), not hardware. */
  readonly emulatedDevices: boolean;
  /** The S1SP settings the bench ran with (harnessQuirks.ts s1spSettings). */
  readonly s1sp: S1spSettings;
  readonly migrated: boolean;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function assumptionsInForce(bench: BenchFacts): Assumption[] {
  const inForce: Assumption[] = [];
  if (bench.emulatedDevices) inForce.push(...assumptionsUnder(bench.vendor));
  inForce.push(...assumptionsUnder('duis'));
  const missingCode = assumption('s1sp.missingResponseCodeRate');
  if (!bench.s1sp.fixes.has('response-code-always') && same(bench.s1sp.missingResponseCodeRate, missingCode.value))
    inForce.push(missingCode);
  const throttle = assumption('s1sp.alertThrottle');
  if (same(bench.s1sp.throttle, throttle.value)) inForce.push(throttle);
  if (bench.migrated) {
    inForce.push(
      assumption(`migration.smsoInventory.${bench.vendor}`),
      assumption(`migration.eligibleProducts.${bench.vendor}`),
      assumption(`migration.phaseDurations.${bench.vendor}`),
      assumption('migration.retryIntervalMs'),
    );
  }
  return inForce;
}

/** The assumptions of several benches, each once (first come first), as text. */
export function assumptionsOfBenches(benches: readonly (readonly Assumption[])[]): AssumedValue[] {
  const byName = new Map<string, AssumedValue>();
  for (const entry of benches.flat()) {
    if (!byName.has(entry.name))
      byName.set(entry.name, { name: entry.name, value: valueText(entry.value), source: entry.source });
  }
  return [...byName.values()];
}

function valueText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
