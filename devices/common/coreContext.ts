/**
 * The context every device machine starts from: identity, migration, credentials, logs, alert behaviour, HAN
 * losses and the generator. Plain JSON (hex strings for bytes, ms numbers for times), so a persisted snapshot
 * round-trips through JSON.stringify. Device machines extend it with their own fields.
 */
import type { CredentialSlots, OriginatorCounters } from '../credentials';
import { emptyCredentialSlots } from '../credentials';
import type { VendorProfile } from '../profiles/types';
import { resolveQuirks, type QuirkId, type QuirkOverrides } from '../quirks/registry';
import type { AlertSetting } from './alertBehaviour';
import { emptyLogs, type DeviceLogs } from './eventLog';
import { deriveSeed, type RandomState } from '../../common/random';
import type { ContractMessage, DeviceType, Eui, MigrationState, Vendor } from './types';

export interface DeviceCoreContext {
  eui: Eui;
  deviceType: DeviceType;
  vendor: Vendor;
  firmwareVersion: string;
  /** Where the device stands in the migration, moved by the core's migration events (deviceCore.ts migrationOn). */
  migrationState: MigrationState;
  /**
   * In smso, whether a credential swap has started (a replacement accepted; recovery puts a dumb device back into
   * one): only then does a replacement refused part-way make the device dumb. False in dcc and dumb.
   */
  swapInProgress: boolean;
  commissioned: boolean;
  credentials: CredentialSlots;
  /**
   * The last originator counter accepted from each remote party (credentials/authentication.ts). Optional: a
   * snapshot persisted before counters existed restores without it and reads as none accepted yet.
   */
  originatorCounters?: OriginatorCounters;
  logs: DeviceLogs;
  logCapacity: number;
  /** Shared with the profile until alert behaviour changes it (handlers replace it, never modify it). */
  alertSettings: readonly Readonly<AlertSetting>[];
  /** The profile's own list, shared by every device of that profile: read only. */
  supportedCommands: readonly ContractMessage[];
  /** Per-transmission HAN loss: the profile's, until injectFault overrides it. */
  hanFailureRate: number;
  hanMaxAttempts: number;
  random: RandomState;
  /** Device time minus clock time, ms: set by clockSync and commission; commissioning tolerance is checked on it. */
  deviceClockOffset: number;
  /** Active quirk ids (resolveQuirks). */
  quirks: QuirkId[];
}

export interface DeviceCoreInput {
  eui: Eui;
  profile: VendorProfile;
  /** Default: empty slots. */
  credentials?: CredentialSlots;
  /** The set's seed; each device derives its own from it and its EUI. Default 1. */
  seed?: number;
  /** Where the device starts: on its SMSO (default, an installation awaiting migration) or already in the DCC. */
  migrationState?: 'smso' | 'dcc';
  commissioned?: boolean;
  /** Bench overrides of the vendor's quirk defaults. */
  quirks?: QuirkOverrides;
}

/**
 * A device's first context: the core's fields, then the device's own (`own`, in its key order: a persisted
 * snapshot's JSON lists them so). Built for V8, because a set is created per installation and its contexts are
 * copied by every `assign`: the device's fields are spread at the END of the core's literal (a literal that starts
 * with a spread and goes on with more fields is built on a slow path: ~40 µs for the ESME's 37 fields, ~0.5 µs this
 * way), and the result is copied once with a spread, which puts every field inside the object itself. That is the
 * layout XState's assign (`Object.assign({}, context, patch)`) copies on its fast path; without the copy the ESME's
 * next contexts became dictionary objects, ten times slower to copy.
 */
export function createDeviceCoreContext<TOwn extends object>(
  deviceType: DeviceType,
  input: DeviceCoreInput,
  own: TOwn,
): DeviceCoreContext & TOwn {
  const device = input.profile.devices[deviceType];
  const migrationState: MigrationState = input.migrationState === 'dcc' ? 'dcc' : 'smso';
  const context = {
    eui: input.eui,
    deviceType,
    vendor: input.profile.vendor,
    firmwareVersion: device.firmwareVersion.value,
    migrationState,
    swapInProgress: false,
    commissioned: input.commissioned ?? false,
    credentials: input.credentials ?? emptyCredentialSlots(),
    originatorCounters: {},
    logs: emptyLogs(),
    logCapacity: device.eventLogCapacity.value,
    // The profile's arrays, not copies (~1 KB per set): a context is never modified in place, and a restored
    // snapshot brings its own.
    alertSettings: device.alertDefaults.value,
    supportedCommands: device.supportedCommands.value,
    hanFailureRate: device.hanFailureRate.value,
    hanMaxAttempts: device.hanMaxAttempts.value,
    random: deriveSeed(input.seed ?? 1, input.eui),
    deviceClockOffset: 0,
    // no override (none given, or an empty set of them as the emulator, the packs and state files give) shares the
    // vendor's default list
    quirks: hasOverrides(input.quirks)
      ? resolveQuirks(input.profile.vendor, input.quirks)
      : defaultQuirks(input.profile.vendor),
    ...own,
  };
  return { ...context };
}

function hasOverrides(overrides: QuirkOverrides | undefined): overrides is QuirkOverrides {
  if (overrides === undefined) return false;
  for (const _ in overrides) return true;
  return false;
}

/**
 * Each vendor's quirks with no bench override, resolved once: every device of a set without overrides shares the
 * list (a context is never modified in place). Two vendors: two lists.
 */
const vendorQuirks = new Map<Vendor, QuirkId[]>();

function defaultQuirks(vendor: Vendor): QuirkId[] {
  let quirks = vendorQuirks.get(vendor);
  if (quirks === undefined) vendorQuirks.set(vendor, (quirks = resolveQuirks(vendor)));
  return quirks;
}

/** The device's own clock: the emulator clock shifted by the last clockSync or commission. */
export function deviceTime(context: Pick<DeviceCoreContext, 'deviceClockOffset'>, now: number): number {
  return now + context.deviceClockOffset;
}
